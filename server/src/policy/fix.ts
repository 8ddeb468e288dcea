// Fix operations on policy elements. Policies that are objects use the ordinary recipe ops;
// policies inside a string (Terraform, plans, CloudFormation JSON strings) get `text` ops at the
// mapped offsets, with the new JSON escaped as content of the host string.

import type { TemplateDocument } from '../model/document';
import type { FixOp, NewValue } from '../fixes/recipe';
import { setPathOp } from '../fixes/recipe';
import type { MapNode, Node, ScalarNode } from '../parse/tree';
import { entryOf, get } from '../parse/tree';
import { escapeFor } from './embedded';
import type { PolicyDocument } from './extract';

const YAML_PLAIN = /^[A-Za-z0-9_/*][A-Za-z0-9 _./:*@()+=-]*$/;
const YAML_RESERVED = /^(true|false|yes|no|on|off|null|~|y|n|[-+]?[\d.]+([eE][-+]?\d+)?)$/i;

/** True when a policy's text can be edited (plans are generated; unaligned strings are not edited). */
export function canFix(doc: TemplateDocument, policy: PolicyDocument): boolean {
  if (doc.format === 'plan') return false;
  return !policy.embedded || policy.embedded.map.exact;
}

/** Replaces a scalar (a value or a key) with a string, keeping its quoting. */
export function replaceScalarOp(policy: PolicyDocument, node: ScalarNode, value: string): FixOp {
  if (policy.embedded) {
    return {
      op: 'text',
      start: node.start,
      end: node.end,
      newText: escapeFor(policy.embedded.map.style, JSON.stringify(value)),
    };
  }
  let newText: string;
  switch (node.style) {
    case 'json':
    case 'double':
      newText = JSON.stringify(value);
      break;
    case 'single':
      newText = `'${value.replace(/'/g, "''")}'`;
      break;
    case 'plain':
      newText =
        YAML_PLAIN.test(value) && !YAML_RESERVED.test(value) && !value.includes(': ') && !value.endsWith(' ')
          ? value
          : `'${value.replace(/'/g, "''")}'`;
      break;
    default:
      return { op: 'replace', node, value };
  }
  return { op: 'text', start: node.start, end: node.end, newText };
}

/**
 * Sets `path` (creating maps on the way) under a map of the policy. `value` is the value for
 * object policies; `embeddedValue` (plain JSON, Terraform interpolation allowed) for policies in
 * strings.
 */
export function setInPolicyOps(
  doc: TemplateDocument,
  policy: PolicyDocument,
  map: MapNode,
  path: string[],
  value: NewValue,
  embeddedValue: unknown = value,
): FixOp[] {
  if (!policy.embedded) return [setPathOp(map, path, value)];
  let current = map;
  let i = 0;
  for (; i < path.length - 1; i++) {
    const next = get(current, path[i]!);
    if (next?.kind !== 'map') break;
    current = next;
  }
  const key = path[i]!;
  const nested = path.slice(i + 1).reduceRight<unknown>((acc, k) => ({ [k]: acc }), embeddedValue);
  const spaced = /":\s/.test(decodedSample(doc, policy));
  const json = (v: unknown): string => (spaced ? spacedJson(v) : JSON.stringify(v));
  const style = policy.embedded.map.style;
  const existing = entryOf(current, key);
  if (existing)
    return [
      {
        op: 'text',
        start: existing.value.start,
        end: existing.value.end,
        newText: escapeFor(style, json(nested)),
      },
    ];
  const close = current.end - 1;
  if (doc.text[close] !== '}') return [];
  const last = current.entries[current.entries.length - 1];
  const member = `${JSON.stringify(key)}:${spaced ? ' ' : ''}${json(nested)}`;
  if (!last) return [{ op: 'text', start: close, end: close, newText: escapeFor(style, member) }];
  return [
    {
      op: 'text',
      start: last.end,
      end: last.end,
      newText: escapeFor(style, `,${spaced ? ' ' : ''}${member}`),
    },
  ];
}

/** Writes `{"a": {"b": "c"}}` with a space after colons and commas, on one line. */
function spacedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(spacedJson).join(', ')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${spacedJson(v)}`)
      .join(', ')}}`;
  return JSON.stringify(value);
}

function decodedSample(doc: TemplateDocument, policy: PolicyDocument): string {
  const node = policy.embedded!.stringNode;
  return String(node.value).slice(0, 400) || doc.text.slice(node.start, node.start + 400);
}

/** The node of an element value inside a statement (for findings on absent elements). */
export function firstKey(map: Node): ScalarNode | undefined {
  return map.kind === 'map' ? map.entries[0]?.key : undefined;
}

// Reading policy elements: the items of a value (string or list) with their possible values
// (through CloudFormation intrinsics, Terraform variables, interpolation inside policy strings),
// and the condition blocks of a statement.

import type { TemplateDocument } from '../model/document';
import type { Entry, MapNode, Node, ScalarNode } from '../parse/tree';
import { items, toPlain } from '../parse/tree';
import type { Possibility, Value } from '../resolve/values';
import { resolve, UNKNOWN } from '../resolve/values';
import type { PolicyDocument, Statement } from './extract';
import type { Operator } from './grammar';
import { parseOperator } from './grammar';

export interface ValueItem {
  /** Where the item is written (the use, for a list that comes from a parameter as a whole). */
  node: Node;
  possibilities: Possibility[];
}

/** The items of an element value (a string or a list), each with its possible values. */
export function valueItems(
  doc: TemplateDocument,
  policy: PolicyDocument,
  node: Node | undefined,
): ValueItem[] {
  if (!node) return [];
  if (policy.embedded)
    return items(node).map((item) => ({ node: item, possibilities: embeddedValue(doc, policy, item) }));
  const out: ValueItem[] = [];
  const list = node.kind === 'seq' ? node.items : [node];
  for (const item of list) {
    const byValue: Possibility[] = [];
    for (const p of resolve(doc, item)) {
      if (Array.isArray(p.value)) for (const v of p.value) byValue.push({ value: v, via: p.via });
      else byValue.push(p);
    }
    out.push({ node: item, possibilities: byValue });
  }
  return out;
}

function embeddedValue(doc: TemplateDocument, policy: PolicyDocument, node: Node): Possibility[] {
  const embedded = policy.embedded!;
  const text = embedded.unknownText.get(node);
  if (text !== undefined) {
    const scalar: ScalarNode = {
      kind: 'scalar',
      value: text,
      style: 'json',
      start: node.start,
      end: node.end,
    };
    if (embedded.flavor === 'tf' && doc.format === 'tf') return resolve(doc, scalar);
    if (embedded.flavor === 'sub' && doc.format === 'cfn') {
      const key = {
        kind: 'scalar' as const,
        value: 'Fn::Sub',
        style: 'plain' as const,
        start: node.start,
        end: node.start,
      };
      const sub: MapNode = {
        kind: 'map',
        entries: [{ key, value: scalar, start: node.start, end: node.end }],
        style: 'flow',
        start: node.start,
        end: node.end,
      };
      return resolve(doc, sub);
    }
    return [{ value: UNKNOWN, via: [] }];
  }
  return [{ value: (node.kind === 'scalar' ? node.value : toPlain(node)) as Value, via: [] }];
}

/** The literal string of a scalar, when it is written out (not an intrinsic, not interpolated). */
export function literalString(policy: PolicyDocument, node: Node | undefined): string | undefined {
  if (node?.kind !== 'scalar' || typeof node.value !== 'string') return undefined;
  if (policy.embedded?.unknown.has(node)) return undefined;
  return node.value;
}

/** Known string values of an item (intrinsics resolved; unknown values left out). */
export function knownValues(item: ValueItem): string[] {
  const out: string[] = [];
  for (const p of item.possibilities)
    if (typeof p.value === 'string' || typeof p.value === 'number' || typeof p.value === 'boolean')
      out.push(String(p.value));
  return out;
}

/** True when some possibility of the item is not known (intrinsic, interpolation, resource reference). */
export function hasUnknown(item: ValueItem): boolean {
  return item.possibilities.some(
    (p) => typeof p.value !== 'string' && typeof p.value !== 'number' && typeof p.value !== 'boolean',
  );
}

export interface ConditionItem {
  /** `StringEquals: {...}` */
  operatorEntry: Entry;
  operator: Operator | undefined;
  /** `aws:SourceVpce: vpce-1` */
  keyEntry: Entry;
  key: string;
  value: Node;
}

/** Every operator/key pair of a statement's Condition block. */
export function conditionItems(statement: Statement): ConditionItem[] {
  const condition = statement.entries.get('Condition')?.value;
  if (condition?.kind !== 'map') return [];
  const out: ConditionItem[] = [];
  for (const operatorEntry of condition.entries) {
    const block = operatorEntry.value;
    if (block.kind !== 'map') continue;
    const operator = parseOperator(operatorEntry.key.value);
    for (const keyEntry of block.entries)
      out.push({ operatorEntry, operator, keyEntry, key: keyEntry.key.value, value: keyEntry.value });
  }
  return out;
}

/** Condition items on one of the keys (case-insensitive). */
export function onKeys(conditions: ConditionItem[], keys: readonly string[]): ConditionItem[] {
  const lower = keys.map((k) => k.toLowerCase());
  return conditions.filter((c) => lower.includes(c.key.toLowerCase()));
}

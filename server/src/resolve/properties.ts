// Reading configuration properties the same way in every format, for the rules that check one
// setting of one resource (IMDS, transport encryption): nested blocks that Terraform writes as
// an object or a list of objects, values through intrinsics, "absent" vs "unknown" in plans,
// and the wording of what a finding rests on. The fixes that set such a property are in
// `fixes/setProperty.ts`.

import type { Resource, TemplateDocument } from '../model/document';
import type { MapNode, Node, ScalarNode } from '../parse/tree';
import { entryOf, get, items } from '../parse/tree';
import type { Possibility, Value, Via } from './values';
import { NO_VALUE, resolve, UNKNOWN, viaPhrase } from './values';
import { booleanText } from '../model/booleans';

/** CloudFormation names properties in PascalCase, Terraform and plans in snake_case. */
export function isCfn(doc: TemplateDocument): boolean {
  return doc.format === 'cfn';
}

/** A nested block: a CFN map, a TF JSON object or list of objects, a plan list of one object. */
export function block(node: Node | undefined, key: string): MapNode | undefined {
  const value = get(node, key);
  if (value?.kind === 'map') return value.shortTag || isIntrinsic(value) ? undefined : value;
  if (value?.kind === 'seq') {
    const first = value.items[0];
    return first?.kind === 'map' ? first : undefined;
  }
  return undefined;
}

/** Every block of a repeatable nested block (`ordered_cache_behavior`, `origin`, `volume`). */
export function blocks(node: Node | undefined, key: string): MapNode[] {
  return items(get(node, key)).filter((n): n is MapNode => n.kind === 'map' && !isIntrinsic(n));
}

/** A one-key map that is an intrinsic function call (`Ref`, `Fn::*`), not a block. */
export function isIntrinsic(map: MapNode): boolean {
  if (map.entries.length !== 1) return false;
  const key = map.entries[0]!.key.value;
  return key === 'Ref' || key.startsWith('Fn::');
}

/** The key node of `key` in `map` (where an absent-inside finding points). */
export function keyOf(map: Node | undefined, key: string): ScalarNode | undefined {
  return entryOf(map, key)?.key;
}

/** A property that is present: its node and its possible values. */
export interface Prop {
  node: Node;
  possibilities: Possibility[];
}

/** The property, or undefined when absent (missing, null, or `AWS::NoValue` in every case). */
export function prop(doc: TemplateDocument, map: Node | undefined, key: string): Prop | undefined {
  const node = get(map, key);
  if (!node || (node.kind === 'scalar' && node.value === null)) return undefined;
  const possibilities = resolve(doc, node);
  if (possibilities.every((p) => p.value === NO_VALUE || p.value === null)) return undefined;
  return { node, possibilities };
}

/** Known possibilities (not unknown, not NoValue). */
export function known(p: Prop): Possibility[] {
  return p.possibilities.filter((x) => x.value !== UNKNOWN && x.value !== NO_VALUE);
}

/** The known text values of a property (empty when absent or unknown). */
export function knownTexts(doc: TemplateDocument, map: Node | undefined, key: string): string[] {
  const p = prop(doc, map, key);
  if (!p) return [];
  return known(p)
    .map((v) => text(v.value))
    .filter((t): t is string => t !== undefined);
}

/** A bad possibility of a property, and whether other known possibilities are fine. */
export interface Hit {
  node: Node;
  value: Value;
  via: Via[];
  /** True when only some possibilities are bad (a condition branch, one allowed value). */
  partial: boolean;
}

export function findBad(p: Prop | undefined, bad: (value: Value) => boolean): Hit | undefined {
  if (!p) return undefined;
  const values = known(p);
  const hits = values.filter((x) => bad(x.value));
  const first = hits[0];
  if (!first) return undefined;
  return { node: p.node, value: first.value, via: first.via, partial: hits.length < p.possibilities.length };
}

/** True when every possibility of the property is unknown (nothing can be said). */
export function allUnknown(p: Prop | undefined): boolean {
  return p !== undefined && known(p).length === 0;
}

/** Strings and numbers as text (policy names, protocols, numbers written as strings). */
export function text(value: Value): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** A boolean written as true/false, "true"/"false" (any case), or YAML 1.1 yes/no/on/off (model/booleans.ts). */
export function bool(value: Value): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return booleanText(value);
  return undefined;
}

export function num(value: Value): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

/** Case-insensitive string equality with one of the options. */
export function isOneOf(value: Value, ...options: string[]): boolean {
  const t = text(value)?.trim().toLowerCase();
  return t !== undefined && options.some((o) => o.toLowerCase() === t);
}

/** "is" or "can be". */
export function verbOf(hit: Hit): string {
  return hit.partial || hit.via.some((v) => v.kind !== 'parameter-default') ? 'can be' : 'is';
}

/** " (the default of X)", " (when condition C is true)", or "". */
export function because(via: Via[]): string {
  const parts = via.map(viaPhrase);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** Plans: true when the attribute at `path` (blocks walked through their first item) is unknown until apply. */
export function unknownInPlan(resource: Resource, path: string[]): boolean {
  let node: Node | undefined = resource.unknown;
  for (const step of path) {
    if (!node) return false;
    if (node.kind === 'seq') node = node.items[0];
    if (node?.kind === 'scalar') return node.value === true;
    node = get(node, step);
  }
  if (node?.kind === 'seq') node = node.items[0];
  return node?.kind === 'scalar' && node.value === true;
}

/** Resources of the given types (CFN and TF names mixed). */
export function resourcesOf(doc: TemplateDocument, ...types: string[]): Resource[] {
  return doc.resources.filter((r) => types.includes(r.type));
}

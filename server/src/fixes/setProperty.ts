// Fixes that set one nested property of a resource, creating the maps on the way, for the rules
// that check one setting (IMDS, transport encryption); plans get no fixes.

import type { Resource, TemplateDocument } from '../model/document';
import type { MapNode } from '../parse/tree';
import { get } from '../parse/tree';
import { isIntrinsic } from '../resolve/properties';
import type { FixOp, FixRecipe, NewValue } from './recipe';

/**
 * Sets a nested property below `from` (a resource's properties or any map), creating missing
 * maps; Terraform blocks written as lists are entered through their first item.
 */
export function setAt(from: MapNode, path: string[], value: NewValue): FixOp {
  let current = from;
  let i = 0;
  for (; i < path.length - 1; i++) {
    const next = get(current, path[i]!);
    const inner = next?.kind === 'seq' && next.items[0]?.kind === 'map' ? next.items[0] : next;
    if (inner?.kind !== 'map' || inner.shortTag || isIntrinsic(inner)) break;
    current = inner;
  }
  const nested = path.slice(i + 1).reduceRight<NewValue>((acc, k) => ({ [k]: acc }), value);
  return { op: 'set', map: current, key: path[i]!, value: nested };
}

/** Sets a property path from a resource: CFN paths start below `Properties` (created if missing). */
export function setOnResource(resource: Resource, path: string[], value: NewValue): FixOp {
  if (resource.properties) return setAt(resource.properties, path, value);
  return setAt(resource.node, ['Properties', ...path], value);
}

/** Fixes are only offered where the document is written by hand (never in plans). */
export function fixes(doc: TemplateDocument, ...recipes: (FixRecipe | undefined)[]): FixRecipe[] {
  if (doc.format === 'plan') return [];
  return recipes.filter((r): r is FixRecipe => r !== undefined);
}

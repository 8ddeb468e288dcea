// Terraform plans (`terraform show -json`): what the `configuration` says about attributes that
// are unknown until apply. `after_unknown` marks every attribute whose value the plan does not
// know, including the ones the configuration never sets and the provider computes (an
// `aws_lb`'s `internal`, an instance's `associate_public_ip_address`). An attribute the
// configuration does not write is known to be omitted: its provider default applies, exactly as
// when the configuration itself is read, so it is no longer marked unknown.
//
// The configuration's expressions are found by address (instance keys and indexes dropped,
// child modules through `module_calls`), as Terraform writes them
// (https://developer.hashicorp.com/terraform/internals/json-format#block-expressions-representation).
// Terraform leaves `dynamic` blocks out of the expressions, so a nested block that is unknown in
// part (a list or object in `after_unknown`) stays unknown when the expressions do not name it;
// only a wholly unknown attribute or block (`true`) that the configuration does not write is
// taken as omitted.

import type { MapNode, Node } from '../parse/tree';
import { get, items, scalarString } from '../parse/tree';
import type { TemplateDocument } from './document';

const MAX_DEPTH = 32;
/** Attributes no configuration sets: unknown until apply, never "omitted". */
const COMPUTED = new Set(['id', 'arn']);

/** Drops from each plan resource's `unknown` tree what its configuration does not write. */
export function applyPlanConfiguration(doc: TemplateDocument): void {
  const configuration = get(doc.root, 'configuration');
  if (!configuration) return;
  const expressions = new Map<string, MapNode>();
  readModule(get(configuration, 'root_module'), '', expressions, 0);
  if (!expressions.size) return;
  for (const resource of doc.resources) {
    if (!resource.unknown) continue;
    const written = expressions.get(resource.id.replace(/\[[^\]]*\]/g, ''));
    if (written) resource.unknown = prune(resource.unknown, written, 0);
  }
}

function readModule(
  module: Node | undefined,
  prefix: string,
  out: Map<string, MapNode>,
  depth: number,
): void {
  if (!module || depth > MAX_DEPTH) return;
  for (const resource of items(get(module, 'resources'))) {
    const address = scalarString(get(resource, 'address'));
    const expressions = get(resource, 'expressions');
    if (address && expressions?.kind === 'map' && scalarString(get(resource, 'mode')) !== 'data')
      out.set(prefix + address, expressions);
  }
  const calls = get(module, 'module_calls');
  if (calls?.kind === 'map')
    for (const call of calls.entries)
      readModule(get(call.value, 'module'), `${prefix}module.${call.key.value}.`, out, depth + 1);
}

/** An expression (`constant_value` / `references`) rather than a nested block's expressions. */
function isExpression(node: Node): boolean {
  return (
    node.kind === 'map' &&
    (get(node, 'constant_value') !== undefined || get(node, 'references') !== undefined)
  );
}

function prune(unknown: Node, written: Node, depth: number): Node {
  if (depth > MAX_DEPTH) return unknown;
  if (unknown.kind === 'map' && written.kind === 'map' && !isExpression(written)) {
    const entries = [];
    for (const entry of unknown.entries) {
      const expression = get(written, entry.key.value);
      if (!expression) {
        // Wholly unknown and not written: omitted, the provider's default applies (not for the
        // identifiers every resource gets, which are simply not known yet).
        if (entry.value.kind === 'scalar' && entry.value.value === true && !COMPUTED.has(entry.key.value))
          continue;
        entries.push(entry);
        continue;
      }
      const value = prune(entry.value, expression, depth + 1);
      entries.push(value === entry.value ? entry : { ...entry, value });
    }
    return entries.length === unknown.entries.length && entries.every((e, i) => e === unknown.entries[i])
      ? unknown
      : { ...unknown, entries };
  }
  if (unknown.kind === 'seq' && written.kind === 'seq') {
    // Blocks of a list or set, in the configuration's order (one block's expressions each).
    const pruned = unknown.items.map((item, i) => {
      const expression = written.items[i] ?? (written.items.length === 1 ? written.items[0] : undefined);
      return expression ? prune(item, expression, depth + 1) : item;
    });
    return pruned.every((p, i) => p === unknown.items[i]) ? unknown : { ...unknown, items: pruned };
  }
  if (unknown.kind === 'seq' && written.kind === 'map' && !isExpression(written))
    // A single nested block written as an object, planned as a list of one.
    return unknown.items.length === 1
      ? { ...unknown, items: [prune(unknown.items[0]!, written, depth + 1)] }
      : unknown;
  return unknown;
}

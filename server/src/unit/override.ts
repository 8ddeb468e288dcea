// Terraform override files (`override.tf`, `override.tf.json`, `*_override.tf(.json)`), merged
// the way Terraform merges them (https://developer.hashicorp.com/terraform/language/files/override):
//
// - Override files are skipped while the normal files are read, then applied one by one in
//   lexical order of their names, and in each file in the order of its blocks.
// - A top-level block merges into the block with the same header (`resource "a" "b"`,
//   `data "a" "b"`, `variable "x"`); one with no such block is an error for Terraform, so it is
//   ignored here (an override file alone is not a module root: it defines nothing).
// - An argument of the override block replaces the argument of the same name; nested blocks of
//   one type replace all the original's blocks of that type (`dynamic "ingress"` counts as
//   `ingress` blocks); the contents of nested blocks are not merged, except `lifecycle`, which
//   is merged argument by argument.
// - `locals` are merged value by value, whatever `locals` block holds them.
//
// The merged body is a new map whose entries are the written entries of the original and of the
// override (never changed), so a finding on a merged argument lands in the file it is written
// in. `module`, `output`, `provider` and `terraform` blocks of override files are not merged.

import type { Parameter, Resource } from '../model/document';
import type { Entry, MapNode, Node } from '../parse/tree';
import { get, items } from '../parse/tree';

/** True for the files Terraform treats as override files. */
export function isOverrideFile(uri: string): boolean {
  const base = (uri.split(/[\\/]/).pop() ?? uri).toLowerCase();
  const stem = base.endsWith('.tf.json') ? base.slice(0, -8) : base.endsWith('.tf') ? base.slice(0, -3) : '';
  return stem === 'override' || stem.endsWith('_override');
}

/** What an override file can change: the root module's model, or a local module's scope. */
export interface OverrideTarget {
  resources: Resource[];
  resourcesById: Map<string, Resource>;
  parameters: Map<string, Parameter>;
  locals: Map<string, Node>;
  data: Map<string, MapNode>;
}

function blocks(node: Node | undefined): MapNode[] {
  return items(node).filter((n): n is MapNode => n.kind === 'map');
}

/**
 * Applies override files (in the order given: sort them by name first) to a model whose normal
 * files have been read. `prefix` is the module's address prefix (`module.sg.`) or ''.
 */
export function applyOverrides(target: OverrideTarget, roots: (Node | undefined)[], prefix = ''): void {
  for (const root of roots)
    for (const section of blocks(root))
      for (const top of section.entries) {
        for (const body of blocks(top.value)) {
          switch (top.key.value) {
            case 'resource':
              for (const [address, block] of labelled(body)) {
                const found = target.resourcesById.get(`${prefix}${address}`);
                // Merged into the resource as written; its for_each instances are made again after.
                const resource = found?.instance?.written ?? found;
                if (!resource) continue;
                const merged = mergeBody(resource.node, block);
                // `node` too: the dynamic-block expansion starts from it (model/terraformDynamic.ts).
                resource.node = merged;
                resource.properties = merged;
              }
              break;
            case 'data':
              for (const [address, block] of labelled(body)) {
                const original = target.data.get(address);
                if (original) target.data.set(address, mergeBody(original, block));
              }
              break;
            case 'variable':
              for (const entry of body.entries) {
                const parameter = target.parameters.get(entry.key.value);
                const block = blocks(entry.value)[0];
                if (!parameter || !block) continue;
                const original = blocks(parameter.node)[0];
                const merged = original ? mergeBody(original, block) : block;
                parameter.node = merged;
                parameter.default = get(merged, 'default');
              }
              break;
            case 'locals':
              for (const entry of body.entries)
                if (target.locals.has(entry.key.value)) target.locals.set(entry.key.value, entry.value);
              break;
          }
        }
      }
}

/** `{ type: { name: body } }` (one or several) → [`type.name`, body]. */
function labelled(section: MapNode): [string, MapNode][] {
  const out: [string, MapNode][] = [];
  for (const type of section.entries)
    for (const byName of blocks(type.value))
      for (const name of byName.entries)
        for (const body of blocks(name.value)) out.push([`${type.key.value}.${name.key.value}`, body]);
  return out;
}

/** The nested block types a `dynamic` entry generates (its labels). */
function dynamicTypes(entry: Entry): string[] {
  return entry.value.kind === 'map' ? entry.value.entries.map((e) => e.key.value) : [];
}

/** The original body with the override's arguments and nested blocks merged in. */
export function mergeBody(original: MapNode, override: MapNode): MapNode {
  const replaced = new Set<string>();
  for (const entry of override.entries)
    if (entry.key.value === 'dynamic') for (const type of dynamicTypes(entry)) replaced.add(type);
    else replaced.add(entry.key.value);
  const placed = new Set<Entry>();
  const entries: Entry[] = [];
  for (const entry of original.entries) {
    const key = entry.key.value;
    if (key === 'dynamic') {
      // Dynamic blocks of a type the override writes are replaced with the other blocks of it.
      if (entry.value.kind !== 'map') continue;
      const kept = entry.value.entries.filter((e) => !replaced.has(e.key.value));
      if (kept.length === entry.value.entries.length) entries.push(entry);
      else if (kept.length) entries.push({ ...entry, value: { ...entry.value, entries: kept } });
      continue;
    }
    if (!replaced.has(key)) {
      entries.push(entry);
      continue;
    }
    const replacement = override.entries.find((e) => e.key.value === key);
    if (!replacement) continue; // replaced by dynamic blocks of the override, placed below
    placed.add(replacement);
    if (key === 'lifecycle' && entry.value.kind === 'map' && replacement.value.kind === 'map')
      entries.push({ ...replacement, value: mergeBody(entry.value, replacement.value) });
    else entries.push(replacement);
  }
  for (const entry of override.entries) if (!placed.has(entry)) entries.push(entry);
  return { ...original, entries };
}

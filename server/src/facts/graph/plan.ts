// Links in a Terraform plan. Resource references are resolved to values in a plan, and the ids
// of resources to be created are unknown, so links come from the plan's configuration
// (`configuration.root_module.resources[].expressions.<attr>.references`, child modules through
// module_calls, addresses relative to the module) and, for resources that exist already, from
// known `id` / `arn` values.

import type { TemplateDocument, Resource } from '../../model/document';
import type { MapNode, Node } from '../../parse/tree';
import { get, items, scalarString } from '../../parse/tree';
import { at, push } from './properties';
import type { Link, Path } from './types';

/** Links in a plan: configuration references and known ids. */
export class PlanIndex {
  private readonly expressionsByAddress = new Map<string, MapNode>();
  private readonly instancesByBase = new Map<string, string[]>();
  private readonly idsByValue = new Map<string, string>();

  constructor(private readonly doc: TemplateDocument) {
    const configuration = get(doc.root, 'configuration');
    this.readModule(get(configuration, 'root_module'), '');
    for (const resource of doc.resources) {
      push(this.instancesByBase, resource.id.replace(/\[[^\]]*\]$/, ''), resource.id);
      for (const key of ['id', 'arn']) {
        const value = scalarString(get(resource.properties, key));
        if (value) this.idsByValue.set(value, resource.id);
      }
    }
  }

  private readModule(module: Node | undefined, prefix: string): void {
    for (const resource of items(get(module, 'resources'))) {
      const address = scalarString(get(resource, 'address'));
      const expressions = get(resource, 'expressions');
      if (address && expressions?.kind === 'map' && scalarString(get(resource, 'mode')) !== 'data')
        this.expressionsByAddress.set(prefix + address, expressions);
    }
    const calls = get(module, 'module_calls');
    if (calls?.kind === 'map')
      for (const call of calls.entries)
        this.readModule(get(call.value, 'module'), `${prefix}module.${call.key.value}.`);
  }

  expressions(resource: Resource): MapNode | undefined {
    return this.expressionsByAddress.get(resource.id.replace(/\[[^\]]*\]/g, ''));
  }

  links(resource: Resource, path: Path, node: Node | undefined, out: Link[]): void {
    const expression = at(this.expressions(resource), path);
    const references = items(get(expression, 'references'))
      .map((n) => scalarString(n))
      .filter((s): s is string => s !== undefined);
    const prefix = modulePrefix(resource.id);
    const specific = new Set<string>();
    for (const reference of references) {
      const m = /^([a-z][a-z0-9_]*\.[A-Za-z0-9_-]+)(\[[^\]]*\])?(?:\.(.+))?$/.exec(reference);
      if (!m || /^(var|local|data|module|each|count|path|self|terraform)\./.test(reference)) continue;
      const base = prefix + m[1]!;
      const attribute = m[3];
      if (m[2]) {
        const id = base + m[2];
        if (this.doc.resourcesById.has(id)) {
          specific.add(base);
          out.push({ id, attribute, node: node ?? resource.keyNode, via: [] });
        }
        continue;
      }
      if (specific.has(base)) continue;
      for (const id of this.instancesByBase.get(base) ?? [])
        out.push({ id, attribute, node: node ?? resource.keyNode, via: [] });
    }
    // Resources that exist already: their ids are known values.
    if (node)
      for (const item of items(node)) {
        const value = scalarString(item);
        const id = value ? this.idsByValue.get(value) : undefined;
        if (id && id !== resource.id) out.push({ id, node: item, via: [] });
      }
  }
}

function modulePrefix(address: string): string {
  const m = /^(.*?)[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?$/.exec(address);
  return m ? m[1]! : '';
}

// Reading property values for the network graph, the same way in every format: possibilities
// through intrinsics and Terraform references (plans: unknown when `after_unknown` says so),
// booleans with the format's default for absent, and links (references to other resources of
// the document). The base of the graph's layers.

import type { Resource, TemplateDocument } from '../../model/document';
import { isUnknownInPlan } from '../../model/document';
import type { MapNode, Node } from '../../parse/tree';
import { items, scalarString, toPlain } from '../../parse/tree';
import type { Possibility, Value, Via } from '../../resolve/values';
import { NO_VALUE, ResourceRef, UNKNOWN, resolve, resolveItems } from '../../resolve/values';
import { PlanIndex } from './plan';
import { at, toBool } from './properties';
import type { Flag, Link, Path } from './types';

export abstract class GraphReader {
  protected readonly plan: PlanIndex | undefined;

  constructor(readonly doc: TemplateDocument) {
    this.plan = doc.format === 'plan' ? new PlanIndex(doc) : undefined;
  }

  /** CFN or TF spelling of a key, by format. */
  protected k(cfn: string, tf: string): string {
    return this.doc.format === 'cfn' ? cfn : tf;
  }

  protected get cfn(): boolean {
    return this.doc.format === 'cfn';
  }

  /** The possible values of a property (plans: unknown when `after_unknown` says so; "" is absent). */
  values(resource: Resource, path: Path): Possibility[] {
    if (this.plan && isUnknownInPlan(resource, path)) {
      // Computed because the configuration does not set it: the provider's default applies.
      const expressions = this.plan.expressions(resource);
      if (expressions && !at(expressions, path)) return [{ value: NO_VALUE, via: [] }];
      return [{ value: UNKNOWN, via: [] }];
    }
    const node = at(resource.properties, path);
    if (!node) return [{ value: NO_VALUE, via: [] }];
    if (this.plan) {
      const plain = toPlain(node) as Value;
      return [{ value: plain === '' || plain === null ? NO_VALUE : plain, via: [] }];
    }
    return resolve(this.doc, node);
  }

  /** The first known string value of a property. */
  string(resource: Resource, path: Path): string | undefined {
    for (const p of this.values(resource, path))
      if (typeof p.value === 'string' || typeof p.value === 'number') return String(p.value);
    return undefined;
  }

  /** A boolean property with a default for absent. */
  flag(resource: Resource, path: Path, absent: boolean | undefined): Flag {
    const node = at(resource.properties, path);
    const possibilities = this.values(resource, path);
    const bools = possibilities.map((p) => (p.value === NO_VALUE ? absent : toBool(p.value)));
    const explicit = possibilities.some((p) => p.value !== NO_VALUE);
    const firstTrue = bools.indexOf(true);
    if (firstTrue >= 0) {
      const via = possibilities[firstTrue]!.via;
      return {
        value: true,
        explicit,
        node,
        via,
        conditional: bools.some((b) => b !== true) || via.some((v) => v.kind !== 'parameter-default'),
      };
    }
    if (bools.length && bools.every((b) => b === false))
      return { value: false, explicit, node, via: possibilities[0]!.via, conditional: false };
    return { value: undefined, explicit, node, via: [], conditional: false };
  }

  /** References written at a property path (list items each keep their own node). */
  links(resource: Resource, path: Path): Link[] {
    const node = at(resource.properties, path);
    const out: Link[] = [];
    if (this.plan) {
      this.plan.links(resource, path, node, out);
      return dedupe(out);
    }
    if (!node) return out;
    for (const item of resolveItems(this.doc, node))
      for (const p of item.possibilities) collectRefs(p.value, item.node, p.via, out);
    return dedupe(out).filter((l) => this.doc.resourcesById.has(l.id));
  }

  firstLink(resource: Resource, path: Path): Link | undefined {
    return this.links(resource, path)[0];
  }

  /**
   * True when every value of a property names something that exists before this document is
   * deployed: a literal id (`vpc-0abc...`), `Fn::ImportValue`, a Terraform data source.
   */
  protected namesExisting(resource: Resource, path: Path): boolean {
    const node = at(resource.properties, path);
    if (!node) return false;
    if (this.plan) return typeof toPlain(node) === 'string' && toPlain(node) !== '';
    if (
      this.cfn &&
      node.kind === 'map' &&
      node.entries.length === 1 &&
      node.entries[0]!.key.value === 'Fn::ImportValue'
    )
      return true;
    const text = scalarString(node);
    if (!this.cfn && text !== undefined && /^\$\{data\.[\w-]+\.[\w-]+\.id\}$/.test(text)) return true;
    const values = this.values(resource, path);
    return values.length > 0 && values.every((p) => typeof p.value === 'string' && p.value !== '');
  }

  /** True when a property is written but none of its values links to a resource in the document. */
  protected unlinked(resource: Resource, path: Path): boolean {
    const node = at(resource.properties, path);
    if (!node) return false;
    return this.links(resource, path).length === 0;
  }

  protected noFlag(): Flag {
    return { value: undefined, explicit: false, node: undefined, via: [], conditional: false };
  }

  /** A flag from arbitrary values (ECS `AssignPublicIp: ENABLED`). */
  protected flagFrom(
    node: Node | undefined,
    possibilities: Possibility[],
    map: (v: string) => boolean | undefined,
  ): Flag {
    if (!node) return { value: false, explicit: false, node, via: [], conditional: false };
    const bools = possibilities.map((p) =>
      typeof p.value === 'string' ? map(p.value) : p.value === NO_VALUE ? false : undefined,
    );
    const i = bools.indexOf(true);
    if (i >= 0) {
      const via = possibilities[i]!.via;
      return {
        value: true,
        explicit: true,
        node,
        via,
        conditional: bools.some((b) => b !== true) || via.some((v) => v.kind !== 'parameter-default'),
      };
    }
    if (bools.every((b) => b === false))
      return { value: false, explicit: true, node, via: [], conditional: false };
    return { value: undefined, explicit: true, node, via: [], conditional: false };
  }

  /** IPv6: a count above zero or a list of addresses. */
  protected countFlag(resource: Resource, countPath: Path, listPath: Path): Flag {
    const countNode = at(resource.properties, countPath);
    if (countNode) {
      const counts = this.values(resource, countPath);
      const known = counts.map((p) =>
        typeof p.value === 'number' || typeof p.value === 'string' ? Number(p.value) : NaN,
      );
      if (known.some((n) => n > 0))
        return { value: true, explicit: true, node: countNode, via: counts[0]!.via, conditional: false };
      if (known.every((n) => n === 0))
        return { value: false, explicit: true, node: countNode, via: [], conditional: false };
      return { value: undefined, explicit: true, node: countNode, via: [], conditional: false };
    }
    const listNode = at(resource.properties, listPath);
    if (listNode && items(listNode).length)
      return { value: true, explicit: true, node: listNode, via: [], conditional: false };
    return this.noFlag();
  }

  /** The configuration `expressions` of a plan resource (undefined elsewhere). */
  planExpressions(resource: Resource): MapNode | undefined {
    return this.plan?.expressions(resource);
  }
}

function collectRefs(value: Value, node: Node, via: Via[], out: Link[]): void {
  if (value instanceof ResourceRef)
    out.push({ id: value.id, attribute: value.attribute || undefined, node, via });
  else if (Array.isArray(value)) for (const v of value) collectRefs(v, node, via, out);
}

function dedupe(links: Link[]): Link[] {
  const seen = new Set<string>();
  return links.filter((l) => {
    const key = `${l.id}\u0000${l.node.start}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// Terraform `dynamic` blocks, expanded the way Terraform expands them, so rules read the
// nested blocks they produce like any other:
//
//   dynamic "ingress" {                        ingress { from_port = 22,  cidr_blocks = ["0.0.0.0/0"] }
//     for_each = var.rules              ->      ingress { from_port = 443, cidr_blocks = ["0.0.0.0/0"] }
//     content { from_port = ingress.value.port, cidr_blocks = [ingress.value.cidr] }
//   }
//
// Each element gets its own copy of `content`, in which `<iterator>.value...` is replaced by
// the element's own node when the element is written out (a literal list or map, a variable's
// default or tfvars value, a local): a finding then lands on the element that carries the bad
// value. Otherwise the reference is bound to the element (`bound` expression) for the resolver.
// A `for_each` that cannot be resolved gives one block whose iterator values are unknown: never
// "no block", so no rule concludes from an unexpanded block that something is absent.
//
// The written nodes are never changed (they are reused between versions): the expansion builds
// new maps and lists for `resource.properties`; `resource.node` stays the written body (fixes).

import type { Entry, Expression, MapNode, Node, SeqNode, Span } from '../parse/tree';
import { get, items } from '../parse/tree';
import type { ModuleScope, Resource, TemplateDocument } from './document';

const MAX_ELEMENTS = 256;
const MAX_DEPTH = 16;

export interface Element {
  key: string | number;
  /** The node the element is written at, when it is written out. */
  value: Node;
  /** Where the key is written: a map's key, a set element (its own key). */
  keyNode?: Node;
  /**
   * Written where no finding can be shown (a .tfvars file): `<iterator>.value` and `.key` stay at
   * their use, bound to the element, instead of becoming the element's nodes.
   */
  detached?: boolean;
  /** Collects the uses bound to the element (their spans), when given. */
  uses?: Span[];
}

/** True when the node lies in a .tfvars file of the module (unit/module.ts), where nothing is reported. */
export function inTfvars(doc: TemplateDocument, node: Node): boolean {
  if (node.start <= doc.text.length) return false;
  const file = doc.siblings?.find((s) => node.start >= s.base && node.start <= s.base + s.text.length);
  return !!file && /\.tfvars(\.json)?$/i.test(file.uri);
}

/** Replaces each Terraform resource's properties by their expansion, when they hold `dynamic` blocks. */
export function expandDynamicBlocks(doc: TemplateDocument): void {
  if (doc.format !== 'tf') return;
  for (const resource of doc.resources) {
    const written = writtenBody(resource);
    if (!written || !hasDynamic(written, 0)) continue;
    resource.properties = expandBody(doc, written, 0);
  }
}

/** The body as written (before an earlier expansion of the same model). */
function writtenBody(resource: Resource): MapNode | undefined {
  return resource.node.kind === 'map' ? resource.node : resource.properties;
}

function hasDynamic(body: MapNode, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  for (const entry of body.entries) {
    if (entry.key.value === 'dynamic') return true;
    for (const nested of items(entry.value))
      if (nested.kind === 'map' && nested.style === 'hcl-block' && hasDynamic(nested, depth + 1)) return true;
  }
  return false;
}

function expandBody(doc: TemplateDocument, body: MapNode, depth: number): MapNode {
  const out: MapNode = { ...body, entries: [] };
  const byType = new Map<string, Entry>();
  for (const entry of body.entries) {
    if (entry.key.value !== 'dynamic') {
      const value = expandNested(doc, entry.value, depth);
      const copy = value === entry.value ? entry : { ...entry, value };
      out.entries.push(copy);
      byType.set(entry.key.value, copy);
      continue;
    }
    if (entry.value.kind !== 'map') continue;
    for (const labelEntry of entry.value.entries) {
      for (const dynamicBody of items(labelEntry.value)) {
        if (dynamicBody.kind !== 'map') continue;
        const blocks = expandDynamic(doc, labelEntry.key.value, dynamicBody, depth);
        const existing = byType.get(labelEntry.key.value);
        if (existing) {
          const before = existing.value.kind === 'seq' ? existing.value.items : [existing.value];
          existing.value = seqOf([...before, ...blocks], existing.value);
        } else {
          const added: Entry = { ...labelEntry, key: labelEntry.key, value: seqOf(blocks, dynamicBody) };
          out.entries.push(added);
          byType.set(labelEntry.key.value, added);
        }
      }
    }
  }
  return out;
}

function expandNested(doc: TemplateDocument, value: Node, depth: number): Node {
  if (depth > MAX_DEPTH) return value;
  if (value.kind === 'map' && value.style === 'hcl-block' && hasDynamic(value, 0))
    return expandBody(doc, value, depth + 1);
  if (
    value.kind === 'seq' &&
    value.style === 'hcl-blocks' &&
    value.items.some((i) => i.kind === 'map' && hasDynamic(i, 0))
  )
    return {
      ...value,
      items: value.items.map((i) => (i.kind === 'map' ? expandBody(doc, i, depth + 1) : i)),
    };
  return value;
}

function seqOf(blocks: Node[], around: Node): SeqNode {
  return { kind: 'seq', style: 'hcl-blocks', items: blocks, start: around.start, end: around.end };
}

function expandDynamic(doc: TemplateDocument, label: string, body: MapNode, depth: number): Node[] {
  const content = get(body, 'content');
  if (content?.kind !== 'map') return [];
  const iteratorNode = get(body, 'iterator');
  // `iterator = port` (HCL) or `"iterator": "port"` (JSON); the block's label otherwise.
  const iterator =
    iteratorNode?.kind !== 'scalar'
      ? label
      : iteratorNode.expr?.type === 'traversal'
        ? iteratorNode.expr.root
        : typeof iteratorNode.value === 'string'
          ? iteratorNode.value.replace(/^\$\{(.*)\}$/, '$1').trim()
          : label;
  const elements = collectionElements(doc, get(body, 'for_each'), 0);
  const bodies = elements
    ? elements
        .slice(0, MAX_ELEMENTS)
        .map(
          (element) =>
            bind(content, iterator, { ...element, detached: inTfvars(doc, element.value) }) as MapNode,
        )
    : [bind(content, iterator, undefined) as MapNode];
  return bodies.map((b) => (hasDynamic(b, 0) ? expandBody(doc, b, depth + 1) : b));
}

/** The elements of a `for_each` value, each at its node; undefined when they are not written out. */
export function collectionElements(
  doc: TemplateDocument,
  node: Node | undefined,
  depth: number,
): Element[] | undefined {
  if (!node || depth > MAX_DEPTH) return undefined;
  if (node.kind === 'seq') return node.items.map((value, key) => ({ key, value }));
  if (node.kind === 'map')
    return node.entries.map((e) => ({ key: e.key.value, value: e.value, keyNode: e.key }));
  const expr = node.expr ?? jsonReference(node, 'var') ?? jsonReference(node, 'local');
  if (!expr) return undefined;
  if (expr.type === 'call' && ['tolist', 'toset', 'tomap'].includes(expr.name))
    return collectionElements(doc, expr.args[0], depth + 1);
  if (expr.type !== 'traversal') return undefined;
  const [name, ...rest] = expr.steps;
  if (typeof name !== 'string') return undefined;
  let base: Node | undefined;
  // Inside a local module, `var.` and `local.` are the module's own (unit/module.ts).
  const scope = scopeAt(doc, node.start);
  if (expr.root === 'var') {
    const parameter = (scope?.parameters ?? doc.parameters).get(name);
    base = parameter?.input?.node ?? parameter?.tfvars?.node ?? parameter?.default;
  } else if (expr.root === 'local') base = (scope?.locals ?? doc.locals).get(name);
  const target = base && follow(base, rest);
  return target ? collectionElements(doc, target, depth + 1) : undefined;
}

function scopeAt(doc: TemplateDocument, offset: number): ModuleScope | undefined {
  let found: ModuleScope | undefined;
  for (const s of doc.scopes ?? []) if (offset >= s.start && offset < s.end) found = s;
  return found;
}

/** Follows literal attribute and index steps through written maps and lists. */
function follow(node: Node, steps: (string | number | Node)[]): Node | undefined {
  let current: Node | undefined = node;
  for (const step of steps) {
    if (!current) return undefined;
    if (typeof step === 'string') current = current.kind === 'map' ? get(current, step) : undefined;
    else if (typeof step === 'number') current = current.kind === 'seq' ? current.items[step] : undefined;
    else return undefined;
  }
  return current;
}

/** A copy of `node` in which `<iterator>.key` / `<iterator>.value...` stand for one element. */
export function bind(node: Node, iterator: string, element: Element | undefined): Node {
  if (node.kind === 'map')
    return { ...node, entries: node.entries.map((e) => ({ ...e, value: bind(e.value, iterator, element) })) };
  if (node.kind === 'seq') return { ...node, items: node.items.map((i) => bind(i, iterator, element)) };
  const expr = node.expr ?? jsonReference(node, iterator);
  if (!expr || !mentions(expr, iterator)) return node;
  if (expr.type === 'traversal' && expr.root === iterator) {
    const [which, ...rest] = expr.steps;
    if (!element) return { ...node, expr: { type: 'other' } };
    if (which === 'key') {
      if (element.keyNode && !element.detached) return element.keyNode;
      element.uses?.push({ start: node.start, end: node.end });
      return { kind: 'scalar', value: element.key, style: 'plain', start: node.start, end: node.end };
    }
    if (which !== 'value') return { ...node, expr: { type: 'other' } };
    const written = element.detached ? undefined : follow(element.value, rest);
    if (written) return written;
    element.uses?.push({ start: node.start, end: node.end });
    return { ...node, expr: { type: 'bound', node: element.value, steps: rest } };
  }
  return { ...node, expr: bindExpression(expr, iterator, element) };
}

/** Terraform JSON: a string that is exactly `${<root>.a.b}` (`${each.value.port}`, `${var.rules}`). */
function jsonReference(node: Node, iterator: string): Expression | undefined {
  if (node.kind !== 'scalar' || typeof node.value !== 'string' || !node.value.startsWith('${'))
    return undefined;
  const m = /^\$\{\s*([A-Za-z_][A-Za-z0-9_-]*)((?:\.[A-Za-z_][A-Za-z0-9_-]*)+)\s*\}$/.exec(node.value);
  if (!m || m[1] !== iterator) return undefined;
  return { type: 'traversal', root: iterator, steps: m[2]!.slice(1).split('.') };
}

function bindExpression(expr: Expression, iterator: string, element: Element | undefined): Expression {
  const b = (n: Node): Node => bind(n, iterator, element);
  switch (expr.type) {
    case 'traversal':
      return { ...expr, steps: expr.steps.map((s) => (typeof s === 'object' ? b(s) : s)) };
    case 'bound':
      return {
        ...expr,
        node: b(expr.node),
        steps: expr.steps.map((s) => (typeof s === 'object' ? b(s) : s)),
      };
    case 'call':
      return { ...expr, args: expr.args.map(b) };
    case 'conditional':
      return { ...expr, condition: b(expr.condition), then: b(expr.then), else: b(expr.else) };
    case 'template':
      return { ...expr, parts: expr.parts.map((p) => (typeof p === 'string' ? p : b(p))) };
    case 'other':
      return expr;
  }
}

function mentions(expr: Expression, iterator: string): boolean {
  const stack: Expression[] = [expr];
  const nodes: Node[] = [];
  while (stack.length || nodes.length) {
    const e = stack.pop();
    if (e) {
      if (e.type === 'traversal' && e.root === iterator) return true;
      if (e.type === 'traversal' || e.type === 'bound')
        for (const s of e.steps) if (typeof s === 'object') nodes.push(s);
      if (e.type === 'bound') nodes.push(e.node);
      if (e.type === 'call') nodes.push(...e.args);
      if (e.type === 'conditional') nodes.push(e.condition, e.then, e.else);
      if (e.type === 'template') for (const p of e.parts) if (typeof p !== 'string') nodes.push(p);
      continue;
    }
    const n = nodes.pop()!;
    if (n.kind === 'scalar' && n.expr) stack.push(n.expr);
    else if (n.kind === 'map') for (const entry of n.entries) nodes.push(entry.value);
    else if (n.kind === 'seq') nodes.push(...n.items);
  }
  return false;
}

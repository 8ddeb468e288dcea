// `Fn::ForEach` (the AWS::LanguageExtensions transform) in `Resources`, expanded without running
// the transform: one resource per element of the collection and per output key of the fragment,
// with `${Identifier}` / `&{Identifier}` replaced in the output key, `Ref: Identifier` replaced by
// the element and `${Identifier}` replaced inside `Fn::Sub`. The copies share every node the
// identifier does not touch with the fragment the user wrote (fixes edit the fragment), and a
// replaced `Ref` takes the range of the collection element that produced it (findings and fixes
// land on that element), or stays on the `Ref` when the element comes from a parameter.
//
// Linear: each copy costs the nodes on the paths to the replaced values; copies are capped.

import type { Entry, MapNode, Node, ScalarNode } from '../parse/tree';
import { get, items, scalarString } from '../parse/tree';
import type { Resource, TemplateDocument } from './document';

const PREFIX = 'Fn::ForEach::';
/** At most this many resources come out of loops in one document (nested loops multiply). */
const MAX_EXPANDED = 500;

interface Element {
  value: string;
  /** The literal collection element, or undefined when the value comes from a parameter. */
  node: ScalarNode | undefined;
}

type Bindings = Map<string, Element>;

export function hasLanguageExtensions(root: Node | undefined): boolean {
  const transform = get(root, 'Transform');
  const names = transform?.kind === 'seq' ? transform.items : transform ? [transform] : [];
  return names.some((n) => scalarString(n) === 'AWS::LanguageExtensions');
}

/** Resources produced by the `Fn::ForEach::*` entries of `Resources`, appended to doc.resources. */
export function expandForEach(
  doc: TemplateDocument,
  makeResource: (id: string, key: ScalarNode, node: MapNode) => Resource | undefined,
): void {
  const resources = get(doc.root, 'Resources');
  if (resources?.kind !== 'map' || !hasLanguageExtensions(doc.root)) return;
  const budget = { left: MAX_EXPANDED };
  for (const entry of resources.entries)
    if (entry.key.value.startsWith(PREFIX)) expandLoop(doc, entry, new Map(), budget, makeResource);
}

function expandLoop(
  doc: TemplateDocument,
  loop: Entry,
  outer: Bindings,
  budget: { left: number },
  makeResource: (id: string, key: ScalarNode, node: MapNode) => Resource | undefined,
): void {
  const [identifierNode, collectionNode, fragment] = items(loop.value);
  const identifier = scalarString(identifierNode);
  if (!identifier || !collectionNode || fragment?.kind !== 'map') return;
  const elements = collection(doc, substitute(collectionNode, outer));
  const literal = elements.map((e) => e.node).filter((n): n is ScalarNode => n !== undefined);
  for (const element of elements) {
    const bindings: Bindings = new Map(outer);
    bindings.set(identifier, element);
    for (const output of fragment.entries) {
      if (output.key.value.startsWith(PREFIX)) {
        expandLoop(doc, output, bindings, budget, makeResource);
        continue;
      }
      if (budget.left <= 0) return;
      const body = substitute(output.value, bindings);
      if (body.kind !== 'map') continue;
      const resource = makeResource(substituteText(output.key.value, bindings, true), output.key, body);
      if (resource) {
        resource.loop = { key: loop.key, elements: literal };
        budget.left--;
        doc.resources.push(resource);
      }
    }
  }
}

/**
 * `Fn::ForEach::*` entries inside a resource's properties (at any depth), expanded: each output
 * key (with `${Id}` / `&{Id}` replaced) becomes a key of the enclosing map, next to the keys
 * written there (the loop entry itself stays, for the fix writer), with its value substituted like a resource fragment's. A loop can only
 * produce keys of a map, never items of a list (CloudFormation merges its output into the
 * enclosing object). Returns the node itself when it holds no loop; otherwise a copy that shares
 * every unchanged subtree. Linear in the size of the properties.
 */
export function expandPropertyLoops(doc: TemplateDocument, node: MapNode): MapNode {
  const budget = { left: MAX_EXPANDED };
  const out = expandLoopsIn(doc, node, new Map(), budget);
  return out.kind === 'map' ? out : node;
}

function expandLoopsIn(
  doc: TemplateDocument,
  node: Node,
  bindings: Bindings,
  budget: { left: number },
): Node {
  if (node.kind === 'scalar') return node;
  if (node.kind === 'seq') {
    let changed = false;
    const next = node.items.map((item) => {
      const n = expandLoopsIn(doc, item, bindings, budget);
      if (n !== item) changed = true;
      return n;
    });
    return changed ? { ...node, items: next } : node;
  }
  let changed = false;
  // The entries as written (loop entries included, which no rule reads) keep their places, and
  // the loops' outputs come after the first one: the fix writer takes a new key's indentation
  // from the first entry and inserts it after the last, which must both be the user's own, not
  // entries inside a loop's fragment.
  const generated: Entry[] = [];
  const written: Entry[] = [];
  for (const entry of node.entries) {
    if (entry.key.value.startsWith(PREFIX)) {
      changed = true;
      generated.push(...propertyLoop(doc, entry, bindings, budget));
      written.push(entry);
      continue;
    }
    const value = expandLoopsIn(doc, entry.value, bindings, budget);
    if (value !== entry.value) changed = true;
    written.push(value === entry.value ? entry : { ...entry, value });
  }
  if (!changed) return node;
  return { ...node, entries: [written[0]!, ...generated, ...written.slice(1)] };
}

/** The entries one property loop produces (nested loops in its fragment included). */
function propertyLoop(
  doc: TemplateDocument,
  loop: Entry,
  outer: Bindings,
  budget: { left: number },
): Entry[] {
  const [identifierNode, collectionNode, fragment] = items(loop.value);
  const identifier = scalarString(identifierNode);
  if (!identifier || !collectionNode || fragment?.kind !== 'map') return [];
  const out: Entry[] = [];
  for (const element of collection(doc, substitute(collectionNode, outer))) {
    const bindings: Bindings = new Map(outer);
    bindings.set(identifier, element);
    for (const output of fragment.entries) {
      if (output.key.value.startsWith(PREFIX)) {
        out.push(...propertyLoop(doc, output, bindings, budget));
        continue;
      }
      if (budget.left-- <= 0) return out;
      const value = expandLoopsIn(doc, substitute(output.value, bindings), bindings, budget);
      const key = { ...output.key, value: substituteText(output.key.value, bindings, true) };
      out.push({ ...output, key, value });
    }
  }
  return out;
}

/** The elements of a collection: a literal list, or a list parameter's default. */
function collection(doc: TemplateDocument, node: Node): Element[] {
  if (node.kind === 'seq') {
    const out: Element[] = [];
    for (const item of node.items) {
      if (item.kind !== 'scalar' || item.value === null) continue;
      out.push({ value: String(item.value), node: item });
    }
    return out;
  }
  const ref = node.kind === 'map' && node.entries.length === 1 ? node.entries[0] : undefined;
  if (ref?.key.value !== 'Ref') return [];
  const parameter = doc.parameters.get(scalarString(ref.value) ?? '');
  const fallback = parameter?.default;
  if (!fallback) return [];
  const values =
    fallback.kind === 'seq'
      ? fallback.items.map((i) => scalarString(i)).filter((v): v is string => v !== undefined)
      : (scalarString(fallback) ?? '').split(',').map((v) => v.trim());
  return values.filter((v) => v !== '').map((value) => ({ value, node: undefined }));
}

/** `${Id}` (and in output keys `&{Id}`, the value without non-alphanumeric characters) replaced. */
function substituteText(text: string, bindings: Bindings, key: boolean): string {
  if (!text.includes('{')) return text;
  return text.replace(/([$&])\{([^}!]+)\}/g, (all, sigil: string, name: string) => {
    const element = bindings.get(name.trim());
    if (!element) return all;
    if (sigil === '&') return key ? element.value.replace(/[^A-Za-z0-9]/g, '') : all;
    return element.value;
  });
}

/** The node with the bindings applied; unchanged subtrees are shared, not copied. */
function substitute(node: Node, bindings: Bindings): Node {
  if (bindings.size === 0 || node.kind === 'scalar') return node;
  if (node.kind === 'seq') {
    let changed = false;
    const next = node.items.map((item) => {
      const n = substitute(item, bindings);
      if (n !== item) changed = true;
      return n;
    });
    return changed ? { ...node, items: next } : node;
  }
  if (node.entries.length === 1) {
    const only = node.entries[0]!;
    if (only.key.value === 'Ref') {
      const element = bindings.get(scalarString(only.value) ?? '');
      if (element) return boundScalar(element, node);
    }
    if (only.key.value === 'Fn::Sub') return substituteSub(node, only, bindings);
  }
  let changed = false;
  const entries = node.entries.map((entry) => {
    const value = substitute(entry.value, bindings);
    if (value === entry.value) return entry;
    changed = true;
    return { ...entry, value };
  });
  return changed ? { ...node, entries } : node;
}

/** The element's value where `Ref: Identifier` was: at the literal element, else at the Ref. */
function boundScalar(element: Element, ref: Node): ScalarNode {
  const at = element.node ?? ref;
  return {
    kind: 'scalar',
    value: element.node ? element.node.value : element.value,
    style: element.node ? element.node.style : 'plain',
    start: at.start,
    end: at.end,
  };
}

function substituteSub(node: MapNode, sub: Entry, bindings: Bindings): Node {
  const template = sub.value.kind === 'seq' ? sub.value.items[0] : sub.value;
  if (template?.kind !== 'scalar' || typeof template.value !== 'string') return node;
  const text = substituteText(template.value, bindings, false);
  if (text === template.value) return node;
  const replaced: ScalarNode = { ...template, value: text };
  const value: Node =
    sub.value.kind === 'seq' ? { ...sub.value, items: [replaced, ...sub.value.items.slice(1)] } : replaced;
  return { ...node, entries: [{ ...sub, value }] };
}

// Terraform resource-level `for_each`, expanded the way Terraform expands it, so rules read each
// instance with its own `each.key` / `each.value`:
//
//   resource "aws_security_group_rule" "admin" {      aws_security_group_rule.admin["ssh"]: from_port = 22
//     for_each  = { ssh = 22, rdp = 3389 }      ->    aws_security_group_rule.admin["rdp"]: from_port = 3389
//     from_port = each.value
//   }
//
// The collection must be written out where the analysis can read it: a literal map or set
// (`toset([...])`, `tomap({...})`), a variable's default, tfvars value or module argument, a
// local (model/terraformDynamic.ts `collectionElements`). Then each element gets its own copy of
// the body in which `each.value...` is the element's own node (a finding lands on the element
// that carries the bad value) and `each.key` its key. Anything else (a data source, a resource
// attribute, a `for` expression) leaves one resource whose `each.*` are unknown, as before.
// A set's elements must be strings (Terraform's rule); a collection of more than MAX_INSTANCES
// elements gives its first MAX_INSTANCES instances. `count` instances stay one resource.
//
// Instances keep the written address as `id` (references, the graph and suppressions see the
// resource Terraform users write) and carry `instance` (key, `aws_x.y["key"]`, the written
// resource); unit/module.ts names the instance in each finding on it. The expansion can run again
// on the same model (after the module's other files are read): it starts from the written
// resources.

import type { Node, Span } from '../parse/tree';
import { get, scalarString } from '../parse/tree';
import type { ModuleScope, Resource, TemplateDocument } from './document';
import { bind, collectionElements, expandDynamicBlocks, inTfvars, type Element } from './terraformDynamic';

/** Instances made from one resource at most. */
export const MAX_INSTANCES = 256;

/** Expands resource-level `for_each`, then `dynamic` blocks, of a Terraform model. */
export function expandTerraform(doc: TemplateDocument): void {
  if (doc.format !== 'tf') return;
  expandForEach(doc);
  expandDynamicBlocks(doc);
}

function expandForEach(doc: TemplateDocument): void {
  if (!doc.resources.some((r) => r.instance || get(r.node, 'for_each'))) return;
  const out: Resource[] = [];
  const done = new Set<Resource>();
  for (const resource of doc.resources) {
    const written = resource.instance?.written ?? resource;
    if (done.has(written)) continue;
    done.add(written);
    const instances = instancesOf(doc, written);
    out.push(...instances);
    if (doc.resourcesById.get(written.id) === resource || doc.resourcesById.get(written.id) === written)
      doc.resourcesById.set(written.id, instances[0]!);
  }
  doc.resources = out;
}

function instancesOf(doc: TemplateDocument, written: Resource): Resource[] {
  const forEach = get(written.node, 'for_each');
  if (!forEach) return [written];
  const elements = collectionElements(doc, forEach, 0);
  const keyed = elements && keysOf(forEach, elements);
  if (!keyed?.length) return [written];
  const source = collectionSource(doc, forEach, 0);
  return keyed.slice(0, MAX_INSTANCES).map(({ key, element }, index) => {
    const uses: Span[] = [];
    const detached = inTfvars(doc, element.value);
    const body = bind(written.node, 'each', { ...element, detached, uses }) as typeof written.node;
    const address = `${written.id}[${JSON.stringify(key)}]`;
    const instance: Resource = {
      ...written,
      node: body,
      properties: body,
      instance: source ? { key, address, written, source: { ...source, uses } } : { key, address, written },
      // As for Fn::ForEach copies: no fix removes the resource (that would remove every instance).
      loop: { key: written.keyNode, elements: [] },
    };
    if (index > 0) instance.origin = written;
    return instance;
  });
}

/**
 * Each element with its instance key: a map's keys; a set's (or list's) string values, which
 * are the keys Terraform gives a set's instances. Undefined when a key is not a known string.
 */
function keysOf(
  forEach: Node,
  elements: Element[],
): { key: string; element: Element & { key: string } }[] | undefined {
  const out: { key: string; element: Element & { key: string } }[] = [];
  const isMap = elements.some((e) => typeof e.key === 'string') || isMapNode(forEach);
  for (const element of elements) {
    const key =
      isMap && typeof element.key === 'string'
        ? element.key
        : element.value.kind === 'scalar' && !element.value.expr
          ? scalarString(element.value)
          : undefined;
    if (key === undefined) return undefined;
    // A set element is its own key: `each.key` lands on it as `each.value` does.
    out.push({ key, element: { key, value: element.value, keyNode: element.keyNode ?? element.value } });
  }
  return out;
}

/**
 * Where a `for_each` collection's value comes from when it is not written in place: a
 * variable's default, its value in a .tfvars file, or a module argument (as resolve/values.ts
 * says it for `var.x`).
 */
function collectionSource(
  doc: TemplateDocument,
  node: Node,
  depth: number,
): NonNullable<Resource['instance']>['source'] {
  if (node.kind !== 'scalar' || depth > 8) return undefined;
  const expr =
    node.expr ??
    (typeof node.value === 'string' && /^\$\{\s*var\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}$/.test(node.value)
      ? { type: 'traversal' as const, root: 'var', steps: [node.value.replace(/^\$\{\s*var\.|\s*\}$/g, '')] }
      : undefined);
  if (expr?.type === 'call' && ['tolist', 'toset', 'tomap'].includes(expr.name) && expr.args[0])
    return collectionSource(doc, expr.args[0], depth + 1);
  if (expr?.type !== 'traversal' || expr.root !== 'var' || typeof expr.steps[0] !== 'string')
    return undefined;
  const name = expr.steps[0];
  let scope: ModuleScope | undefined;
  for (const s of doc.scopes ?? []) if (node.start >= s.start && node.start < s.end) scope = s;
  const parameter = (scope?.parameters ?? doc.parameters).get(name);
  if (parameter?.input)
    return {
      text: `the value passed to module ${parameter.input.module} as ${name}`,
      span: parameter.input.node,
      message: `Value passed to module ${parameter.input.module} as ${name}`,
    };
  if (parameter?.tfvars)
    return {
      text: `the value of ${name} in ${parameter.tfvars.file}`,
      span: parameter.tfvars.node,
      message: `Value of ${name} in ${parameter.tfvars.file}`,
    };
  if (parameter?.default)
    return { text: `the default of ${name}`, span: parameter.default, message: `Default of ${name}` };
  return undefined;
}

function isMapNode(node: Node): boolean {
  return node.kind === 'map';
}

// The format-neutral view of a document: resources with their properties, parameters
// (CloudFormation Parameters / Terraform variables), mappings, conditions. Built once per
// document version from the syntax tree. Rules never look at YAML or JSON text.

import type { Format, Syntax } from '../parse/detect';
import type { MapNode, Node, ScalarNode, Span, SyntaxProblem } from '../parse/tree';
import { get, items, scalarString } from '../parse/tree';
import { expandCloudFormation, resourceCondition } from './cfn';
import { hasLanguageExtensions } from './forEach';
import { LineIndex } from './lines';
import { applyPlanConfiguration } from './planConfiguration';
import { expandTerraform } from './terraformForEach';

export interface Resource {
  /** CloudFormation logical id, or Terraform address (`aws_security_group.web`, `module.x.aws_instance.a`). */
  id: string;
  /** `AWS::EC2::SecurityGroup` or `aws_security_group`. */
  type: string;
  /** Where to report a problem with an absent property: the logical id / name key. */
  keyNode: ScalarNode;
  /** The resource definition (CFN: the map with Type/Properties; TF: the block body; plan: the resource object). */
  node: MapNode;
  /** CFN `Properties`, TF block body, plan `values`. Undefined when absent. */
  properties: MapNode | undefined;
  /** CFN `Metadata` (suppressions live here). */
  metadata?: Node;
  /** Plans: the `after_unknown` tree of the matching resource change; attributes set there are unknown, not absent. */
  unknown?: Node;
  /** Terraform: the resource's type and name. */
  tfName?: string;
  /** CFN resource `Condition:`: the resource exists only where this condition is true. */
  condition?: { name: string; node: ScalarNode };
  /**
   * Set on resources the model derives from what the user wrote (a SAM resource's generated
   * resources, `Fn::ForEach` copies): the resource as written. Derived resources keep the written
   * resource's id, and their nodes are the user's own nodes, so findings and fixes land there.
   */
  origin?: Resource;
  /** Set on resources expanded from `Fn::ForEach`: the loop's key and its literal collection elements. */
  loop?: { key: ScalarNode; elements: ScalarNode[] };
  /**
   * Terraform: one instance of a resource whose `for_each` resolves (model/terraformForEach.ts):
   * its key, its address (`aws_x.y["ssh"]`) and the resource as written. Instances keep the
   * written address as `id`, like `count` instances; all but the first set `origin`.
   */
  instance?: {
    key: string;
    address: string;
    written: Resource;
    /** Where the collection's value comes from, when not written in place ("the default of x"). */
    source?: { text: string; span: Span; message: string; uses?: Span[] };
  };
}

export interface Parameter {
  name: string;
  keyNode: ScalarNode;
  node: Node;
  default: Node | undefined;
  allowedValues: Node[];
  /**
   * Terraform: the value a `.tfvars` file of the module gives the variable (it wins over the
   * default), and which file that is.
   */
  tfvars?: { node: Node; file: string };
  /** Terraform: the argument a `module` block passes for this variable of the module it calls. */
  input?: { node: Node; module: string };
}

/**
 * Terraform: a local module called from this module (unit/module.ts). Its nodes lie in
 * [start, end); inside, `var.` and `local.` mean the module's own, and resource references get
 * `prefix` (`module.sg.`), as Terraform addresses them.
 */
export interface ModuleScope {
  name: string;
  prefix: string;
  start: number;
  end: number;
  parameters: Map<string, Parameter>;
  locals: Map<string, Node>;
}

export interface TemplateDocument {
  uri: string;
  text: string;
  format: Format;
  syntax: Syntax;
  root: Node | undefined;
  problems: SyntaxProblem[];
  lines: LineIndex;
  resources: Resource[];
  resourcesById: Map<string, Resource>;
  /** CFN Parameters or TF variables. */
  parameters: Map<string, Parameter>;
  /** CFN Mappings. */
  mappings: Node | undefined;
  /** CFN Conditions by name. */
  conditions: Map<string, Node>;
  /** TF locals by name. */
  locals: Map<string, Node>;
  /** TF data sources by address without `data.` (`aws_iam_policy_document.read`): their bodies. */
  data: Map<string, MapNode>;
  /**
   * Terraform: the other files of the module folder, read with this one (unit/module.ts). Their
   * nodes sit at `base` and beyond, past this document's text, so nothing here confuses them
   * with this file's offsets; findings are reported in this file only.
   */
  siblings?: SiblingFile[];
  /** Terraform: local modules read with this one, sorted by `start`. */
  scopes?: ModuleScope[];
}

export interface SiblingFile {
  uri: string;
  /** Offset of the file's first character in the node offsets of the module. */
  base: number;
  text: string;
  lines: LineIndex;
}

export function buildModel(args: {
  uri: string;
  text: string;
  format: Format;
  syntax: Syntax;
  root: Node | undefined;
  problems: SyntaxProblem[];
}): TemplateDocument {
  const doc: TemplateDocument = {
    ...args,
    lines: new LineIndex(args.text),
    resources: [],
    resourcesById: new Map(),
    parameters: new Map(),
    mappings: undefined,
    conditions: new Map(),
    locals: new Map(),
    data: new Map(),
  };
  switch (args.format) {
    case 'cfn':
      readCloudFormation(doc);
      break;
    case 'tf':
      readTerraform(doc);
      expandTerraform(doc);
      break;
    case 'plan':
      readPlan(doc);
      break;
    case 'iam':
      break;
  }
  // No AWS or Terraform type is named like a property of Object.prototype (`__proto__`,
  // `constructor`, ...); dropping such resources keeps `TABLE[resource.type]` lookups on plain
  // objects safe everywhere above.
  // (A new list only when there is one: this runs on every keystroke.)
  const unsafe = (r: Resource): boolean => Object.prototype.hasOwnProperty.call(Object.prototype, r.type);
  if (doc.resources.some(unsafe)) doc.resources = doc.resources.filter((r) => !unsafe(r));
  for (const resource of doc.resources)
    if (!doc.resourcesById.has(resource.id)) doc.resourcesById.set(resource.id, resource);
  return doc;
}

/**
 * Each written CloudFormation resource's model, by its node. The parser keeps the nodes of a
 * resource an edit did not change (and moves them), so the next version takes the same object
 * instead of building thousands again on every keystroke, and incremental analysis finds the very
 * object it kept facts for. A resource is a function of its own nodes, which never change in place,
 * so the object is the same whatever version reads it; where the model rewrites properties
 * (`AWS::LanguageExtensions`: loops inside properties) every resource is built anew.
 */
const writtenResources = new WeakMap<MapNode, Resource>();

function readCloudFormation(doc: TemplateDocument): void {
  const root = doc.root;
  const resources = get(root, 'Resources');
  if (resources?.kind === 'map') {
    const reuse = !hasLanguageExtensions(root);
    for (const entry of resources.entries) {
      const node = entry.value;
      if (node.kind !== 'map') continue;
      const known = reuse ? writtenResources.get(node) : undefined;
      if (known && known.keyNode === entry.key) {
        doc.resources.push(known);
        continue;
      }
      // One pass over the resource's keys (first of each, as `get`): thousands of resources are
      // read on every keystroke of a large template.
      let typeNode: Node | undefined;
      let properties: Node | undefined;
      let metadata: Node | undefined;
      let hasCondition = false;
      for (const e of node.entries) {
        const key = e.key.value;
        if (key === 'Type') typeNode ??= e.value;
        else if (key === 'Properties') properties ??= e.value;
        else if (key === 'Metadata') metadata ??= e.value;
        else if (key === 'Condition') hasCondition = true;
      }
      const type = scalarString(typeNode);
      if (!type) continue;
      const resource: Resource = {
        id: entry.key.value,
        type,
        keyNode: entry.key,
        node,
        properties: properties?.kind === 'map' ? properties : undefined,
        metadata,
        condition: hasCondition ? resourceCondition(node) : undefined,
      };
      if (reuse) writtenResources.set(node, resource);
      doc.resources.push(resource);
    }
  }
  const parameters = get(root, 'Parameters');
  if (parameters?.kind === 'map') {
    for (const entry of parameters.entries) {
      doc.parameters.set(entry.key.value, {
        name: entry.key.value,
        keyNode: entry.key,
        node: entry.value,
        default: get(entry.value, 'Default'),
        allowedValues: items(get(entry.value, 'AllowedValues')),
      });
    }
  }
  doc.mappings = get(root, 'Mappings');
  const conditions = get(root, 'Conditions');
  if (conditions?.kind === 'map')
    for (const e of conditions.entries) doc.conditions.set(e.key.value, e.value);
  expandCloudFormation(doc);
}

/** Terraform JSON allows a block to be an object or a list of objects; this flattens both. */
function blocks(node: Node | undefined): MapNode[] {
  return items(node).filter((n): n is MapNode => n.kind === 'map');
}

/**
 * The values of every top-level entry named `key`: Terraform JSON has one (`"resource": {...}`,
 * or a list of such objects), HCL one per block (`resource "a" "b" {}` each).
 */
function sections(root: Node | undefined, key: string): MapNode[] {
  const out: MapNode[] = [];
  for (const r of blocks(root))
    for (const entry of r.entries) if (entry.key.value === key) out.push(...blocks(entry.value));
  return out;
}

function readTerraform(doc: TemplateDocument): void {
  readTerraformRoot(doc, doc.root);
}

/**
 * Adds the resources, variables and locals of a Terraform root (this file, or a sibling file of
 * the module: unit/module.ts) to the model. The first definition of a name wins.
 */
export function readTerraformRoot(doc: TemplateDocument, root: Node | undefined): void {
  for (const resourceBlock of sections(root, 'resource')) {
    for (const typeEntry of resourceBlock.entries) {
      // See buildModel: no type may be named like a property of Object.prototype.
      if (Object.prototype.hasOwnProperty.call(Object.prototype, typeEntry.key.value)) continue;
      for (const byName of blocks(typeEntry.value)) {
        for (const nameEntry of byName.entries) {
          for (const body of blocks(nameEntry.value)) {
            const resource: Resource = {
              id: `${typeEntry.key.value}.${nameEntry.key.value}`,
              type: typeEntry.key.value,
              keyNode: nameEntry.key,
              node: body,
              properties: body,
              tfName: nameEntry.key.value,
            };
            doc.resources.push(resource);
            if (!doc.resourcesById.has(resource.id)) doc.resourcesById.set(resource.id, resource);
          }
        }
      }
    }
  }
  for (const variableBlock of sections(root, 'variable')) {
    for (const entry of variableBlock.entries) {
      if (doc.parameters.has(entry.key.value)) continue;
      const body = blocks(entry.value)[0];
      doc.parameters.set(entry.key.value, {
        name: entry.key.value,
        keyNode: entry.key,
        node: entry.value,
        default: get(body, 'default'),
        allowedValues: [],
      });
    }
  }
  for (const dataBlock of sections(root, 'data'))
    for (const typeEntry of dataBlock.entries)
      for (const byName of blocks(typeEntry.value))
        for (const nameEntry of byName.entries) {
          const body = blocks(nameEntry.value)[0];
          const address = `${typeEntry.key.value}.${nameEntry.key.value}`;
          if (body && !doc.data.has(address)) doc.data.set(address, body);
        }
  for (const localsBlock of sections(root, 'locals')) {
    for (const entry of localsBlock.entries)
      if (!doc.locals.has(entry.key.value)) doc.locals.set(entry.key.value, entry.value);
  }
}

function readPlan(doc: TemplateDocument): void {
  const root = doc.root;
  const unknownByAddress = new Map<string, Node>();
  const changes = get(root, 'resource_changes');
  for (const change of items(changes)) {
    const address = scalarString(get(change, 'address'));
    const after = get(change, 'change');
    if (address && after) {
      const unknown = get(after, 'after_unknown');
      if (unknown) unknownByAddress.set(address, unknown);
    }
  }
  const planned = get(get(root, 'planned_values'), 'root_module');
  const seen = new Set<string>();
  const visitModule = (module: Node | undefined): void => {
    for (const resource of items(get(module, 'resources'))) {
      if (resource.kind !== 'map') continue;
      if (scalarString(get(resource, 'mode')) === 'data') continue;
      const addressNode = get(resource, 'address');
      const address = scalarString(addressNode);
      const type = scalarString(get(resource, 'type'));
      if (!address || !type || addressNode?.kind !== 'scalar') continue;
      const values = get(resource, 'values');
      seen.add(address);
      doc.resources.push({
        id: address,
        type,
        keyNode: addressNode,
        node: resource,
        properties: values?.kind === 'map' ? values : undefined,
        unknown: unknownByAddress.get(address),
        tfName: scalarString(get(resource, 'name')),
      });
    }
    for (const child of items(get(module, 'child_modules'))) visitModule(child);
  };
  visitModule(planned);
  // A plan without planned_values (or a resource missing there): fall back to change.after.
  for (const change of items(changes)) {
    const addressNode = get(change, 'address');
    const address = scalarString(addressNode);
    const type = scalarString(get(change, 'type'));
    if (!address || !type || seen.has(address) || addressNode?.kind !== 'scalar' || change.kind !== 'map')
      continue;
    if (scalarString(get(change, 'mode')) === 'data') continue;
    const after = get(get(change, 'change'), 'after');
    if (after?.kind !== 'map') continue;
    doc.resources.push({
      id: address,
      type,
      keyNode: addressNode,
      node: change,
      properties: after,
      unknown: unknownByAddress.get(address),
      tfName: scalarString(get(change, 'name')),
    });
  }
  // What the configuration does not write is omitted (provider defaults), not unknown.
  applyPlanConfiguration(doc);
}

/** True when a plan says the attribute at `path` will only be known after apply. */
export function isUnknownInPlan(resource: Resource, path: (string | number)[]): boolean {
  let node = resource.unknown;
  for (const step of path) {
    if (!node) return false;
    if (node.kind === 'scalar') return node.value === true;
    node = typeof step === 'number' ? (node.kind === 'seq' ? node.items[step] : undefined) : get(node, step);
  }
  return node?.kind === 'scalar' && node.value === true;
}

/**
 * The file a span is in (this document, or another file of its Terraform module or a nested
 * stack's template read with it: `siblings`), and the span's offsets in that file.
 */
export function locate(
  doc: TemplateDocument,
  span: Span,
): { uri: string; start: number; end: number; lines: LineIndex } {
  if (span.start <= doc.text.length || !doc.siblings)
    return { uri: doc.uri, start: span.start, end: span.end, lines: doc.lines };
  const sibling = doc.siblings.find((s) => span.start >= s.base && span.start <= s.base + s.text.length);
  if (!sibling) return { uri: doc.uri, start: 0, end: 0, lines: doc.lines };
  return {
    uri: sibling.uri,
    start: span.start - sibling.base,
    end: Math.min(span.end - sibling.base, sibling.text.length),
    lines: sibling.lines,
  };
}

// Nested CloudFormation stacks: the unit of analysis above a template whose
// `AWS::CloudFormation::Stack` resources (or SAM `AWS::Serverless::Application`s) name a local
// child template (`TemplateURL: ./network.yaml`, as `aws cloudformation package` and `sam build`
// expect). Remote URLs (https://, s3://, `!Sub` with variables) are never read.
//
// How it works: each child is loaded as its own TemplateDocument (its own offsets, its own
// suppressions) and its parameters take what the parent's `Parameters:` passes (the child's
// default is not used where the parent passes a value). The parent's value is copied into the
// child's analysis with its offsets moved up by LIFT, and references in it are renamed so they
// resolve through the parent's parameters, not the child's (a `!Ref AdminCidr` in the parent
// means the parent's AdminCidr; `!GetAtt` and other stacks' outputs are unknown). The child is
// analysed; a finding whose related information holds the "Input" of that passed value (a span
// at or above LIFT, resolve/values.ts `module-input`) rests on the parent's value, and is moved
// onto it, the child's element becoming related information in the child's file. Findings of
// the child that do not rest on a passed value are reported only when the child is checked.
//
// Children of children are followed (MAX_STACK_DEPTH, cycles skipped, MAX_STACK_TEMPLATES per
// analysis): a grandchild's finding is first moved onto the child's value, then onto the
// parent's when that value came from the parent. Spans below LIFT are in the analysed template,
// spans at or above LIFT in its caller (LIFT more per level); spans of files further down carry
// their file.
//
// Templates are read by the caller (the server from open editors and disk, the CLI from disk)
// through io/readFile.ts; this layer does no IO.

import { analyze, type Analysis } from '../engine/analyze';
import type { Finding } from '../engine/finding';
import { SYNTAX_ERROR } from '../engine/finding';
import type { Settings } from '../engine/settings';
import { findSuppressions, SUPPRESSION_INVALID, SUPPRESSION_UNUSED } from '../engine/suppressions';
import type { FixRecipe } from '../fixes/recipe';
import { conditionScope } from '../model/cfn';
import type { Parameter, Resource, SiblingFile, TemplateDocument } from '../model/document';
import { LineIndex } from '../model/lines';
import { loadDocument } from '../model/load';
import { IncrementalJsonParser } from '../parse/json';
import { IncrementalYamlParser } from '../parse/yaml';
import type { Entry, MapNode, Node, ScalarNode, Span } from '../parse/tree';
import { get, scalarString } from '../parse/tree';
import { MODULE_INPUT } from '../resolve/values';
import { ALL_RULES } from '../rules';
import { SLOT } from './module';

/** A child template as read by the caller. */
export interface StackTemplate {
  /** `file:///...` URI (the service) or a path (the CLI). */
  uri: string;
  text: string;
}

/** Reads the template a local `TemplateURL`/`Location` names, relative to the parent; undefined when it cannot. */
export type ReadTemplate = (fromUri: string, path: string) => StackTemplate | undefined;

/** Children of children are followed this deep. */
export const MAX_STACK_DEPTH = 4;
/** Child templates read for one analysis (each level and each Stack resource counts). */
export const MAX_STACK_TEMPLATES = 50;

/** How far a caller's nodes are moved up when they are copied into a child's analysis. */
const LIFT = SLOT;
/** Prefix of the names a caller's parameters take inside a child's analysis. */
const CALLER = 'iac-netsec::caller::';
/** A `Ref` to this name is unknown (a caller's resource, `!GetAtt`, another stack's output). */
const UNKNOWN_REF = 'iac-netsec::unknown';
/** Intrinsics copied as they are; any other `Fn::` in a passed value is unknown. */
const KEPT = new Set(['Fn::If', 'Fn::Join', 'Fn::Select', 'Fn::Split', 'Fn::Base64']);

export interface NestedStack {
  resource: Resource;
  /** The local path, as written. */
  path: string;
  /** `Parameters:` of the Stack / Application resource. */
  parameters: MapNode | undefined;
}

/** True for a relative path (no scheme, not absolute, no substitution). */
export function isLocalTemplatePath(value: string): boolean {
  if (!value.trim() || value.trim() !== value) return false;
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) return false; // https:, s3:, file:, C:
  if (value.startsWith('/') || value.startsWith('\\')) return false;
  return !value.includes('${');
}

/** The Stack and SAM Application resources of a template whose template is a local path. */
export function nestedStacks(doc: TemplateDocument): NestedStack[] {
  if (doc.format !== 'cfn') return [];
  const out: NestedStack[] = [];
  for (const resource of doc.resources) {
    const key =
      resource.type === 'AWS::CloudFormation::Stack'
        ? 'TemplateURL'
        : resource.type === 'AWS::Serverless::Application'
          ? 'Location'
          : undefined;
    if (!key || resource.origin) continue;
    const node = get(resource.properties, key);
    const path = node?.kind === 'scalar' ? scalarString(node) : undefined;
    if (path === undefined || !isLocalTemplatePath(path)) continue;
    const parameters = get(resource.properties, 'Parameters');
    out.push({ resource, path, parameters: parameters?.kind === 'map' ? parameters : undefined });
  }
  return out;
}

/** A child's own findings for one binding, kept between analyses of the parent. */
interface ChildResult {
  text: string;
  settings: Settings;
  binding: Binding;
  findings: Moved[];
}

/**
 * Keeps a parser per child template between analyses, so an unchanged child is not parsed again,
 * and the child's findings per Stack resource: a keystroke in the parent that changes nothing
 * the child receives re-uses them (the parent's spans they hold are moved to the new offsets).
 */
export class StackReader {
  private readonly parsers = new Map<string, { yaml: IncrementalYamlParser; json: IncrementalJsonParser }>();
  private used = new Set<string>();
  private readonly results = new Map<string, ChildResult>();
  private usedResults = new Set<string>();

  /** The child's own findings (bound to the parent's values): computed, or the last ones moved to the new spans. */
  childFindings(
    key: string,
    template: StackTemplate,
    settings: Settings,
    binding: Binding,
    compute: () => Moved[],
  ): Moved[] {
    this.usedResults.add(key);
    const cached = this.results.get(key);
    if (cached && cached.text === template.text && cached.settings === settings) {
      const moved = rebind(cached.findings, cached.binding, binding);
      if (moved) return moved;
    }
    const findings = compute();
    this.results.set(key, { text: template.text, settings, binding, findings });
    return findings;
  }

  load(template: StackTemplate): TemplateDocument | undefined {
    let parsers = this.parsers.get(template.uri);
    if (!parsers) {
      parsers = { yaml: new IncrementalYamlParser(), json: new IncrementalJsonParser() };
      this.parsers.set(template.uri, parsers);
    }
    this.used.add(template.uri);
    // A template is YAML or JSON (a .tf file is never a CloudFormation child).
    if (/\.tf(\.json)?$/i.test(template.uri)) return undefined;
    return loadDocument(template.uri, template.text, { yamlParser: parsers.yaml, jsonParser: parsers.json });
  }

  /** Drops the parsers of templates the last analysis did not read. */
  forgetUnused(): void {
    for (const uri of [...this.parsers.keys()]) if (!this.used.has(uri)) this.parsers.delete(uri);
    for (const key of [...this.results.keys()]) if (!this.usedResults.has(key)) this.results.delete(key);
    this.used = new Set();
    this.usedResults = new Set();
  }

  dispose(): void {
    this.parsers.clear();
    this.results.clear();
  }
}

/**
 * What a child receives from its caller, without offsets (`shape`), and the spans of the lifted
 * nodes in a fixed order (`spans`): two bindings of one shape differ only in where the caller's
 * text is, so findings computed for one hold for the other once their spans are moved.
 */
export interface Binding {
  shape: string;
  spans: number[];
}

function bindingOf(child: TemplateDocument, bound: string[], lifted: Map<string, Parameter>): Binding {
  const spans: number[] = [];
  const walk = (node: Node | undefined): unknown => {
    if (!node) return null;
    spans.push(node.start, node.end);
    if (node.kind === 'scalar') return [node.value, node.style];
    if (node.kind === 'seq') return node.items.map(walk);
    return node.entries.map((e) => {
      spans.push(e.start, e.end);
      return [walk(e.key), walk(e.value)];
    });
  };
  const shape: unknown[] = bound.map((name) => [name, walk(child.parameters.get(name)?.input?.node)]);
  for (const [name, p] of lifted)
    shape.push([
      name,
      walk(p.keyNode),
      walk(p.node),
      walk(p.default),
      p.allowedValues.map(walk),
      walk(p.input?.node),
    ]);
  return { shape: JSON.stringify(shape), spans };
}

/** Findings computed for `before` with the caller's spans moved to where `after` has them; undefined when they cannot be. */
function rebind(findings: Moved[], before: Binding, after: Binding): Moved[] | undefined {
  if (before.shape !== after.shape || before.spans.length !== after.spans.length) return undefined;
  const moves = new Map<number, number>();
  for (let i = 0; i < before.spans.length; i++) moves.set(before.spans[i]!, after.spans[i]!);
  let ok = true;
  const at = (offset: number): number => {
    if (offset < LIFT) return offset;
    const moved = moves.get(offset);
    if (moved === undefined) ok = false;
    return moved ?? offset;
  };
  const out = findings.map((f) => ({
    ...f,
    start: at(f.start),
    end: at(f.end),
    related: f.related.map((r) =>
      r.file ? r : { ...r, span: { start: at(r.span.start), end: at(r.span.end) } },
    ),
  }));
  return ok ? out : undefined;
}

/** Related information on its way up: a span in the template being analysed (or above), or in a named file. */
interface Located {
  span: Span;
  message: string;
  file?: StackTemplate;
}

/** A finding of a descendant moved onto a value the analysed template passes. */
interface Moved {
  ruleId: string;
  severity: Finding['severity'];
  start: number;
  end: number;
  message: string;
  resourceId?: string;
  related: Located[];
  suppressed?: Finding['suppressed'];
  fixes?: FixRecipe[];
}

/**
 * Analyses a CloudFormation template with its nested stacks: its own findings, plus the
 * findings of its (local) children that rest on a value it passes, on that value.
 */
export function analyzeInStack(
  doc: TemplateDocument,
  settings: Settings,
  readTemplate: ReadTemplate,
  reader: StackReader,
): Analysis {
  const analysis = analyze(doc, settings);
  if (doc.format !== 'cfn') return analysis;
  const budget = { templates: MAX_STACK_TEMPLATES };
  const moved = movedFindings(doc, settings, readTemplate, reader, [doc.uri], budget, 0);
  reader.forgetUnused();
  if (!moved.length) return analysis;

  const siblings: SiblingFile[] = [];
  const baseOf = (file: StackTemplate): number => {
    let sibling = siblings.find((s) => s.uri === file.uri);
    if (!sibling) {
      sibling = {
        uri: file.uri,
        base: SLOT * (siblings.length + 1),
        text: file.text,
        lines: new LineIndex(file.text),
      };
      siblings.push(sibling);
    }
    return sibling.base;
  };
  const added: Finding[] = moved.map((m) => ({
    ruleId: m.ruleId,
    severity: m.severity,
    start: m.start,
    end: m.end,
    message: m.message,
    resourceId: m.resourceId,
    related: m.related.map((r) => {
      const base = r.file ? baseOf(r.file) : 0;
      return { span: { start: r.span.start + base, end: r.span.end + base }, message: r.message };
    }),
    // The child's own fixes would edit another file: not offered here (as for Terraform
    // modules); only the fixes that edit this template's value are (parentFixes).
    fixes: m.fixes ?? [],
    ...(m.suppressed ? { suppressed: m.suppressed } : {}),
  }));
  doc.siblings = [...(doc.siblings ?? []), ...siblings];

  // The template's own suppressions apply to what moved onto it; one that now matches is used.
  const suppressions = findSuppressions(doc);
  for (const finding of analysis.findings)
    if (finding.ruleId !== SYNTAX_ERROR && finding.ruleId !== SUPPRESSION_UNUSED) suppressions.match(finding);
  for (const finding of added) {
    if (finding.suppressed) continue;
    const suppression = suppressions.match(finding);
    if (suppression) finding.suppressed = suppression;
  }
  const stillUnused = new Set(
    suppressions
      .unused((id) => ALL_RULES.some((r) => r.meta.id === id) && settings.rules[id] !== 'off')
      .map((f) => `${f.start}:${f.end}:${f.message}`),
  );
  const own = analysis.findings.filter(
    (f) => f.ruleId !== SUPPRESSION_UNUSED || stillUnused.has(`${f.start}:${f.end}:${f.message}`),
  );
  const keys = new Set(own.map((f) => `${f.ruleId}:${f.start}:${f.end}:${f.message}`));
  const findings = [...own];
  for (const finding of added) {
    const key = `${finding.ruleId}:${finding.start}:${finding.end}:${finding.message}`;
    if (keys.has(key)) continue;
    keys.add(key);
    findings.push(finding);
  }
  findings.sort((a, b) => a.start - b.start || a.end - b.end || a.ruleId.localeCompare(b.ruleId));
  return { ...analysis, findings };
}

/** The findings of `doc`'s descendants that rest on a value `doc` passes, on `doc`'s offsets. */
function movedFindings(
  doc: TemplateDocument,
  settings: Settings,
  readTemplate: ReadTemplate,
  reader: StackReader,
  chain: string[],
  budget: { templates: number },
  depth: number,
): Moved[] {
  if (depth >= MAX_STACK_DEPTH) return [];
  const out: Moved[] = [];
  for (const stack of nestedStacks(doc)) {
    if (!stack.parameters?.entries.length) continue;
    const template = readTemplate(doc.uri, stack.path);
    if (!template || chain.includes(template.uri) || budget.templates <= 0) continue;
    budget.templates--;
    const child = reader.load(template);
    if (child?.format !== 'cfn') continue;
    const binding = bindParameters(doc, child, stack);
    const key = `${[...chain, stack.resource.id].join('\u0000')}`;
    const own = reader.childFindings(key, template, settings, binding, () =>
      analyze(child, settings)
        .findings.filter(
          (f) =>
            f.ruleId !== SYNTAX_ERROR && f.ruleId !== SUPPRESSION_UNUSED && f.ruleId !== SUPPRESSION_INVALID,
        )
        .map((f) => ({
          ruleId: f.ruleId,
          severity: f.severity,
          start: f.start,
          end: f.end,
          message: f.message,
          resourceId: f.resourceId,
          related: f.related.map((r) => ({
            span: { start: r.span.start, end: r.span.end },
            message: r.message,
          })),
          suppressed: f.suppressed,
        })),
    );
    const deeper = movedFindings(
      child,
      settings,
      readTemplate,
      reader,
      [...chain, template.uri],
      budget,
      depth + 1,
    );
    const scope = conditionScope(stack.resource);
    const id = stack.resource.id;
    for (const f of [...own, ...deeper]) {
      const input = f.related.find(
        (r) =>
          !r.file &&
          r.span.start >= LIFT &&
          r.span.start < 2 * LIFT &&
          r.message.startsWith(`${MODULE_INPUT} `),
      );
      if (!input) continue;
      const up = (r: Located): Located =>
        r.file
          ? r
          : r.span.start >= LIFT
            ? {
                span: { start: r.span.start - LIFT, end: r.span.end - LIFT },
                message: stackWords(r.message, id),
              }
            : { ...r, file: template };
      const message = `In nested stack ${id}: ${stackWords(f.message, id)}`;
      const related = f.related.filter((r) => r !== input).map(up);
      out.push({
        ruleId: f.ruleId,
        severity: f.severity,
        start: input.span.start - LIFT,
        end: input.span.end - LIFT,
        message: scope ? withNote(message, scope.note) : message,
        resourceId: id,
        related: [
          // (A rule that reports on the passed value itself has nothing to show in the child.)
          ...(f.start < LIFT
            ? [{ span: { start: f.start, end: f.end }, message: `Where stack ${id} uses it`, file: template }]
            : []),
          ...related,
          ...(scope ? [{ span: scope.related.span, message: scope.related.message }] : []),
        ],
        suppressed: f.suppressed,
        // Only the template being checked is edited: fixes at the top level only.
        fixes: depth === 0 ? parentFixes(doc, stack, f.ruleId, input.span.start - LIFT, related) : [],
      });
    }
  }
  return out;
}

/** Rules whose fix for an open range is a parameter without an open default (rules/exposure/openToInternet.ts parameterFix). */
const CIDR_PARAMETER_RULES = new Set([
  'ssh-open-to-internet',
  'rdp-open-to-internet',
  'sensitive-port-open-to-internet',
  'all-ports-open-to-internet',
  'egress-open-to-internet',
  'nacl-open-to-internet',
]);

/**
 * What the rule does for an open range in one template, done on the value the parent passes: a
 * literal becomes a new parameter without a default, a parameter's open default is removed.
 * Both change behaviour (deployers must choose the range). Nothing when the value rests on more
 * than that (a condition branch, a join).
 */
function parentFixes(
  doc: TemplateDocument,
  stack: NestedStack,
  ruleId: string,
  start: number,
  related: Located[],
): FixRecipe[] {
  if (!CIDR_PARAMETER_RULES.has(ruleId)) return [];
  const entry = stack.parameters?.entries.find((e) => e.value.start === start);
  if (!entry) return [];
  const here = related.filter((r) => !r.file);
  const value = entry.value;
  if (value.kind === 'scalar' && typeof value.value === 'string' && !here.length) {
    const name = [entry.key.value, `${stack.resource.id}${entry.key.value}`].find(
      (n) => !doc.parameters.has(n) && !doc.resourcesById.has(n),
    );
    if (!name) return [];
    const description = `CIDR range passed to stack ${stack.resource.id} as ${entry.key.value}; choose a narrow range, never 0.0.0.0/0.`;
    return [
      {
        title: `Pass a new parameter ${name} instead of ${value.value}`,
        safety: 'unsafe',
        ops: [
          {
            op: 'addParameter',
            name,
            spec: { cfn: { Type: 'String', Description: description }, tf: { type: 'string', description } },
          },
          { op: 'replace', node: value, value: { $param: name } },
        ],
      },
    ];
  }
  const ref = value.kind === 'map' && value.entries.length === 1 ? value.entries[0] : undefined;
  const parameter = ref?.key.value === 'Ref' ? doc.parameters.get(scalarString(ref.value) ?? '') : undefined;
  const open = parameter?.default;
  if (
    parameter &&
    open &&
    parameter.node.kind === 'map' &&
    here.length === 1 &&
    here[0]!.span.start === open.start &&
    here[0]!.span.end === open.end
  )
    return [
      {
        title: `Remove the open default of ${parameter.name} (deployers must choose the allowed range)`,
        safety: 'unsafe',
        ops: [{ op: 'removeKey', map: parameter.node, key: 'Default' }],
      },
    ];
  return [];
}

/** The resolver words a passed value as a module's input; for a stack, say so. */
function stackWords(message: string, id: string): string {
  return message
    .split(`passed to module ${id} as`)
    .join(`passed to stack ${id} as`)
    .split(`of module ${id}`)
    .join(`passed to stack ${id}`);
}

function withNote(message: string, note: string): string {
  return message.endsWith('.') ? `${message.slice(0, -1)}${note}.` : `${message}${note}`;
}

/**
 * The child's parameters take the values the Stack resource passes (copied, lifted, and with
 * references renamed to the caller's parameters, which join the child's model under other names).
 */
export function bindParameters(
  parent: TemplateDocument,
  child: TemplateDocument,
  stack: NestedStack,
): Binding {
  const lifter = new Lifter(parent);
  const bound: string[] = [];
  for (const entry of stack.parameters?.entries ?? []) {
    const parameter = child.parameters.get(entry.key.value);
    if (!parameter) continue;
    const node = lifter.node(entry.value);
    // A nested stack takes strings only; a list parameter (CommaDelimitedList, List<...>) splits
    // what is passed at its commas, as it splits a default.
    const type = scalarString(get(parameter.node, 'Type')) ?? '';
    const list = type === 'CommaDelimitedList' || type.startsWith('List<');
    parameter.input = { node: list ? splitAtCommas(node) : node, module: stack.resource.id };
    bound.push(entry.key.value);
  }
  for (const [name, parameter] of lifter.parameters) child.parameters.set(name, parameter);
  return bindingOf(child, bound, lifter.parameters);
}

/** A passed string as the list CloudFormation makes of it (each item spans the written value). */
function splitAtCommas(node: Node): Node {
  if (node.kind === 'scalar' && typeof node.value === 'string')
    return {
      kind: 'seq',
      style: 'flow',
      synthetic: true,
      start: node.start,
      end: node.end,
      items: node.value.split(',').map((item) => ({ ...node, value: item.trim() })),
    };
  if (node.kind !== 'scalar' && node.kind !== 'map') return node;
  const at = { start: node.start, end: node.end };
  const key = { kind: 'scalar' as const, style: 'plain' as const, value: 'Fn::Split', ...at };
  const comma = { kind: 'scalar' as const, style: 'plain' as const, value: ',', ...at };
  return {
    kind: 'map',
    style: 'flow',
    synthetic: true,
    ...at,
    entries: [
      { key, value: { kind: 'seq', style: 'flow', synthetic: true, ...at, items: [comma, node] }, ...at },
    ],
  };
}

/** Copies a caller's nodes into a child's analysis: offsets + LIFT, references renamed. */
class Lifter {
  readonly parameters = new Map<string, Parameter>();

  constructor(private readonly caller: TemplateDocument) {}

  node(node: Node): Node {
    if (node.kind === 'scalar') return this.scalar(node);
    if (node.kind === 'seq')
      return {
        ...node,
        start: node.start + LIFT,
        end: node.end + LIFT,
        items: node.items.map((i) => this.node(i)),
      };
    if (node.entries.length === 1) {
      const entry = node.entries[0]!;
      const name = entry.key.value;
      if (name === 'Ref')
        return this.intrinsic(node, entry, this.scalar(entry.value, this.refName(scalarString(entry.value))));
      const sub = name === 'Fn::Sub' ? this.sub(entry.value) : undefined;
      if (sub) return this.intrinsic(node, entry, sub);
      if (name.startsWith('Fn::') && !KEPT.has(name))
        return {
          ...node,
          start: node.start + LIFT,
          end: node.end + LIFT,
          entries: [this.unknownEntry(entry)],
        };
    }
    return {
      ...node,
      start: node.start + LIFT,
      end: node.end + LIFT,
      entries: node.entries.map((e) => this.entry(e, this.node(e.value))),
    };
  }

  private intrinsic(node: MapNode, entry: Entry, value: Node): MapNode {
    return { ...node, start: node.start + LIFT, end: node.end + LIFT, entries: [this.entry(entry, value)] };
  }

  private entry(entry: Entry, value: Node): Entry {
    return {
      ...entry,
      start: entry.start + LIFT,
      end: entry.end + LIFT,
      key: { ...entry.key, start: entry.key.start + LIFT, end: entry.key.end + LIFT },
      value,
    };
  }

  private unknownEntry(entry: Entry): Entry {
    return {
      ...entry,
      start: entry.start + LIFT,
      end: entry.end + LIFT,
      key: { ...entry.key, value: 'Ref', start: entry.key.start + LIFT, end: entry.key.end + LIFT },
      value: {
        kind: 'scalar',
        value: UNKNOWN_REF,
        style: 'plain',
        start: entry.value.start + LIFT,
        end: entry.value.end + LIFT,
      },
    };
  }

  private scalar(node: Node, value?: string): ScalarNode {
    if (node.kind !== 'scalar')
      return {
        kind: 'scalar',
        value: UNKNOWN_REF,
        style: 'plain',
        start: node.start + LIFT,
        end: node.end + LIFT,
      };
    const { expr: _expr, ...rest } = node;
    void _expr;
    return {
      ...rest,
      ...(value !== undefined ? { value } : {}),
      start: node.start + LIFT,
      end: node.end + LIFT,
    };
  }

  /** What a `Ref` to `name` in the caller is called in the child. */
  private refName(name: string | undefined): string {
    if (name === undefined) return UNKNOWN_REF;
    if (name.startsWith('AWS::')) return name;
    const parameter = this.caller.parameters.get(name);
    if (!parameter) return UNKNOWN_REF; // a resource of the caller, or nothing
    const renamed = `${CALLER}${name}`;
    if (!this.parameters.has(renamed)) {
      const lifted: Parameter = {
        name: parameter.name,
        keyNode: this.scalar(parameter.keyNode),
        node: this.plain(parameter.node),
        default: parameter.default && this.plain(parameter.default),
        allowedValues: parameter.allowedValues.map((n) => this.plain(n)),
      };
      this.parameters.set(renamed, lifted);
      // A caller that is itself a child: its parameter takes what its own caller passes.
      if (parameter.input)
        lifted.input = { node: this.node(parameter.input.node), module: parameter.input.module };
    }
    return renamed;
  }

  /** `Fn::Sub`: `${Name}` of the caller's parameters renamed; attributes and other names unknown. */
  private sub(arg: Node): Node | undefined {
    const [template, vars] = arg.kind === 'seq' ? arg.items : [arg, undefined];
    const local = new Set(vars?.kind === 'map' ? vars.entries.map((e) => e.key.value) : []);
    const text = scalarString(template);
    // Not a template string: unknown (as an unlisted Fn:: is).
    if (text === undefined || !template) return undefined;
    const renamed = this.scalar(
      template,
      text.replace(/\$\{(?!!)([^}]+)\}/g, (whole, name: string) =>
        local.has(name) ? whole : name.includes('.') ? `\${${UNKNOWN_REF}}` : `\${${this.refName(name)}}`,
      ),
    );
    if (arg.kind !== 'seq') return renamed;
    return {
      ...arg,
      start: arg.start + LIFT,
      end: arg.end + LIFT,
      items: [renamed, ...(vars ? [this.node(vars)] : [])],
    };
  }

  /** A copy with offsets lifted and nothing renamed (parameter declarations hold literals). */
  private plain(node: Node): Node {
    if (node.kind === 'scalar') return this.scalar(node);
    if (node.kind === 'seq')
      return {
        ...node,
        start: node.start + LIFT,
        end: node.end + LIFT,
        items: node.items.map((i) => this.plain(i)),
      };
    return {
      ...node,
      start: node.start + LIFT,
      end: node.end + LIFT,
      entries: node.entries.map((e) => this.entry(e, this.plain(e.value))),
    };
  }
}

/**
 * The child templates of a CloudFormation document's nested stacks, for the service (the server
 * reads open editors and disk: lsp/stackFiles.ts). `signature()` changes whenever a template the
 * last analysis of the document read may have changed, so a changed child re-checks the parent.
 */
export type StackTemplatesProvider = (
  uri: string,
) => { readTemplate: ReadTemplate; signature: () => string } | undefined;

// The unit of analysis above the document: a Terraform module is its folder. Every `*.tf` and
// `*.tf.json` file of the folder is read with the document being checked, and `.tfvars` files
// give variables their values, so references resolve across files and graph facts (exposure
// paths, flow logs, endpoints) span the module. Rules keep seeing one TemplateDocument.
//
// How files stay apart: the document keeps its own text and offsets (0 to its length), so the
// service, fixes and hover work on it unchanged. Each other file's nodes are placed at a base
// of its own (SLOT apart, past any document's text), and `doc.siblings` records where each file
// starts. Findings are reported only in the document (analyzeInModule drops the others: each
// file reports its own findings when it is checked); related information that points into
// another file is mapped back to it (locate).
//
// Sibling files are read by the caller (the server from open editors and disk, the CLI from
// disk) through io/readFile.ts; this layer does no IO.

import { analyze, type Analysis } from '../engine/analyze';
import type { IncrementalState } from '../engine/incremental';
import type { Finding } from '../engine/finding';
import type { Settings } from '../engine/settings';
import type { FixRecipe, NewValue } from '../fixes/recipe';
import { ALL_RULES } from '../rules';
import type { FindingInput, Rule, RuleContext } from '../rules/types';
import type { Parameter, Resource, SiblingFile, TemplateDocument } from '../model/document';
import { readTerraformRoot } from '../model/document';
import { LineIndex } from '../model/lines';
import { expandTerraform } from '../model/terraformForEach';
import { IncrementalHclParser } from '../parse/hcl';
import { parseJson } from '../parse/json';
import type { MapNode, Node, Span, SyntaxProblem } from '../parse/tree';
import { get, items, scalarString } from '../parse/tree';
import { MODULE_INPUT } from '../resolve/values';
import { applyOverrides, isOverrideFile } from './override';

/** Distance between two files' bases: more than the longest text read (MAX_TEXT_LENGTH). */
export const SLOT = 4_194_304;
/** Files of one module read with a document (bases stay below 2^31, as policy offset maps need). */
export const MAX_MODULE_FILES = 500;

/** Reads the folder a local module `source` names, relative to the calling file; undefined when it cannot. */
export type ReadModule = (
  fromUri: string,
  source: string,
) => { key: string; files: ModuleFile[] } | undefined;

/** Local modules called from modules called from ... are followed this deep. */
const MAX_MODULE_DEPTH = 4;

interface CallerRoot {
  uri: string;
  root: Node | undefined;
}

/** The `module "name" { ... }` blocks of a Terraform root (HCL or JSON). */
function moduleCalls(root: Node | undefined): { name: string; body: MapNode }[] {
  const out: { name: string; body: MapNode }[] = [];
  for (const section of items(root))
    for (const top of section.kind === 'map' ? section.entries : [])
      if (top.key.value === 'module')
        for (const byName of items(top.value))
          for (const entry of byName.kind === 'map' ? byName.entries : [])
            for (const body of items(entry.value))
              if (body.kind === 'map') out.push({ name: entry.key.value, body });
  return out;
}

export interface ModuleFile {
  /** `file:///...` URI (the service's documents) or a path (the CLI). */
  uri: string;
  text: string;
}

/** Where the last `ModuleReader.extend` put things (for unit/folder.ts). */
export interface ModuleLayout {
  /** The folder's other files as parsed, in the order of their bases (SLOT, 2 SLOT, ...). */
  files: {
    uri: string;
    kind: 'hcl' | 'json' | 'tfvars' | 'tfvars-json';
    root: Node | undefined;
    /** Its syntax errors, at its base. */
    problems: SyntaxProblem[];
  }[];
  /**
   * The local modules read, in the order of their bases, each with the file of the root module
   * whose module block called it (directly or through other local modules).
   */
  scopes: { start: number; end: number; caller: string }[];
  /** True when a local module was left out because MAX_MODULE_FILES files were read already. */
  truncated: boolean;
}

/** What a module file is, from its name. */
export function moduleFileKind(name: string): 'hcl' | 'json' | 'tfvars' | 'tfvars-json' | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith('.tf.json')) return 'json';
  if (lower.endsWith('.tf')) return 'hcl';
  if (lower.endsWith('.tfvars.json')) return 'tfvars-json';
  if (lower.endsWith('.tfvars')) return 'tfvars';
  return undefined;
}

/**
 * Terraform's order for variable values, lowest priority first: terraform.tfvars,
 * terraform.tfvars.json, then *.auto.tfvars(.json) in lexical order (later files win). Other
 * .tfvars files are only used with -var-file, so they are not read.
 */
function tfvarsRank(name: string): number | undefined {
  const base = name.split(/[\\/]/).pop()!.toLowerCase();
  if (base === 'terraform.tfvars') return 0;
  if (base === 'terraform.tfvars.json') return 1;
  if (base.endsWith('.auto.tfvars') || base.endsWith('.auto.tfvars.json')) return 2;
  return undefined;
}

function baseName(uri: string): string {
  return decodeURIComponent(uri.split(/[\\/]/).pop() ?? uri);
}

/**
 * Reads the module's other files into one document's model. Keeps per-file parsers between
 * calls, so a sibling whose text did not change is not parsed again.
 */
export class ModuleReader {
  private readonly hcl = new Map<string, IncrementalHclParser>();
  private readonly json = new Map<string, Parsed & { text: string; base: number }>();
  /** How the last `extend` laid the module out (unit/folder.ts reads it). */
  layout: ModuleLayout = { files: [], scopes: [], truncated: false };

  /**
   * Adds the siblings (every file of the folder but `doc` itself) to `doc`'s model, and the local
   * modules its `module` blocks call when `readModule` can read them.
   */
  extend(doc: TemplateDocument, files: readonly ModuleFile[], readModule?: ReadModule): void {
    if (doc.format !== 'tf') return;
    this.layout = { files: [], scopes: [], truncated: false };
    // An override file is applied after the normal files (unit/override.ts), not read as one.
    const selfOverride = isOverrideFile(doc.uri);
    if (selfOverride) {
      doc.resources = [];
      doc.resourcesById = new Map();
      doc.parameters = new Map();
      doc.locals = new Map();
      doc.data = new Map();
    }
    const siblings: SiblingFile[] = [];
    const tfvars: { name: string; rank: number; file: SiblingFile; root: Node | undefined }[] = [];
    const sorted = [...files]
      .filter((f) => f.uri !== doc.uri && moduleFileKind(f.uri))
      .sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0))
      .slice(0, MAX_MODULE_FILES);
    // A cheap look first (resource headers of .tf files), so that a folder of unrelated files
    // is not parsed whole for every file opened in it.
    if (hclDuplicates(doc, sorted)) {
      this.forget(doc.uri, new Set());
      return;
    }
    const seen = new Set<string>();
    const parsed = sorted.map((file, index) => {
      const base = SLOT * (index + 1);
      seen.add(file.uri);
      const kind = moduleFileKind(file.uri)!;
      const { root, problems } = this.parse(file, kind, base);
      return { file, kind, base, root, problems };
    });
    // Terraform rejects a folder that defines one resource address twice: such a folder is not a
    // module (a folder of examples, test fixtures), so its files are checked one by one.
    const configurations = parsed.filter(
      (p) => (p.kind === 'hcl' || p.kind === 'json') && !isOverrideFile(p.file.uri),
    );
    if (
      hasDuplicateAddresses(
        doc,
        configurations.map((p) => p.root),
      )
    ) {
      this.forget(doc.uri, new Set());
      return;
    }
    for (const { file, kind, base, root } of parsed) {
      const sibling: SiblingFile = { uri: file.uri, base, text: file.text, lines: new LineIndex(file.text) };
      siblings.push(sibling);
      if (kind === 'hcl' || kind === 'json') {
        if (!isOverrideFile(file.uri)) readTerraformRoot(doc, root);
      } else {
        const rank = tfvarsRank(file.uri);
        if (rank !== undefined) tfvars.push({ name: baseName(file.uri), rank, file: sibling, root });
      }
    }
    tfvars.sort((a, b) => a.rank - b.rank || (a.name < b.name ? -1 : 1));
    for (const { name, root } of tfvars) {
      if (root?.kind !== 'map') continue;
      for (const entry of root.entries) {
        const parameter = doc.parameters.get(entry.key.value);
        if (parameter) parameter.tfvars = { node: entry.value, file: name };
      }
    }
    doc.siblings = siblings;
    this.layout.files = parsed.map(({ file, kind, root, problems }) => ({
      uri: file.uri,
      kind,
      root,
      problems,
    }));
    // Override files last, in lexical order of their names (the files are sorted by URI, and
    // share a folder).
    const overrides = [
      ...(selfOverride ? [{ uri: doc.uri, root: doc.root }] : []),
      ...parsed.filter((p) => isOverrideFile(p.file.uri)).map((p) => ({ uri: p.file.uri, root: p.root })),
    ].sort((a, b) => (baseName(a.uri) < baseName(b.uri) ? -1 : 1));
    applyOverrides(
      doc,
      overrides.map((o) => o.root),
    );
    if (readModule) {
      const roots: CallerRoot[] = selfOverride ? [] : [{ uri: doc.uri, root: doc.root }];
      for (const p of configurations) roots.push({ uri: p.file.uri, root: p.root });
      const slot = { next: sorted.length + 1 };
      this.readLocalModules(doc, roots, '', readModule, slot, new Set(), 0, seen, undefined);
    }
    this.forget(doc.uri, seen);
    // Now that every variable and local of the module is known.
    expandTerraform(doc);
  }

  /**
   * Reads the local modules (`source = "./x"`) the given files call: their files are parsed at
   * bases of their own, their resources join the model as `module.<name>.<address>`, their
   * variables take the arguments of the module block, and `var.`/`local.` inside them resolve
   * in their own scope (resolve/values.ts). Registry and git sources are not fetched.
   */
  private readLocalModules(
    doc: TemplateDocument,
    callers: CallerRoot[],
    prefix: string,
    readModule: ReadModule,
    slot: { next: number },
    visiting: Set<string>,
    depth: number,
    seen: Set<string>,
    /** The file of the root module whose module block led here (undefined at the root). */
    top: string | undefined,
  ): void {
    if (depth >= MAX_MODULE_DEPTH) return;
    for (const caller of callers) {
      for (const call of moduleCalls(caller.root)) {
        const source = scalarString(get(call.body, 'source'));
        if (!source || !/^\.\.?[\\/]/.test(source)) continue;
        const child = readModule(caller.uri, source);
        if (!child || visiting.has(child.key)) continue;
        if (slot.next + child.files.length > MAX_MODULE_FILES) {
          this.layout.truncated = true;
          continue;
        }
        const name = call.name;
        const scopePrefix = `${prefix}module.${name}.`;
        const scopeDoc = {
          resources: [] as Resource[],
          resourcesById: new Map<string, Resource>(),
          parameters: new Map<string, Parameter>(),
          locals: new Map<string, Node>(),
          data: new Map<string, MapNode>(),
        };
        const start = SLOT * slot.next;
        const childRoots: CallerRoot[] = [];
        const childOverrides: (Node | undefined)[] = [];
        for (const file of [...child.files].sort((a, b) => (a.uri < b.uri ? -1 : 1))) {
          const kind = moduleFileKind(file.uri);
          if (kind !== 'hcl' && kind !== 'json') continue;
          const base = SLOT * slot.next++;
          const root = this.parse(file, kind, base).root;
          seen.add(file.uri);
          doc.siblings!.push({ uri: file.uri, base, text: file.text, lines: new LineIndex(file.text) });
          if (isOverrideFile(file.uri)) {
            childOverrides.push(root);
            continue;
          }
          readTerraformRoot(scopeDoc as unknown as TemplateDocument, root);
          childRoots.push({ uri: file.uri, root });
        }
        applyOverrides(scopeDoc, childOverrides);
        for (const [variable, parameter] of scopeDoc.parameters) {
          const argument = get(call.body, variable);
          if (argument)
            parameter.input = { node: argument, module: `${prefix}${name}`.replace(/module\./g, '') };
        }
        for (const resource of scopeDoc.resources) {
          resource.id = `${scopePrefix}${resource.id}`;
          doc.resources.push(resource);
          if (!doc.resourcesById.has(resource.id)) doc.resourcesById.set(resource.id, resource);
        }
        for (const [address, body] of scopeDoc.data) if (!doc.data.has(address)) doc.data.set(address, body);
        (doc.scopes ??= []).push({
          name,
          prefix: scopePrefix,
          start,
          end: SLOT * slot.next,
          parameters: scopeDoc.parameters,
          locals: scopeDoc.locals,
        });
        this.layout.scopes.push({ start, end: SLOT * slot.next, caller: top ?? caller.uri });
        visiting.add(child.key);
        this.readLocalModules(
          doc,
          childRoots,
          scopePrefix,
          readModule,
          slot,
          visiting,
          depth + 1,
          seen,
          top ?? caller.uri,
        );
        visiting.delete(child.key);
      }
    }
  }

  /** Drops the parsers of files that are no longer siblings. */
  private forget(self: string, keep: Set<string>): void {
    for (const uri of [...this.hcl.keys()]) {
      // The document itself may be a sibling again for the next file of the module (CLI).
      if (keep.has(uri) || uri === self) continue;
      this.hcl.get(uri)!.dispose();
      this.hcl.delete(uri);
    }
    for (const uri of [...this.json.keys()]) if (!keep.has(uri)) this.json.delete(uri);
  }

  dispose(): void {
    for (const parser of this.hcl.values()) parser.dispose();
    this.hcl.clear();
    this.json.clear();
  }

  private parse(file: ModuleFile, kind: 'hcl' | 'json' | 'tfvars' | 'tfvars-json', base: number): Parsed {
    if (kind === 'json' || kind === 'tfvars-json') {
      const cached = this.json.get(file.uri);
      if (cached && cached.text === file.text && cached.base === base) return cached;
      const { root, problems } = parseJson(file.text, base);
      const parsed = { text: file.text, base, root, problems };
      this.json.set(file.uri, parsed);
      return parsed;
    }
    let parser = this.hcl.get(file.uri);
    if (!parser) {
      parser = new IncrementalHclParser();
      this.hcl.set(file.uri, parser);
    }
    return parser.parse(file.text, base);
  }
}

interface Parsed {
  root: Node | undefined;
  /** At the file's base, as the root. */
  problems: SyntaxProblem[];
}

const RESOURCE_HEADER = /^resource\s+"([^"\n]+)"\s+"([^"\n]+)"/gm;

/** hasDuplicateAddresses on the .tf files' resource headers alone (no parse). */
function hclDuplicates(doc: TemplateDocument, files: readonly ModuleFile[]): boolean {
  const addresses = new Set(doc.resources.map((r) => r.id));
  for (const file of files) {
    if (moduleFileKind(file.uri) !== 'hcl' || isOverrideFile(file.uri)) continue;
    for (const address of headerAddresses(file.text)) {
      if (addresses.has(address)) return true;
      addresses.add(address);
    }
  }
  return false;
}

/** The addresses of the `resource "type" "name"` headers that start a line of a .tf text. */
export function headerAddresses(text: string): string[] {
  return [...text.matchAll(RESOURCE_HEADER)].map((m) => `${m[1]}.${m[2]}`);
}

/** The addresses of the resources a parsed Terraform root defines, in order, repeats included. */
export function rootAddresses(root: Node | undefined): string[] {
  const out: string[] = [];
  for (const top of root?.kind === 'map' ? root.entries : []) {
    if (top.key.value !== 'resource' || top.value.kind !== 'map') continue;
    for (const type of top.value.entries)
      for (const byName of type.value.kind === 'map' ? [type.value] : [])
        for (const name of byName.entries) out.push(`${type.key.value}.${name.key.value}`);
  }
  return out;
}

/** True when a resource address is defined in two files (or twice in the siblings). */
function hasDuplicateAddresses(doc: TemplateDocument, roots: (Node | undefined)[]): boolean {
  const addresses = new Set(doc.resources.map((r) => r.id));
  for (const root of roots)
    for (const address of rootAddresses(root)) {
      if (addresses.has(address)) return true;
      addresses.add(address);
    }
  return false;
}

/**
 * Analyses a document with its module: the findings of the document only (the other files
 * report theirs when they are checked).
 */
export function analyzeInModule(
  doc: TemplateDocument,
  settings: Settings,
  files: readonly ModuleFile[],
  reader: ModuleReader,
  readModule?: ReadModule,
  incremental?: IncrementalState,
): Analysis {
  if (doc.format !== 'tf') return analyze(doc, settings, undefined, incremental);
  const inModule = files.length > 0 || readModule !== undefined || isOverrideFile(doc.uri);
  if (inModule) reader.extend(doc, files, readModule);
  const instances = doc.resources.some((r) => r.instance);
  if (!inModule && !instances) return analyze(doc, settings, undefined, incremental);
  const named = instances ? new Map<string, Named>() : undefined;
  // Messages of instance findings are renamed below: no reuse of findings between versions then.
  const analysis = named
    ? analyze(doc, settings, instanceNaming(named))
    : analyze(doc, settings, undefined, incremental);
  if (named) nameInstances(analysis.findings, named);
  noReferencesInVariables(doc, analysis.findings);
  const end = doc.text.length;
  const findings: Finding[] = [];
  const keys = new Set<string>();
  for (const finding of analysis.findings) {
    const here = finding.start <= end ? finding : atModuleArgument(finding, (offset) => offset <= end);
    if (!here) continue;
    const key = `${here.ruleId}:${here.start}:${here.end}:${here.message}`;
    if (keys.has(key)) continue;
    keys.add(key);
    findings.push(here);
  }
  return { ...analysis, findings };
}

/** Every rule, reporting which `for_each` instance each finding comes from into `named`. */
export function instanceNaming(named: Map<string, Named>): Rule[] {
  return ALL_RULES.map((rule) => ({
    ...rule,
    check: (context: RuleContext) =>
      rule.check({
        ...context,
        report: (input: FindingInput) => {
          const instance = input.resource?.instance;
          if (instance) {
            const key = placeKey(rule.meta.id, input.span, input.message);
            const entry = named.get(key) ?? { addresses: [] };
            if (!entry.addresses.includes(instance.address)) entry.addresses.push(instance.address);
            // On an element of a collection that comes from a default, tfvars or a module argument.
            const source = instance.source;
            const at = input.span;
            if (
              source &&
              ((source.span.start <= at.start && at.end <= source.span.end) ||
                source.uses?.some((u) => u.start === at.start && u.end === at.end))
            )
              entry.source = source;
            named.set(key, entry);
          }
          context.report(input);
        },
      }),
  }));
}

export interface Named {
  addresses: string[];
  source?: NonNullable<NonNullable<Resource['instance']>['source']>;
}

function placeKey(ruleId: string, span: Span, message: string): string {
  return `${ruleId}\u0000${span.start}\u0000${span.end}\u0000${message}`;
}

/**
 * Terraform allows no reference in a variable's default (nor in a .tfvars value): a fix that
 * would write one there (a finding on a `for_each` or `dynamic` element written in a default) is
 * not offered.
 */
export function noReferencesInVariables(doc: TemplateDocument, findings: Finding[]): void {
  const regions: Span[] = [];
  for (const parameters of [doc.parameters, ...(doc.scopes ?? []).map((s) => s.parameters)])
    for (const p of parameters.values()) {
      regions.push(p.node);
      if (p.tfvars) regions.push(p.tfvars.node);
    }
  const within = (node: Span): boolean => regions.some((r) => r.start <= node.start && node.end <= r.end);
  findings.forEach((finding, index) => {
    if (!within(finding)) return;
    const read = (): FixRecipe[] => finding.fixes;
    const allowed = (recipe: FixRecipe): boolean =>
      recipe.ops.every((op) => {
        const target =
          op.op === 'replace' ? op.node : op.op === 'set' ? op.map : op.op === 'append' ? op.seq : undefined;
        return !target || !within(target) || !('value' in op) || !hasReference(op.value);
      });
    // A copy whose fixes are filtered when first asked for (the engine builds them lazily too).
    const { fixes: _fixes, ...descriptors } = Object.getOwnPropertyDescriptors(finding);
    void _fixes;
    let kept: FixRecipe[] | undefined;
    findings[index] = Object.defineProperties({} as Finding, {
      ...descriptors,
      fixes: { enumerable: true, get: () => (kept ??= read().filter(allowed)) },
    });
  });
}

function hasReference(value: NewValue): boolean {
  if (Array.isArray(value)) return value.some(hasReference);
  if (value === null || typeof value !== 'object') return false;
  if ('$param' in value || '$resource' in value || '$sub' in value) return true;
  return Object.values(value).some((v) => hasReference(v as NewValue));
}

/**
 * A finding on a `for_each` instance names it (`aws_x.y["ssh"]: ...`); one that several
 * instances report at the same place (a value written in the body) names them all.
 */
export function nameInstances(findings: Finding[], named: Map<string, Named>): void {
  for (const finding of findings) {
    const entry = named.get(placeKey(finding.ruleId, finding, finding.message));
    if (!entry) continue;
    const [first, ...others] = entry.addresses;
    const shown = others.slice(0, 2).map((a) => a.slice(a.indexOf('[')));
    const more = others.length > shown.length ? ` and ${others.length - shown.length} more` : '';
    const from = entry.source ? ` (${entry.source.text})` : '';
    finding.message = `${[first, ...shown].join(', ')}${more}${from}: ${finding.message}`;
    if (entry.source)
      finding.related = [...finding.related, { span: entry.source.span, message: entry.source.message }];
  }
}

/**
 * A finding inside a local module that rests on an argument of a module block written in this
 * document is shown on that argument, where the user wrote the value (the module's element is
 * related information). `inDocument` says whether an offset lies in the document, whose text
 * starts at `base` (0, unless the module was read with another file as its document).
 */
export function atModuleArgument(
  finding: Finding,
  inDocument: (offset: number) => boolean,
  base = 0,
): Finding | undefined {
  const input = finding.related.find(
    (r) => inDocument(r.span.start) && r.message.startsWith(`${MODULE_INPUT} `),
  );
  if (!input) return undefined;
  const module = / of module (.+)$/.exec(input.message)?.[1] ?? '';
  return {
    ...finding,
    start: input.span.start - base,
    end: input.span.end - base,
    message: `In module ${module}: ${finding.message}`,
    related: [
      { span: { start: finding.start, end: finding.end }, message: `Where module ${module} uses it` },
      ...finding.related.filter((r) => r !== input),
    ],
    fixes: [],
  };
}

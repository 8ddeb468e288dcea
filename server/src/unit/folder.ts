// A Terraform module folder analysed once, its findings split by file. Checking each file with
// its module (analyzeInModule) runs every rule on the whole module once per file: a folder of N
// files costs N analyses of the module, which is quadratic (500 files, 20 s). Here the first
// configuration file is the document, the others its siblings (as `iac-netsec graph` reads a
// folder), the rules run once, and each file gets what analyzeInModule would have given it:
//
// - its findings, moved to its own offsets, and the findings of local modules that rest on an
//   argument written in it (atModuleArgument), in the order the file's own analysis gives them;
// - its own syntax errors, and its suppressions applied as in its own analysis: its comments,
//   the `//` keys of the module's resources, the unused ones among its own (marked used by any
//   finding of the module, as there), none reported unused when it has a syntax error;
// - the rules that failed.
//
// Only when that is exactly what each file's own analysis gives: a folder that some file would
// not read as one module (an address defined twice: the files are read alone), where a local
// module is left out for the file limit (which ones depends on the file read first), or where a
// rule reads what is the document's own file (its text, root, URI or lines: see watchDocument)
// is not analysed here (undefined: the caller checks its files one by one).

import { analyze } from '../engine/analyze';
import type { RuleFailure } from '../engine/analyze';
import type { Finding } from '../engine/finding';
import { SYNTAX_ERROR } from '../engine/finding';
import type { Settings } from '../engine/settings';
import { findSuppressions, SUPPRESSION_INVALID, SUPPRESSION_UNUSED } from '../engine/suppressions';
import type { Resource, TemplateDocument } from '../model/document';
import { loadDocument } from '../model/load';
import type { Node, Span, SyntaxProblem } from '../parse/tree';
import { syntaxOf, type Syntax } from '../parse/detect';
import { LineIndex } from '../model/lines';
import { entryOf } from '../parse/tree';
import { ALL_RULES } from '../rules';
import type { Rule, RuleContext, Severity } from '../rules/types';
import { MODULE_INPUT } from '../resolve/values';
import {
  atModuleArgument,
  headerAddresses,
  instanceNaming,
  MAX_MODULE_FILES,
  moduleFileKind,
  nameInstances,
  noReferencesInVariables,
  rootAddresses,
  SLOT,
  type ModuleFile,
  type ModuleReader,
  type Named,
  type ReadModule,
} from './module';
import { isOverrideFile } from './override';

/**
 * What one file's own analysis reports, in its own offsets: findings (suppressed ones marked, as
 * the engine sorts them) and failed rules. Positions, messages, resources and suppressions are
 * exact; `related` spans outside the file keep the folder analysis' offsets (the CLI's `check`
 * reads none), and fixes are not offered (fix files one by one).
 */
export interface FileFindings {
  /** The file's lines (positions of findings). */
  lines: LineIndex;
  findings: Finding[];
  failures: RuleFailure[];
}

/** A file of the folder as its own analysis sees it. */
interface OwnFile {
  uri: string;
  text: string;
  lines: LineIndex;
  syntax: Syntax;
  /** Where its text starts in the folder analysis. */
  base: number;
  /** Its syntax errors, in its own offsets. */
  problems: SyntaxProblem[];
}

/** What findSuppressions reads of a document: the file's text and syntax, and `resources`. */
function suppressionView(file: OwnFile, resources: Resource[]): TemplateDocument {
  return {
    uri: file.uri,
    text: file.text,
    lines: file.lines,
    format: 'tf',
    syntax: file.syntax,
    root: undefined,
    problems: file.problems,
    resources,
    resourcesById: new Map(),
    parameters: new Map(),
    mappings: undefined,
    conditions: new Map(),
    locals: new Map(),
    data: new Map(),
  };
}

/**
 * Analyses the folder whose Terraform files are `files` (all of them, as read for
 * analyzeInModule) and returns, for each of `targets` (URIs of `.tf`/`.tf.json` files among
 * them), what analyzeInModule gives that file. Undefined when the folder is not analysed as a
 * whole (see above); a target missing from `files` has no entry.
 */
export function analyzeFolder(
  files: readonly ModuleFile[],
  targets: readonly string[],
  settings: Settings,
  reader: ModuleReader,
  readModule?: ReadModule,
): Map<string, FileFindings> | undefined {
  const moduleFiles = files.filter((f) => moduleFileKind(f.uri) !== undefined);
  const byUri = new Map(moduleFiles.map((f) => [f.uri, f]));
  const texts = new Map(moduleFiles.map((f) => [f.uri, f.text]));
  const wanted = [...new Set(targets)].filter((uri) => byUri.has(uri));
  // Each file reads at most MAX_MODULE_FILES others: with more, which ones depends on the file.
  if (wanted.length < 2 || moduleFiles.length > MAX_MODULE_FILES + 1) return undefined;

  const sorted = [...moduleFiles].sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
  const first = sorted.find((f) => isConfiguration(f.uri));
  const doc = first && loadDocument(first.uri, first.text);
  if (!first || doc?.format !== 'tf') return undefined;
  reader.extend(doc, moduleFiles, readModule);
  if (!doc.siblings || reader.layout.truncated) return undefined;
  const firstRoot = doc.root;

  const named = doc.resources.some((r) => r.instance) ? new Map<string, Named>() : undefined;
  const rules = named ? instanceNaming(named) : ALL_RULES;
  const watch = watchDocument(doc);
  const analysis = analyze(doc, settings, watch.rules(rules));
  if (watch.read) return undefined;

  // Each file as its own analysis has it: its text, and the syntax errors of its parse (made at
  // its base here: the parse is the same at any base).
  const parsed = new Map(reader.layout.files.map((f) => [f.uri, f]));
  const bases = new Map(doc.siblings.map((s) => [s.uri, s.base]));
  const own = new Map<string, OwnFile>();
  for (const uri of wanted) {
    if (!isModuleConfiguration(uri)) return undefined;
    const text = byUri.get(uri)!.text;
    const base = uri === first.uri ? 0 : bases.get(uri);
    const problems = uri === first.uri ? doc.problems : parsed.get(uri)?.problems;
    if (base === undefined || !problems) return undefined;
    own.set(uri, {
      uri,
      text,
      lines: uri === first.uri ? doc.lines : new LineIndex(text),
      syntax: syntaxOf(uri, text),
      base,
      problems: problems.map((p) => ({ ...p, start: p.start - base, end: p.end - base })),
    });
  }
  if (!allReadAsOneModule(first, firstRoot, doc, reader, own, texts)) return undefined;
  if (named) nameInstances(analysis.findings, named);
  noReferencesInVariables(doc, analysis.findings);
  const failed = new Set(analysis.failures.map((f) => f.ruleId));
  const ran = (id: string): boolean =>
    !failed.has(id) &&
    rules.some((r) => r.meta.id === id && settings.rules[id] !== 'off' && r.meta.formats.includes('tf'));

  // Where each file's text lies in the folder analysis: slot k starts at k * SLOT.
  const slotOf = (offset: number): number => Math.floor(offset / SLOT);
  const topLevel = reader.layout.files.length; // slots 1..topLevel: the folder's other files

  // The rules' findings by the slot they lie in (the engine's own findings are made per file).
  const bySlot = new Map<number, Finding[]>();
  /** Findings that may move to a module argument written in the slot, with the argument. */
  const movable = new Map<number, Finding[]>();
  const findings = analysis.findings.filter(
    (f) => f.ruleId !== SYNTAX_ERROR && f.ruleId !== SUPPRESSION_INVALID && f.ruleId !== SUPPRESSION_UNUSED,
  );
  for (const finding of findings) {
    const slot = slotOf(finding.start);
    push(bySlot, slot, finding);
    const inputs = new Set<number>();
    for (const r of finding.related)
      if (r.message.startsWith(`${MODULE_INPUT} `)) inputs.add(slotOf(r.span.start));
    for (const at of inputs) if (at !== slot) push(movable, at, finding);
  }
  // Resources that carry a `//` suppression: every file's analysis reads them.
  const commented = doc.resources.filter((r) => entryOf(r.node, '//'));
  const resourcesBySlot = new Map<number, Resource[]>();
  for (const r of doc.resources) push(resourcesBySlot, slotOf(r.keyNode.start), r);

  const out = new Map<string, FileFindings>();
  for (const [uri, fileDoc] of own) {
    const base = fileDoc.base;
    const slot = slotOf(base);
    const length = fileDoc.text.length;
    const inFile = (offset: number): boolean => offset >= base && offset <= base + length;
    // Offsets as this file's own analysis has them: its text from 0, every other file past it.
    const local = (offset: number): number => (inFile(offset) ? offset - base : length + 1 + offset);

    const mine = resourcesBySlot.get(slot) ?? [];
    const resources = [
      ...mine.map((r) => relocated(r, local)),
      ...commented.filter((r) => !inFile(r.keyNode.start)).map((r) => relocated(r, local)),
    ];
    const suppressions = findSuppressions(suppressionView(fileDoc, resources));

    const list: Finding[] = fileDoc.problems.map((p) => ({
      ruleId: SYNTAX_ERROR,
      severity: (p.severity ?? 'error') as Severity,
      start: p.start,
      end: Math.max(p.end, p.start),
      message: p.message,
      related: [],
      fixes: [],
    }));
    for (const f of bySlot.get(slot) ?? []) list.push(shifted(f, base));
    list.push(...suppressions.problems);
    for (const f of list) {
      if (f.ruleId === SYNTAX_ERROR) continue;
      const suppression = suppressions.match(f);
      if (suppression) f.suppressed = suppression;
    }
    // The other files' findings lie past this file's text in its own analysis: they match its
    // suppressions of their resource and of its last line, which then are not unused.
    const elsewhere = (f: Finding) => ({ ...probe(f), start: length + 1, end: length + 1 });
    const moving = (movable.get(slot) ?? []).map((f) => ({
      f,
      suppressed: suppressions.match(elsewhere(f)),
    }));
    if (fileDoc.text.includes('iac-netsec-ignore'))
      for (const f of findings) if (!inFile(f.start)) suppressions.match(elsewhere(f));
    if (!fileDoc.problems.length) list.push(...suppressions.unused(ran));
    list.sort((a, b) => a.start - b.start || a.end - b.end || a.ruleId.localeCompare(b.ruleId));
    const kept = dedupe(list).filter((f) => f.start <= length);

    // Findings moved to a module argument come after the file's own, in the order of the files
    // they lie in as this file's analysis reads them: the folder's other files, then the local
    // modules called from this file, then those called from the others.
    const rank = (offset: number): number => {
      const at = slotOf(offset);
      if (at <= topLevel) return 0;
      const scope = reader.layout.scopes.find((s) => s.start <= offset && offset < s.end);
      return scope?.caller === uri ? 1 : 2;
    };
    const ordered = moving
      .map((m) => ({ ...m, rank: rank(m.f.start) }))
      .sort(
        (a, b) =>
          a.rank - b.rank ||
          a.f.start - b.f.start ||
          a.f.end - b.f.end ||
          a.f.ruleId.localeCompare(b.f.ruleId),
      );
    const result: Finding[] = [];
    const keys = new Set<string>();
    const add = (f: Finding) => {
      const key = `${f.ruleId}:${f.start}:${f.end}:${f.message}`;
      if (keys.has(key)) return;
      keys.add(key);
      result.push(f);
    };
    for (const f of kept) add(f);
    for (const { f, suppressed } of ordered) {
      const moved = atModuleArgument(f, inFile, base);
      if (!moved) continue;
      if (suppressed) moved.suppressed = suppressed;
      else delete moved.suppressed;
      add(moved);
    }
    out.set(uri, { lines: fileDoc.lines, findings: result, failures: [...analysis.failures] });
  }
  return out;
}

/**
 * What in a document is its own file's and not the module's: its text, lines, URI and parsed
 * root. A rule that reads one of them (facts/launchTemplates.ts and rules/iam-policy-invalid read
 * a node's text from `doc.text`, facts/imds.ts data sources from `doc.root`, policy/extract.ts
 * maps embedded policies through `doc.text`, rules/exposure/paths.ts names hops by
 * `doc.uri`) answers differently with another file as the document, so `read` tells the folder
 * analysis to give way to the files' own.
 */
const OWN_FIELDS = ['text', 'lines', 'uri', 'root'] as const;

function watchDocument(doc: TemplateDocument): {
  readonly read: boolean;
  rules(rules: readonly Rule[]): Rule[];
} {
  let running = 0;
  let read = false;
  for (const key of OWN_FIELDS) {
    const value = doc[key];
    Object.defineProperty(doc, key, {
      configurable: true,
      enumerable: true,
      get: () => {
        // Stops the rule (the engine records it as failed): the analysis is thrown away.
        if (running) {
          read = true;
          throw new Error(`the rule read the document's ${key}`);
        }
        return value;
      },
    });
  }
  return {
    get read() {
      return read;
    },
    rules: (rules) =>
      rules.map((rule) => ({
        ...rule,
        check: (context: RuleContext) => {
          if (read) return;
          running++;
          try {
            rule.check(context);
          } finally {
            running--;
          }
        },
      })),
  };
}

function isModuleConfiguration(uri: string): boolean {
  const kind = moduleFileKind(uri);
  return kind === 'hcl' || kind === 'json';
}

function isConfiguration(uri: string): boolean {
  const kind = moduleFileKind(uri);
  return (kind === 'hcl' || kind === 'json') && !isOverrideFile(uri);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Whether every file would read the folder as one module: ModuleReader.extend finds no address
 * defined twice among the file's own resources and the other configuration files, neither in
 * their `resource` headers nor in their parsed roots (an address repeated inside one file counts
 * when that file is a sibling, not when it is the document).
 */
function allReadAsOneModule(
  first: ModuleFile,
  firstRoot: Node | undefined,
  doc: TemplateDocument,
  reader: ModuleReader,
  own: ReadonlyMap<string, OwnFile>,
  texts: ReadonlyMap<string, string>,
): boolean {
  // A file's own resources: those written in it (their names lie in its text).
  const idsOf = new Map<number, Set<string>>();
  for (const r of doc.resources) {
    const slot = Math.floor(r.keyNode.start / SLOT);
    const ids = idsOf.get(slot) ?? new Set<string>();
    ids.add(r.id);
    idsOf.set(slot, ids);
  }
  const headers = new Map<string, string[]>();
  const roots = new Map<string, string[]>();
  if (isConfiguration(first.uri)) {
    if (moduleFileKind(first.uri) === 'hcl') headers.set(first.uri, headerAddresses(first.text));
    roots.set(first.uri, rootAddresses(firstRoot));
  }
  for (const file of reader.layout.files) {
    if (!isConfiguration(file.uri)) continue;
    if (file.kind === 'hcl') headers.set(file.uri, headerAddresses(texts.get(file.uri) ?? ''));
    roots.set(file.uri, rootAddresses(file.root));
  }
  const checks = [headers, roots].map((lists) => {
    const total = new Map<string, number>();
    for (const list of lists.values()) for (const a of list) total.set(a, (total.get(a) ?? 0) + 1);
    const repeated = [...total].filter(([, n]) => n >= 2).map(([a]) => a);
    return { lists, total, repeated };
  });
  for (const [uri, file] of own) {
    const ids = isOverrideFile(uri)
      ? new Set<string>()
      : (idsOf.get(Math.floor(file.base / SLOT)) ?? new Set());
    for (const { lists, total, repeated } of checks) {
      const mine = lists.get(uri) ?? [];
      const others = (address: string): number =>
        (total.get(address) ?? 0) - mine.filter((a) => a === address).length;
      if (repeated.some((a) => others(a) >= 2)) return false;
      for (const id of ids) if (total.has(id) && others(id) >= 1) return false;
    }
  }
  return true;
}

/** A copy of a finding at offsets `base` lower, without a suppression (getters stay lazy). */
function shifted(finding: Finding, base: number): Finding {
  const { suppressed: _suppressed, ...descriptors } = Object.getOwnPropertyDescriptors(finding);
  void _suppressed;
  return Object.defineProperties({} as Finding, {
    ...descriptors,
    start: { ...descriptors.start, value: finding.start - base },
    end: { ...descriptors.end, value: finding.end - base },
  });
}

/** What suppressions match on: rule, resource and place. */
function probe(finding: Finding): Finding {
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    start: finding.start,
    end: finding.end,
    message: finding.message,
    resourceId: finding.resourceId,
    related: [],
    fixes: [],
  };
}

/** A resource as the suppressions of one file see it: its name and `//` key at that file's offsets. */
function relocated(resource: Resource, local: (offset: number) => number): Resource {
  const node = resource.node;
  return {
    ...resource,
    keyNode: { ...resource.keyNode, start: local(resource.keyNode.start), end: local(resource.keyNode.end) },
    node:
      node.kind === 'map' && entryOf(node, '//')
        ? {
            ...node,
            entries: node.entries.map((e) =>
              e.key.value === '//' ? { ...e, key: moved(e.key, local), value: moved(e.value, local) } : e,
            ),
          }
        : node,
  };
}

function moved<T extends Node>(node: T, local: (offset: number) => number): T {
  const span: Span = { start: local(node.start), end: local(node.end) };
  switch (node.kind) {
    case 'map':
      return {
        ...node,
        ...span,
        entries: node.entries.map((e) => ({ ...e, key: moved(e.key, local), value: moved(e.value, local) })),
      };
    case 'seq':
      return { ...node, ...span, items: node.items.map((i) => moved(i, local)) };
    default:
      return { ...node, ...span };
  }
}

/** The engine's: same rule, range and message once. */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.ruleId}\u0000${f.start}\u0000${f.end}\u0000${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

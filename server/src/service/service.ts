// The pure facade the language server and the CLI both use: validate, code actions, hover,
// symbols, definition, fix-all on a TextDocument. No connection, no IO. One analysis per
// document version is cached; every feature reuses it (invariant 3).

import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeAction,
  CodeActionKind,
  CompletionItemKind,
  type CompletionItem,
  DiagnosticSeverity,
  DiagnosticTag,
  type CodeActionContext,
  type Diagnostic,
  type DocumentSymbol,
  type Hover,
  type Location,
  type Position,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-types';
import { analyze, type Analysis } from '../engine/analyze';
import { IncrementalState } from '../engine/incremental';
import type { Finding } from '../engine/finding';
import { SYNTAX_ERROR } from '../engine/finding';
import type { Settings } from '../engine/settings';
import { REASON_PLACEHOLDER, SUPPRESSION_INVALID, SUPPRESSION_UNUSED } from '../engine/suppressions';
import { LineIndex } from '../model/lines';
import { diffEdits, type OffsetEdit } from './textDiff';
import { applyOffsetEdits, EditSet } from './editSet';
import type { Budget } from './budget';
import { recipeToEdits, suppressionRecipe } from '../fixes/edits';
import type { FixRecipe } from '../fixes/recipe';
import { DocumentParsers, loadDocument } from '../model/load';
import { analyzeInModule, ModuleReader, type ModuleFile, type ReadModule } from '../unit/module';
import { locate } from '../model/document';
import { analyzeInStack, nestedStacks, StackReader, type StackTemplatesProvider } from '../unit/stack';
import type { TemplateDocument } from '../model/document';
import { ALL_RULES, ruleById } from '../rules';
import type { Severity } from '../rules/types';
import { controlHover } from './controls';
import { policyHoverAt } from '../policy/hover';
import { policyCompletionAt } from '../policy/complete';
import { definitionAt, documentSymbols } from './navigation';
import { repository } from '../../../package.json';

export const SOURCE = 'iac-netsec';
export const FIX_ALL_KIND = 'source.fixAll.iacNetsec';
/** The public rule docs, derived from the repository package.json declares. */
export const DOCS_BASE = `${repository.url.replace(/^git\+/, '').replace(/\.git$/, '')}/blob/main/server/src/rules/`;
export const SHOW_DOCS_COMMAND = 'iacNetsec.showRuleDocs';
/** Client command (VS Code): select a range of a document, e.g. the reason placeholder just inserted. */
export const SELECT_RANGE_COMMAND = 'iacNetsec.selectRange';

/** Findings whose fixes are never applied in bulk (Fix all, on save, `iac-netsec fix`): they delete what a person wrote. */
const NOT_IN_BULK = new Set([SUPPRESSION_UNUSED]);

export function docsUrl(ruleId: string): string {
  return `${DOCS_BASE}${ruleId}/rule.md`;
}

/** A command URI that opens the bundled docs of a rule in the editor (offline). */
export function docsCommandUri(ruleId: string): string {
  return `command:${SHOW_DOCS_COMMAND}?${encodeURIComponent(JSON.stringify([ruleId]))}`;
}

interface Cached {
  version: number;
  text: string;
  settings: Settings;
  analysis: Analysis | undefined;
  /** The module files' signature the analysis used (Terraform), so a changed sibling re-checks. */
  module?: string;
}

/**
 * The other files of a Terraform document's module folder (the server reads open editors and
 * disk; see unit/module.ts). `signature` changes whenever any file's content may have changed.
 */
export type ModuleFilesProvider = (
  uri: string,
) => { files: ModuleFile[]; signature: string; readModule?: ReadModule } | undefined;

export interface ServiceLogger {
  (message: string): void;
}

/** What `diagnostic.data` carries: enough to find the finding again without re-analysing. */
export interface DiagnosticData {
  version: number;
  index: number;
}

export class IacService {
  private readonly cache = new Map<string, Cached>();
  private readonly parsers = new Map<string, DocumentParsers>();
  /** Per open document: the previous version's rule runs, so an edit re-runs only what it affects. */
  private readonly incremental = new Map<string, IncrementalState>();

  /** Commands the client runs itself (the server sets them from the client's init options). */
  clientCommands = new Set<string>();

  constructor(private readonly log: ServiceLogger = () => undefined) {}

  /** The analysis of this exact document version (computed once). */
  analysis(document: TextDocument, settings: Settings): Analysis | undefined {
    const cached = this.cache.get(document.uri);
    const text = document.getText();
    const module =
      this.moduleFiles && /\.tf(\.json)?$/i.test(document.uri) ? this.moduleFiles(document.uri) : undefined;
    // CloudFormation: the local templates of its nested stacks (unit/stack.ts).
    const stack = !module && this.stackTemplates ? this.stackTemplates(document.uri) : undefined;
    // What the last analysis read besides the document: its module, or the templates of its nested stacks.
    const unit = module ? module.signature : cached?.module !== undefined ? stack?.signature() : undefined;
    if (
      cached &&
      cached.version === document.version &&
      cached.settings === settings &&
      cached.text === text &&
      cached.module === unit
    )
      return cached.analysis;
    let parsers = this.parsers.get(document.uri);
    if (!parsers) {
      parsers = new DocumentParsers();
      this.parsers.set(document.uri, parsers);
    }
    let incremental = this.incremental.get(document.uri);
    if (!incremental) {
      incremental = new IncrementalState();
      this.incremental.set(document.uri, incremental);
    }
    // Another file of the module changed: what this file's rules read may have changed too.
    if (cached && cached.module !== module?.signature) incremental.reset();
    let analysis: Analysis | undefined;
    let nested = false;
    try {
      const doc = loadDocument(document.uri, text, {
        languageId: document.languageId,
        yamlParser: parsers.yaml,
        jsonParser: parsers.json,
        hclParser: parsers.hcl,
      });
      nested = !module && !!stack && !!doc && nestedStacks(doc).length > 0;
      analysis = !doc
        ? undefined
        : module
          ? analyzeInModule(
              doc,
              settings,
              module.files,
              this.moduleReader(document.uri),
              module.readModule,
              incremental,
            )
          : nested && stack
            ? analyzeInStack(doc, settings, stack.readTemplate, this.stackReader(document.uri))
            : doc.format === 'tf'
              ? // A Terraform file alone is still a module of one file (for_each instances named).
                analyzeInModule(doc, settings, [], this.moduleReader(document.uri), undefined, incremental)
              : analyze(doc, settings, undefined, incremental);
    } catch (error) {
      // Invariant 2: never crash on input. Log and answer with nothing rather than fail.
      this.log(`iac-netsec: analysis of ${document.uri} failed: ${errorText(error)}`);
      this.parsers.get(document.uri)?.dispose();
      this.parsers.delete(document.uri);
      this.incremental.delete(document.uri);
      analysis = undefined;
    }
    for (const failure of analysis?.failures ?? []) {
      this.log(`iac-netsec: rule ${failure.ruleId} failed on ${document.uri}: ${errorText(failure.error)}`);
    }
    this.cache.set(document.uri, {
      version: document.version,
      text,
      settings,
      analysis,
      module: module ? module.signature : nested ? stack?.signature() : undefined,
    });
    return analysis;
  }

  private moduleFiles: ModuleFilesProvider | undefined;
  private readonly modules = new Map<string, ModuleReader>();

  /** Terraform documents are analysed with the other files of their folder from now on. */
  setModuleFiles(provider: ModuleFilesProvider | undefined): void {
    this.moduleFiles = provider;
    this.cache.clear();
  }

  private stackTemplates: StackTemplatesProvider | undefined;
  private readonly stacks = new Map<string, StackReader>();

  /** CloudFormation documents are analysed with the local templates of their nested stacks from now on. */
  setStackTemplates(provider: StackTemplatesProvider | undefined): void {
    this.stackTemplates = provider;
    this.cache.clear();
  }

  private stackReader(uri: string): StackReader {
    let reader = this.stacks.get(uri);
    if (!reader) {
      reader = new StackReader();
      this.stacks.set(uri, reader);
    }
    return reader;
  }

  private moduleReader(uri: string): ModuleReader {
    let reader = this.modules.get(uri);
    if (!reader) {
      reader = new ModuleReader();
      this.modules.set(uri, reader);
    }
    return reader;
  }

  close(uri: string): void {
    this.cache.delete(uri);
    this.incremental.delete(uri);
    this.modules.get(uri)?.dispose();
    this.modules.delete(uri);
    this.stacks.get(uri)?.dispose();
    this.stacks.delete(uri);
    this.parsers.get(uri)?.dispose();
    this.parsers.delete(uri);
  }

  diagnostics(document: TextDocument, settings: Settings): Diagnostic[] {
    const analysis = this.analysis(document, settings);
    if (!analysis) return [];
    const out: Diagnostic[] = [];
    analysis.findings.forEach((finding, index) => {
      if (finding.suppressed && !settings.showSuppressed) return;
      out.push(this.toDiagnostic(analysis.doc, finding, { version: document.version, index }));
    });
    return out;
  }

  /**
   * How many diagnostics `diagnostics` gives, without building them: the editor's status item
   * asks after every publish, and converting ~1,000 findings again only to count them cost as
   * much as the conversion for the publish itself.
   */
  diagnosticCount(document: TextDocument, settings: Settings): number {
    const analysis = this.analysis(document, settings);
    if (!analysis) return 0;
    let count = 0;
    for (const finding of analysis.findings) if (!finding.suppressed || settings.showSuppressed) count++;
    return count;
  }

  private toDiagnostic(doc: TemplateDocument, finding: Finding, data: DiagnosticData): Diagnostic {
    const diagnostic: Diagnostic = {
      range: toRange(doc, finding.start, finding.end),
      severity: finding.suppressed ? DiagnosticSeverity.Hint : toSeverity(finding.severity),
      code: finding.ruleId,
      source: SOURCE,
      message: finding.suppressed
        ? `${finding.message} (suppressed: ${finding.suppressed.reason})`
        : finding.message,
      data,
    };
    if (finding.suppressed) diagnostic.tags = [DiagnosticTag.Unnecessary];
    if (ruleById(finding.ruleId)) diagnostic.codeDescription = { href: this.docsLink(finding.ruleId) };
    if (finding.related.length) {
      diagnostic.relatedInformation = finding.related.map((r) => {
        // A span in another file of the module (Terraform) points there.
        const at = locate(doc, r.span);
        return {
          location: {
            uri: at.uri,
            range: { start: at.lines.positionAt(at.start), end: at.lines.positionAt(at.end) },
          },
          message: r.message,
        };
      });
    }
    return diagnostic;
  }

  /** The rule's docs: bundled, opened in the editor when the client shows them itself; else the public page. */
  docsLink(ruleId: string): string {
    return this.clientCommands.has(SHOW_DOCS_COMMAND) ? docsCommandUri(ruleId) : docsUrl(ruleId);
  }

  /** Findings of the current version that a diagnostic (from any client) stands for. */
  private findingsFor(
    analysis: Analysis,
    version: number,
    diagnostics: Diagnostic[],
    range: Range,
  ): Finding[] {
    const out = new Set<Finding>();
    for (const d of diagnostics) {
      if (d.source !== SOURCE) continue;
      const data = d.data as Partial<DiagnosticData> | undefined;
      const byIndex =
        data?.version === version && typeof data.index === 'number'
          ? analysis.findings[data.index]
          : undefined;
      if (byIndex && byIndex.ruleId === d.code) {
        out.add(byIndex);
        continue;
      }
      const start = analysis.doc.lines.offsetAt(d.range.start);
      const end = analysis.doc.lines.offsetAt(d.range.end);
      for (const f of findingsAt(analysis).get(`${String(d.code)}\u0000${start}\u0000${end}`) ?? [])
        out.add(f);
    }
    if (!diagnostics.length) {
      const start = analysis.doc.lines.offsetAt(range.start);
      const end = analysis.doc.lines.offsetAt(range.end);
      for (const f of findingsOverlapping(analysis, start, end)) out.add(f);
    }
    return [...out];
  }

  /**
   * Quick fixes of the findings in the range (their fixes only are built) and Fix all. With a
   * budget (the server's per-request limit), findings past it are left out and Fix all fixes
   * what it reached, saying so in its title.
   */
  codeActions(
    document: TextDocument,
    range: Range,
    context: CodeActionContext,
    settings: Settings,
    budget?: Budget,
  ): CodeAction[] {
    const analysis = this.analysis(document, settings);
    if (!analysis) return [];
    const only = context.only;
    const wants = (kind: string): boolean =>
      !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
    const actions: CodeAction[] = [];
    const doc = analysis.doc;

    if (wants(CodeActionKind.QuickFix)) {
      const findings = this.findingsFor(analysis, document.version, context.diagnostics, range);
      for (const [done, finding] of findings.entries()) {
        // The first finding's actions always (a request that asks for them gets them).
        if (done > 0 && budget?.spent) {
          budget.note(`quick fixes of ${findings.length - done} of ${findings.length} findings in the range`);
          break;
        }
        if (finding.ruleId === SYNTAX_ERROR || finding.suppressed) continue;
        const diagnostic = this.toDiagnostic(doc, finding, {
          version: document.version,
          index: indexOfFinding(analysis, finding),
        });
        finding.fixes.forEach((recipe, i) => {
          const edit = this.workspaceEdit(doc, [recipe]);
          if (!edit) return;
          const action = CodeAction.create(
            recipe.safety === 'unsafe' ? `${recipe.title} (changes behaviour)` : recipe.title,
            edit,
            CodeActionKind.QuickFix,
          );
          action.diagnostics = [diagnostic];
          if (recipe.safety === 'safe' && i === 0) action.isPreferred = true;
          actions.push(action);
        });
        // Other findings' fixes are built only if the rule has others (and within the budget).
        const all =
          (mayFixInBulk(analysis).get(finding.ruleId) ?? 0) > 1
            ? this.fixAllPasses(document, settings, finding.ruleId, budget)
            : undefined;
        if (all && (all.complete ? all.safe > 1 : all.fixed > 0)) {
          const edit: WorkspaceEdit | undefined = all.edits.length
            ? { changes: { [doc.uri]: all.edits } }
            : undefined;
          if (edit) {
            const action = CodeAction.create(
              all.complete
                ? `Fix all ${finding.ruleId} problems in this file`
                : `Fix the first ${all.fixed} ${finding.ruleId} problems in this file (run again for the rest)`,
              edit,
              CodeActionKind.QuickFix,
            );
            action.diagnostics = [diagnostic];
            actions.push(action);
          }
        }
        const suppressible = finding.ruleId !== SUPPRESSION_INVALID && finding.ruleId !== SUPPRESSION_UNUSED;
        const suppress = suppressible ? suppressionRecipe(doc, finding) : undefined;
        if (suppress) {
          const edit = this.workspaceEdit(doc, [suppress]);
          if (edit) {
            const action = CodeAction.create(suppress.title, edit, CodeActionKind.QuickFix);
            action.diagnostics = [diagnostic];
            // The placeholder is selected so that the user types the reason over it; until then
            // the suppression is reported and suppresses nothing.
            const placeholder = this.clientCommands.has(SELECT_RANGE_COMMAND)
              ? placeholderRange(doc.text, edit.changes?.[doc.uri] ?? [], doc)
              : undefined;
            if (placeholder)
              action.command = {
                title: 'Select the reason',
                command: SELECT_RANGE_COMMAND,
                arguments: [doc.uri, placeholder],
              };
            actions.push(action);
          }
        }
        if (ruleById(finding.ruleId)) {
          const action = CodeAction.create(
            `Show documentation for ${finding.ruleId}`,
            {
              title: `Show documentation for ${finding.ruleId}`,
              command: SHOW_DOCS_COMMAND,
              arguments: [finding.ruleId, docsUrl(finding.ruleId)],
            },
            CodeActionKind.QuickFix,
          );
          action.diagnostics = [diagnostic];
          actions.push(action);
        }
      }
    }
    const fixAll = (kind: string): void => {
      const all = this.fixAllPasses(document, settings, undefined, budget);
      if (!all.edits.length) return;
      const title = all.complete
        ? 'Fix all safe iac-netsec problems'
        : `Fix the first ${all.fixed} safe iac-netsec problems (run again for the rest)`;
      actions.push(CodeAction.create(title, { changes: { [document.uri]: all.edits } }, kind));
    };
    if (wants(FIX_ALL_KIND) || (only && wants(CodeActionKind.SourceFixAll))) fixAll(FIX_ALL_KIND);
    else if (!only && mayFixInBulk(analysis).size) fixAll(CodeActionKind.Source);
    return actions;
  }

  /**
   * Safe fixes of every unsuppressed finding, as one edit (fix-on-save, `iac-netsec fix`). With a
   * budget, only the fixes it reached (see `codeActions`).
   */
  fixAllEdits(document: TextDocument, settings: Settings, budget?: Budget): TextEdit[] {
    return this.fixAllPasses(document, settings, undefined, budget).edits;
  }

  /** Fix-all results per analysis: a lightbulb request must not redo the passes. */
  private readonly fixAllCache = new WeakMap<Analysis, Map<string, FixAll>>();

  /**
   * Every safe fix (of one rule, or all) in one action. Fixes are applied in passes, each on the
   * text the previous one left (a fix whose edits overlap or insert at the same place as an
   * earlier one waits for the next pass, where it is computed on the updated document), and the
   * result is handed back as the line difference from the original: minimal hunks, insertions at
   * one place merged. A pass that would add a syntax error is dropped.
   */
  private fixAllPasses(document: TextDocument, settings: Settings, ruleId?: string, budget?: Budget): FixAll {
    const first = this.analysis(document, settings);
    if (!first) return { edits: [], complete: true, fixed: 0, safe: 0 };
    let cache = this.fixAllCache.get(first);
    if (!cache) {
      cache = new Map();
      this.fixAllCache.set(first, cache);
    }
    const cached = cache.get(ruleId ?? '');
    // A partial answer (a budget ran out) serves requests with a budget, not the CLI or on-save.
    if (cached && (cached.complete || budget)) return cached;
    // Cheap tests first: a finding's fixes are built when first asked for.
    const wanted = (f: Finding): boolean =>
      (ruleId === undefined || f.ruleId === ruleId) &&
      !f.suppressed &&
      !NOT_IN_BULK.has(f.ruleId) &&
      ruleById(f.ruleId)?.meta.fixSafety !== 'none' &&
      f.fixes[0]?.safety === 'safe';
    const original = first.doc.text;
    let text = original;
    let analysis = first;
    // Findings whose fix was applied: if one comes back, its fix does not fix it; never loop on it.
    const applied = new Map<string, number>();
    // The first pass's edits, in the original's offsets: the answer when no fix had to wait.
    let firstPass: OffsetEdit[] | undefined;
    let parsers: DocumentParsers | undefined;
    // Findings whose fix the result holds, those with a safe fix, and whether the budget cut it short.
    let fixed = 0;
    let safe = 0;
    let complete = true;
    try {
      for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
        const seen = new Map<string, number>();
        // Picked as the recipes are taken, so that a budget stops the building of fixes too.
        const findings: Finding[] = [];
        const candidates = analysis.findings;
        const recipes = function* (): Generator<FixRecipe> {
          for (const f of candidates) {
            if (!wanted(f)) continue;
            const key = findingKey(f);
            const n = (seen.get(key) ?? 0) + 1;
            seen.set(key, n);
            if (n <= (applied.get(key) ?? 0)) continue;
            findings.push(f);
            if (pass === 0) safe++;
            yield f.fixes[0]!;
          }
        };
        const { edits, used, stopped } = this.rawEdits(analysis.doc, recipes(), true, budget);
        if (!findings.length) break;
        if (!edits.length) {
          if (stopped) complete = false;
          break;
        }
        if (pass === 0) firstPass = edits;
        // Nothing waited for a later pass: done, without analysing the result. With a budget,
        // another pass (which analyses the whole result) only for a small document.
        const done = used.size === findings.length;
        const cut = !done && (stopped || (budget && (budget.spent || text.length > MAX_BUDGETED_PASS_CHARS)));
        if (done || cut) {
          fixed += used.size;
          if (cut) complete = false;
          // After the first pass, its edits are the answer (no need to build the fixed text).
          if (pass > 0) text = applyOffsetEdits(text, edits);
          break;
        }
        const next = applyOffsetEdits(text, edits);
        parsers ??= new DocumentParsers();
        const doc = loadDocument(document.uri, next, {
          languageId: document.languageId,
          yamlParser: parsers.yaml,
          jsonParser: parsers.json,
          hclParser: parsers.hcl,
        });
        // A pass that would break the syntax is dropped (the fixes before it stay).
        if (!doc || doc.problems.length > analysis.doc.problems.length) {
          if (pass === 0) firstPass = undefined;
          break;
        }
        findings.forEach((f, i) => {
          if (used.has(i)) applied.set(findingKey(f), (applied.get(findingKey(f)) ?? 0) + 1);
        });
        fixed += used.size;
        text = next;
        analysis = analyze(doc, settings);
      }
    } catch (error) {
      this.log(`iac-netsec: fix-all on ${document.uri} failed: ${errorText(error)}`);
    } finally {
      parsers?.dispose();
    }
    const onePass = firstPass && (text === original || applyOffsetEdits(original, firstPass) === text);
    const edits = (onePass ? firstPass! : diffEdits(original, text)).map((e) => ({
      range: toRange(first.doc, e.start, e.end),
      newText: e.newText,
    }));
    if (!complete)
      budget?.note(
        `fix all${ruleId ? ` of ${ruleId}` : ''}: the first ${fixed} fixes (the rest on the next run)`,
      );
    const result: FixAll = { edits, complete, fixed, safe };
    // A budget spent before any fix: the next request tries again.
    if (complete || fixed) cache.set(ruleId ?? '', result);
    return result;
  }

  private workspaceEdit(doc: TemplateDocument, recipes: FixRecipe[]): WorkspaceEdit | undefined {
    const edits = this.textEdits(doc, recipes);
    return edits.length ? { changes: { [doc.uri]: edits } } : undefined;
  }

  /** Text edits of several recipes; a recipe whose edits overlap an earlier one is left for a later pass. */
  private textEdits(doc: TemplateDocument, recipes: FixRecipe[]): TextEdit[] {
    return this.rawEdits(doc, recipes).edits.map((e) => ({
      range: toRange(doc, e.start, e.end),
      newText: e.newText,
    }));
  }

  /** Offsets; `used` holds the indexes of the recipes whose edits are in. */
  private rawEdits(
    doc: TemplateDocument,
    recipes: Iterable<FixRecipe>,
    mergeAdditions = false,
    budget?: Budget,
  ): { edits: OffsetEdit[]; used: Set<number>; stopped: boolean } {
    const taken: { start: number; end: number; newText: string }[] = [];
    // Insertions of recipes that only add new parameters / resources (by name): several at one
    // place are joined into one edit (each adds a whole entry), unless two add the same name.
    // The edits taken so far are indexed: a recipe is checked in O(log n), not against every edit.
    const index = new EditSet();
    const names = new Set<string>();
    const used = new Set<number>();
    let stopped = false;
    let at = -1;
    for (const recipe of recipes) {
      at++;
      // At least one fix is tried: a budget spent before (by another action of the request) still fixes something.
      if (at > 0 && budget?.spent) {
        stopped = true;
        break;
      }
      let edits: { start: number; end: number; newText: string }[];
      try {
        edits = recipeToEdits(doc, recipe);
        // A fix that would edit another file of the module is not offered here.
        if (edits.some((e) => e.end > doc.text.length)) continue;
      } catch (error) {
        this.log(`iac-netsec: fix "${recipe.title}" failed: ${errorText(error)}`);
        continue;
      }
      const adds = recipe.ops.flatMap((op) =>
        op.op === 'addResource' || op.op === 'addParameter' ? [`${op.op}:${op.name}`] : [],
      );
      // In JSON an insertion joins another only if it carries its own comma (not into an empty object).
      const delimited = (e: OffsetEdit): boolean =>
        doc.syntax !== 'json' || /^\s*,/.test(e.newText) || /,\s*$/.test(e.newText);
      const joinable =
        mergeAdditions &&
        adds.length === recipe.ops.length &&
        adds.every((n) => !names.has(n)) &&
        edits.every(delimited);
      if (index.fits(edits, joinable)) {
        taken.push(...edits);
        for (const e of edits) index.add(e, joinable);
        for (const n of adds) names.add(n);
        used.add(at);
      }
    }
    return { edits: mergeInsertions(taken), used, stopped };
  }

  hover(document: TextDocument, position: Position, settings: Settings, budget?: Budget): Hover | null {
    const analysis = this.analysis(document, settings);
    if (!analysis) return null;
    const offset = analysis.doc.lines.offsetAt(position);
    const hits = analysis.findings.filter(
      (f) => f.ruleId !== SYNTAX_ERROR && f.start <= offset && offset <= f.end,
    );
    // VS Code shows the diagnostic's message above the hover already: repeat it only elsewhere.
    const editorShowsMessage = this.clientCommands.has(SHOW_DOCS_COMMAND);
    const parts: string[] = [];
    const seen = new Set<string>();
    for (const [done, finding] of hits.entries()) {
      if (budget?.spent && parts.length) {
        budget.note(`hover: ${hits.length - done} of ${hits.length} findings`);
        break;
      }
      const rule = ruleById(finding.ruleId);
      const state = finding.suppressed ? `suppressed: ${finding.suppressed.reason}` : finding.severity;
      const lines = [
        editorShowsMessage
          ? `**${finding.ruleId}** (${state})`
          : `**${finding.ruleId}** (${state}): ${finding.message}`,
      ];
      // The evidence: exposure hops, the parameter default or condition branch it rests on.
      if (finding.hover) lines.push(finding.hover);
      else if (finding.related.length) lines.push(finding.related.map((r) => `- ${r.message}`).join('\n'));
      if (rule && !seen.has(rule.meta.id)) {
        seen.add(rule.meta.id);
        lines.push(hoverSummary(rule.docs, finding.message));
        lines.push(`[Rule documentation](${this.docsLink(rule.meta.id)})`);
      }
      parts.push(lines.join('\n\n'));
    }
    if (!parts.length) {
      const control = controlHover(analysis.doc, offset);
      if (control)
        return {
          contents: { kind: 'markdown', value: control.markdown },
          range: toRange(analysis.doc, control.start, control.end),
        };
      const policy = policyHoverAt(analysis.doc, offset);
      if (policy)
        return {
          contents: { kind: 'markdown', value: policy.markdown },
          range: toRange(analysis.doc, policy.start, policy.end),
        };
      return null;
    }
    const first = hits[0]!;
    return {
      contents: { kind: 'markdown', value: parts.join('\n\n---\n\n') },
      range: toRange(analysis.doc, first.start, first.end),
    };
  }

  /** Completion inside policies (actions, condition operators and keys); [] elsewhere. */
  completion(
    document: TextDocument,
    position: Position,
    settings: Settings,
    budget?: Budget,
  ): CompletionItem[] {
    const analysis = this.analysis(document, settings);
    if (!analysis) return [];
    const offset = analysis.doc.lines.offsetAt(position);
    const result = policyCompletionAt(analysis.doc, offset);
    if (!result) return [];
    const range = toRange(analysis.doc, result.start, result.end);
    const items: CompletionItem[] = [];
    for (const item of result.items) {
      if (budget?.spent && items.length) {
        budget.note(`completion: ${result.items.length - items.length} of ${result.items.length} items`);
        break;
      }
      const out: CompletionItem = {
        label: item.label,
        kind: COMPLETION_KINDS[item.kind],
        textEdit: { range, newText: item.label },
      };
      if (item.detail) out.detail = item.detail;
      if (item.documentation) out.documentation = { kind: 'markdown', value: item.documentation };
      items.push(out);
    }
    return items;
  }

  documentSymbols(document: TextDocument, settings: Settings): DocumentSymbol[] {
    const analysis = this.analysis(document, settings);
    return analysis ? documentSymbols(analysis.doc) : [];
  }

  definition(document: TextDocument, position: Position, settings: Settings, budget?: Budget): Location[] {
    const analysis = this.analysis(document, settings);
    if (!analysis) return [];
    const offset = analysis.doc.lines.offsetAt(position);
    const spans = definitionAt(analysis.doc, offset);
    const out: Location[] = [];
    for (const span of spans) {
      if (budget?.spent && out.length) {
        budget.note(`definition: ${spans.length - out.length} of ${spans.length} locations`);
        break;
      }
      out.push({ uri: document.uri, range: toRange(analysis.doc, span.start, span.end) });
    }
    return out;
  }
}

const COMPLETION_KINDS = {
  service: CompletionItemKind.Module,
  action: CompletionItemKind.Function,
  operator: CompletionItemKind.Operator,
  key: CompletionItemKind.Property,
} as const;

/** First sentences of a paragraph. */
function sentences(text: string, count: number): string {
  const parts = text
    .replace(/\s+/g, ' ')
    .trim()
    .split(/(?<=[.!?])\s+(?=[A-Z`*(])/);
  return parts.slice(0, count).join(' ');
}

/** The first paragraph under a `## heading` of a rule doc. */
function section(docs: string, heading: string): string {
  const at = docs.indexOf(`\n## ${heading}\n`);
  if (at < 0) return '';
  const body = docs.slice(at + heading.length + 5).trimStart();
  return body.split(/\n\s*\n/)[0] ?? '';
}

/** Why and how to fix, in a few lines: the rule's reason, then the one thing to do (the message's last sentence). */
function hoverSummary(docs: string, message: string): string {
  const why = sentences(section(docs, 'Why is this bad?'), 2);
  const all = message
    .replace(/\s+/g, ' ')
    .trim()
    .split(/(?<=[.!?])\s+(?=[A-Z`*(])/);
  const fix = all.length > 1 ? all[all.length - 1] : undefined;
  return [why && `**Why:** ${why}`, fix && `**Fix:** ${fix}`].filter(Boolean).join('\n\n');
}

export function toRange(doc: TemplateDocument, start: number, end: number): Range {
  return { start: doc.lines.positionAt(start), end: doc.lines.positionAt(end) };
}

export function toSeverity(severity: Severity): DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return DiagnosticSeverity.Error;
    case 'warning':
      return DiagnosticSeverity.Warning;
    case 'info':
      return DiagnosticSeverity.Information;
    case 'hint':
      return DiagnosticSeverity.Hint;
  }
}

/** Two insertions at one offset would be applied in an undefined order; join them. */
function mergeInsertions(
  edits: { start: number; end: number; newText: string }[],
): { start: number; end: number; newText: string }[] {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: typeof sorted = [];
  for (const e of sorted) {
    const last = out[out.length - 1];
    if (last && last.start === e.start && last.end === e.start && e.end === e.start)
      last.newText += e.newText;
    else out.push({ ...e });
  }
  return out;
}

/** Where the reason placeholder lands once the edits are applied (a range of the new text). */
function placeholderRange(text: string, edits: TextEdit[], doc: TemplateDocument): Range | undefined {
  const spans = edits
    .map((e) => ({
      start: doc.lines.offsetAt(e.range.start),
      end: doc.lines.offsetAt(e.range.end),
      newText: e.newText,
    }))
    .sort((a, b) => a.start - b.start);
  if (!spans.length) return undefined;
  // The new text from the line of the first edit to the placeholder: the lines above are unchanged
  // (not the whole document per suppress action: that was O(document) per finding).
  const firstLine = doc.lines.positionAt(spans[0]!.start).line;
  let last = doc.lines.lineStart(firstLine);
  let out = '';
  let at: number | undefined;
  for (const e of spans) {
    out += text.slice(last, e.start);
    const i = e.newText.indexOf(REASON_PLACEHOLDER);
    if (i >= 0) {
      at = out.length + i;
      out += e.newText;
      break;
    }
    out += e.newText;
    last = e.end;
  }
  if (at === undefined) return undefined;
  const lines = new LineIndex(out);
  const shift = (p: Position): Position => ({ line: firstLine + p.line, character: p.character });
  return { start: shift(lines.positionAt(at)), end: shift(lines.positionAt(at + REASON_PLACEHOLDER.length)) };
}

/** More than enough for fixes that enable each other; each pass re-analyses the document. */
const MAX_FIX_PASSES = 8;

/** Within a request's budget, a later pass (a whole analysis) only below this size (~4,000 lines). */
const MAX_BUDGETED_PASS_CHARS = 100_000;

/** A Fix all answer: the edits fix `fixed` findings, all there are unless a budget cut it short. */
interface FixAll {
  edits: TextEdit[];
  complete: boolean;
  fixed: number;
  /** Findings with a safe first fix (all of them when complete). */
  safe: number;
}

/** Per analysis, built once: where each finding is in the list, findings by rule and span, safe fixes per rule. */
const FINDING_INDEX = new WeakMap<Analysis, Map<Finding, number>>();
const FINDINGS_AT = new WeakMap<Analysis, Map<string, Finding[]>>();
const MAY_FIX_IN_BULK = new WeakMap<Analysis, Map<string, number>>();

function indexOfFinding(analysis: Analysis, finding: Finding): number {
  let index = FINDING_INDEX.get(analysis);
  if (!index) {
    index = new Map(analysis.findings.map((f, i) => [f, i]));
    FINDING_INDEX.set(analysis, index);
  }
  return index.get(finding) ?? -1;
}

function findingsAt(analysis: Analysis): Map<string, Finding[]> {
  let at = FINDINGS_AT.get(analysis);
  if (!at) {
    at = new Map();
    for (const f of analysis.findings) {
      const key = `${f.ruleId}\u0000${f.start}\u0000${f.end}`;
      const list = at.get(key);
      if (list) list.push(f);
      else at.set(key, [f]);
    }
    FINDINGS_AT.set(analysis, at);
  }
  return at;
}

/** Unsuppressed findings by start, with the largest end so far: the findings in a range without a scan of all. */
const BY_START = new WeakMap<Analysis, { findings: Finding[]; maxEnd: number[] }>();

/** Unsuppressed findings that overlap or touch [start, end], in the analysis' order. */
function findingsOverlapping(analysis: Analysis, start: number, end: number): Finding[] {
  let index = BY_START.get(analysis);
  if (!index) {
    const findings = analysis.findings.filter((f) => !f.suppressed).sort((a, b) => a.start - b.start);
    const maxEnd: number[] = [];
    for (const f of findings) maxEnd.push(Math.max(f.end, maxEnd[maxEnd.length - 1] ?? -1));
    index = { findings, maxEnd };
    BY_START.set(analysis, index);
  }
  // The last finding that starts at or before `end`, then back while an earlier one may reach `start`.
  let lo = 0;
  let hi = index.findings.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (index.findings[mid]!.start <= end) lo = mid + 1;
    else hi = mid;
  }
  const out: Finding[] = [];
  for (let i = lo - 1; i >= 0 && index.maxEnd[i]! >= start; i--) {
    const f = index.findings[i]!;
    if (f.end >= start) out.push(f);
  }
  return out.sort((a, b) => indexOfFinding(analysis, a) - indexOfFinding(analysis, b));
}

/**
 * Unsuppressed findings of rules that have fixes, per rule, for bulk fixes: counted without
 * building any fix (a finding's fixes are built on first use).
 */
function mayFixInBulk(analysis: Analysis): Map<string, number> {
  let counts = MAY_FIX_IN_BULK.get(analysis);
  if (!counts) {
    counts = new Map();
    for (const f of analysis.findings)
      if (!f.suppressed && !NOT_IN_BULK.has(f.ruleId) && ruleById(f.ruleId)?.meta.fixSafety !== 'none')
        counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
    MAY_FIX_IN_BULK.set(analysis, counts);
  }
  return counts;
}

function findingKey(f: Finding): string {
  return `${f.ruleId}\u0000${f.resourceId ?? ''}\u0000${f.message}`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

export { ALL_RULES };

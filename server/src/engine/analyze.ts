// Runs the enabled rules on a document, isolates rules that throw, applies severity settings
// and suppressions, and returns findings (syntax errors first).

import { Facts } from '../facts';
import { conditionScope, fixFitsResource } from '../model/cfn';
import type { TemplateDocument } from '../model/document';
import { ALL_RULES } from '../rules';
import type { FixRecipe } from '../fixes/recipe';
import type { FindingInput, RelatedInfo, Rule, Severity } from '../rules/types';
import type { Finding } from './finding';
import { SYNTAX_ERROR } from './finding';
import type { Settings } from './settings';
import { findSuppressions } from './suppressions';
import { IncrementalState, movedFinding, ruleSlot } from './incremental';

export interface RuleFailure {
  ruleId: string;
  error: unknown;
}

export interface Analysis {
  doc: TemplateDocument;
  /** All findings, suppressed ones included (marked), sorted by position. */
  findings: Finding[];
  /** Rules that threw; logged by the caller, never shown as findings. */
  failures: RuleFailure[];
}

export function analyze(
  doc: TemplateDocument,
  settings: Settings,
  rules: readonly Rule[] = ALL_RULES,
  incremental?: IncrementalState,
): Analysis {
  const findings: Finding[] = doc.problems.map((p) => ({
    ruleId: SYNTAX_ERROR,
    severity: (p.severity ?? 'error') as Severity,
    start: p.start,
    end: Math.max(p.end, p.start),
    message: p.message,
    related: [],
    fixes: [],
  }));
  const failures: RuleFailure[] = [];
  const active = rules.filter(
    (rule) => settings.rules[rule.meta.id] !== 'off' && rule.meta.formats.includes(doc.format),
  );
  if (incremental) runIncrementally(doc, settings, rules, active, incremental, findings, failures);
  else {
    const facts = new Facts(doc);
    for (const rule of active) {
      const run = runRule(rule, doc, facts, settings);
      if ('error' in run) failures.push({ ruleId: rule.meta.id, error: run.error });
      else findings.push(...run.findings);
    }
  }
  const suppressions = findSuppressions(doc);
  findings.push(...suppressions.problems);
  for (const finding of findings) {
    if (finding.ruleId === SYNTAX_ERROR) continue;
    const suppression = suppressions.match(finding);
    if (suppression) finding.suppressed = suppression;
  }
  // A suppression is unused only if its rule ran to the end on a document that parsed: a syntax
  // error can hide the finding it is for while the user types.
  if (!doc.problems.length) {
    const failed = new Set(failures.map((f) => f.ruleId));
    const ran = (id: string): boolean => active.some((r) => r.meta.id === id) && !failed.has(id);
    findings.push(...suppressions.unused(ran));
  }
  findings.sort((a, b) => a.start - b.start || a.end - b.end || a.ruleId.localeCompare(b.ruleId));
  return { doc, findings: dedupe(findings), failures };
}

/** One rule on one document: its findings, or what it threw (a rule that throws is isolated). */
function runRule(
  rule: Rule,
  doc: TemplateDocument,
  facts: Facts,
  settings: Settings,
): { findings: Finding[] } | { error: unknown } {
  const setting = settings.rules[rule.meta.id];
  const severity = setting === 'off' ? undefined : setting;
  const collected: Finding[] = [];
  try {
    rule.check({
      doc,
      facts,
      settings,
      report: (input: FindingInput) => collected.push(toFinding(rule, input, severity)),
    });
    return { findings: collected };
  } catch (error) {
    return { error };
  }
}

/**
 * Runs the rules the edit since the previous version can affect (engine/incremental.ts) and
 * reuses, moved, the findings of the others.
 */
function runIncrementally(
  doc: TemplateDocument,
  settings: Settings,
  rules: readonly Rule[],
  active: readonly Rule[],
  state: IncrementalState,
  findings: Finding[],
  failures: RuleFailure[],
): void {
  const { scope, view, facts: kept } = state.prepare(doc, settings, rules);
  const tracker = state.tracker;
  // Rules and the facts they derive read the document through views that record what is read.
  const facts = new Facts(view, tracker, kept);
  // Fixes of reused findings: the rule runs once more on this version when asked (untracked).
  let plain: Facts | undefined;
  const rerun = new Map<string, Map<string, Finding>>();
  const rebuildFixes =
    (rule: Rule) =>
    (finding: Finding): Finding['fixes'] => {
      let byPlace = rerun.get(rule.meta.id);
      if (!byPlace) {
        byPlace = new Map();
        const run = runRule(rule, doc, (plain ??= new Facts(doc)), settings);
        for (const f of 'findings' in run ? run.findings : []) byPlace.set(placeKey(f), f);
        rerun.set(rule.meta.id, byPlace);
      }
      return byPlace.get(placeKey(finding))?.fixes ?? [];
    };
  const runs = new Map<string, Finding[]>();
  for (const rule of active) {
    const previous = scope && state.reusable(rule.meta.id, scope);
    if (previous) {
      const moved = previous.map((f) => movedFinding(f, scope, rebuildFixes(rule)));
      runs.set(rule.meta.id, moved);
      findings.push(...moved);
      continue;
    }
    state.lastRun.push(rule.meta.id);
    const run = tracker.record(tracker.slot(ruleSlot(rule.meta.id)), () =>
      runRule(rule, view, facts, settings),
    );
    if ('error' in run) failures.push({ ruleId: rule.meta.id, error: run.error });
    else {
      runs.set(rule.meta.id, run.findings);
      findings.push(...run.findings);
    }
  }
  state.keep(doc, view, settings, rules, runs, facts.entries());
}

function placeKey(f: Finding): string {
  return `${f.start}\u0000${f.end}\u0000${f.message}`;
}

function toFinding(rule: Rule, input: FindingInput, setting: Severity | undefined): Finding {
  const scope = conditionScope(input.resource);
  const finding: Finding = {
    ruleId: rule.meta.id,
    severity: setting ?? input.severity ?? rule.meta.severity,
    start: input.span.start,
    end: input.span.end,
    message: scope ? addNote(input.message, scope.note) : input.message,
    resourceId: input.resource?.id,
    related: copyRelated(input.related, scope?.related),
    fixes: [],
    hover: input.hover,
  };
  const fixes = input.fixes;
  if (typeof fixes === 'function') {
    // Built on first use (code actions, fix-all), once.
    let built: FixRecipe[] | undefined;
    Object.defineProperty(finding, 'fixes', {
      enumerable: true,
      get: () => (built ??= fitting(fixes(), input.resource)),
    });
  } else if (fixes) finding.fixes = fitting(fixes, input.resource);
  return finding;
}

function fitting(recipes: FixRecipe[], resource: FindingInput['resource']): FixRecipe[] {
  return recipes.filter((r) => fixFitsResource(r, resource));
}

/** Spans are copied: a rule may pass a node, and the parser moves nodes for the next version. */
function copyRelated(
  related: readonly RelatedInfo[] | undefined,
  condition: RelatedInfo | undefined,
): RelatedInfo[] {
  const out: RelatedInfo[] = [];
  for (const r of related ?? []) out.push({ ...r, span: { start: r.span.start, end: r.span.end } });
  if (condition) out.push({ ...condition, span: { start: condition.span.start, end: condition.span.end } });
  return out;
}

/** `note` goes before the message's final period, or at its end. */
function addNote(message: string, note: string): string {
  return message.endsWith('.') ? `${message.slice(0, -1)}${note}.` : `${message}${note}`;
}

/** Same rule, same range, same message: report once (e.g. a value reached through two paths). */
function dedupe(findings: Finding[]): Finding[] {
  // The findings are sorted by range, so a duplicate lies among the kept findings of its range:
  // compared there, instead of a string key built for each of thousands of findings per keystroke.
  const out: Finding[] = [];
  let range = 0; // index in `out` of the first kept finding with the current range
  for (const f of findings) {
    const last = out[out.length - 1];
    if (!last || last.start !== f.start || last.end !== f.end) range = out.length;
    else if (isKept(out, range, f)) continue;
    out.push(f);
  }
  return out;
}

function isKept(out: Finding[], from: number, f: Finding): boolean {
  for (let i = from; i < out.length; i++)
    if (out[i]!.ruleId === f.ruleId && out[i]!.message === f.message) return true;
  return false;
}

// Runs the enabled rules on a document, isolates rules that throw, applies severity settings
// and suppressions, and returns findings (syntax errors first).

import { Facts } from '../facts';
import { conditionScope, fixFitsResource } from '../model/cfn';
import type { TemplateDocument } from '../model/document';
import { ALL_RULES } from '../rules';
import type { FixRecipe } from '../fixes/recipe';
import type { FindingInput, Rule, Severity } from '../rules/types';
import type { Finding } from './finding';
import { SYNTAX_ERROR } from './finding';
import type { Settings } from './settings';
import { findSuppressions } from './suppressions';

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
  const facts = new Facts(doc);
  for (const rule of rules) {
    const setting = settings.rules[rule.meta.id];
    if (setting === 'off') continue;
    if (!rule.meta.formats.includes(doc.format)) continue;
    const collected: Finding[] = [];
    try {
      rule.check({
        doc,
        facts,
        settings,
        report: (input: FindingInput) => collected.push(toFinding(rule, input, setting)),
      });
      findings.push(...collected);
    } catch (error) {
      failures.push({ ruleId: rule.meta.id, error });
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
    const active = (id: string): boolean =>
      rules.some(
        (r) => r.meta.id === id && settings.rules[id] !== 'off' && r.meta.formats.includes(doc.format),
      ) && !failed.has(id);
    findings.push(...suppressions.unused(active));
  }
  findings.sort((a, b) => a.start - b.start || a.end - b.end || a.ruleId.localeCompare(b.ruleId));
  return { doc, findings: dedupe(findings), failures };
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
    related: scope ? [...(input.related ?? []), scope.related] : (input.related ?? []),
    fixes: [],
    hover: input.hover,
  };
  const fits = (recipes: FixRecipe[]) => recipes.filter((r) => fixFitsResource(r, input.resource));
  const fixes = input.fixes;
  if (typeof fixes === 'function') {
    // Built on first use (code actions, fix-all), once.
    let built: FixRecipe[] | undefined;
    Object.defineProperty(finding, 'fixes', { enumerable: true, get: () => (built ??= fits(fixes())) });
  } else if (fixes) finding.fixes = fits(fixes);
  return finding;
}

/** `note` goes before the message's final period, or at its end. */
function addNote(message: string, note: string): string {
  return message.endsWith('.') ? `${message.slice(0, -1)}${note}.` : `${message}${note}`;
}

/** Same rule, same range, same message: report once (e.g. a value reached through two paths). */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.ruleId}\u0000${f.start}\u0000${f.end}\u0000${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

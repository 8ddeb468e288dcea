// The rule tester (DESIGN.md test layer 2): valid and invalid cases per format. Each invalid
// case asserts the rule id, the exact range (by the text it covers and its line), and the
// exact text after each fix. It fails if a fix appears unasserted, if a fix's safety is not
// declared in the rule's metadata, or if a fixed document does not parse or keeps the finding.

import { describe, expect, it } from 'vitest';
import { analyze } from '../engine/analyze';
import type { Finding } from '../engine/finding';
import { defaultSettings, mergeSettings, type Settings } from '../engine/settings';
import { recipeToEdits } from '../fixes/edits';
import { loadDocument } from '../model/load';
import type { Rule, Severity } from '../rules/types';

export interface ValidCase {
  name?: string;
  /** File name; decides the syntax and (for .tf.json) the format. */
  file: string;
  code: string;
  settings?: Partial<Settings>;
}

export interface ExpectedFix {
  title: string | RegExp;
  /** The whole document after applying this fix alone. */
  output: string;
}

export interface ExpectedFinding {
  /** The exact source text the finding covers. */
  text: string;
  /** 1-based line the finding starts on. */
  line: number;
  message?: string | RegExp;
  severity?: Severity;
  /** Every fix, in order; [] when there is none. */
  fixes: ExpectedFix[];
  /** Related information messages, when asserted. */
  related?: string[];
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedFinding[];
}

export function run(
  doc: { file: string; code: string },
  rules: readonly Rule[],
  settings: Settings,
): Finding[] {
  const model = loadDocument(doc.file, doc.code);
  if (!model) return [];
  return analyze(model, settings, rules).findings;
}

export function applyFix(file: string, code: string, finding: Finding, index: number): string {
  const model = loadDocument(file, code)!;
  const edits = recipeToEdits(model, finding.fixes[index]!).sort((a, b) => b.start - a.start);
  let out = code;
  for (const e of edits) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

export function ruleTester(rule: Rule, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  describe(rule.meta.id, () => {
    for (const [i, c] of cases.valid.entries()) {
      it(`valid ${i + 1}: ${c.name ?? c.file}`, () => {
        const settings = mergeSettings(defaultSettings(), c.settings ?? {});
        const findings = run(c, [rule], settings).filter((f) => !f.suppressed);
        expect(findings.map(describeFinding)).toEqual([]);
      });
    }
    for (const [i, c] of cases.invalid.entries()) {
      it(`invalid ${i + 1}: ${c.name ?? c.file}`, () => {
        const settings = mergeSettings(defaultSettings(), c.settings ?? {});
        const all = run(c, [rule], settings);
        const syntax = all.filter((f) => f.ruleId === 'syntax-error');
        const findings = all.filter((f) => f.ruleId === rule.meta.id && !f.suppressed);
        expect(
          findings.map((f) => ({ text: c.code.slice(f.start, f.end), line: lineOf(c.code, f.start) })),
          'findings (text and line)',
        ).toEqual(c.errors.map((e) => ({ text: e.text, line: e.line })));
        findings.forEach((finding, n) => {
          const expected = c.errors[n]!;
          if (expected.message !== undefined) {
            if (typeof expected.message === 'string') expect(finding.message).toBe(expected.message);
            else expect(finding.message).toMatch(expected.message);
          }
          if (expected.severity) expect(finding.severity).toBe(expected.severity);
          if (expected.related) expect(finding.related.map((r) => r.message)).toEqual(expected.related);
          expect(
            finding.fixes.length,
            `number of fixes of finding ${n + 1} (every fix must be asserted)`,
          ).toBe(expected.fixes.length);
          finding.fixes.forEach((fix, k) => {
            const want = expected.fixes[k]!;
            if (typeof want.title === 'string') expect(fix.title).toBe(want.title);
            else expect(fix.title).toMatch(want.title);
            if (rule.meta.fixSafety === 'none')
              throw new Error(`${rule.meta.id} declares no fix but offers "${fix.title}"`);
            if (fix.safety === 'unsafe' && rule.meta.fixSafety !== 'unsafe')
              throw new Error(
                `${rule.meta.id} declares fixSafety ${rule.meta.fixSafety} but "${fix.title}" is unsafe`,
              );
            const output = applyFix(c.file, c.code, finding, k);
            expect(output, `text after fix "${fix.title}"`).toBe(want.output);
            // The fixed document parses (no new syntax errors) and has fewer findings of this rule.
            const after = run({ file: c.file, code: output }, [rule], settings);
            expect(after.filter((f) => f.ruleId === 'syntax-error').length, 'syntax errors after fix').toBe(
              syntax.length,
            );
            expect(after.filter((f) => f.ruleId === rule.meta.id && !f.suppressed).length).toBeLessThan(
              findings.length,
            );
          });
        });
      });
    }
  });
}

export function lineOf(code: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < code.length; i++) if (code[i] === '\n') line++;
  return line;
}

export function describeFinding(f: Finding): string {
  return `${f.ruleId} [${f.start},${f.end}] ${f.message}`;
}

/** Joins lines: keeps test templates readable without indentation accidents. */
export function lines(...parts: string[]): string {
  return parts.join('\n') + '\n';
}

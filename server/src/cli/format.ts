// Output of `check`: text for people, JSON for scripts, SARIF 2.1.0 for code scanning.

import { SYNTAX_ERROR } from '../engine/finding';
import { SUPPRESSION_INVALID, SUPPRESSION_UNUSED } from '../engine/suppressions';
import { ALL_RULES } from '../rules';
import type { Severity } from '../rules/types';
import { docsUrl } from '../service/service';
import type { CliFinding, FileResult } from './check';
import type * as Sarif from 'sarif';
import { homepage } from '../../../package.json';

export interface Colors {
  red(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const plain = (s: string) => s;
export const NO_COLORS: Colors = { red: plain, yellow: plain, blue: plain, dim: plain, bold: plain };
export const ANSI_COLORS: Colors = {
  red: (s) => `\u001b[31m${s}\u001b[39m`,
  yellow: (s) => `\u001b[33m${s}\u001b[39m`,
  blue: (s) => `\u001b[34m${s}\u001b[39m`,
  dim: (s) => `\u001b[2m${s}\u001b[22m`,
  bold: (s) => `\u001b[1m${s}\u001b[22m`,
};

/** Findings that are shown (suppressed ones are only carried in SARIF). */
export function visible(result: FileResult): CliFinding[] {
  return result.findings.filter((f) => !f.suppressed);
}

function colorSeverity(severity: Severity, colors: Colors): string {
  switch (severity) {
    case 'error':
      return colors.red(severity);
    case 'warning':
      return colors.yellow(severity);
    default:
      return colors.blue(severity);
  }
}

const MAX_EXCERPT = 160;

/** The source line and a caret underline under the finding's first line. */
function excerpt(finding: CliFinding, colors: Colors): string[] {
  let text = finding.lineText;
  let start = finding.column - 1;
  let end = finding.endLine === finding.line ? finding.endColumn - 1 : text.length;
  if (end <= start) end = start + 1;
  if (text.length > MAX_EXCERPT) {
    const from = Math.max(0, Math.min(start - 40, text.length - MAX_EXCERPT));
    const prefix = from > 0 ? '…' : '';
    const sliced = text.slice(from, from + MAX_EXCERPT);
    const suffix = from + MAX_EXCERPT < text.length ? '…' : '';
    text = prefix + sliced + suffix;
    start = start - from + prefix.length;
    end = Math.min(end - from + prefix.length, prefix.length + sliced.length);
    if (end <= start) end = start + 1;
  }
  const gutter = String(finding.line);
  const pad = ' '.repeat(gutter.length);
  // Keep tabs under tabs so the carets line up.
  const lead = text.slice(0, start).replace(/[^\t]/g, ' ');
  const carets = '^'.repeat(Math.max(1, Math.min(end, Math.max(text.length, start + 1)) - start));
  return [
    `  ${colors.dim(`${gutter} |`)} ${text}`,
    `  ${colors.dim(`${pad} |`)} ${lead}${colors.red(carets)}`,
  ];
}

export function formatText(results: readonly FileResult[], colors: Colors): string {
  const lines: string[] = [];
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  let files = 0;
  let withFindings = 0;
  for (const result of results) {
    if (!result.checked) continue;
    files++;
    const findings = visible(result);
    if (findings.length) withFindings++;
    for (const f of findings) {
      counts[f.severity]++;
      lines.push(
        `${colors.bold(`${result.file}:${f.line}:${f.column}`)} ${colorSeverity(f.severity, colors)} ${colors.dim(f.rule)} ${f.message}`,
      );
      lines.push(...excerpt(f, colors));
      lines.push('');
    }
  }
  const total = counts.error + counts.warning + counts.info + counts.hint;
  const checked = `${files} file${files === 1 ? '' : 's'} checked`;
  if (!total) {
    lines.push(`No problems found (${checked}).`);
  } else {
    const parts = (['error', 'warning', 'info', 'hint'] as const)
      .filter((s) => counts[s])
      .map((s) => `${counts[s]} ${s}${counts[s] === 1 || s === 'info' ? '' : 's'}`);
    lines.push(
      `${total} problem${total === 1 ? '' : 's'} (${parts.join(', ')}) in ${withFindings} file${withFindings === 1 ? '' : 's'} (${checked}).`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export interface JsonFinding {
  file: string;
  rule: string;
  severity: Severity;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  resource: string | null;
}

export function jsonFindings(results: readonly FileResult[]): JsonFinding[] {
  const out: JsonFinding[] = [];
  for (const result of results) {
    for (const f of visible(result)) {
      out.push({
        file: result.file,
        rule: f.rule,
        severity: f.severity,
        line: f.line,
        column: f.column,
        endLine: f.endLine,
        endColumn: f.endColumn,
        message: f.message,
        resource: f.resource,
      });
    }
  }
  return out;
}

export function formatJson(results: readonly FileResult[], version: string): string {
  return `${JSON.stringify({ version, findings: jsonFindings(results) }, null, 2)}\n`;
}

const SARIF_LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
  hint: 'note',
};

/** GitHub code scanning ranks security results by this (0-10). */
const SECURITY_SEVERITY: Record<Severity, string> = {
  error: '8.0',
  warning: '5.5',
  info: '3.0',
  hint: '1.0',
};

function section(markdown: string, heading: string): string | undefined {
  const match = new RegExp(`^## ${heading}\\s*\\n([\\s\\S]*?)(?=^## |(?![\\s\\S]))`, 'm').exec(markdown);
  return match?.[1]?.trim();
}

function sarifRules(): Sarif.ReportingDescriptor[] {
  const rules: Sarif.ReportingDescriptor[] = ALL_RULES.map((rule) => {
    const what = section(rule.docs, 'What it does');
    const firstParagraph = what
      ?.split(/\n\s*\n/)[0]
      ?.replace(/\s+/g, ' ')
      .trim();
    return {
      id: rule.meta.id,
      name: rule.meta.id
        .split('-')
        .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
        .join(''),
      shortDescription: { text: rule.meta.summary },
      fullDescription: { text: firstParagraph || rule.meta.summary },
      helpUri: docsUrl(rule.meta.id),
      help: { text: rule.docs, markdown: rule.docs },
      defaultConfiguration: { level: SARIF_LEVEL[rule.meta.severity] },
      properties: {
        // GitHub shows `external/cwe/cwe-284` tags as CWE links and filters by them.
        tags: [
          'security',
          'network',
          rule.meta.category,
          ...(rule.meta.references.cwe ?? []).map((cwe) => `external/cwe/${cwe.toLowerCase()}`),
        ],
        precision: 'high',
        'security-severity': SECURITY_SEVERITY[rule.meta.severity],
      },
    };
  });
  rules.push(
    {
      id: SYNTAX_ERROR,
      name: 'SyntaxError',
      shortDescription: { text: 'The file is not valid YAML or JSON' },
      fullDescription: { text: 'A syntax error in YAML or JSON; the parts that parsed are still checked.' },
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['correctness'] },
    },
    {
      id: SUPPRESSION_INVALID,
      name: 'SuppressionInvalid',
      shortDescription: { text: 'A suppression names an unknown rule, has no reason, or misspells a key' },
      fullDescription: {
        text: 'A suppression that would be silently ignored: an unknown rule id, a missing reason or a misspelt key.',
      },
      defaultConfiguration: { level: 'warning' },
      properties: { tags: ['maintainability'] },
    },
    {
      id: SUPPRESSION_UNUSED,
      name: 'SuppressionUnused',
      shortDescription: { text: 'A suppression suppresses nothing' },
      fullDescription: {
        text: 'A suppression of ours that matches no finding (wrong line, wrong rule, or the finding is gone); reported with --report-unused-suppressions. Remove it so that it cannot hide a future finding.',
      },
      defaultConfiguration: { level: 'warning' },
      properties: { tags: ['maintainability'] },
    },
  );
  return rules;
}

function sarifUri(file: string): string {
  return file
    .split('/')
    .map((segment, i) => (i === 0 && /^[A-Za-z]:$/.test(segment) ? segment : encodeURIComponent(segment)))
    .join('/');
}

export function formatSarif(results: readonly FileResult[], version: string, cwdUri: string): string {
  const rules = sarifRules();
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const sarifResults: Sarif.Result[] = [];
  for (const result of results) {
    for (const f of result.findings) {
      const absolute = result.file.startsWith('/') || /^[A-Za-z]:/.test(result.file);
      const entry: Sarif.Result = {
        ruleId: f.rule,
        ...(index.has(f.rule) ? { ruleIndex: index.get(f.rule) } : {}),
        level: SARIF_LEVEL[f.severity],
        message: { text: f.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: absolute
                ? { uri: `file://${sarifUri(result.file.startsWith('/') ? result.file : `/${result.file}`)}` }
                : { uri: sarifUri(result.file), uriBaseId: '%SRCROOT%' },
              region: {
                startLine: f.line,
                startColumn: f.column,
                endLine: f.endLine,
                endColumn: f.endColumn,
                snippet: { text: f.lineText },
              },
            },
            ...(f.resource ? { logicalLocations: [{ name: f.resource, kind: 'resource' }] } : {}),
          },
        ],
        partialFingerprints: { 'iacNetsecFingerprint/v1': f.fingerprint },
      };
      if (f.suppressed) entry.suppressions = [{ kind: 'inSource', justification: f.suppressed.reason }];
      sarifResults.push(entry);
    }
  }
  const sarif: Sarif.Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'iac-netsec',
            version,
            semanticVersion: version,
            informationUri: homepage,
            rules,
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: cwdUri.endsWith('/') ? cwdUri : `${cwdUri}/` } },
        columnKind: 'utf16CodeUnits',
        results: sarifResults,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

// `iac-netsec check --format markdown`: a summary for a pull-request comment or GitHub's job
// summary ($GITHUB_STEP_SUMMARY): counts by severity, the findings table with links to file and
// line, and a Mermaid map of the paths from the internet to exposed ports (GitHub renders
// Mermaid in Markdown).

import type { Severity } from '../rules/types';
import { ruleById } from '../rules';
import { docsUrl } from '../service/service';
import type { FileResult } from './check';
import { visible } from './format';
import type { GraphUnit } from './graph';
import { formatMermaid, portText } from './graph';

/** More rows than this are summarised in one line (a PR comment holds 65,536 characters). */
export const MAX_ROWS = 200;

const ORDER: Severity[] = ['error', 'warning', 'info', 'hint'];
const ICONS: Record<Severity, string> = { error: '🔴', warning: '🟠', info: '🔵', hint: '⚪' };

export interface MarkdownOptions {
  /** Prefix of file links (`https://github.com/o/r/blob/<sha>/`); relative links without it. */
  linkBase?: string;
}

/** The link base of a GitHub Actions run (GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_SHA), if any. */
export function githubLinkBase(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_SHA: sha } = env;
  return server && repo && sha ? `${server}/${repo}/blob/${sha}/` : undefined;
}

/** Text in a table cell: no line breaks, pipes and markup escaped. */
function cell(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`)
    .trim();
}

function fileLink(file: string, line: number, options: MarkdownOptions): string {
  const posix = file.split('\\').join('/');
  const target = `${options.linkBase ?? ''}${posix.split('/').map(encodeURIComponent).join('/')}#L${line}`;
  return `[${cell(`${posix}:${line}`)}](${target})`;
}

export function formatMarkdown(
  results: readonly FileResult[],
  units: readonly GraphUnit[],
  options: MarkdownOptions = {},
): string {
  const findings = results
    .flatMap((r) => visible(r).map((f) => ({ file: r.file, ...f })))
    .sort(
      (a, b) =>
        ORDER.indexOf(a.severity) - ORDER.indexOf(b.severity) ||
        (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
        a.line - b.line ||
        a.column - b.column,
    );
  const checked = results.filter((r) => r.checked).length;
  const counts = ORDER.map((s) => ({ severity: s, n: findings.filter((f) => f.severity === s).length }));
  const out: string[] = ['## IaC network security', ''];
  if (!findings.length) {
    out.push(`No findings in ${checked} file${checked === 1 ? '' : 's'} checked.`);
  } else {
    out.push(
      `${counts
        .filter((c) => c.n || c.severity !== 'hint')
        .map(
          (c) =>
            `${ICONS[c.severity]} **${c.n}** ${c.severity}${c.n === 1 || c.severity === 'info' ? '' : 's'}`,
        )
        .join(' · ')} in ${checked} file${checked === 1 ? '' : 's'} checked.`,
      '',
      '| Severity | Rule | Location | Message |',
      '| --- | --- | --- | --- |',
    );
    for (const f of findings.slice(0, MAX_ROWS)) {
      const rule = ruleById(f.rule) ? `[\`${f.rule}\`](${docsUrl(f.rule)})` : `\`${f.rule}\``;
      out.push(
        `| ${ICONS[f.severity]} ${f.severity} | ${rule} | ${fileLink(f.file, f.line, options)} | ${cell(f.message)} |`,
      );
    }
    if (findings.length > MAX_ROWS)
      out.push('', `… and ${findings.length - MAX_ROWS} more (run \`iac-netsec check\` for all of them).`);
  }
  const exposed = units.filter((u) => u.map.exposures.length);
  out.push('', '### Exposure map', '');
  if (!exposed.length) {
    out.push('No path from the internet to an admin or sensitive port.');
  } else {
    for (const unit of exposed) {
      const list = unit.map.exposures.map(
        (x) => `${x.service} (${portText(x)}) on \`${x.path[x.path.length - 1]}\``,
      );
      out.push(`- **${cell(unit.unit)}**: ${[...new Set(list)].join(', ')}`);
    }
    out.push('', '```mermaid', formatMermaid(exposed, { onlyExposed: true }).trimEnd(), '```');
  }
  return `${out.join('\n')}\n`;
}

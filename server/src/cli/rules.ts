// `iac-netsec rules`: the rule list (text or JSON), or one rule's documentation.

import { suggest } from '../config/config';
import { ALL_RULES, ruleById } from '../rules';
import { docsUrl } from '../service/service';
import { UsageError, type Args } from './args';
import type { Io } from './run';

export function runRules(args: Args, io: Io): number {
  const rules = [...ALL_RULES].sort((a, b) => a.meta.id.localeCompare(b.meta.id));
  const id = args.paths[0];
  if (id !== undefined) {
    const rule = ruleById(id);
    if (!rule)
      throw new UsageError(
        `Unknown rule ${id}.${suggest(
          id,
          rules.map((r) => r.meta.id),
        )} Run iac-netsec rules for the list.`,
      );
    if (args.format === 'json')
      io.stdout(`${JSON.stringify({ ...describe(rule.meta), docs: rule.docs }, null, 2)}\n`);
    else io.stdout(rule.docs.endsWith('\n') ? rule.docs : `${rule.docs}\n`);
    return 0;
  }
  if (args.format === 'json') {
    io.stdout(
      `${JSON.stringify(
        rules.map((r) => describe(r.meta)),
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  const rows = rules.map((r) => [
    r.meta.id,
    r.meta.severity,
    r.meta.fixSafety === 'none' ? '-' : r.meta.fixSafety,
    r.meta.summary,
  ]);
  const header = ['RULE', 'SEVERITY', 'FIX', 'SUMMARY'];
  const widths = [0, 1, 2].map((i) => Math.max(header[i]!.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell))
      .join('  ')
      .trimEnd();
  io.stdout(
    `${[line(header), ...rows.map(line)].join('\n')}\n\n${rules.length} rule${rules.length === 1 ? '' : 's'}. iac-netsec rules <rule-id> shows one rule's documentation.\n`,
  );
  return 0;
}

function describe(meta: (typeof ALL_RULES)[number]['meta']) {
  return {
    id: meta.id,
    summary: meta.summary,
    category: meta.category,
    severity: meta.severity,
    fixSafety: meta.fixSafety,
    formats: meta.formats,
    resourceTypes: meta.resourceTypes,
    references: meta.references,
    docsUrl: docsUrl(meta.id),
  };
}

// The README rule table, generated from rule metadata (kept fresh by test/meta/readme.test.ts).

import type { Rule } from './types';

const CATEGORY_TITLES: Record<string, string> = {
  exposure: 'Exposure: security groups, network ACLs, EKS',
  imds: 'Instance metadata service',
  transport: 'Transport encryption',
  public: 'Public exposure and reachability',
  connectivity: 'Private connectivity and visibility',
  policy: 'Policies',
};

const FORMAT_NAMES: Record<string, string> = { cfn: 'CFN', tf: 'TF', plan: 'PLAN', iam: 'IAM' };

export function renderRulesTable(rules: readonly Rule[]): string {
  const out: string[] = [];
  for (const [category, title] of Object.entries(CATEGORY_TITLES)) {
    const inCategory = rules.filter((r) => r.meta.category === category);
    if (!inCategory.length) continue;
    out.push(
      `### ${title}`,
      '',
      '| id | severity | formats | fix | what it flags | what it does not report |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const r of inCategory) {
      const formats = r.meta.formats.map((f) => FORMAT_NAMES[f] ?? f).join(' ');
      const link = `[\`${r.meta.id}\`](server/src/rules/${r.meta.id}/rule.md)`;
      const stance = r.meta.doesNotReport ?? '';
      out.push(
        `| ${link} | ${r.meta.severity} | ${formats} | ${r.meta.fixSafety} | ${r.meta.summary} | ${stance} |`,
      );
    }
    out.push('');
  }
  return out.join('\n').trimEnd();
}

// Meta tests (DESIGN.md test layer 7): every rule has metadata, docs with the fixed headings
// whose examples are run, tests and a registry entry; ids are unique and cover RULES.md.

import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../server/src/engine/analyze';
import { defaultSettings } from '../../server/src/engine/settings';
import { loadDocument } from '../../server/src/model/load';
import { ALL_RULES } from '../../server/src/rules';

const RULES_DIR = path.join(__dirname, '../../server/src/rules');
const NOT_RULES = new Set(['exposure', 'transport', 'connectivity']);

/** The catalogue of RULES.md (../shared/RULES.md), every id of which must ship. */
const CATALOG =
  `ssh-open-to-internet rdp-open-to-internet all-ports-open-to-internet sensitive-port-open-to-internet
port-open-to-internet wide-public-cidr egress-open-to-internet default-security-group-has-rules nacl-open-to-internet
nacl-duplicate-rule-number eks-endpoint-open-to-internet imdsv1-allowed imds-hop-limit-too-high http-listener-not-redirected
outdated-tls-allowed cloudfront-allows-http cloudfront-default-certificate cloudfront-origin-plaintext
cache-transit-encryption-disabled search-https-not-enforced search-node-to-node-encryption-disabled msk-plaintext-allowed
database-tls-not-enforced s3-secure-transport-not-enforced efs-transit-encryption-disabled ftp-protocol-enabled
database-publicly-accessible service-publicly-accessible instance-public-ip subnet-auto-assigns-public-ip
internet-exposure-path gateway-endpoint-missing interface-endpoint-missing vpc-endpoint-policy-unrestricted
vpc-flow-logs-missing iam-policy-invalid public-principal-without-condition network-condition-ineffective
allow-with-not-principal`.split(/\s+/);

const HEADINGS = [
  '## What it does',
  '## Why is this bad?',
  '## Example',
  '## Use instead',
  '## Fix safety',
  '## Options',
  '## References',
];

const folders = readdirSync(RULES_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory() && !NOT_RULES.has(d.name))
  .map((d) => d.name);

describe('rule catalogue', () => {
  it('every id of RULES.md is implemented', () => {
    const ids = ALL_RULES.map((r) => r.meta.id);
    expect(CATALOG.filter((id) => !ids.includes(id))).toEqual([]);
  });
  it('ids are unique and every rule folder is registered', () => {
    const ids = ALL_RULES.map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...folders].sort()).toEqual([...ids].sort());
  });
});

for (const rule of ALL_RULES) {
  describe(rule.meta.id, () => {
    const dir = path.join(RULES_DIR, rule.meta.id);
    it('has rule.ts, rule.md and rule.test.ts', () => {
      for (const f of ['rule.ts', 'rule.md', 'rule.test.ts'])
        expect(existsSync(path.join(dir, f)), f).toBe(true);
    });
    it('has complete metadata', () => {
      expect(rule.meta.summary.length).toBeGreaterThan(10);
      expect(['error', 'warning', 'info', 'hint']).toContain(rule.meta.severity);
      expect(['none', 'safe', 'unsafe']).toContain(rule.meta.fixSafety);
      expect(rule.meta.formats.length).toBeGreaterThan(0);
      expect(rule.meta.resourceTypes.length).toBeGreaterThan(0);
    });
    it('docs have the fixed headings in order', () => {
      const docs = rule.docs;
      expect(docs.startsWith(`# ${rule.meta.id}\n`)).toBe(true);
      let last = -1;
      for (const h of HEADINGS) {
        const i = docs.indexOf(`\n${h}\n`);
        expect(i, h).toBeGreaterThan(last);
        last = i;
      }
    });
    it('every docs Example block triggers the rule and no Use instead block does', () => {
      const examples = codeBlocks(section(rule.docs, '## Example'));
      const useInstead = codeBlocks(section(rule.docs, '## Use instead'));
      expect(examples.length, 'Example has a code block').toBeGreaterThan(0);
      expect(useInstead.length, 'Use instead has a code block').toBeGreaterThan(0);
      for (const block of examples)
        expect(
          findings(block, rule.meta.id).length,
          `findings in Example ${block.lang} block`,
        ).toBeGreaterThan(0);
      for (const block of useInstead)
        expect(findings(block, rule.meta.id), `findings in Use instead ${block.lang} block`).toEqual([]);
    });
    if (rule.meta.formats.includes('tf'))
      it('docs of a Terraform rule show HCL under Example and Use instead', () => {
        const hcl = (heading: string) =>
          codeBlocks(section(rule.docs, heading)).filter((b) => b.lang === 'hcl').length;
        expect(hcl('## Example'), 'hcl blocks under Example').toBeGreaterThan(0);
        expect(hcl('## Use instead'), 'hcl blocks under Use instead').toBeGreaterThan(0);
      });
  });
}

function section(docs: string, heading: string): string {
  const start = docs.indexOf(`\n${heading}\n`);
  const next = docs.indexOf('\n## ', start + heading.length + 2);
  return docs.slice(start, next < 0 ? undefined : next);
}

interface CodeBlock {
  lang: string;
  file: string;
  code: string;
}

/** Every fenced block: the language picks the syntax (`hcl` is a `.tf` file), an optional file name the format. */
function codeBlocks(text: string): CodeBlock[] {
  const defaults: Record<string, string> = { json: 'example.json', hcl: 'main.tf' };
  return [...text.matchAll(/```(\w+)(?:[ \t]+([^\n]+))?\n([\s\S]*?)```/g)].map((m) => ({
    lang: m[1]!,
    file: m[2]?.trim() || defaults[m[1]!] || 'example.yaml',
    code: m[3]!,
  }));
}

function findings(example: CodeBlock, ruleId: string): string[] {
  const doc = loadDocument(example.file, example.code);
  if (example.lang === 'hcl') {
    // An HCL block that does not parse as Terraform would pass under Use instead without meaning anything.
    expect(doc?.format, `${example.file} is read as Terraform`).toBe('tf');
    expect(
      doc?.problems.map((p) => p.message),
      `${example.file} parses`,
    ).toEqual([]);
  }
  if (!doc) return [];
  const rule = ALL_RULES.find((r) => r.meta.id === ruleId)!;
  return analyze(doc, defaultSettings(), [rule])
    .findings.filter((f) => f.ruleId === ruleId && !f.suppressed)
    .map((f) => f.message);
}

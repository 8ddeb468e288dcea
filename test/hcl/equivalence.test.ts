// Every Terraform rule reads HCL (.tf) as it reads Terraform JSON: each Terraform JSON fixture
// has an HCL twin (test-fixtures/terraform-hcl/, first rendered by scripts/tfjson-to-hcl.mjs),
// and both must give the same findings: the same rules on the same resources, each covering
// the same element (compared without quoting, which differs between the formats).

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../server/src/engine/analyze';
import { defaultSettings } from '../../server/src/engine/settings';
import { loadDocument } from '../../server/src/model/load';

const root = path.join(__dirname, '../../test-fixtures');

function findings(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const doc = loadDocument(file, text)!;
  expect(doc.problems).toEqual([]);
  return analyze(doc, defaultSettings())
    .findings.map((f) => `${f.ruleId} ${f.resourceId ?? '-'} ${normalize(text.slice(f.start, f.end))}`)
    .sort();
}

/** The covered text without quotes, escapes, `${ }` and spacing (JSON strings vs HCL expressions). */
function normalize(text: string): string {
  return text
    .replace(/^<<-?(\w+)([^]*)\1$/, '$2')
    .replace(/\\n/g, '')
    .replace(/^jsonencode\(([^]*)\)$/, '$1')
    .replace(/[\\"\s,]/g, '')
    .replace(/^\$\{(.*)\}$/, '$1')
    .replace(/:/g, '=')
    .replace(/,$/, '');
}

describe('HCL twins of the Terraform JSON fixtures', () => {
  for (const name of readdirSync(path.join(root, 'terraform-json'))) {
    const twin = path.join(root, 'terraform-hcl', name.replace(/\.tf\.json$/, '.tf'));
    it(name, () => {
      expect(findings(twin)).toEqual(findings(path.join(root, 'terraform-json', name)));
    });
  }
});

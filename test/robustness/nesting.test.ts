// Deep nesting (issue 16, item 5): the documented limit (MAX_NESTING) is real. Deeper YAML or
// JSON gets one clear "nested deeper than N levels here" problem at the place it goes too deep,
// the same on every run; anything within the limit is read, even with Node's default stack
// (the CLI's main thread, where a recursive parser fails first).

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_NESTING } from '../../server/src/parse/depth';
import { CLI, ensureBuilt } from '../protocol/support';

const HEAD = 'AWSTemplateFormatVersion: "2010-09-09"\n';
const PROPS = 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n';
const SHAPES: Record<string, (n: number) => string> = {
  'flow.yaml': (n) => `${HEAD}${PROPS}      X: ${'['.repeat(n)}1${']'.repeat(n)}\n`,
  'maps.yaml': (n) => `${HEAD}${PROPS}      X: ${'{a: '.repeat(n)}1${'}'.repeat(n)}\n`,
  'block.yaml': (n) => `${HEAD}${PROPS}      X:\n        ${'- '.repeat(n)}1\n`,
  'deep.json': (n) =>
    `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"X": ${'['.repeat(n)}1${']'.repeat(n)}}}}}`,
};

let tmp: string;
beforeAll(() => {
  ensureBuilt();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'iac-netsec-nesting-'));
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function syntaxErrors(depth: number): string[] {
  const dir = path.join(tmp, String(depth));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  for (const [name, make] of Object.entries(SHAPES)) writeFileSync(path.join(dir, name), make(depth));
  const result = spawnSync(process.execPath, [CLI, 'check', '-f', 'json', '--fail-on', 'none', '.'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(result.stderr).toBe('');
  const out = JSON.parse(result.stdout) as {
    findings: {
      file: string;
      rule: string;
      line: number;
      column: number;
      endColumn: number;
      message: string;
    }[];
  };
  return out.findings
    .filter((f) => f.rule === 'syntax-error')
    .map((f) => `${f.file}:${f.line}:${f.column}-${f.endColumn} ${f.message}`);
}

describe('nesting', () => {
  it('the limit is 500 levels', () => expect(MAX_NESTING).toBe(500));

  it('2,000 levels: one clear problem at the place it goes too deep, the same on every run', () => {
    const expected = [
      'block.yaml:7:1001-1002 YAML is nested deeper than 500 levels here; it is not read.',
      'deep.json:1:607-608 JSON is nested deeper than 500 levels here; it is not read.',
      'flow.yaml:6:506-507 YAML is nested deeper than 500 levels here; it is not read.',
      'maps.yaml:6:1994-1995 YAML is nested deeper than 500 levels here; it is not read.',
    ];
    expect(syntaxErrors(2000)).toEqual(expected);
    expect(syntaxErrors(2000)).toEqual(expected);
  }, 60_000);

  it('900 levels (where the stack used to run out): the same clear problem', () => {
    expect(syntaxErrors(900)).toEqual([
      'block.yaml:7:1001-1002 YAML is nested deeper than 500 levels here; it is not read.',
      'deep.json:1:607-608 JSON is nested deeper than 500 levels here; it is not read.',
      'flow.yaml:6:506-507 YAML is nested deeper than 500 levels here; it is not read.',
      'maps.yaml:6:1994-1995 YAML is nested deeper than 500 levels here; it is not read.',
    ]);
  }, 60_000);

  it('450 levels, within the limit: read without any syntax error', () => {
    expect(syntaxErrors(450)).toEqual([]);
  }, 60_000);
});

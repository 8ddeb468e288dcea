// `iac-netsec check` on a folder of nested stacks (test-fixtures/nested-stacks): the parent is
// checked with its local child templates, so a finding in a child that rests on a value the
// parent passes is reported on the parent's line; each child checked on its own keeps its defaults.

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureBuilt, ROOT } from '../protocol/support';

beforeAll(() => ensureBuilt(), 120_000);

describe('iac-netsec check on nested stacks', () => {
  it('reports on the parent value the child uses', () => {
    const result = spawnSync(
      process.execPath,
      [CLI, 'check', 'test-fixtures/nested-stacks', '--format', 'json'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' },
      },
    );
    expect(result.status).toBe(1);
    const findings = (
      JSON.parse(result.stdout) as {
        findings: {
          file: string;
          rule: string;
          line: number;
          column: number;
          endColumn: number;
          resource: string;
        }[];
      }
    ).findings.map((f) => [
      f.file.split(path.sep).join('/'),
      f.rule,
      f.line,
      f.column,
      f.endColumn,
      f.resource,
    ]);
    expect(findings).toEqual([
      ['test-fixtures/nested-stacks/network.yaml', 'vpc-flow-logs-missing', 11, 3, 6, 'Vpc'],
      ['test-fixtures/nested-stacks/network.yaml', 'port-open-to-internet', 34, 19, 31, 'AppSg'],
      ['test-fixtures/nested-stacks/parent.yaml', 'ssh-open-to-internet', 17, 20, 29, 'Network'],
      ['test-fixtures/nested-stacks/parent.yaml', 'sensitive-port-open-to-internet', 26, 21, 36, 'Database'],
    ]);
  });
});

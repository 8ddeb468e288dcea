// `iac-netsec check --report-unused-suppressions`: suppressions that suppress nothing are
// reported in CI as in the editor; without the flag they are not (and never fail the run).

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureBuilt } from '../protocol/support';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  # iac-netsec-ignore ssh-open-to-internet: bastion, reviewed in SEC-42
  WebSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 10.0.0.0/8
`;

function run(cwd: string, ...args: string[]): { code: number | null; stdout: string } {
  const out = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: out.status, stdout: out.stdout };
}

let root: string;
beforeAll(() => {
  ensureBuilt();
  root = mkdtempSync(path.join(os.tmpdir(), 'iac-netsec-unused-'));
  mkdirSync(root, { recursive: true });
  writeFileSync(path.join(root, 'web.yaml'), TEMPLATE);
}, 120_000);

describe('--report-unused-suppressions', () => {
  it('reports a suppression that suppresses nothing, at its line, and fails at --fail-on warning', () => {
    const { code, stdout } = run(
      root,
      'check',
      '--report-unused-suppressions',
      '--fail-on',
      'warning',
      '-f',
      'json',
    );
    const findings = (
      JSON.parse(stdout) as {
        findings: { rule: string; line: number; column: number; severity: string; message: string }[];
      }
    ).findings;
    expect(findings.map((f) => [f.rule, f.line, f.column, f.severity])).toEqual([
      ['suppression-unused', 3, 3, 'warning'],
    ]);
    expect(findings[0]!.message).toBe(
      'Unused suppression: resource WebSg has no ssh-open-to-internet finding (wrong line, wrong rule, or the finding is gone). Remove it, so that it cannot hide a future finding.',
    );
    expect(code).toBe(1);
  });

  it('without the flag: nothing reported, exit 0', () => {
    const { code, stdout } = run(root, 'check', '--fail-on', 'warning', '-f', 'json');
    expect((JSON.parse(stdout) as { findings: unknown[] }).findings).toEqual([]);
    expect(code).toBe(0);
  });

  it('SARIF declares the rule of the result', () => {
    const { stdout } = run(root, 'check', '--report-unused-suppressions', '-f', 'sarif');
    const sarif = JSON.parse(stdout) as {
      runs: {
        tool: { driver: { rules: { id: string }[] } };
        results: { ruleId: string; ruleIndex: number }[];
      }[];
    };
    const [result] = sarif.runs[0]!.results;
    expect(result!.ruleId).toBe('suppression-unused');
    expect(sarif.runs[0]!.tool.driver.rules[result!.ruleIndex]!.id).toBe('suppression-unused');
  });

  it('iac-netsec fix never removes it', () => {
    run(root, 'fix', '--report-unused-suppressions');
    expect(readFileSync(path.join(root, 'web.yaml'), 'utf8')).toBe(TEMPLATE);
  });
});

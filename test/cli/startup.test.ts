// The shipped bundles keep the IAM catalogue out of their code (issue 17, CLI start-up): it is
// dist/iam-catalog.json, read the first time a policy is checked. A copy of the CLI without that
// file still checks templates without policies exactly as before, and names the missing file
// when a policy needs it.

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureBuilt, ROOT } from '../protocol/support';

const CATALOG = path.join(ROOT, 'server/src/policy/data/catalog.json');

const POLICY = `{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*" }]
}
`;

const SSH = `Resources:
  WebSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0
`;

let tmp: string;
let bare: string;

function check(cli: string, file: string) {
  const result = spawnSync(process.execPath, [cli, 'check', file, '--format', 'json'], {
    cwd: tmp,
    encoding: 'utf8',
  });
  const findings = (JSON.parse(result.stdout) as { findings: Record<string, unknown>[] }).findings;
  return { status: result.status, stderr: result.stderr, findings };
}

beforeAll(() => {
  ensureBuilt();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'iac-netsec-startup-'));
  writeFileSync(path.join(tmp, 'policy.json'), POLICY);
  writeFileSync(path.join(tmp, 'web.yaml'), SSH);
  // The CLI and its wasm files, without the catalogue.
  bare = mkdtempSync(path.join(tmp, 'dist-'));
  for (const file of readdirSync(path.join(ROOT, 'dist')))
    if (/^cli(-worker)?\.js$|\.wasm$/.test(file))
      copyFileSync(path.join(ROOT, 'dist', file), path.join(bare, file));
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the IAM catalogue is a file next to the bundles, loaded only for policies', () => {
  it('is dist/iam-catalog.json, byte for byte the generated catalogue, and in no bundle', () => {
    const text = readFileSync(CATALOG, 'utf8');
    expect(readFileSync(path.join(ROOT, 'dist/iam-catalog.json'), 'utf8')).toBe(text);
    // A stretch of the catalogue as it would appear in a bundle's string literal.
    const sample = JSON.stringify(text.slice(0, 4000)).slice(1, -1);
    for (const bundle of ['cli.js', 'cli-worker.js', 'server.js'])
      expect(readFileSync(path.join(ROOT, 'dist', bundle), 'utf8').includes(sample), bundle).toBe(false);
  });

  it('the CLI reads it to check a policy', () => {
    const { status, stderr, findings } = check(CLI, 'policy.json');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(findings).toEqual([
      {
        file: 'policy.json',
        rule: 'iam-policy-invalid',
        severity: 'warning',
        line: 3,
        column: 48,
        endLine: 3,
        endColumn: 62,
        message:
          'Unknown action "s3:GetObjekt": Amazon S3 has no action "GetObjekt". Did you mean "s3:GetObject"? IAM accepts it, but the statement grants or denies nothing through it (bundled IAM catalogue of 2026-09-26).',
        resource: null,
      },
    ]);
  });

  it('a template without policies never reads it', () => {
    const withCatalog = check(CLI, 'web.yaml');
    const without = check(path.join(bare, 'cli.js'), 'web.yaml');
    expect(without.stderr).toBe('');
    expect(without.status).toBe(1);
    expect(without.findings.map((f) => [f.rule, f.line, f.column])).toEqual([
      ['ssh-open-to-internet', 10, 19],
    ]);
    expect(without.findings).toEqual(withCatalog.findings);
  });

  it('without it, a policy check names the missing file', () => {
    const { stderr, findings } = check(path.join(bare, 'cli.js'), 'policy.json');
    expect(findings).toEqual([]);
    expect(stderr).toBe(
      `iac-netsec: policy.json: rule iam-policy-invalid failed: The IAM catalogue ${path.join(bare, 'iam-catalog.json')} cannot be read (ENOENT: no such file or directory, open '${path.join(bare, 'iam-catalog.json')}'): it is shipped next to the bundles.\n`,
    );
  });
});

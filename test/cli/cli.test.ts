// dist/cli.js run as a process on small trees built in a temporary directory: exit codes, the
// JSON shape, SARIF basics, text output, .gitignore and config excludes, `rules` and `fix`.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_RULES } from '../../server/src/rules';
import { CLI, ensureBuilt, ROOT } from '../protocol/support';

const SSH = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
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

const SUPPRESSED = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  BastionSg:
    Type: AWS::EC2::SecurityGroup
    Metadata:
      iac-netsec:
        ignore:
          - rule: ssh-open-to-internet
            reason: bastion, reviewed in SEC-42
    Properties:
      GroupDescription: bastion
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0
`;

const TF = JSON.stringify(
  {
    resource: {
      aws_security_group: {
        web: {
          name: 'web',
          ingress: [
            {
              from_port: 22,
              to_port: 22,
              protocol: 'tcp',
              cidr_blocks: ['0.0.0.0/0'],
              description: null,
              ipv6_cidr_blocks: [],
              prefix_list_ids: [],
              security_groups: [],
              self: false,
            },
          ],
        },
      },
    },
  },
  null,
  2,
);

function write(root: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(root, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
}

function run(cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let tmp: string;
beforeAll(() => {
  ensureBuilt();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'iac-netsec-cli-'));
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function repo(name: string, files: Record<string, string>): string {
  const root = path.join(tmp, name);
  mkdirSync(path.join(root, '.git'), { recursive: true });
  write(root, files);
  return root;
}

describe('iac-netsec check', () => {
  let root: string;
  beforeAll(() => {
    root = repo('tree', {
      '.gitignore': 'ignored/\n*.generated.yaml\n',
      'templates/web.yaml': SSH,
      'templates/web.generated.yaml': SSH,
      'templates/suppressed.yaml': SUPPRESSED,
      'templates/half.yaml': `${SSH}  Db:\n    Type: "AWS::RDS::DBInstance\n`,
      'ignored/web.yaml': SSH,
      'node_modules/pkg/web.yaml': SSH,
      'compose.yaml': 'services:\n  web:\n    image: nginx\n',
      'package.json': '{"name": "x"}',
      'infra/main.tf.json': TF,
      'notes.txt': SSH,
    });
  });

  it('prints exactly one JSON object of the documented shape and exits 1 on errors', () => {
    const { code, stdout } = run(root, 'check', '--format', 'json');
    expect(code).toBe(1);
    const out = JSON.parse(stdout) as { version: string; findings: Record<string, unknown>[] };
    expect(Object.keys(out)).toEqual(['version', 'findings']);
    expect(out.version).toMatch(/^\d+\.\d+\.\d+/);
    for (const f of out.findings) {
      expect(Object.keys(f)).toEqual([
        'file',
        'rule',
        'severity',
        'line',
        'column',
        'endLine',
        'endColumn',
        'message',
        'resource',
      ]);
    }
    const web = out.findings.find(
      (f) => f.file === 'templates/web.yaml' && f.rule === 'ssh-open-to-internet',
    );
    expect(web).toMatchObject({
      severity: 'error',
      line: 11,
      column: 19,
      endLine: 11,
      endColumn: 28,
      resource: 'WebSg',
    });
    // .gitignore, node_modules, non-templates and suppressed findings are left out.
    const files = [...new Set(out.findings.map((f) => f.file))].sort();
    expect(files).toEqual(['infra/main.tf.json', 'templates/half.yaml', 'templates/web.yaml']);
    const half = out.findings.filter((f) => f.file === 'templates/half.yaml');
    expect(half.map((f) => f.rule).sort()).toEqual(['ssh-open-to-internet', 'syntax-error']);
    const tf = out.findings.find((f) => f.file === 'infra/main.tf.json')!;
    expect(tf.resource).toBe('aws_security_group.web');
  });

  it('prints file:line:col severity rule message with the source line and carets', () => {
    const { code, stdout } = run(root, 'check', 'templates/web.yaml');
    expect(code).toBe(1);
    const lines = stdout.split('\n');
    const head = lines.findIndex((l) => l.startsWith('templates/web.yaml:11:19 error ssh-open-to-internet '));
    expect(head).toBeGreaterThanOrEqual(0);
    expect(lines[head + 1]).toBe('  11 |           CidrIp: 0.0.0.0/0');
    expect(lines[head + 2]).toBe('     |                   ^^^^^^^^^');
    expect(stdout).toContain('1 problem (1 error)');
  });

  it('honours --fail-on', () => {
    expect(run(root, 'check', 'templates/web.yaml', '--fail-on', 'none').code).toBe(0);
    expect(run(root, 'check', 'templates/web.yaml', '--fail-on=warning').code).toBe(1);
    expect(run(root, 'check', 'compose.yaml').code).toBe(0);
    expect(run(root, 'check', 'templates/suppressed.yaml').code).toBe(0);
  });

  it('exits 2 on usage errors and missing paths', () => {
    const bad = run(root, 'check', '--format', 'xml');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format must be one of text, json, sarif');
    expect(run(root, 'check', '--nope').code).toBe(2);
    const missing = run(root, 'check', 'does-not-exist.yaml');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('does-not-exist.yaml');
  });

  it('checks files named on the command line even when .gitignore skips them', () => {
    const { stdout } = run(root, 'check', '-f', 'json', 'templates/web.generated.yaml');
    expect(JSON.parse(stdout).findings).toHaveLength(1);
  });

  it('writes SARIF 2.1.0 with rules, help URIs, regions, fingerprints and suppressions', () => {
    const { code, stdout } = run(root, 'check', '--format', 'sarif');
    expect(code).toBe(1);
    const sarif = JSON.parse(stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toContain('sarif-2.1.0');
    const runs = sarif.runs;
    expect(runs).toHaveLength(1);
    const driver = runs[0].tool.driver;
    expect(driver.name).toBe('iac-netsec');
    const rule = driver.rules.find((r: { id: string }) => r.id === 'ssh-open-to-internet');
    expect(rule.helpUri).toContain('ssh-open-to-internet');
    expect(rule.shortDescription.text).toBeTruthy();
    expect(rule.fullDescription.text).toBeTruthy();
    expect(rule.defaultConfiguration.level).toBe('error');
    expect(driver.rules.map((r: { id: string }) => r.id)).toContain('syntax-error');
    const results = runs[0].results as {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: {
        physicalLocation: { artifactLocation: { uri: string }; region: Record<string, number> };
      }[];
      partialFingerprints: Record<string, string>;
      suppressions?: { kind: string; justification: string }[];
    }[];
    for (const r of results) {
      expect(driver.rules[r.ruleIndex].id).toBe(r.ruleId);
      expect(['error', 'warning', 'note']).toContain(r.level);
      expect(r.message.text).toBeTruthy();
      expect(r.locations[0]!.physicalLocation.region.startLine).toBeGreaterThan(0);
      expect(Object.values(r.partialFingerprints)[0]).toMatch(/^[0-9a-f]{32}/);
    }
    const web = results.find(
      (r) => r.locations[0]!.physicalLocation.artifactLocation.uri === 'templates/web.yaml',
    )!;
    expect(web.locations[0]!.physicalLocation.region).toMatchObject({
      startLine: 11,
      startColumn: 19,
      endLine: 11,
      endColumn: 28,
    });
    const suppressed = results.find(
      (r) => r.locations[0]!.physicalLocation.artifactLocation.uri === 'templates/suppressed.yaml',
    )!;
    expect(suppressed.suppressions).toEqual([
      { kind: 'inSource', justification: 'bastion, reviewed in SEC-42' },
    ]);
  });

  it('keeps fingerprints stable when unrelated lines move', () => {
    const fingerprint = (cwd: string) => {
      const sarif = JSON.parse(run(cwd, 'check', '-f', 'sarif', 'web.yaml').stdout);
      return sarif.runs[0].results.map((r: { partialFingerprints: Record<string, string> }) =>
        Object.values(r.partialFingerprints),
      );
    };
    const a = repo('fp-a', { 'web.yaml': SSH });
    const b = repo('fp-b', { 'web.yaml': SSH.replace('Resources:\n', 'Description: moved\nResources:\n') });
    expect(fingerprint(a)).toEqual(fingerprint(b));
  });
});

describe('config file', () => {
  it('applies the nearest .iac-netsec.yaml: severities and excludes', () => {
    const root = repo('configured', {
      '.iac-netsec.yaml': 'rules:\n  ssh-open-to-internet: warning\nexclude:\n  - legacy/\n',
      'web.yaml': SSH,
      'legacy/old.yaml': SSH,
    });
    const { code, stdout } = run(root, 'check', '-f', 'json');
    expect(code).toBe(0); // warnings do not fail at the default threshold
    const findings = JSON.parse(stdout).findings;
    expect(findings.map((f: { file: string; severity: string }) => [f.file, f.severity])).toEqual([
      ['web.yaml', 'warning'],
    ]);
    expect(run(root, 'check', '--fail-on', 'warning').code).toBe(1);
  });

  it('exits 2 with the exact place of a problem in an invalid config', () => {
    const root = repo('broken-config', {
      '.iac-netsec.yaml': 'rules:\n  ssh-open-to-internt: off\n',
      'web.yaml': SSH,
    });
    const { code, stderr } = run(root, 'check');
    expect(code).toBe(2);
    expect(stderr).toContain('.iac-netsec.yaml:2:3 error rules.ssh-open-to-internt: unknown rule id.');
    expect(stderr).toContain('Did you mean `ssh-open-to-internet`?');
  });

  it('uses --config for every path', () => {
    const root = repo('explicit-config', {
      'web.yaml': SSH,
      'conf/strict.yaml': 'rules:\n  ssh-open-to-internet: off\n',
    });
    const { code, stdout } = run(root, 'check', '-f', 'json', '--config', 'conf/strict.yaml');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).findings).toEqual([]);
    expect(run(root, 'check', '--config', 'conf/missing.yaml').code).toBe(2);
  });
});

describe('worker threads', () => {
  it('checks a large tree in workers with the same result as one thread', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 60; i++) files[`t/${String(i).padStart(3, '0')}.yaml`] = i % 3 ? SSH : 'a: 1\n';
    const root = repo('many', files);
    const parallel = run(root, 'check', '-f', 'json', '--jobs', '2');
    const serial = run(root, 'check', '-f', 'json', '--jobs', '1');
    expect(parallel.code).toBe(1);
    expect(parallel.stdout).toBe(serial.stdout);
    expect(JSON.parse(parallel.stdout).findings).toHaveLength(40);
    // Automatic: more than 50 files go to workers (same output).
    expect(run(root, 'check', '-f', 'json').stdout).toBe(serial.stdout);
  });
});

describe('iac-netsec rules, --help, --version', () => {
  it('lists the rules as text and JSON', () => {
    const text = run(ROOT, 'rules');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^RULE\s+SEVERITY\s+FIX\s+SUMMARY/);
    expect(text.stdout).toMatch(/ssh-open-to-internet\s+error\s+unsafe\s+SSH/);
    const json = JSON.parse(run(ROOT, 'rules', '--format', 'json').stdout) as { id: string }[];
    expect(json.map((r) => r.id).sort()).toEqual(ALL_RULES.map((r) => r.meta.id).sort());
  });

  it('prints one rule’s documentation', () => {
    const { code, stdout } = run(ROOT, 'rules', 'ssh-open-to-internet');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^# ssh-open-to-internet\n/);
    const unknown = run(ROOT, 'rules', 'ssh-open');
    expect(unknown.code).toBe(2);
  });

  it('prints usage and version', () => {
    const help = run(ROOT, '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: iac-netsec <command>');
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(run(ROOT, '--version').stdout.trim()).toBe(pkg.version);
  });

  it('starts fast', () => {
    const root = repo('fast', { 'web.yaml': SSH });
    run(root, 'check', 'web.yaml'); // warm the file cache
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const start = process.hrtime.bigint();
      execFileSync(process.execPath, [CLI, 'check', 'web.yaml', '--fail-on', 'none'], { cwd: root });
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    // The budget is 200 ms on an idle machine; tests share the CPU, so allow slack.
    expect(Math.min(...times)).toBeLessThan(600);
  });
});

describe('iac-netsec fix', () => {
  it('reports nothing to fix and leaves files alone when no safe fix applies', () => {
    const root = repo('fix-none', { 'web.yaml': SSH });
    const { code, stdout } = run(root, 'fix');
    expect(stdout).toContain('Nothing to fix');
    expect(readFileSync(path.join(root, 'web.yaml'), 'utf8')).toBe(SSH);
    expect(code).toBe(1); // the SSH finding is left (its fixes change behaviour)
  });

  // Any registered rule whose fixes are all safe: its documented Example must be fixed.
  const safe = ALL_RULES.filter((r) => r.meta.fixSafety === 'safe' && r.meta.formats.includes('cfn'));
  const example = (docs: string) => {
    const section = docs.split(/^## /m).find((s) => s.startsWith('Example'));
    const match = section && /```(yaml|json)\n([\s\S]*?)```/.exec(section);
    return match ? { ext: match[1]!, code: match[2]! } : undefined;
  };
  it.skipIf(!safe.length)('applies safe fixes in place until stable and reports them', () => {
    let exercised = 0;
    for (const rule of safe) {
      const ex = example(rule.docs);
      if (!ex) continue;
      const root = repo(`fix-${rule.meta.id}`, { [`t.${ex.ext}`]: ex.code });
      const file = path.join(root, `t.${ex.ext}`);
      const before = JSON.parse(run(root, 'check', '-f', 'json', '--fail-on', 'none').stdout).findings;
      if (!before.some((f: { rule: string }) => f.rule === rule.meta.id)) continue;
      const dry = run(root, 'fix', '--dry-run');
      expect(readFileSync(file, 'utf8')).toBe(ex.code);
      const { stdout } = run(root, 'fix', '-f', 'json');
      const out = JSON.parse(stdout) as { fixed: { file: string; fixed: Record<string, number> }[] };
      // The example's finding may have no safe fix (only another rule's finding was fixed).
      if (!out.fixed[0]?.fixed[rule.meta.id]) continue;
      expect(dry.stdout).toContain(`Would fix t.${ex.ext}`);
      expect(readFileSync(file, 'utf8')).not.toBe(ex.code);
      const after = JSON.parse(run(root, 'check', '-f', 'json', '--fail-on', 'none').stdout).findings;
      expect(
        after.filter((f: { rule: string }) => f.rule === rule.meta.id || f.rule === 'syntax-error'),
      ).toEqual([]);
      exercised++;
    }
    expect(exercised).toBeGreaterThan(0);
  });
});

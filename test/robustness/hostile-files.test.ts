// Hostile repositories (issue 16, items 1, 2, 3, 9): config files and templates that are links
// to /dev/zero, FIFOs, links out of the tree, and files that are not valid UTF-8. The CLI runs as
// a process with a time limit (a hang is a failure, not a stuck test run); the server's config
// reader is driven directly.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigFiles, type ConfigState } from '../../server/src/lsp/configFiles';
import { CLI, ensureBuilt } from '../protocol/support';

const IMDS = (indent = '') =>
  [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Resources:',
    '  Web:',
    '    Type: AWS::EC2::Instance',
    '    Properties:',
    '      ImageId: ami-12345678',
    '      InstanceType: t3.micro',
    `      Tags: [{Key: Name, Value: "caf${indent}"}]`,
    '      MetadataOptions:',
    '        HttpTokens: optional',
    '',
  ].join('\n');

/** Bounded: a hang is reported as a timeout (status null), never a stuck suite. */
function run(cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 15_000,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', NODE_OPTIONS: '--max-old-space-size=256' },
  });
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

let tmp: string;
beforeAll(() => {
  ensureBuilt();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'iac-netsec-hostile-files-'));
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function repo(name: string, files: Record<string, string> = {}): string {
  const root = path.join(tmp, name);
  mkdirSync(path.join(root, '.git'), { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

function mkfifo(file: string): void {
  expect(spawnSync('mkfifo', [file]).status).toBe(0);
}

describe('item 1: config files that are not regular files', () => {
  it('CLI: a .iac-netsec.yaml linked to /dev/zero is a clear error, not unbounded memory', () => {
    const root = repo('config-zero', { 'web.yaml': IMDS() });
    symlinkSync('/dev/zero', path.join(root, '.iac-netsec.yaml'));
    const { code, stderr, signal } = run(root, 'check');
    expect(signal).toBeNull();
    expect(stderr).toBe(
      `iac-netsec: Cannot read config file .iac-netsec.yaml: not read: it is a device, not a regular file.\n`,
    );
    expect(code).toBe(2);
  });

  it('CLI: a .iac-netsec.yaml that is a FIFO is a clear error, not a hang', () => {
    const root = repo('config-fifo', { 'web.yaml': IMDS() });
    mkfifo(path.join(root, '.iac-netsec.yaml'));
    const { code, stderr, signal } = run(root, 'check');
    expect(signal).toBeNull();
    expect(stderr).toBe(
      `iac-netsec: Cannot read config file .iac-netsec.yaml: not read: it is a FIFO (named pipe), not a regular file.\n`,
    );
    expect(code).toBe(2);
  });

  it('CLI: --config <fifo> is a clear error, not a hang', () => {
    const root = repo('config-arg-fifo', { 'web.yaml': IMDS() });
    mkfifo(path.join(root, 'pipe.yaml'));
    const { code, stderr, signal } = run(root, 'check', '--config', 'pipe.yaml');
    expect(signal).toBeNull();
    expect(stderr).toBe(
      `iac-netsec: Cannot read config file pipe.yaml: not read: it is a FIFO (named pipe), not a regular file.\n`,
    );
    expect(code).toBe(2);
  });

  it('CLI: a .iac-netsec.yaml linked out of the repository is not read', () => {
    const outside = path.join(tmp, 'outside-config.yaml');
    writeFileSync(outside, 'rules:\n  imdsv1-allowed: off\n');
    const root = repo('config-out', { 'web.yaml': IMDS() });
    symlinkSync(outside, path.join(root, '.iac-netsec.yaml'));
    const { code, stderr } = run(root, 'check');
    expect(stderr).toBe(
      `iac-netsec: Cannot read config file .iac-netsec.yaml: not read: it is a link to ${outside}, outside ${root}.\n`,
    );
    expect(code).toBe(2);
  });

  const server = (root: string) => {
    const changed: ConfigState[] = [];
    const logs: string[] = [];
    const files = new ConfigFiles({
      openText: () => undefined,
      roots: () => [root],
      problemsChanged: (state) => changed.push({ ...state, problems: [...state.problems] }),
      log: (message) => logs.push(message),
    });
    return { files, changed, logs };
  };

  it('server: a config linked to /dev/zero or a FIFO is reported on the file, and the defaults apply', () => {
    for (const [name, make] of [
      ['server-zero', (file: string) => symlinkSync('/dev/zero', file)],
      ['server-fifo', mkfifo],
    ] as const) {
      const root = repo(name);
      const config = path.join(root, '.iac-netsec.yaml');
      make(config);
      const { files, changed } = server(root);
      const started = Date.now();
      expect(files.layerFor(root)).toEqual({});
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(
        changed.map((s) => [s.path, s.problems.map((p) => [p.start, p.end, p.severity, p.message])]),
      ).toEqual([
        [
          config,
          [
            [
              0,
              0,
              'error',
              `not read: it is ${name === 'server-zero' ? 'a device' : 'a FIFO (named pipe)'}, not a regular file.`,
            ],
          ],
        ],
      ]);
    }
  });
});

describe('item 9: FIFOs and devices named on the command line', () => {
  it('a FIFO argument is a clear error, not a hang', () => {
    const root = repo('arg-fifo', { 'web.yaml': IMDS() });
    mkfifo(path.join(root, 'pipe.yaml'));
    const { code, stderr, signal } = run(root, 'check', 'pipe.yaml', 'web.yaml');
    expect(signal).toBeNull();
    expect(stderr).toBe('iac-netsec: pipe.yaml: not read: it is a FIFO (named pipe), not a regular file.\n');
    expect(code).toBe(2);
  });

  it('a link to /dev/zero named on the command line is a clear error, not unbounded memory', () => {
    const root = repo('arg-zero', { 'web.yaml': IMDS() });
    symlinkSync('/dev/zero', path.join(root, 'zero.yaml'));
    const { code, stderr, signal } = run(root, 'check', 'zero.yaml');
    expect(signal).toBeNull();
    expect(stderr).toBe('iac-netsec: zero.yaml: not read: it is a device, not a regular file.\n');
    expect(code).toBe(2);
  });

  it('fix with a FIFO argument is a clear error, not a hang', () => {
    const root = repo('fix-fifo', { 'web.yaml': IMDS() });
    mkfifo(path.join(root, 'pipe.yaml'));
    const { code, stderr, signal } = run(root, 'fix', 'pipe.yaml');
    expect(signal).toBeNull();
    expect(stderr).toBe('iac-netsec: pipe.yaml: not read: it is a FIFO (named pipe), not a regular file.\n');
    expect(code).toBe(2);
  });

  it('inside a directory walk, FIFOs and device links are skipped', () => {
    const root = repo('walk-fifo', { 'web.yaml': IMDS() });
    mkfifo(path.join(root, 'pipe.yaml'));
    symlinkSync('/dev/zero', path.join(root, 'zero.yaml'));
    const { code, stderr, stdout, signal } = run(root, 'check', '-f', 'json');
    expect(signal).toBeNull();
    expect(stderr).toBe('');
    const files = (JSON.parse(stdout) as { findings: { file: string }[] }).findings.map((f) => f.file);
    expect([...new Set(files)]).toEqual(['web.yaml']);
    expect(code).toBe(1);
  });
});

describe('item 2: fix keeps every byte it does not edit', () => {
  it('a file that is not valid UTF-8 is not fixed, and says why', () => {
    const root = repo('latin1');
    const file = path.join(root, 'web.yaml');
    // "café" in Latin-1: é is the single byte 0xE9.
    const bytes = Buffer.concat([
      Buffer.from(IMDS().split('caf')[0]! + 'caf'),
      Buffer.from([0xe9]),
      Buffer.from(IMDS().split('caf')[1]!),
    ]);
    writeFileSync(file, bytes);
    const { code, stderr } = run(root, 'fix');
    expect(stderr).toBe(
      'iac-netsec: web.yaml: not fixed: the file is not valid UTF-8, and rewriting it would change bytes that no fix touches.\n',
    );
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(code).toBe(2);
  });

  it('a valid UTF-8 file keeps its byte order mark, CRLF line ends, tabs and non-ASCII text', () => {
    const root = repo('bom-crlf');
    const file = path.join(root, 'web.yaml');
    const text = '\ufeff' + IMDS('é\t').replace(/\n/g, '\r\n');
    writeFileSync(file, text);
    const { code } = run(root, 'fix');
    expect(code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(text.replace('HttpTokens: optional', 'HttpTokens: required'));
  });
});

describe('item 3: fix <dir> never writes outside the tree', () => {
  it('a link to a file outside the tree is reported and skipped; the file outside is unchanged', () => {
    const outside = path.join(tmp, 'victim.yaml');
    writeFileSync(outside, IMDS());
    const root = repo('fix-link-out', { 'own.yaml': IMDS() });
    symlinkSync(outside, path.join(root, 'link.yaml'));
    const { code, stdout, stderr } = run(root, 'fix', '.');
    expect(readFileSync(outside, 'utf8')).toBe(IMDS());
    expect(readFileSync(path.join(root, 'own.yaml'), 'utf8')).toBe(
      IMDS().replace('HttpTokens: optional', 'HttpTokens: required'),
    );
    expect(stderr).toBe(`iac-netsec: link.yaml: not read: it is a link to ${outside}, outside ${root}.\n`);
    expect(stdout.split('\n')[0]).toBe('Fixed own.yaml: 1 problem (imdsv1-allowed)');
    expect(code).toBe(0);
  });
});

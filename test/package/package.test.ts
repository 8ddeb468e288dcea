// The npm package as users get it: `npm pack` once, the tarball installed offline into an
// empty folder outside the repository, and the installed `iac-netsec` run there (check with
// its exit code, SARIF, rules, fix), then the GitHub Action's script and the pre-commit hook's
// entry against the same tarball.

import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../protocol/support';

const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  bin: Record<string, string>;
};

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

const IMDS = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Template:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        MetadataOptions:
          HttpTokens: optional
`;

let tmp: string;
let tarball: string;
let project: string;
let tarballFiles: string[];

/** Environment without the outer `npm test`'s npm configuration. */
function cleanEnv(extra: RegExp = /^$/): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^npm_(config|lifecycle|package)_/i.test(k) && !extra.test(k),
    ),
  );
}

/** npm, offline: nothing may be fetched. */
function npm(cwd: string, ...args: string[]): SpawnSyncReturns<string> {
  return spawnSync('npm', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...cleanEnv(),
      npm_config_offline: 'true',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    },
  });
}

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
}

/** An installed command, run through npm's bin link. */
function installed(name: string, cwd: string, ...args: string[]) {
  return spawnSync(path.join(project, 'node_modules', '.bin', name), args, { cwd, encoding: 'utf8' });
}
const iacNetsec = (cwd: string, ...args: string[]) => installed('iac-netsec', cwd, ...args);

beforeAll(() => {
  ensureBuilt();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'iac-netsec-package-'));
  // --ignore-scripts: pack what `npm test` just built instead of rebuilding it for everyone.
  const packed = npm(ROOT, 'pack', '--ignore-scripts', '--json', '--pack-destination', tmp);
  expect(packed.status, packed.stderr).toBe(0);
  const [info] = JSON.parse(packed.stdout) as [{ filename: string; files: { path: string }[] }];
  tarball = path.join(tmp, info.filename);
  tarballFiles = info.files.map((f) => f.path).sort();

  project = path.join(tmp, 'project');
  write(project, { 'package.json': '{ "name": "consumer", "private": true }\n' });
  const install = npm(project, 'install', '--no-package-lock', tarball);
  expect(install.status, install.stderr).toBe(0);
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('npm package', () => {
  it('is publishable, needs nothing at run time, and has its metadata', () => {
    expect(manifest.private).toBeUndefined();
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(path.basename(tarball)).toBe(`${manifest.name}-${manifest.version}.tgz`);
    expect(manifest).toMatchObject({
      license: 'MIT',
      engines: { node: '>=20' },
      repository: { type: 'git', url: expect.stringMatching(/^https:\/\/github\.com\/.+\.git$/) },
      bugs: { url: expect.stringMatching(/^https:\/\//) },
      homepage: expect.stringMatching(/^https:\/\//),
      bin: { 'iac-netsec': 'bin/iac-netsec.js', 'iac-netsec-server': 'bin/iac-netsec-server.js' },
    });
  });

  it('holds the bundles, every wasm file of dist/, the schemas and the docs, and nothing else', () => {
    const wasm = readdirSync(path.join(ROOT, 'dist'))
      .filter((f) => f.endsWith('.wasm'))
      .map((f) => `dist/${f}`);
    const schemas = readdirSync(path.join(ROOT, 'schemas')).map((f) => `schemas/${f}`);
    expect(tarballFiles).toEqual(
      [
        'CHANGELOG.md',
        'LICENSE',
        'README.md',
        'bin/iac-netsec-server.js',
        'bin/iac-netsec.js',
        'dist/cli-worker.js',
        'dist/cli.js',
        'dist/iam-catalog.json',
        'dist/server.js',
        'package.json',
        ...wasm,
        ...schemas,
      ].sort(),
    );
  });

  it('installs offline into an empty folder without fetching anything', () => {
    const modules = readdirSync(path.join(project, 'node_modules')).filter((d) => !d.startsWith('.'));
    expect(modules).toEqual(['iac-netsec']);
  });

  it('checks a template there: the finding, and exit code 1', () => {
    write(project, { 'infra/web.yaml': SSH });
    const result = iacNetsec(project, 'check', 'infra');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    expect(result.stdout.split('\n')[0]).toBe(
      'infra/web.yaml:11:19 error ssh-open-to-internet SSH (TCP port 22) is open to the internet: 0.0.0.0/0. Allow SSH only from known ranges, or use Session Manager or a bastion.',
    );
    expect(result.stdout).toContain('1 problem (1 error) in 1 file (1 file checked).');
  });

  it('runs through npx, and exits 0 on a clean tree', () => {
    write(project, { 'clean/web.yaml': SSH.replace('0.0.0.0/0', '10.0.0.0/8') });
    const npx = (...args: string[]) =>
      spawnSync('npx', ['--no-install', 'iac-netsec', ...args], {
        cwd: project,
        encoding: 'utf8',
        env: cleanEnv(),
      });
    const result = npx('check', 'clean');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('No problems found (1 file checked).\n');
    expect(npx('--version').stdout).toBe(`${manifest.version}\n`);
  });

  it('writes SARIF', () => {
    write(project, { 'infra/web.yaml': SSH });
    const result = iacNetsec(project, 'check', '--format', 'sarif', 'infra');
    expect(result.status).toBe(1);
    const sarif = JSON.parse(result.stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].tool.driver.version).toBe(manifest.version);
    expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual(['ssh-open-to-internet']);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation).toMatchObject({
      artifactLocation: { uri: 'infra/web.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 11, startColumn: 19, endLine: 11, endColumn: 28 },
    });
  });

  it('lists the rules and prints one rule document', () => {
    const list = iacNetsec(project, 'rules', '--format', 'json');
    expect(list.status).toBe(0);
    const ids = (JSON.parse(list.stdout) as { id: string }[]).map((r) => r.id);
    expect(ids).toContain('ssh-open-to-internet');
    expect(ids).toContain('imdsv1-allowed');
    const doc = iacNetsec(project, 'rules', 'imdsv1-allowed');
    expect(doc.status).toBe(0);
    expect(doc.stdout).toMatch(/^# imdsv1-allowed/m);
  });

  it('applies the safe fixes in place', () => {
    write(project, { 'fix/lt.yaml': IMDS });
    const result = iacNetsec(project, 'fix', 'fix');
    expect(result.status).toBe(0);
    expect(readFileSync(path.join(project, 'fix/lt.yaml'), 'utf8')).toBe(
      IMDS.replace('HttpTokens: optional', 'HttpTokens: required'),
    );
  });

  it('finds in every fixture exactly what the repository build finds (bundled data and wasm load)', () => {
    const fixtures = path.join(tmp, 'fixtures');
    cpSync(path.join(ROOT, 'test-fixtures'), fixtures, { recursive: true });
    const args = ['check', '--format', 'json', '--jobs', '1', '.'];
    const fromPackage = iacNetsec(fixtures, ...args);
    const fromRepository = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), ...args], {
      cwd: fixtures,
      encoding: 'utf8',
    });
    expect(fromPackage.status).toBe(1);
    expect(JSON.parse(fromPackage.stdout).findings.length).toBeGreaterThan(50);
    expect(fromPackage.stdout).toBe(fromRepository.stdout);
  });

  it('starts the language server (iac-netsec-server answers initialize over stdio)', async () => {
    const text = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { processId: null, rootUri: null, capabilities: {} },
    });
    const server = spawn(path.join(project, 'node_modules', '.bin', 'iac-netsec-server'), ['--stdio']);
    try {
      const reply = await new Promise<string>((resolve, reject) => {
        let out = '';
        server.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString('utf8');
          if (out.includes('"id":1')) resolve(out);
        });
        server.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
        server.stdin.write(`Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
      });
      expect(reply).toContain('"textDocumentSync"');
    } finally {
      server.kill();
    }
  });
});

describe('GitHub Action (action/run.mjs with the packed tarball instead of the registry)', () => {
  function action(cwd: string, inputs: Record<string, string>) {
    const output = path.join(cwd, 'github-output.txt');
    rmSync(output, { force: true });
    const result = spawnSync(process.execPath, [path.join(ROOT, 'action/run.mjs')], {
      cwd,
      encoding: 'utf8',
      env: {
        ...cleanEnv(/^IAC_NETSEC_/),
        npm_config_offline: 'true',
        RUNNER_TEMP: path.join(tmp, 'runner'),
        GITHUB_OUTPUT: output,
        IAC_NETSEC_PACKAGE: tarball,
        ...inputs,
      },
    });
    return { ...result, outputs: existsSync(output) ? readFileSync(output, 'utf8') : '' };
  }

  let repo: string;
  beforeAll(() => {
    repo = path.join(tmp, 'repo');
    write(repo, { 'cfn/web.yaml': SSH, 'cfn/lt.yaml': IMDS, 'docs/mkdocs.yml': 'site_name: x\n' });
  });

  it('action.yml declares the inputs and runs the script', () => {
    const spec = parseYaml(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
      inputs: Record<string, { default: string }>;
      runs: { using: string; steps: { run: string; env: Record<string, string> }[] };
    };
    expect(Object.keys(spec.inputs)).toEqual([
      'paths',
      'format',
      'fail-on',
      'config',
      'version',
      'sarif-file',
    ]);
    expect(spec.inputs['version']!.default).toBe('');
    expect(spec.runs.using).toBe('composite');
    expect(spec.runs.steps[0]!.run).toBe('node "$GITHUB_ACTION_PATH/action/run.mjs"');
    expect(spec.runs.steps[0]!.env).toEqual({
      IAC_NETSEC_PATHS: '${{ inputs.paths }}',
      IAC_NETSEC_FORMAT: '${{ inputs.format }}',
      IAC_NETSEC_FAIL_ON: '${{ inputs.fail-on }}',
      IAC_NETSEC_CONFIG: '${{ inputs.config }}',
      IAC_NETSEC_VERSION: '${{ inputs.version }}',
      IAC_NETSEC_SARIF_FILE: '${{ inputs.sarif-file }}',
    });
  });

  it('writes SARIF, shows text findings and fails on errors', () => {
    const result = action(repo, { IAC_NETSEC_PATHS: 'cfn docs', IAC_NETSEC_SARIF_FILE: 'out/iac.sarif' });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('cfn/web.yaml:11:19 error ssh-open-to-internet');
    expect(result.stdout).toContain('cfn/lt.yaml:8:23 error imdsv1-allowed');
    expect(result.stdout).toContain('::error title=iac-netsec::findings at or above error (see above)');
    expect(result.outputs).toBe('sarif-file=out/iac.sarif\nexit-code=1\n');
    const sarif = JSON.parse(readFileSync(path.join(repo, 'out/iac.sarif'), 'utf8'));
    expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId).sort()).toEqual([
      'imdsv1-allowed',
      'ssh-open-to-internet',
    ]);
  });

  it('passes with fail-on none, prints JSON, and writes no SARIF when sarif-file is empty', () => {
    const result = action(repo, {
      IAC_NETSEC_PATHS: 'cfn/web.yaml',
      IAC_NETSEC_FORMAT: 'json',
      IAC_NETSEC_FAIL_ON: 'none',
      IAC_NETSEC_SARIF_FILE: '',
    });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).findings.map((f: { rule: string }) => f.rule)).toEqual([
      'ssh-open-to-internet',
    ]);
    expect(result.outputs).toBe('exit-code=0\n');
  });

  it('honours a config file', () => {
    write(repo, { 'ci/iac-netsec.yaml': 'rules:\n  ssh-open-to-internet: off\n  imdsv1-allowed: warning\n' });
    const result = action(repo, {
      IAC_NETSEC_PATHS: 'cfn',
      IAC_NETSEC_CONFIG: 'ci/iac-netsec.yaml',
      IAC_NETSEC_SARIF_FILE: '',
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('cfn/lt.yaml:8:23 warning imdsv1-allowed');
    expect(result.stdout).not.toContain('ssh-open-to-internet');
  });

  it('rejects a wrong input with exit 2 and an error annotation', () => {
    const result = action(repo, { IAC_NETSEC_FORMAT: 'xml' });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('::error title=iac-netsec::format must be text, json or sarif, not "xml"\n');
  });
});

describe('pre-commit hook', () => {
  const hooks = parseYaml(readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as {
    id: string;
    language: string;
    entry: string;
    files: string;
    types: string[];
    pass_filenames: boolean;
  }[];
  const hook = hooks[0]!;

  it('declares the iac-netsec hook', () => {
    expect(hooks).toHaveLength(1);
    expect(hook).toMatchObject({
      id: 'iac-netsec',
      language: 'node',
      entry: 'iac-netsec check',
      types: ['text'],
      pass_filenames: true,
    });
  });

  it('its entry, given the files pre-commit would pass, reports the template and skips the rest', () => {
    const staged = {
      'cfn/web.yaml': SSH,
      'cfn/stack.template': JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: {} }),
      'tf/main.tf.json': '{ "resource": {} }',
      '.github/workflows/ci.yml': 'on: push\njobs: {}\n',
      'package.json': '{ "name": "x" }',
      'src/app.ts': 'export {};\n',
      'README.md': '# x\n',
    };
    const repo = path.join(tmp, 'precommit');
    write(repo, staged);
    const files = new RegExp(hook.files);
    const passed = Object.keys(staged).filter((f) => files.test(f));
    expect(passed).toEqual([
      'cfn/web.yaml',
      'cfn/stack.template',
      'tf/main.tf.json',
      '.github/workflows/ci.yml',
      'package.json',
    ]);
    const [command, ...args] = hook.entry.split(' ');
    const result = installed(command!, repo, ...args, ...passed);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('cfn/web.yaml:11:19 error ssh-open-to-internet');
    expect(result.stdout).toContain('1 problem (1 error) in 1 file (3 files checked).');
    const clean = installed(command!, repo, ...args, ...passed.slice(1));
    expect(clean.stdout).toBe('No problems found (2 files checked).\n');
    expect(clean.status).toBe(0);
  });
});

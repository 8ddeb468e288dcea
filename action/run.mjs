// The GitHub Action's logic (action.yml runs it with the inputs as IAC_NETSEC_* variables).
// Installs the iac-netsec npm package into a private folder, writes SARIF if asked, prints
// the findings in the chosen format and exits with the CLI's code (0 clean, 1 findings at or
// above fail-on, 2 usage or internal error).
//
//   IAC_NETSEC_PATHS      paths to check, separated by spaces or new lines (default: .)
//   IAC_NETSEC_FORMAT     text (default), json or sarif: what the log shows
//   IAC_NETSEC_FAIL_ON    error (default), warning, info or none
//   IAC_NETSEC_CONFIG     a config file instead of the nearest .iac-netsec.yaml
//   IAC_NETSEC_VERSION    the npm version to run (default: the version of this action)
//   IAC_NETSEC_SARIF_FILE where to write SARIF ('' for none)
//   IAC_NETSEC_PACKAGE    install this instead of iac-netsec@<version> (a .tgz: tests, forks)
//
// Runs locally too: IAC_NETSEC_PACKAGE=./iac-netsec-0.1.0.tgz node action/run.mjs
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const actionRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const input = (name, fallback = '') => (env[`IAC_NETSEC_${name}`] ?? '').trim() || fallback;

function fail(message) {
  console.log(`::error title=iac-netsec::${message}`);
  process.exit(2);
}

function setOutput(name, value) {
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `${name}=${value}\n`);
}

const ownVersion = JSON.parse(readFileSync(path.join(actionRoot, 'package.json'), 'utf8')).version;
const version = input('VERSION', ownVersion);
const format = input('FORMAT', 'text');
const failOn = input('FAIL_ON', 'error');
const config = input('CONFIG');
const sarifFile = input('SARIF_FILE');
const paths = input('PATHS', '.').split(/\s+/).filter(Boolean);
const spec = input('PACKAGE') ? path.resolve(input('PACKAGE')) : `iac-netsec@${version}`;

if (!['text', 'json', 'sarif', 'markdown'].includes(format))
  fail(`format must be text, json or sarif, not "${format}"`);
if (!['error', 'warning', 'info', 'none'].includes(failOn))
  fail(`fail-on must be error, warning, info or none, not "${failOn}"`);

// 1. The CLI, in a folder of its own (the checked repository's node_modules stay untouched).
const prefix = path.join(env.RUNNER_TEMP || os.tmpdir(), `iac-netsec-action-${process.pid}`);
mkdirSync(prefix, { recursive: true });
writeFileSync(path.join(prefix, 'package.json'), '{ "private": true }\n');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const install = spawnSync(
  npm,
  ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', spec],
  { cwd: prefix, encoding: 'utf8', shell: process.platform === 'win32' },
);
if (install.status !== 0) fail(`could not install ${spec}: ${(install.stderr || install.stdout).trim()}`);
const cli = path.join(prefix, 'node_modules', 'iac-netsec', 'bin', 'iac-netsec.js');
if (!existsSync(cli)) fail(`${spec} has no bin/iac-netsec.js`);

const common = ['--fail-on', failOn, ...(config ? ['--config', config] : []), '--', ...paths];
const check = (fmt) =>
  spawnSync(process.execPath, [cli, 'check', '--format', fmt, ...common], {
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
  });

// 2. SARIF for code scanning (written whatever the findings; the upload step decides).
if (sarifFile) {
  const sarif = check('sarif');
  if (sarif.status !== 0 && sarif.status !== 1) {
    process.stderr.write(sarif.stderr);
    fail(`iac-netsec check failed (exit ${sarif.status})`);
  }
  mkdirSync(path.dirname(path.resolve(sarifFile)), { recursive: true });
  writeFileSync(sarifFile, sarif.stdout);
  setOutput('sarif-file', sarifFile);
  if (format === 'sarif') {
    console.log(`SARIF written to ${sarifFile}`);
    setOutput('exit-code', String(sarif.status));
    process.exit(sarif.status);
  }
}

// 3. The findings in the log, and the exit code.
const shown = check(format);
process.stdout.write(shown.stdout);
process.stderr.write(shown.stderr);
setOutput('exit-code', String(shown.status));
if (shown.status === 1) console.log(`::error title=iac-netsec::findings at or above ${failOn} (see above)`);
process.exit(shown.status ?? 2);

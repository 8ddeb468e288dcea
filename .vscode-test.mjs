// `npm run test:vscode`: the extension-host suite (e2e/suite/, bundled by e2e/build.mjs into
// .e2e-cache/out/suite/) in a desktop VS Code through @vscode/test-cli + @vscode/test-electron,
// for contributors with VS Code and for GitHub CI with internet.
//
//   VSCODE_EXECUTABLE=/usr/share/code/code npm run test:vscode   # launches that build, downloads nothing
//   npm run test:vscode                                          # downloads VS Code stable once (internet)
//
// The offline runner used here (code-server in Chromium) is `npm run test:e2e`.
import { defineConfig } from '@vscode/test-cli';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fillWorkspace, freshRunDir } from './e2e/lib/code-server.mjs';

const root = path.dirname(fileURLToPath(import.meta.url));
const suite = path.join(root, '.e2e-cache', 'out', 'suite');

// A fresh copy of the fixtures and fresh user data per run, as in the code-server runs.
const dirs = freshRunDir('vscode-test');
fillWorkspace(dirs.workspace);

// Alphabetical, as e2e/suite/index.ts runs them (activation waits come first).
const files = existsSync(suite)
  ? readdirSync(suite)
      .filter((f) => f.endsWith('.test.js'))
      .sort()
      .map((f) => path.join(suite, f))
  : '.e2e-cache/out/suite/*.test.js';

const executable = process.env.VSCODE_EXECUTABLE;

export default defineConfig({
  label: 'extension-host',
  files,
  extensionDevelopmentPath: root,
  workspaceFolder: dirs.workspace,
  ...(executable ? { useInstallation: { fromPath: executable } } : { version: 'stable' }),
  launchArgs: [
    '--disable-extensions',
    '--disable-workspace-trust',
    '--user-data-dir',
    dirs.userData,
    '--extensions-dir',
    dirs.extensions,
  ],
  env: { TMPDIR: dirs.tmp },
  mocha: { ui: 'bdd', timeout: Number(process.env.IAC_NETSEC_E2E_TEST_TIMEOUT ?? 60000), color: false },
});

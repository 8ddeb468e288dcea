// The same extension-host suite in a desktop VS Code you already have, through
// @vscode/test-electron (not a dependency: it needs Node >= 22 and normally downloads VS Code;
// here it only launches yours). See e2e/README.md.
//
//   npm install --no-save @vscode/test-electron     # once, with Node >= 22
//   VSCODE_EXECUTABLE=/path/to/code node e2e/electron.mjs
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { buildSuite } from './build.mjs';
import { fillWorkspace, freshRunDir, root } from './lib/code-server.mjs';

const executable = process.env.VSCODE_EXECUTABLE;
if (!executable) {
  console.error('Set VSCODE_EXECUTABLE to your VS Code binary (e.g. /usr/share/code/code).');
  process.exit(2);
}
let runTests;
try {
  ({ runTests } = await import('@vscode/test-electron'));
} catch {
  console.error(
    '@vscode/test-electron is not installed: npm install --no-save @vscode/test-electron (Node >= 22).',
  );
  process.exit(2);
}

if (spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' }).status !== 0)
  process.exit(1);
const suite = await buildSuite();
const dirs = freshRunDir('electron');
fillWorkspace(dirs.workspace);

try {
  await runTests({
    vscodeExecutablePath: executable,
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(suite, 'index.js'),
    launchArgs: [
      dirs.workspace,
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      '--user-data-dir',
      dirs.userData,
      '--extensions-dir',
      dirs.extensions,
    ],
    extensionTestsEnv: { TMPDIR: dirs.tmp },
  });
} catch (error) {
  console.error(`[e2e] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

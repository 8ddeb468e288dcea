// Extension-host tests in a real VS Code (code-server), driven by Chromium.
//
//   node e2e/run.mjs            build the extension (node esbuild.mjs) and the suite, run it
//   node e2e/run.mjs --no-build use dist/ as it is
//   node e2e/run.mjs --broken-server
//                               negative control: the extension with a dist/server.js that
//                               crashes on start; exits 0 only if the suite FAILS
//                               (by default only the first diagnostics test runs)
//
// Environment: IAC_NETSEC_E2E_TIMEOUT (ms, default 300000) global timeout;
// IAC_NETSEC_E2E_GREP runs only tests whose title matches; IAC_NETSEC_E2E_VERBOSE=1 also
// prints the workbench's own logging. Exit code: the suite's result (0 = all passed).
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { format } from 'node:util';
import { buildSuite } from './build.mjs';
import {
  deadline,
  fillWorkspace,
  freshRunDir,
  launchBrowser,
  log,
  remoteUri,
  root,
  setup,
  startCodeServer,
  workbenchUrl,
} from './lib/code-server.mjs';

/** Must match OUTPUT_MARK in e2e/suite/util.ts. */
const OUTPUT_MARK = '\u2063e2e\u2063 ';
const broken = process.argv.includes('--broken-server');
if (broken && !process.env.IAC_NETSEC_E2E_GREP)
  process.env.IAC_NETSEC_E2E_GREP = 'activates on a CloudFormation';
const timeoutMs = Number(process.env.IAC_NETSEC_E2E_TIMEOUT ?? 300000);
const started = Date.now();

setup();
if (!process.argv.includes('--no-build')) {
  const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('[e2e] node esbuild.mjs failed');
    process.exit(1);
  }
}
const extension = readFileSync(path.join(root, 'client', 'src', 'extension.ts'), 'utf8');
if (!extension.includes('vscode-languageclient'))
  log('warning: client/src/extension.ts does not start a language client yet; the tests will fail');

const suite = await buildSuite();
const dirs = freshRunDir(broken ? 'extension-host-broken' : 'extension-host');
fillWorkspace(dirs.workspace);

/** The extension under test: the repository, or a copy whose server crashes on start. */
function extensionUnderTest() {
  if (!broken) return root;
  const copy = path.join(dirs.dir, 'broken-extension');
  mkdirSync(path.join(copy, 'dist'), { recursive: true });
  copyFileSync(path.join(root, 'package.json'), path.join(copy, 'package.json'));
  copyFileSync(path.join(root, 'dist', 'client.js'), path.join(copy, 'dist', 'client.js'));
  writeFileSync(
    path.join(copy, 'dist', 'server.js'),
    "throw new Error('iac-netsec server broken on purpose');\n",
  );
  log(`negative control: extension with a crashing server at ${path.relative(root, copy)}`);
  return copy;
}

let server;
let browser;
const limit = deadline(timeoutMs, 'extension-host tests');
let code = 1;
try {
  server = await startCodeServer(dirs);
  log(`code-server on ${server.base} (log: ${path.relative(root, server.logFile)})`);
  browser = await launchBrowser();
  const page = await browser.newPage();
  const consoleLog = path.join(dirs.dir, 'browser-console.log');
  page.on('console', (m) => appendFileSync(consoleLog, `[${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => appendFileSync(consoleLog, `[pageerror] ${e.stack ?? e.message}\n`));

  let exit;
  const exited = new Promise((resolve) => (exit = resolve));
  // The smoke-test driver calls these: test output, then the result of run().
  // Lines the suite marks (e2e/suite/util.ts OUTPUT_MARK) are the test report; everything
  // else (workbench and extension host logging, offline noise) goes to automation.log,
  // and to the terminal too with IAC_NETSEC_E2E_VERBOSE=1.
  const automationLog = path.join(dirs.dir, 'automation.log');
  const verbose = process.env.IAC_NETSEC_E2E_VERBOSE === '1';
  let marked = 0;
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const text = format(...(Array.isArray(args) ? args : [args]));
    appendFileSync(automationLog, `[${type}] ${text}\n`);
    if (text.startsWith(OUTPUT_MARK)) {
      marked++;
      process.stdout.write(`${text.slice(OUTPUT_MARK.length)}\n`);
    } else if (verbose) process.stderr.write(`[${type}] ${text}\n`);
  });
  await page.exposeFunction('codeAutomationExit', (result) => exit(Number(result)));

  const payload = [
    ['extensionDevelopmentPath', remoteUri(server, extensionUnderTest())],
    ['extensionTestsPath', remoteUri(server, path.join(suite, 'index.js'))],
  ];
  await page.goto(workbenchUrl(server, dirs.workspace, payload));
  code = await Promise.race([exited, limit.promise]);
  if (code !== 0 && marked === 0) {
    // The suite did not even start: show what the workbench said.
    const tail = readFileSync(automationLog, 'utf8').split('\n').slice(-40).join('\n');
    console.error(`[e2e] the test module did not run; last lines of automation.log:\n${tail}`);
  }
  log(`suite finished with exit code ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (error) {
  console.error(`[e2e] ${error instanceof Error ? error.message : String(error)}`);
  console.error(`[e2e] logs: ${path.relative(root, dirs.dir)}/`);
  code = 1;
} finally {
  limit.clear();
  await browser?.close().catch(() => undefined);
  await server?.stop();
}
if (broken) {
  log(
    code === 0
      ? 'negative control FAILED: the suite passed with a broken server'
      : 'negative control passed: the suite fails with a broken server',
  );
  process.exit(code === 0 ? 1 : 0);
}
if (code !== 0) log(`logs and workspace of this run: ${path.relative(root, dirs.dir)}/`);
process.exit(code);

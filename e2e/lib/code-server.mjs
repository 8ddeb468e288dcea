// Shared pieces of the real-editor tests: the cached toolchain from scripts/e2e/setup.sh,
// a code-server process in its own process group with fresh state, and Chromium driven by
// playwright-core. See ../../../shared/VSCODE-E2E.md (and e2e/README.md) for why this shape.
/* global fetch, URLSearchParams, setTimeout, clearTimeout */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { packageVsix, vsixPath } from '../../scripts/e2e/package-vsix.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cacheDir = path.join(root, '.e2e-cache');

export function log(...args) {
  console.log('[e2e]', ...args);
}

/** Runs scripts/e2e/setup.sh (cached: well under a second once done) and returns the tool paths. */
let setupDone = false;
export function setup() {
  if (!setupDone) {
    const result = spawnSync('bash', [path.join(root, 'scripts', 'e2e', 'setup.sh')], {
      stdio: 'inherit',
      env: { ...process.env, IAC_NETSEC_E2E_SETUP_QUIET: '1' },
    });
    if (result.status !== 0) throw new Error('scripts/e2e/setup.sh failed');
    setupDone = true;
  }
  return tools();
}

export function tools() {
  const file = path.join(cacheDir, 'env.json');
  if (!existsSync(file)) throw new Error('editor not set up: run `bash scripts/e2e/setup.sh`');
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Environment with Node 24 first on PATH (code-server and vsce need it). */
export function node24Env(extra = {}) {
  const { node24 } = tools();
  return { ...process.env, PATH: `${path.dirname(node24)}:${process.env.PATH ?? ''}`, ...extra };
}

/** A fresh directory for one run: user data, extensions, XDG dirs, TMPDIR, workspace, logs. */
export function freshRunDir(kind) {
  const dir = path.join(cacheDir, 'runs', kind);
  rmSync(dir, { recursive: true, force: true });
  const dirs = {
    dir,
    userData: path.join(dir, 'user-data'),
    extensions: path.join(dir, 'extensions'),
    xdgConfig: path.join(dir, 'xdg-config'),
    xdgData: path.join(dir, 'xdg-data'),
    xdgCache: path.join(dir, 'xdg-cache'),
    tmp: path.join(dir, 'tmp'),
    workspace: path.join(dir, 'workspace'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  // Quiet, deterministic user settings: no welcome page, no update checks, no telemetry.
  mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(
    path.join(dirs.userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'extensions.autoUpdate': false,
        'extensions.autoCheckUpdates': false,
        'extensions.ignoreRecommendations': true,
        'security.workspace.trust.enabled': false,
        'files.autoSave': 'off',
        'chat.disableAIFeatures': true,
        'git.enabled': false,
        // A tidy window for the screenshots.
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'editor.minimap.enabled': false,
        'editor.stickyScroll.enabled': false,
      },
      null,
      2,
    ),
  );
  return dirs;
}

/** Copies the fixtures the tests open into the run's workspace. */
export function fillWorkspace(workspace) {
  const copy = (from, to) => {
    if (!existsSync(from)) return;
    spawnSync('cp', ['-R', `${from}/.`, to], { stdio: 'inherit' });
  };
  copy(path.join(root, 'e2e', 'fixtures'), workspace);
  const fixtures = path.join(workspace, 'test-fixtures');
  if (existsSync(path.join(root, 'test-fixtures'))) {
    mkdirSync(fixtures, { recursive: true });
    copy(path.join(root, 'test-fixtures'), fixtures);
  }
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** code-server's CLI with Node 24 and the run's XDG dirs (for --install-extension and friends). */
export function codeServerCli(dirs, args, options = {}) {
  const { node24, codeServer } = tools();
  return spawnSync(
    node24,
    [codeServer, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, ...args],
    {
      encoding: 'utf8',
      env: node24Env({
        XDG_CONFIG_HOME: dirs.xdgConfig,
        XDG_DATA_HOME: dirs.xdgData,
        XDG_CACHE_HOME: dirs.xdgCache,
        TMPDIR: dirs.tmp,
      }),
      ...options,
    },
  );
}

/**
 * Starts code-server in its own process group. Returns { port, url(base), stop() }.
 * stop() ends the whole group (some children linger ~10 s after the server exits otherwise).
 */
export async function startCodeServer(dirs, { env = {} } = {}) {
  const { node24, codeServer } = tools();
  const port = await freePort();
  const logFile = path.join(dirs.dir, 'code-server.log');
  const out = createWriteStream(logFile);
  const child = spawn(
    node24,
    [
      codeServer,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      '--user-data-dir',
      dirs.userData,
      '--extensions-dir',
      dirs.extensions,
      '--vscode-option',
      'enable-smoke-test-driver',
    ],
    {
      cwd: dirs.workspace,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: node24Env({
        XDG_CONFIG_HOME: dirs.xdgConfig,
        XDG_DATA_HOME: dirs.xdgData,
        XDG_CACHE_HOME: dirs.xdgCache,
        TMPDIR: dirs.tmp,
        ...env,
      }),
    },
  );
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  let exited = false;
  child.on('exit', () => (exited = true));

  const stop = async () => {
    for (const signal of ['SIGTERM', 'SIGKILL']) {
      try {
        process.kill(-child.pid, signal);
      } catch {
        return; // the group is gone
      }
      for (let i = 0; i < 30; i++) {
        await delay(100);
        if (!groupAlive(child.pid)) return;
      }
    }
  };

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60000;
  for (;;) {
    if (exited) throw new Error(`code-server exited during start; see ${logFile}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not start within 60 s; see ${logFile}`);
    }
    await delay(200);
  }
  return { port, base, logFile, stop };
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Chromium from Debian, headless, through playwright-core (which never downloads browsers). */
export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  const { chromium: executablePath } = tools();
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** The workbench URL for a folder, with an optional smoke-test-driver payload. */
export function workbenchUrl(server, folder, payload) {
  const params = new URLSearchParams({ folder });
  if (payload) params.set('payload', JSON.stringify(payload));
  return `${server.base}/?${params}`;
}

/** `vscode-remote://` URI of a path on the code-server machine, for the payload. */
export function remoteUri(server, absolutePath) {
  return `vscode-remote://127.0.0.1:${server.port}${absolutePath}`;
}

/** Rejects after ms with a message, unless cleared. */
export function deadline(ms, what) {
  let timer;
  const promise = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: global timeout of ${ms / 1000} s`)), ms);
  });
  return { promise, clear: () => clearTimeout(timer) };
}

/**
 * The start of a UI check of the packaged extension: the .vsix (packaged first unless
 * `--no-package`), a fresh run directory with the workspace filled, the extension installed into
 * it, and the screenshots folder. Exits when the .vsix is missing or the install fails.
 */
export function prepareVsixRun(kind) {
  setup();
  const vsix = process.argv.includes('--no-package') ? vsixPath() : packageVsix();
  if (!existsSync(vsix)) {
    console.error(`[e2e] ${vsix} not found: run npm run package:vsix`);
    process.exit(1);
  }
  const dirs = freshRunDir(kind);
  fillWorkspace(dirs.workspace);
  const shots = path.join(cacheDir, 'screenshots');
  mkdirSync(shots, { recursive: true });
  const installed = codeServerCli(dirs, ['--install-extension', vsix, '--force']);
  if (installed.status !== 0 || !/successfully installed/i.test(installed.stdout + installed.stderr)) {
    console.error(installed.stdout, installed.stderr);
    console.error('[e2e] code-server --install-extension failed');
    process.exit(1);
  }
  return { dirs, shots };
}

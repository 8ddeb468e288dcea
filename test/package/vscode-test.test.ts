// `npm run test:vscode` (@vscode/test-cli + @vscode/test-electron, .vscode-test.mjs) with
// VSCODE_EXECUTABLE set launches that executable with the extension-host suite and downloads
// nothing. A stand-in executable records how it was launched (no VS Code on this machine; the
// same suite runs for real in code-server with `npm run test:e2e`).

import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../protocol/support';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'iac-netsec-vscode-test-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('npm run test:vscode with VSCODE_EXECUTABLE', () => {
  it('launches that executable on the suite, the extension and a fresh workspace', () => {
    const built = spawnSync(process.execPath, ['e2e/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    const code = path.join(tmp, 'code');
    const record = path.join(tmp, 'launched.txt');
    writeFileSync(
      code,
      `#!/bin/sh\nprintf '%s\\n' "$@" > '${record}'\nprintf 'VSCODE_TEST_OPTIONS=%s\\n' "$VSCODE_TEST_OPTIONS" >> '${record}'\n`,
    );
    chmodSync(code, 0o755);
    const result = spawnSync(
      process.execPath,
      [path.join(ROOT, 'node_modules/@vscode/test-cli/out/bin.mjs')],
      {
        cwd: ROOT,
        encoding: 'utf8',
        // An unreachable proxy: any download attempt would fail the run.
        env: {
          ...process.env,
          VSCODE_EXECUTABLE: code,
          HTTPS_PROXY: 'http://127.0.0.1:9',
          HTTP_PROXY: 'http://127.0.0.1:9',
        },
        timeout: 120_000,
      },
    );
    expect(result.status, result.stdout + result.stderr).toBe(0);
    const launched = readFileSync(record, 'utf8').split('\n');
    expect(launched).toContain(`--extensionDevelopmentPath=${ROOT}`);
    expect(launched).toContain(
      `--extensionTestsPath=${path.join(ROOT, 'node_modules/@vscode/test-cli/out/runner.cjs')}`,
    );
    expect(launched).toContain(path.join(ROOT, '.e2e-cache/runs/vscode-test/workspace'));
    expect(launched).toContain('--disable-extensions');
    const options = JSON.parse(launched.find((l) => l.startsWith('VSCODE_TEST_OPTIONS='))!.slice(20)) as {
      files: string[];
    };
    const suite = path.join(ROOT, '.e2e-cache/out/suite');
    expect(options.files.length).toBeGreaterThan(3);
    expect(options.files).toContain(path.join(suite, 'diagnostics.test.js'));
    expect(options.files).toEqual([...options.files].sort());
  });
});

// Malformed LSP frames (issue 16, item 8): after a header the reader cannot follow, the bundled
// server exits with an error (the client restarts it) instead of staying alive but deaf. A
// well-framed message whose body is not JSON keeps the stream in step: the server still answers.

import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, SERVER } from '../protocol/support';

beforeAll(() => ensureBuilt(), 120_000);

interface Outcome {
  code: number | null;
  stderr: string;
  stdout: string;
}

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { processId: null, rootUri: null, capabilities: {} },
});
const frame = (body: string) => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

/** Writes `input`, then a valid initialize request; waits for an exit or `waitMs`. */
function send(input: string, waitMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SERVER, '--stdio']);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill();
      resolve({ code: null, stderr, stdout });
    }, waitMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.write(input);
    setTimeout(() => child.stdin.write(frame(INITIALIZE)), 300);
  });
}

describe('malformed frames', () => {
  it('a non-numeric Content-Length: the server exits with an error', async () => {
    const out = await send('Content-Length: abc\r\n\r\n{}', 8_000);
    expect(out.code).toBe(1);
    expect(out.stderr).toBe(
      'iac-netsec: malformed LSP message header (Content-Length value must be a number. Got abc); exiting so that the client restarts the server.\n',
    );
  }, 20_000);

  it('a header without Content-Length: the server exits with an error', async () => {
    const out = await send('Content-Type: application/vscode-jsonrpc\r\n\r\n{}', 8_000);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(
      /^iac-netsec: malformed LSP message header \(Header must provide a Content-Length property\.\); exiting so that the client restarts the server\.\n$/,
    );
  }, 20_000);

  it('a Content-Length longer than the message: the server exits once the stream stays silent', async () => {
    const out = await send('Content-Length: 100000\r\n\r\n{}', 20_000);
    expect(out.code).toBe(1);
    expect(out.stderr).toBe(
      'iac-netsec: an LSP message stayed incomplete for 10000 ms (wrong Content-Length); exiting so that the client restarts the server.\n',
    );
  }, 30_000);

  it('a well-framed body that is not JSON: the server stays in step and answers the next request', async () => {
    const out = await send(frame('{not json'), 4_000);
    expect(out.code).toBeNull();
    expect(out.stdout).toMatch(/"id":1,"result":\{"capabilities":/);
  }, 20_000);
});

// A minimal LSP client over stdio for the benchmark: starts `node dist/server.js --stdio`,
// opens one document, types single characters into it and times each publishDiagnostics for
// the version it was computed for. Timing is taken on the client side, so it includes the
// JSON-RPC round trip (serialising the diagnostics, the pipe, parsing them here).

import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The Node flags the VS Code client starts the server with (client/src/serverNodeArgs.json):
 * the benchmark runs the server as the editor does.
 */
export const SERVER_NODE_ARGS = JSON.parse(
  readFileSync(
    path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'client', 'src', 'serverNodeArgs.json'),
    'utf8',
  ),
);

/** Preloaded into the server: answers SIGUSR2 with its heap after a full GC (heap-probe.mjs). */
const HEAP_PROBE = pathToFileURL(
  path.join(path.dirname(fileURLToPath(import.meta.url)), 'heap-probe.mjs'),
).href;

export class LspClient {
  /**
   * @param {string} serverJs
   * @param {string[]} nodeArgs after the editor's flags (SERVER_NODE_ARGS), unless `editorFlags` is false
   */
  constructor(serverJs, nodeArgs = [], editorFlags = true) {
    this.probeDir = mkdtempSync(path.join(os.tmpdir(), 'iac-netsec-heap-'));
    this.probeFile = path.join(this.probeDir, 'heap.json');
    this.proc = spawn(
      process.execPath,
      [
        '--expose-gc',
        '--import',
        HEAP_PROBE,
        ...(editorFlags ? SERVER_NODE_ARGS : []),
        ...nodeArgs,
        serverJs,
        '--stdio',
      ],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...process.env, IAC_NETSEC_HEAP_PROBE: this.probeFile },
      },
    );
    this.buffer = Buffer.alloc(0);
    this.nextId = 1;
    /** @type {Map<number, {resolve: (v: unknown) => void, reject: (e: Error) => void}>} */
    this.requests = new Map();
    /** @type {((params: any) => void)[]} */
    this.diagnosticListeners = [];
    this.stderr = '';
    this.proc.stdout.on('data', (chunk) => this.onData(chunk));
    this.proc.stderr.on('data', (chunk) => {
      this.stderr += chunk.toString();
      if (this.stderr.length > 100_000) this.stderr = this.stderr.slice(-50_000);
    });
    this.exited = new Promise((resolve) => this.proc.on('exit', (code) => resolve(code)));
  }

  get pid() {
    return this.proc.pid;
  }

  /** @param {Buffer} chunk */
  onData(chunk) {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const match = /Content-Length: (\d+)/i.exec(header);
      if (!match) throw new Error(`bad LSP header: ${header}`);
      const length = Number(match[1]);
      const start = headerEnd + 4;
      if (this.buffer.length < start + length) return;
      const body = this.buffer.subarray(start, start + length).toString('utf8');
      this.buffer = this.buffer.subarray(start + length);
      this.onMessage(JSON.parse(body));
    }
  }

  /** @param {any} message */
  onMessage(message) {
    if (message.id !== undefined && message.method === undefined) {
      const pending = this.requests.get(message.id);
      this.requests.delete(message.id);
      if (message.error) pending?.reject(new Error(message.error.message));
      else pending?.resolve(message.result);
      return;
    }
    if (message.method === 'textDocument/publishDiagnostics') {
      const at = performance.now();
      for (const listener of this.diagnosticListeners) listener({ ...message.params, at });
      return;
    }
    if (message.id !== undefined) {
      // A request from the server (registerCapability, workspace/configuration, ...): answer it.
      const result =
        message.method === 'workspace/configuration'
          ? (message.params?.items ?? []).map(() => ({ diagnosticsDelayMs: 0 }))
          : null;
      this.send({ jsonrpc: '2.0', id: message.id, result });
    }
  }

  /** @param {unknown} message */
  send(message) {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.proc.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.proc.stdin.write(body);
  }

  /** @param {string} method @param {unknown} params */
  request(method, params, timeoutMs = 60_000) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method} timed out`)), timeoutMs);
      this.requests.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  /** @param {string} method @param {unknown} params */
  notify(method, params) {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** Resolves with the time publishDiagnostics for (uri, version) arrived. */
  waitForDiagnostics(uri, version, timeoutMs = 120_000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        remove();
        reject(new Error(`no diagnostics for ${uri} version ${version}`));
      }, timeoutMs);
      const listener = (params) => {
        if (params.uri !== uri || params.version !== version) return;
        clearTimeout(timer);
        remove();
        resolve(params);
      };
      const remove = () => {
        this.diagnosticListeners = this.diagnosticListeners.filter((l) => l !== listener);
      };
      this.diagnosticListeners.push(listener);
    });
  }

  async initialize(rootUri) {
    const result = await this.request('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: null,
      capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } } },
      initializationOptions: { diagnosticsDelayMs: 0 },
    });
    this.notify('initialized', {});
    return result;
  }

  /** Peak resident memory (VmHWM) and current (VmRSS) of the server, in MB; undefined off Linux. */
  memory() {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
      return { peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
    } catch {
      return undefined;
    }
  }

  /**
   * The server's retained memory: heap used after a full garbage collection, in MB (and the
   * rest of process.memoryUsage() then). Undefined where signals are not supported.
   */
  async heap(timeoutMs = 10_000) {
    if (process.platform === 'win32') return undefined;
    rmSync(this.probeFile, { force: true });
    this.proc.kill('SIGUSR2');
    const deadline = performance.now() + timeoutMs;
    while (!existsSync(this.probeFile)) {
      if (performance.now() > deadline) return undefined;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const report = JSON.parse(readFileSync(this.probeFile, 'utf8'));
    const mb = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;
    return {
      heapMb: mb(report.heapUsed),
      heapTotalMb: mb(report.heapTotal),
      externalMb: mb(report.external),
      rssAfterGcMb: mb(report.rss),
    };
  }

  async shutdown() {
    try {
      await this.request('shutdown', null, 10_000);
      this.notify('exit', null);
    } catch {
      // fall through to kill
    }
    const timer = setTimeout(() => this.proc.kill(), 5_000);
    await this.exited;
    clearTimeout(timer);
    rmSync(this.probeDir, { recursive: true, force: true });
  }
}

/** Line starts of a text (LSP lines: \n, \r\n, \r). */
function lineStarts(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10) starts.push(i + 1);
  }
  return starts;
}

function positionAt(starts, offset) {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low, character: offset - starts[low] };
}

/**
 * Opens `file` in a fresh server and types: at each offset a character is inserted and then
 * deleted again (two single-character edits, each timed to its publishDiagnostics).
 * `broken` offsets get a character that breaks the syntax (timed separately).
 */
export async function measureServer({
  serverJs,
  nodeArgs,
  editorFlags = true,
  file,
  uri,
  languageId,
  offsets,
  brokenOffsets,
  brokenChar,
}) {
  const text = readFileSync(file, 'utf8');
  const client = new LspClient(serverJs, nodeArgs, editorFlags);
  try {
    await client.initialize(null);
    let version = 1;
    const opened = client.waitForDiagnostics(uri, version);
    const t0 = performance.now();
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
    const first = await opened;
    const openMs = first.at - t0;
    const memoryOpen = client.memory();
    const starts = lineStarts(text);
    const type = async (offset, char) => {
      const at = positionAt(starts, offset);
      const after = { line: at.line, character: at.character + char.length };
      const out = [];
      for (const change of [
        { range: { start: at, end: at }, text: char },
        { range: { start: at, end: after }, text: '' },
      ]) {
        version++;
        const wait = client.waitForDiagnostics(uri, version);
        const started = performance.now();
        client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
        const published = await wait;
        out.push(published.at - started);
      }
      return out;
    };
    // Warm-up edits (not counted).
    for (const offset of offsets.slice(0, 5)) await type(offset, 'x');
    const samples = [];
    for (const offset of offsets) samples.push(...(await type(offset, 'x')));
    const memoryTyping = client.memory();
    // What the server keeps with the document open after the keystrokes (a full GC first).
    const heapTyping = await client.heap();
    const broken = [];
    for (const offset of brokenOffsets ?? []) broken.push((await type(offset, brokenChar))[0]);
    const memory = client.memory();
    return {
      openMs,
      findings: first.diagnostics.length,
      samples,
      broken,
      memory,
      memoryTyping,
      memoryOpen,
      heapTyping,
      pid: client.pid,
    };
  } finally {
    await client.shutdown();
  }
}

// Shared by the protocol and CLI tests: make sure dist/ is built from the current sources, and
// drive the bundled language server over stdio with a real JSON-RPC client.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type {
  Diagnostic,
  InitializeResult,
  PublishDiagnosticsParams,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol';

export const ROOT = path.resolve(__dirname, '../..');
export const SERVER = path.join(ROOT, 'dist/server.js');
export const CLI = path.join(ROOT, 'dist/cli.js');

const OUTPUTS = ['dist/server.js', 'dist/cli.js', 'dist/cli-worker.js'];
const INPUTS = ['server/src', 'client/src', 'package.json', 'esbuild.mjs'];

function newest(file: string): number {
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = 0;
  for (const entry of readdirSync(file)) {
    if (entry === 'node_modules') continue;
    max = Math.max(max, newest(path.join(file, entry)));
  }
  return max;
}

function stale(): boolean {
  try {
    const built = Math.min(...OUTPUTS.map((o) => statSync(path.join(ROOT, o)).mtimeMs));
    return INPUTS.some((i) => newest(path.join(ROOT, i)) > built);
  } catch {
    return true;
  }
}

/** Builds dist/ when a source is newer than it (npm test builds first; this is for vitest alone). */
export function ensureBuilt(): void {
  if (!stale()) return;
  const lock = path.join(ROOT, 'dist/.build-lock');
  mkdirSync(path.join(ROOT, 'dist'), { recursive: true });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200); // another test file is building
    }
  }
  try {
    if (stale()) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface StartOptions {
  initializationOptions?: unknown;
  /** Answer workspace/configuration with this (per call); omit to not declare the capability. */
  configuration?: (section: string | undefined, scopeUri: string | undefined) => unknown;
  workspaceFolders?: string[];
  capabilities?: Record<string, unknown>;
}

export class TestClient {
  readonly published: PublishDiagnosticsParams[] = [];
  readonly logs: string[] = [];
  readonly stderr: string[] = [];
  private waiters: {
    test: (p: PublishDiagnosticsParams) => boolean;
    resolve: (p: PublishDiagnosticsParams) => void;
  }[] = [];
  initializeResult!: InitializeResult;

  private constructor(
    readonly process: ChildProcess,
    readonly connection: MessageConnection,
  ) {}

  static async start(options: StartOptions = {}): Promise<TestClient> {
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createMessageConnection(
      new StreamMessageReader(child.stdout!),
      new StreamMessageWriter(child.stdin!),
    );
    const client = new TestClient(child, connection);
    child.stderr!.on('data', (chunk: Buffer) => client.stderr.push(chunk.toString()));
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      client.published.push(params);
      client.waiters = client.waiters.filter((w) => {
        if (!w.test(params)) return true;
        w.resolve(params);
        return false;
      });
    });
    connection.onNotification('window/logMessage', (params: { message: string }) =>
      client.logs.push(params.message),
    );
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest(
      'workspace/configuration',
      (params: { items: { section?: string; scopeUri?: string }[] }) =>
        params.items.map((item) => options.configuration?.(item.section, item.scopeUri) ?? null),
    );
    connection.listen();
    const folders = options.workspaceFolders ?? [];
    client.initializeResult = (await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: folders.map((f) => ({ uri: fileUri(f), name: path.basename(f) })),
      capabilities: {
        workspace: {
          configuration: options.configuration !== undefined,
          didChangeConfiguration: { dynamicRegistration: false },
          didChangeWatchedFiles: { dynamicRegistration: true },
        },
        textDocument: {
          publishDiagnostics: { relatedInformation: true, versionSupport: true },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source'] } } },
          hover: { contentFormat: ['markdown', 'plaintext'] },
        },
        ...options.capabilities,
      },
      initializationOptions: options.initializationOptions,
    })) as InitializeResult;
    await connection.sendNotification('initialized', {});
    return client;
  }

  /** Resolves with the first publication (already received or future) that passes `test`. */
  diagnostics(
    uri: string,
    test: (p: PublishDiagnosticsParams) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<PublishDiagnosticsParams> {
    const matches = (p: PublishDiagnosticsParams) => p.uri === uri && test(p);
    const found = this.published.find(matches);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `no diagnostics for ${uri} within ${timeoutMs} ms; got ${JSON.stringify(this.published.filter((p) => p.uri === uri).map((p) => p.version))}\n${this.stderr.join('')}`,
            ),
          ),
        timeoutMs,
      );
      this.waiters.push({
        test: matches,
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
      });
    });
  }

  /** Diagnostics published for exactly this document version. */
  forVersion(uri: string, version: number): Promise<Diagnostic[]> {
    return this.diagnostics(uri, (p) => p.version === version).then((p) => p.diagnostics);
  }

  open(uri: string, text: string, languageId = 'yaml', version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId, version, text },
    });
  }

  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: changes,
    });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  notify(method: string, params: unknown): Promise<void> {
    return this.connection.sendNotification(method, params);
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    this.connection.dispose();
    await new Promise<void>((resolve) => {
      if (this.process.exitCode !== null) return resolve();
      const timer = setTimeout(() => {
        this.process.kill();
        resolve();
      }, 2000);
      this.process.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

export function fileUri(file: string): string {
  return pathToFileURL(path.resolve(file)).href;
}

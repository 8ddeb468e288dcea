// ARCHITECTURE invariant 7 (issue 16): no child processes, no sockets, no code from the
// workspace. The bundles are built again in memory with a metafile, and every import of a
// module that starts processes, opens sockets or runs threads is checked against the few
// places allowed to: the LSP libraries' own transports (the editor's stdio/pipe/socket, and the
// client starting the server) and the CLI's worker threads. Nothing of ours may import them.

import * as esbuild from 'esbuild';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support';

const FORBIDDEN = new Set(
  [
    'child_process',
    'net',
    'http',
    'https',
    'http2',
    'dgram',
    'worker_threads',
    'cluster',
    'tls',
    'vm',
  ].flatMap((m) => [m, `node:${m}`]),
);

/** importer → the forbidden modules it may import. */
const ALLOWED: Record<string, Record<string, string[]>> = {
  'server/src/lsp/main.ts': {
    // vscode-jsonrpc's transports (--pipe, --socket: the editor's choice); vscode-languageserver's
    // global module lookup (Files.resolveGlobalNodePath, never called by us).
    'vscode-jsonrpc/lib/node/main.js': ['net'],
    'vscode-languageserver/lib/node/files.js': ['child_process'],
  },
  'server/src/cli/main.ts': { 'server/src/cli/run.ts': ['node:worker_threads'] },
  'server/src/cli/worker.ts': { 'server/src/cli/worker.ts': ['node:worker_threads'] },
  'client/src/extension.ts': {
    // The client starts the bundled server as a child process (its one job).
    'vscode-jsonrpc/lib/node/main.js': ['net'],
    'vscode-languageclient/lib/node/main.js': ['child_process'],
    'vscode-languageclient/lib/node/processes.js': ['child_process'],
  },
};

/** Imports of `?raw` files are text (their contents do not matter here). */
const raw: esbuild.Plugin = {
  name: 'raw',
  setup(build) {
    build.onResolve({ filter: /\?raw$/ }, (args) => ({ path: args.path, namespace: 'raw' }));
    build.onLoad({ filter: /.*/, namespace: 'raw' }, () => ({ contents: '', loader: 'text' }));
  },
};

async function forbiddenImports(entry: string): Promise<Record<string, string[]>> {
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    mainFields: ['module', 'main'],
    write: false,
    metafile: true,
    logLevel: 'silent',
    external: ['vscode'],
    loader: { '.wasm': 'empty' },
    plugins: [raw],
    outfile: path.join(ROOT, 'dist', 'metafile-check.js'),
  });
  const found: Record<string, string[]> = {};
  for (const [input, info] of Object.entries(result.metafile.inputs)) {
    const bad = info.imports.filter((i) => FORBIDDEN.has(i.path)).map((i) => i.path);
    // A package's file by its path inside the package (npm may nest it anywhere).
    const name = input.replace(/^.*node_modules\//, '');
    if (bad.length) found[name] = [...new Set(bad)].sort();
  }
  return found;
}

describe('bundles import no process, socket or thread modules outside their allowed places', () => {
  for (const entry of Object.keys(ALLOWED)) {
    it(
      entry,
      async () => {
        expect(await forbiddenImports(entry)).toEqual(ALLOWED[entry]);
      },
      60_000,
    );
  }
});

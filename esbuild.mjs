// Bundles the VS Code client, the language server and the CLI into dist/.
// Usage: node esbuild.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { importMetaUrl } from './scripts/esbuild-import-meta.mjs';

/** `import docs from './rule.md?raw'` (as in Vite/Vitest): the file's text. */
const rawPlugin = {
  name: 'raw',
  setup(build) {
    build.onResolve({ filter: /\?raw$/ }, (args) => ({
      path: path.resolve(args.resolveDir, args.path.replace(/\?raw$/, '')),
      namespace: 'raw',
    }));
    build.onLoad({ filter: /.*/, namespace: 'raw' }, async (args) => ({
      contents: await readFile(args.path, 'utf8'),
      loader: 'text',
    }));
  },
};

/**
 * The IAM catalogue (1.5 MB of JSON, half of a bundle) stays out of the Node bundles: they read
 * dist/iam-catalog.json the first time a policy is checked (server/src/policy/data/catalogFile.ts
 * in place of catalogText.ts), so a run without policies neither reads nor compiles it.
 */
const CATALOG = { source: 'server/src/policy/data/catalog.json', file: 'iam-catalog.json' };
const catalogFilePlugin = {
  name: 'catalog-file',
  setup(build) {
    build.onResolve({ filter: /^\.\/data\/catalogText$/ }, (args) => ({
      path: path.resolve(args.resolveDir, 'data', 'catalogFile.ts'),
    }));
  },
};

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // jsonc-parser's UMD build (its `main`) requires its parts dynamically, which cannot be
  // bundled; its ESM build (`module`) can.
  mainFields: ['module', 'main'],
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
  plugins: [rawPlugin],
  // web-tree-sitter (ESM) finds its files through import.meta.url, which a CommonJS bundle
  // lacks: give it the bundle's own file URL.
  ...importMetaUrl,
};

const builds = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  ...[
    { entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js' },
    { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js' },
    { entryPoints: ['server/src/cli/worker.ts'], outfile: 'dist/cli-worker.js' },
  ].map((entry) => ({ ...common, ...entry, plugins: [rawPlugin, catalogFilePlugin] })),
  // The network map webview's script: runs in the browser sandbox of a webview.
  {
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: ['client/src/webview/networkMap.ts'],
    outfile: 'dist/networkMap.js',
    // No Node banner or define: there is no `require` in a webview.
    banner: {},
    define: {},
  },
];

// The HCL parser's wasm files and the IAM catalogue are read at run time from next to the bundles.
const require = createRequire(import.meta.url);
const WASM = [
  require.resolve('web-tree-sitter/web-tree-sitter.wasm'),
  require.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm'),
];
await mkdir('dist', { recursive: true });
await Promise.all([
  ...WASM.map((file) => copyFile(file, path.join('dist', path.basename(file)))),
  copyFile(CATALOG.source, path.join('dist', CATALOG.file)),
]);

if (watch) {
  for (const options of builds) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
  console.log('esbuild: watching client, server and CLI');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}

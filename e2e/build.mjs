// Bundles the extension-host test suite (e2e/suite/*.ts) into .e2e-cache/out/suite/.
// Each *.test.ts becomes its own file that Mocha loads with require(); index.ts is the
// module VS Code loads (extensionTestsPath) and exports run().
// `vscode` is provided by the extension host; Mocha stays in node_modules.
import * as esbuild from 'esbuild';
import { readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importMetaUrl } from '../scripts/esbuild-import-meta.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const outDir = path.join(root, '.e2e-cache', 'out', 'suite');

/** `import docs from './rule.md?raw'`, as in esbuild.mjs. */
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

export async function buildSuite() {
  const suiteDir = path.join(root, 'e2e', 'suite');
  const entries = (await readdir(suiteDir))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && (f === 'index.ts' || f.endsWith('.test.ts')))
    .map((f) => path.join(suiteDir, f));
  await rm(outDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: entries,
    outdir: outDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    logLevel: 'warning',
    external: ['vscode', 'mocha', 'mocha/*'],
    // jsonc-parser's "main" is a UMD build whose dynamic requires esbuild cannot follow.
    mainFields: ['module', 'main'],
    plugins: [rawPlugin],
    // As in esbuild.mjs: web-tree-sitter (the HCL parser) locates itself through import.meta.url.
    ...importMetaUrl,
  });
  return outDir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(await buildSuite());
}

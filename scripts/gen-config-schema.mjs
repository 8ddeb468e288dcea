// Writes schemas/iac-netsec.schema.json (the JSON Schema of .iac-netsec.yaml) from the rule
// registry. Run after adding a rule: node scripts/gen-config-schema.mjs
// (server/src/config/schema.test.ts fails while the file is stale).
import * as esbuild from 'esbuild';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

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

const result = await esbuild.build({
  entryPoints: [path.join(root, 'server/src/config/schema.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // jsonc-parser's UMD build requires its parts dynamically; its ESM build bundles.
  mainFields: ['module', 'main'],
  write: false,
  logLevel: 'warning',
  plugins: [rawPlugin],
});
const module = { exports: {} };
const require = createRequire(import.meta.url);
new Function('module', 'exports', 'require', result.outputFiles[0].text)(module, module.exports, require);
const schema = module.exports.configSchema();

const out = path.join(root, 'schemas/iac-netsec.schema.json');
const options = (await prettier.resolveConfig(out)) ?? {};
const text = await prettier.format(JSON.stringify(schema, null, 2), { ...options, filepath: out });
await writeFile(out, text);
console.log(
  `wrote ${path.relative(root, out)} (${Object.keys(schema.properties.rules.properties).length} rules)`,
);

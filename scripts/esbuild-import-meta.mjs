// esbuild options for a CommonJS bundle of code that finds its files through
// `import.meta.url` (web-tree-sitter, the HCL parser): the bundle's own file URL stands in.
// Shared by esbuild.mjs, bench/run.mjs and e2e/build.mjs.
export const importMetaUrl = {
  banner: { js: 'var __importMetaUrl = require("url").pathToFileURL(__filename).href;' },
  define: { 'import.meta.url': '__importMetaUrl' },
};

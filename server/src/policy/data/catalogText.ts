// The IAM catalogue's JSON text, bundled with the code (tests, the benchmark, the editor-test
// bundle). The shipped bundles (esbuild.mjs) put `catalogFile.ts` in place of this module, which
// reads dist/iam-catalog.json instead: the text is then loaded only when a policy is checked.

import text from './catalog.json?raw';

export function catalogText(): string {
  return text;
}

// In the shipped bundles (dist/cli.js, dist/cli-worker.js, dist/server.js) this module replaces
// `catalogText.ts` (esbuild.mjs): the 1.5 MB catalogue is not part of the bundle's code, which
// every start of the CLI would have to read and compile, but a file next to it
// (dist/iam-catalog.json, copied there by esbuild.mjs), read the first time a policy is checked.

import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The catalogue's file name next to the bundles. */
export const CATALOG_FILE = 'iam-catalog.json';

export function catalogText(): string {
  const file = path.join(__dirname, CATALOG_FILE);
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(
      `The IAM catalogue ${file} cannot be read (${error instanceof Error ? error.message : String(error)}): it is shipped next to the bundles.`,
    );
  }
}

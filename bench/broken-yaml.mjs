// Parse cost of an edit that breaks (and of the one that repairs) the YAML of one resource in
// the 20,000-line template (issue 16 item 4): an opening quote or bracket typed at the start of
// a value (`GroupDescription: "web ...`), which `npm run bench`'s broken case (a quote typed at
// a line end, mostly still valid YAML) does not cover, and a quote typed right after the colon
// of a key that opens a block (`key:"`: `HttpListener402:"`, `Properties:"`), which it does. The row `x` is an ordinary keystroke at
// the same places, for comparison on a busy machine. Parser only (no rules), in-process.
//
//   node bench/broken-yaml.mjs [large.yaml]     target: p95 <= 50 ms for breaking and repairing

import { build } from 'esbuild';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const template =
  process.argv[2] ??
  [path.join(root, '..', 'shared', 'bench', 'large.yaml'), path.join(here, 'templates', 'large.yaml')].find(
    (f) => existsSync(f),
  );
if (!template) throw new Error('large.yaml not found: pass its path');

const out = mkdtempSync(path.join(os.tmpdir(), 'broken-yaml-'));
const bundle = path.join(out, 'yaml.cjs');
await build({
  entryPoints: [path.join(root, 'server/src/parse/yaml.ts')],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  outfile: bundle,
  logLevel: 'error',
});
const { IncrementalYamlParser } = createRequire(import.meta.url)(bundle);
rmSync(out, { recursive: true, force: true });

const text = readFileSync(template, 'utf8');
/** 20 places spread through the template, of the offsets a pattern's matches end at. */
const spread = (pattern) => {
  const found = [...text.matchAll(pattern)].map((m) => m.index + m[0].length);
  return Array.from({ length: 20 }, (_, i) => found[Math.floor(((i + 0.5) * found.length) / 20)]);
};
// Value starts of `Key: value` lines.
const places = spread(/^ {6}[A-Za-z]+: (?=[A-Za-z0-9])/gm);
// Right after the colon of a key that opens a block (a resource's logical id, `Properties:`):
// YAML reads `Properties:"` and the lines below as one key (the bench's broken column types
// there when it types at the end of such a line).
const keyEnds = spread(/^ {2,4}[A-Za-z0-9]+:(?=\n)/gm);

const parser = new IncrementalYamlParser();
parser.parse(text);
const p = (list, q) =>
  list.slice().sort((a, b) => a - b)[Math.min(list.length - 1, Math.floor(q * list.length))];
const rows = [];
for (const [opener, where] of [
  ['x', places],
  ['"', places],
  ["'", places],
  ['[', places],
  ['{', places],
  ['key:"', keyEnds],
]) {
  const broken = [];
  const repaired = [];
  let problems = 0;
  for (const at of where) {
    let t = performance.now();
    const parsed = parser.parse(text.slice(0, at) + opener.replace('key:', '') + text.slice(at));
    broken.push(performance.now() - t);
    problems += parsed.problems.length;
    t = performance.now();
    parser.parse(text);
    repaired.push(performance.now() - t);
  }
  rows.push({
    opener,
    brokenP50: +p(broken, 0.5).toFixed(1),
    brokenP95: +p(broken, 0.95).toFixed(1),
    repairedP50: +p(repaired, 0.5).toFixed(1),
    repairedP95: +p(repaired, 0.95).toFixed(1),
    problemsPerEdit: problems / where.length,
  });
}
console.log(
  `${path.basename(template)}: ${text.split('\n').length} lines, ${places.length} places per opener`,
);
console.table(rows);
const worst = Math.max(...rows.filter((r) => r.opener !== 'x').flatMap((r) => [r.brokenP95, r.repairedP95]));
console.log(`worst p95 ${worst} ms (target 50 ms)`);

// Parse cost of an edit that breaks (and of the one that repairs) the YAML of one resource in
// the 20,000-line template (issue 16 item 4): an opening quote or bracket typed at the start of
// a value (`GroupDescription: "web ...`), which `npm run bench`'s broken case (a quote typed at
// a line end, mostly still valid YAML) does not cover. The row `x` is an ordinary keystroke at
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
// Value starts of `Key: value` lines spread through the template (20 places).
const starts = [];
for (const m of text.matchAll(/^ {6}[A-Za-z]+: (?=[A-Za-z0-9])/gm)) starts.push(m.index + m[0].length);
const places = Array.from({ length: 20 }, (_, i) => starts[Math.floor(((i + 0.5) * starts.length) / 20)]);

const parser = new IncrementalYamlParser();
parser.parse(text);
const p = (list, q) =>
  list.slice().sort((a, b) => a - b)[Math.min(list.length - 1, Math.floor(q * list.length))];
const rows = [];
for (const opener of ['x', '"', "'", '[', '{']) {
  const broken = [];
  const repaired = [];
  let problems = 0;
  for (const at of places) {
    let t = performance.now();
    const parsed = parser.parse(text.slice(0, at) + opener + text.slice(at));
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
    problemsPerEdit: problems / places.length,
  });
}
console.log(
  `${path.basename(template)}: ${text.split('\n').length} lines, ${places.length} places per opener`,
);
console.table(rows);
const worst = Math.max(...rows.filter((r) => r.opener !== 'x').flatMap((r) => [r.brokenP95, r.repairedP95]));
console.log(`worst p95 ${worst} ms (target 50 ms)`);

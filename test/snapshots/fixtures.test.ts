// Fixture snapshots (DESIGN.md test layer 3): every file in test-fixtures/ rendered as
// `file:line:col severity rule message`, followed by the diff of each quick-fix. Committed and
// reviewed as diffs: `npm run test:snapshots -- -u` after a deliberate change.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../server/src/engine/analyze';
import { defaultSettings } from '../../server/src/engine/settings';
import { recipeToEdits } from '../../server/src/fixes/edits';
import { loadDocument } from '../../server/src/model/load';

const ROOT = path.join(__dirname, '../../test-fixtures');

function files(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? files(full) : [full];
    });
}

export function render(file: string, text: string): string {
  const doc = loadDocument(file, text);
  if (!doc) return '(not a template, plan or policy: no findings)\n';
  const { findings } = analyze(doc, defaultSettings());
  const out: string[] = [`format: ${doc.format}`];
  for (const f of findings) {
    const p = doc.lines.positionAt(f.start);
    const e = doc.lines.positionAt(f.end);
    const where = `${p.line + 1}:${p.character + 1}-${e.line + 1}:${e.character + 1}`;
    out.push(`${where} ${f.suppressed ? 'suppressed' : f.severity} ${f.ruleId} ${f.message}`);
    if (f.suppressed) out.push(`    suppressed by ${f.suppressed.by}: ${f.suppressed.reason}`);
    for (const r of f.related) {
      const rp = doc.lines.positionAt(r.span.start);
      out.push(`    related ${rp.line + 1}:${rp.character + 1} ${r.message}`);
    }
    for (const fix of f.fixes) {
      out.push(`    fix (${fix.safety}): ${fix.title}`);
      const edits = recipeToEdits(doc, fix).sort((a, b) => b.start - a.start);
      let fixed = text;
      for (const edit of edits) fixed = fixed.slice(0, edit.start) + edit.newText + fixed.slice(edit.end);
      out.push(...diff(text, fixed).map((l) => `      ${l}`));
    }
  }
  return out.join('\n') + '\n';
}

/** A line diff (longest common subsequence) shown as hunks with one line of context. */
function diff(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const ops: { kind: ' ' | '-' | '+'; text: string; line: number }[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ kind: ' ', text: a[i++]!, line: j++ });
    else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!))
      ops.push({ kind: '-', text: a[i++]!, line: j });
    else ops.push({ kind: '+', text: b[j]!, line: j++ });
  }
  const out: string[] = [];
  let last = -2;
  ops.forEach((op, k) => {
    const near = ops.slice(Math.max(0, k - 1), k + 2).some((o) => o.kind !== ' ');
    if (!near) return;
    if (k !== last + 1) out.push(`@@ line ${op.line + 1}`);
    out.push(`${op.kind} ${op.text}`);
    last = k;
  });
  return out;
}

describe('fixture snapshots', () => {
  for (const file of files(ROOT)) {
    const relative = path.relative(ROOT, file);
    it(relative, async () => {
      const text = readFileSync(file, 'utf8');
      await expect(render(relative, text)).toMatchFileSnapshot(
        path.join('__snapshots__', `${relative}.snap`),
      );
    });
  }
});

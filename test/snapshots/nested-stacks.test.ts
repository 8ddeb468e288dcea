// Nested stacks snapshot: test-fixtures/nested-stacks/parent.yaml checked with the local templates
// of its nested stacks (unit/stack.ts), as the editor and the CLI check it. Each finding is shown
// with its related information, in the file it points into. (fixtures.test.ts renders every file
// alone, as a child checked on its own is: with its defaults.)

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStackTemplate } from '../../server/src/cli/stackTemplates';
import { defaultSettings } from '../../server/src/engine/settings';
import { loadDocument } from '../../server/src/model/load';
import { locate } from '../../server/src/model/document';
import { analyzeInStack, StackReader } from '../../server/src/unit/stack';

const DIR = path.join(__dirname, '../../test-fixtures/nested-stacks');

function render(file: string): string {
  const absolute = path.join(DIR, file);
  const doc = loadDocument(absolute, readFileSync(absolute, 'utf8'))!;
  const read = readStackTemplate([DIR]);
  const reads: string[] = [];
  const { findings } = analyzeInStack(
    doc,
    defaultSettings(),
    (from, relative) => {
      const template = read(from, relative);
      reads.push(`${relative}: ${template ? 'read' : 'not read'}`);
      return template;
    },
    new StackReader(),
  );
  const out = [`templates: ${reads.join(', ')}`];
  for (const f of findings) {
    const p = doc.lines.positionAt(f.start);
    const e = doc.lines.positionAt(f.end);
    out.push(
      `${p.line + 1}:${p.character + 1}-${e.line + 1}:${e.character + 1} ${f.severity} ${f.ruleId} ${f.message}`,
    );
    for (const r of f.related) {
      const at = locate(doc, r.span);
      const rp = at.lines.positionAt(at.start);
      out.push(`    related ${path.relative(DIR, at.uri)}:${rp.line + 1}:${rp.character + 1} ${r.message}`);
    }
    for (const fix of f.fixes) out.push(`    fix (${fix.safety}): ${fix.title}`);
  }
  return out.join('\n') + '\n';
}

describe('nested stacks snapshot', () => {
  it('parent.yaml with its nested stacks', async () => {
    await expect(render('parent.yaml')).toMatchFileSnapshot(
      path.join('__snapshots__', 'nested-stacks', 'parent.yaml.with-stacks.snap'),
    );
  });
});

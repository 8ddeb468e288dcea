import { describe, expect, it } from 'vitest';
import { diffEdits, type OffsetEdit } from '../../server/src/service/textDiff';
import { rng } from '../robustness/support';

function apply(text: string, edits: OffsetEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((x, y) => y.start - x.start))
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

describe('diffEdits', () => {
  it('one hunk per changed place, insertions at one place merged', () => {
    const before = 'a\nb\nc\nd\ne\n';
    const after = 'a\nX\nY\nb\nc\nD\ne\n';
    expect(diffEdits(before, after)).toEqual([
      { start: 2, end: 2, newText: 'X\nY\n' },
      { start: 6, end: 8, newText: 'D\n' },
    ]);
  });

  it('no edit for equal texts; a last line without a line break', () => {
    expect(diffEdits('a\nb', 'a\nb')).toEqual([]);
    expect(apply('a\nb', diffEdits('a\nb', 'a\nb\nc'))).toBe('a\nb\nc');
    expect(apply('', diffEdits('', 'x\n'))).toBe('x\n');
  });

  it('random edits round-trip', () => {
    const random = rng(7);
    const words = ['a\n', 'b\n', 'c\n', '  key: value\n', '}\n', '\n'];
    for (let round = 0; round < 300; round++) {
      const lines = Array.from(
        { length: Math.floor(random() * 30) },
        () => words[Math.floor(random() * words.length)]!,
      );
      const changed = [...lines];
      for (let k = Math.floor(random() * 6); k > 0; k--) {
        const at = Math.floor(random() * (changed.length + 1));
        if (random() < 0.5) changed.splice(at, 0, words[Math.floor(random() * words.length)]!);
        else changed.splice(at, 1);
      }
      const before = lines.join('');
      const after = changed.join('') + (random() < 0.3 ? 'tail' : '');
      const edits = diffEdits(before, after);
      expect(apply(before, edits)).toBe(after);
      for (let i = 1; i < edits.length; i++) expect(edits[i]!.start).toBeGreaterThan(edits[i - 1]!.end - 1);
    }
  });
});

// diffTexts: the changed range between two versions of a text, exactly, for the incremental
// parsers and the engine (which reuses findings outside that range). shiftParsed: a piece
// parsed at one place, moved to another, is the piece parsed there.

import { describe, expect, it } from 'vitest';
import { diffTexts, shiftParsed, type TextDiff } from './incremental';
import { parseJson } from './json';

/** The same answer, one character at a time. */
function reference(oldText: string, newText: string): TextDiff {
  const max = Math.min(oldText.length, newText.length);
  let start = 0;
  while (start < max && oldText[start] === newText[start]) start++;
  let suffix = 0;
  while (
    suffix < max - start &&
    oldText[oldText.length - 1 - suffix] === newText[newText.length - 1 - suffix]
  )
    suffix++;
  return { start, oldEnd: oldText.length - suffix, newEnd: newText.length - suffix };
}

describe('diffTexts', () => {
  it.each([
    ['a character typed', 'abcdef', 'abcXdef', { start: 3, oldEnd: 3, newEnd: 4 }],
    ['a character deleted', 'abcXdef', 'abcdef', { start: 3, oldEnd: 4, newEnd: 3 }],
    ['a character replaced', 'abcdef', 'abXdef', { start: 2, oldEnd: 3, newEnd: 3 }],
    ['typed at the start', 'abc', 'Xabc', { start: 0, oldEnd: 0, newEnd: 1 }],
    ['typed at the end', 'abc', 'abcX', { start: 3, oldEnd: 3, newEnd: 4 }],
    ['the same text', 'abc', 'abc', { start: 3, oldEnd: 3, newEnd: 3 }],
    ['from empty', '', 'abc', { start: 0, oldEnd: 0, newEnd: 3 }],
    ['to empty', 'abc', '', { start: 0, oldEnd: 3, newEnd: 0 }],
    // A repeated character: the prefix is taken first, the suffix does not overlap it.
    ['in a run of one character', 'aaaa', 'aaaaa', { start: 4, oldEnd: 4, newEnd: 5 }],
    ['a run shortened', 'xaaay', 'xay', { start: 2, oldEnd: 4, newEnd: 2 }],
    ['two places changed: the range covers both', 'a-b-c', 'aXb-cY', { start: 1, oldEnd: 5, newEnd: 6 }],
  ])('%s', (_name, oldText, newText, expected) => {
    expect(diffTexts(oldText, newText)).toEqual(expected);
  });

  it('agrees with a character-by-character diff on random edits of a long text', () => {
    let seed = 7;
    const random = (below: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % below;
    };
    const base = Array.from({ length: 5000 }, (_, i) => `  Key${i % 37}: value ${i % 11}\n`).join('');
    let checked = 0;
    for (let i = 0; i < 300; i++) {
      const at = random(base.length + 1);
      const removed = random(4);
      const typed = ['', 'x', '\n', 'ue', 'Key1'][random(5)]!;
      // Built by concatenation, as an editor's text is: not a flat string until read.
      const edited = base.slice(0, at) + typed + base.slice(at + removed);
      expect(diffTexts(base, edited)).toEqual(reference(base, edited));
      expect(diffTexts(edited, base)).toEqual(reference(edited, base));
      checked++;
    }
    expect(checked).toBe(300);
  });
});

describe('shiftParsed', () => {
  it('moves every node, entry, key and problem: the same as parsing at the new place', () => {
    // Nested maps and sequences, and a problem (a trailing comma).
    const text = '{"a": {"b": [1, {"c": [true, null, "x"]}, [[2]]], "d": "e"}, "f": [3,], "g": {}}';
    for (const delta of [17, -3]) {
      const moved = parseJson(text, 5);
      expect(moved.problems).toHaveLength(1);
      shiftParsed(moved, delta);
      expect(moved).toEqual(parseJson(text, 5 + delta));
    }
  });
});

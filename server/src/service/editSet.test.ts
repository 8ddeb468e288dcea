import { describe, expect, it } from 'vitest';
import { applyOffsetEdits, EditSet } from './editSet';

type Edit = { start: number; end: number; newText: string };

/** The definition (what Fix all checked against every taken edit before EditSet). */
function collidesNaive(e: Edit, joinable: boolean, taken: { edit: Edit; joinable: boolean }[]): boolean {
  return taken.some(
    ({ edit: t, joinable: additive }) =>
      (e.start < t.end && t.start < e.end) ||
      (e.start === t.start && e.end === t.end && e.start === e.end && !(joinable && additive)),
  );
}

/** The old way of applying edits: one splice per edit, from the end. */
function applyNaive(text: string, edits: Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start || b.end - a.end))
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

function mulberry(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('EditSet', () => {
  it('takes exactly the recipes the pairwise check takes (random recipes)', () => {
    const random = mulberry(16);
    // Small sets (many collisions) and large ones (the index splits into chunks).
    for (const [rounds, recipes, width] of [
      [300, 40, 60],
      [3, 4_000, 40_000],
    ] as const)
      for (let round = 0; round < rounds; round++) {
        const set = new EditSet();
        const taken: { edit: Edit; joinable: boolean }[] = [];
        const chosenFast: number[] = [];
        const chosenNaive: number[] = [];
        for (let r = 0; r < recipes; r++) {
          const start = Math.floor(random() * width);
          const edit: Edit = {
            start,
            end: random() < 0.4 ? start : start + 1 + Math.floor(random() * 6),
            newText: 'x',
          };
          const joinable = edit.start === edit.end && random() < 0.5;
          if (set.fits([edit], joinable)) {
            set.add(edit, joinable);
            chosenFast.push(r);
          }
          if (!collidesNaive(edit, joinable, taken)) {
            taken.push({ edit, joinable });
            chosenNaive.push(r);
          }
        }
        expect(chosenFast).toEqual(chosenNaive);
      }
  });

  it('insertions: joinable ones share an offset, others do not; touching a replacement is fine', () => {
    const set = new EditSet();
    set.add({ start: 10, end: 10 }, true);
    expect(set.fits([{ start: 10, end: 10 }], true)).toBe(true);
    expect(set.fits([{ start: 10, end: 10 }], false)).toBe(false);
    expect(set.fits([{ start: 5, end: 10 }], false)).toBe(true);
    expect(set.fits([{ start: 9, end: 11 }], false)).toBe(false);
    set.add({ start: 20, end: 30 }, false);
    expect(set.fits([{ start: 30, end: 30 }], false)).toBe(true);
    expect(set.fits([{ start: 25, end: 25 }], false)).toBe(false);
    // A recipe whose own edits overlap does not fit.
    expect(
      set.fits(
        [
          { start: 40, end: 45 },
          { start: 44, end: 50 },
        ],
        false,
      ),
    ).toBe(false);
  });

  it('50,000 insertions at one offset and 50,000 replacements in reverse order stay fast', () => {
    const started = performance.now();
    const set = new EditSet();
    let fitted = 0;
    for (let i = 0; i < 50_000; i++) {
      if (set.fits([{ start: 0, end: 0 }], true)) fitted++;
      set.add({ start: 0, end: 0 }, true);
    }
    for (let i = 50_000; i > 0; i--) {
      const edit = { start: i * 10, end: i * 10 + 5 };
      if (set.fits([edit], false)) fitted++;
      set.add(edit, false);
    }
    expect(fitted).toBe(100_000);
    expect(set.fits([{ start: 12, end: 13 }], false)).toBe(false);
    expect(set.fits([{ start: 15, end: 20 }], false)).toBe(true);
    // ~100 ms; the pairwise check took minutes.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('applyOffsetEdits', () => {
  it('gives what splicing from the end gives', () => {
    const random = mulberry(7);
    for (let round = 0; round < 300; round++) {
      const text = 'abcdefghijklmnopqrstuvwxyz0123456789';
      const edits: Edit[] = [];
      let at = 0;
      while (at < text.length) {
        at += Math.floor(random() * 5);
        if (at > text.length) break;
        const end = Math.min(text.length, at + (random() < 0.4 ? 0 : Math.floor(random() * 4)));
        edits.push({ start: at, end, newText: `<${edits.length}>` });
        at = end + (end === at ? 1 : 0);
      }
      const shuffled = [...edits].sort(() => random() - 0.5);
      expect(applyOffsetEdits(text, shuffled)).toBe(applyNaive(text, shuffled));
    }
  });

  it('keeps the text around the edits', () => {
    expect(
      applyOffsetEdits('Type: x\nName: y\n', [
        { start: 6, end: 7, newText: 'z' },
        { start: 16, end: 16, newText: 'Tags: []\n' },
        { start: 8, end: 8, newText: '# ok\n' },
      ]),
    ).toBe('Type: z\n# ok\nName: y\nTags: []\n');
  });
});

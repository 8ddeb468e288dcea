// The edits chosen so far for one action (Fix all, Fix all of a rule): which recipe's edits still
// fit (no overlap with an earlier recipe's), in O(log n) per edit, so that an action over 50,000
// findings costs n log n and not n² (issue 16, item 7). And applying offset edits in one pass.

import type { OffsetEdit } from './textDiff';

/**
 * Edits taken so far. Two edits collide when they overlap (share a character), or when both
 * insert at the same offset, unless both are joinable (each adds a whole new entry: see
 * `IacService.rawEdits`). An edit may touch another (insert where a replacement starts or ends).
 */
export class EditSet {
  /**
   * Non-empty edits and one entry per insertion offset, sorted by start then end, never
   * overlapping; in chunks of at most CHUNK, so an insertion anywhere costs O(log n + CHUNK).
   */
  private readonly chunks: Span[][] = [];
  /** Per insertion offset: whether every insertion there is joinable. */
  private readonly insertions = new Map<number, boolean>();

  /** Whether an edit (of a recipe that is joinable or not) collides with one taken before. */
  collides(edit: Span, joinable: boolean): boolean {
    if (edit.start === edit.end) {
      const there = this.insertions.get(edit.start);
      if (there !== undefined && !(joinable && there)) return true;
    }
    // The spans are disjoint and sorted, so their ends grow too: only the last span that starts
    // before this edit ends can overlap it.
    const before = this.lastStartingBefore(edit.end);
    if (!before) return false;
    if (edit.start === edit.end) return before.start < edit.start && edit.start < before.end;
    return before.end > edit.start;
  }

  /** Whether the edits of one recipe can all be taken (with each other and with those taken). */
  fits(edits: readonly Span[], joinable: boolean): boolean {
    if (edits.some((e) => this.collides(e, joinable))) return false;
    // A recipe's own edits (rarely more than a few) must not overlap each other either.
    for (let i = 0; i < edits.length; i++)
      for (let j = i + 1; j < edits.length; j++) {
        const a = edits[i]!;
        const b = edits[j]!;
        if (a.start < b.end && b.start < a.end) return false;
        if (a.start === a.end && b.start === b.end && a.start === b.start) return false;
        if (a.start === a.end && b.start < a.start && a.start < b.end) return false;
        if (b.start === b.end && a.start < b.start && b.start < a.end) return false;
      }
    return true;
  }

  add(edit: Span, joinable: boolean): void {
    if (edit.start === edit.end) {
      const there = this.insertions.get(edit.start);
      this.insertions.set(edit.start, (there ?? true) && joinable);
      if (there !== undefined) return;
    }
    const span = { start: edit.start, end: edit.end };
    const { chunks } = this;
    if (!chunks.length) {
      chunks.push([span]);
      return;
    }
    // The last chunk whose first span is not after this one (else the first chunk).
    let lo = 0;
    let hi = chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (!after(chunks[mid]![0]!, span)) lo = mid + 1;
      else hi = mid;
    }
    const c = Math.max(0, lo - 1);
    const chunk = chunks[c]!;
    lo = 0;
    hi = chunk.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (!after(chunk[mid]!, span)) lo = mid + 1;
      else hi = mid;
    }
    chunk.splice(lo, 0, span);
    if (chunk.length > CHUNK) chunks.splice(c + 1, 0, chunk.splice(CHUNK / 2));
  }

  /** The last span whose start is before `offset`. */
  private lastStartingBefore(offset: number): Span | undefined {
    const { chunks } = this;
    let lo = 0;
    let hi = chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (chunks[mid]![0]!.start < offset) lo = mid + 1;
      else hi = mid;
    }
    const chunk = chunks[lo - 1];
    if (!chunk) return undefined;
    lo = 0;
    hi = chunk.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (chunk[mid]!.start < offset) lo = mid + 1;
      else hi = mid;
    }
    return chunk[lo - 1];
  }
}

interface Span {
  start: number;
  end: number;
}

const CHUNK = 512;

/** Whether `a` sorts after `b` (by start, then end). */
function after(a: Span, b: Span): boolean {
  return a.start > b.start || (a.start === b.start && a.end > b.end);
}

/**
 * The text with non-overlapping edits applied, built in one pass (slices joined once). Two
 * insertions at one offset: the later one in the list comes first in the text.
 */
export function applyOffsetEdits(text: string, edits: readonly OffsetEdit[]): string {
  const sorted = edits
    .map((edit, index) => ({ edit, index }))
    .sort((a, b) => a.edit.start - b.edit.start || a.edit.end - b.edit.end || b.index - a.index);
  const parts: string[] = [];
  let at = 0;
  for (const { edit } of sorted) {
    parts.push(text.slice(at, edit.start), edit.newText);
    at = Math.max(at, edit.end);
  }
  parts.push(text.slice(at));
  return parts.join('');
}

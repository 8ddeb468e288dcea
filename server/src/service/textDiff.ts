// The edits that turn one text into another, line by line (Myers' O(ND) diff). Fix all applies
// fixes in passes on the text (a fix computed on the result of the previous ones, so that two
// fixes inserting at the same place or into the same map compose), then hands the editor the
// difference: one action, minimal hunks, every insertion at one place merged into one edit.

export interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

/** Lines with their line breaks. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Above this many differing lines, one edit for the changed window is good enough. */
const MAX_D = 4000;

export function diffEdits(before: string, after: string): OffsetEdit[] {
  if (before === after) return [];
  const a = splitLines(before);
  const b = splitLines(after);
  // Common prefix and suffix lines.
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
  )
    suffix++;
  const offsets: number[] = [0];
  for (const line of a) offsets.push(offsets[offsets.length - 1]! + line.length);
  const x = a.slice(prefix, a.length - suffix);
  const y = b.slice(prefix, b.length - suffix);
  const hunks = myers(x, y) ?? [{ aStart: 0, aEnd: x.length, bStart: 0, bEnd: y.length }];
  return hunks.map((h) => ({
    start: offsets[prefix + h.aStart]!,
    end: offsets[prefix + h.aEnd]!,
    newText: y.slice(h.bStart, h.bEnd).join(''),
  }));
}

interface Hunk {
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
}

/** Differing runs of lines, or undefined when there are more than MAX_D differences. */
function myers(a: string[], b: string[]): Hunk[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_D);
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let xPos =
        k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)
          ? v[offset + k + 1]!
          : v[offset + k - 1]! + 1;
      let yPos = xPos - k;
      while (xPos < n && yPos < m && a[xPos] === b[yPos]) {
        xPos++;
        yPos++;
      }
      next[offset + k] = xPos;
      if (xPos >= n && yPos >= m) {
        found = d;
        break;
      }
    }
    v = next;
    if (found >= 0) break;
  }
  if (found < 0) return undefined;
  // Walk back through the trace: a list of (kind, aIndex, bIndex) steps.
  const ops: ('=' | '-' | '+')[] = [];
  let xPos = n;
  let yPos = m;
  for (let d = found; d > 0; d--) {
    const prev = trace[d]!;
    const k = xPos - yPos;
    const down = k === -d || (k !== d && prev[offset + k - 1]! < prev[offset + k + 1]!);
    const prevK = down ? k + 1 : k - 1;
    const prevX = prev[offset + prevK]!;
    const prevY = prevX - prevK;
    while (xPos > prevX && yPos > prevY) {
      ops.push('=');
      xPos--;
      yPos--;
    }
    ops.push(down ? '+' : '-');
    xPos = prevX;
    yPos = prevY;
  }
  while (xPos > 0 && yPos > 0) {
    ops.push('=');
    xPos--;
    yPos--;
  }
  ops.reverse();
  const hunks: Hunk[] = [];
  let i = 0;
  let j = 0;
  let current: Hunk | undefined;
  for (const op of ops) {
    if (op === '=') {
      if (current) hunks.push(current);
      current = undefined;
      i++;
      j++;
      continue;
    }
    current ??= { aStart: i, aEnd: i, bStart: j, bEnd: j };
    if (op === '-') current.aEnd = ++i;
    else current.bEnd = ++j;
  }
  if (current) hunks.push(current);
  return hunks;
}

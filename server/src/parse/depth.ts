// The nesting limit, checked before a parser sees the text. The yaml package and jsonc-parser
// parse recursively; so do our tree conversion and walks. With Node's default stack (~1 MB),
// the yaml package fails somewhere between about 900 and 1,300 levels depending on the shape
// and on how deep the caller already is (server handler, CLI main thread, worker thread), which
// made "Maximum call stack size exceeded" appear at varying places. A cheap, iterative scan
// refuses anything deeper than MAX_NESTING first, at the exact place it goes too deep, the same
// on every run; MAX_NESTING leaves every later recursion at least half of the stack it needs.
// (Real templates are nested a few dozen levels at most.)

/** Deepest nesting read in YAML and JSON documents; deeper ones get one problem and no tree. */
export const MAX_NESTING = 500;

interface Level {
  col: number;
  seq: boolean;
}

/**
 * Offset of the first place where the YAML text is nested deeper than `limit` (a flow bracket,
 * a `- ` marker or the first character of a more indented line), or -1. Counts block levels by
 * indentation (a `- ` list under a key at the same indent is one more level, as are compact
 * `- - -` items) and flow levels by `[` and `{` outside quotes and comments. Linear, iterative.
 */
export function yamlTooDeepAt(text: string, limit = MAX_NESTING): number {
  const stack: Level[] = [];
  let flow = 0;
  /** Inside a block scalar (| or >): lines indented deeper than this column belong to it. */
  let scalarParent = -2;
  let lineStart = 0;
  const n = text.length;
  while (lineStart <= n) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = n;
    let i = lineStart;
    while (i < lineEnd && text.charCodeAt(i) === 32) i++;
    const col = i - lineStart;
    const first = i < lineEnd ? text.charCodeAt(i) : -1;
    const blank = first === -1 || first === 13 || (first === 35 && flow === 0);
    if (scalarParent > -2) {
      if (blank || col > scalarParent) {
        lineStart = lineEnd + 1;
        continue;
      }
      scalarParent = -2;
    }
    if (blank) {
      lineStart = lineEnd + 1;
      continue;
    }
    if (flow === 0) {
      if (col === 0 && (text.startsWith('---', i) || text.startsWith('...', i))) {
        stack.length = 0;
        lineStart = lineEnd + 1;
        continue;
      }
      const isSeq = first === 45 && (i + 1 >= lineEnd || text.charCodeAt(i + 1) === 32);
      while (stack.length) {
        const top = stack[stack.length - 1]!;
        if (top.col > col || (top.col === col && (top.seq === isSeq || top.seq))) stack.pop();
        else break;
      }
      stack.push({ col, seq: isSeq });
      if (stack.length > limit) return i;
      // Compact nesting on one line: `- - - x`, `- key: value`.
      if (isSeq) {
        let j = i + 1;
        for (;;) {
          while (j < lineEnd && text.charCodeAt(j) === 32) j++;
          if (j >= lineEnd) break;
          const c = text.charCodeAt(j);
          const seq = c === 45 && (j + 1 >= lineEnd || text.charCodeAt(j + 1) === 32);
          if (!seq && !keyAhead(text, j, lineEnd)) break;
          stack.push({ col: j - lineStart, seq });
          if (stack.length > limit) return j;
          if (!seq) break;
          j++;
        }
      }
    }
    // The rest of the line: flow brackets, quotes, comments, block scalar indicators.
    let valueStart = flow === 0;
    for (let k = i; k < lineEnd; k++) {
      const c = text.charCodeAt(k);
      if (c === 34 || c === 39) {
        if (flow === 0 && !valueStart) continue;
        k = quoteEnd(text, k, lineEnd);
        valueStart = false;
        continue;
      }
      if (c === 35 && (k === lineStart || text.charCodeAt(k - 1) === 32)) break;
      if (c === 91 || c === 123) {
        if (flow > 0 || valueStart) {
          flow++;
          if (stack.length + flow > limit) return k;
          continue;
        }
      } else if (c === 93 || c === 125) {
        if (flow > 0) flow--;
        valueStart = false;
        continue;
      } else if ((c === 124 || c === 62) && flow === 0 && valueStart) {
        scalarParent = stack.length ? stack[stack.length - 1]!.col : -1;
        break;
      }
      if (flow === 0) {
        if (c === 32) continue;
        // A value starts after `key:`, `- `, `? ` or a tag/anchor.
        if ((c === 58 || c === 45 || c === 63) && (k + 1 >= lineEnd || text.charCodeAt(k + 1) === 32))
          valueStart = true;
        else if (c === 33 || c === 38) {
          while (k + 1 < lineEnd && text.charCodeAt(k + 1) !== 32) k++;
          valueStart = true;
        } else valueStart = false;
      }
    }
    lineStart = lineEnd + 1;
  }
  return -1;
}

/** Whether a block mapping key (`key:` followed by a space or the line end) starts at `at`. */
function keyAhead(text: string, at: number, lineEnd: number): boolean {
  for (let k = at; k < lineEnd; k++) {
    const c = text.charCodeAt(k);
    if (c === 58 && (k + 1 >= lineEnd || text.charCodeAt(k + 1) === 32 || text.charCodeAt(k + 1) === 13))
      return true;
    if (c === 35 || c === 91 || c === 123 || c === 34 || c === 39) return false;
  }
  return false;
}

/** Index of the closing quote of the quoted scalar opening at `at` (or the line end). */
function quoteEnd(text: string, at: number, lineEnd: number): number {
  const q = text.charCodeAt(at);
  for (let k = at + 1; k < lineEnd; k++) {
    const c = text.charCodeAt(k);
    if (q === 34 && c === 92) k++;
    else if (c === q) {
      if (q === 39 && text.charCodeAt(k + 1) === 39) k++;
      else return k;
    }
  }
  return lineEnd;
}

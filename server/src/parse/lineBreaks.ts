// Problem ranges never end (or start) between the \r and the \n of a CRLF line end: in the
// editor that place is past the last character of the line (issue 16). The parsers report such
// offsets for errors at the end of a line (the yaml package) or inside a broken token.

import type { Span } from './tree';

/** `offset` (relative to `text`), moved back onto the \r when it falls between \r and \n. */
export function offLineBreak(text: string, offset: number): number {
  return offset > 0 &&
    offset < text.length &&
    text.charCodeAt(offset) === 10 &&
    text.charCodeAt(offset - 1) === 13
    ? offset - 1
    : offset;
}

/** Moves a problem's ends (absolute, `text` starting at `base`) off CRLF line breaks, in place. */
export function keepOffLineBreaks(text: string, base: number, span: Span): void {
  span.start = base + offLineBreak(text, span.start - base);
  span.end = Math.max(span.start, base + offLineBreak(text, span.end - base));
}

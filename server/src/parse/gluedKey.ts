// A key whose ":" has no space after it (`HttpListener402:"`, `Properties:x`): YAML reads the
// colon as part of a plain scalar, which then runs on over the next lines into one long key
// ("Implicit keys need to be on a single line"), and the yaml package's recovery takes the
// resources after it into that key. In a large template the error then reaches past the
// resource, and the editor shows a few errors on lines that are fine. What was typed is a
// character after a key's colon (a quote typed at the end of the line, most often): that is
// reported once, at those characters, and the text is read again as if they were not there
// (blanked, same length: see parseWhole in yaml.ts), so the key and the rest of the template
// keep their trees.
//
// The same for a key not yet given its colon on a line of its own (a resource's name being
// typed, `  MyBucket` above the next resource): YAML joins it with the next key (`MyBucket
// NextResource`), or for a one-letter name or on the last line reads a key with no value; it
// is reported at the name and read as if it were not there, the same way in every case, so
// that the piece of a large template holding the name alone says the same (yaml.ts).

import type { SyntaxProblem } from './tree';

export const SPACE_AFTER_COLON =
  'Add a space after ":": without it, this line and the next are read as one key.';

export const COLON_AFTER_KEY = 'Add ":" after this key: without it, the line is not read as a key.';

const MULTI_LINE_KEY = 'Implicit keys need to be on a single line';
/** What the yaml package says instead for a one-letter key, or a key on the last line. */
const NO_VALUE = 'Implicit map keys need to be followed by map values';

/** A key written with characters right after its colon, or without a colon. */
export interface GluedKey {
  /** The yaml package's problem this explains (reported in its place, or kept when the text cannot be read again). */
  reported: SyntaxProblem;
  /** The problem at the characters after the colon, or at the key without one (absolute offsets). */
  problem: SyntaxProblem;
  /** Where the key starts (absolute): the line is the cause's, its later errors are consequences. */
  keyStart: number;
}

/**
 * The keys among the yaml package's problems (offsets relative to `text`, plus `base`;
 * `rawStarts` as the parser reported them) that run on over the next lines because of
 * characters glued to their colon or a missing colon. Only a key that starts its line (after spaces and `- `):
 * a value that runs on is an error of another kind, left as it is.
 */
export function gluedKeys(
  text: string,
  base: number,
  problems: SyntaxProblem[],
  rawStarts: number[],
): GluedKey[] {
  const found: GluedKey[] = [];
  for (const [index, reported] of problems.entries()) {
    const multiLine = reported.message === MULTI_LINE_KEY;
    if (!multiLine && reported.message !== NO_VALUE) continue;
    const at = (rawStarts[index] ?? reported.start) - base;
    if (!startsLine(text, at)) continue;
    const glued = multiLine ? gluedAfterColon(text, at) : undefined;
    const bare = glued ? undefined : withoutColon(text, at);
    const cause = glued ?? bare;
    if (!cause) continue;
    found.push({
      reported,
      keyStart: base + at,
      problem: {
        start: base + cause.from,
        end: base + cause.to,
        message: glued ? SPACE_AFTER_COLON : COLON_AFTER_KEY,
      },
    });
  }
  return found;
}

/** Whether only spaces and sequence dashes (`- `) come before `at` on its line. */
function startsLine(text: string, at: number): boolean {
  let i = at;
  while (i > 0) {
    const c = text.charCodeAt(i - 1);
    if (c === 10 || c === 13) return true;
    if (c === 32 || (c === 45 /* - */ && text.charCodeAt(i) === 32)) i--;
    else return false;
  }
  return true;
}

/**
 * The characters after the key's colon up to the end of the line's content (a comment would
 * have ended the key on its line: there is none), when the key's line has one colon with something glued to it
 * and no `: ` (then it would be a key and its value). `::` (as in `Fn::If`) is not a colon that
 * ends a key.
 */
function gluedAfterColon(text: string, at: number): { from: number; to: number } | undefined {
  let end = at;
  while (end < text.length) {
    const c = text.charCodeAt(end);
    if (c === 10 || c === 13) break;
    end++;
  }
  while (end > at && text.charCodeAt(end - 1) === 32) end--;
  let colon = -1;
  for (let i = at; i < end; i++) {
    if (text.charCodeAt(i) !== 58 /* : */) continue;
    const next = text.charCodeAt(i + 1);
    if (next === 32 || next === 9) return undefined; // `key: value`: not this error's cause
    if (next === 58 || text.charCodeAt(i - 1) === 58) continue;
    if (colon < 0) colon = i;
  }
  if (colon < 0 || colon + 1 >= end) return undefined;
  return { from: colon + 1, to: end };
}

/**
 * A plain key with no colon on its line, joined with a next line that is not indented more
 * (a key of its own, or the next resource): the key's text. A next line indented more would be
 * the key's value, which blanking the key alone would hand to the key before it: not this case.
 */
function withoutColon(text: string, at: number): { from: number; to: number } | undefined {
  const first = text.charCodeAt(at);
  if (first === 34 || first === 39) return undefined; // a quoted key: another error
  let end = at;
  while (end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
  const next = end + (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? 2 : 1);
  while (end > at && text.charCodeAt(end - 1) === 32) end--;
  if (end === at || text.slice(at, end).includes(':')) return undefined;
  if (indentAt(text, next) > indentAt(text, at)) return undefined;
  return { from: at, to: end };
}

/** Leading spaces of the line holding `at`. */
function indentAt(text: string, at: number): number {
  let ls = at;
  while (ls > 0 && text.charCodeAt(ls - 1) !== 10 && text.charCodeAt(ls - 1) !== 13) ls--;
  let i = ls;
  while (i < text.length && text.charCodeAt(i) === 32) i++;
  return i - ls;
}

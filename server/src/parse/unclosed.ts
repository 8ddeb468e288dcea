// A syntax error points at what opened the problem (issue 15 item 5): an unclosed quote at the
// quote, an unclosed "[" or "{" at the bracket, in the words the HCL parser uses (hcl.ts). The
// parsers report these where they gave up (the end of the text, the next line), which is far
// from the cause and, in a large template, says nothing about where to look. The other errors
// the parser then reports right after the cut (the line it stumbled on) are consequences of the
// same cause and are left out, so the one cause is shown once.

import type { SyntaxProblem } from './tree';

export const UNCLOSED_DOUBLE = 'This string is not closed: add the closing ".';
export const UNCLOSED_SINGLE = "This string is not closed: add the closing '.";
export const unclosedBracket = (bracket: string): string => `This "${bracket}" is not closed.`;

/** True for the problems this module writes (an opener that is not closed). */
export function isUnclosedProblem(problem: SyntaxProblem): boolean {
  return (
    problem.message === UNCLOSED_DOUBLE ||
    problem.message === UNCLOSED_SINGLE ||
    /^This "[[{]" is not closed\.$/.test(problem.message)
  );
}

// ---------- YAML ----------

interface CstToken {
  type?: string;
  offset?: number;
  source?: string;
  start?: CstToken;
  end?: CstToken[];
}

interface Opener {
  /** Offset of the quote or bracket (relative to the parsed text). */
  at: number;
  /** The quote or bracket. */
  char: string;
  /** Where the parser ended the token (a quoted scalar; for flow collections, unknown: -1). */
  tokenEnd: number;
  /** Quoted scalars: whether the token ends with its closing quote. */
  closed?: boolean;
}

/** Whether a quoted scalar's source ends with its closing quote (not an escaped one). */
function quoteClosed(source: string): boolean {
  const quote = source[0];
  if (source.length < 2 || source[source.length - 1] !== quote) return false;
  if (quote === "'") return true;
  let backslashes = 0;
  for (let i = source.length - 2; i > 0 && source[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 0;
}

/** Unclosed quoted scalars and flow collections of a yaml CST, in document order. */
function yamlOpeners(tokens: unknown[]): { quotes: Opener[]; flows: Opener[] } {
  const quotes: Opener[] = [];
  const flows: Opener[] = [];
  const stack: unknown[] = [...tokens];
  while (stack.length) {
    const value = stack.pop();
    if (!value || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      for (const item of value) if (item && typeof item === 'object') stack.push(item);
      continue;
    }
    const token = value as CstToken;
    if (
      (token.type === 'double-quoted-scalar' || token.type === 'single-quoted-scalar') &&
      typeof token.offset === 'number' &&
      typeof token.source === 'string'
    ) {
      quotes.push({
        at: token.offset,
        char: token.source[0] ?? '"',
        tokenEnd: token.offset + token.source.length,
        closed: quoteClosed(token.source),
      });
    } else if (token.type === 'flow-collection' && token.start && typeof token.start.offset === 'number') {
      const open = token.start.source ?? '[';
      const close = open === '{' ? '}' : ']';
      if (!(token.end ?? []).some((t) => t.source === close)) {
        flows.push({ at: token.start.offset, char: open, tokenEnd: -1 });
      }
    }
    for (const key of Object.keys(token)) {
      const child = (token as Record<string, unknown>)[key];
      if (child && typeof child === 'object') stack.push(child);
    }
  }
  quotes.sort((a, b) => a.at - b.at);
  flows.sort((a, b) => a.at - b.at);
  return { quotes, flows };
}

const MISSING_QUOTE = /^Missing closing (["'])quote$/;
/** A quote typed after a value (`[a, b]"`): the yaml package reports the stray scalar, not its missing end. */
const STRAY_QUOTED = /^Unexpected (double|single)-quoted-scalar at node end$/;
const FLOW_END =
  /^Flow (sequence|map) (in block collection must be sufficiently indented and )?(must )?end with a ([\]}])$/;

/** Whether the yaml package reported a quote or flow collection it found no end for. */
export function hasOpenerError(problems: SyntaxProblem[]): boolean {
  return problems.some(
    (p) => MISSING_QUOTE.test(p.message) || FLOW_END.test(p.message) || STRAY_QUOTED.test(p.message),
  );
}

/**
 * Rewrites the yaml package's problems (offsets relative to `text`, plus `base`) so that an
 * unclosed quote or flow collection is reported at its opener; drops the errors the cut caused.
 * `rawStarts` are the problems' starts as the parser reported them (before moving them off line
 * breaks), `tokens` gives the CST tokens of the text (read again: the composer does not keep
 * them). Only looks at the CST when such a problem exists.
 */
export function pointYamlAtOpeners(
  text: string,
  base: number,
  problems: SyntaxProblem[],
  rawStarts: number[],
  tokens: () => Iterable<unknown>,
): SyntaxProblem[] {
  if (!hasOpenerError(problems)) return problems;
  const { quotes, flows } = yamlOpeners([...tokens()]);
  const used = new Set<Opener>();
  const causes: { problem: SyntaxProblem; opener: Opener; cut: number; from: number; to: number }[] = [];
  const out: SyntaxProblem[] = [];
  for (const [index, problem] of problems.entries()) {
    const at = (rawStarts[index] ?? problem.start) - base;
    const quote = MISSING_QUOTE.exec(problem.message);
    const stray = quote ? null : STRAY_QUOTED.exec(problem.message);
    const flow = quote || stray ? null : FLOW_END.exec(problem.message);
    let opener: Opener | undefined;
    if (quote) {
      opener = quotes.find((q) => q.tokenEnd === at && q.char === quote[1] && !used.has(q));
    } else if (stray) {
      // Only a stray quote left open is a cause; a closed stray scalar stays as reported.
      opener = quotes.find((q) => q.at === at && q.closed === false && !used.has(q));
    } else if (flow) {
      const open = flow[4] === '}' ? '{' : '[';
      for (const f of flows) if (f.at < at && f.char === open && !used.has(f)) opener = f;
    }
    if (!opener) {
      out.push(problem);
      continue;
    }
    used.add(opener);
    const rewritten: SyntaxProblem = {
      start: base + opener.at,
      end: base + opener.at + 1,
      message:
        opener.char === "'"
          ? UNCLOSED_SINGLE
          : opener.char === '"'
            ? UNCLOSED_DOUBLE
            : unclosedBracket(opener.char),
    };
    causes.push({
      problem: rewritten,
      opener,
      cut: at,
      from: base + opener.at,
      to: base + consequencesEnd(text, at),
    });
    out.push(rewritten);
  }
  if (!causes.length) return problems;
  // An unclosed string swallows the closers after it: a bracket it cut off is not a cause.
  const swallowed = new Set(
    causes
      .filter(
        (c) =>
          c.opener.tokenEnd < 0 &&
          causes.some((q) => q.opener.tokenEnd >= 0 && q.opener.at > c.opener.at && q.opener.at < c.cut),
      )
      .map((c) => c.problem),
  );
  // Errors between an opener and the end of the line the parser stumbled on are its consequences.
  const kept = out.filter(
    (p) =>
      !swallowed.has(p) &&
      (p.severity === 'warning' ||
        causes.some((c) => c.problem === p) ||
        !causes.some((c) => p.start >= c.from && p.start <= c.to)),
  );
  return kept.sort((a, b) => a.start - b.start);
}

/** End of the line holding the first non-blank character at or after `at` (where the parser stumbled). */
function consequencesEnd(text: string, at: number): number {
  let i = at;
  while (i < text.length && /\s/.test(text[i]!)) i++;
  let end = i;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  return end;
}

// ---------- JSON ----------

/**
 * Indentation of the line holding `at`; with `alone`, -1 unless only spaces come before `at`
 * on its line.
 */
function lineIndent(text: string, at: number, alone: boolean): number {
  let i = at;
  while (i > 0 && (text.charCodeAt(i - 1) === 32 || text.charCodeAt(i - 1) === 9)) i--;
  const blankBefore = i === 0 || text.charCodeAt(i - 1) === 10 || text.charCodeAt(i - 1) === 13;
  if (blankBefore) return at - i;
  if (alone) return -1;
  let ls = i;
  while (ls > 0 && text.charCodeAt(ls - 1) !== 10 && text.charCodeAt(ls - 1) !== 13) ls--;
  let e = ls;
  while (e < at && (text.charCodeAt(e) === 32 || text.charCodeAt(e) === 9)) e++;
  return e - ls;
}

/** Unclosed `{` / `[` (outside strings and comments, as jsonc-parser reads them), in order. */
export function jsonUnclosedBrackets(text: string): number[] {
  const stack: number[] = [];
  const unclosed: number[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      i++;
      while (i < text.length) {
        const d = text.charCodeAt(i);
        if (d === 92) i += 2;
        else if (d === 34) {
          i++;
          break;
        } else if (d === 10 || d === 13) break;
        else i++;
      }
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 47) {
      while (i < text.length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 2;
      continue;
    }
    if (c === 123 || c === 91) stack.push(i);
    else if (c === 125 || c === 93) {
      // A closer closes the nearest opener of its kind; the openers inside it are left open.
      // A closer alone on its line closes the opener whose line is indented as much, when there
      // is one (a pretty-printed document: the missing closer is the inner one).
      const want = c === 125 ? 123 : 91;
      let k = stack.length - 1;
      const indent = lineIndent(text, i, true);
      if (indent >= 0) {
        let j = k;
        while (
          j >= 0 &&
          !(text.charCodeAt(stack[j]!) === want && lineIndent(text, stack[j]!, false) === indent)
        )
          j--;
        if (j >= 0) k = j;
      }
      while (k >= 0 && text.charCodeAt(stack[k]!) !== want) k--;
      if (k >= 0) {
        for (let j = k + 1; j < stack.length; j++) unclosed.push(stack[j]!);
        stack.length = k;
      }
    }
    i++;
  }
  unclosed.push(...stack);
  return unclosed.sort((a, b) => a - b);
}

/**
 * jsonc-parser's problems (`errors` in order, offsets relative to `text`, plus `base`) with an
 * unclosed string at its quote and unclosed brackets at the bracket. A string that took a closer
 * into it (or runs to the end of the text) is the cause of the brackets left open: it alone is
 * reported.
 */
export function pointJsonAtOpeners(
  text: string,
  base: number,
  errors: { code: string; offset: number; length: number; message: string }[],
): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  let brackets: number[] | undefined;
  let stringToEnd = false;
  for (const e of errors) {
    if (e.code === 'UnexpectedEndOfString' && text.charCodeAt(e.offset) === 34) {
      problems.push({ start: base + e.offset, end: base + e.offset + 1, message: UNCLOSED_DOUBLE });
      // It took the closers up to the line end (or the end of the text) into the string.
      if (e.offset + e.length >= text.length || /[}\]]/.test(text.slice(e.offset, e.offset + e.length)))
        stringToEnd = true;
    } else if (e.code === 'CloseBraceExpected' || e.code === 'CloseBracketExpected') {
      brackets ??= jsonUnclosedBrackets(text);
      if (!brackets.length) problems.push(plain(e, base));
    } else problems.push(plain(e, base));
  }
  if (brackets?.length && !stringToEnd) {
    for (const at of brackets)
      problems.push({ start: base + at, end: base + at + 1, message: unclosedBracket(text[at]!) });
  }
  return problems.sort((a, b) => a.start - b.start);
}

function plain(e: { offset: number; length: number; message: string }, base: number): SyntaxProblem {
  return { start: base + e.offset, end: base + e.offset + Math.max(e.length, 0), message: e.message };
}

// Flow collections indented less than their key, as CloudFormation and cfn-lint accept them:
//
//   SecurityGroupIngress: [
//     {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}
//   ]
//
// YAML 1.2 (the `yaml` package) requires a flow collection's lines to be indented more than the
// block it sits in ("Flow sequence in block collection must be sufficiently indented"); PyYAML,
// which cfn-lint and (as far as templates show) CloudFormation read with, ignores indentation
// inside flow collections. We read such a template by parsing a copy in which every line break
// inside a multi-line flow collection is a space (comments there are blanked): the copy has the
// same length, so every offset and range still points into the user's text.

/** True when a YAML problem is the one the relaxed reading can help with. */
export function isFlowIndentProblem(message: string): boolean {
  return /must be sufficiently indented/.test(message);
}

/** The text with multi-line flow collections on one line (same length), or undefined if there is none. */
export function flattenFlowCollections(text: string): string | undefined {
  const out = text.split('');
  let depth = 0;
  let quote: '"' | "'" | undefined;
  let changed = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (quote === '"' && c === '\\') {
        i++;
        continue;
      }
      if (c === quote) {
        if (quote === "'" && text[i + 1] === "'") i++;
        else quote = undefined;
      } else if ((c === '\n' || c === '\r') && depth > 0) {
        out[i] = ' ';
        changed = true;
      }
      continue;
    }
    const prev = i > 0 ? text[i - 1]! : '\n';
    const tokenStart = prev === ' ' || prev === '\t' || prev === '\n' || prev === '\r';
    if (c === '#' && tokenStart) {
      // A comment runs to the end of the line; inside a collection it is blanked.
      let j = i;
      while (j < text.length && text[j] !== '\n' && text[j] !== '\r') {
        if (depth > 0) out[j] = ' ';
        j++;
      }
      i = j - 1;
      continue;
    }
    if (depth === 0) {
      if ((c === '[' || c === '{') && tokenStart) depth = 1;
      else if ((c === '"' || c === "'") && tokenStart) quote = c;
      continue;
    }
    if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === '"' || c === "'") {
      if (tokenStart || prev === '[' || prev === '{' || prev === ',' || prev === ':') quote = c;
    } else if (c === '\n' || c === '\r') {
      out[i] = ' ';
      changed = true;
    }
  }
  return changed ? out.join('') : undefined;
}

/**
 * Whether a flow collection still open at `end` (reading from `start`, a line start outside
 * any collection, as flattenFlowCollections reads) is closed somewhere after `end`. Then the
 * relaxed reading of the whole text could join the text before `end` with what follows, so a
 * piece ending at `end` cannot be read on its own (yaml.ts, confined).
 */
export function flowClosesAfter(text: string, start: number, end: number): boolean {
  let depth = 0;
  let quote = 0;
  let crossed = false;
  let i = start;
  for (;;) {
    // Jump to the next character that matters (most of a template is words and spaces).
    const pattern = quote === 34 ? IN_DOUBLE : quote === 39 ? IN_SINGLE : STRUCTURE;
    pattern.lastIndex = i;
    const m = pattern.exec(text);
    if (!m) return false;
    i = m.index;
    if (!crossed && i >= end) {
      if (depth === 0) return false; // nothing left open at `end`
      crossed = true;
    }
    const c = text.charCodeAt(i);
    if (quote === 34) {
      if (c === 92) i++;
      else quote = 0;
    } else if (quote === 39) {
      if (text.charCodeAt(i + 1) === 39) i++;
      else quote = 0;
    } else {
      const prev = i > 0 ? text.charCodeAt(i - 1) : 10;
      const tokenStart = prev === 32 || prev === 9 || prev === 10 || prev === 13;
      if (c === 35) {
        if (tokenStart) {
          // A comment runs to the end of the line.
          LINE_END.lastIndex = i;
          const nl = LINE_END.exec(text);
          if (!nl) return false;
          i = nl.index - 1;
        }
      } else if (depth === 0) {
        if ((c === 91 || c === 123) && tokenStart) depth = 1;
        else if ((c === 34 || c === 39) && tokenStart) quote = c;
      } else if (c === 91 || c === 123) depth++;
      else if (c === 93 || c === 125) {
        if (--depth === 0 && crossed) return true;
      } else if (c === 34 || c === 39) {
        if (tokenStart || prev === 91 || prev === 123 || prev === 44 || prev === 58) quote = c;
      }
    }
    i++;
  }
}

const STRUCTURE = /[[\]{}"'#]/g;
const IN_DOUBLE = /["\\]/g;
const IN_SINGLE = /'/g;
const LINE_END = /[\n\r]/g;

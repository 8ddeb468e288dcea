// Policies written as a string inside another document: Terraform `"policy": "{\"Version\": ...}"`,
// plan `values.policy`, CloudFormation JSON strings and `Fn::Sub` templates. The string's content
// is parsed with the project's JSON parser and every node's offsets are mapped back to the file,
// escapes included, so findings and fixes land exactly inside the string.
//
// Interpolation (`${var.x}` in Terraform, `${Param}` in Fn::Sub) is unknown: it is masked before
// parsing (so `${join("\",\"", var.x)}` cannot break the JSON), its positions are kept, and the
// nodes that contain it are listed in `unknown`.

import { parseJson } from '../parse/json';
import type { Entry, Node, ScalarNode, SyntaxProblem } from '../parse/tree';

/** Where each character of a decoded string starts in the file. */
export interface OffsetMap {
  /** offsets[i]: file offset of decoded character i; offsets[length]: the closing delimiter. */
  offsets: Int32Array;
  /** False when the content could not be aligned with its source: every node spans the host string. */
  exact: boolean;
  /** The host string's style, which decides how new text is escaped. */
  style: ScalarNode['style'];
}

export type Interpolation = 'tf' | 'sub' | 'none';

export interface EmbeddedParse {
  root: Node | undefined;
  problems: SyntaxProblem[];
  map: OffsetMap;
  /** Scalars (and placeholders) whose text contains interpolation: their value is not known. */
  unknown: Set<Node>;
  /** The original text of unknown scalars (`${var.cidr}`), for the resolver. */
  unknownText: Map<Node, string>;
}

/**
 * Maps a string scalar's decoded value to file offsets. `start`/`end` span the scalar as
 * written (quotes included). Returns an inexact map (everything on the host span) when the
 * source cannot be aligned (YAML line folding inside quotes, unusual escapes).
 */
export function mapStringOffsets(
  text: string,
  host: { start: number; end: number; style: ScalarNode['style'] },
  decoded: string,
): OffsetMap {
  const offsets =
    host.style === 'json' || host.style === 'double'
      ? mapEscaped(text, host.start, host.end, decoded)
      : host.style === 'single'
        ? mapSingle(text, host.start, host.end, decoded)
        : mapGreedy(text, host.start, host.end, decoded, host.style === 'block' || host.style === 'heredoc');
  if (offsets) return { offsets, exact: true, style: host.style };
  const coarse = new Int32Array(decoded.length + 1).fill(host.start);
  coarse[decoded.length] = host.end;
  return { offsets: coarse, exact: false, style: host.style };
}

/** JSON and YAML double-quoted strings: `\"`, `\\`, `\n`, `\u0041` (YAML also `\x41`, `\U0001F600`). */
function mapEscaped(text: string, start: number, end: number, decoded: string): Int32Array | undefined {
  if (text[start] !== '"' || text[end - 1] !== '"') return undefined;
  const offsets = new Int32Array(decoded.length + 1);
  let p = start + 1;
  let i = 0;
  while (i < decoded.length) {
    if (p >= end - 1) return undefined;
    offsets[i] = p;
    const c = text[p]!;
    if (c === '\\') {
      const n = text[p + 1];
      if (n === 'u') p += 6;
      else if (n === 'x') p += 4;
      else if (n === 'U') {
        // One escape, two UTF-16 code units.
        p += 10;
        if (i + 1 < decoded.length && decoded.charCodeAt(i) >= 0xd800 && decoded.charCodeAt(i) < 0xdc00) {
          offsets[++i] = offsets[i - 1]!;
        }
      } else if (n === '\n' || n === '\r') return undefined;
      else p += 2;
      i++;
      continue;
    }
    if (c === '\n' || c === '\r' || c !== decoded[i]) return undefined;
    p++;
    i++;
  }
  if (p !== end - 1) return undefined;
  offsets[decoded.length] = p;
  return offsets;
}

/** YAML single-quoted strings: `''` is one quote; line folding is not aligned. */
function mapSingle(text: string, start: number, end: number, decoded: string): Int32Array | undefined {
  if (text[start] !== "'" || text[end - 1] !== "'") return undefined;
  const offsets = new Int32Array(decoded.length + 1);
  let p = start + 1;
  for (let i = 0; i < decoded.length; i++) {
    offsets[i] = p;
    const c = text[p];
    if (c === "'" && text[p + 1] === "'" && decoded[i] === "'") p += 2;
    else if (c === decoded[i] && c !== '\n' && c !== '\r') p++;
    else return undefined;
  }
  if (p !== end - 1) return undefined;
  offsets[decoded.length] = p;
  return offsets;
}

/** Plain and block scalars: the text as written, minus indentation and folded line breaks. */
function mapGreedy(
  text: string,
  start: number,
  end: number,
  decoded: string,
  block: boolean,
): Int32Array | undefined {
  const offsets = new Int32Array(decoded.length + 1);
  let p = start;
  if (block) {
    // Skip the header (`|`, `>-`, `|2`) and its line break.
    const nl = text.indexOf('\n', start);
    if (nl < 0 || nl >= end) return undefined;
    p = nl + 1;
  }
  const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';
  for (let i = 0; i < decoded.length; i++) {
    const c = decoded[i]!;
    if (isSpace(c)) {
      // A space or line break in the value may come from a folded line break: take what is there.
      if (p < end && (text[p] === c || isSpace(text[p]))) {
        offsets[i] = p;
        p++;
        continue;
      }
      if (p >= end && block) {
        offsets[i] = Math.min(p, end);
        continue;
      }
      return undefined;
    }
    while (p < end && text[p] !== c && isSpace(text[p])) p++;
    if (p >= end || text[p] !== c) return undefined;
    offsets[i] = p;
    p++;
  }
  offsets[decoded.length] = Math.min(p, end);
  return offsets;
}

/** Interpolation ranges in a decoded string: Terraform `${...}` / `%{...}`, Fn::Sub `${...}`. */
export function findInterpolations(s: string, flavor: Interpolation): [number, number][] {
  if (flavor === 'none' || !s.includes('{')) return [];
  const out: [number, number][] = [];
  for (let i = 0; i < s.length - 1; i++) {
    const c = s[i];
    if ((c !== '$' && !(flavor === 'tf' && c === '%')) || s[i + 1] !== '{') continue;
    if (flavor === 'tf' && i > 0 && s[i - 1] === c) continue; // `$${` / `%%{`: literal
    if (flavor === 'sub' && s[i + 2] === '!') continue; // `${!Literal}`
    let depth = 0;
    let j = i + 1;
    let inQuote = false;
    for (; j < s.length; j++) {
      const d = s[j];
      if (flavor === 'tf' && inQuote) {
        if (d === '\\') j++;
        else if (d === '"') inQuote = false;
        continue;
      }
      if (flavor === 'tf' && d === '"') inQuote = true;
      else if (d === '{') depth++;
      else if (d === '}' && --depth === 0) break;
    }
    out.push([i, Math.min(j + 1, s.length)]);
    i = j;
  }
  return out;
}

/** The decoded text with interpolation masked so that it parses as JSON with the same length. */
function mask(s: string, ranges: [number, number][]): string {
  if (!ranges.length) return s;
  const chars = s.split('');
  let inString = false;
  let r = 0;
  for (let i = 0; i < s.length; i++) {
    const range = ranges[r];
    if (range && i === range[0]) {
      const [from, to] = range;
      if (inString) {
        for (let k = from; k < to; k++)
          if (chars[k] === '"' || chars[k] === '\\' || chars[k]! < ' ') chars[k] = '_';
      } else {
        for (let k = from; k < to; k++) chars[k] = '_';
        chars[from] = '"';
        chars[to - 1] = '"';
        if (to - from < 2) chars[from] = '0';
      }
      i = to - 1;
      r++;
      continue;
    }
    const c = s[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
  }
  return chars.join('');
}

/** Parses a policy held in a string and maps its nodes to file offsets. */
export function parseEmbedded(
  text: string,
  host: { start: number; end: number; style: ScalarNode['style'] },
  decoded: string,
  flavor: Interpolation,
): EmbeddedParse {
  const map = mapStringOffsets(text, host, decoded);
  const ranges = findInterpolations(decoded, flavor);
  const parsed = parseJson(mask(decoded, ranges));
  const unknown = new Set<Node>();
  const unknownText = new Map<Node, string>();
  const at = (offset: number): number => map.offsets[Math.max(0, Math.min(offset, decoded.length))]!;
  const overlaps = (s: number, e: number): boolean => ranges.some(([a, b]) => a < e && s < b);
  const literal = (value: string): string =>
    flavor === 'tf'
      ? value.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{')
      : flavor === 'sub'
        ? value.replace(/\$\{!/g, '${')
        : value;

  const convert = (node: Node): Node => {
    const s = node.start;
    const e = node.end;
    const span = map.exact ? { start: at(s), end: at(e) } : { start: host.start, end: host.end };
    if (node.kind === 'map') {
      const entries: Entry[] = node.entries.map((entry) => {
        const key = convert(entry.key) as ScalarNode & { value: string };
        const value = convert(entry.value);
        return { key, value, start: key.start, end: Math.max(key.end, value.end) };
      });
      return { ...node, ...span, entries };
    }
    if (node.kind === 'seq') return { ...node, ...span, items: node.items.map(convert) };
    const out: ScalarNode = { ...node, ...span };
    if (typeof node.value === 'string') {
      if (overlaps(s, e)) {
        const original = decoded.slice(s, e);
        const inner = original.startsWith('"') && original.endsWith('"') ? original.slice(1, -1) : original;
        let value = inner;
        if (inner.includes('\\')) {
          try {
            value = JSON.parse(`"${inner}"`) as string;
          } catch {
            value = inner;
          }
        }
        out.value = value;
        unknown.add(out);
        unknownText.set(out, value);
      } else out.value = literal(node.value);
    }
    return out;
  };

  const root = parsed.root ? convert(parsed.root) : undefined;
  const problems = parsed.problems.map((p) => ({
    message: p.message,
    start: map.exact ? at(p.start) : host.start,
    end: map.exact ? Math.max(at(p.start), at(p.end)) : host.end,
  }));
  return { root, problems, map, unknown, unknownText };
}

/** Escapes text for insertion into a host string of the given style. */
export function escapeFor(style: ScalarNode['style'], text: string): string {
  switch (style) {
    case 'json':
    case 'double':
      return JSON.stringify(text).slice(1, -1);
    case 'single':
      return text.replace(/'/g, "''");
    default:
      return text;
  }
}

// JSON text -> syntax tree (tree.ts), never throwing. Used for CloudFormation JSON, Terraform
// JSON, plans and policy documents. jsonc-parser recovers from errors, so the finished parts of
// a half-typed document still form a tree.
//
// Speed: jsonc-parser reads 800 KB in about 35 ms, too slow to repeat on every keystroke. So
// IncrementalJsonParser cuts large documents into pieces (each CloudFormation resource, each
// Terraform resource) that are parsed on their own and reused while their text is unchanged.
// A piece is only used when parsing it alone is provably the same as parsing it in place (see
// parseLeaf); otherwise the document is parsed whole. Either way the tree is the one
// parseJson gives.

import { parseTree, printParseErrorCode, type ParseError, type Node as JsonNode } from 'jsonc-parser';
import { MAX_NESTING } from './depth';
import { diffTexts, shiftParsed } from './incremental';
import { duplicateKeyProblem } from './duplicateKeys';
import { keepOffLineBreaks } from './lineBreaks';
import { isUnclosedProblem, pointJsonAtOpeners, UNCLOSED_DOUBLE } from './unclosed';
import type { Entry, MapNode, Node, ParsedText, ScalarNode, SyntaxProblem } from './tree';

/** Deepest nesting read (see depth.ts: jsonc-parser and the tree conversion recurse). */
const MAX_DEPTH = MAX_NESTING;

export function parseJson(text: string, base = 0): ParsedText {
  const problems: SyntaxProblem[] = [];
  const info = depthInfo(text, 0, text.length, MAX_DEPTH);
  if (info.peak > MAX_DEPTH) {
    // Refused before the (recursive) parser sees it, at the bracket that goes too deep.
    return {
      root: undefined,
      problems: [
        {
          start: base + info.overAt,
          end: base + info.overAt + 1,
          message: `JSON is nested deeper than ${MAX_DEPTH} levels here; it is not read.`,
        },
      ],
    };
  }
  try {
    const errors: ParseError[] = [];
    const tree = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
    problems.push(
      ...pointJsonAtOpeners(
        text,
        base,
        errors.map((e) => ({ ...e, code: printParseErrorCode(e.error), message: describe(e) })),
      ),
    );
    for (const problem of problems) keepOffLineBreaks(text, base, problem);
    const duplicates: Duplicates | undefined = isTemplate(tree) ? { text, base, problems: [] } : undefined;
    const root = tree ? convert(tree, base, duplicates) : undefined;
    if (duplicates?.problems.length) {
      problems.push(...duplicates.problems);
      problems.sort((a, b) => a.start - b.start);
    }
    return { root, problems };
  } catch (error) {
    problems.push({ start: base, end: base + 1, message: `JSON could not be read: ${String(error)}` });
    return { root: undefined, problems };
  }
}

function describe(error: ParseError): string {
  const code = printParseErrorCode(error.error);
  const words = code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1) + '.';
}

/**
 * Where duplicate keys are reported (see duplicateKeys.ts). Only in CloudFormation templates:
 * there the last key wins, as CloudFormation reads it, with a warning. Other JSON (Terraform
 * JSON, policies, plans) keeps both entries, as before (their readers are not CloudFormation).
 */
interface Duplicates {
  text: string;
  base: number;
  problems: SyntaxProblem[];
}

/** A CloudFormation template: `Resources` or `AWSTemplateFormatVersion` at the root. */
function isTemplate(tree: JsonNode | undefined): boolean {
  if (tree?.type !== 'object') return false;
  for (const property of tree.children ?? []) {
    const key = property.children?.[0]?.value;
    if (key === 'Resources' || key === 'AWSTemplateFormatVersion') return true;
  }
  return false;
}

function convert(node: JsonNode, base: number, duplicates?: Duplicates): Node {
  const start = base + node.offset;
  const end = start + node.length;
  switch (node.type) {
    case 'object': {
      const entries: Entry[] = [];
      const seen = new Map<string, Entry>();
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (!keyNode || typeof keyNode.value !== 'string') continue;
        const key = {
          kind: 'scalar' as const,
          value: keyNode.value,
          style: 'json' as const,
          start: base + keyNode.offset,
          end: base + keyNode.offset + keyNode.length,
        };
        const value: Node = valueNode
          ? convert(valueNode, base, duplicates)
          : { kind: 'scalar', value: null, style: 'json', start: key.end, end: key.end };
        const entry: Entry = { key, value, start: key.start, end: Math.max(value.end, key.end) };
        // A key written twice in a template: the last one wins, as in CloudFormation, with a warning.
        const earlier = duplicates && seen.get(key.value);
        if (earlier) {
          duplicates.problems.push(duplicateKeyProblem(duplicates.text, duplicates.base, earlier.key, key));
          entries.splice(entries.indexOf(earlier), 1);
        }
        seen.set(key.value, entry);
        entries.push(entry);
      }
      return { kind: 'map', entries, style: 'json', start, end };
    }
    case 'array':
      return {
        kind: 'seq',
        items: (node.children ?? []).map((c) => convert(c, base, duplicates)),
        style: 'json',
        start,
        end,
      };
    case 'string':
    case 'number':
    case 'boolean':
    case 'null':
      return {
        kind: 'scalar',
        value: (node.value ?? null) as string | number | boolean | null,
        style: 'json',
        start,
        end,
      };
    default:
      return { kind: 'scalar', value: null, style: 'json', start, end };
  }
}

/** Deepest bracket nesting outside strings and comments; a cheap guard against stack exhaustion. */
export function maxDepth(text: string): number {
  return depthInfo(text, 0, text.length).peak;
}

interface DepthInfo {
  /** Deepest nesting reached, relative to the start. */
  peak: number;
  /** Nesting at the end, relative to the start (unbalanced brackets in broken text). */
  net: number;
  /** The bracket that first went deeper than the limit asked for (-1: none). */
  overAt: number;
}

/** Structural characters outside strings and comments. */
const STRUCTURE = /["{}[\],/]/g;
/** What ends or interrupts a string: a quote, an escape, a line break (jsonc-parser ends strings there). */
const STRING_STOP = /["\\\n\r]/g;

/**
 * Index just past the string starting at `at` (the opening quote), read as jsonc-parser does:
 * it ends at the closing quote, before an unescaped line break, or at the end of the text.
 */
function stringEnd(text: string, at: number): number {
  let i = at + 1;
  for (;;) {
    STRING_STOP.lastIndex = i;
    const m = STRING_STOP.exec(text);
    if (!m) return text.length;
    const c = text.charCodeAt(m.index);
    if (c === 34) return m.index + 1;
    if (c === 92) {
      i = m.index + 2; // an escape takes the next character, whatever it is
      if (i >= text.length) return text.length;
      continue;
    }
    return m.index; // line break: the string ends before it
  }
}

/** Index just past a comment starting at `at` ('/'), or at + 1 when '/' does not start one. */
function commentEnd(text: string, at: number): number {
  const next = text.charCodeAt(at + 1);
  if (next === 47) {
    let i = at + 2;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) break;
      i++;
    }
    return i;
  }
  if (next === 42) {
    const close = text.indexOf('*/', at + 2);
    return close < 0 ? text.length : close + 2;
  }
  return at + 1;
}

function depthInfo(text: string, from: number, to: number, limit = Infinity): DepthInfo {
  let depth = 0;
  let peak = 0;
  let overAt = -1;
  let i = from;
  while (i < to) {
    STRUCTURE.lastIndex = i;
    const m = STRUCTURE.exec(text);
    if (!m || m.index >= to) break;
    const c = text.charCodeAt(m.index);
    if (c === 34) i = stringEnd(text, m.index);
    else if (c === 47) i = commentEnd(text, m.index);
    else {
      if (c === 123 || c === 91) {
        if (++depth > peak) peak = depth;
        if (depth > limit && overAt < 0) overAt = m.index;
      } else if (c === 125 || c === 93) depth--;
      i = m.index + 1;
    }
  }
  return { peak, net: depth, overAt };
}

/**
 * End of a member or item starting at `at`: the index of the ',' or closing bracket at its own
 * level (outside strings and comments), or -1 at the end of the text. Also the nesting inside.
 */
function memberEnd(text: string, at: number): { end: number; depth: DepthInfo } {
  let depth = 0;
  let peak = 0;
  let i = at;
  for (;;) {
    STRUCTURE.lastIndex = i;
    const m = STRUCTURE.exec(text);
    if (!m) return { end: -1, depth: { peak, net: depth, overAt: -1 } };
    const c = text.charCodeAt(m.index);
    if (c === 34) i = stringEnd(text, m.index);
    else if (c === 47) i = commentEnd(text, m.index);
    else {
      if (c === 123 || c === 91) {
        if (++depth > peak) peak = depth;
      } else if (c === 125 || c === 93) {
        if (depth === 0) return { end: m.index, depth: { peak, net: depth, overAt: -1 } };
        depth--;
      } else if (c === 44 && depth === 0) return { end: m.index, depth: { peak, net: depth, overAt: -1 } };
      i = m.index + 1;
    }
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Documents smaller than this are parsed whole (above it, a keystroke re-parses one member: see parse/yaml.ts). */
const CHUNK_MIN = 2_000;

/** A member parsed on its own: `"Name": {...}` of a container object. */
interface Leaf {
  start: number;
  end: number;
  /** End of the member's key; edits up to here re-split the document. */
  keyEnd: number;
  /** The key could make this member a container (it is not one because its value is not an object). */
  mayContain: boolean;
  depth: DepthInfo;
  entries: Entry[];
  problems: SyntaxProblem[];
}

/** An object whose members are parsed one by one (`Resources`, Terraform `resource` and its types). */
interface Container {
  keyStart: number;
  keyEnd: number;
  key: string;
  open: number;
  close: number;
  items: Item[];
}

type Item = { leaf: Leaf } | { container: Container };

interface JsonLayout {
  text: string;
  rootOpen: number;
  rootClose: number;
  items: Item[];
  leaves: Leaf[];
  containers: Container[];
}

/** Members whose object value is split further: CloudFormation Resources; Terraform resource and its types. */
function isContainerPath(path: string[]): boolean {
  if (path.length === 1) return path[0] === 'Resources' || path[0] === 'resource';
  return path.length === 2 && path[0] === 'resource';
}

/**
 * A per-document JSON parser that reuses the pieces of the previous version. Use one per open
 * document: trees of the previous version are shifted in place, so only the newest version's
 * tree is valid.
 */
export class IncrementalJsonParser {
  private last: JsonLayout | undefined;
  /** Documents shorter than this are parsed whole (tests lower it to exercise the pieces). */
  private readonly chunkMin: number;

  constructor(options: { chunkMin?: number } = {}) {
    this.chunkMin = options.chunkMin ?? CHUNK_MIN;
  }

  parse(text: string): ParsedText {
    if (text.length >= this.chunkMin) {
      const quick = this.last ? this.reparseEdited(this.last, text) : undefined;
      if (quick) return quick;
      const layout = this.split(text);
      if (layout) {
        const parsed = this.assemble(layout);
        if (parsed) return parsed;
      }
    }
    this.last = undefined;
    return parseJson(text);
  }

  /** Cuts the document into containers and leaves, each leaf parsed (or reused); undefined to parse whole. */
  private split(text: string): JsonLayout | undefined {
    // The previous version's leaves by their text, to reuse those whose text is unchanged.
    const previous = new Map<string, Leaf>();
    if (this.last) {
      const lastText = this.last.text;
      for (const leaf of this.last.leaves) previous.set(lastText.slice(leaf.start, leaf.end), leaf);
    }
    const rootOpen = skipSpace(text, 0);
    if (text.charCodeAt(rootOpen) !== 123) return undefined;
    const leaves: Leaf[] = [];
    const containers: Container[] = [];
    const members = (from: number, path: string[]): { items: Item[]; close: number } | undefined => {
      const items: Item[] = [];
      let i = skipSpace(text, from);
      if (text.charCodeAt(i) === 125) return { items, close: i };
      for (;;) {
        if (text.charCodeAt(i) !== 34) return undefined;
        const keyEnd = stringEnd(text, i);
        if (text.charCodeAt(keyEnd - 1) !== 34 || keyEnd - i < 2) return undefined;
        let key: string;
        try {
          key = JSON.parse(text.slice(i, keyEnd)) as string;
        } catch {
          return undefined;
        }
        const keyPath = [...path, key];
        const colon = skipSpace(text, keyEnd);
        const open = text.charCodeAt(colon) === 58 ? skipSpace(text, colon + 1) : -1;
        const mayContain = isContainerPath(keyPath);
        if (mayContain && open >= 0 && text.charCodeAt(open) === 123) {
          const inner = members(open + 1, keyPath);
          if (!inner) return undefined;
          const container: Container = {
            keyStart: i,
            keyEnd,
            key,
            open,
            close: inner.close,
            items: inner.items,
          };
          containers.push(container);
          items.push({ container });
          i = inner.close + 1;
        } else {
          const found = memberEnd(text, i);
          // Too deep to parse on its own: the whole parse says so.
          if (found.end < 0 || found.depth.peak > MAX_DEPTH) return undefined;
          let end = found.end;
          while (end > i && isSpace(text.charCodeAt(end - 1))) end--;
          const leaf = reuseLeaf(previous, text.slice(i, end), i, keyEnd, mayContain, found.depth);
          if (!leaf) return undefined;
          leaves.push(leaf);
          items.push({ leaf });
          i = found.end;
        }
        i = skipSpace(text, i);
        const c = text.charCodeAt(i);
        if (c === 125) return { items, close: i };
        if (c !== 44) return undefined;
        i = skipSpace(text, i + 1);
      }
    };
    const root = members(rootOpen + 1, []);
    if (!root || skipSpace(text, root.close + 1) !== text.length) return undefined;
    return { text, rootOpen, rootClose: root.close, items: root.items, leaves, containers };
  }

  /** The tree from a layout; undefined when the document is nested too deeply (parse whole: same guard). */
  private assemble(layout: JsonLayout): ParsedText | undefined {
    const problems: SyntaxProblem[] = [];
    let depth = 1;
    let peak = 1;
    let duplicated = false;
    const build = (items: Item[]): Entry[] => {
      const entries: Entry[] = [];
      for (const item of items) {
        if ('leaf' in item) {
          const leaf = item.leaf;
          peak = Math.max(peak, depth + leaf.depth.peak);
          depth += leaf.depth.net;
          for (const e of leaf.entries) entries.push(e);
          for (const p of leaf.problems) problems.push(p);
        } else {
          const c = item.container;
          peak = Math.max(peak, ++depth);
          const key: ScalarNode & { value: string } = {
            kind: 'scalar',
            value: c.key,
            style: 'json',
            start: c.keyStart,
            end: c.keyEnd,
          };
          const value: MapNode = {
            kind: 'map',
            entries: build(c.items),
            style: 'json',
            start: c.open,
            end: c.close + 1,
          };
          depth--;
          entries.push({ key, value, start: c.keyStart, end: c.close + 1 });
        }
      }
      if (!duplicated) {
        const keys = new Set<string>();
        for (const e of entries) {
          if (keys.has(e.key.value)) duplicated = true;
          keys.add(e.key.value);
        }
      }
      return entries;
    };
    const entries = build(layout.items);
    // Too deep, or a key written twice across pieces (the whole parse warns about it).
    if (peak > MAX_DEPTH || duplicated) return undefined;
    this.last = layout;
    const root: MapNode = {
      kind: 'map',
      entries,
      style: 'json',
      start: layout.rootOpen,
      end: layout.rootClose + 1,
    };
    return { root, problems };
  }

  /** An edit inside one leaf (not its key) that leaves the split as it was: re-parse that leaf only. */
  private reparseEdited(last: JsonLayout, text: string): ParsedText | undefined {
    const diff = diffTexts(last.text, text);
    const delta = text.length - last.text.length;
    if (diff.start === last.text.length && delta === 0) return this.assemble({ ...last, text });
    const leaves = last.leaves;
    let low = 0;
    let high = leaves.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (leaves[mid]!.start < diff.start) low = mid;
      else high = mid - 1;
    }
    const leaf = leaves[low];
    if (!leaf || leaf.mayContain) return undefined;
    if (!(leaf.keyEnd < diff.start && diff.oldEnd < leaf.end)) return undefined;
    // The member must still end where it did, so the rest of the document splits as before.
    const found = memberEnd(text, leaf.start);
    if (found.end < 0 || found.depth.peak > MAX_DEPTH) return undefined;
    let end = found.end;
    while (end > leaf.start && isSpace(text.charCodeAt(end - 1))) end--;
    const newEnd = leaf.end + delta;
    if (end !== newEnd) return undefined;
    const leafText = text.slice(leaf.start, newEnd);
    const parsed = parseLeaf(leafText, leaf.start);
    if (!parsed) return undefined;
    const oldEnd = leaf.end;
    leaf.end = newEnd;
    leaf.depth = found.depth;
    leaf.entries = parsed.entries;
    leaf.problems = parsed.problems;
    for (let i = low + 1; i < leaves.length; i++) {
      const later = leaves[i]!;
      for (const entry of later.entries) shiftEntry(entry, delta);
      shiftParsed({ root: undefined, problems: later.problems }, delta);
      later.start += delta;
      later.end += delta;
      later.keyEnd += delta;
    }
    for (const c of last.containers) {
      if (c.keyStart >= oldEnd) {
        c.keyStart += delta;
        c.keyEnd += delta;
      }
      if (c.open >= oldEnd) c.open += delta;
      if (c.close >= oldEnd) c.close += delta;
    }
    const result = this.assemble({ ...last, text, rootClose: last.rootClose + delta });
    if (!result) this.last = undefined; // the leaves have moved: nothing of `last` may be reused
    return result;
  }
}

/** A leaf whose text is unchanged from the previous version (moved into place), else a new one. */
function reuseLeaf(
  previous: Map<string, Leaf>,
  text: string,
  start: number,
  keyEnd: number,
  mayContain: boolean,
  depth: DepthInfo,
): Leaf | undefined {
  const leaf = previous.get(text);
  if (leaf) {
    previous.delete(text); // the same text twice must not share one tree
    const delta = start - leaf.start;
    if (delta) {
      for (const entry of leaf.entries) shiftEntry(entry, delta);
      shiftParsed({ root: undefined, problems: leaf.problems }, delta);
    }
    leaf.start = start;
    leaf.end = start + text.length;
    leaf.keyEnd = keyEnd;
    leaf.mayContain = mayContain;
    return leaf;
  }
  const parsed = parseLeaf(text, start);
  return parsed && { start, end: start + text.length, keyEnd, mayContain, depth, ...parsed };
}

function shiftEntry(entry: Entry, delta: number): void {
  entry.start += delta;
  entry.end += delta;
  entry.key.start += delta;
  entry.key.end += delta;
  shiftParsed({ root: entry.value, problems: [] }, delta);
}

/**
 * Parses one member `"Name": value` as jsonc-parser would inside its object, by parsing
 * `{` + member + `}`. The result is only the same as in place when the parse comes back to the
 * object level exactly at the added `}` (no error there or after it, the object closes there):
 * then every token and every decision inside the member is the same as in the whole document.
 * Undefined otherwise.
 */
function parseLeaf(text: string, start: number): { entries: Entry[]; problems: SyntaxProblem[] } | undefined {
  const wrapped = `{${text}}`;
  const errors: ParseError[] = [];
  let tree: JsonNode | undefined;
  try {
    tree = parseTree(wrapped, errors, { allowTrailingComma: false, disallowComments: true });
  } catch {
    return undefined;
  }
  if (!tree || tree.type !== 'object' || tree.offset !== 0 || tree.length !== wrapped.length)
    return undefined;
  const base = start - 1;
  const problems: SyntaxProblem[] = [];
  for (const error of errors) if (error.offset > text.length) return undefined;
  problems.push(
    ...pointJsonAtOpeners(
      wrapped,
      base,
      errors.map((e) => ({ ...e, code: printParseErrorCode(e.error), message: describe(e) })),
    ),
  );
  // An unclosed bracket inside the member would have run past the added "}": parse whole.
  if (problems.some((p) => isUnclosedProblem(p) && p.message !== UNCLOSED_DOUBLE)) return undefined;
  // A duplicate key: its warning names lines of the whole document: parse whole.
  const duplicates: Duplicates = { text: wrapped, base, problems: [] };
  const map = convert(tree, base, duplicates);
  if (duplicates.problems.length) return undefined;
  return { entries: map.kind === 'map' ? map.entries : [], problems };
}

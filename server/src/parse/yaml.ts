// YAML text -> syntax tree (tree.ts), never throwing.
//
// Speed: the `yaml` package composes a 20,000-line template in about 400 ms, far too slow to
// repeat on every keystroke. So a document is cut into top-level sections, and the
// `Resources` section into one chunk per resource; each chunk is parsed on its own and cached
// by its text. An edit re-parses only the chunks whose text changed; the others are shifted to
// their new offsets. Documents that use anchors, directives or several documents are parsed
// whole, because a chunk could not see what it refers to.

import { Parser, Composer, isMap, isSeq, isScalar, isAlias, isPair, Scalar } from 'yaml';
import type { Node as YamlNode, Document as YamlDocument } from 'yaml';
import type { Entry, MapNode, Node, ParsedText, ScalarNode, SeqNode, SyntaxProblem } from './tree';

/** Long names of the CloudFormation short-form tags. */
const LONG_FORM: Record<string, string> = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
};

function longForm(tag: string): string {
  return LONG_FORM[tag] ?? `Fn::${tag.slice(1)}`;
}

/** Logical nodes an alias may expand to before we refuse (alias bombs). */
const ALIAS_BUDGET = 200_000;

class Converter {
  private aliasCost = 0;
  private readonly sizes = new Map<Node, number>();
  private readonly anchored = new Map<YamlNode, Node>();
  constructor(
    private readonly text: string,
    private readonly base: number,
    private readonly doc: YamlDocument.Parsed,
    readonly problems: SyntaxProblem[],
  ) {}

  convert(node: unknown, fallbackAt: number): Node {
    const converted = this.convertInner(node, fallbackAt);
    if (node && typeof node === 'object' && 'anchor' in node && (node as { anchor?: string }).anchor) {
      this.anchored.set(node as YamlNode, converted);
    }
    return converted;
  }

  private convertInner(node: unknown, fallbackAt: number): Node {
    const base = this.base;
    if (node === null || node === undefined) return emptyScalar(base + fallbackAt);
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      const range = node.range ?? [fallbackAt, fallbackAt, fallbackAt];
      const converted = target ? this.anchored.get(target) : undefined;
      if (!converted) return emptyScalar(base + range[0]);
      this.aliasCost += this.size(converted);
      if (this.aliasCost > ALIAS_BUDGET) {
        if (this.aliasCost - this.size(converted) <= ALIAS_BUDGET) {
          this.problems.push({
            start: base + range[0],
            end: base + range[1],
            message: 'Alias expansion is too large (possible alias bomb); the alias is ignored.',
          });
        }
        return emptyScalar(base + range[0]);
      }
      return converted;
    }
    const yamlNode = node as YamlNode;
    const range = yamlNode.range ?? [fallbackAt, fallbackAt, fallbackAt];
    // Block collections' ranges run through the trailing line break; end them at their last character.
    let valueEnd = range[1];
    if ((isMap(yamlNode) || isSeq(yamlNode)) && !yamlNode.flow) {
      while (valueEnd > range[0] && /\s/.test(this.text[valueEnd - 1] ?? '')) valueEnd--;
    }
    let result: Node;
    if (isMap(yamlNode)) {
      const map: MapNode = {
        kind: 'map',
        entries: [],
        style: yamlNode.flow ? 'flow' : 'block',
        start: base + range[0],
        end: base + valueEnd,
      };
      for (const pair of yamlNode.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as YamlNode | null;
        if (!keyNode || !isScalar(keyNode) || !keyNode.range) continue;
        const keyValue = keyNode.value;
        const key: ScalarNode & { value: string } = {
          kind: 'scalar',
          value: keyValue === null || keyValue === undefined ? '' : String(keyValue),
          style: scalarStyle(keyNode),
          start: base + keyNode.range[0],
          end: base + keyNode.range[1],
        };
        const value = this.convert(pair.value, keyNode.range[1]);
        const entry: Entry = { key, value, start: key.start, end: Math.max(key.end, value.end) };
        map.entries.push(entry);
      }
      result = map;
    } else if (isSeq(yamlNode)) {
      const seq: SeqNode = {
        kind: 'seq',
        items: [],
        style: yamlNode.flow ? 'flow' : 'block',
        start: base + range[0],
        end: base + valueEnd,
      };
      for (const item of yamlNode.items) seq.items.push(this.convert(item, range[0]));
      result = seq;
    } else if (isScalar(yamlNode)) {
      const value = yamlNode.value;
      result = {
        kind: 'scalar',
        value:
          value === undefined
            ? null
            : typeof value === 'string' ||
                typeof value === 'number' ||
                typeof value === 'boolean' ||
                value === null
              ? value
              : String(value),
        style: scalarStyle(yamlNode),
        start: base + range[0],
        end: base + range[1],
      };
    } else {
      result = emptyScalar(base + range[0]);
    }
    const tag = yamlNode.tag;
    if (tag && tag.startsWith('!') && !tag.startsWith('!!')) {
      // Short-form intrinsic: the tag starts the node; the long form wraps the value.
      const tagStart = this.text.lastIndexOf(tag, range[0]);
      const start = tagStart >= 0 && range[0] - tagStart < 200 ? base + tagStart : result.start;
      const key = {
        kind: 'scalar',
        value: longForm(tag),
        style: 'plain',
        start,
        end: start + tag.length,
      } as const;
      return {
        kind: 'map',
        entries: [{ key, value: result, start, end: result.end }],
        style: 'flow',
        shortTag: tag,
        start,
        end: result.end,
      };
    }
    return result;
  }

  private size(node: Node): number {
    const cached = this.sizes.get(node);
    if (cached !== undefined) return cached;
    let total = 1;
    if (node.kind === 'map') for (const e of node.entries) total += this.size(e.value);
    else if (node.kind === 'seq') for (const i of node.items) total += this.size(i);
    this.sizes.set(node, total);
    return total;
  }
}

function emptyScalar(at: number): ScalarNode {
  return { kind: 'scalar', value: null, style: 'plain', start: at, end: at };
}

function scalarStyle(node: Scalar): ScalarNode['style'] {
  switch (node.type) {
    case Scalar.QUOTE_SINGLE:
      return 'single';
    case Scalar.QUOTE_DOUBLE:
      return 'double';
    case Scalar.BLOCK_FOLDED:
    case Scalar.BLOCK_LITERAL:
      return 'block';
    default:
      return 'plain';
  }
}

/** Parses one piece of YAML text whose first character is at `base` in the document. */
function parseWhole(text: string, base: number): ParsedText {
  const problems: SyntaxProblem[] = [];
  let root: Node | undefined;
  try {
    const composer = new Composer({ uniqueKeys: true, strict: false, prettyErrors: false });
    const docs: YamlDocument.Parsed[] = [];
    for (const doc of composer.compose(new Parser().parse(text), true, text.length)) docs.push(doc);
    docs.forEach((doc, index) => {
      for (const error of doc.errors) {
        problems.push({
          start: base + error.pos[0],
          end: base + Math.max(error.pos[1], error.pos[0]),
          message: cleanMessage(error.message),
        });
      }
      if (index > 0) {
        problems.push({
          start: base + (doc.range?.[0] ?? 0),
          end: base + (doc.range?.[0] ?? 0),
          message: 'A template holds one YAML document; later documents are ignored.',
        });
        return;
      }
      const converter = new Converter(text, base, doc, problems);
      root = doc.contents ? converter.convert(doc.contents, 0) : undefined;
    });
  } catch (error) {
    problems.push({
      start: base,
      end: base + Math.min(text.length, 1),
      message: `YAML could not be read: ${String(error)}`,
    });
  }
  return { root, problems };
}

function cleanMessage(message: string): string {
  // The yaml package appends " at line X, column Y:" and a code frame; the editor shows the place.
  return message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim();
}

interface Chunk {
  text: string;
  start: number;
  parsed: ParsedText;
}

/**
 * A per-document parser that keeps the chunks of the previous version. Use one per open
 * document (the trees of the previous version are shifted in place, so only the newest
 * version's tree is valid).
 */
export class IncrementalYamlParser {
  private cache = new Map<string, Chunk>();

  parse(text: string): ParsedText {
    if (!canChunk(text)) {
      this.cache.clear();
      return parseWhole(text, 0);
    }
    const next = new Map<string, Chunk>();
    const pieces = splitTopLevel(text);
    const rootEntries: Entry[] = [];
    const problems: SyntaxProblem[] = [];
    let rootStyleOk = true;
    for (const piece of pieces) {
      const sub = piece.children
        ? [{ start: piece.start, end: piece.children[0]?.start ?? piece.end }, ...piece.children]
        : [piece];
      const parsedParts = sub.map((part) =>
        this.parseChunk(text.slice(part.start, part.end), part.start, next),
      );
      for (const p of parsedParts) problems.push(...p.problems);
      const head = parsedParts[0]!.root;
      if (head && head.kind !== 'map') {
        rootStyleOk = false;
        continue;
      }
      if (!head) continue;
      if (piece.children) {
        // The header chunk is `Resources:`; its children chunks hold the entries.
        const headerEntry = head.entries[0];
        if (!headerEntry) continue;
        const childEntries: Entry[] = [];
        for (const part of parsedParts.slice(1)) {
          if (part.root?.kind === 'map') childEntries.push(...part.root.entries);
        }
        let value: Node = headerEntry.value;
        if (childEntries.length && value.kind === 'scalar' && value.value === null) {
          value = {
            kind: 'map',
            style: 'block',
            entries: childEntries,
            start: childEntries[0]!.start,
            end: childEntries[childEntries.length - 1]!.end,
          };
        }
        rootEntries.push({ ...headerEntry, value, end: Math.max(headerEntry.end, value.end) });
      } else {
        rootEntries.push(...head.entries);
      }
    }
    this.cache = next;
    if (!rootStyleOk) return parseWhole(text, 0);
    const root: MapNode | undefined = rootEntries.length
      ? {
          kind: 'map',
          style: 'block',
          entries: rootEntries,
          start: rootEntries[0]!.start,
          end: rootEntries[rootEntries.length - 1]!.end,
        }
      : undefined;
    return { root, problems };
  }

  private parseChunk(text: string, start: number, next: Map<string, Chunk>): ParsedText {
    let chunk = this.cache.get(text);
    if (chunk) {
      this.cache.delete(text); // a chunk text appearing twice must not share one tree
      if (chunk.start !== start) shift(chunk.parsed, start - chunk.start);
      chunk.start = start;
    } else {
      chunk = { text, start, parsed: parseWhole(text, start) };
    }
    if (!next.has(text)) next.set(text, chunk);
    return chunk.parsed;
  }
}

/** One-shot parse (tests, CLI). */
export function parseYaml(text: string): ParsedText {
  return new IncrementalYamlParser().parse(text);
}

function canChunk(text: string): boolean {
  if (text.length < 20_000) return false; // small documents: parse whole, it is fast and exact
  // Anchors, aliases, tags with handles, directives and document markers need the whole text.
  if (/^(%|---|\.\.\.)/m.test(text)) return false;
  if (/(^|[\s[{,:-])[&*][^\s,\]}]/m.test(text)) return false;
  if (/\t/.test(text)) return false;
  return true;
}

interface Piece {
  start: number;
  end: number;
  children?: { start: number; end: number }[];
}

const TOP_KEY = /^[A-Za-z0-9_"']/;

/** Splits at top-level keys (column 0), and Resources at its entries' indentation. */
function splitTopLevel(text: string): Piece[] {
  const lineStarts: number[] = [];
  for (let i = 0; i < text.length;) {
    lineStarts.push(i);
    const nl = text.indexOf('\n', i);
    if (nl < 0) break;
    i = nl + 1;
  }
  const pieces: Piece[] = [];
  let current: Piece | undefined;
  let inResources = false;
  let childIndent = -1;
  for (const ls of lineStarts) {
    const first = text[ls];
    if (first !== undefined && TOP_KEY.test(first)) {
      if (current) current.end = ls;
      else if (ls > 0) pieces.push({ start: 0, end: ls });
      current = { start: ls, end: text.length };
      pieces.push(current);
      inResources = text.startsWith('Resources:', ls) && /^Resources:\s*(#.*)?$/.test(lineAt(text, ls));
      childIndent = -1;
      if (inResources) current.children = [];
      continue;
    }
    if (!current) continue;
    if (inResources && current.children) {
      const line = lineAt(text, ls);
      const indent = line.length - line.trimStart().length;
      const rest = line.trimStart();
      if (!rest || rest.startsWith('#')) continue;
      if (childIndent < 0) childIndent = indent;
      if (indent === childIndent && !rest.startsWith('-')) {
        const last = current.children[current.children.length - 1];
        if (last) last.end = ls;
        current.children.push({ start: ls, end: text.length });
      }
    }
  }
  if (!pieces.length) pieces.push({ start: 0, end: text.length });
  for (const piece of pieces) {
    const last = piece.children?.[piece.children.length - 1];
    if (last) last.end = piece.end;
  }
  return pieces;
}

function lineAt(text: string, start: number): string {
  const nl = text.indexOf('\n', start);
  return text.slice(start, nl < 0 ? text.length : nl).replace(/\r$/, '');
}

function shift(parsed: ParsedText, delta: number): void {
  for (const p of parsed.problems) {
    p.start += delta;
    p.end += delta;
  }
  if (!parsed.root) return;
  const seen = new Set<object>();
  const stack: Node[] = [parsed.root];
  while (stack.length) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    node.start += delta;
    node.end += delta;
    if (node.kind === 'map') {
      for (const e of node.entries) {
        e.start += delta;
        e.end += delta;
        if (!seen.has(e.key)) {
          seen.add(e.key);
          e.key.start += delta;
          e.key.end += delta;
        }
        stack.push(e.value);
      }
    } else if (node.kind === 'seq') stack.push(...node.items);
  }
}

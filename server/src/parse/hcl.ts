// HCL (Terraform `.tf`) text -> syntax tree (tree.ts), never throwing.
//
// tree-sitter (web-tree-sitter with the Terraform grammar, both as .wasm) parses; this module
// turns its concrete tree into our nodes in the shape Terraform JSON has, so the model, the
// resolver and every rule read `.tf` and `.tf.json` the same way:
//
//   resource "aws_instance" "web" { ... }  ->  { resource: { aws_instance: { web: { ... } } } }
//
// Each top-level block becomes its own root entry (a file may have many `resource` entries).
// Nested blocks become map values; repeated nested blocks of one type become a list
// (`hcl-blocks`); labelled nested blocks (`dynamic "ingress"`) become `{ label: body }`.
// Literals become scalars; tuples and objects become lists and maps; anything else (references,
// calls, conditionals, templates with `${}`) becomes a scalar whose value is the Terraform JSON
// spelling (`${var.x}`) and whose `expr` holds the structure with every operand as a node.
//
// Speed and recovery: the text is cut at top-level keywords into pieces parsed on their own and
// cached by their text (IncrementalHclParser), so a keystroke parses one block and a syntax
// error cannot hide the blocks after it. Positions are UTF-16 offsets, as ours.
//
// The wasm files are loaded once (initHcl) before the first parse: by the server with the first
// Terraform document, by the CLI when it checks Terraform files, by the tests at start-up. Until
// then parseHcl reports that HCL is not available.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Language, Parser, type TreeCursor } from 'web-tree-sitter';
import { shiftNode } from './incremental';
import { operandsOf } from './tree';
import type {
  Entry,
  Expression,
  MapNode,
  Node,
  ParsedText,
  ScalarNode,
  SeqNode,
  SyntaxProblem,
} from './tree';

const GRAMMAR_FILE = 'tree-sitter-terraform.wasm';
const RUNTIME_FILE = 'web-tree-sitter.wasm';
/** Deeper nesting (blocks, lists, objects, calls) is reported, not converted. */
const MAX_DEPTH = 500;
/** tree-sitter nodes per nesting level are few (expression, collection_value, object, object_elem). */
const MAX_TREE_DEPTH = MAX_DEPTH * 6;

let language: Language | undefined;
let loading: Promise<void> | undefined;
let loadError: string | undefined;

/** Where the wasm files are: next to the bundle (dist/), or in node_modules (tests, dev). */
function wasmPath(file: string, dir?: string): string {
  const candidates: string[] = [];
  if (dir) candidates.push(path.join(dir, file));
  if (typeof __dirname === 'string') candidates.push(path.join(__dirname, file));
  try {
    const require = createRequire(path.join(process.cwd(), 'package.json'));
    candidates.push(
      file === RUNTIME_FILE
        ? require.resolve(`web-tree-sitter/${RUNTIME_FILE}`)
        : require.resolve(`@tree-sitter-grammars/tree-sitter-hcl/${GRAMMAR_FILE}`),
    );
  } catch {
    // not installed: only the bundle's copy can be used
  }
  return candidates.find((c) => existsSync(c)) ?? candidates[0]!;
}

/** Loads the parser once; later calls return the same promise. Never rejects. */
export function initHcl(wasmDir?: string): Promise<void> {
  loading ??= (async () => {
    try {
      const runtime = wasmPath(RUNTIME_FILE, wasmDir);
      await Parser.init({ locateFile: () => runtime });
      language = await Language.load(readFileSync(wasmPath(GRAMMAR_FILE, wasmDir)));
    } catch (error) {
      loadError = error instanceof Error ? error.message : String(error);
    }
  })();
  return loading;
}

export function hclReady(): boolean {
  return language !== undefined;
}

function notReady(): ParsedText {
  return {
    root: undefined,
    problems: [
      {
        start: 0,
        end: 0,
        message: `The HCL parser is not available${loadError ? `: ${loadError}` : ' yet'}; .tf files are not checked.`,
      },
    ],
  };
}

/** One-shot parse (CLI, tests). `base` is added to every offset (see unit/). */
export function parseHcl(text: string, base = 0): ParsedText {
  const parser = new IncrementalHclParser();
  try {
    return parser.parse(text, base);
  } finally {
    parser.dispose();
  }
}

/** A piece of the document (one top-level block and what follows it up to the next), converted. */
interface Piece {
  /** Document offset the nodes are at now. */
  start: number;
  entries: Entry[];
  problems: SyntaxProblem[];
}

/** Pieces that fail alone are retried joined with the next ones (a keyword inside a heredoc). */
const MAX_JOIN = 8;

/**
 * The parser of one open document. The text is cut at top-level keywords (`resource`, `data`,
 * `variable` ... at the start of a line) into pieces that tree-sitter parses on their own; a
 * piece whose text did not change keeps its nodes (moved to its new offset). So a keystroke
 * parses one block, a syntax error stays inside its block and the blocks after it are still
 * read, and the result equals parsing each piece fresh. Only the newest version's tree is valid.
 */
export class IncrementalHclParser {
  private parser: Parser | undefined;
  /** Converted pieces of the previous version, by their text (several when texts repeat). */
  private cache = new Map<string, Piece[]>();

  /** `base` is added to every offset: a sibling file of a module lives at its own base (unit/). */
  parse(text: string, base = 0): ParsedText {
    if (!language) return notReady();
    if (!this.parser) {
      this.parser = new Parser();
      this.parser.setLanguage(language);
    }
    const previous = this.cache;
    const next = new Map<string, Piece[]>();
    const entries: Entry[] = [];
    const problems: SyntaxProblem[] = [];
    const cuts = topLevelCuts(text);
    for (let i = 0; i < cuts.length;) {
      const cut = cuts[i]!;
      const start = base + cut;
      let j = i + 1;
      let key = text.slice(cut, cuts[j] ?? text.length);
      let piece = take(previous, key) ?? this.convert(key);
      // A piece that does not parse alone may be cut inside a heredoc or comment: join it with
      // the next pieces while that makes it parse.
      for (let join = 0; piece.problems.length && join < MAX_JOIN && j < cuts.length; join++) {
        const joinedKey = text.slice(cut, cuts[j + 1] ?? text.length);
        const joined = take(previous, joinedKey) ?? this.convert(joinedKey);
        if (joined.problems.length) {
          put(previous, joinedKey, joined);
          break;
        }
        piece = joined;
        key = joinedKey;
        j++;
      }
      if (piece.start !== start) {
        for (const entry of piece.entries) shiftEntry(entry, start - piece.start);
        for (const problem of piece.problems) {
          problem.start += start - piece.start;
          problem.end += start - piece.start;
        }
        piece.start = start;
      }
      put(next, key, piece);
      entries.push(...piece.entries);
      problems.push(...piece.problems);
      i = j;
    }
    this.cache = next;
    const root = rootMap(entries, text);
    root.start += base;
    root.end += base;
    return { root, problems: clampProblems(problems, text, base) };
  }

  dispose(): void {
    this.parser?.delete();
    this.parser = undefined;
    this.cache.clear();
  }

  /** Parses one piece alone; its nodes are at offsets from 0. */
  private convert(pieceText: string): Piece {
    const tree = this.parser!.parse(pieceText);
    if (!tree)
      return { start: 0, entries: [], problems: [{ start: 0, end: 1, message: 'HCL could not be read.' }] };
    try {
      const mirror = mirrorTree(tree.walk());
      const converter = new Converter(pieceText);
      const entries: Entry[] = [];
      const body = mirror.children.find((c) => c.type === 'body');
      for (const child of body?.children ?? []) {
        const entry =
          child.type === 'block'
            ? converter.block(child, 0)
            : child.type === 'attribute'
              ? converter.attribute(child, 0)
              : undefined;
        if (entry) entries.push(entry);
      }
      if (tree.rootNode.hasError) converter.errors(mirror);
      return { start: 0, entries, problems: converter.problems };
    } finally {
      tree.delete();
    }
  }
}

function take(cache: Map<string, Piece[]>, key: string): Piece | undefined {
  const list = cache.get(key);
  const piece = list?.pop();
  if (list && !list.length) cache.delete(key);
  return piece;
}

function put(cache: Map<string, Piece[]>, key: string, piece: Piece): void {
  const list = cache.get(key);
  if (list) list.push(piece);
  else cache.set(key, [piece]);
}

function shiftEntry(entry: Entry, delta: number): void {
  if (delta === 0) return;
  entry.start += delta;
  entry.end += delta;
  entry.key.start += delta;
  entry.key.end += delta;
  shiftNode(entry.value, delta);
  shiftExpressions(entry.value, delta);
}

/** shiftNode moves the tree; operands inside `expr` are nodes of their own and move here. */
function shiftExpressions(root: Node, delta: number): void {
  const stack: Node[] = [root];
  const seen = new Set<Node>();
  while (stack.length) {
    const node = stack.pop()!;
    if (node.kind === 'map') for (const e of node.entries) stack.push(e.value);
    else if (node.kind === 'seq') for (const item of node.items) stack.push(item);
    else if (node.expr) {
      for (const operand of operandsOf(node.expr)) {
        if (seen.has(operand)) continue;
        seen.add(operand);
        shiftNode(operand, delta);
        stack.push(operand);
      }
    }
  }
}

/** No problem ends past the end of the text (or starts after its last character). */
function clampProblems(problems: SyntaxProblem[], text: string, base = 0): SyntaxProblem[] {
  const end = base + text.length;
  for (const p of problems) {
    p.start = Math.max(base, Math.min(p.start, Math.max(base, end - 1)));
    p.end = Math.max(p.start, Math.min(p.end, end));
    if (p.end === p.start && p.start < end) p.end = p.start + 1;
  }
  return problems;
}

const TOP_LEVEL =
  /^(resource|data|variable|locals|module|output|provider|terraform|moved|import|check|removed)\b/gm;

/** Offsets where a top-level block starts (a keyword at the start of a line); 0 always. */
function topLevelCuts(text: string): number[] {
  const cuts = [0];
  for (const m of text.matchAll(TOP_LEVEL)) if (m.index > 0) cuts.push(m.index);
  return cuts;
}

function rootMap(entries: Entry[], text: string): MapNode {
  return { kind: 'map', style: 'hcl-block', entries, start: 0, end: text.length };
}

// ---------- a plain mirror of tree-sitter's nodes (cheap to read many times) ----------

interface M {
  type: string;
  start: number;
  end: number;
  children: M[];
  missing: boolean;
  field: string | null;
  /** Its children were not read: nested deeper than the converter reads. */
  truncated?: boolean;
}

function mirrorTree(cursor: TreeCursor): M {
  try {
    return mirrorFromCursor(cursor);
  } finally {
    cursor.delete();
  }
}

function mirrorFromCursor(cursor: TreeCursor): M {
  const root: M = {
    type: cursor.nodeType,
    start: cursor.startIndex,
    end: cursor.endIndex,
    children: [],
    missing: cursor.currentNode.isMissing,
    field: null,
  };
  const stack: M[] = [root];
  if (!cursor.gotoFirstChild()) return root;
  for (;;) {
    const parent = stack[stack.length - 1]!;
    const type = cursor.nodeType;
    const m: M = {
      type,
      start: cursor.startIndex,
      end: cursor.endIndex,
      children: [],
      // Only zero-width nodes can be MISSING; asking every node would cost a node object each.
      missing: cursor.startIndex === cursor.endIndex && cursor.currentNode.isMissing,
      field: cursor.currentFieldName,
    };
    parent.children.push(m);
    if (stack.length < MAX_TREE_DEPTH) {
      if (cursor.gotoFirstChild()) {
        stack.push(m);
        continue;
      }
    } else if (cursor.currentNode.childCount > 0) m.truncated = true;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent() || stack.length === 1) return root;
      stack.pop();
    }
  }
}

// ---------- mirror -> our nodes ----------

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

class Converter {
  readonly problems: SyntaxProblem[] = [];
  private depthReported = false;
  constructor(private readonly text: string) {}

  private src(m: M): string {
    return this.text.slice(m.start, m.end);
  }

  /**
   * Syntax problems inside a node, at the token that opened them. What tree-sitter could not
   * read (ERROR) is the cause; the closers it then invents (MISSING) are consequences, reported
   * only when there is no cause.
   */
  errors(root: M): void {
    const stack: M[] = [root];
    const causes: SyntaxProblem[] = [];
    const consequences: SyntaxProblem[] = [];
    while (stack.length) {
      const m = stack.pop()!;
      if (m.type === 'ERROR') {
        causes.push(this.describeError(m));
        continue;
      }
      if (m.missing) {
        consequences.push(this.describeMissing(m, root));
        continue;
      }
      for (const c of m.children) stack.push(c);
    }
    // An unclosed string swallows the closers after it: it alone is the cause.
    const strings = consequences.filter((p) => p.message.startsWith('This string is not closed'));
    const found = causes.length ? causes : strings.length ? strings : consequences;
    this.problems.push(...found.sort((a, b) => a.start - b.start));
  }

  private describeError(m: M): SyntaxProblem {
    // An unterminated string: point at its opening quote.
    const quote = findFirst(m, (c) => c.type === 'quoted_template_start');
    const closed = quote && findFirst(m, (c) => c.type === 'quoted_template_end' && c.start > quote.start);
    if (quote && !closed)
      return { start: quote.start, end: quote.end, message: 'This string is not closed: add the closing ".' };
    const first = firstLeaf(m);
    const token = this.text.slice(first.start, Math.min(first.end, first.start + 40)).split(/\r?\n/)[0] ?? '';
    const start = first.start;
    const end = first.end > first.start ? Math.min(first.end, start + Math.max(token.length, 1)) : start + 1;
    return { start, end, message: token ? `Unexpected "${token}".` : 'Syntax error.' };
  }

  private describeMissing(m: M, root: M): SyntaxProblem {
    const closer = this.text.slice(m.start, m.end) || m.type;
    const openers: Record<string, string[]> = {
      '}': ['block_start', 'object_start', '{'],
      block_end: ['block_start'],
      object_end: ['object_start'],
      ']': ['tuple_start', '['],
      tuple_end: ['tuple_start'],
      ')': ['('],
      quoted_template_end: ['quoted_template_start'],
    };
    const wanted = openers[m.type] ?? openers[closer];
    if (wanted) {
      // The opener is a sibling of the closer, or of the closer's wrapper (`block_end`).
      let parent = parentOf(root, m);
      let opener = parent?.children.find((c) => wanted.includes(c.type));
      if (!opener && parent) {
        parent = parentOf(root, parent);
        opener = parent?.children.find((c) => wanted.includes(c.type));
      }
      if (opener) {
        const what = this.text.slice(opener.start, opener.end);
        return {
          start: opener.start,
          end: opener.end,
          message:
            what === '"' ? 'This string is not closed: add the closing ".' : `This "${what}" is not closed.`,
        };
      }
    }
    const name = m.type.replace(/_/g, ' ');
    return { start: m.start, end: m.start + 1, message: `Missing ${name}.` };
  }

  block(m: M, depth: number): Entry | undefined {
    const typeNode = m.children.find((c) => c.type === 'identifier');
    if (!typeNode) return undefined;
    const labels = m.children.filter(
      (c) =>
        c !== typeNode && (c.type === 'string_lit' || c.type === 'identifier') && c.start > typeNode.start,
    );
    const bodyStart = m.children.find((c) => c.type === 'block_start');
    const bodyEnd = m.children.find((c) => c.type === 'block_end');
    const bodyM = m.children.find((c) => c.type === 'body');
    const body: MapNode = {
      kind: 'map',
      style: 'hcl-block',
      entries: bodyM ? this.bodyEntries(bodyM, depth + 1) : [],
      start: bodyStart?.start ?? m.end,
      end: bodyEnd && !bodyEnd.missing ? bodyEnd.end : m.end,
    };
    // Labels nest: resource "a" "b" { } -> resource: { a: { b: body } }.
    let value: Node = body;
    for (let i = labels.length - 1; i >= 0; i--) {
      const label = labels[i]!;
      const key = this.labelScalar(label);
      value = {
        kind: 'map',
        style: 'hcl-block',
        entries: [{ key, value, start: label.start, end: m.end }],
        start: label.start,
        end: m.end,
      };
    }
    return {
      key: this.identScalar(typeNode),
      value,
      start: m.start,
      end: m.end,
    };
  }

  attribute(m: M, depth: number): Entry | undefined {
    const name = m.children.find((c) => c.type === 'identifier');
    const expression = m.children.find((c) => c.type === 'expression');
    if (!name) return undefined;
    const value = expression
      ? this.expression(expression, depth + 1)
      : ({ kind: 'scalar', value: null, style: 'plain', start: m.end, end: m.end } as ScalarNode);
    return { key: this.identScalar(name), value, start: m.start, end: m.end };
  }

  /** A block body: attributes as entries; nested blocks grouped by type (repeated -> list). */
  private bodyEntries(bodyM: M, depth: number): Entry[] {
    const entries: Entry[] = [];
    const groups = new Map<string, Entry>();
    for (const child of bodyM.children) {
      if (child.type === 'attribute') {
        const e = this.attribute(child, depth);
        if (e) entries.push(e);
        continue;
      }
      if (child.type !== 'block') continue;
      if (depth > MAX_DEPTH) {
        this.tooDeep(child);
        continue;
      }
      const e = this.block(child, depth);
      if (!e) continue;
      const type = e.key.value;
      const existing = groups.get(type);
      if (!existing) {
        groups.set(type, e);
        entries.push(e);
        continue;
      }
      // A second block of the same type: labelled blocks merge their label maps; unlabelled
      // ones form a list of bodies.
      existing.end = e.end;
      if (existing.value.kind === 'map' && existing.value.style === 'hcl-block' && e.value.kind === 'map') {
        const labelled = child.children.some((c) => c.type === 'string_lit');
        if (labelled) {
          existing.value.entries.push(...e.value.entries);
          existing.value.end = e.value.end;
          continue;
        }
      }
      if (existing.value.kind === 'seq' && existing.value.style === 'hcl-blocks') {
        existing.value.items.push(e.value);
        existing.value.end = e.value.end;
      } else {
        const list: SeqNode = {
          kind: 'seq',
          style: 'hcl-blocks',
          items: [existing.value, e.value],
          start: existing.value.start,
          end: e.value.end,
        };
        existing.value = list;
      }
    }
    return entries;
  }

  private tooDeep(m: M): void {
    if (this.depthReported) return;
    this.depthReported = true;
    this.problems.push({
      start: m.start,
      end: m.start + 1,
      message: `HCL is nested more than ${MAX_DEPTH} levels deep here; the rest is not read.`,
    });
  }

  private identScalar(m: M): ScalarNode & { value: string } {
    return { kind: 'scalar', value: this.src(m), style: 'plain', start: m.start, end: m.end };
  }

  private labelScalar(m: M): ScalarNode & { value: string } {
    if (m.type === 'identifier') return this.identScalar(m);
    const literal = m.children.find((c) => c.type === 'template_literal');
    return {
      kind: 'scalar',
      value: literal ? unescape(this.src(literal)) : '',
      style: 'double',
      start: m.start,
      end: m.end,
    };
  }

  expression(m: M, depth: number): Node {
    if (depth > MAX_DEPTH || m.truncated) {
      this.tooDeep(m);
      return this.opaque(m, { type: 'other' });
    }
    // `expression` wraps one form, or a value followed by traversal steps (get_attr, index, splat).
    if (m.type === 'expression' || m.type === 'parenthesized_expression') {
      const parts = m.children.filter((c) => c.type !== 'comment' && c.type !== '(' && c.type !== ')');
      if (parts.length === 1) return this.expression(parts[0]!, depth);
      if (parts.length === 0) return this.opaque(m, { type: 'other' });
      return this.traversal(m, parts, depth);
    }
    switch (m.type) {
      case 'literal_value':
        return this.literal(m.children[0] ?? m);
      case 'collection_value':
        return this.expression(m.children[0] ?? m, depth);
      case 'tuple': {
        const items = m.children
          .filter((c) => c.type === 'expression')
          .map((c) => this.expression(c, depth + 1));
        return { kind: 'seq', style: 'hcl', items, start: m.start, end: m.end };
      }
      case 'object':
        return this.object(m, depth);
      case 'template_expr':
        return this.template(m.children[0] ?? m, depth);
      case 'variable_expr':
        return this.traversal(m, [m], depth);
      case 'function_call': {
        const name = m.children.find((c) => c.type === 'identifier');
        const args = m.children.find((c) => c.type === 'function_arguments');
        return this.opaque(m, {
          type: 'call',
          name: name ? this.src(name) : '',
          args: (args?.children ?? [])
            .filter((c) => c.type === 'expression')
            .map((c) => this.expression(c, depth + 1)),
        });
      }
      case 'conditional': {
        const [condition, then, otherwise] = m.children.filter((c) => c.type === 'expression');
        if (!condition || !then || !otherwise) return this.opaque(m, { type: 'other' });
        return this.opaque(m, {
          type: 'conditional',
          condition: this.expression(condition, depth + 1),
          then: this.expression(then, depth + 1),
          else: this.expression(otherwise, depth + 1),
        });
      }
      default:
        return this.opaque(m, { type: 'other' });
    }
  }

  private literal(m: M): Node {
    const text = this.src(m);
    switch (m.type) {
      case 'numeric_lit':
        return { kind: 'scalar', value: Number(text), style: 'plain', start: m.start, end: m.end };
      case 'bool_lit':
        return { kind: 'scalar', value: text === 'true', style: 'plain', start: m.start, end: m.end };
      case 'null_lit':
        return { kind: 'scalar', value: null, style: 'plain', start: m.start, end: m.end };
      case 'string_lit': {
        const literal = m.children.find((c) => c.type === 'template_literal');
        return {
          kind: 'scalar',
          value: literal ? unescape(this.src(literal)) : '',
          style: 'double',
          start: m.start,
          end: m.end,
        };
      }
      default:
        return this.opaque(m, { type: 'other' });
    }
  }

  private object(m: M, depth: number): MapNode {
    const entries: Entry[] = [];
    for (const elem of m.children) {
      if (elem.type !== 'object_elem') continue;
      const [keyM, valueM] = elem.children.filter((c) => c.type === 'expression');
      if (!keyM || !valueM) continue;
      const keyNode = this.expression(keyM, depth);
      // A bare identifier key (`Effect = ...`) is parsed as a reference: it is its own name.
      const bare = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(this.src(keyM).trim());
      const keyValue =
        bare && keyNode.kind === 'scalar'
          ? this.src(keyM).trim()
          : keyNode.kind === 'scalar' && keyNode.style === 'double'
            ? String(keyNode.value)
            : keyNode.kind === 'scalar'
              ? String(keyNode.value)
              : this.src(keyM);
      entries.push({
        key: {
          kind: 'scalar',
          value: keyValue,
          style: bare ? 'plain' : 'double',
          start: keyM.start,
          end: keyM.end,
        },
        value: this.expression(valueM, depth + 1),
        start: elem.start,
        end: elem.end,
      });
    }
    return { kind: 'map', style: 'hcl', entries, start: m.start, end: m.end };
  }

  private template(m: M, depth: number): Node {
    const heredoc = m.type === 'heredoc_template';
    const parts: (string | Node)[] = [];
    let hasInterpolation = false;
    for (const c of m.children) {
      if (c.type === 'template_literal') parts.push(heredoc ? this.src(c) : unescape(this.src(c)));
      else if (c.type === 'template_interpolation') {
        const inner = c.children.find((x) => x.type === 'expression');
        hasInterpolation = true;
        parts.push(inner ? this.expression(inner, depth + 1) : this.opaque(c, { type: 'other' }));
      } else if (c.type === 'template_directive') {
        hasInterpolation = true;
        parts.push(this.opaque(c, { type: 'other' }));
      }
    }
    if (heredoc) {
      const start = m.children.find((c) => c.type === 'heredoc_start');
      const strip = start ? this.src(start).startsWith('<<-') : false;
      const content = this.heredocContent(m);
      const value = strip ? stripIndent(content) : content;
      if (!hasInterpolation) return { kind: 'scalar', value, style: 'heredoc', start: m.start, end: m.end };
      return {
        kind: 'scalar',
        value,
        style: 'heredoc',
        start: m.start,
        end: m.end,
        expr: {
          type: 'template',
          parts: parts.map((p) => (typeof p === 'string' && strip ? stripIndent(p) : p)),
        },
      };
    }
    const value = parts.map((p) => (typeof p === 'string' ? p : jsonSpelling(p, this.text))).join('');
    if (!hasInterpolation) return { kind: 'scalar', value, style: 'double', start: m.start, end: m.end };
    return {
      kind: 'scalar',
      value,
      style: 'double',
      start: m.start,
      end: m.end,
      expr: { type: 'template', parts },
    };
  }

  /** The lines between `<<EOF` and the closing identifier. */
  private heredocContent(m: M): string {
    const ids = m.children.filter((c) => c.type === 'heredoc_identifier');
    const open = ids[0];
    const close = ids[1];
    if (!open) return '';
    let from = this.text.indexOf('\n', open.end);
    from = from < 0 ? open.end : from + 1;
    let to = close ? close.start : m.end;
    // back to the start of the closing line
    while (to > from && this.text[to - 1] !== '\n') to--;
    return this.text.slice(from, to);
  }

  private traversal(m: M, parts: M[], depth: number): Node {
    const [head, ...rest] = parts;
    if (!head) return this.opaque(m, { type: 'other' });
    if (head.type !== 'variable_expr') return this.opaque(m, { type: 'other' });
    const steps: (string | number | Node)[] = [];
    for (const step of rest) {
      if (step.type === 'get_attr') {
        const id = step.children.find((c) => c.type === 'identifier');
        if (id) steps.push(this.src(id));
      } else if (step.type === 'index') {
        const inner = step.children.find(
          (c) => c.type === 'expression' || c.type === 'new_index' || c.type === 'legacy_index',
        );
        if (!inner) return this.opaque(m, { type: 'other' });
        if (inner.type === 'legacy_index') steps.push(Number(this.src(inner).replace(/^\./, '')));
        else {
          const node = this.expression(
            inner.type === 'new_index'
              ? (inner.children.find((c) => c.type === 'expression') ?? inner)
              : inner,
            depth + 1,
          );
          if (
            node.kind === 'scalar' &&
            !node.expr &&
            (typeof node.value === 'number' || typeof node.value === 'string')
          )
            steps.push(node.value);
          else steps.push(node);
        }
      } else return this.opaque(m, { type: 'other' }); // splats and the like
    }
    return this.opaque(m, { type: 'traversal', root: this.src(head).trim(), steps });
  }

  /** A non-literal expression: its Terraform JSON spelling as value, its structure in `expr`. */
  private opaque(m: M, expr: Expression): ScalarNode {
    return { kind: 'scalar', value: `\${${this.src(m)}}`, style: 'expr', start: m.start, end: m.end, expr };
  }
}

function jsonSpelling(node: Node, text: string): string {
  return `\${${text.slice(node.start, node.end)}}`;
}

function findFirst(m: M, test: (m: M) => boolean): M | undefined {
  const stack = [m];
  while (stack.length) {
    const c = stack.shift()!;
    if (test(c)) return c;
    stack.unshift(...c.children);
  }
  return undefined;
}

function firstLeaf(m: M): M {
  let c = m;
  while (c.children.length) c = c.children[0]!;
  return c;
}

function parentOf(root: M, target: M): M | undefined {
  const stack = [root];
  while (stack.length) {
    const m = stack.pop()!;
    for (const c of m.children) {
      if (c === target) return m;
      stack.push(c);
    }
  }
  return undefined;
}

/** HCL string escapes: \n \r \t \" \\ \uNNNN \UNNNNNNNN. */
function unescape(raw: string): string {
  if (!raw.includes('\\')) return raw;
  return raw.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (whole, c: string) => {
    switch (c[0]) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case '"':
        return '"';
      case '\\':
        return '\\';
      case 'u':
      case 'U': {
        const code = parseInt(c.slice(1), 16);
        return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      default:
        return whole;
    }
  });
}

/** `<<-EOF`: removes the smallest indentation of the non-blank lines. */
function stripIndent(text: string): string {
  const lines = text.split('\n');
  let smallest = Infinity;
  for (const line of lines) {
    if (!line.trim()) continue;
    smallest = Math.min(smallest, /^[ \t]*/.exec(line)![0].length);
  }
  if (!Number.isFinite(smallest) || smallest === 0) return text;
  return lines.map((l) => l.slice(Math.min(smallest, /^[ \t]*/.exec(l)![0].length))).join('\n');
}

export const HCL_IDENTIFIER = IDENT;

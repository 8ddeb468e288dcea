// YAML text -> syntax tree (tree.ts), never throwing.
//
// Speed: the `yaml` package composes a 20,000-line template in about 400 ms, far too slow to
// repeat on every keystroke. So a document is cut into top-level sections, and the
// `Resources` section into one chunk per resource; each chunk is parsed on its own and cached
// by its text. An edit re-parses only the chunks whose text changed; the others are shifted to
// their new offsets. Documents that use anchors, directives or several documents are parsed
// whole, because a chunk could not see what it refers to.

import { Parser, Composer, isMap, isSeq, isScalar, isAlias, isPair, Scalar } from 'yaml';
import type { Node as YamlNode, Document as YamlDocument, Tags } from 'yaml';
import { MAX_NESTING, yamlTooDeepAt } from './depth';
import { keepOffLineBreaks } from './lineBreaks';
import { diffTexts, shiftParsed } from './incremental';
import type { Entry, MapNode, Node, ParsedText, ScalarNode, SeqNode, SyntaxProblem } from './tree';
import { duplicateKeyProblem } from './duplicateKeys';
import { flattenFlowCollections, flowClosesAfter, isFlowIndentProblem } from './flowIndent';
import { COLON_AFTER_KEY, gluedKeys } from './gluedKey';
import { hasOpenerError, isUnclosedProblem, pointYamlAtOpeners } from './unclosed';

/** Long names of the CloudFormation short-form tags. */
const LONG_FORM: Record<string, string> = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
};

function longForm(tag: string): string {
  return LONG_FORM[tag] ?? `Fn::${tag.slice(1)}`;
}

/**
 * The CloudFormation short-form tags, declared so the yaml package does not build an
 * "Unresolved tag" warning (an Error, with its stack) for each of them: a template has
 * thousands. Values are kept as they are; the Converter turns tags into the long form.
 */
const CFN_TAGS: Tags = [
  'Ref',
  'Condition',
  'Base64',
  'Cidr',
  'FindInMap',
  'ForEach',
  'GetAtt',
  'GetAZs',
  'ImportValue',
  'Join',
  'Length',
  'Select',
  'Split',
  'Sub',
  'ToJsonString',
  'Transform',
  'And',
  'Equals',
  'If',
  'Not',
  'Or',
].flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => value },
  { tag: `!${name}`, collection: 'seq' as const },
  { tag: `!${name}`, collection: 'map' as const },
]);

/** Deepest nesting read (as for JSON, see depth.ts); deeper documents get one problem and no tree. */
const MAX_DEPTH = MAX_NESTING;

class TooDeep extends Error {}

/** Logical nodes an alias may expand to before we refuse (alias bombs). */
const ALIAS_BUDGET = 200_000;

class Converter {
  private aliasCost = 0;
  private readonly sizes = new Map<Node, number>();
  /** Converted anchored nodes by anchor name; an alias refers to the latest one before it. */
  private readonly anchored = new Map<string, Node>();
  constructor(
    private readonly text: string,
    private readonly base: number,
    readonly problems: SyntaxProblem[],
    /** Levels above this piece's root in the document. */
    private depth = 0,
  ) {}

  convert(node: unknown, fallbackAt: number): Node {
    if (++this.depth > MAX_DEPTH) throw new TooDeep();
    const converted = this.convertInner(node, fallbackAt);
    this.depth--;
    if (node && typeof node === 'object' && 'anchor' in node && (node as { anchor?: string }).anchor) {
      this.anchored.set((node as { anchor: string }).anchor, converted);
    }
    return converted;
  }

  private convertInner(node: unknown, fallbackAt: number): Node {
    const base = this.base;
    if (node === null || node === undefined) return emptyScalar(base + fallbackAt);
    if (isAlias(node)) {
      const range = node.range ?? [fallbackAt, fallbackAt, fallbackAt];
      // Not node.resolve(doc): it searches the whole document for every alias (quadratic).
      const converted = this.anchored.get(node.source);
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
      const seen = new Map<string, Entry>();
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
        const earlier = seen.get(key.value);
        if (earlier) {
          this.problems.push(duplicateKeyProblem(this.text, this.base, earlier.key, key));
          map.entries.splice(map.entries.indexOf(earlier), 1);
        }
        seen.set(key.value, entry);
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

/**
 * Parses one piece of YAML text whose first character is at `base` in the document, `outer`
 * levels deep in it (a resource's piece: 1, under `Resources`), so that the nesting limit is
 * reached at the same place as in the whole document.
 */
function parseWhole(text: string, base: number, outer = 0): ParsedText {
  const strict = parseWholeStrict(text, base, outer);
  let chosen = strict;
  let source = text;
  // Flow collections indented less than their key: read as CloudFormation does (flowIndent.ts).
  if (strict.problems.some((p) => isFlowIndentProblem(p.message))) {
    const flat = flattenFlowCollections(text);
    const relaxed = flat === undefined ? undefined : parseWholeStrict(flat, base, outer);
    // Not when the relaxed reading reads nothing (a collection left open makes the rest of the
    // text one line, deeper than the nesting limit).
    if (relaxed?.root && relaxed.problems.length < strict.problems.length) {
      chosen = relaxed;
      source = flat!;
    }
  }
  // An unclosed quote or bracket is reported at the quote or bracket (unclosed.ts).
  const problems = pointYamlAtOpeners(source, base, chosen.problems, chosen.rawStarts, () =>
    new Parser().parse(source),
  );
  // A key with characters glued to its colon, at those characters (gluedKey.ts).
  const glued = gluedKeys(source, base, chosen.problems, chosen.rawStarts).filter((g) =>
    problems.includes(g.reported),
  );
  const openers = problems.filter(isUnclosedProblem);
  if (!openers.length && !glued.length) return { root: chosen.root, problems };
  // The rest of the document is read as if the opener (or what is glued to a key's colon) were
  // not there (the yaml package's own recovery lets a quote swallow the rest of the text, an
  // unclosed "[" take the next lines into the broken value, a key run on into the next
  // resources): a half-typed value does not hide the finished parts after it. Kept only when
  // that reading has no more errors than the first one.
  const causes = [
    ...openers.map((o) => ({ problem: o, from: o.start, to: o.end, line: o.start })),
    ...glued.map((g) => ({ problem: g.problem, from: g.problem.start, to: g.problem.end, line: g.keyStart })),
  ];
  let blankedText = source;
  for (const c of causes.sort((a, b) => a.from - b.from).reverse()) {
    blankedText =
      blankedText.slice(0, c.from - base) + ' '.repeat(c.to - c.from) + blankedText.slice(c.to - base);
  }
  // The first reading: openers at their place, a glued key as the parser reported it.
  const first = { root: chosen.root, problems };
  const again = parseWholeStrict(blankedText, base, outer);
  // Another opener left open (nested ones): keep the first reading.
  if (hasOpenerError(again.problems)) return first;
  const causeLines = causes.map((c) => ({ from: c.line, to: base + lineEnd(source, c.line - base) }));
  const others = again.problems.filter(
    (p) => p.severity === 'warning' || !causeLines.some((l) => p.start >= l.from && p.start <= l.to),
  );
  const errors = (list: SyntaxProblem[]) => list.filter((p) => p.severity !== 'warning').length;
  if (errors(others) > errors(problems) - causes.length) return first;
  return {
    root: again.root,
    problems: [...causes.map((c) => c.problem), ...others].sort((a, b) => a.start - b.start),
  };
}

/** Index of the line end after `at` (or the end of the text). */
function lineEnd(text: string, at: number): number {
  let i = at;
  while (i < text.length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
  return i;
}

/** A parse with each problem's start as the parser gave it (before the clamps below). */
type StrictParse = ParsedText & { rawStarts: number[] };

function parseWholeStrict(text: string, base: number, outer: number): StrictParse {
  const problems: SyntaxProblem[] = [];
  let root: Node | undefined;
  // Refused before the (recursive) yaml package sees it, at the place it goes too deep.
  const deepAt = yamlTooDeepAt(text, MAX_NESTING - outer);
  if (deepAt >= 0) {
    return {
      root: undefined,
      rawStarts: [],
      problems: [
        {
          start: base + deepAt,
          end: base + deepAt + 1,
          message: `YAML is nested deeper than ${MAX_DEPTH} levels here; it is not read.`,
        },
      ],
    };
  }
  try {
    const composer = new Composer({
      uniqueKeys: false, // a duplicate key is a warning and the last one wins (see convert)
      strict: false,
      prettyErrors: false,
      customTags: CFN_TAGS,
    });
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
      const converter = new Converter(text, base, problems, outer);
      root = doc.contents ? converter.convert(doc.contents, 0) : undefined;
    });
  } catch (error) {
    // Nesting deeper than the stack (in the yaml package or here) is the likely cause of a throw.
    const deep = error instanceof TooDeep;
    return {
      root: undefined,
      rawStarts: [],
      problems: [
        {
          start: base,
          end: base + Math.min(text.length, 1),
          message: deep
            ? `YAML is nested deeper than ${MAX_DEPTH} levels; it is not read.`
            : error instanceof RangeError
              ? 'YAML could not be read: the parser ran out of stack (unclosed brackets or very deep nesting).'
              : `YAML could not be read: ${String(error)}`,
        },
      ],
    };
  }
  const rawStarts = problems.map((p) => p.start);
  for (const problem of problems) {
    // The yaml package may report an error one past the end of the text.
    problem.end = Math.min(problem.end, base + text.length);
    problem.start = Math.min(problem.start, problem.end);
    keepOffLineBreaks(text, base, problem);
  }
  return { root, problems, rawStarts };
}

function cleanMessage(message: string): string {
  // The yaml package appends " at line X, column Y:" and a code frame; the editor shows the place.
  return message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim();
}

/** A piece of the document parsed on its own. */
interface Part {
  start: number;
  end: number;
  parsed: ParsedText;
  /** For a resource with problems: whether they stay inside it, for these trees of it and its neighbours. */
  confined?: { trees: (ParsedText | undefined)[]; result: boolean };
}

/**
 * A top-level section (`Parameters:` and what follows, up to the next column-0 key). The
 * `Resources` section is split further: parts[0] is the `Resources:` line, the other parts one
 * resource each.
 */
interface Section {
  start: number;
  end: number;
  parts: Part[];
  /** True for the Resources section (parts after the first are resources). */
  children: boolean;
  /** Indentation of the resources (children sections). */
  childIndent: number;
  /** False for text before the first top-level key (comments). */
  keyed: boolean;
}

interface Layout {
  text: string;
  sections: Section[];
  /** Every part in document order, with the section each belongs to. */
  flat: { part: Part; section: Section; index: number }[];
}

/**
 * A per-document parser that keeps the parsed pieces of the previous version. Use one per
 * open document: trees of the previous version are shifted in place, so only the newest
 * version's tree is valid.
 *
 * An edit inside one resource (or one top-level section) re-parses only that piece and moves
 * the pieces after it; other edits re-split the document and re-parse only pieces whose text
 * changed.
 */
export class IncrementalYamlParser {
  /** Documents shorter than this are parsed whole (tests lower it to exercise the pieces). */
  private readonly chunkMin: number;
  private last: Layout | undefined;
  /** After a whole parse: the pieces of that version by text, for the next version to reuse. */
  private reusable: Map<string, Part> | undefined;

  constructor(options: { chunkMin?: number } = {}) {
    this.chunkMin = options.chunkMin ?? CHUNK_MIN;
  }

  parse(source: string): ParsedText {
    const text = loneCrAsLf(source);
    if (text.length < this.chunkMin) return this.whole(text);
    const quick = this.last ? this.reparseEdited(this.last, text) : undefined;
    if (quick) return quick;
    if (!chunkableText(text)) return this.whole(text);
    // The previous version's parts by their text, to reuse those whose text is unchanged.
    const previous = this.reusable ?? new Map<string, Part>();
    this.reusable = undefined;
    if (this.last) {
      const lastText = this.last.text;
      for (const { part } of this.last.flat) previous.set(lastText.slice(part.start, part.end), part);
    }
    const sections: Section[] = splitTopLevel(text).map((piece) => {
      const bounds = piece.children
        ? [{ start: piece.start, end: piece.children[0]?.start ?? piece.end }, ...piece.children]
        : [piece];
      return {
        start: piece.start,
        end: piece.end,
        children: !!piece.children,
        childIndent: piece.childIndent ?? -1,
        keyed: piece.keyed,
        parts: bounds.map((b, index) =>
          reusePart(previous, text.slice(b.start, b.end), b.start, !!piece.children && index > 0),
        ),
      };
    });
    return this.assemble(text, sections);
  }

  private whole(text: string, sections?: Section[]): ParsedText {
    this.last = undefined;
    // Keep the pieces (they are not part of the whole tree): when the next edit repairs the
    // document, only the changed pieces are parsed again.
    this.reusable = undefined;
    if (sections) {
      this.reusable = new Map();
      for (const section of sections)
        for (const part of section.parts) this.reusable.set(text.slice(part.start, part.end), part);
    }
    return parseWhole(text, 0);
  }

  /**
   * The root map from the sections' parsed parts. `same` is the previous assembly's list of
   * parts when the split and every part's keys are as they were then (an edit inside one part
   * that left its keys): no key can be duplicated now, and the list stays valid.
   */
  private assemble(text: string, sections: Section[], same?: Layout['flat']): ParsedText {
    const rootEntries: Entry[] = [];
    const problems: SyntaxProblem[] = [];
    for (const section of sections) {
      // A broken piece can change how the rest of the document reads (the yaml package's
      // recovery may take the following resources into it): parse whole, the one exact answer.
      // Except a resource whose problems stay inside it when parsed with its neighbours: typing
      // in one resource of a large template must not re-parse all of it on every keystroke.
      // A duplicate key's warning names lines, counted in the piece: only the whole parse has
      // the document's line numbers (and they change when lines are added above it).
      for (const [index, part] of section.parts.entries()) {
        if (!part.parsed.problems.length) continue;
        if (
          !section.children ||
          index === 0 ||
          part.parsed.problems.some((p) => p.message.startsWith('Duplicate key ')) ||
          !confined(text, section.parts, index)
        )
          return this.whole(text, sections);
        problems.push(...part.parsed.problems);
      }
      const head = section.parts[0]!.parsed.root;
      if (!head) continue;
      if (head.kind !== 'map') return this.whole(text, sections); // not a map at the root: parse whole
      if (!section.children) {
        for (const entry of head.entries) rootEntries.push(entry);
        continue;
      }
      // The header part is `Resources:`; the other parts hold its entries.
      const headerEntry = head.entries[0];
      if (!headerEntry) continue;
      const childEntries: Entry[] = [];
      for (let i = 1; i < section.parts.length; i++) {
        const parsed = section.parts[i]!.parsed;
        const root = parsed.root;
        if (root?.kind === 'map') for (const entry of root.entries) childEntries.push(entry);
        // Not a resource (a value where a resource's name belongs): what it means depends on the
        // lines around it, parse whole.
        else if (!parsed.problems.length) return this.whole(text, sections);
      }
      if (!same && hasDuplicateKey(childEntries)) return this.whole(text, sections); // the whole parse reports it
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
      // A fresh entry object: the header part's own tree keeps its null value for the next assembly.
      rootEntries.push({ ...headerEntry, value, end: Math.max(headerEntry.end, value.end) });
    }
    if (!same && hasDuplicateKey(rootEntries)) return this.whole(text, sections);
    let flat = same;
    if (!flat) {
      flat = [];
      for (const section of sections)
        for (const [index, part] of section.parts.entries()) flat.push({ part, section, index });
    }
    this.last = { text, sections, flat };
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

  /**
   * The fast path: when the edit lies inside one part and leaves the document's split as it
   * was, re-parse that part only and move the parts after it. Undefined when it does not apply.
   */
  private reparseEdited(last: Layout, text: string): ParsedText | undefined {
    const diff = diffTexts(last.text, text);
    const delta = text.length - last.text.length;
    if (diff.start === last.text.length && delta === 0) return this.assemble(text, last.sections, last.flat);
    // The part holding the edit: the last part starting before it.
    const flat = last.flat;
    let low = 0;
    let high = flat.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (flat[mid]!.part.start < diff.start) low = mid;
      else high = mid - 1;
    }
    const hit = flat[low];
    if (!hit) return undefined;
    const { part, section, index } = hit;
    // Strictly inside: the first character of the part stays, and the edit ends before the next part.
    if (!(part.start < diff.start && diff.oldEnd < part.end)) return undefined;
    if (!section.keyed || (section.children && index === 0)) return undefined;
    const newEnd = part.end + delta;
    const partText = text.slice(part.start, newEnd);
    if (!splitsAlone(partText, section.children ? section.childIndent : -1)) return undefined;
    if (!chunkableText(partText)) return undefined;
    const keysBefore = rootKeys(part.parsed);
    part.parsed = parsePiece(partText, part.start, section.children);
    part.end = newEnd;
    for (let i = low + 1; i < flat.length; i++) {
      const later = flat[i]!.part;
      shiftParsed(later.parsed, delta);
      later.start += delta;
      later.end += delta;
    }
    for (const s of last.sections) {
      if (s.start > part.start) s.start += delta;
      if (s.end >= part.end - delta) s.end += delta;
    }
    return this.assemble(text, last.sections, rootKeys(part.parsed) === keysBefore ? flat : undefined);
  }
}

/** The keys a part adds to its section (a resource: its logical id), to tell whether an edit changed them. */
function rootKeys(parsed: ParsedText): string {
  const root = parsed.root;
  if (root?.kind !== 'map') return '';
  // As JSON: a key may hold any character, and a separator could not tell ["a,b"] from ["a", "b"].
  return JSON.stringify(root.entries.map((e) => e.key.value));
}

/**
 * Whether the problems of resource `parts[index]` are its own: parsing it together with the
 * resources before and after it gives the same problems, and the neighbours' entries exactly as
 * parsed alone. Otherwise the error reaches beyond the resource (or only exists because of the
 * split), and the document is parsed whole. Remembered per set of trees (re-checked when the
 * resource or a neighbour changes).
 */
function confined(text: string, parts: Part[], index: number): boolean {
  const part = parts[index]!;
  const before = index > 1 ? parts[index - 1] : undefined;
  const after = parts[index + 1];
  // The relaxed reading of flow collections (flowIndent.ts) joins lines across resources when a
  // collection left open here is closed further on: only the whole document can tell. Checked
  // on every version (the text further on may change while this resource and its neighbours
  // do not); it reads past the resource only when a collection is left open in it.
  if (flowClosesAfter(text, part.start, part.end)) return false;
  const trees = [before?.parsed, part.parsed, after?.parsed];
  if (part.confined && part.confined.trees.every((t, i) => t === trees[i])) return part.confined.result;
  const start = (before ?? part).start;
  const end = (after ?? part).end;
  const together = parseWhole(ownCopy(text.slice(start, end)), start, 1);
  const problemKey = (p: SyntaxProblem) => `${p.start}-${p.end} ${p.message}`;
  const entryKeys = (tree: ParsedText | undefined) =>
    tree?.root?.kind === 'map'
      ? tree.root.entries.map((e) => `${e.key.value}@${e.start}-${e.end}:${e.value.start}-${e.value.end}`)
      : [];
  const alone = [...entryKeys(before?.parsed), ...entryKeys(part.parsed), ...entryKeys(after?.parsed)];
  const result =
    JSON.stringify(together.problems.map(problemKey)) ===
      JSON.stringify(part.parsed.problems.map(problemKey)) &&
    JSON.stringify(entryKeys(together)) === JSON.stringify(alone);
  part.confined = { trees, result };
  return result;
}

function hasDuplicateKey(entries: Entry[]): boolean {
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.key.value)) return true;
    seen.add(entry.key.value);
  }
  return false;
}

/**
 * One piece parsed on its own. A resource's piece that reads as a plain scalar on one line is
 * a resource's name without its colon (being typed): in the document, YAML joins it with the
 * next line into one key (or reads a key with no value), and the whole parse reports it at the
 * name (gluedKey.ts); alone it is valid YAML. It gets the same problem here, and the region
 * check (confined) makes sure the whole parse would say the same.
 */
function parsePiece(text: string, start: number, resource: boolean): ParsedText {
  const parsed = parseWhole(ownCopy(text), start, resource ? 1 : 0);
  const root = parsed.root;
  if (!resource || parsed.problems.length || root?.kind !== 'scalar' || root.style !== 'plain') return parsed;
  if (/[\r\n]/.test(text.slice(root.start - start, root.end - start))) return parsed;
  return { root: undefined, problems: [{ start: root.start, end: root.end, message: COLON_AFTER_KEY }] };
}

/** A part whose text is unchanged from the previous version (moved into place), else a new one. */
function reusePart(previous: Map<string, Part>, text: string, start: number, resource: boolean): Part {
  const part = previous.get(text);
  if (part) {
    previous.delete(text); // a piece of text appearing twice must not share one tree
    shiftParsed(part.parsed, start - part.start);
    part.start = start;
    part.end = start + text.length;
    return part;
  }
  return { start, end: start + text.length, parsed: parsePiece(text, start, resource) };
}

/**
 * A copy of a piece of the document that does not point into it. Substrings share their
 * parent's memory, and the yaml package's scalars are substrings of what it parses: a piece
 * parsed from a slice would keep that version's whole text alive as long as its tree lives
 * (hundreds of versions of a large document after a while of typing).
 */
function ownCopy(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

/** One-shot parse (tests, CLI). */
export function parseYaml(text: string): ParsedText {
  return new IncrementalYamlParser().parse(text);
}

/** The whole text in one piece, never split (the reference the pieces must agree with). */
export function parseYamlWhole(text: string): ParsedText {
  return parseWhole(loneCrAsLf(text), 0);
}

/**
 * Old Mac line ends (a lone \r) read as \n: the yaml package does not end lines there, the
 * editor does. Same length, so every offset stays where it was.
 */
function loneCrAsLf(text: string): string {
  return text.includes('\r') && /\r(?!\n)/.test(text) ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/**
 * Documents shorter than this are parsed whole. Above it, a keystroke re-parses one resource
 * (a 300-line template: ~0.5 ms instead of ~3 ms), and the resources it did not touch keep their
 * nodes, so the facts built on them are kept (engine/incremental.ts).
 */
const CHUNK_MIN = 2_000;

/**
 * Anchors, aliases, tags with handles, directives, document markers and tabs in a line's
 * leading white space (where the split counts spaces) need the whole text. A tab after a
 * line's first character (in a string, in a script under `UserData: |`) is read the same in a
 * piece: such a template is still parsed per resource.
 */
function chunkableText(text: string): boolean {
  if (/^(%|---|\.\.\.)/m.test(text)) return false;
  if (/(^|[\s[{,:-])[&*][^\s,\]}]/m.test(text)) return false;
  if (text.includes('\t') && /^[ \r]*\t/m.test(text)) return false;
  return true;
}

/**
 * True when splitTopLevel would keep `text` (a part starting at a line start) as one part:
 * its first line starts the part and no later line starts another.
 */
function splitsAlone(text: string, childIndent: number): boolean {
  let first = true;
  for (let ls = 0; ls < text.length;) {
    const nl = text.indexOf('\n', ls);
    const lineEnd = nl < 0 ? text.length : nl;
    const c = text.charCodeAt(ls);
    const topKey = isTopKeyChar(c);
    if (childIndent < 0) {
      // A top-level section: starts with a column-0 key, and no other line does; it does not become Resources.
      if (topKey !== first || (first && text.startsWith('Resources'))) return false;
    } else {
      if (topKey) return false;
      let i = ls;
      while (i < lineEnd && text.charCodeAt(i) === 32) i++;
      const rest = i < lineEnd ? text.charCodeAt(i) : -1;
      const content = rest !== -1 && rest !== 35 /* # */ && rest !== 13;
      const starts = content && i - ls === childIndent && rest !== 45; /* - */
      if (first ? !starts : starts) return false;
    }
    first = false;
    if (nl < 0) break;
    ls = nl + 1;
  }
  return true;
}

interface Piece {
  start: number;
  end: number;
  keyed: boolean;
  children?: { start: number; end: number }[];
  childIndent?: number;
}

/** A character that starts a top-level key at column 0 (`[A-Za-z0-9_"']`). */
function isTopKeyChar(c: number): boolean {
  return (
    (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 34 || c === 39
  );
}

/** Splits at top-level keys (column 0), and Resources at its entries' indentation. */
function splitTopLevel(text: string): Piece[] {
  const pieces: Piece[] = [];
  let current: Piece | undefined;
  let inResources = false;
  let childIndent = -1;
  for (let ls = 0; ls < text.length;) {
    const nl = text.indexOf('\n', ls);
    const lineEnd = nl < 0 ? text.length : nl;
    const first = text.charCodeAt(ls);
    if (isTopKeyChar(first)) {
      if (current) current.end = ls;
      else if (ls > 0) pieces.push({ start: 0, end: ls, keyed: false });
      current = { start: ls, end: text.length, keyed: true };
      pieces.push(current);
      inResources =
        text.startsWith('Resources:', ls) &&
        /^Resources:\s*(#.*)?$/.test(text.slice(ls, lineEnd).replace(/\r$/, ''));
      childIndent = -1;
      if (inResources) current.children = [];
    } else if (current && inResources && current.children) {
      let i = ls;
      while (i < lineEnd && text.charCodeAt(i) === 32) i++;
      const rest = i < lineEnd ? text.charCodeAt(i) : -1;
      // Blank lines and comments never start a resource.
      if (rest !== -1 && rest !== 35 /* # */ && rest !== 13 /* \r */) {
        const indent = i - ls;
        if (childIndent < 0) {
          childIndent = indent;
          current.childIndent = indent;
        }
        if (indent === childIndent && rest !== 45 /* - */) {
          const last = current.children[current.children.length - 1];
          if (last) last.end = ls;
          current.children.push({ start: ls, end: text.length });
        }
      }
    }
    if (nl < 0) break;
    ls = nl + 1;
  }
  if (!pieces.length) pieces.push({ start: 0, end: text.length, keyed: false });
  for (const piece of pieces) {
    const last = piece.children?.[piece.children.length - 1];
    if (last) last.end = piece.end;
  }
  return pieces;
}

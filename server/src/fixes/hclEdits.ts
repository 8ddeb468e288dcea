// Fix operations -> text edits in HCL (`.tf`), in the file's own style: indentation of the
// surrounding block, `=` aligned with the attributes around an insertion, comments and
// heredocs untouched. Values arrive in Terraform JSON's spelling (`"${var.x}"`, policies as
// JSON strings) and are written the way people write HCL (`var.x`, `jsonencode({ ... })`).
//
// Objects become nested blocks inside a block body (`metadata_options { ... }`), except the
// attributes that Terraform types as maps (`tags`); lists of objects become repeated blocks.

import type { TemplateDocument } from '../model/document';
import type { Entry, MapNode, Node, SeqNode } from '../parse/tree';
import { entryOf, toPlain } from '../parse/tree';

export type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };

export interface HclChange {
  start: number;
  end: number;
  newText: string;
}

/** Block-body keys whose object values are map attributes (`tags = { ... }`), not nested blocks. */
const MAP_ATTRIBUTES = new Set([
  'tags',
  'tags_all',
  'default_tags',
  'labels',
  'variables',
  'environment',
  'parameters',
  'options',
  'triggers',
  'metadata',
]);

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export class HclWriter {
  private readonly text: string;
  private readonly eol: string;
  private readonly unit: string;

  constructor(private readonly doc: TemplateDocument) {
    this.text = doc.text;
    this.eol = this.text.includes('\r\n') ? '\r\n' : '\n';
    const m = /\n([ \t]+)\S/.exec(this.text);
    this.unit = m?.[1]?.startsWith('\t') ? '\t' : '  ';
  }

  // ---------- values ----------

  /** A value written inline (attribute values, tuple items). */
  inline(value: Plain, indent: string): string {
    if (typeof value === 'string') return this.stringValue(value, indent);
    if (value === null || typeof value !== 'object') return String(value);
    if (Array.isArray(value)) {
      const items = value.map((v) => this.inline(v, indent + this.unit));
      const one = `[${items.join(', ')}]`;
      if (one.length <= 60 && !one.includes('\n')) return one;
      return `[${this.eol}${items.map((i) => `${indent}${this.unit}${i},`).join(this.eol)}${this.eol}${indent}]`;
    }
    const entries = Object.entries(value);
    if (!entries.length) return '{}';
    const parts = entries.map(([k, v]) => `${key(k)} = ${this.inline(v, indent + this.unit)}`);
    const one = `{ ${parts.join(', ')} }`;
    if (one.length <= 60 && !one.includes('\n')) return one;
    const width = Math.max(...entries.map(([k]) => key(k).length));
    return `{${this.eol}${entries
      .map(([k, v]) => `${indent}${this.unit}${key(k).padEnd(width)} = ${this.inline(v, indent + this.unit)}`)
      .join(this.eol)}${this.eol}${indent}}`;
  }

  /** `"${var.x}"` -> `var.x`; a JSON policy string -> `jsonencode({ ... })`; else a quoted string. */
  private stringValue(value: string, indent: string): string {
    const whole = /^\$\{([^{}]*)\}$/.exec(value);
    if (whole) return whole[1]!.trim();
    const trimmed = value.trim();
    if (trimmed.startsWith('{') && /"Statement"/.test(trimmed)) {
      try {
        const parsed = JSON.parse(trimmed) as Plain;
        return `jsonencode(${this.inline(parsed, indent)})`;
      } catch {
        // not JSON: written as a string
      }
    }
    return quote(value);
  }

  /** Lines of a block body (or of a new block's content) at an indent. */
  bodyLines(value: { [key: string]: Plain }, indent: string): string[] {
    const lines: string[] = [];
    const attributes = Object.entries(value).filter(([k, v]) => !this.isBlock(k, v));
    const width = attributes.length ? Math.max(...attributes.map(([k]) => key(k).length)) : 0;
    for (const [k, v] of Object.entries(value)) {
      if (this.isBlock(k, v)) {
        for (const body of Array.isArray(v) ? v : [v])
          lines.push(...this.blockLines(k, [], body as { [key: string]: Plain }, indent));
      } else lines.push(`${indent}${key(k).padEnd(width)} = ${this.inline(v, indent)}`);
    }
    return lines;
  }

  blockLines(type: string, labels: string[], body: { [key: string]: Plain }, indent: string): string[] {
    const head = [type, ...labels.map(quote)].join(' ');
    const inner = this.bodyLines(body, indent + this.unit);
    if (!inner.length) return [`${indent}${head} {}`];
    return [`${indent}${head} {`, ...inner, `${indent}}`];
  }

  private isBlock(k: string, v: Plain): boolean {
    if (MAP_ATTRIBUTES.has(k)) return false;
    if (Array.isArray(v))
      return v.length > 0 && v.every((i) => i !== null && typeof i === 'object' && !Array.isArray(i));
    return v !== null && typeof v === 'object';
  }

  // ---------- positions ----------

  private lineStartOf(offset: number): number {
    let i = offset;
    while (i > 0 && this.text[i - 1] !== '\n') i--;
    return i;
  }

  private indentOfLine(offset: number): string {
    const start = this.lineStartOf(offset);
    let i = start;
    while (this.text[i] === ' ' || this.text[i] === '\t') i++;
    return this.text.slice(start, i);
  }

  /** Offset just after the line break that ends the line containing `offset`. */
  private afterLine(offset: number): number {
    const nl = this.text.indexOf('\n', offset);
    return nl < 0 ? this.text.length : nl + 1;
  }

  private insertLines(at: number, lines: string[]): HclChange {
    const body = lines.join(this.eol);
    const needsBreak = at === this.text.length && at > 0 && this.text[at - 1] !== '\n';
    return { start: at, end: at, newText: needsBreak ? this.eol + body + this.eol : body + this.eol };
  }

  // ---------- operations ----------

  replace(node: Node, value: Plain): HclChange {
    const indent = this.indentOfLine(node.start);
    if (node.kind === 'scalar' && node.style === 'heredoc' && typeof value === 'string')
      return this.heredoc(node, value);
    if (node.kind === 'map' && node.style === 'hcl-block' && Array.isArray(value)) {
      // A nested block becomes several: it stays as written when it is the first of them.
      const type = /^\s*([A-Za-z_][A-Za-z0-9_-]*)/.exec(this.text.slice(this.lineStartOf(node.start)))?.[1];
      if (type) {
        const blocks = (keep: boolean): string[] =>
          value.slice(keep ? 1 : 0).flatMap((v) => (isObject(v) ? this.blockLines(type, [], v, indent) : []));
        if (value.length && sameValue(toPlain(node), value[0]))
          return this.insertLines(this.afterLine(node.end - 1), blocks(true));
        const start = this.lineStartOf(node.start) + indent.length;
        return { start, end: node.end, newText: blocks(false).join(this.eol).slice(indent.length) };
      }
    }
    if (node.kind === 'map' && node.style === 'hcl-block' && isObject(value)) {
      const lines = this.bodyLines(value, indent + this.unit);
      return {
        start: node.start,
        end: node.end,
        newText: `{${this.eol}${lines.join(this.eol)}${this.eol}${indent}}`,
      };
    }
    return { start: node.start, end: node.end, newText: this.inline(value, indent) };
  }

  /** A heredoc keeps its marker and indentation; JSON content is laid out like the original. */
  private heredoc(node: Node, value: string): HclChange {
    const header = /^<<-?\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(this.text.slice(node.start, node.end));
    if (!header) return { start: node.start, end: node.end, newText: this.inline(value, '') };
    let content = value;
    try {
      if (!value.includes('\n')) content = JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      // not JSON: as given
    }
    const firstContent = this.afterLine(node.start);
    const indent = header[0].startsWith('<<-') ? this.indentOfLine(firstContent) : '';
    const closeIndent = header[0].startsWith('<<-') ? this.indentOfLine(node.end - 1) : '';
    const lines = content
      .replace(/\n$/, '')
      .split('\n')
      .map((l) => (l ? indent + l : l));
    return {
      start: node.start,
      end: node.end,
      newText: `${header[0]}${this.eol}${lines.join(this.eol)}${this.eol}${closeIndent}${header[1]}`,
    };
  }

  /** Sets `key` in a block body or object: replaces an existing value or inserts a line. */
  set(map: MapNode, name: string, value: Plain): HclChange[] {
    const entry = entryOf(map, name);
    if (
      entry &&
      (entry.value.style === 'hcl-blocks' ||
        (entry.value.kind === 'map' && entry.value.style === 'hcl-block')) &&
      Array.isArray(value)
    ) {
      // Nested blocks set to a list: the existing blocks stay as written, new ones follow them.
      const existing = entry.value.kind === 'seq' ? entry.value.items : [entry.value];
      const same = existing.every((item, i) => sameValue(toPlain(item), value[i]));
      const indent = this.indentOfLine(entry.start);
      if (same && value.length >= existing.length)
        return value.length === existing.length
          ? []
          : [
              this.insertLines(
                this.afterLine(entry.end - 1),
                value
                  .slice(existing.length)
                  .flatMap((v) => (isObject(v) ? this.blockLines(name, [], v, indent) : [])),
              ),
            ];
      const lines = value.flatMap((v) => (isObject(v) ? this.blockLines(name, [], v, indent) : []));
      return [{ start: entry.start, end: entry.end, newText: lines.join(this.eol).slice(indent.length) }];
    }
    if (entry) {
      // An existing nested block set to an object: set each key inside it.
      if (entry.value.kind === 'map' && entry.value.style === 'hcl-block' && isObject(value))
        return Object.entries(value).flatMap(([k, v]) => this.set(entry.value as MapNode, k, v));
      return [this.replace(entry.value, value)];
    }
    return [this.insert(map, name, value)];
  }

  insert(map: MapNode, name: string, value: Plain): HclChange {
    if (map.style === 'hcl') {
      // An object expression: `{ a = 1 }` -> `{ a = 1, b = 2 }` (or a new line when multi-line).
      const last = map.entries[map.entries.length - 1];
      if (!last)
        return {
          start: map.start,
          end: map.end,
          newText: this.inline({ [name]: value }, this.indentOfLine(map.start)),
        };
      const multiLine = this.text.slice(map.start, map.end).includes('\n');
      if (!multiLine)
        return { start: last.end, end: last.end, newText: `, ${key(name)} = ${this.inline(value, '')}` };
      const indent = this.indentOfLine(last.start);
      return this.insertLines(this.afterLine(last.end), [
        `${indent}${key(name)} = ${this.inline(value, indent)}`,
      ]);
    }
    const last = map.entries[map.entries.length - 1];
    const first = map.entries[0];
    const indent = first ? this.indentOfLine(first.start) : this.indentOfLine(map.start) + this.unit;
    let lines: string[];
    if (this.isBlock(name, value)) {
      lines = [];
      for (const body of Array.isArray(value) ? value : [value])
        lines.push(...this.blockLines(name, [], body as { [key: string]: Plain }, indent));
    } else {
      // Align `=` with the attribute lines just above, as `terraform fmt` does.
      const width = last ? this.alignmentAt(last) : 0;
      lines = [`${indent}${key(name).padEnd(width)} = ${this.inline(value, indent)}`];
    }
    if (!last) {
      // `{}` or `{ }` on one line: open it up.
      const braceIndent = this.indentOfLine(map.start);
      const inner = this.text.slice(map.start + 1, Math.max(map.start + 1, map.end - 1));
      if (!inner.includes('\n'))
        return {
          start: map.start,
          end: map.end,
          newText: `{${this.eol}${lines.join(this.eol)}${this.eol}${braceIndent}}`,
        };
      return this.insertLines(this.afterLine(map.start), lines);
    }
    return this.insertLines(this.afterLine(this.endOfEntryLine(last)), lines);
  }

  /** Where `=` stands in the group of single-line attributes that ends with `last` (0: none). */
  private alignmentAt(last: Entry): number {
    if (last.value.kind === 'map' && last.value.style === 'hcl-block') return 0;
    const line = this.text.slice(this.lineStartOf(last.key.start), last.key.start);
    if (line.trim()) return 0;
    const eq = this.text.indexOf('=', last.key.end);
    return eq > 0 ? eq - last.key.start - 1 : 0;
  }

  /** The entry's end, past a trailing comment on its last line. */
  private endOfEntryLine(entry: Entry): number {
    return entry.end;
  }

  removeEntry(map: MapNode, entry: Entry): HclChange {
    if (map.style === 'hcl') {
      const index = map.entries.indexOf(entry);
      const next = map.entries[index + 1];
      if (!this.text.slice(map.start, map.end).includes('\n')) {
        if (next) return { start: entry.start, end: next.start, newText: '' };
        const previous = map.entries[index - 1];
        if (previous) return { start: previous.end, end: entry.end, newText: '' };
        return { start: map.start, end: map.end, newText: '{}' };
      }
    }
    return this.removeLines(entry.start, entry.end);
  }

  /** Removes whole lines from the one holding `start` to the one holding `end`. */
  removeLines(start: number, end: number): HclChange {
    return { start: this.lineStartOf(start), end: this.afterLine(Math.max(start, end - 1)), newText: '' };
  }

  removeItem(seq: SeqNode, item: Node): HclChange {
    if (seq.style === 'hcl-blocks') {
      // The item is a block body; its block starts at the type keyword on the body's line.
      return this.removeLines(item.start, item.end);
    }
    const index = seq.items.indexOf(item);
    if (seq.items.length === 1) return { start: seq.start, end: seq.end, newText: '[]' };
    const next = seq.items[index + 1];
    if (next) return { start: item.start, end: next.start, newText: '' };
    const previous = seq.items[index - 1]!;
    return { start: previous.end, end: item.end, newText: '' };
  }

  append(seq: SeqNode, value: Plain): HclChange {
    const last = seq.items[seq.items.length - 1];
    if (seq.style === 'hcl-blocks' && last && isObject(value)) {
      const indent = this.indentOfLine(last.start);
      const type =
        /^\s*([A-Za-z_][A-Za-z0-9_-]*)/.exec(this.text.slice(this.lineStartOf(last.start)))?.[1] ?? 'block';
      return this.insertLines(this.afterLine(last.end - 1), this.blockLines(type, [], value, indent));
    }
    const close = this.text.lastIndexOf(']', seq.end - 1);
    if (!last || close < seq.start)
      return { start: seq.start, end: seq.end, newText: `[${this.inline(value, '')}]` };
    const multiLine = this.text.slice(seq.start, seq.end).includes('\n');
    if (multiLine) {
      const indent = this.indentOfLine(last.start);
      const comma = /^\s*,/.exec(this.text.slice(last.end, close));
      // `[a, b,]` keeps its trailing comma after the new item.
      const at = comma ? last.end + comma[0].length : last.end;
      return {
        start: at,
        end: at,
        newText: `${comma ? '' : ','}${this.eol}${indent}${this.inline(value, indent)}${comma ? ',' : ''}`,
      };
    }
    return { start: last.end, end: last.end, newText: `, ${this.inline(value, '')}` };
  }

  /** A new top-level block (`variable`, `resource`) after the last block of that kind, or at the end. */
  addTopLevel(
    type: string,
    labels: string[],
    body: { [key: string]: Plain },
    after: Entry | undefined,
  ): HclChange {
    const lines = this.blockLines(type, labels, body, '');
    if (after) return this.insertLines(this.afterLine(after.end - 1), ['', ...lines]);
    const atEnd = this.text.length;
    const blank = this.text.endsWith('\n\n') || atEnd === 0 ? [] : [''];
    return this.insertLines(atEnd, [...blank, ...lines]);
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function isObject(value: Plain): value is { [key: string]: Plain } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function key(name: string): string {
  return IDENTIFIER.test(name) ? name : quote(name);
}

/** An HCL quoted string; `${` stays an interpolation, as in Terraform JSON. */
function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

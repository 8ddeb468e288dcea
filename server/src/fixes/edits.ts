// Fix recipes -> minimal text edits, in the document's own style. The only module (with
// parse/) that knows YAML from JSON. Edits keep indentation, quoting, comments and key order;
// they never touch text outside what the recipe names.

import type { Finding } from '../engine/finding';
import type { Resource, TemplateDocument } from '../model/document';
import type { Entry, MapNode, Node, SeqNode } from '../parse/tree';
import { entryOf, get } from '../parse/tree';
import { HclWriter, type Plain } from './hclEdits';
import type { FixOp, FixRecipe, NewValue } from './recipe';
import { isParamRef, isResourceRef, isSub } from './recipe';

export interface TextChange {
  start: number;
  end: number;
  newText: string;
}

export function recipeToEdits(doc: TemplateDocument, recipe: FixRecipe): TextChange[] {
  // A map or list the model built (a rendered policy document) has no text of its own to edit.
  if (recipe.ops.some(editsSynthetic)) return [];
  const writer = new Writer(doc);
  const all: TextChange[] = [];
  for (const op of recipe.ops) all.push(...writer.op(op));
  // Insertions at the same offset (two new resources, two new parameters) keep the order of
  // the ops, whichever way the caller applies them.
  const out: TextChange[] = [];
  for (const change of all) {
    const same =
      change.end === change.start
        ? out.find((c) => c.start === change.start && c.end === c.start)
        : undefined;
    if (same) same.newText += change.newText;
    else out.push({ ...change });
  }
  return out;
}

function editsSynthetic(op: FixOp): boolean {
  switch (op.op) {
    case 'set':
    case 'removeKey':
      return op.map.synthetic === true;
    case 'removeItem':
    case 'append':
      return op.seq.synthetic === true;
    case 'replace':
      return op.node.kind !== 'scalar' && op.node.synthetic === true;
    default:
      return false;
  }
}

/** Special values (references) in the shape a format writes them. */
function lower(value: NewValue, doc: TemplateDocument): Plain {
  if (isParamRef(value)) return doc.format === 'cfn' ? { Ref: value.$param } : `\${var.${value.$param}}`;
  if (isResourceRef(value)) {
    if (doc.format === 'cfn')
      return value.attribute
        ? { 'Fn::GetAtt': [value.$resource, value.attribute] }
        : { Ref: value.$resource };
    return `\${${value.$resource}.${value.attribute ?? 'id'}}`;
  }
  if (isSub(value)) return doc.format === 'cfn' ? { 'Fn::Sub': value.$sub } : (value.tf ?? value.$sub);
  if (Array.isArray(value)) return value.map((v) => lower(v, doc));
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: Plain } = {};
    for (const [k, v] of Object.entries(value)) out[k] = lower(v as NewValue, doc);
    return out;
  }
  return value;
}

const YAML_PLAIN = /^[A-Za-z0-9_/][A-Za-z0-9 _./:@()+=-]*$/;
const YAML_RESERVED =
  /^(true|false|yes|no|on|off|null|~|y|n|[-+]?(\d[\d_]*(\.\d*)?([eE][-+]?\d+)?|\.inf|\.nan|0x[0-9a-fA-F]+|0o[0-7]+)|\d{4}-\d\d?-\d\d?)$/i;

function yamlScalar(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value !== 'string') return String(value);
  if (
    YAML_PLAIN.test(value) &&
    !YAML_RESERVED.test(value) &&
    !value.endsWith(' ') &&
    !value.includes(': ') &&
    !value.includes(' #')
  )
    return value;
  return `'${value.replace(/'/g, "''")}'`;
}

/** Line end and indentation unit of each document. */
const STYLES = new WeakMap<TemplateDocument, { eol: string; unit: string }>();

/** One HCL writer per document (it scans the text for its line end and indentation). */
const HCL_WRITERS = new WeakMap<TemplateDocument, HclWriter>();

function hclWriter(doc: TemplateDocument): HclWriter {
  let writer = HCL_WRITERS.get(doc);
  if (!writer) {
    writer = new HclWriter(doc);
    HCL_WRITERS.set(doc, writer);
  }
  return writer;
}

class Writer {
  private readonly text: string;
  private readonly eol: string;
  private readonly unit: string;
  constructor(private readonly doc: TemplateDocument) {
    this.text = doc.text;
    // Once per document, not per recipe (a scan of the whole text each time was quadratic).
    let style = STYLES.get(doc);
    if (!style) {
      style = { eol: this.text.includes('\r\n') ? '\r\n' : '\n', unit: detectUnit(this.text, doc.syntax) };
      STYLES.set(doc, style);
    }
    this.eol = style.eol;
    this.unit = style.unit;
    this.hcl = doc.syntax === 'hcl' ? hclWriter(doc) : undefined;
  }

  private readonly hcl: HclWriter | undefined;

  op(op: FixOp): TextChange[] {
    if (this.hcl) return this.hclOp(this.hcl, op);
    switch (op.op) {
      case 'text':
        return [{ start: op.start, end: op.end, newText: op.newText }];
      case 'replace':
        return [this.replace(op.node, lower(op.value, this.doc))];
      case 'set':
        return this.setPath(op.map, [op.key], lower(op.value, this.doc));
      case 'removeKey': {
        const entry = entryOf(op.map, op.key);
        return entry ? [this.removeEntry(op.map, entry)] : [];
      }
      case 'removeItem':
        return [this.removeItem(op.seq, op.item)];
      case 'append':
        return [this.append(op.seq, lower(op.value, this.doc))];
      case 'addParameter':
        return this.addParameter(op.name, op.spec.cfn, op.spec.tf);
      case 'addResource':
        return this.addResource(op.name, op.spec);
      case 'removeResource':
        return this.removeResource(op.id);
    }
  }

  /** The same operations in HCL (fixes/hclEdits.ts writes the text). */
  private hclOp(hcl: HclWriter, op: FixOp): TextChange[] {
    switch (op.op) {
      case 'text':
        return [{ start: op.start, end: op.end, newText: op.newText }];
      case 'replace':
        return [hcl.replace(op.node, lower(op.value, this.doc))];
      case 'set':
        return hcl.set(op.map, op.key, lower(op.value, this.doc));
      case 'removeKey': {
        const entry = entryOf(op.map, op.key);
        return entry ? [hcl.removeEntry(op.map, entry)] : [];
      }
      case 'removeItem':
        return [hcl.removeItem(op.seq, op.item)];
      case 'append':
        return [hcl.append(op.seq, lower(op.value, this.doc))];
      case 'addParameter': {
        if (this.doc.parameters.has(op.name)) return [];
        const body = lower(op.spec.tf, this.doc) as { [key: string]: Plain };
        // HCL writes a variable's type as a type expression: `type = string`.
        if (typeof body.type === 'string' && /^(string|number|bool|any)$/.test(body.type))
          body.type = `\${${body.type}}`;
        return [hcl.addTopLevel('variable', [op.name], body, this.lastTopLevel('variable'))];
      }
      case 'addResource': {
        const body = lower(op.spec.tf.body, this.doc) as { [key: string]: Plain };
        return [hcl.addTopLevel('resource', [op.spec.tf.type, op.name], body, this.lastTopLevel('resource'))];
      }
      case 'removeResource': {
        const resource = this.doc.resourcesById.get(op.id);
        const root = this.doc.root;
        if (!resource || root?.kind !== 'map') return [];
        const block = root.entries.find(
          (e) => e.key.value === 'resource' && e.start <= resource.node.start && resource.node.end <= e.end,
        );
        return block ? [hcl.removeLines(block.start, block.end)] : [];
      }
    }
  }

  private lastTopLevel(type: string): Entry | undefined {
    const root = this.doc.root;
    if (root?.kind !== 'map') return undefined;
    let last: Entry | undefined;
    for (const entry of root.entries) if (entry.key.value === type) last = entry;
    return last;
  }

  // ---------- values ----------

  /** Text of a value written inline (YAML flow or one-line JSON). */
  private inline(value: Plain): string {
    if (this.doc.syntax === 'json') return compactJson(value);
    return this.yamlInline(value);
  }

  private yamlInline(value: Plain): string {
    if (Array.isArray(value)) return `[${value.map((v) => this.yamlInline(v)).join(', ')}]`;
    if (value !== null && typeof value === 'object') {
      const keys = Object.keys(value);
      const tag = shortForm(value);
      if (tag)
        return `${tag.tag} ${tag.arg === null ? '' : typeof tag.arg === 'object' ? this.yamlInline(tag.arg) : yamlScalar(tag.arg)}`.trimEnd();
      return `{${keys.map((k) => `${yamlScalar(k)}: ${this.yamlInline(value[k]!)}`).join(', ')}}`;
    }
    return yamlScalar(value);
  }

  private isBlockValue(value: Plain): boolean {
    if (Array.isArray(value)) return value.length > 0;
    return value !== null && typeof value === 'object' && Object.keys(value).length > 0 && !shortForm(value);
  }

  /** YAML block lines for a mapping's content at an indent. */
  private yamlMapLines(value: { [key: string]: Plain }, indent: string): string[] {
    const lines: string[] = [];
    for (const [k, v] of Object.entries(value)) {
      if (this.isBlockValue(v)) {
        lines.push(`${indent}${yamlScalar(k)}:`);
        lines.push(
          ...(Array.isArray(v)
            ? this.yamlSeqLines(v, indent + this.unit)
            : this.yamlMapLines(v as { [key: string]: Plain }, indent + this.unit)),
        );
      } else lines.push(`${indent}${yamlScalar(k)}: ${this.yamlInline(v)}`);
    }
    return lines;
  }

  private yamlSeqLines(value: Plain[], indent: string): string[] {
    const lines: string[] = [];
    for (const item of value) lines.push(...this.yamlItemLines(item, indent));
    return lines;
  }

  private yamlItemLines(item: Plain, indent: string): string[] {
    if (item !== null && typeof item === 'object' && !Array.isArray(item) && this.isBlockValue(item)) {
      const inner = this.yamlMapLines(item, indent + '  ');
      inner[0] = `${indent}- ${inner[0]!.slice(indent.length + 2)}`;
      return inner;
    }
    if (Array.isArray(item) && item.length) return [`${indent}- ${this.yamlInline(item)}`];
    return [`${indent}- ${this.yamlInline(item)}`];
  }

  /** JSON text of a value whose first line starts at `indent`. */
  private json(value: Plain, indent: string): string {
    // Small values stay on one line (`{ "Ref": "Vpc" }`), larger ones open up level by level.
    const compact = compactJson(value);
    if (compact.length <= 60 || value === null || typeof value !== 'object') return compact;
    const inner = indent + this.unit;
    const parts = Array.isArray(value)
      ? value.map((v) => `${inner}${this.json(v, inner)}`)
      : Object.entries(value).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${this.json(v, inner)}`);
    const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
    return `${open}${this.eol}${parts.join(`,${this.eol}`)}${this.eol}${indent}${close}`;
  }

  // ---------- positions ----------

  private lineStartOf(offset: number): number {
    let i = offset;
    while (i > 0 && this.text[i - 1] !== '\n' && this.text[i - 1] !== '\r') i--;
    return i;
  }

  private columnText(offset: number): string {
    return this.text.slice(this.lineStartOf(offset), offset);
  }

  private indentOfLine(offset: number): string {
    const start = this.lineStartOf(offset);
    let i = start;
    while (this.text[i] === ' ' || this.text[i] === '\t') i++;
    return this.text.slice(start, i);
  }

  /** Offset just after the line break that ends the line containing `offset` (or the end of text). */
  private afterLine(offset: number): number {
    if (offset > 0 && this.text[offset - 1] === '\n') return offset;
    const nl = this.text.indexOf('\n', offset);
    return nl < 0 ? this.text.length : nl + 1;
  }

  /** Text to insert a line at `at` (which is a line start, or the end of a text without a final newline). */
  private lineInsert(at: number, lines: string[]): TextChange {
    const body = lines.join(this.eol);
    const needsLeadingBreak = at === this.text.length && at > 0 && this.text[at - 1] !== '\n';
    return { start: at, end: at, newText: needsLeadingBreak ? this.eol + body : body + this.eol };
  }

  // ---------- operations ----------

  private replace(node: Node, value: Plain): TextChange {
    if (this.doc.syntax === 'json')
      return { start: node.start, end: node.end, newText: this.json(value, this.indentOfLine(node.start)) };
    // YAML: collections in block context are written as blocks; everything else inline.
    if (this.isBlockValue(value) && node.kind !== 'scalar' && node.style === 'block') {
      const indent = this.columnText(node.start).replace(/[^ \t]/g, ' ');
      const lines = Array.isArray(value)
        ? this.yamlSeqLines(value, indent)
        : this.yamlMapLines(value as { [key: string]: Plain }, indent);
      return { start: node.start, end: node.end, newText: lines.join(this.eol).slice(indent.length) };
    }
    // A block collection that becomes an inline value goes back on its key's line.
    if (node.kind !== 'scalar' && node.style === 'block') {
      let i = node.start;
      while (i > 0 && /\s/.test(this.text[i - 1]!)) i--;
      if (this.text[i - 1] === ':') return { start: i, end: node.end, newText: ` ${this.inline(value)}` };
    }
    return { start: node.start, end: node.end, newText: this.inline(value) };
  }

  /** Sets a nested key, creating the maps on the way that do not exist yet. */
  private setPath(map: MapNode, path: string[], value: Plain): TextChange[] {
    const [key, ...rest] = path;
    if (key === undefined) return [];
    const nested = rest.reduceRight<Plain>((acc, k) => ({ [k]: acc }), value);
    const entry = entryOf(map, key);
    if (entry) {
      if (rest.length && entry.value.kind === 'map') return this.setPath(entry.value, rest, value);
      return this.replaceEntryValue(map, entry, nested);
    }
    return [this.insertEntry(map, key, nested)];
  }

  private replaceEntryValue(map: MapNode, entry: Entry, value: Plain): TextChange[] {
    const isEmpty =
      entry.value.kind === 'scalar' && entry.value.value === null && entry.value.start === entry.value.end;
    if (this.doc.syntax === 'yaml' && map.style === 'block' && (this.isBlockValue(value) || isEmpty)) {
      const colon = this.text.indexOf(':', entry.key.end);
      // A half-typed document (`Key` with its colon on a later line, or none): no fix here.
      if (colon < 0 || colon + 1 > entry.value.end || !/^[ \t]*$/.test(this.text.slice(entry.key.end, colon)))
        return [];
      const indent = this.indentOfLine(entry.key.start);
      if (this.isBlockValue(value)) {
        const lines = Array.isArray(value)
          ? this.yamlSeqLines(value, indent + this.unit)
          : this.yamlMapLines(value as { [key: string]: Plain }, indent + this.unit);
        return [{ start: colon + 1, end: entry.value.end, newText: this.eol + lines.join(this.eol) }];
      }
      return [{ start: colon + 1, end: entry.value.end, newText: ` ${this.inline(value)}` }];
    }
    return [this.replace(entry.value, value)];
  }

  private insertEntry(map: MapNode, key: string, value: Plain): TextChange {
    if (this.doc.syntax === 'json' || map.style === 'json') {
      const last = map.entries[map.entries.length - 1];
      if (!last) {
        const indent = this.indentOfLine(map.start);
        return {
          start: map.start,
          end: map.end,
          newText: `{${this.eol}${indent}${this.unit}${JSON.stringify(key)}: ${this.json(value, indent + this.unit)}${this.eol}${indent}}`,
        };
      }
      const first = map.entries[0]!;
      const sameLine = this.lineStartOf(first.start) === this.lineStartOf(map.start);
      if (sameLine)
        return {
          start: last.end,
          end: last.end,
          newText: `, ${JSON.stringify(key)}: ${compactJson(value)}`,
        };
      const indent = this.columnText(first.start);
      return {
        start: last.end,
        end: last.end,
        newText: `,${this.eol}${indent}${JSON.stringify(key)}: ${this.json(value, indent)}`,
      };
    }
    if (map.style === 'flow') {
      const close = this.text.lastIndexOf('}', map.end - 1);
      const sep = map.entries.length ? ', ' : '';
      return { start: close, end: close, newText: `${sep}${yamlScalar(key)}: ${this.yamlInline(value)}` };
    }
    const first = map.entries[0];
    const indent = first
      ? this.columnText(first.key.start).replace(/[^ \t]/g, ' ')
      : this.indentOfLine(map.start);
    const lines = this.yamlMapLines({ [key]: value }, indent);
    const last = map.entries[map.entries.length - 1];
    return this.lineInsert(this.afterLine(last ? last.end : map.end), lines);
  }

  private removeEntry(map: MapNode, entry: Entry): TextChange {
    const index = map.entries.indexOf(entry);
    if (map.entries.length === 1) return this.emptyCollection(map, '{}');
    if (this.doc.syntax === 'yaml' && map.style === 'block') {
      return { start: this.lineStartOf(entry.key.start), end: this.afterLine(entry.end), newText: '' };
    }
    const next = map.entries[index + 1];
    if (next) return { start: entry.start, end: next.start, newText: '' };
    const previous = map.entries[index - 1]!;
    return { start: previous.end, end: entry.end, newText: '' };
  }

  private removeItem(seq: SeqNode, item: Node): TextChange {
    const index = seq.items.indexOf(item);
    if (seq.items.length === 1) return this.emptyCollection(seq, '[]');
    if (this.doc.syntax === 'yaml' && seq.style === 'block') {
      return { start: this.lineStartOf(item.start), end: this.afterLine(item.end), newText: '' };
    }
    const next = seq.items[index + 1];
    if (next) return { start: item.start, end: next.start, newText: '' };
    const previous = seq.items[index - 1]!;
    return { start: previous.end, end: item.end, newText: '' };
  }

  /** Replaces a collection with its empty form; a YAML block value goes back on its key's line. */
  private emptyCollection(node: MapNode | SeqNode, empty: string): TextChange {
    if (this.doc.syntax === 'yaml' && node.style === 'block') {
      let i = node.start;
      while (i > 0 && /\s/.test(this.text[i - 1]!)) i--;
      if (this.text[i - 1] === ':') return { start: i, end: node.end, newText: ` ${empty}` };
    }
    return { start: node.start, end: node.end, newText: empty };
  }

  private append(seq: SeqNode, value: Plain): TextChange {
    const last = seq.items[seq.items.length - 1];
    if (this.doc.syntax === 'json') {
      if (!last)
        return {
          start: seq.start,
          end: seq.end,
          newText: `[${this.json(value, this.indentOfLine(seq.start))}]`,
        };
      const first = seq.items[0]!;
      const sameLine = this.lineStartOf(first.start) === this.lineStartOf(seq.start);
      if (sameLine) return { start: last.end, end: last.end, newText: `, ${compactJson(value)}` };
      const indent = this.columnText(first.start);
      return { start: last.end, end: last.end, newText: `,${this.eol}${indent}${this.json(value, indent)}` };
    }
    if (seq.style === 'flow' || !last) {
      const close = this.text.lastIndexOf(']', seq.end - 1);
      if (close < seq.start)
        return { start: seq.start, end: seq.end, newText: `[${this.yamlInline(value)}]` };
      return {
        start: close,
        end: close,
        newText: `${seq.items.length ? ', ' : ''}${this.yamlInline(value)}`,
      };
    }
    const dash = this.text.lastIndexOf('-', seq.items[0]!.start);
    const indent = this.columnText(dash).replace(/[^ \t]/g, ' ');
    return this.lineInsert(this.afterLine(last.end), this.yamlItemLines(value, indent));
  }

  private addParameter(
    name: string,
    cfn: { [key: string]: NewValue },
    tf: { [key: string]: NewValue },
  ): TextChange[] {
    if (this.doc.parameters.has(name)) return [];
    const root = this.doc.root;
    if (root?.kind !== 'map') return [];
    if (this.doc.format === 'cfn')
      return this.addSection(root, 'Parameters', name, lower(cfn, this.doc), 'Resources');
    return this.addSection(root, 'variable', name, lower(tf, this.doc), 'resource');
  }

  private addResource(
    name: string,
    spec: { cfn: { [key: string]: NewValue }; tf: { type: string; body: { [key: string]: NewValue } } },
  ): TextChange[] {
    const root = this.doc.root;
    if (root?.kind !== 'map') return [];
    if (this.doc.format === 'cfn')
      return this.addSection(root, 'Resources', name, lower(spec.cfn, this.doc), undefined);
    const resource = get(root, 'resource');
    const byType = resource?.kind === 'map' ? get(resource, spec.tf.type) : undefined;
    const body = lower(spec.tf.body, this.doc);
    if (byType?.kind === 'map') return [this.insertEntry(byType, name, body)];
    // Several new resources of a type the document does not have yet share one type block.
    const pending = this.newTypes.get(spec.tf.type);
    if (pending) {
      pending.bodies[name] = body;
      Object.assign(pending.change, this.newTypeBlock(root, resource, spec.tf.type, pending.bodies)[0]);
      return [];
    }
    const changes = this.newTypeBlock(root, resource, spec.tf.type, { [name]: body });
    if (changes.length === 1)
      this.newTypes.set(spec.tf.type, { change: changes[0]!, bodies: { [name]: body } });
    return changes;
  }

  private readonly newTypes = new Map<string, { change: TextChange; bodies: { [key: string]: Plain } }>();

  private newTypeBlock(
    root: MapNode,
    resource: Node | undefined,
    type: string,
    bodies: { [key: string]: Plain },
  ): TextChange[] {
    if (resource?.kind === 'map') return [this.insertEntry(resource, type, bodies)];
    return this.addSection(root, 'resource', type, bodies, undefined);
  }

  private removeResource(id: string): TextChange[] {
    const resource = this.doc.resourcesById.get(id);
    if (!resource) return [];
    const root = this.doc.root;
    if (this.doc.format === 'cfn') {
      const resources = get(root, 'Resources');
      return resources?.kind === 'map' && entryOf(resources, id)
        ? [this.removeEntry(resources, entryOf(resources, id)!)]
        : [];
    }
    // Terraform: resource.<type>.<name>; drop the type block too when it held only this one.
    for (const block of [get(root, 'resource')].flatMap((n) =>
      n?.kind === 'seq' ? n.items : n ? [n] : [],
    )) {
      if (block.kind !== 'map') continue;
      const byType = get(block, resource.type);
      if (byType?.kind !== 'map' || !resource.tfName) continue;
      const entry = entryOf(byType, resource.tfName);
      if (!entry) continue;
      if (byType.entries.length === 1 && block.entries.length > 1)
        return [this.removeEntry(block, entryOf(block, resource.type)!)];
      return [this.removeEntry(byType, entry)];
    }
    return [];
  }

  /** Adds `name: value` under a top-level section, creating the section (before `before`) if needed. */
  private addSection(
    root: MapNode,
    section: string,
    name: string,
    value: Plain,
    before: string | undefined,
  ): TextChange[] {
    const existing = get(root, section);
    if (existing?.kind === 'map') return [this.insertEntry(existing, name, value)];
    const entry = entryOf(root, section);
    if (entry) return this.replaceEntryValue(root, entry, { [name]: value });
    const anchor = before ? entryOf(root, before) : undefined;
    if (this.doc.syntax === 'yaml' && root.style === 'block' && anchor) {
      const lines = this.yamlMapLines({ [section]: { [name]: value } }, '');
      return [
        {
          start: this.lineStartOf(anchor.key.start),
          end: this.lineStartOf(anchor.key.start),
          newText: lines.join(this.eol) + this.eol,
        },
      ];
    }
    if (this.doc.syntax === 'json' && anchor) {
      const indent = this.columnText(anchor.key.start);
      return [
        {
          start: anchor.key.start,
          end: anchor.key.start,
          newText: `${JSON.stringify(section)}: ${this.json({ [name]: value }, indent)},${this.eol}${indent}`,
        },
      ];
    }
    return [this.insertEntry(root, section, { [name]: value })];
  }
}

/** One-line JSON with a space after colons and commas: `{ "Ref": "X" }`, `["a", "b"]`. */
function compactJson(value: Plain): string {
  if (Array.isArray(value)) return `[${value.map(compactJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length
      ? `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${compactJson(v)}`).join(', ')} }`
      : '{}';
  }
  return JSON.stringify(value);
}

function shortForm(value: { [key: string]: Plain }): { tag: string; arg: Plain } | undefined {
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0]!;
  if (key === 'Ref') return { tag: '!Ref', arg: value[key]! };
  if (key === 'Fn::GetAtt') {
    const arg = value[key]!;
    return { tag: '!GetAtt', arg: Array.isArray(arg) ? arg.join('.') : arg };
  }
  if (key.startsWith('Fn::')) return { tag: `!${key.slice(4)}`, arg: value[key]! };
  return undefined;
}

function detectUnit(text: string, syntax: 'yaml' | 'json' | 'hcl'): string {
  const m = /\n([ \t]+)\S/.exec(text.slice(0, 20_000));
  if (!m) return syntax === 'json' ? '  ' : '  ';
  if (m[1]!.startsWith('\t')) return '\t';
  // The smallest indentation step seen in the first lines.
  let smallest = m[1]!.length;
  for (const match of text.slice(0, 20_000).matchAll(/\n( +)\S/g)) {
    const n = match[1]!.length;
    if (n > 0 && n < smallest) smallest = n;
  }
  return ' '.repeat(Math.max(1, Math.min(smallest, 8)));
}

// ---------- suppression ----------

const REASON_PLACEHOLDER = 'REASON: why this is acceptable';

/** The "Suppress <rule> for this resource" fix: ours, in the format's own place. */
export function suppressionRecipe(doc: TemplateDocument, finding: Finding): FixRecipe | undefined {
  const resource = finding.resourceId !== undefined ? doc.resourcesById.get(finding.resourceId) : undefined;
  const title = resource
    ? `Suppress ${finding.ruleId} for ${resource.id} (with a reason)`
    : `Suppress ${finding.ruleId} on this line (with a reason)`;
  if (doc.format === 'cfn' && resource)
    return { title, safety: 'safe', ops: metadataOps(resource, finding.ruleId) };
  if (doc.format === 'tf' && resource && doc.syntax !== 'hcl') {
    const text = `iac-netsec-ignore ${finding.ruleId}: ${REASON_PLACEHOLDER}`;
    const existing = get(resource.node, '//');
    if (existing?.kind === 'seq')
      return { title, safety: 'safe', ops: [{ op: 'append', seq: existing, value: text }] };
    if (existing?.kind === 'scalar')
      return {
        title,
        safety: 'safe',
        ops: [{ op: 'replace', node: existing, value: [String(existing.value), text] }],
      };
    return { title, safety: 'safe', ops: [{ op: 'set', map: resource.node, key: '//', value: text }] };
  }
  if (doc.syntax === 'yaml' || doc.syntax === 'hcl') {
    // HCL: above the resource block when the finding is in one (covers the whole resource).
    const at = doc.syntax === 'hcl' && resource ? hclBlockStart(doc, resource) : finding.start;
    const line = doc.lines.positionAt(at).line;
    const lineStart = doc.lines.lineStart(line);
    const indent = /^[ \t]*/.exec(doc.lines.lineText(line))![0];
    const eol = doc.text.includes('\r\n') ? '\r\n' : '\n';
    return {
      title,
      safety: 'safe',
      ops: [
        {
          op: 'text',
          start: lineStart,
          end: lineStart,
          newText: `${indent}# iac-netsec-ignore ${finding.ruleId}: ${REASON_PLACEHOLDER}${eol}`,
        },
      ],
    };
  }
  return undefined;
}

function hclBlockStart(doc: TemplateDocument, resource: Resource): number {
  const root = doc.root;
  if (root?.kind !== 'map') return resource.keyNode.start;
  const block = root.entries.find((e) => e.start <= resource.node.start && resource.node.end <= e.end);
  return block?.start ?? resource.keyNode.start;
}

function metadataOps(resource: Resource, ruleId: string): FixOp[] {
  const entry = { rule: ruleId, reason: REASON_PLACEHOLDER };
  const metadata = get(resource.node, 'Metadata');
  const ours = get(metadata, 'iac-netsec');
  const ignore = get(ours, 'ignore');
  if (ignore?.kind === 'seq') return [{ op: 'append', seq: ignore, value: entry }];
  if (ours?.kind === 'map') return [{ op: 'set', map: ours, key: 'ignore', value: [entry] }];
  if (metadata?.kind === 'map')
    return [{ op: 'set', map: metadata, key: 'iac-netsec', value: { ignore: [entry] } }];
  return [{ op: 'set', map: resource.node, key: 'Metadata', value: { 'iac-netsec': { ignore: [entry] } } }];
}

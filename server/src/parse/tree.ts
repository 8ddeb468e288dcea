// The syntax tree every format is read into. YAML and JSON both become these nodes, with
// absolute character offsets into the document text (invariant 4: offsets inside, LSP
// positions only at the edge). CloudFormation short-form tags (`!Ref X`) become the long form
// (`{ Ref: X }`) with `shortTag` set, so nothing above parse/ needs to know about tags.

export interface Span {
  /** Offset of the first character. */
  start: number;
  /** Offset just past the last character. */
  end: number;
}

export type ScalarValue = string | number | boolean | null;

export interface ScalarNode extends Span {
  kind: 'scalar';
  value: ScalarValue;
  /** How the scalar is written; fixes keep the style. */
  style: 'plain' | 'single' | 'double' | 'block' | 'json';
}

export interface Entry extends Span {
  key: ScalarNode & { value: string };
  /** The value; a missing YAML value (`Key:`) is a null scalar spanning nothing after the colon. */
  value: Node;
}

export interface MapNode extends Span {
  kind: 'map';
  entries: Entry[];
  style: 'block' | 'flow' | 'json';
  /** Set when this map is a CloudFormation short-form tag, e.g. `!Ref`, `!GetAtt`. */
  shortTag?: string;
}

export interface SeqNode extends Span {
  kind: 'seq';
  items: Node[];
  style: 'block' | 'flow' | 'json';
}

export type Node = ScalarNode | MapNode | SeqNode;

export interface SyntaxProblem extends Span {
  message: string;
}

export interface ParsedText {
  /** The root node, or undefined when nothing parsed. */
  root: Node | undefined;
  problems: SyntaxProblem[];
}

export function get(node: Node | undefined, key: string): Node | undefined {
  if (node?.kind !== 'map') return undefined;
  for (const entry of node.entries) if (entry.key.value === key) return entry.value;
  return undefined;
}

export function entryOf(node: Node | undefined, key: string): Entry | undefined {
  if (node?.kind !== 'map') return undefined;
  for (const entry of node.entries) if (entry.key.value === key) return entry;
  return undefined;
}

/** Items of a sequence, or the node itself when a single value stands where a list may be. */
export function items(node: Node | undefined): Node[] {
  if (!node) return [];
  if (node.kind === 'seq') return node.items;
  if (node.kind === 'scalar' && node.value === null) return [];
  return [node];
}

export function scalarString(node: Node | undefined): string | undefined {
  if (node?.kind !== 'scalar' || node.value === null) return undefined;
  return String(node.value);
}

export function isNull(node: Node | undefined): boolean {
  return node === undefined || (node.kind === 'scalar' && node.value === null);
}

/** Plain JSON value of a node, ignoring ranges (used for small literal sub-trees). */
export function toPlain(node: Node | undefined): unknown {
  if (!node) return undefined;
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'seq':
      return node.items.map(toPlain);
    case 'map': {
      const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const entry of node.entries) out[entry.key.value] = toPlain(entry.value);
      return out;
    }
  }
}

/** Depth-first walk; stops descending when the visitor returns false. */
export function walk(node: Node, visit: (node: Node, parent: Node | undefined) => boolean | void): void {
  const stack: [Node, Node | undefined][] = [[node, undefined]];
  while (stack.length) {
    const [current, parent] = stack.pop()!;
    if (visit(current, parent) === false) continue;
    if (current.kind === 'map') {
      for (let i = current.entries.length - 1; i >= 0; i--) stack.push([current.entries[i]!.value, current]);
    } else if (current.kind === 'seq') {
      for (let i = current.items.length - 1; i >= 0; i--) stack.push([current.items[i]!, current]);
    }
  }
}

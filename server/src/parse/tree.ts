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
  /**
   * How the scalar is written; fixes keep the style. `expr` is a Terraform (HCL) expression
   * that is not a literal (`var.x`, `cond ? a : b`, `jsonencode({...})`): its value is the
   * expression as Terraform JSON would write it (`${var.x}`) and `expr` holds its structure.
   * `heredoc` is an HCL `<<EOF` string.
   */
  style: 'plain' | 'single' | 'double' | 'block' | 'json' | 'expr' | 'heredoc';
  /** HCL only: the structure of an expression or a string template with interpolations. */
  expr?: Expression;
}

/**
 * A Terraform expression's structure (HCL), for the resolver. Operands are nodes of this tree
 * (literals, tuples, objects or nested expressions), so every part keeps its exact range.
 */
export type Expression =
  /** `var.x`, `local.a.b`, `aws_vpc.main.id`, `each.value`, `x[0]`, `x["k"]`. */
  | { type: 'traversal'; root: string; steps: (string | number | Node)[] }
  /** A reference bound to a node (a `dynamic` block's element, model/terraformDynamic.ts), then steps. */
  | { type: 'bound'; node: Node; steps: (string | number | Node)[] }
  | { type: 'call'; name: string; args: Node[] }
  | { type: 'conditional'; condition: Node; then: Node; else: Node }
  /** A string with `${...}` parts; literal parts are decoded text. */
  | { type: 'template'; parts: (string | Node)[] }
  /** `for` expressions, operators, splats: not evaluated (unknown). */
  | { type: 'other' };

export interface Entry extends Span {
  key: ScalarNode & { value: string };
  /** The value; a missing YAML value (`Key:`) is a null scalar spanning nothing after the colon. */
  value: Node;
}

export interface MapNode extends Span {
  kind: 'map';
  entries: Entry[];
  /** `hcl-block`: an HCL block body (`{` to `}`); `hcl`: an HCL object expression. */
  style: 'block' | 'flow' | 'json' | 'hcl' | 'hcl-block';
  /** Built by the model from written nodes (a rendered policy document): fixes never edit it. */
  synthetic?: boolean;
  /** Set when this map is a CloudFormation short-form tag, e.g. `!Ref`, `!GetAtt`. */
  shortTag?: string;
}

export interface SeqNode extends Span {
  kind: 'seq';
  items: Node[];
  /** `hcl`: an HCL tuple `[...]`; `hcl-blocks`: repeated HCL nested blocks of one type. */
  style: 'block' | 'flow' | 'json' | 'hcl' | 'hcl-blocks';
  /** See MapNode.synthetic. */
  synthetic?: boolean;
}

export type Node = ScalarNode | MapNode | SeqNode;

export interface SyntaxProblem extends Span {
  message: string;
  /** A problem the document can live with (a duplicate key): reported as a warning, not an error. */
  severity?: 'warning';
}

export interface ParsedText {
  /** The root node, or undefined when nothing parsed. */
  root: Node | undefined;
  problems: SyntaxProblem[];
}

/** The nodes an HCL expression is made of (its operands, arguments, template parts). */
export function operandsOf(expr: Expression): Node[] {
  switch (expr.type) {
    case 'bound':
      return [expr.node, ...expr.steps.filter((s): s is Node => typeof s === 'object')];
    case 'traversal':
      return expr.steps.filter((s): s is Node => typeof s === 'object');
    case 'call':
      return expr.args;
    case 'conditional':
      return [expr.condition, expr.then, expr.else];
    case 'template':
      return expr.parts.filter((p): p is Node => typeof p !== 'string');
    case 'other':
      return [];
  }
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

// Values through intrinsic functions (CloudFormation) and interpolation (Terraform JSON).
//
// A node resolves to a list of *possibilities*: each a value and how it was reached (a
// parameter's default, one of its AllowedValues, one branch of Fn::If). A value that cannot
// be known is UNKNOWN; it is never a finding by itself. Resource references resolve to
// ResourceRef so the graph can follow them.

import type { ModuleScope, Parameter, TemplateDocument } from '../model/document';
import type { Expression, Node, Span } from '../parse/tree';
import { get, items, scalarString, toPlain } from '../parse/tree';

export const UNKNOWN: unique symbol = Symbol('unknown');
/** CloudFormation `AWS::NoValue`: the property is treated as absent. */
export const NO_VALUE: unique symbol = Symbol('no-value');

export class ResourceRef {
  constructor(
    readonly id: string,
    readonly attribute?: string,
  ) {}
}

export type Value =
  | string
  | number
  | boolean
  | null
  | Value[]
  | { [key: string]: Value }
  | ResourceRef
  | typeof UNKNOWN
  | typeof NO_VALUE;

export type Via =
  | { kind: 'parameter-default'; parameter: Parameter }
  /** Terraform: the value a .tfvars file gives the variable. */
  | { kind: 'tfvars'; parameter: Parameter; node: Node; file: string }
  /** Terraform: the argument a `module` block passes for the module's variable. */
  | { kind: 'module-input'; parameter: Parameter; node: Node; module: string }
  | { kind: 'allowed-value'; parameter: Parameter; node: Node }
  | { kind: 'condition'; condition: string; branch: boolean; node: Node };

export interface Possibility {
  value: Value;
  via: Via[];
}

/** Caps the fan-out of combinations (Fn::Sub with several multi-valued parameters). */
const MAX_POSSIBILITIES = 32;
const MAX_DEPTH = 24;

/**
 * The `via` of a value reached directly, shared: most values are plain scalars, read on every
 * keystroke for every resource (no possibility's `via` is ever changed in place).
 */
const DIRECT: Via[] = Object.freeze([]) as unknown as Via[];

export function resolve(doc: TemplateDocument, node: Node | undefined): Possibility[] {
  if (!node) return [{ value: NO_VALUE, via: DIRECT }];
  // A plain scalar (most values): its value, without a resolver (resolveInScope gives the same).
  if (node.kind === 'scalar' && !node.expr && !isInterpolated(doc, node.value))
    return [{ value: node.value, via: DIRECT }];
  return new Resolver(doc).resolve(node, 0);
}

/** Terraform JSON: a string with `${...}` in it is an expression. */
function isInterpolated(doc: TemplateDocument, value: unknown): value is string {
  return doc.format === 'tf' && typeof value === 'string' && value.includes('${');
}

/** The element nodes of a list-valued property, each with its possible values. */
export interface ItemPossibilities {
  /** The node the item is written at (the use), for ranges. */
  node: Node;
  possibilities: Possibility[];
}

/**
 * Resolves a list property item by item. Literal list items keep their own nodes; a list that
 * comes from a parameter or variable as a whole is reported at the use.
 */
export function resolveItems(doc: TemplateDocument, node: Node | undefined): ItemPossibilities[] {
  if (!node) return [];
  if (node.kind === 'seq')
    return node.items.map((item) => ({ node: item, possibilities: resolve(doc, item) }));
  const out: ItemPossibilities[] = [];
  for (const possibility of resolve(doc, node)) {
    const value = possibility.value;
    if (Array.isArray(value))
      for (const v of value) out.push({ node, possibilities: [{ value: v, via: possibility.via }] });
    else if (value !== NO_VALUE) out.push({ node, possibilities: [possibility] });
  }
  return out;
}

/** Known string values only (for matching names, engines, protocols). */
export function knownStrings(possibilities: Possibility[]): string[] {
  const out: string[] = [];
  for (const p of possibilities)
    if (typeof p.value === 'string' || typeof p.value === 'number') out.push(String(p.value));
  return out;
}

class Resolver {
  constructor(private readonly doc: TemplateDocument) {}

  /** Terraform: the local module whose files hold the node being resolved (undefined: the root). */
  private scope: ModuleScope | undefined;

  resolve(node: Node, depth: number): Possibility[] {
    if (!this.doc.scopes) return this.resolveInScope(node, depth);
    const outer = this.scope;
    this.scope = scopeAt(this.doc.scopes, node.start);
    try {
      return this.resolveInScope(node, depth);
    } finally {
      this.scope = outer;
    }
  }

  private resolveInScope(node: Node, depth: number): Possibility[] {
    if (depth > MAX_DEPTH) return [{ value: UNKNOWN, via: [] }];
    if (node.kind === 'scalar') {
      if (node.expr) return this.expression(node.expr, depth);
      if (isInterpolated(this.doc, node.value)) return this.interpolate(node.value, depth);
      return [{ value: node.value, via: DIRECT }];
    }
    if (node.kind === 'seq') return this.combineList(node.items.map((i) => this.resolve(i, depth + 1)));
    if (this.doc.format === 'cfn' && node.entries.length === 1) {
      const entry = node.entries[0]!;
      const name = entry.key.value;
      if (name === 'Ref' || name.startsWith('Fn::')) return this.intrinsic(name, entry.value, depth);
    }
    // A literal map: resolve each value (first possibility each, keeping it simple and bounded).
    const out: { [key: string]: Value } = Object.create(null) as { [key: string]: Value };
    const via: Via[] = [];
    for (const entry of node.entries) {
      const first = this.resolve(entry.value, depth + 1)[0];
      if (first && first.value !== NO_VALUE) {
        out[entry.key.value] = first.value;
        via.push(...first.via);
      }
    }
    return [{ value: out, via }];
  }

  private intrinsic(name: string, arg: Node, depth: number): Possibility[] {
    const d = depth + 1;
    switch (name) {
      case 'Ref':
        return this.ref(scalarString(arg) ?? '', d);
      case 'Fn::GetAtt': {
        const parts =
          arg.kind === 'seq'
            ? arg.items.map((i) => scalarString(i) ?? '')
            : (scalarString(arg) ?? '').split('.');
        const [id = '', ...attribute] = parts;
        if (this.doc.resourcesById.has(id))
          return [{ value: new ResourceRef(id, attribute.join('.')), via: [] }];
        return [{ value: UNKNOWN, via: [] }];
      }
      case 'Fn::If': {
        const [conditionNode, whenTrue, whenFalse] = items(arg);
        const condition = scalarString(conditionNode) ?? '';
        const out: Possibility[] = [];
        for (const [branch, n] of [
          [true, whenTrue],
          [false, whenFalse],
        ] as const) {
          if (!n) continue;
          for (const p of this.resolve(n, d))
            out.push({ value: p.value, via: [{ kind: 'condition', condition, branch, node: n }, ...p.via] });
        }
        return cap(out);
      }
      case 'Fn::Sub':
        return this.sub(arg, d);
      case 'Fn::Join': {
        const [delimiterNode, listNode] = items(arg);
        const delimiter = scalarString(delimiterNode) ?? '';
        if (!listNode) return [{ value: UNKNOWN, via: [] }];
        return this.resolve(listNode, d).map((p) => ({
          value:
            Array.isArray(p.value) && p.value.every(isPrimitive)
              ? p.value.map(String).join(delimiter)
              : UNKNOWN,
          via: p.via,
        }));
      }
      case 'Fn::Select': {
        const [indexNode, listNode] = items(arg);
        if (!indexNode || !listNode) return [{ value: UNKNOWN, via: [] }];
        const out: Possibility[] = [];
        for (const index of this.resolve(indexNode, d)) {
          const i =
            typeof index.value === 'number' || typeof index.value === 'string' ? Number(index.value) : NaN;
          for (const list of this.resolve(listNode, d)) {
            const value =
              Array.isArray(list.value) && Number.isInteger(i) && i >= 0 && i < list.value.length
                ? list.value[i]!
                : UNKNOWN;
            out.push({ value, via: [...index.via, ...list.via] });
          }
        }
        return cap(out);
      }
      case 'Fn::Split': {
        const [delimiterNode, sourceNode] = items(arg);
        const delimiter = scalarString(delimiterNode);
        if (delimiter === undefined || !sourceNode) return [{ value: UNKNOWN, via: [] }];
        return this.resolve(sourceNode, d).map((p) => ({
          value: typeof p.value === 'string' ? p.value.split(delimiter) : UNKNOWN,
          via: p.via,
        }));
      }
      case 'Fn::FindInMap': {
        const [mapNode, topNode, secondNode] = items(arg);
        if (!mapNode || !topNode || !secondNode) return [{ value: UNKNOWN, via: [] }];
        const out: Possibility[] = [];
        for (const m of this.resolve(mapNode, d))
          for (const t of this.resolve(topNode, d))
            for (const s of this.resolve(secondNode, d)) {
              const via = [...m.via, ...t.via, ...s.via];
              if (typeof m.value !== 'string' || !isPrimitive(t.value) || !isPrimitive(s.value)) {
                out.push({ value: UNKNOWN, via });
                continue;
              }
              const found = get(get(get(this.doc.mappings, m.value), String(t.value)), String(s.value));
              if (!found) out.push({ value: UNKNOWN, via });
              else
                for (const p of this.resolve(found, d)) out.push({ value: p.value, via: [...via, ...p.via] });
            }
        return cap(out);
      }
      case 'Fn::Base64':
      case 'Fn::ToJsonString':
        return this.resolve(arg, d);
      default:
        // Fn::GetAZs, Fn::ImportValue, Fn::Cidr, Fn::Transform, Fn::Length, conditions ...
        return [{ value: UNKNOWN, via: [] }];
    }
  }

  private ref(name: string, depth: number): Possibility[] {
    switch (name) {
      case 'AWS::NoValue':
        return [{ value: NO_VALUE, via: [] }];
      case 'AWS::URLSuffix':
        return [{ value: 'amazonaws.com', via: [] }];
      case 'AWS::Partition':
      case 'AWS::Region':
      case 'AWS::AccountId':
      case 'AWS::StackName':
      case 'AWS::StackId':
      case 'AWS::NotificationARNs':
        return [{ value: UNKNOWN, via: [] }];
    }
    const parameter = this.doc.parameters.get(name);
    if (parameter) return this.parameter(parameter, depth);
    if (this.doc.resourcesById.has(name)) return [{ value: new ResourceRef(name), via: [] }];
    return [{ value: UNKNOWN, via: [] }];
  }

  private parameter(parameter: Parameter, depth: number): Possibility[] {
    const out: Possibility[] = [];
    const input = parameter.input;
    if (input) {
      // A module's variable takes what the calling module block passes (resolved where it is written).
      for (const p of this.resolve(input.node, depth))
        out.push({
          value: p.value,
          via: [{ kind: 'module-input', parameter, node: input.node, module: input.module }, ...p.via],
        });
      return cap(out);
    }
    const tfvars = parameter.tfvars;
    if (tfvars) {
      // Terraform: a value from a .tfvars file replaces the default.
      for (const p of this.resolve(tfvars.node, depth))
        out.push({
          value: p.value,
          via: [{ kind: 'tfvars', parameter, node: tfvars.node, file: tfvars.file }, ...p.via],
        });
      return cap(out);
    }
    if (parameter.default) {
      for (const p of this.resolve(parameter.default, depth))
        out.push({ value: p.value, via: [{ kind: 'parameter-default', parameter }, ...p.via] });
    }
    for (const allowed of parameter.allowedValues) {
      const plain = toPlain(allowed) as Value;
      if (out.some((o) => o.value === plain)) continue;
      out.push({ value: plain, via: [{ kind: 'allowed-value', parameter, node: allowed }] });
    }
    if (!out.length) out.push({ value: UNKNOWN, via: [] });
    // A CommaDelimitedList parameter's default is one string that CloudFormation splits.
    const type = scalarString(get(parameter.node, 'Type')) ?? '';
    if (this.doc.format === 'cfn' && (type === 'CommaDelimitedList' || type.startsWith('List<')))
      return out.map((p) => ({
        ...p,
        value: typeof p.value === 'string' ? p.value.split(',').map((s) => s.trim()) : p.value,
      }));
    return cap(out);
  }

  private sub(arg: Node, depth: number): Possibility[] {
    const [templateNode, varsNode] = arg.kind === 'seq' ? arg.items : [arg, undefined];
    const template = scalarString(templateNode);
    if (template === undefined) return [{ value: UNKNOWN, via: [] }];
    return this.substitute(template, /\$\{(?!!)([^}]+)\}/g, (name) => {
      const local = get(varsNode, name);
      if (local) return this.resolve(local, depth);
      if (name.includes('.')) {
        const [id = '', ...attribute] = name.split('.');
        return [
          {
            value: this.doc.resourcesById.has(id) ? new ResourceRef(id, attribute.join('.')) : UNKNOWN,
            via: [],
          },
        ];
      }
      return this.ref(name, depth);
    });
  }

  /** Terraform `"${var.x}"`, `"${local.y}"`, `"${aws_vpc.main.id}"`, inside or as a whole string. */
  private interpolate(text: string, depth: number): Possibility[] {
    return this.substitute(text, /\$\{([^}]*)\}/g, (expression) => {
      const e = expression.trim();
      let m = /^var\.([A-Za-z0-9_-]+)$/.exec(e);
      if (m) return this.variable(m[1]!, depth);
      m = /^local\.([A-Za-z0-9_-]+)$/.exec(e);
      if (m) return this.local(m[1]!, depth);
      m = /^([a-z][a-z0-9_]*\.[A-Za-z0-9_-]+)(?:\[\d+\])?(?:\.([A-Za-z0-9_.]+))?$/.exec(e);
      const id = m ? this.resourceId(m[1]!) : undefined;
      if (id) return this.resourceAttribute(id, m![2], depth);
      return [{ value: UNKNOWN, via: [] }];
    });
  }

  private variable(name: string, depth: number): Possibility[] {
    const variable = (this.scope?.parameters ?? this.doc.parameters).get(name);
    return variable ? this.parameter(variable, depth) : [{ value: UNKNOWN, via: [] }];
  }

  private local(name: string, depth: number): Possibility[] {
    const local = (this.scope?.locals ?? this.doc.locals).get(name);
    return local ? this.resolve(local, depth + 1) : [{ value: UNKNOWN, via: [] }];
  }

  /** A resource address as written, in the current module's namespace; undefined when not in the model. */
  private resourceId(address: string): string | undefined {
    const id = this.scope ? `${this.scope.prefix}${address}` : address;
    return this.doc.resourcesById.has(id) ? id : undefined;
  }

  private resourceAttribute(id: string, attribute: string | undefined, depth: number): Possibility[] {
    const resource = this.doc.resourcesById.get(id)!;
    // A literal attribute of a resource in the same file is its value; ids stay references.
    const literal = attribute && !attribute.includes('.') ? get(resource.properties, attribute) : undefined;
    if (literal && attribute !== 'id' && attribute !== 'arn') return this.resolve(literal, depth + 1);
    return [{ value: new ResourceRef(id, attribute), via: [] }];
  }

  /** An HCL expression (parse/hcl.ts): references, calls we know, conditionals, templates. */
  private expression(expr: Expression, depth: number): Possibility[] {
    const d = depth + 1;
    switch (expr.type) {
      case 'traversal':
        return this.traversal(expr.root, expr.steps, d);
      case 'bound':
        return this.steps(this.resolve(expr.node, d), expr.steps, d);
      case 'conditional': {
        const condition = conditionText(expr.condition);
        const out: Possibility[] = [];
        for (const [branch, n] of [
          [true, expr.then],
          [false, expr.else],
        ] as const)
          for (const p of this.resolve(n, d))
            out.push({ value: p.value, via: [{ kind: 'condition', condition, branch, node: n }, ...p.via] });
        return cap(out);
      }
      case 'template': {
        let acc: Possibility[] = [{ value: '', via: [] }];
        for (const part of expr.parts) {
          const ps = typeof part === 'string' ? [{ value: part, via: [] }] : this.resolve(part, d);
          const next: Possibility[] = [];
          for (const a of acc)
            for (const p of ps)
              next.push({
                value:
                  typeof a.value === 'string' && isPrimitive(p.value) && p.value !== null
                    ? a.value + String(p.value)
                    : UNKNOWN,
                via: [...a.via, ...p.via],
              });
          acc = cap(next);
        }
        return acc;
      }
      case 'call':
        return this.call(expr.name, expr.args, d);
      case 'other':
        return [{ value: UNKNOWN, via: [] }];
    }
  }

  private traversal(root: string, steps: (string | number | Node)[], depth: number): Possibility[] {
    let base: Possibility[];
    let rest = steps;
    const first = steps[0];
    if (root === 'var' && typeof first === 'string') {
      base = this.variable(first, depth);
      rest = steps.slice(1);
    } else if (root === 'local' && typeof first === 'string') {
      base = this.local(first, depth);
      rest = steps.slice(1);
    } else if (typeof first === 'string' && this.resourceId(`${root}.${first}`)) {
      // aws_x.name[0].attr: count indexes pick an instance of the same resource.
      let i = 1;
      while (typeof steps[i] === 'number') i++;
      const attribute = steps.slice(i).filter((s) => typeof s === 'string');
      return this.resourceAttribute(
        this.resourceId(`${root}.${first}`)!,
        attribute.length ? attribute.join('.') : undefined,
        depth,
      );
    } else return [{ value: UNKNOWN, via: [] }];
    return this.steps(base, rest, depth);
  }

  /** Attribute and index steps applied to resolved values. */
  private steps(base: Possibility[], steps: (string | number | Node)[], depth: number): Possibility[] {
    for (const step of steps) {
      const keys = typeof step === 'object' ? this.resolve(step, depth) : [{ value: step, via: [] }];
      const next: Possibility[] = [];
      for (const b of base)
        for (const k of keys) next.push({ value: indexValue(b.value, k.value), via: [...b.via, ...k.via] });
      base = cap(next);
    }
    return base;
  }

  /** Terraform functions whose result matters for findings; anything else is unknown. */
  private call(name: string, args: Node[], depth: number): Possibility[] {
    const all = args.map((a) => this.resolve(a, depth));
    const firsts = (): Possibility[] => {
      // Each argument's possibilities, combined (first of each, plus one alternative at a time).
      const base = all.map((ps): Possibility => ps[0] ?? { value: UNKNOWN, via: [] });
      const combos: Possibility[][] = [base];
      all.forEach((ps, i) => {
        for (const alt of ps.slice(1)) combos.push(base.map((b, j) => (j === i ? alt : b)));
      });
      return combos.slice(0, MAX_POSSIBILITIES).map((c) => ({
        value: c.map((p) => p.value) as Value[],
        via: c.flatMap((p) => p.via),
      }));
    };
    const apply = (fn: (values: Value[]) => Value): Possibility[] =>
      firsts().map((p) => {
        const values = p.value as Value[];
        return { value: values.some((v) => v === UNKNOWN) ? UNKNOWN : fn(values), via: p.via };
      });
    switch (name) {
      case 'tolist':
      case 'toset':
      case 'tomap':
      case 'tostring':
      case 'sensitive':
      case 'nonsensitive':
        return all[0] ?? [{ value: UNKNOWN, via: [] }];
      case 'concat':
        return apply((vs) => (vs.every(Array.isArray) ? (vs as Value[][]).flat() : UNKNOWN));
      case 'flatten':
        return apply(([v]) => (Array.isArray(v) ? (v.flat(8) as Value[]) : UNKNOWN));
      case 'distinct':
        return apply(([v]) => (Array.isArray(v) ? [...new Set(v)] : UNKNOWN));
      case 'merge':
        return apply((vs) =>
          vs.every(isObjectValue)
            ? (Object.assign(Object.create(null), ...vs) as { [k: string]: Value })
            : UNKNOWN,
        );
      case 'lookup':
        return apply(([map, key, fallback]) => {
          if (!isObjectValue(map) || (typeof key !== 'string' && typeof key !== 'number')) return UNKNOWN;
          const found = Object.prototype.hasOwnProperty.call(map, String(key)) ? map[String(key)] : undefined;
          return found ?? fallback ?? UNKNOWN;
        });
      case 'element':
        return apply(([list, index]) =>
          Array.isArray(list) && list.length && typeof index === 'number'
            ? list[((index % list.length) + list.length) % list.length]!
            : UNKNOWN,
        );
      case 'lower':
        return apply(([v]) => (typeof v === 'string' ? v.toLowerCase() : UNKNOWN));
      case 'upper':
        return apply(([v]) => (typeof v === 'string' ? v.toUpperCase() : UNKNOWN));
      case 'tonumber':
        return apply(([v]) =>
          typeof v === 'number'
            ? v
            : typeof v === 'string' && v.trim() !== '' && !isNaN(Number(v))
              ? Number(v)
              : UNKNOWN,
        );
      case 'jsonencode':
        return apply(([v]) => (v !== undefined && isPlainJson(v) ? JSON.stringify(v) : UNKNOWN));
      case 'cidrsubnet':
        return apply(([prefix, newbits, netnum]) =>
          typeof prefix === 'string' && typeof newbits === 'number' && typeof netnum === 'number'
            ? (cidrSubnet(prefix, newbits, netnum) ?? UNKNOWN)
            : UNKNOWN,
        );
      default:
        return [{ value: UNKNOWN, via: [] }];
    }
  }

  /**
   * Replaces each `${...}` in a template. A template that is exactly one reference keeps the
   * referenced value's type (a list stays a list, a resource reference stays a reference).
   */
  private substitute(
    template: string,
    pattern: RegExp,
    lookup: (name: string) => Possibility[],
  ): Possibility[] {
    const parts: (string | Possibility[])[] = [];
    let last = 0;
    for (const match of template.matchAll(pattern)) {
      parts.push(template.slice(last, match.index));
      parts.push(lookup(match[1]!));
      last = match.index + match[0].length;
    }
    parts.push(template.slice(last));
    const literal = (s: string): string => (pattern.source.includes('(?!!)') ? s.replace(/\$\{!/g, '${') : s);
    if (parts.length === 3 && parts[0] === '' && parts[2] === '') return parts[1] as Possibility[];
    if (parts.length === 1) return [{ value: literal(template), via: [] }];
    let acc: Possibility[] = [{ value: '', via: [] }];
    for (const part of parts) {
      if (typeof part === 'string') {
        acc = acc.map((a) => ({
          value: typeof a.value === 'string' ? a.value + literal(part) : UNKNOWN,
          via: a.via,
        }));
        continue;
      }
      const next: Possibility[] = [];
      for (const a of acc)
        for (const p of part)
          next.push({
            value:
              typeof a.value === 'string' && isPrimitive(p.value) && p.value !== null
                ? a.value + String(p.value)
                : UNKNOWN,
            via: [...a.via, ...p.via],
          });
      acc = cap(next);
    }
    return acc;
  }

  private combineList(itemPossibilities: Possibility[][]): Possibility[] {
    // A list's possibilities: the first possibility of each item, plus, for each item with
    // alternatives, the variants that swap in one alternative (bounded, keeps every value seen).
    const first = itemPossibilities.map((ps) => ps[0] ?? { value: UNKNOWN, via: [] });
    const base: Possibility = {
      value: first.filter((p) => p.value !== NO_VALUE).map((p) => p.value) as Value[],
      via: first.flatMap((p) => p.via),
    };
    const out = [base];
    itemPossibilities.forEach((ps, index) => {
      for (const alternative of ps.slice(1)) {
        const values = first
          .map((p, i) => (i === index ? alternative : p))
          .filter((p) => p.value !== NO_VALUE);
        out.push({ value: values.map((p) => p.value) as Value[], via: values.flatMap((p) => p.via) });
      }
    });
    return cap(out);
  }
}

/** The related-information message that names a module argument a finding rests on (unit/module.ts). */
export const MODULE_INPUT = 'Input';

function scopeAt(scopes: ModuleScope[], offset: number): ModuleScope | undefined {
  // Few scopes: a scan from the end finds the innermost (nested modules come after their callers).
  for (let i = scopes.length - 1; i >= 0; i--) {
    const s = scopes[i]!;
    if (offset >= s.start && offset < s.end) return s;
  }
  return undefined;
}

function isObjectValue(value: Value | undefined): value is { [key: string]: Value } {
  return (
    value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof ResourceRef)
  );
}

/** True when a value has no unknown part and no reference (it can be written as JSON). */
function isPlainJson(value: Value): boolean {
  if (value === UNKNOWN || value === NO_VALUE || value instanceof ResourceRef) return false;
  if (Array.isArray(value)) return value.every(isPlainJson);
  if (value !== null && typeof value === 'object') return Object.values(value).every(isPlainJson);
  return true;
}

/** `list[i]`, `map["k"]`, `obj.attr` on a resolved value. */
function indexValue(value: Value, key: Value): Value {
  if (Array.isArray(value) && typeof key === 'number') return value[key] ?? UNKNOWN;
  if (isObjectValue(value) && (typeof key === 'string' || typeof key === 'number'))
    return Object.prototype.hasOwnProperty.call(value, String(key)) ? value[String(key)]! : UNKNOWN;
  return UNKNOWN;
}

/** Terraform's cidrsubnet for IPv4; undefined when it does not apply. */
function cidrSubnet(prefix: string, newbits: number, netnum: number): string | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(prefix.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const length = Number(m[5]);
  const newLength = length + newbits;
  if (octets.some((o) => o > 255) || newLength > 32 || netnum < 0 || netnum >= 2 ** newbits) return undefined;
  const base = octets.reduce((acc, o) => acc * 256 + o, 0);
  const mask = length === 0 ? 0 : 2 ** 32 - 2 ** (32 - length);
  const network = Math.floor(base / 2 ** (32 - length)) * 2 ** (32 - length);
  void mask;
  const address = network + netnum * 2 ** (32 - newLength);
  const parts = [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256);
  return `${parts.join('.')}/${newLength}`;
}

/** The condition of an HCL conditional as written, for messages ("condition var.env == "prod" being true"). */
function conditionText(node: Node): string {
  if (node.kind === 'scalar' && typeof node.value === 'string' && node.style === 'expr')
    return node.value.slice(2, -1);
  return String(toPlain(node));
}

function isPrimitive(value: Value): value is string | number | boolean | null {
  return (
    value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
  );
}

function cap(possibilities: Possibility[]): Possibility[] {
  return possibilities.length > MAX_POSSIBILITIES ? possibilities.slice(0, MAX_POSSIBILITIES) : possibilities;
}

/** One step of how a value came about, for messages: "the default of X", "when condition C is true". */
export function viaPhrase(v: Via): string {
  switch (v.kind) {
    case 'parameter-default':
      return `the default of ${v.parameter.name}`;
    case 'tfvars':
      return `the value of ${v.parameter.name} in ${v.file}`;
    case 'module-input':
      return `the value passed to module ${v.module} as ${v.parameter.name}`;
    case 'allowed-value':
      return `an allowed value of ${v.parameter.name}`;
    case 'condition':
      return `when condition ${v.condition} is ${v.branch}`;
  }
}

/** How a possibility came about, in words, for messages ("through parameter X's default"). */
export function describeVia(via: Via[]): string {
  const parts: string[] = [];
  for (const v of via) {
    if (v.kind === 'parameter-default') parts.push(`the default of ${v.parameter.name}`);
    else if (v.kind === 'tfvars') parts.push(`the value of ${v.parameter.name} in ${v.file}`);
    else if (v.kind === 'module-input')
      parts.push(`the value passed to module ${v.module} as ${v.parameter.name}`);
    else if (v.kind === 'allowed-value') parts.push(`an allowed value of ${v.parameter.name}`);
    else parts.push(`condition ${v.condition} being ${v.branch}`);
  }
  return parts.join(', ');
}

/**
 * The evidence a value rests on, as related information: the parameter default or allowed
 * value, the condition branch. Shown next to findings that hold only through them.
 */
export function viaEvidence(via: Via[]): { span: Span; message: string }[] {
  const out: { span: Span; message: string }[] = [];
  for (const v of via) {
    if (v.kind === 'parameter-default' && v.parameter.default)
      out.push({ span: v.parameter.default, message: `Default of ${v.parameter.name}` });
    else if (v.kind === 'tfvars')
      out.push({ span: v.node, message: `Value of ${v.parameter.name} in ${v.file}` });
    else if (v.kind === 'module-input')
      out.push({ span: v.node, message: `${MODULE_INPUT} ${v.parameter.name} of module ${v.module}` });
    else if (v.kind === 'allowed-value')
      out.push({ span: v.node, message: `Allowed value of ${v.parameter.name}` });
    else if (v.kind === 'condition')
      out.push({ span: v.node, message: `Value when condition ${v.condition} is ${v.branch}` });
  }
  return out;
}

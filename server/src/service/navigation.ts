// Document symbols (Parameters, Resources by type) and go-to-definition for Ref / GetAtt /
// ${...} in Fn::Sub and Terraform `${var.x}` / `${type.name.attr}`.

import { SymbolKind, type DocumentSymbol, type Position } from 'vscode-languageserver-types';
import type { TemplateDocument } from '../model/document';
import type { Expression, Node, Span } from '../parse/tree';
import { operandsOf } from '../parse/tree';

/**
 * Resources listed in the outline at most: the work per request stays bounded (tens of
 * milliseconds) on the largest file we check; the rest is summed up in one last symbol.
 */
export const MAX_SYMBOLS = 25_000;

/** The outline: Parameters, then resources grouped by type. Linear in the resources. */
export function documentSymbols(doc: TemplateDocument): DocumentSymbol[] {
  const range = (span: Span) => ({
    start: doc.lines.positionAt(span.start),
    end: doc.lines.positionAt(span.end),
  });
  const symbols: DocumentSymbol[] = [];
  if (doc.parameters.size) {
    const children = [...doc.parameters.values()].map((p) => ({
      name: p.name,
      kind: SymbolKind.Variable,
      range: range({ start: p.keyNode.start, end: Math.max(p.node.end, p.keyNode.end) }),
      selectionRange: range(p.keyNode),
    }));
    const first = children[0]!;
    const last = children[children.length - 1]!;
    symbols.push({
      name: doc.format === 'cfn' ? 'Parameters' : 'variable',
      kind: SymbolKind.Namespace,
      range: { start: first.range.start, end: last.range.end },
      selectionRange: first.selectionRange,
      children,
    });
  }
  const byType = new Map<string, DocumentSymbol[]>();
  let listed = 0;
  let omitted = 0;
  let firstOmitted: (typeof doc.resources)[number] | undefined;
  for (const r of doc.resources) {
    if (r.origin) continue; // derived from a written resource (SAM), which has the symbol
    if (listed >= MAX_SYMBOLS) {
      omitted++;
      firstOmitted ??= r;
      continue;
    }
    listed++;
    const symbol: DocumentSymbol = {
      name: r.id,
      detail: r.type,
      kind: SymbolKind.Object,
      range: range({
        start: Math.min(r.keyNode.start, r.node.start),
        end: Math.max(r.node.end, r.keyNode.end),
      }),
      selectionRange: range(r.keyNode),
    };
    const list = byType.get(r.type);
    if (list) list.push(symbol);
    else byType.set(r.type, [symbol]);
  }
  for (const [type, children] of byType) {
    symbols.push({
      name: type,
      kind: SymbolKind.Class,
      range: { start: children[0]!.range.start, end: children[children.length - 1]!.range.end },
      selectionRange: children[0]!.selectionRange,
      children,
    });
  }
  if (firstOmitted) {
    const last = doc.resources[doc.resources.length - 1]!;
    symbols.push({
      name: `${omitted} more resources (not listed: the outline shows the first ${MAX_SYMBOLS})`,
      kind: SymbolKind.Namespace,
      range: range({ start: firstOmitted.keyNode.start, end: Math.max(last.node.end, last.keyNode.end) }),
      selectionRange: range(firstOmitted.keyNode),
    });
  }
  if (doc.format === 'tf') symbols.push(...terraformBlocks(doc, range));
  return symbols;
}

const TERRAFORM_BLOCKS: Record<string, { prefix: string; kind: SymbolKind; labels: number }> = {
  data: { prefix: 'data.', kind: SymbolKind.Object, labels: 2 },
  module: { prefix: 'module.', kind: SymbolKind.Module, labels: 1 },
  output: { prefix: 'output.', kind: SymbolKind.Property, labels: 1 },
  locals: { prefix: 'local.', kind: SymbolKind.Variable, labels: 1 },
};

/** Terraform: data sources, module calls, outputs and locals of this file, a group each. */
function terraformBlocks(
  doc: TemplateDocument,
  range: (span: Span) => { start: Position; end: Position },
): DocumentSymbol[] {
  const groups = new Map<string, DocumentSymbol[]>();
  const root = doc.root;
  for (const section of root?.kind === 'map' ? root.entries : []) {
    const shape = TERRAFORM_BLOCKS[section.key.value];
    if (!shape || section.value.kind !== 'map') continue;
    const add = (name: string, key: Span, span: Span): void => {
      const symbol: DocumentSymbol = {
        name,
        kind: shape.kind,
        range: range(span),
        selectionRange: range(key),
      };
      const list = groups.get(section.key.value);
      if (list) list.push(symbol);
      else groups.set(section.key.value, [symbol]);
    };
    for (const first of section.value.entries) {
      if (shape.labels === 1) add(`${shape.prefix}${first.key.value}`, first.key, first);
      else if (first.value.kind === 'map')
        for (const second of first.value.entries)
          add(`${shape.prefix}${first.key.value}.${second.key.value}`, second.key, second);
    }
  }
  return [...groups].map(([name, children]) => ({
    name,
    kind: SymbolKind.Namespace,
    range: { start: children[0]!.range.start, end: children[children.length - 1]!.range.end },
    selectionRange: children[0]!.selectionRange,
    children,
  }));
}

/** Where the reference under the cursor is defined. */
export function definitionAt(doc: TemplateDocument, offset: number): Span[] {
  const node = scalarAt(doc.root, offset);
  if (!node || typeof node.value !== 'string') return [];
  const target = node.expr
    ? hclReferenceAt(node, offset)
    : referencedName(doc, node.value, offset - node.start, node.parentKey);
  if (!target) return [];
  const parameter = doc.parameters.get(target);
  if (parameter) return [parameter.keyNode];
  const resource = doc.resourcesById.get(target);
  if (resource) return [resource.keyNode];
  const local = doc.locals.get(target.replace(/^local\./, ''));
  if (local && target.startsWith('local.')) return [local];
  const condition = doc.conditions.get(target);
  if (condition) return [condition];
  return [];
}

function referencedName(
  doc: TemplateDocument,
  value: string,
  at: number,
  parentKey: string | undefined,
): string | undefined {
  if (doc.format === 'cfn') {
    if (parentKey === 'Ref' || parentKey === 'Condition') return value;
    if (parentKey === 'Fn::GetAtt') return value.split('.')[0];
    if (parentKey === 'Fn::If') return value;
  }
  // ${Name}, ${Name.Attr} (Fn::Sub) and ${var.x}, ${local.x}, ${type.name.attr} (Terraform).
  for (const m of value.matchAll(/\$\{([^}]*)\}/g)) {
    if (at < m.index || at > m.index + m[0].length) continue;
    const expression = m[1]!.trim();
    if (doc.format === 'cfn') return expression.split('.')[0];
    const parts = expression.split('.');
    if (parts[0] === 'var') return parts[1];
    if (parts[0] === 'local') return `local.${parts[1]}`;
    return parts
      .slice(0, 2)
      .join('.')
      .replace(/\[\d+\]$/, '');
  }
  if (doc.format === 'cfn' && parentKey === 'Fn::Sub') return undefined;
  return undefined;
}

/** HCL: the reference (`var.x`, `local.y`, `type.name`) under the cursor inside an expression. */
function hclReferenceAt(node: Node, offset: number): string | undefined {
  let current: Node | undefined = node;
  for (let depth = 0; current && depth < 64; depth++) {
    if (current.kind !== 'scalar' || !current.expr) return undefined;
    const expr: Expression = current.expr;
    if (expr.type === 'traversal') {
      const inside: Node | undefined = expr.steps.find(
        (s): s is Node => typeof s === 'object' && s.start <= offset && offset <= s.end,
      );
      if (inside) {
        current = inside;
        continue;
      }
      const [first] = expr.steps;
      if (typeof first !== 'string') return undefined;
      if (expr.root === 'var') return first;
      if (expr.root === 'local') return `local.${first}`;
      return `${expr.root}.${first}`;
    }
    current = operandsOf(expr).find((o) => o.start <= offset && offset <= o.end);
    // An operand that is a map or list (jsonencode({ ... })): look for the scalar under the cursor.
    if (current && current.kind !== 'scalar') current = scalarAt(current, offset);
  }
  return undefined;
}

function scalarAt(
  root: Node | undefined,
  offset: number,
): (Node & { kind: 'scalar'; parentKey?: string }) | undefined {
  let current: Node | undefined = root;
  let parentKey: string | undefined;
  while (current) {
    if (current.kind === 'scalar')
      return current.start <= offset && offset <= current.end ? { ...current, parentKey } : undefined;
    let next: Node | undefined;
    if (current.kind === 'map') {
      for (const entry of current.entries) {
        if (entry.value.start <= offset && offset <= entry.value.end) {
          next = entry.value;
          parentKey = entry.key.value;
        }
      }
    } else {
      // List items under an intrinsic (GetAtt [A, B], If [Cond, ...]) keep the intrinsic as parent key.
      const index = current.items.findIndex((i) => i.start <= offset && offset <= i.end);
      next = current.items[index];
      if (parentKey === 'Fn::GetAtt' && index > 0) return undefined;
      if (parentKey === 'Fn::If' && index > 0) parentKey = undefined;
      if (parentKey === 'Fn::Sub' && index > 0) parentKey = undefined;
    }
    current = next;
  }
  return undefined;
}

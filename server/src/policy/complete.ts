// Completion inside policies, from the bundled catalogue: service prefixes and action names in
// Action / NotAction values, condition operators under Condition, condition keys under an
// operator. Works on the string the cursor is in (quotes closed, as editors type them), in every
// place a policy appears, inside Terraform strings too.

import { Facts } from '../facts';
import type { TemplateDocument } from '../model/document';
import type { Node, ScalarNode } from '../parse/tree';
import { items } from '../parse/tree';
import { catalog } from './catalog';
import { policies, type PolicyDocument, type Statement } from './extract';
import { allOperators } from './grammar';
import { actionMarkdown, keyMarkdown, operatorMarkdown } from './hover';

export interface PolicyCompletionItem {
  label: string;
  kind: 'service' | 'action' | 'operator' | 'key';
  detail?: string;
  documentation?: string;
}

export interface PolicyCompletion {
  items: PolicyCompletionItem[];
  /** The range the chosen label replaces (the string's content). */
  start: number;
  end: number;
}

const MAX_ITEMS = 500;
const facts = new WeakMap<TemplateDocument, Facts>();

export function policyCompletionAt(doc: TemplateDocument, offset: number): PolicyCompletion | undefined {
  let f = facts.get(doc);
  if (!f) {
    f = new Facts(doc);
    facts.set(doc, f);
  }
  for (const policy of policies(f)) {
    const outer = policy.embedded?.stringNode ?? policy.node;
    if (offset < outer.start || offset > outer.end) continue;
    for (const statement of policy.statements) {
      if (offset < statement.node.start || offset > statement.node.end) continue;
      const hit = inStatement(doc, policy, statement, offset);
      if (hit) return hit;
    }
  }
  return undefined;
}

function inStatement(
  doc: TemplateDocument,
  policy: PolicyDocument,
  statement: Statement,
  offset: number,
): PolicyCompletion | undefined {
  for (const entry of statement.node.entries) {
    const name = entry.key.value;
    if ((name === 'Action' || name === 'NotAction') && within(entry.value, offset)) {
      for (const item of items(entry.value))
        if (item.kind === 'scalar' && within(item, offset)) return actions(doc, policy, item, offset);
    }
    if (name === 'Condition' && entry.value.kind === 'map' && within(entry.value, offset)) {
      for (const operatorEntry of entry.value.entries) {
        if (within(operatorEntry.key, offset)) return operators(doc, operatorEntry.key, offset);
        const block = operatorEntry.value;
        if (block.kind !== 'map' || !within(block, offset)) continue;
        for (const keyEntry of block.entries)
          if (within(keyEntry.key, offset)) return keys(doc, policy, statement, keyEntry.key, offset);
      }
    }
  }
  return undefined;
}

function within(node: { start: number; end: number }, offset: number): boolean {
  return node.start <= offset && offset <= node.end;
}

/** The content range of a scalar (inside its quotes; `\"` quotes inside a JSON string host). */
function content(doc: TemplateDocument, node: ScalarNode): { start: number; end: number } {
  const text = doc.text;
  let start = node.start;
  let end = node.end;
  if (text.startsWith('\\"', start) && text.startsWith('\\"', end - 2) && end - start >= 4)
    return { start: start + 2, end: end - 2 };
  const q = text[start];
  if ((q === '"' || q === "'") && text[end - 1] === q && end - start >= 2) {
    start++;
    end--;
  }
  return { start, end };
}

function typed(doc: TemplateDocument, range: { start: number; end: number }, offset: number): string {
  return doc.text.slice(range.start, Math.max(range.start, Math.min(offset, range.end)));
}

function actions(
  doc: TemplateDocument,
  policy: PolicyDocument,
  node: ScalarNode,
  offset: number,
): PolicyCompletion | undefined {
  if (policy.embedded?.unknown.has(node)) return undefined;
  const range = content(doc, node);
  const prefix = typed(doc, range, offset);
  const cat = catalog();
  const colon = prefix.indexOf(':');
  if (colon < 0) {
    const lower = prefix.toLowerCase();
    const out = cat
      .servicePrefixes()
      .filter((p) => p.startsWith(lower))
      .slice(0, MAX_ITEMS)
      .map((p) => ({ label: `${p}:`, kind: 'service' as const, detail: cat.serviceName(p) }));
    return { items: out, ...range };
  }
  const service = prefix.slice(0, colon);
  if (!cat.hasService(service)) return undefined;
  const start = prefix.slice(colon + 1).toLowerCase();
  const out = cat
    .actionNames(service)
    .filter((n) => n.toLowerCase().startsWith(start))
    .slice(0, MAX_ITEMS)
    .map((n) => {
      const info = cat.action(service, n)!;
      return {
        label: `${service}:${n}`,
        kind: 'action' as const,
        detail: `${info.accessLevel}: ${info.description}`,
        documentation: actionMarkdown(`${service}:${n}`),
      };
    });
  return { items: out, ...range };
}

function operators(doc: TemplateDocument, node: ScalarNode, offset: number): PolicyCompletion {
  const range = content(doc, node);
  const prefix = typed(doc, range, offset).toLowerCase();
  const names = [
    ...allOperators(),
    ...['ForAnyValue:', 'ForAllValues:'].flatMap((s) =>
      allOperators()
        .filter((o) => o !== 'Null')
        .map((o) => s + o),
    ),
  ];
  return {
    items: names
      .filter((n) => n.toLowerCase().startsWith(prefix))
      .slice(0, MAX_ITEMS)
      .map((n) => ({ label: n, kind: 'operator' as const, documentation: operatorMarkdown(n) })),
    ...range,
  };
}

function keys(
  doc: TemplateDocument,
  policy: PolicyDocument,
  statement: Statement,
  node: ScalarNode,
  offset: number,
): PolicyCompletion {
  const range = content(doc, node);
  const prefix = typed(doc, range, offset).toLowerCase();
  const cat = catalog();
  const services = new Set<string>();
  const action = statement.entries.get('Action')?.value;
  for (const item of items(action) as Node[]) {
    if (item.kind !== 'scalar' || typeof item.value !== 'string' || policy.embedded?.unknown.has(item))
      continue;
    const colon = item.value.indexOf(':');
    if (colon > 0) services.add(item.value.slice(0, colon));
  }
  const candidates = [...cat.globalKeys(), ...[...services].flatMap((s) => cat.serviceKeys(s))];
  const seen = new Set<string>();
  const out: PolicyCompletionItem[] = [];
  for (const key of candidates) {
    const lower = key.toLowerCase();
    if (seen.has(lower) || !lower.startsWith(prefix) || /tag-key$/.test(key)) continue;
    seen.add(lower);
    const info = cat.conditionKey(key);
    const item: PolicyCompletionItem = { label: key, kind: 'key' };
    if (info) item.detail = `${info.type}${info.multiValued ? ', multi-valued' : ''}`;
    const md = keyMarkdown(key);
    if (md) item.documentation = md;
    out.push(item);
    if (out.length >= MAX_ITEMS) break;
  }
  return { items: out, ...range };
}

// Terraform `data "aws_iam_policy_document"` read as the IAM policy it renders, so every policy
// rule works on it wherever it is used (`policy = data.aws_iam_policy_document.x.json`):
//
//   statement {                                   { "Effect": effect (default Allow),
//     effect    = "Allow"                           "Action": actions, "NotAction": not_actions,
//     actions   = ["s3:GetObject"]          ->      "Resource": resources, "NotResource": ...,
//     principals { type = "AWS", identifiers = ["*"] }   "Principal": { "AWS": identifiers },
//     condition { test = "IpAddress", variable = "aws:SourceIp", values = [...] }
//   }                                               "Condition": { test: { variable: values } } }
//
// The rendered maps are built from the written nodes (every value keeps its range, so findings
// land on what the user wrote) and marked `synthetic`: a fix never edits a map or list the user
// did not write (fixes/edits.ts), only the written values inside them. `principals` of type "*"
// with identifiers ["*"] render as Principal "*", as Terraform does.
//
// `source_policy_documents` and `override_policy_documents` are merged as the AWS provider
// merges them (`dataSourcePolicyDocumentRead`, `IAMPolicyDoc.Merge`): the source documents'
// statements first, in order; then this block's statements, each replacing a statement with the
// same non-empty `sid`; then each override document's statements the same way (same `sid`
// replaces in place, others are added). A document listed there is read when it is another
// `aws_iam_policy_document` (`data.aws_iam_policy_document.x.json`) or `jsonencode({...})`; any
// other (a variable, a heredoc, a module output) could add a Deny or replace a statement, so the
// whole policy is then unknown (undefined): no finding rests on it, and none concludes that a
// statement is missing.

import type { TemplateDocument } from '../model/document';
import type { Entry, MapNode, Node, ScalarNode, SeqNode } from '../parse/tree';
import { get, items, scalarString } from '../parse/tree';

const cache = new WeakMap<MapNode, MapNode>();
/** Policies merged from other documents depend on those too: cached per model. */
const merged = new WeakMap<TemplateDocument, Map<MapNode, MapNode | undefined>>();
const MAX_DEPTH = 8;

/**
 * The policy a data source renders; the same object for the same written block (and model,
 * when it merges other documents). Undefined when a document it merges cannot be read.
 */
export function renderPolicyDocument(
  body: MapNode,
  doc?: TemplateDocument,
  depth = 0,
  visiting = new Set<MapNode>(),
): MapNode | undefined {
  if (!get(body, 'source_policy_documents') && !get(body, 'override_policy_documents')) {
    let rendered = cache.get(body);
    if (!rendered) {
      rendered = render(body);
      cache.set(body, rendered);
    }
    return rendered;
  }
  if (!doc || depth > MAX_DEPTH || visiting.has(body)) return undefined;
  let byBody = merged.get(doc);
  if (!byBody) {
    byBody = new Map();
    merged.set(doc, byBody);
  }
  if (byBody.has(body)) return byBody.get(body);
  visiting.add(body);
  const rendered = renderMerged(body, doc, depth, visiting);
  visiting.delete(body);
  byBody.set(body, rendered);
  return rendered;
}

function renderMerged(
  body: MapNode,
  doc: TemplateDocument,
  depth: number,
  visiting: Set<MapNode>,
): MapNode | undefined {
  const documents = (key: string): MapNode[][] | undefined => {
    const list = get(body, key);
    if (!list) return [];
    if (list.kind !== 'seq') return undefined;
    const out: MapNode[][] = [];
    for (const item of list.items) {
      const statements = documentStatements(item, doc, depth, visiting);
      if (!statements) return undefined;
      out.push(statements);
    }
    return out;
  };
  const sources = documents('source_policy_documents');
  const overrides = documents('override_policy_documents');
  if (!sources || !overrides) return undefined;
  const statements: MapNode[] = sources.flat();
  for (const layer of [ownStatements(body), ...overrides]) mergeStatements(statements, layer);
  return map(policyEntries(body, statements), body);
}

/** The provider's `IAMPolicyDoc.Merge`: a statement with a known sid replaces the one with that sid. */
function mergeStatements(into: MapNode[], layer: MapNode[]): void {
  for (const statement of layer) {
    const sid = scalarString(get(statement, 'Sid'));
    const at = sid ? into.findIndex((s) => scalarString(get(s, 'Sid')) === sid) : -1;
    if (at >= 0) into[at] = statement;
    else into.push(statement);
  }
}

/** The statements of a document listed in source/override_policy_documents; undefined when unknown. */
function documentStatements(
  node: Node,
  doc: TemplateDocument,
  depth: number,
  visiting: Set<MapNode>,
): MapNode[] | undefined {
  if (node.kind !== 'scalar') return undefined;
  const expr = node.expr;
  // jsonencode({ Statement = [...] }): the object is the policy, with its own ranges.
  if (expr?.type === 'call' && expr.name === 'jsonencode') {
    const policy = expr.args[0];
    if (policy?.kind !== 'map') return undefined;
    const list = get(policy, 'Statement');
    if (!list) return [];
    return list.kind === 'map' ? [list] : list.kind === 'seq' ? statementMaps(list.items) : undefined;
  }
  let name: string | undefined;
  if (expr?.type === 'traversal' && expr.root === 'data') {
    const [type, n, attribute] = expr.steps;
    if (
      type === 'aws_iam_policy_document' &&
      typeof n === 'string' &&
      /^(minified_)?json$/.test(String(attribute))
    )
      name = n;
  } else if (!expr && typeof node.value === 'string')
    name = /^\$\{\s*data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)\.(?:minified_)?json\s*\}$/.exec(
      node.value,
    )?.[1];
  const body = name === undefined ? undefined : doc.data.get(`aws_iam_policy_document.${name}`);
  const rendered = body && renderPolicyDocument(body, doc, depth + 1, visiting);
  if (!rendered) return undefined;
  const list = get(rendered, 'Statement');
  return list?.kind === 'seq' ? statementMaps(list.items) : [];
}

function statementMaps(nodes: Node[]): MapNode[] | undefined {
  return nodes.every((n) => n.kind === 'map') ? (nodes as MapNode[]) : undefined;
}

function ownStatements(body: MapNode): MapNode[] {
  const statements: MapNode[] = [];
  for (const statement of items(get(body, 'statement')))
    if (statement.kind === 'map') statements.push(renderStatement(statement));
  return statements;
}

function render(body: MapNode): MapNode {
  return map(policyEntries(body, ownStatements(body)), body);
}

function policyEntries(body: MapNode, statements: Node[]): Entry[] {
  const entries: Entry[] = [];
  const version = get(body, 'version');
  if (version) entries.push(entry('Version', version, body));
  entries.push(entry('Statement', seq(statements, body), body));
  return entries;
}

function renderStatement(statement: MapNode): MapNode {
  const entries: Entry[] = [];
  const sid = get(statement, 'sid');
  if (sid) entries.push(entry('Sid', sid, statement));
  const effect = get(statement, 'effect');
  entries.push(
    entry(
      'Effect',
      effect ?? {
        kind: 'scalar',
        value: 'Allow',
        style: 'plain',
        start: statement.start,
        end: statement.start,
      },
      statement,
    ),
  );
  for (const [from, to] of [
    ['actions', 'Action'],
    ['not_actions', 'NotAction'],
    ['resources', 'Resource'],
    ['not_resources', 'NotResource'],
  ] as const) {
    const value = get(statement, from);
    if (value) entries.push(entry(to, value, statement));
  }
  for (const [from, to] of [
    ['principals', 'Principal'],
    ['not_principals', 'NotPrincipal'],
  ] as const) {
    const blocks = items(get(statement, from)).filter((b): b is MapNode => b.kind === 'map');
    if (!blocks.length) continue;
    const principal = renderPrincipals(blocks);
    if (principal) entries.push(entry(to, principal, blocks[0]!));
  }
  const conditions = items(get(statement, 'condition')).filter((b): b is MapNode => b.kind === 'map');
  if (conditions.length) entries.push(entry('Condition', renderConditions(conditions), conditions[0]!));
  return map(entries, statement);
}

function renderPrincipals(blocks: MapNode[]): Node | undefined {
  // `type = "*"` with identifiers ["*"] is the public principal "*".
  if (blocks.length === 1) {
    const only = blocks[0]!;
    if (scalarString(get(only, 'type')) === '*') {
      const ids = items(get(only, 'identifiers'));
      if (ids.length === 1 && scalarString(ids[0]) === '*') return ids[0];
    }
  }
  const byType = new Map<string, Node[]>();
  const at = new Map<string, MapNode>();
  for (const block of blocks) {
    const type = scalarString(get(block, 'type'));
    const identifiers = get(block, 'identifiers');
    if (!type || !identifiers) continue;
    byType.set(type, [...(byType.get(type) ?? []), ...items(identifiers)]);
    if (!at.has(type)) at.set(type, block);
  }
  const entries = [...byType].map(([type, ids]) => entry(type, seq(ids, at.get(type)!), at.get(type)!));
  return entries.length ? map(entries, blocks[0]!) : undefined;
}

/** condition { test, variable, values } blocks -> { test: { variable: values } } (same test merges). */
function renderConditions(blocks: MapNode[]): MapNode {
  const byTest = new Map<string, { key: ScalarNode; keys: Entry[]; block: MapNode }>();
  for (const block of blocks) {
    const test = get(block, 'test');
    const variable = get(block, 'variable');
    const values = get(block, 'values');
    const testName = scalarString(test);
    const variableName = scalarString(variable);
    if (!testName || !variableName || !values || test?.kind !== 'scalar' || variable?.kind !== 'scalar')
      continue;
    let group = byTest.get(testName);
    if (!group) {
      group = { key: { ...test, value: testName }, keys: [], block };
      byTest.set(testName, group);
    }
    group.keys.push({
      key: { ...variable, value: variableName },
      value: values,
      start: block.start,
      end: block.end,
    });
  }
  const entries: Entry[] = [...byTest.values()].map((g) => ({
    key: g.key as ScalarNode & { value: string },
    value: map(g.keys, g.block),
    start: g.block.start,
    end: g.block.end,
  }));
  return map(entries, blocks[0]!);
}

function entry(key: string, value: Node, around: Node): Entry {
  return {
    key: { kind: 'scalar', value: key, style: 'plain', start: around.start, end: around.start },
    value,
    start: around.start,
    end: around.end,
  };
}

function map(entries: Entry[], around: Node): MapNode {
  return { kind: 'map', style: 'hcl', entries, start: around.start, end: around.end, synthetic: true };
}

function seq(nodes: Node[], around: Node): SeqNode {
  return { kind: 'seq', style: 'hcl', items: nodes, start: around.start, end: around.end, synthetic: true };
}

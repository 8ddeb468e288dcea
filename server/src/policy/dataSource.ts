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

import type { Entry, MapNode, Node, ScalarNode, SeqNode } from '../parse/tree';
import { get, items, scalarString } from '../parse/tree';

const cache = new WeakMap<MapNode, MapNode>();

/** The policy a data source renders; the same object for the same written block. */
export function renderPolicyDocument(body: MapNode): MapNode {
  let rendered = cache.get(body);
  if (!rendered) {
    rendered = render(body);
    cache.set(body, rendered);
  }
  return rendered;
}

function render(body: MapNode): MapNode {
  const statements: Node[] = [];
  for (const statement of items(get(body, 'statement')))
    if (statement.kind === 'map') statements.push(renderStatement(statement));
  const entries: Entry[] = [];
  const version = get(body, 'version');
  if (version) entries.push(entry('Version', version, body));
  entries.push(entry('Statement', seq(statements, body), body));
  return map(entries, body);
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

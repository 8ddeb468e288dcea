// What conditions do to who can reach a resource: which keys restrict the caller or the network
// path, and whether a condition actually restricts (a negated operator, `...IfExists` or
// `ForAllValues:` lets requests without the key through).

import type { TemplateDocument } from '../model/document';
import type { Node } from '../parse/tree';
import { parseCidr } from '../facts/cidr';
import type { PolicyDocument, Statement } from './extract';
import type { ConditionItem } from './read';
import { conditionItems, knownValues, valueItems } from './read';

/** Keys that limit who (or from where) a public principal can call. */
export const RESTRICTING_KEYS = [
  'aws:SourceVpce',
  'aws:SourceVpc',
  'aws:SourceVpcArn',
  'aws:SourceIp',
  'aws:VpcSourceIp',
  'aws:PrincipalOrgID',
  'aws:PrincipalOrgPaths',
  'aws:PrincipalAccount',
  'aws:PrincipalArn',
  'aws:SourceAccount',
  'aws:SourceArn',
  'aws:SourceOrgID',
  'aws:SourceOrgPaths',
];

const RESTRICTING = new Set(RESTRICTING_KEYS.map((k) => k.toLowerCase()));

/** Why a condition on a restricting key does not restrict, or undefined when it does. */
export function whyNotRestricting(
  doc: TemplateDocument,
  policy: PolicyDocument,
  c: ConditionItem,
): string | undefined {
  const op = c.operator;
  if (!op || op.family === 'Null') return `${c.operatorEntry.key.value} does not limit the value`;
  if (op.negated)
    return `${op.text} matches every request whose ${c.key} is not listed, including requests without it`;
  if (op.ifExists) return `${op.text} also matches requests that have no ${c.key}`;
  if (op.set === 'ForAllValues') return `ForAllValues: also matches requests that have no ${c.key}`;
  const items = valueItems(doc, policy, c.value);
  if (!items.length) return `${c.key} has no values`;
  for (const item of items) {
    for (const value of knownValues(item)) {
      if (value === '*' && (op.base === 'StringLike' || op.base === 'ArnLike'))
        return `"*" matches any ${c.key}`;
      if (op.family === 'Ip') {
        const cidr = parseCidr(value);
        if (cidr && cidr.prefix === 0) return `${value} is every address`;
      }
    }
  }
  return undefined;
}

export function isRestrictingKey(key: string): boolean {
  return RESTRICTING.has(key.toLowerCase());
}

/** The statement's conditions on restricting keys, and whether one of them restricts. */
export function restriction(
  doc: TemplateDocument,
  policy: PolicyDocument,
  statement: Statement,
): { restricted: boolean; reasons: string[] } {
  const reasons: string[] = [];
  for (const c of conditionItems(statement)) {
    if (!isRestrictingKey(c.key)) continue;
    const why = whyNotRestricting(doc, policy, c);
    if (!why) return { restricted: true, reasons: [] };
    reasons.push(why);
  }
  return { restricted: false, reasons };
}

/** The Sid of a statement for messages: `Statement "PublicRead"` or `Statement 2`. */
export function statementName(statement: Statement): string {
  const sid = statement.entries.get('Sid')?.value;
  const text = sid?.kind === 'scalar' && typeof sid.value === 'string' && sid.value ? sid.value : undefined;
  return text ? `Statement "${text}"` : `Statement ${statement.index + 1}`;
}

/** Short list of a statement's actions for messages. */
export function actionSummary(statement: Statement): string {
  const node: Node | undefined = statement.entries.get('Action')?.value;
  if (!node)
    return statement.entries.has('NotAction') ? 'every action except the NotAction list' : 'the actions';
  const values = (node.kind === 'seq' ? node.items : [node])
    .map((n) => (n.kind === 'scalar' && typeof n.value === 'string' ? n.value : undefined))
    .filter((v): v is string => v !== undefined);
  if (!values.length) return 'the actions';
  const shown = values.slice(0, 3).join(', ');
  return values.length > 3 ? `${shown} and ${values.length - 3} more` : shown;
}

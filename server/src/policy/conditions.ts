// What conditions do to who can reach a resource, evaluated as IAM does: the keys of one
// Condition block are ANDed (one restricting key restricts the statement), the values of one key
// are ORed (one "*" value opens it), a negated operator, `...IfExists` or `ForAllValues:` also
// matches requests without the key, and a Deny that applies unless a restricting key matches
// confines an Allow it covers (the private API pattern). When in doubt, a statement counts as
// restricted: unknown values (parameters, interpolation) are restrictions.

import type { TemplateDocument } from '../model/document';
import type { Node } from '../parse/tree';
import { get } from '../parse/tree';
import { parseCidr } from '../facts/cidr';
import type { PolicyDocument, Statement } from './extract';
import { isApiGatewayPolicy } from './extract';
import type { ConditionItem } from './read';
import { conditionItems, hasUnknown, knownValues, valueItems } from './read';
import { restrictingKey, RESTRICTING_KEYS } from './restrictingKeys';

export { RESTRICTING_KEYS };

/** Keys whose negation in a Deny exempts AWS services (`"BoolIfExists": {"aws:PrincipalIsAWSService": "false"}`). */
const SERVICE_EXCEPTION_KEYS = new Set(['aws:principalisawsservice', 'aws:viaawsservice']);

/** Why a positive condition on a restricting key does not restrict, or undefined when it does. */
export function whyNotRestricting(
  doc: TemplateDocument,
  policy: PolicyDocument,
  c: ConditionItem,
): string | undefined {
  const op = c.operator;
  if (!op || op.family === 'Null') return `${c.operatorEntry.key.value} on ${c.key} does not limit its value`;
  if (op.negated)
    return `${op.text} on ${c.key} matches every request whose ${c.key} is not listed, including requests without it`;
  if (op.ifExists) return `${op.text} also matches requests that have no ${c.key}`;
  if (op.set === 'ForAllValues') return `ForAllValues: also matches requests that have no ${c.key}`;
  const items = valueItems(doc, policy, c.value);
  if (!items.length) return `${c.key} has no values`;
  const info = restrictingKey(c.key);
  for (const item of items) {
    for (const value of knownValues(item)) {
      if ((op.base === 'StringLike' || op.base === 'ArnLike') && matchesAnyId(value))
        return `"${value}" matches any ${c.key}`;
      if ((op.base === 'StringLike' || op.base === 'ArnLike') && anyAccountArn(value))
        return `"${value}" matches ARNs in any account, so anyone can create a match`;
      if (op.family === 'Ip') {
        const cidr = parseCidr(value);
        if (cidr && cidr.prefix === 0) return `${value} is every address`;
      }
      if (info?.values && !info.values.some((v) => v.toLowerCase() === value.toLowerCase()))
        return `${c.key} "${value}" does not restrict the caller (only ${info.values.join(' or ')} does)`;
    }
  }
  return undefined;
}

/**
 * A wildcard pattern that matches every id of its kind: `*`, `vpce-*`, `vpc-*`, `o-*`,
 * `arn:aws:iam::*:*`. Anyone can create an endpoint, VPC or organization of their own, so such
 * a pattern restricts nothing.
 */
function matchesAnyId(value: string): boolean {
  const rest = value.replace(/^(vpce-|vpc-|o-|arn:[^:]*:(iam|sts)::|arn:)/, '');
  return /^[*?:]*\*[*?:]*$/.test(rest);
}

/** An ARN pattern whose account is a wildcard (`arn:aws:iam::*:role/deployer`, `arn:aws:sns:*`), S3 aside. */
function anyAccountArn(value: string): boolean {
  if (!value.startsWith('arn:')) return false;
  const parts = value.split(':');
  // Bucket names are global: arn:aws:s3:*:*:bucket (as AWS writes it for event notifications) is one bucket.
  if (parts[2] === 's3') return false;
  if (parts.length < 5) return value.endsWith('*');
  return /[*?]/.test(parts[4]!);
}

export function isRestrictingKey(key: string): boolean {
  return restrictingKey(key) !== undefined;
}

/**
 * The statement's own conditions: restricted when one condition on a restricting key restricts
 * (keys are ANDed), with the reasons why the others do not.
 */
export function restriction(
  doc: TemplateDocument,
  policy: PolicyDocument,
  statement: Statement,
): { restricted: boolean; reasons: string[] } {
  const reasons: string[] = [];
  const conditions = conditionItems(statement);
  const restricting = new Set<string>();
  for (const c of conditions) {
    const info = restrictingKey(c.key);
    if (!info) continue;
    const why = whyNotRestricting(doc, policy, c);
    if (why) reasons.push(why);
    else restricting.add(info.key.toLowerCase());
  }
  for (const key of restricting) {
    const info = restrictingKey(key)!;
    if (!info.with || restricting.has(info.with.toLowerCase())) return { restricted: true, reasons: [] };
    reasons.push(
      `${info.key} limits the caller to ${info.restricts}, not to an account: pair it with ${info.with}`,
    );
  }
  const others = [...new Set(conditions.filter((c) => !restrictingKey(c.key)).map((c) => c.key))];
  if (others.length)
    reasons.push(
      `${others.join(', ')} ${others.length > 1 ? 'do' : 'does'} not limit who calls or from where`,
    );
  return { restricted: false, reasons };
}

/**
 * A Deny in the same policy that confines an Allow: it applies to everyone ("*"), covers the
 * Allow's actions and resources, and applies unless the request matches a restricting key
 * (`StringNotEquals aws:SourceVpce`, `NotIpAddress aws:SourceIp`, `Null aws:SourceVpce true`),
 * with at most an exception for AWS services. Such a Deny removes every caller the Allow's
 * restriction would have removed: the documented private API pattern.
 */
export function confiningDeny(
  doc: TemplateDocument,
  policy: PolicyDocument,
  allow: Statement,
): Statement | undefined {
  const api = isApiGatewayPolicy(policy);
  for (const deny of policy.statements) {
    if (deny === allow || deny.effect !== 'Deny') continue;
    if (!appliesToEveryone(doc, policy, deny)) continue;
    if (!coversElement(doc, policy, deny, allow, 'Action', (v) => v.toLowerCase())) continue;
    if (!coversElement(doc, policy, deny, allow, 'Resource', (v) => (api ? apiPath(v) : v))) continue;
    if (denyConfines(doc, policy, deny)) return deny;
  }
  return undefined;
}

function appliesToEveryone(doc: TemplateDocument, policy: PolicyDocument, statement: Statement): boolean {
  const principal = statement.entries.get('Principal')?.value;
  if (!principal) return false;
  if (principal.kind === 'scalar') return principal.value === '*';
  const aws = get(principal, 'AWS');
  return aws !== undefined && valueItems(doc, policy, aws).some((item) => knownValues(item).includes('*'));
}

/** The patterns of an element: unknown values count as "*" (when in doubt, covered). */
function patterns(doc: TemplateDocument, policy: PolicyDocument, node: Node | undefined): string[] {
  const out: string[] = [];
  for (const item of valueItems(doc, policy, node)) {
    if (hasUnknown(item)) out.push('*');
    out.push(...knownValues(item).map((v) => (v.includes('${') ? '*' : v)));
  }
  return out;
}

/** Whether the Deny's Action (Resource) covers everything the Allow's names. */
function coversElement(
  doc: TemplateDocument,
  policy: PolicyDocument,
  deny: Statement,
  allow: Statement,
  name: 'Action' | 'Resource',
  normalize: (value: string) => string,
): boolean {
  const denyNode = deny.entries.get(name)?.value;
  const denyNot = deny.entries.get(`Not${name}`)?.value;
  const allowNode = allow.entries.get(name)?.value;
  const allowNot = allow.entries.get(`Not${name}`)?.value;
  // A Resource-less statement (where the service allows it) applies to the resource itself.
  if (!denyNode && !denyNot) return name === 'Resource';
  const allowValues = allowNode ? patterns(doc, policy, allowNode).map(normalize) : undefined;
  if (denyNode) {
    const denyValues = patterns(doc, policy, denyNode).map(normalize);
    if (denyValues.includes('*')) return true;
    if (!allowValues) return false;
    return allowValues.every((v) => denyValues.some((p) => globMatch(p, v)));
  }
  // Deny with NotAction/NotResource: covers the Allow's values that none of its patterns exclude.
  if (!allowValues || allowNot) return false;
  const excluded = patterns(doc, policy, denyNot).map(normalize);
  return allowValues.every((v) => !excluded.some((p) => globMatch(p, v) || globMatch(v, p)));
}

/** An API Gateway resource reduced to its stage/method/path: `execute-api:/prod/GET/x`, `arn:...:api-id/prod/GET/x`. */
function apiPath(value: string): string {
  if (value === '*') return '*';
  if (value.startsWith('execute-api:/')) return value.slice('execute-api:/'.length);
  const m = /^arn:[^:]*:execute-api:[^:]*:[^:]*:[^/]*\/(.*)$/.exec(value);
  return m ? m[1]! : value;
}

/** IAM wildcard matching: `*` any run of characters, `?` one character. */
function globMatch(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 'i').test(value);
}

/**
 * Whether a Deny applies to every request except those matching a restricting key (or made by
 * AWS services). Its conditions are ANDed, so the requests it lets through are those matching
 * any one exemption; every exemption must itself be a restriction.
 */
function denyConfines(doc: TemplateDocument, policy: PolicyDocument, deny: Statement): boolean {
  const conditions = conditionItems(deny);
  if (!deny.entries.has('Condition')) return true;
  if (!conditions.length) return false;
  let restricting = 0;
  for (const c of conditions) {
    const op = c.operator;
    if (!op) return false;
    const key = c.key.toLowerCase();
    const values = valueItems(doc, policy, c.value);
    const known = values.flatMap(knownValues);
    if (SERVICE_EXCEPTION_KEYS.has(key)) {
      if (op.family === 'Bool' && known.length > 0 && known.every((v) => v.toLowerCase() === 'false'))
        continue;
      return false;
    }
    const info = restrictingKey(c.key);
    if (!info || info.with) return false;
    if (op.family === 'Null') {
      if (known.length > 0 && known.every((v) => v.toLowerCase() === 'true')) {
        restricting++;
        continue;
      }
      return false;
    }
    // Negated, without IfExists (requests without the key must be denied too), and not
    // ForAnyValue: (false when the key is absent).
    if (!op.negated || op.ifExists || op.set === 'ForAnyValue') return false;
    if (!values.length) return false;
    for (const value of known) {
      if (
        (op.base === 'StringNotLike' || op.base === 'ArnNotLike') &&
        (matchesAnyId(value) || anyAccountArn(value))
      )
        return false;
      const cidr = op.family === 'Ip' ? parseCidr(value) : undefined;
      if (cidr && cidr.prefix === 0) return false;
      if (info.values && !info.values.some((v) => v.toLowerCase() === value.toLowerCase())) return false;
    }
    restricting++;
  }
  return restricting > 0;
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

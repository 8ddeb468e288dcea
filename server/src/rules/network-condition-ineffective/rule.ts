import { viaEvidence } from '../../resolve/values';
import type { TemplateDocument } from '../../model/document';
import type { FixRecipe } from '../../fixes/recipe';
import type { MapNode } from '../../parse/tree';
import { get } from '../../parse/tree';
import { isPrivate, parseCidr } from '../../facts/cidr';
import { describeVia } from '../../resolve/values';
import { catalog } from '../../policy/catalog';
import { statementName } from '../../policy/conditions';
import { isApiGatewayPolicy, policies, type PolicyDocument, type Statement } from '../../policy/extract';
import { canFix, replaceScalarOp, setInPolicyOps } from '../../policy/fix';
import { parseOperator, spell, type Operator } from '../../policy/grammar';
import { conditionItems, knownValues, valueItems, type ConditionItem } from '../../policy/read';
import { items, scalarString } from '../../parse/tree';
import type { Rule, RuleContext } from '../types';
import docs from './rule.md?raw';

const IP_KEYS = new Set(['aws:sourceip', 'aws:vpcsourceip']);
const ENDPOINT_KEYS = new Set(['aws:sourcevpce', 'aws:sourcevpc']);
const EXCEPTION_KEYS = new Set([
  'aws:principalisawsservice',
  'aws:viaawsservice',
  'aws:calledvia',
  'aws:calledviafirst',
  'aws:calledvialast',
  'aws:principalservicename',
]);

export const networkConditionIneffective: Rule = {
  meta: {
    id: 'network-condition-ineffective',
    summary: 'A network condition in a policy that does not do what it seems',
    category: 'policy',
    severity: 'warning',
    formats: ['cfn', 'tf', 'plan', 'iam'],
    resourceTypes: ['*'],
    fixSafety: 'unsafe',
    doesNotReport:
      'set operators where they mean the same as the plain one or only tighten (ForAnyValue: in an Allow, ForAllValues: in a Deny); Deny-unless-endpoint statements with IfExists or in API Gateway policies (AWS services do not call execute-api); public ranges in aws:SourceIp',
    references: {
      aws: [
        'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceip',
        'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html',
        'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalisawsservice',
        'https://github.com/aws-samples/data-perimeter-policy-examples',
      ],
      cwe: ['CWE-284'],
    },
  },
  docs,
  check(context) {
    const { doc, facts } = context;
    for (const policy of policies(facts)) {
      for (const statement of policy.statements) {
        const conditions = conditionItems(statement);
        if (!conditions.length) continue;
        setOperators(context, policy, statement, conditions);
        for (const c of conditions) {
          if (!IP_KEYS.has(c.key.toLowerCase()) || !c.operator) continue;
          if (c.operator.family === 'String') stringOnIp(context, policy, statement, c, c.operator);
          if (c.operator.family === 'Ip' && c.key.toLowerCase() === 'aws:sourceip')
            privateSourceIp(context, policy, statement, c);
        }
        if (statement.effect === 'Deny') denyWithoutException(doc, context, policy, statement, conditions);
      }
    }
  },
};

/**
 * `ForAllValues:` / `ForAnyValue:` on keys that carry one value, only where the set operator
 * loosens the statement. With a single value both behave like the plain operator except when the
 * key is absent: `ForAllValues:` is then true, `ForAnyValue:` false. So an Allow with
 * `ForAllValues:` (positive operator) also allows requests without the key, and a Deny with
 * `ForAnyValue:` and a negated operator does not deny them. The other combinations mean the same
 * as the plain operator, or are stricter: not reported.
 */
function setOperators(
  { doc, report }: RuleContext,
  policy: PolicyDocument,
  statement: Statement,
  conditions: ConditionItem[],
): void {
  const cat = catalog();
  const seen = new Set<MapNode | unknown>();
  for (const c of conditions) {
    const op = c.operator;
    if (!op?.set || op.ifExists || seen.has(c.operatorEntry)) continue;
    const loosensAllow = statement.effect === 'Allow' && op.set === 'ForAllValues' && !op.negated;
    const loosensDeny = statement.effect === 'Deny' && op.set === 'ForAnyValue' && op.negated;
    if (!loosensAllow && !loosensDeny) continue;
    const info = cat.conditionKey(c.key);
    if (!info || info.multiValued) continue;
    seen.add(c.operatorEntry);
    const plain = spell({ ...op, set: undefined });
    const block = c.operatorEntry.value as MapNode;
    const allSingle = block.entries.every((e) => {
      const k = cat.conditionKey(e.key.value);
      return k !== undefined && !k.multiValued;
    });
    const condition = statement.entries.get('Condition')?.value;
    const clash = condition?.kind === 'map' && condition.entries.some((e) => e.key.value === plain);
    const fixes: FixRecipe[] =
      allSingle && !clash && canFix(doc, policy)
        ? [
            {
              title: `Change ${op.text} to ${plain}`,
              safety: 'unsafe',
              ops: [replaceScalarOp(policy, c.operatorEntry.key, plain)],
            },
          ]
        : [];
    const endpoint =
      c.key.toLowerCase() === 'aws:sourcevpce' || c.key.toLowerCase() === 'aws:sourcevpc'
        ? ' (every request that does not come through a VPC endpoint)'
        : '';
    const effect = loosensAllow
      ? `ForAllValues: is also true when the request has no ${info.key} at all${endpoint}, so the Allow lets those requests through`
      : `ForAnyValue: is false when the request has no ${info.key} at all${endpoint}, so the Deny does not apply to those requests`;
    report({
      span: c.operatorEntry.key,
      resource: policy.resource,
      message: `${statementName(statement)}: ${op.text} on ${info.key}, which has a single value per request: ${effect}. Use ${plain}.`,
      fixes,
    });
  }
}

const IP_OPERATOR: Record<string, string | undefined> = {
  StringEquals: 'IpAddress',
  StringEqualsIgnoreCase: 'IpAddress',
  StringLike: 'IpAddress',
  StringNotEquals: 'NotIpAddress',
  StringNotEqualsIgnoreCase: 'NotIpAddress',
  StringNotLike: 'NotIpAddress',
};

/** `StringEquals` / `StringLike` on aws:SourceIp: text comparison never matches a CIDR range. */
function stringOnIp(
  { doc, report }: RuleContext,
  policy: PolicyDocument,
  statement: Statement,
  c: ConditionItem,
  op: Operator,
): void {
  const block = c.operatorEntry.value as MapNode;
  const target = IP_OPERATOR[op.base];
  const values = valueItems(doc, policy, c.value).flatMap(knownValues);
  const onlyIpKeys = block.entries.every((e) => IP_KEYS.has(e.key.value.toLowerCase()));
  // A private range under aws:SourceIp stays ineffective with an IP operator too; that value is
  // reported on its own (with the aws:VpcSourceIp fix), so the operator fix is not offered.
  const privateUnderSourceIp =
    c.key.toLowerCase() === 'aws:sourceip' &&
    values.some((v) => {
      const cidr = parseCidr(v);
      return cidr !== undefined && isPrivate(cidr);
    });
  const convertible = !privateUnderSourceIp && values.every((v) => parseCidr(v) !== undefined);
  const newOperator = target ? spell({ base: target, ifExists: op.ifExists, set: op.set }) : undefined;
  const condition = statement.entries.get('Condition')?.value;
  const clash = condition?.kind === 'map' && condition.entries.some((e) => e.key.value === newOperator);
  const fixes: FixRecipe[] =
    newOperator && onlyIpKeys && convertible && !clash && canFix(doc, policy) && parseOperator(newOperator)
      ? [
          {
            title: `Change ${op.text} to ${newOperator}`,
            safety: 'unsafe',
            ops: [replaceScalarOp(policy, c.operatorEntry.key, newOperator)],
          },
        ]
      : [];
  report({
    span: c.keyEntry.key,
    resource: policy.resource,
    message: `${statementName(statement)}: ${op.text} compares ${c.key} as text, so CIDR ranges${values.length ? ` such as ${values[0]}` : ''} never match and wildcards match by characters, not by network. Use ${newOperator ?? 'IpAddress / NotIpAddress'}.`,
    fixes,
  });
}

/** Private ranges in aws:SourceIp: the key only ever carries public addresses. */
function privateSourceIp(
  { doc, report }: RuleContext,
  policy: PolicyDocument,
  statement: Statement,
  c: ConditionItem,
): void {
  const items = valueItems(doc, policy, c.value);
  const block = c.operatorEntry.value as MapNode;
  let allPrivate = items.length > 0;
  const found: {
    node: (typeof items)[number]['node'];
    value: string;
    via: string;
    related: ReturnType<typeof viaEvidence>;
  }[] = [];
  for (const item of items) {
    const values = knownValues(item);
    if (values.length < item.possibilities.length) allPrivate = false;
    for (const p of item.possibilities) {
      if (typeof p.value !== 'string') continue;
      const cidr = parseCidr(p.value);
      if (!cidr || !isPrivate(cidr)) {
        allPrivate = false;
        continue;
      }
      found.push({
        node: item.node,
        value: p.value,
        via: p.via.length ? ` (${describeVia(p.via)})` : '',
        related: viaEvidence(p.via),
      });
    }
  }
  const clash = get(block, 'aws:VpcSourceIp') !== undefined;
  const fixes: FixRecipe[] =
    allPrivate && !clash && canFix(doc, policy) && found.every((f) => !f.via)
      ? [
          {
            title: 'Compare the private address instead (aws:VpcSourceIp)',
            safety: 'unsafe',
            ops: [replaceScalarOp(policy, c.keyEntry.key, 'aws:VpcSourceIp')],
          },
        ]
      : [];
  for (const f of found) {
    report({
      span: f.node,
      resource: policy.resource,
      message: `${statementName(statement)}: ${f.value}${f.via} is a private range, but aws:SourceIp only ever carries public addresses: requests from a VPC through an endpoint have no aws:SourceIp (they carry aws:VpcSourceIp), and requests through a NAT or internet gateway carry its public address. ${c.operator?.negated ? `So this ${c.operatorEntry.key.value} matches every request` : `This ${c.operatorEntry.key.value} never matches it`}. Use aws:VpcSourceIp with aws:SourceVpc for private addresses.`,
      related: f.related,
      fixes,
    });
  }
}

/** A Deny on "not from my endpoint/VPC" without an exception for AWS services. */
function denyWithoutException(
  doc: TemplateDocument,
  { report }: RuleContext,
  policy: PolicyDocument,
  statement: Statement,
  conditions: ConditionItem[],
): void {
  if (conditions.some((c) => EXCEPTION_KEYS.has(c.key.toLowerCase()))) return;
  // AWS services do not invoke API Gateway APIs on your behalf: no exception is needed there.
  if (isApiGatewayPolicy(policy) || onlyExecuteApi(statement)) return;
  // With IfExists (or ForAnyValue:), requests without the key, such as those of AWS services,
  // are not denied.
  const trigger = conditions.find(
    (c) =>
      ENDPOINT_KEYS.has(c.key.toLowerCase()) &&
      c.operator?.negated &&
      !c.operator.ifExists &&
      c.operator.set !== 'ForAnyValue',
  );
  if (!trigger) return;
  const condition = statement.entries.get('Condition')!.value as MapNode;
  const existing = get(condition, 'BoolIfExists');
  const ops =
    existing?.kind === 'map'
      ? [
          ...setInPolicyOps(doc, policy, existing, ['aws:PrincipalIsAWSService'], 'false'),
          ...setInPolicyOps(doc, policy, existing, ['aws:ViaAWSService'], 'false'),
        ]
      : setInPolicyOps(doc, policy, condition, ['BoolIfExists'], {
          'aws:PrincipalIsAWSService': 'false',
          'aws:ViaAWSService': 'false',
        });
  const fixes: FixRecipe[] =
    canFix(doc, policy) && ops.length
      ? [
          {
            title: 'Exempt requests made by AWS services (aws:PrincipalIsAWSService, aws:ViaAWSService)',
            safety: 'unsafe',
            ops,
          },
        ]
      : [];
  report({
    span: trigger.keyEntry.key,
    resource: policy.resource,
    message: `${statementName(statement)} denies every request that does not come through the listed ${trigger.key.toLowerCase() === 'aws:sourcevpc' ? 'VPC' : 'endpoint'}, including requests AWS services make for you (CloudTrail or Config delivering logs, replication, services using forward access sessions): those never carry ${trigger.key}. Add an exception: "BoolIfExists": {"aws:PrincipalIsAWSService": "false", "aws:ViaAWSService": "false"}.`,
    fixes,
  });
}

/** A statement whose actions are all API Gateway invocations. */
function onlyExecuteApi(statement: Statement): boolean {
  const node = statement.entries.get('Action')?.value;
  if (!node) return false;
  const values = items(node).map(scalarString);
  return values.length > 0 && values.every((v) => v?.toLowerCase().startsWith('execute-api:'));
}

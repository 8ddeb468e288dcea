import type { NetworkGraph } from '../../facts/graph/networkGraph';
import { networkGraph } from '../../facts/graph/networkGraph';
import { at } from '../../facts/graph/properties';
import type { FixRecipe, NewValue } from '../../fixes/recipe';
import { setPathOp } from '../../fixes/recipe';
import type { Resource, TemplateDocument } from '../../model/document';
import type { Node } from '../../parse/tree';
import { get } from '../../parse/tree';
import { confiningDeny, restriction } from '../../policy/conditions';
import type { PolicyDocument, Statement } from '../../policy/extract';
import { policies } from '../../policy/extract';
import { canFix, setInPolicyOps } from '../../policy/fix';
import { conditionItems, knownValues, valueItems } from '../../policy/read';
import { ACCOUNT_KEY, accountOnlyPolicy } from '../connectivity/newResources';
import type { Rule } from '../types';
import docs from './rule.md?raw';

const ENDPOINT_TYPES = new Set(['AWS::EC2::VPCEndpoint', 'aws_vpc_endpoint']);
/** Standalone policy files named like an endpoint policy (`vpce-s3.json`, `s3-endpoint-policy.json`). */
const ENDPOINT_FILE = /(^|[\\/])(vpce|vpc[-_]?endpoint)[-_.][^\\/]*$|endpoint[-_]?polic[^\\/]*$/i;
const KEY = ACCOUNT_KEY;

export const vpcEndpointPolicyUnrestricted: Rule = {
  meta: {
    id: 'vpc-endpoint-policy-unrestricted',
    summary: 'A VPC endpoint that lets any principal reach any resource of the service',
    category: 'connectivity',
    severity: 'info',
    formats: ['cfn', 'tf', 'plan', 'iam'],
    resourceTypes: ['AWS::EC2::VPCEndpoint', 'aws_vpc_endpoint', 'aws_vpc_endpoint_policy'],
    fixSafety: 'unsafe',
    doesNotReport:
      'statements naming your own resources or limiting them with aws:ResourceAccount/ResourceOrgID/ResourceOrgPaths, restricted by a caller condition, or confined by a Deny unless the caller is in your account or organization; Gateway Load Balancer endpoints',
    references: {
      aws: [
        'https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html',
        'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalaccount',
      ],
      cwe: ['CWE-284'],
      checkov: ['CKV2_AWS_1'],
    },
  },
  docs,
  controls: [
    {
      keys: ['PolicyDocument', 'policy'],
      resourceTypes: ['AWS::EC2::VPCEndpoint', 'aws_vpc_endpoint', 'aws_vpc_endpoint_policy'],
      markdown:
        "**Endpoint policy.** Decides which principals may use the endpoint for which actions and resources. Without one, the default policy allows everything, so stolen credentials of *any* AWS account work through your endpoint (for example to copy data to an attacker's bucket). Restrict it to your account (`aws:PrincipalAccount`) or organization, and to your own resources. [Endpoint policies](https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html)",
    },
  ],
  check({ doc, facts, report }) {
    const graph = doc.format === 'iam' ? undefined : networkGraph(facts);
    const withPolicy = new Set<string>();
    for (const policy of policies(facts)) {
      if (doc.format === 'iam' ? !ENDPOINT_FILE.test(doc.uri) : policy.kind !== 'endpoint') continue;
      const endpoint = graph && policy.resource ? endpointOf(graph, policy.resource) : undefined;
      if (endpoint) withPolicy.add(endpoint.id);
      for (const statement of policy.statements) {
        if (statement.effect !== 'Allow') continue;
        const star = anyPrincipal(doc, policy, statement);
        if (!star || !anyResource(doc, policy, statement)) continue;
        if (restriction(doc, policy, statement).restricted) continue;
        // A Deny to everyone unless the caller is in the account or organization confines it.
        if (confiningDeny(doc, policy, statement)) continue;
        const where = endpoint ? `VPC endpoint ${endpoint.id}` : 'This endpoint policy';
        report({
          span: star,
          resource: policy.resource,
          message: `${where} lets any principal (Principal "*") use it for any resource, with no condition: credentials of any AWS account work through it, including to move data out. Restrict it to your account (aws:PrincipalAccount) or organization, or to your own resources.`,
          fixes: statementFixes(doc, graph, policy, statement, endpoint),
        });
      }
    }
    if (!graph) return;
    for (const endpoint of graph.endpoints) {
      const resource = endpoint.resource;
      if (
        withPolicy.has(resource.id) ||
        endpoint.type === 'GatewayLoadBalancer' ||
        endpoint.type === undefined
      )
        continue;
      if (!policyAbsent(doc, graph, resource)) continue;
      report({
        span: resource.keyNode,
        resource,
        message: `VPC endpoint ${resource.id} has no policy, so the default applies: full access for any principal to any resource of the service, including other accounts' resources. Add a policy restricted to your account (aws:PrincipalAccount) or organization.`,
        fixes: absentFixes(doc, graph, resource),
      });
    }
  },
};

/** The endpoint a policy belongs to (the endpoint itself, or the one aws_vpc_endpoint_policy names). */
function endpointOf(graph: NetworkGraph, resource: Resource): Resource | undefined {
  if (ENDPOINT_TYPES.has(resource.type)) return resource;
  const link = graph.firstLink(resource, ['vpc_endpoint_id']);
  return link ? graph.doc.resourcesById.get(link.id) : undefined;
}

function policyAbsent(doc: TemplateDocument, graph: NetworkGraph, resource: Resource): boolean {
  if (doc.format === 'cfn') return at(resource.properties, ['PolicyDocument']) === undefined;
  if (doc.format === 'tf') return at(resource.properties, ['policy']) === undefined;
  // Plans: the provider computes the default policy; absent means the configuration sets none.
  const expressions = graph.planExpressions(resource);
  return expressions !== undefined && get(expressions, 'policy') === undefined;
}

function anyPrincipal(doc: TemplateDocument, policy: PolicyDocument, statement: Statement): Node | undefined {
  const principal = statement.entries.get('Principal')?.value;
  if (!principal) return undefined;
  if (principal.kind === 'scalar') return principal.value === '*' ? principal : undefined;
  const aws = get(principal, 'AWS');
  if (!aws) return undefined;
  for (const item of valueItems(doc, policy, aws)) if (knownValues(item).includes('*')) return item.node;
  return undefined;
}

/** Data-perimeter keys that limit an endpoint policy to the resources of your account or organization. */
const RESOURCE_KEYS = ['aws:resourceaccount', 'aws:resourceorgid', 'aws:resourceorgpaths'];

/**
 * `Resource: "*"` (or absent / NotResource): naming your own resources is a restriction, and so
 * is a positive condition on aws:ResourceAccount / aws:ResourceOrgID / aws:ResourceOrgPaths (the
 * data-perimeter endpoint policy AWS documents).
 */
function anyResource(doc: TemplateDocument, policy: PolicyDocument, statement: Statement): boolean {
  for (const c of conditionItems(statement)) {
    const op = c.operator;
    if (!RESOURCE_KEYS.includes(c.key.toLowerCase()) || !op || op.family === 'Null') continue;
    if (op.negated || op.ifExists || op.set === 'ForAllValues') continue;
    const values = valueItems(doc, policy, c.value).flatMap(knownValues);
    if (!values.includes('*')) return false;
  }
  if (statement.entries.has('NotResource')) return true;
  const node = statement.entries.get('Resource')?.value;
  if (!node) return true;
  return valueItems(doc, policy, node).some((item) => knownValues(item).includes('*'));
}

/** The account to allow: CFN `${AWS::AccountId}`; TF the VPC's owner account. */
function account(
  doc: TemplateDocument,
  graph: NetworkGraph | undefined,
  endpoint: Resource | undefined,
): { value: NewValue; text: string } | undefined {
  if (doc.format === 'cfn') return { value: { Ref: 'AWS::AccountId' }, text: '${AWS::AccountId}' };
  if (doc.format !== 'tf' || !graph || !endpoint) return undefined;
  const vpc = graph.firstLink(endpoint, ['vpc_id'])?.id;
  return vpc ? { value: `\${${vpc}.owner_id}`, text: `\${${vpc}.owner_id}` } : undefined;
}

function statementFixes(
  doc: TemplateDocument,
  graph: NetworkGraph | undefined,
  policy: PolicyDocument,
  statement: Statement,
  endpoint: Resource | undefined,
): FixRecipe[] {
  if (!canFix(doc, policy) || doc.format === 'iam') return [];
  const who = account(doc, graph, endpoint);
  if (!who) return [];
  // A plain CFN JSON string cannot hold a reference; Fn::Sub and Terraform strings can.
  if (policy.embedded && policy.embedded.flavor === 'none') return [];
  return [
    {
      title: `Allow only principals of this account (${KEY})`,
      safety: 'unsafe',
      ops: setInPolicyOps(
        doc,
        policy,
        statement.node,
        ['Condition', 'StringEquals', KEY],
        who.value,
        who.text,
      ),
    },
  ];
}

function absentFixes(doc: TemplateDocument, graph: NetworkGraph, resource: Resource): FixRecipe[] {
  if (doc.format === 'plan') return [];
  const title = `Add a policy that allows only principals of this account (${KEY})`;
  if (doc.format === 'cfn')
    return [
      {
        title,
        safety: 'unsafe',
        ops: [setPathOp(resource.node, ['Properties', 'PolicyDocument'], accountOnlyPolicy('cfn', ''))],
      },
    ];
  const vpc = graph.firstLink(resource, ['vpc_id'])?.id;
  if (!resource.properties || !vpc) return [];
  return [
    {
      title,
      safety: 'unsafe',
      ops: [{ op: 'set', map: resource.properties, key: 'policy', value: accountOnlyPolicy('tf', vpc) }],
    },
  ];
}

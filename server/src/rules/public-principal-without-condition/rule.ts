import { restApiEndpointType } from '../../model/cfn';
import type { Resource, TemplateDocument } from '../../model/document';
import type { FixOp, FixRecipe } from '../../fixes/recipe';
import type { Node } from '../../parse/tree';
import { get } from '../../parse/tree';
import { actionSummary, confiningDeny, restriction, statementName } from '../../policy/conditions';
import { isApiGatewayPolicy, policies, type PolicyDocument, type Statement } from '../../policy/extract';
import { canFix, setInPolicyOps } from '../../policy/fix';
import { knownValues, valueItems } from '../../policy/read';
import type { Rule } from '../types';
import { checkLambdaPermissions } from './lambdaPermission';
import docs from './rule.md?raw';

const PLACEHOLDER_ORG = 'o-xxxxxxxxxx';

export const publicPrincipalWithoutCondition: Rule = {
  meta: {
    id: 'public-principal-without-condition',
    summary: 'A policy allows everyone ("Principal": "*") with no condition that restricts the caller',
    category: 'policy',
    severity: 'error',
    formats: ['cfn', 'tf', 'plan', 'iam'],
    resourceTypes: ['*'],
    fixSafety: 'unsafe',
    doesNotReport:
      'statements restricted by a caller-pinning key (global or service: kms:CallerAccount, s3:DataAccessPointAccount, lambda:FunctionUrlAuthType AWS_IAM ...), Allows confined by a Deny-unless (private API pattern), OpenSearch domains with fine-grained access control, unknown condition values, VPC endpoint policies (a VPC search domain is a warning)',
    references: {
      aws: [
        'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html',
        'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html',
        'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status',
      ],
      cwe: ['CWE-284', 'CWE-732'],
      checkov: ['CKV_AWS_70', 'CKV_AWS_168', 'CKV_AWS_169', 'CKV_AWS_33', 'CKV_AWS_283'],
      cfnNag: ['F16', 'F18', 'F20'],
      securityHub: ['S3.2', 'S3.3', 'KMS.5', 'SQS.3', 'SNS.4'],
    },
  },
  docs,
  check({ doc, facts, report }) {
    checkLambdaPermissions(doc, report);
    for (const policy of policies(facts)) {
      // Identity policies cannot name principals; endpoint policies only apply to traffic that is
      // already inside the VPC (vpc-endpoint-policy-unrestricted covers those).
      if (policy.kind === 'identity' || policy.kind === 'endpoint') continue;
      for (const statement of policy.statements) {
        if (statement.effect !== 'Allow') continue;
        const star = publicPrincipal(doc, policy, statement);
        if (!star) continue;
        const { restricted, reasons } = restriction(doc, policy, statement);
        if (restricted) continue;
        // The private API pattern: Allow "*", plus a Deny unless the request comes through the VPC endpoint.
        if (confiningDeny(doc, policy, statement)) continue;
        const why = reasons.length
          ? ` Its conditions do not restrict the caller: ${reasons.join('; ')}.`
          : ' It has no condition on the caller or network, and no Deny in the policy confines it.';
        const who =
          policy.kind === 'trust'
            ? 'any AWS account can assume this role'
            : 'anyone (any AWS account, and anonymous callers where the service allows them) can use it';
        const how = isApiGatewayPolicy(policy)
          ? 'Restrict it with a condition on aws:SourceVpce, aws:SourceVpc or aws:SourceIp (or a Deny unless one of them matches), or name the principals.'
          : 'Restrict it with a condition on aws:PrincipalOrgID, aws:PrincipalAccount, aws:SourceVpce or aws:SourceArn, or name the principals.';
        // With fine-grained access control, an open access policy is the documented setup: the
        // domain authenticates every request itself (internal users, SAML, IAM role mapping).
        if (policy.resource && fineGrained(policy.resource)) continue;
        if (policy.resource && inVpc(policy.resource)) {
          // A VPC domain has no public endpoint: "*" means whoever can reach it in the VPC.
          report({
            span: star,
            resource: policy.resource,
            severity: 'warning',
            message: `${statementName(statement)} allows everyone (Principal "*") to ${actionSummary(statement)}, but the domain is in a VPC (${VPC_DOMAINS[policy.resource.type]}): it is reachable from anything that can route to the VPC, and callers there need not sign requests, so its security groups are the only control. Name the principals, or add a condition on aws:PrincipalAccount, to require signed requests from your accounts.`,
            fixes: fixes(doc, policy, statement),
          });
          continue;
        }
        // A private REST API has no public endpoint, but any account's execute-api VPC endpoint reaches it.
        const endpoint =
          policy.resource && isApiGatewayPolicy(policy)
            ? restApiEndpointType(doc, policy.resource)
            : undefined;
        if (endpoint?.type === 'PRIVATE') {
          report({
            span: star,
            resource: policy.resource,
            message: `${statementName(statement)} allows everyone (Principal "*") to ${actionSummary(statement)}: the API is private, but a private API is reachable through the execute-api VPC endpoints of any AWS account, so anyone who creates one can call it.${why} Restrict it with a condition on aws:SourceVpce (your endpoints) or aws:SourceVpc, or a Deny unless one of them matches.`,
            related: [{ span: endpoint.node, message: 'The API is PRIVATE' }],
            fixes: fixes(doc, policy, statement),
          });
          continue;
        }
        report({
          span: star,
          resource: policy.resource,
          message: `${statementName(statement)} allows everyone (Principal "*") to ${actionSummary(statement)}: ${who}.${why} ${how}`,
          fixes: fixes(doc, policy, statement),
        });
      }
    }
  },
};

/** Search domains that take VPCOptions: in a VPC they have no public endpoint. */
const VPC_DOMAINS: Record<string, string> = {
  'AWS::OpenSearchService::Domain': 'VPCOptions',
  'AWS::Elasticsearch::Domain': 'VPCOptions',
  aws_opensearch_domain: 'vpc_options',
  aws_elasticsearch_domain: 'vpc_options',
};

const FINE_GRAINED: Record<string, [string, string]> = {
  'AWS::OpenSearchService::Domain': ['AdvancedSecurityOptions', 'Enabled'],
  'AWS::Elasticsearch::Domain': ['AdvancedSecurityOptions', 'Enabled'],
  aws_opensearch_domain: ['advanced_security_options', 'enabled'],
  aws_elasticsearch_domain: ['advanced_security_options', 'enabled'],
};

function fineGrained(resource: Resource): boolean {
  const path = FINE_GRAINED[resource.type];
  let block = path && resource.properties ? get(resource.properties, path[0]) : undefined;
  if (block?.kind === 'seq') block = block.items[0];
  const enabled = block?.kind === 'map' ? get(block, path![1]) : undefined;
  return enabled?.kind === 'scalar' && String(enabled.value).toLowerCase() === 'true';
}

function inVpc(resource: Resource): boolean {
  const key = VPC_DOMAINS[resource.type];
  const value = key && resource.properties ? get(resource.properties, key) : undefined;
  if (!value) return false;
  return value.kind === 'seq' ? value.items.length > 0 : value.kind === 'map';
}

/** The `*` that makes a statement public: `Principal: "*"` or `{"AWS": "*"}` (or `*` in its list). */
function publicPrincipal(
  doc: TemplateDocument,
  policy: PolicyDocument,
  statement: Statement,
): Node | undefined {
  const principal = statement.entries.get('Principal')?.value;
  if (!principal) return undefined;
  if (principal.kind === 'scalar') return principal.value === '*' ? principal : undefined;
  const aws = get(principal, 'AWS');
  if (!aws) return undefined;
  for (const item of valueItems(doc, policy, aws)) if (knownValues(item).includes('*')) return item.node;
  return undefined;
}

function fixes(doc: TemplateDocument, policy: PolicyDocument, statement: Statement): FixRecipe[] {
  if (!canFix(doc, policy)) return [];
  const path = ['Condition', 'StringEquals', 'aws:PrincipalOrgID'];
  const ops: FixOp[] = [];
  let title: string;
  if (doc.format === 'iam') {
    ops.push(...setInPolicyOps(doc, policy, statement.node, path, PLACEHOLDER_ORG));
    title = `Allow only principals of your organization (aws:PrincipalOrgID, replace the placeholder ${PLACEHOLDER_ORG})`;
  } else if (doc.format === 'cfn') {
    if (policy.embedded && policy.embedded.flavor !== 'sub') return [];
    ops.push({
      op: 'addParameter',
      name: 'OrganizationId',
      spec: {
        cfn: {
          Type: 'String',
          Description: 'AWS Organizations id (o-...) whose principals may use this resource.',
          AllowedPattern: '^o-[a-z0-9]{10,32}$',
        },
        tf: {},
      },
    });
    ops.push(
      ...setInPolicyOps(doc, policy, statement.node, path, { $param: 'OrganizationId' }, '${OrganizationId}'),
    );
    title = 'Allow only principals of your organization (aws:PrincipalOrgID = new parameter OrganizationId)';
  } else {
    ops.push({
      op: 'addParameter',
      name: 'organization_id',
      spec: {
        cfn: {},
        tf: {
          type: 'string',
          description: 'AWS Organizations id (o-...) whose principals may use this resource.',
        },
      },
    });
    ops.push(
      ...setInPolicyOps(
        doc,
        policy,
        statement.node,
        path,
        { $param: 'organization_id' },
        '${var.organization_id}',
      ),
    );
    title = 'Allow only principals of your organization (aws:PrincipalOrgID = new variable organization_id)';
  }
  return [{ title, safety: 'unsafe', ops }];
}

import { viaEvidence } from '../../resolve/values';
import type { Path } from '../../facts/graph/types';
import { networkGraph } from '../../facts/graph/networkGraph';
import { at, toBool } from '../../facts/graph/properties';
import type { FixRecipe } from '../../fixes/recipe';
import { setPathOp } from '../../fixes/recipe';
import type { Resource, TemplateDocument } from '../../model/document';
import type { Value } from '../../resolve/values';
import { describeVia, knownStrings, NO_VALUE, resolve } from '../../resolve/values';
import type { Rule } from '../types';
import docs from './rule.md?raw';

interface Check {
  label: string;
  /** Property path; numbers step into Terraform blocks. */
  path: Path;
  /** True when the value (NO_VALUE: absent) makes the service public; undefined when unknown. */
  isPublic: (value: Value) => boolean | undefined;
  /** What is wrong, for the message: "PubliclyAccessible: true". */
  what: (value: Value) => string;
  why: string;
  fix?: { value: string | boolean; when?: (resource: Resource) => boolean };
  /** The check applies only to resources for which this holds (a permission for everyone, a network policy). */
  applies?: (doc: TemplateDocument, resource: Resource) => boolean;
}

const bool = (v: Value) => (v === NO_VALUE ? false : toBool(v));
const enabled = (v: Value) => (v === NO_VALUE ? true : typeof v === 'string' ? v === 'Enabled' : undefined);
const literal = (key: string) => (v: Value) =>
  v === NO_VALUE ? `${key} not set: Enabled by default` : `${key}: ${String(v as string)}`;

const MQ =
  'the broker gets public endpoints reachable from the internet (it cannot be made private later without replacing it). Set it to false and reach the broker from inside the VPC.';
const MSK =
  'brokers get public IP addresses reachable from the internet. Turn public access off (DISABLED) and connect from inside the VPC or through PrivateLink.';
const SEARCH =
  'the domain gets a public endpoint, guarded only by its access policy. Create it in a VPC (VPCOptions with subnets and security groups); that replaces the domain.';
const NOTEBOOK =
  'SageMaker gives the notebook its own internet access outside your VPC controls. Set it to Disabled and give the notebook a subnet with the egress you choose.';
const URL =
  'anyone on the internet who has the URL can invoke the function, unauthenticated. Use AWS_IAM (sign requests), or check callers in the function and accept the risk explicitly.';

const URL_PERMISSION =
  'this function URL permission lets anyone on the internet invoke the function through its URL, unauthenticated. Use AuthType AWS_IAM on the URL and FunctionUrlAuthType AWS_IAM here, with the callers as principals.';
const COLLECTION =
  'the OpenSearch Serverless collections (or dashboards) it covers get endpoints reachable from the internet, guarded only by data access policies. Allow access from VPC endpoints (SourceVPCEs) instead.';

const CHECKS: Record<string, Check> = {
  'AWS::AmazonMQ::Broker': {
    label: 'Amazon MQ broker',
    path: ['PubliclyAccessible'],
    isPublic: bool,
    what: () => 'PubliclyAccessible: true',
    why: MQ,
    fix: { value: false },
  },
  aws_mq_broker: {
    label: 'Amazon MQ broker',
    path: ['publicly_accessible'],
    isPublic: bool,
    what: () => 'publicly_accessible: true',
    why: MQ,
    fix: { value: false },
  },
  'AWS::MSK::Cluster': {
    label: 'MSK cluster',
    path: ['BrokerNodeGroupInfo', 'ConnectivityInfo', 'PublicAccess', 'Type'],
    isPublic: (v) =>
      v === NO_VALUE ? false : typeof v === 'string' ? v === 'SERVICE_PROVIDED_EIPS' : undefined,
    what: () => 'PublicAccess Type: SERVICE_PROVIDED_EIPS',
    why: MSK,
    fix: { value: 'DISABLED' },
  },
  aws_msk_cluster: {
    label: 'MSK cluster',
    path: ['broker_node_group_info', 0, 'connectivity_info', 0, 'public_access', 0, 'type'],
    isPublic: (v) =>
      v === NO_VALUE ? false : typeof v === 'string' ? v === 'SERVICE_PROVIDED_EIPS' : undefined,
    what: () => 'public_access type: SERVICE_PROVIDED_EIPS',
    why: MSK,
    fix: { value: 'DISABLED' },
  },
  'AWS::OpenSearchService::Domain': {
    label: 'OpenSearch domain',
    path: ['VPCOptions'],
    isPublic: (v) => v === NO_VALUE,
    what: () => 'no VPCOptions',
    why: SEARCH,
  },
  'AWS::Elasticsearch::Domain': {
    label: 'Elasticsearch domain',
    path: ['VPCOptions'],
    isPublic: (v) => v === NO_VALUE,
    what: () => 'no VPCOptions',
    why: SEARCH,
  },
  aws_opensearch_domain: {
    label: 'OpenSearch domain',
    path: ['vpc_options'],
    isPublic: (v) => v === NO_VALUE || (Array.isArray(v) && v.length === 0),
    what: () => 'no vpc_options',
    why: SEARCH,
  },
  aws_elasticsearch_domain: {
    label: 'Elasticsearch domain',
    path: ['vpc_options'],
    isPublic: (v) => v === NO_VALUE || (Array.isArray(v) && v.length === 0),
    what: () => 'no vpc_options',
    why: SEARCH,
  },
  'AWS::SageMaker::NotebookInstance': {
    label: 'SageMaker notebook instance',
    path: ['DirectInternetAccess'],
    isPublic: enabled,
    what: literal('DirectInternetAccess'),
    why: NOTEBOOK,
    // Disabled needs a subnet (the notebook's only way out is then the VPC).
    fix: { value: 'Disabled', when: (r) => at(r.properties, ['SubnetId']) !== undefined },
  },
  aws_sagemaker_notebook_instance: {
    label: 'SageMaker notebook instance',
    path: ['direct_internet_access'],
    isPublic: enabled,
    what: literal('direct_internet_access'),
    why: NOTEBOOK,
    fix: { value: 'Disabled', when: (r) => at(r.properties, ['subnet_id']) !== undefined },
  },
  'AWS::Lambda::Url': {
    label: 'Lambda function URL',
    path: ['AuthType'],
    isPublic: (v) => (typeof v === 'string' ? v === 'NONE' : undefined),
    what: () => 'AuthType: NONE',
    why: URL,
    fix: { value: 'AWS_IAM' },
  },
  'AWS::Lambda::Permission': {
    label: 'Lambda permission',
    path: ['FunctionUrlAuthType'],
    isPublic: (v) => (typeof v === 'string' ? v === 'NONE' : undefined),
    what: () => 'FunctionUrlAuthType: NONE, Principal: *',
    why: URL_PERMISSION,
    applies: (doc, r) => everyone(doc, r, 'Principal'),
  },
  aws_lambda_permission: {
    label: 'Lambda permission',
    path: ['function_url_auth_type'],
    isPublic: (v) => (typeof v === 'string' ? v === 'NONE' : undefined),
    what: () => 'function_url_auth_type: NONE, principal: *',
    why: URL_PERMISSION,
    applies: (doc, r) => everyone(doc, r, 'principal'),
  },
  'AWS::OpenSearchServerless::SecurityPolicy': {
    label: 'OpenSearch Serverless network policy',
    path: ['Policy'],
    isPublic: allowsFromPublic,
    what: () => 'AllowFromPublic: true',
    why: COLLECTION,
    applies: (doc, r) => networkPolicy(doc, r, 'Type'),
  },
  aws_opensearchserverless_security_policy: {
    label: 'OpenSearch Serverless network policy',
    path: ['policy'],
    isPublic: allowsFromPublic,
    what: () => 'AllowFromPublic: true',
    why: COLLECTION,
    applies: (doc, r) => networkPolicy(doc, r, 'type'),
  },
  aws_lambda_function_url: {
    label: 'Lambda function URL',
    path: ['authorization_type'],
    isPublic: (v) => (typeof v === 'string' ? v === 'NONE' : undefined),
    what: () => 'authorization_type: NONE',
    why: URL,
    fix: { value: 'AWS_IAM' },
  },
};

export const servicePubliclyAccessible: Rule = {
  meta: {
    id: 'service-publicly-accessible',
    summary:
      'An Amazon MQ broker, MSK cluster, OpenSearch domain or Serverless collection, SageMaker notebook or Lambda URL open to the internet',
    category: 'public',
    severity: 'warning',
    formats: ['cfn', 'tf', 'plan'],
    // SAM: a function's FunctionUrlConfig is read as the AWS::Lambda::Url it generates (model/cfn.ts).
    resourceTypes: [...Object.keys(CHECKS), 'AWS::Serverless::Function'],
    fixSafety: 'unsafe',
    references: {
      aws: [
        'https://docs.aws.amazon.com/securityhub/latest/userguide/mq-controls.html',
        'https://docs.aws.amazon.com/msk/latest/developerguide/public-access.html',
        'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/vpc.html',
        'https://docs.aws.amazon.com/sagemaker/latest/dg/appendix-notebook-and-internet-access.html',
        'https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html',
        'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-network.html',
      ],
      cwe: ['CWE-284'],
      checkov: ['CKV_AWS_69', 'CKV_AWS_248', 'CKV_AWS_122', 'CKV_AWS_258'],
      cfnNag: ['W85'],
      securityHub: ['MQ.3', 'MSK.4', 'Opensearch.2', 'ES.2', 'SageMaker.2', 'Lambda.1'],
    },
  },
  docs,
  controls: [
    {
      keys: ['PubliclyAccessible', 'publicly_accessible'],
      resourceTypes: ['AWS::AmazonMQ::Broker', 'aws_mq_broker'],
      markdown: `**Publicly accessible broker.** When true, ${MQ}`,
    },
    {
      keys: ['PublicAccess', 'public_access'],
      resourceTypes: ['AWS::MSK::Cluster', 'aws_msk_cluster'],
      markdown: `**MSK public access.** \`SERVICE_PROVIDED_EIPS\`: ${MSK} [Public access](https://docs.aws.amazon.com/msk/latest/developerguide/public-access.html)`,
    },
    {
      keys: ['DirectInternetAccess', 'direct_internet_access'],
      resourceTypes: ['AWS::SageMaker::NotebookInstance', 'aws_sagemaker_notebook_instance'],
      markdown: `**Direct internet access** (default \`Enabled\`): ${NOTEBOOK}`,
    },
    {
      keys: ['AuthType', 'authorization_type'],
      resourceTypes: ['AWS::Lambda::Url', 'aws_lambda_function_url'],
      markdown: `**Function URL auth type.** \`NONE\`: ${URL} [Function URL security](https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html)`,
    },
  ],
  check({ doc, facts, report }) {
    const graph = networkGraph(facts);
    for (const resource of doc.resources) {
      const check = CHECKS[resource.type];
      if (!check || (check.applies && !check.applies(doc, resource))) continue;
      const node = at(resource.properties, check.path);
      const values = graph.values(resource, check.path);
      const verdicts = values.map((p) => check.isPublic(p.value));
      const i = verdicts.indexOf(true);
      if (i < 0) continue;
      const via = values[i]!.via;
      const conditional = verdicts.some((v) => v !== true) || via.some((v) => v.kind !== 'parameter-default');
      const how = describeVia(via);
      const defaulted = values[i]!.value === NO_VALUE;
      report({
        span: node && !defaulted ? node : resource.keyNode,
        resource,
        message: `${check.label} ${resource.id} ${conditional ? 'can be' : 'is'} open to the internet (${check.what(values[i]!.value)}${how ? `, through ${how}` : ''}): ${check.why}`,
        related: viaEvidence(via),
        fixes: fixes(doc, resource, check, node),
      });
    }
  },
};

/** True when the property names everyone (`*`) in some known possibility. */
function everyone(doc: TemplateDocument, resource: Resource, key: string): boolean {
  return knownStrings(resolve(doc, at(resource.properties, [key]))).includes('*');
}

function networkPolicy(doc: TemplateDocument, resource: Resource, key: string): boolean {
  return knownStrings(resolve(doc, at(resource.properties, [key]))).some(
    (t) => t.toLowerCase() === 'network',
  );
}

/**
 * An OpenSearch Serverless network policy (a JSON list of rule sets, as a string or, from HCL
 * `jsonencode`, a value): true when a rule set has `AllowFromPublic: true`; undefined when it
 * cannot be read.
 */
function allowsFromPublic(value: Value): boolean | undefined {
  let policy: unknown = value;
  if (typeof value === 'string') {
    try {
      policy = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof policy !== 'object' || policy === null) return undefined;
  const sets: unknown[] = Array.isArray(policy) ? policy : [policy];
  return sets.some(
    (set) =>
      typeof set === 'object' && set !== null && (set as Record<string, unknown>).AllowFromPublic === true,
  );
}

function fixes(
  doc: TemplateDocument,
  resource: Resource,
  check: Check,
  node: ReturnType<typeof at>,
): FixRecipe[] {
  const fix = check.fix;
  if (!fix || doc.format === 'plan' || (fix.when && !fix.when(resource))) return [];
  const key = String(check.path[check.path.length - 1]);
  const title = `Set ${key} to ${String(fix.value)}`;
  if (node) return [{ title, safety: 'unsafe', ops: [{ op: 'replace', node, value: fix.value }] }];
  if (check.path.length !== 1) return [];
  const op =
    doc.format === 'cfn'
      ? setPathOp(resource.node, ['Properties', key], fix.value)
      : resource.properties
        ? ({ op: 'set', map: resource.properties, key, value: fix.value } as const)
        : undefined;
  return op ? [{ title, safety: 'unsafe', ops: [op] }] : [];
}

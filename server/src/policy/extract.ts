// Every policy document in a document, in one linear pass: standalone policies (the root),
// CloudFormation `PolicyDocument` / `AssumeRolePolicyDocument` / `KeyPolicy` / `AccessPolicies` /
// `Policies[].PolicyDocument` ... (objects, JSON strings, Fn::Sub templates), Terraform JSON
// attributes holding a JSON string (`policy`, `assume_role_policy`, `inline_policy[].policy`,
// `access_policies` ...) or a nested object, and plan `values`. Policies are found by shape
// (a map with `Statement`, or a string that parses to one), so new resource types work too;
// the resource type and property decide what kind of policy it is.
//
// Embedded policies (strings) are parsed by embedded.ts; their nodes carry file offsets.

import type { Facts } from '../facts';
import { untracked } from '../facts';
import type { Resource, TemplateDocument } from '../model/document';
import type { Entry, MapNode, Node, ScalarNode, SyntaxProblem } from '../parse/tree';
import { get, items, scalarString } from '../parse/tree';
import type { Interpolation, OffsetMap } from './embedded';
import { renderPolicyDocument } from './dataSource';
import { parseEmbedded } from './embedded';

/**
 * identity: attached to a user, group or role (no Principal); resource: on a bucket, queue, key ...
 * (Principal required); trust: a role's AssumeRolePolicyDocument; endpoint: a VPC endpoint policy;
 * unknown: standalone files and policies whose kind cannot be told.
 */
export type PolicyKind = 'identity' | 'resource' | 'trust' | 'endpoint' | 'unknown';

export interface Statement {
  node: MapNode;
  /** 0-based position in the policy's statement list. */
  index: number;
  /** The statement's elements by name (exact spelling). */
  entries: Map<string, Entry>;
  /** The literal Effect, when it is a known string. */
  effect: string | undefined;
}

export interface Embedded {
  /** The string (or Fn::Sub template) holding the policy. */
  stringNode: ScalarNode;
  map: OffsetMap;
  flavor: Interpolation;
  /** Scalars that contain interpolation (their value is not known). */
  unknown: Set<Node>;
  unknownText: Map<Node, string>;
}

export interface PolicyDocument {
  /** The policy's root node (for embedded policies: mapped into the file). */
  node: Node;
  statements: Statement[];
  embedded?: Embedded;
  /** JSON syntax errors inside an embedded policy string. */
  problems: SyntaxProblem[];
  resource?: Resource;
  /** Human-readable location: `BucketPolicy.PolicyDocument`, `aws_iam_role.app.assume_role_policy`, `policy`. */
  where: string;
  kind: PolicyKind;
  /** The key of the property holding the policy (where to report an absent element). */
  hostKey?: ScalarNode;
}

export function policies(facts: Facts): PolicyDocument[] {
  return facts.memo('policies', extractPolicies, {
    // Every resource is walked for policies, but only those holding one make the fact.
    dependsOn: (resource, doc) =>
      doc.format === 'iam' || (!!resource.properties && sitesOf(doc.format, resource.properties).length > 0),
    // A policy in a string maps its offsets as numbers, and a rendered `aws_iam_policy_document`
    // is built anew: derived again after any edit when there is one.
    keep: (found: PolicyDocument[], doc) => doc.format === 'cfn' && found.every((p) => !p.embedded),
  });
}

export function extractPolicies(doc: TemplateDocument): PolicyDocument[] {
  const out: PolicyDocument[] = [];
  if (doc.format === 'iam') {
    if (doc.root?.kind === 'map') out.push(build(doc, doc.root, { where: 'policy', kind: 'unknown' }));
    return out;
  }
  for (const resource of doc.resources) {
    // Walked without recording (see `dependsOn` above); a resource with a policy is read.
    const properties = untracked(resource).properties;
    if (!properties) continue;
    const sites = sitesOf(doc.format, properties);
    if (sites.length && resource.properties) for (const site of sites) buildSite(doc, resource, site, out);
  }
  return out;
}

function buildSite(doc: TemplateDocument, resource: Resource, site: Site, out: PolicyDocument[]): void {
  const where = `${resource.id}${site.where}`;
  if (site.kind === 'map') {
    out.push(
      build(doc, site.node, {
        resource,
        where,
        hostKey: site.hostKey,
        kind: kindOf(resource.type, scalarString(site.hostKey)),
      }),
    );
    return;
  }
  if (site.kind === 'data') {
    // `data.aws_iam_policy_document.x.json`: the policy that data source renders (once per document).
    const rendered = policyDataSource(doc, site.node);
    if (rendered) {
      if (!out.some((p) => p.node === rendered))
        for (const inner of walkSites(doc.format, rendered, site.where, site.hostKey, site.depth))
          buildSite(doc, resource, inner, out);
      return;
    }
    if (!looksLikePolicyText(site.node.value)) return;
  }
  out.push(embedded(doc, resource, site.node, where, site.hostKey, site.flavor));
}

/**
 * Where a policy may be inside a resource's properties: a policy map, a policy in a string (or
 * Fn::Sub template), or a reference to an `aws_iam_policy_document` (rendered with the
 * document's data sources when the policies are built).
 */
type Site =
  | { kind: 'map'; node: MapNode; where: string; hostKey: ScalarNode | undefined }
  | {
      kind: 'embedded' | 'data';
      node: ScalarNode;
      where: string;
      hostKey: ScalarNode | undefined;
      flavor: Interpolation;
      depth: number;
    };

/**
 * The walk over every property is what policies cost on large templates, and its result depends
 * only on the properties tree: it is kept per tree, so a resource whose text did not change (its
 * nodes are kept from one version to the next, parse/yaml.ts) is not walked again.
 */
const sitesByTree = new WeakMap<Node, { format: string; sites: Site[] }>();

function sitesOf(format: TemplateDocument['format'], properties: Node): Site[] {
  const known = sitesByTree.get(properties);
  if (known?.format === format) return known.sites;
  const sites = walkSites(format, properties, '', undefined, 0);
  sitesByTree.set(properties, { format, sites });
  return sites;
}

const MAX_DEPTH = 40;

function walkSites(
  format: TemplateDocument['format'],
  node: Node,
  path: string,
  hostKey: ScalarNode | undefined,
  depth: number,
): Site[] {
  const out: Site[] = [];
  const cfn = format === 'cfn';
  const scan = (node: Node, path: string, hostKey: ScalarNode | undefined, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    if (node.kind === 'map') {
      for (const entry of node.entries) {
        const key = entry.key.value;
        const intrinsic = cfn && (key === 'Ref' || key.startsWith('Fn::'));
        const childKey = intrinsic ? hostKey : entry.key;
        const childPath = intrinsic ? path : `${path}.${key}`;
        if (cfn && key === 'Fn::Sub') {
          const template = entry.value.kind === 'seq' ? entry.value.items[0] : entry.value;
          if (template?.kind === 'scalar' && looksLikePolicyText(template.value)) {
            out.push({
              kind: 'embedded',
              node: template,
              where: childPath,
              hostKey: childKey,
              flavor: 'sub',
              depth,
            });
            continue;
          }
        }
        visit(entry.value, childPath, childKey, depth);
      }
    } else if (node.kind === 'seq') {
      node.items.forEach((item, i) => visit(item, `${path}[${i}]`, hostKey, depth));
    }
  };
  const visit = (value: Node, path: string, hostKey: ScalarNode | undefined, depth: number): void => {
    if (value.kind === 'map' && isPolicyMap(value)) {
      out.push({ kind: 'map', node: value, where: path, hostKey });
      return;
    }
    if (value.kind === 'scalar') {
      // HCL `jsonencode({ Statement = [...] })`: the object is the policy, with its own ranges.
      const encoded =
        value.expr?.type === 'call' && value.expr.name === 'jsonencode' ? value.expr.args[0] : undefined;
      if (encoded && encoded.kind !== 'scalar') {
        visit(encoded, path, hostKey, depth);
        return;
      }
      const flavor = format === 'tf' ? 'tf' : 'none';
      if (namesPolicyDataSource(value))
        out.push({ kind: 'data', node: value, where: path, hostKey, flavor, depth });
      else if (looksLikePolicyText(value.value))
        out.push({ kind: 'embedded', node: value, where: path, hostKey, flavor, depth });
      return;
    }
    scan(value, path, hostKey, depth + 1);
  };
  visit(node, path, hostKey, depth);
  return out;
}

function embedded(
  doc: TemplateDocument,
  resource: Resource,
  stringNode: ScalarNode,
  where: string,
  hostKey: ScalarNode | undefined,
  flavor: Interpolation,
): PolicyDocument {
  const parsed = parseEmbedded(doc.text, stringNode, String(stringNode.value), flavor);
  const root: Node = parsed.root ?? {
    kind: 'map',
    entries: [],
    style: 'json',
    start: stringNode.start,
    end: stringNode.end,
  };
  const policy = build(doc, root, {
    resource,
    where,
    hostKey,
    kind: kindOf(resource.type, scalarString(hostKey)),
  });
  policy.embedded = {
    stringNode,
    map: parsed.map,
    flavor,
    unknown: parsed.unknown,
    unknownText: parsed.unknownText,
  };
  policy.problems = parsed.problems;
  return policy;
}

function build(
  doc: TemplateDocument,
  node: Node,
  info: Pick<PolicyDocument, 'where' | 'kind' | 'resource' | 'hostKey'>,
): PolicyDocument {
  const statements: Statement[] = [];
  let index = 0;
  for (const item of statementNodes(doc, get(node, 'Statement'))) {
    const entries = new Map<string, Entry>();
    for (const entry of item.entries) if (!entries.has(entry.key.value)) entries.set(entry.key.value, entry);
    const effect = scalarString(entries.get('Effect')?.value);
    statements.push({ node: item, index: index++, entries, effect });
  }
  const policy: PolicyDocument = { node, statements, problems: [], where: info.where, kind: info.kind };
  if (info.resource) policy.resource = info.resource;
  if (info.hostKey) policy.hostKey = info.hostKey;
  return policy;
}

/** The statement maps of a `Statement` value: one map, a list, CloudFormation `Fn::If` branches. */
export function statementNodes(doc: TemplateDocument, node: Node | undefined, depth = 0): MapNode[] {
  if (!node || depth > 8) return [];
  const out: MapNode[] = [];
  for (const item of items(node)) {
    if (item.kind !== 'map') continue;
    const only = item.entries.length === 1 ? item.entries[0]! : undefined;
    if (doc.format === 'cfn' && only && (only.key.value === 'Ref' || only.key.value.startsWith('Fn::'))) {
      if (only.key.value === 'Fn::If' && only.value.kind === 'seq')
        for (const branch of only.value.items.slice(1)) out.push(...statementNodes(doc, branch, depth + 1));
      continue;
    }
    out.push(item);
  }
  return out;
}

const STATEMENT_HINTS = ['Effect', 'Action', 'NotAction', 'Principal', 'NotPrincipal', 'Resource'];

/** A map with `Statement` whose statements look like policy statements. */
export function isPolicyMap(map: MapNode): boolean {
  const statement = get(map, 'Statement');
  if (!statement) return false;
  if (get(map, 'Version')) return true;
  if (statement.kind === 'scalar') return false;
  return items(statement).some(
    (s) => s.kind === 'map' && STATEMENT_HINTS.some((h) => get(s, h) !== undefined),
  );
}

/** A string that holds a JSON policy (cheap test before parsing). */
export function looksLikePolicyText(value: unknown): value is string {
  if (typeof value !== 'string' || value.length < 12) return false;
  let i = 0;
  while (i < value.length && /\s/.test(value[i]!)) i++;
  return value[i] === '{' && value.includes('"Statement"');
}

const IDENTITY_TYPES = new Set([
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::Role',
  'AWS::IAM::User',
  'AWS::IAM::Group',
  'AWS::IAM::RolePolicy',
  'AWS::IAM::UserPolicy',
  'AWS::IAM::GroupPolicy',
  'AWS::SSO::PermissionSet',
  'aws_iam_policy',
  'aws_iam_role',
  'aws_iam_role_policy',
  'aws_iam_user_policy',
  'aws_iam_group_policy',
  'aws_ssoadmin_permission_set_inline_policy',
]);

const ENDPOINT_TYPES = new Set(['AWS::EC2::VPCEndpoint', 'aws_vpc_endpoint', 'aws_vpc_endpoint_policy']);

const RESOURCE_TYPES = new Set([
  'AWS::S3::BucketPolicy',
  'AWS::S3::AccessPoint',
  'AWS::S3Express::BucketPolicy',
  'AWS::SQS::QueuePolicy',
  'AWS::SNS::TopicPolicy',
  'AWS::KMS::Key',
  'AWS::SecretsManager::ResourcePolicy',
  'AWS::ECR::Repository',
  'AWS::OpenSearchService::Domain',
  'AWS::Elasticsearch::Domain',
  'AWS::ApiGateway::RestApi',
  'AWS::Logs::ResourcePolicy',
  'AWS::EFS::FileSystem',
  'AWS::Backup::BackupVault',
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'aws_s3_bucket_policy',
  'aws_s3_bucket',
  'aws_s3_access_point',
  'aws_s3control_bucket_policy',
  'aws_sqs_queue_policy',
  'aws_sqs_queue',
  'aws_sns_topic_policy',
  'aws_sns_topic',
  'aws_kms_key',
  'aws_kms_key_policy',
  'aws_secretsmanager_secret_policy',
  'aws_secretsmanager_secret',
  'aws_ecr_repository_policy',
  'aws_ecr_registry_policy',
  'aws_opensearch_domain',
  'aws_opensearch_domain_policy',
  'aws_elasticsearch_domain',
  'aws_elasticsearch_domain_policy',
  'aws_api_gateway_rest_api',
  'aws_api_gateway_rest_api_policy',
  'aws_cloudwatch_log_resource_policy',
  'aws_efs_file_system_policy',
  'aws_backup_vault_policy',
  'aws_glacier_vault',
  'aws_dynamodb_resource_policy',
]);

/** The data source a scalar names: `data.aws_iam_policy_document.<name>.json` (or `.minified_json`). */
function policyDataSourceName(value: ScalarNode): string | undefined {
  const expr = value.expr;
  if (expr?.type === 'traversal' && expr.root === 'data') {
    const [type, name, attribute] = expr.steps;
    if (type !== 'aws_iam_policy_document' || typeof name !== 'string') return undefined;
    if (attribute !== 'json' && attribute !== 'minified_json') return undefined;
    return `${type}.${name}`;
  }
  // Terraform JSON: "${data.aws_iam_policy_document.x.json}".
  const m =
    typeof value.value === 'string'
      ? /^\$\{\s*data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)\.(?:minified_)?json\s*\}$/.exec(value.value)
      : null;
  return m ? `aws_iam_policy_document.${m[1]}` : undefined;
}

function namesPolicyDataSource(value: ScalarNode): boolean {
  return policyDataSourceName(value) !== undefined;
}

/** The rendered policy of the data source a scalar names, when the document has it. */
function policyDataSource(doc: TemplateDocument, value: ScalarNode): MapNode | undefined {
  const name = policyDataSourceName(value);
  const body = name ? doc.data.get(name) : undefined;
  return body ? renderPolicyDocument(body, doc) : undefined;
}

export function kindOf(resourceType: string, property: string | undefined): PolicyKind {
  if (property === 'AssumeRolePolicyDocument' || property === 'assume_role_policy') return 'trust';
  if (ENDPOINT_TYPES.has(resourceType)) return 'endpoint';
  if (IDENTITY_TYPES.has(resourceType)) return 'identity';
  if (RESOURCE_TYPES.has(resourceType)) return 'resource';
  return 'unknown';
}

/** The statement's element entry by name. */
export function element(statement: Statement, name: string): Entry | undefined {
  return statement.entries.get(name);
}

const API_GATEWAY_TYPES = new Set([
  'AWS::ApiGateway::RestApi',
  'AWS::Serverless::Api',
  'aws_api_gateway_rest_api',
  'aws_api_gateway_rest_api_policy',
]);

/**
 * An API Gateway resource policy: on a REST API, or (standalone) a policy whose actions are all
 * `execute-api:`. API Gateway expands `execute-api:/stage/METHOD/path` to the API's ARN on save.
 */
export function isApiGatewayPolicy(policy: PolicyDocument): boolean {
  // The OpenAPI extension holds the REST API's resource policy wherever the definition is.
  if (policy.where.includes('x-amazon-apigateway-policy')) return true;
  if (policy.resource) return API_GATEWAY_TYPES.has(policy.resource.type);
  const actions: string[] = [];
  for (const statement of policy.statements) {
    const node = statement.entries.get('Action')?.value;
    if (!node) return false;
    for (const item of items(node)) {
      const value = scalarString(item);
      if (value === undefined) return false;
      actions.push(value.toLowerCase());
    }
  }
  return actions.length > 0 && actions.every((a) => a.startsWith('execute-api:'));
}

// Who uses each security group of a document, and whether those users can have a public
// address. A security group attached only to resources that never get one (a Lambda function in
// a VPC, an EFS mount target, a DocumentDB or ElastiCache cluster, an RDS instance that is not
// publicly accessible, an interface endpoint) cannot be reached from the internet whatever its
// rules say: only from what can route to the VPC (peered VPCs, VPN, Direct Connect, Transit
// Gateway). Built once per document version (facts.memo).
//
// A reference is any place a resource names the group: CFN `Ref` / `Fn::GetAtt [Sg, GroupId]`,
// Terraform `${aws_security_group.x.id}` anywhere in a string, and in plans the configuration's
// `references`. Security groups and their rules naming a group (as a source) are not users.

import type { Facts } from '.';
import { untracked } from '.';
import type { Resource, TemplateDocument } from '../model/document';
import type { Node } from '../parse/tree';
import { get, items, scalarString, toPlain } from '../parse/tree';
import { resolve } from '../resolve/values';
import { SECURITY_GROUP_RULE_TYPES } from './securityGroups';

export interface GroupUsers {
  /** Users that can never have a public address, with why. */
  privateOnly: { resource: Resource; why: string }[];
  /** Users that can (or may) have one, or whose kind we do not know. */
  other: Resource[];
}

const GROUP_TYPES = new Set(['AWS::EC2::SecurityGroup', 'aws_security_group', 'aws_default_security_group']);

/** Resource types that never have a public address, with how to say it. */
const PRIVATE_ONLY: Record<string, string> = {
  'AWS::Lambda::Function': 'a Lambda function in a VPC has only private addresses',
  aws_lambda_function: 'a Lambda function in a VPC has only private addresses',
  'AWS::EFS::MountTarget': 'an EFS mount target has only a private address',
  aws_efs_mount_target: 'an EFS mount target has only a private address',
  'AWS::DocDB::DBCluster': 'a DocumentDB cluster is reachable only inside its VPC',
  aws_docdb_cluster: 'a DocumentDB cluster is reachable only inside its VPC',
  'AWS::Neptune::DBCluster': 'a Neptune cluster is reachable only inside its VPC',
  aws_neptune_cluster: 'a Neptune cluster is reachable only inside its VPC',
  'AWS::ElastiCache::ReplicationGroup': 'ElastiCache nodes have only private addresses',
  'AWS::ElastiCache::CacheCluster': 'ElastiCache nodes have only private addresses',
  aws_elasticache_replication_group: 'ElastiCache nodes have only private addresses',
  aws_elasticache_cluster: 'ElastiCache nodes have only private addresses',
  'AWS::MemoryDB::Cluster': 'MemoryDB nodes have only private addresses',
  aws_memorydb_cluster: 'MemoryDB nodes have only private addresses',
  'AWS::RDS::DBProxy': 'an RDS proxy has only private addresses',
  aws_db_proxy: 'an RDS proxy has only private addresses',
  'AWS::EC2::VPCEndpoint': 'an interface endpoint has only private addresses',
  aws_vpc_endpoint: 'an interface endpoint has only private addresses',
};

export function securityGroupUsers(facts: Facts): Map<string, GroupUsers> {
  return facts.memo('security-group-users', (doc) => build(doc), { dependsOn: namesGroup });
}

/**
 * Every resource is scanned for references to a group, but only the groups and the resources
 * that name one make the fact: an edit elsewhere (a policy, a bucket, a tag) keeps it.
 */
function namesGroup(resource: Resource, doc: TemplateDocument): boolean {
  if (GROUP_TYPES.has(resource.type)) return true;
  if (SECURITY_GROUP_RULE_TYPES.has(resource.type) || resource.type === 'AWS::Serverless::Function')
    return false;
  if (doc.format === 'plan') return true;
  const properties = untracked(resource).properties;
  if (!properties) return false;
  // What it names, looked up (asked on every keystroke: no walk over the document's resources).
  return referencedIds(doc.format === 'cfn', properties).some((id) =>
    GROUP_TYPES.has(doc.resourcesById.get(id)?.type ?? ''),
  );
}

function build(doc: TemplateDocument): Map<string, GroupUsers> {
  const out = new Map<string, GroupUsers>();
  const groups = new Set(doc.resources.filter((r) => GROUP_TYPES.has(r.type)).map((r) => r.id));
  if (!groups.size) return out;
  const config = doc.format === 'plan' ? planConfiguration(doc) : undefined;
  for (const resource of doc.resources) {
    if (SECURITY_GROUP_RULE_TYPES.has(resource.type)) continue;
    // A SAM function uses its groups through the AWS::Lambda::Function the model derives from it.
    if (resource.type === 'AWS::Serverless::Function') continue;
    const named = new Set<string>();
    // Read without recording (see namesGroup): a resource that names no group is not part of the fact.
    if (config) collectPlanRefs(config.get(resource.id), groups, named);
    else collectRefs(doc, untracked(resource).properties, groups, named);
    if (!named.size) continue;
    const why = privateReason(doc, resource);
    for (const id of named) {
      let users = out.get(id);
      if (!users) out.set(id, (users = { privateOnly: [], other: [] }));
      if (why) users.privateOnly.push({ resource, why });
      else users.other.push(resource);
    }
  }
  return out;
}

function privateReason(doc: TemplateDocument, resource: Resource): string | undefined {
  const fixed = PRIVATE_ONLY[resource.type];
  if (fixed) return fixed;
  const p = resource.properties;
  if (resource.type === 'AWS::RDS::DBInstance') {
    // Without PubliclyAccessible RDS decides from the VPC: public when it has an internet gateway.
    const flag = get(p, 'PubliclyAccessible');
    return flag && allFalse(doc, flag) ? 'an RDS instance with PubliclyAccessible false' : undefined;
  }
  if (resource.type === 'aws_db_instance') {
    // Terraform sends publicly_accessible = false when it is not set.
    const flag = get(p, 'publicly_accessible');
    return !flag || allFalse(doc, flag) ? 'an RDS instance that is not publicly accessible' : undefined;
  }
  return undefined;
}

function allFalse(doc: TemplateDocument, node: Node): boolean {
  if (doc.format === 'plan') return toPlain(node) === false;
  const values = resolve(doc, node).map((p) => p.value);
  return (
    values.length > 0 &&
    values.every((v) => v === false || (typeof v === 'string' && v.toLowerCase() === 'false'))
  );
}

/** CFN `Ref` / `GetAtt`, Terraform `${aws_security_group.x.id}` (or `.name`) anywhere below `node`. */
function collectRefs(
  doc: TemplateDocument,
  node: Node | undefined,
  groups: Set<string>,
  out: Set<string>,
): void {
  if (!node) return;
  for (const id of referencedIds(doc.format === 'cfn', node)) if (groups.has(id)) out.add(id);
}

/**
 * The ids a properties tree references (the walk is the cost of this fact on large templates).
 * A pure function of the tree, so it is kept per node: a resource whose text did not change
 * keeps its nodes from one version to the next (parse/yaml.ts), and is not walked again.
 */
const referenced = new WeakMap<Node, readonly string[]>();

function referencedIds(cfn: boolean, node: Node): readonly string[] {
  let ids = referenced.get(node);
  if (!ids) {
    const found = new Set<string>();
    walkRefs(cfn, node, found);
    ids = [...found];
    referenced.set(node, ids);
  }
  return ids;
}

function walkRefs(cfn: boolean, node: Node, out: Set<string>): void {
  if (node.kind === 'seq') {
    for (const item of node.items) walkRefs(cfn, item, out);
    return;
  }
  if (node.kind === 'scalar') {
    const text = scalarString(node);
    if (text && !cfn)
      for (const m of text.matchAll(
        /\b((?:aws_security_group|aws_default_security_group)\.[\w-]+)\.(?:id|name|arn)\b/g,
      ))
        out.add(m[1]!);
    return;
  }
  for (const { key, value } of node.entries) {
    if (cfn && node.entries.length === 1) {
      if (key.value === 'Ref') {
        const id = scalarString(value);
        if (id) out.add(id);
        return;
      }
      if (key.value === 'Fn::GetAtt') {
        const id = value.kind === 'seq' ? scalarString(value.items[0]) : scalarString(value)?.split('.')[0];
        if (id) out.add(id);
        return;
      }
    }
    walkRefs(cfn, value, out);
  }
}

/** Plans: configuration resources by address (root module). */
function planConfiguration(doc: TemplateDocument): Map<string, Node> {
  const resources = items(get(get(get(doc.root, 'configuration'), 'root_module'), 'resources'));
  return new Map(resources.map((r) => [scalarString(get(r, 'address')) ?? '', r]));
}

function collectPlanRefs(entry: Node | undefined, groups: Set<string>, out: Set<string>): void {
  const walk = (node: Node | undefined): void => {
    if (!node) return;
    if (node.kind === 'seq') node.items.forEach(walk);
    else if (node.kind === 'map') node.entries.forEach((e) => walk(e.value));
    else {
      const text = scalarString(node);
      const m = text && /^((?:aws_security_group|aws_default_security_group)\.[\w-]+)(?:\.|$)/.exec(text);
      if (m && groups.has(m[1]!)) out.add(m[1]!);
    }
  };
  walk(get(entry, 'expressions'));
}

import { isAllPorts, securityGroupRules } from '../../facts/securityGroups';
import { setPathOp } from '../../fixes/recipe';
import type { FixRecipe } from '../../fixes/recipe';
import type { Resource, TemplateDocument } from '../../model/document';
import type { Node } from '../../parse/tree';
import { get, items } from '../../parse/tree';
import { ResourceRef, resolveItems } from '../../resolve/values';
import { EGRESS_CONTROLS } from '../exposure/controls';
import {
  describeOpen,
  evidence,
  internetSources,
  parameterFix,
  peersOf,
  removeRuleFix,
  verb,
} from '../exposure/openToInternet';
import type { RelatedInfo, Rule } from '../types';
import docs from './rule.md?raw';

/** Where databases and caches name their security groups. */
const ATTACHMENTS: Record<string, string[]> = {
  'AWS::RDS::DBInstance': ['VPCSecurityGroups'],
  'AWS::RDS::DBCluster': ['VpcSecurityGroupIds'],
  'AWS::ElastiCache::CacheCluster': ['VpcSecurityGroupIds'],
  'AWS::ElastiCache::ReplicationGroup': ['SecurityGroupIds'],
  'AWS::ElastiCache::ServerlessCache': ['SecurityGroupIds'],
  'AWS::Redshift::Cluster': ['VpcSecurityGroupIds'],
  'AWS::DocDB::DBCluster': ['VpcSecurityGroupIds'],
  'AWS::DocDBElastic::Cluster': ['VpcSecurityGroupIds'],
  'AWS::Neptune::DBCluster': ['VpcSecurityGroupIds'],
  'AWS::MemoryDB::Cluster': ['SecurityGroupIds'],
  'AWS::DAX::Cluster': ['SecurityGroupIds'],
  'AWS::OpenSearchService::Domain': ['VPCOptions', 'SecurityGroupIds'],
  'AWS::Elasticsearch::Domain': ['VPCOptions', 'SecurityGroupIds'],
  aws_db_instance: ['vpc_security_group_ids'],
  aws_rds_cluster: ['vpc_security_group_ids'],
  aws_elasticache_cluster: ['security_group_ids'],
  aws_elasticache_replication_group: ['security_group_ids'],
  aws_elasticache_serverless_cache: ['security_group_ids'],
  aws_redshift_cluster: ['vpc_security_group_ids'],
  aws_docdb_cluster: ['vpc_security_group_ids'],
  aws_docdb_elastic_cluster: ['vpc_security_group_ids'],
  aws_neptune_cluster: ['vpc_security_group_ids'],
  aws_memorydb_cluster: ['security_group_ids'],
  aws_dax_cluster: ['security_group_ids'],
  aws_opensearch_domain: ['vpc_options', 'security_group_ids'],
  aws_elasticsearch_domain: ['vpc_options', 'security_group_ids'],
};

const GROUP_TYPES = new Set(['AWS::EC2::SecurityGroup', 'aws_security_group']);

export const egressOpenToInternet: Rule = {
  meta: {
    id: 'egress-open-to-internet',
    summary: 'A database or cache security group that allows all outbound traffic to the internet',
    category: 'exposure',
    severity: 'info',
    formats: ['cfn', 'tf'],
    resourceTypes: [
      'AWS::EC2::SecurityGroup',
      'AWS::EC2::SecurityGroupEgress',
      'aws_security_group',
      'aws_security_group_rule',
      'aws_vpc_security_group_egress_rule',
      ...Object.keys(ATTACHMENTS),
    ],
    fixSafety: 'unsafe',
    references: {
      aws: [
        'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
        'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-securitygroup.html',
      ],
      cwe: ['CWE-284'],
      checkov: ['CKV_AWS_382'],
      cfnNag: ['W5', 'W40'],
    },
  },
  docs,
  controls: EGRESS_CONTROLS,
  check({ doc, facts, settings, report }) {
    const attached = attachments(doc);
    if (!attached.size) return;
    const rules = securityGroupRules(facts);
    for (const [groupId, users] of attached) {
      const group = doc.resourcesById.get(groupId)!;
      const where = describeUsers(users);
      const usedBy: RelatedInfo[] = users.map((u) => ({ span: u.keyNode, message: `Attached to ${u.id}` }));
      const egress = rules.filter((r) => r.groupId === groupId && r.direction === 'egress');
      if (doc.format === 'cfn' && !egress.length && !declaresEgress(group)) {
        report({
          span: group.keyNode,
          resource: group,
          message: `Security group ${groupId}, attached to ${where}, keeps AWS's default rule that allows all outbound traffic to the internet: no SecurityGroupEgress is declared. A database or cache rarely needs outbound connections (replies to inbound ones are allowed anyway); declare only the egress it needs.`,
          related: usedBy,
          fixes: [noEgressFix(group)],
        });
        continue;
      }
      for (const rule of egress) {
        const range = rule.ranges.find(isAllPorts);
        if (!range) continue;
        for (const open of internetSources(rule, peersOf(rule, rules), settings)) {
          const fixes: FixRecipe[] = [];
          const restrict = parameterFix(doc, open, 'AllowedEgressCidr', 'the destinations', {
            title: 'Restrict egress to a new parameter {name}',
            description: 'CIDR range this group may send traffic to; choose the narrowest destination.',
          });
          if (restrict) fixes.push(restrict);
          // Terraform: without the rule there is no egress. CloudFormation would bring back the
          // default allow-all rule when the last one goes, so no removal there.
          if (doc.format === 'tf') fixes.push(removeRuleFix(rule, open));
          report({
            span: open.source.node,
            resource: rule.resource,
            message: `Security group ${groupId}, attached to ${where}, ${verb(open, range) === 'is' ? 'allows' : 'can allow'} all outbound traffic to the internet: ${describeOpen(open)}. A compromised database or cache could send data anywhere; allow only the destinations it needs.`,
            related: [...evidence(open, range), ...usedBy],
            fixes,
          });
        }
      }
    }
  },
};

/** Security groups of this document attached to a database or cache, with the resources using them. */
function attachments(doc: TemplateDocument): Map<string, Resource[]> {
  const out = new Map<string, Resource[]>();
  for (const resource of doc.resources) {
    const path = ATTACHMENTS[resource.type];
    if (!path) continue;
    let node: Node | undefined = resource.properties;
    for (const key of path) node = get(items(node)[0] ?? node, key);
    for (const item of resolveItems(doc, node)) {
      for (const p of item.possibilities) {
        if (!(p.value instanceof ResourceRef)) continue;
        const group = doc.resourcesById.get(p.value.id);
        if (!group || !GROUP_TYPES.has(group.type)) continue;
        const users = out.get(group.id) ?? [];
        if (!users.includes(resource)) users.push(resource);
        out.set(group.id, users);
      }
    }
  }
  return out;
}

function describeUsers(users: Resource[]): string {
  const user = users[0]!;
  // Terraform addresses already name the type.
  const first = user.id.startsWith(`${user.type}.`) ? user.id : `${user.id} (${user.type})`;
  return users.length === 1 ? first : `${first} and ${users.length - 1} more`;
}

/** A CloudFormation group that lists at least one egress rule of its own. */
function declaresEgress(group: Resource): boolean {
  return items(get(group.properties, 'SecurityGroupEgress')).length > 0;
}

function noEgressFix(group: Resource): FixRecipe {
  return {
    title:
      'Add an egress rule that allows no outbound traffic (127.0.0.1/32), replacing the default allow-all',
    safety: 'unsafe',
    ops: [
      setPathOp(
        group.node,
        ['Properties', 'SecurityGroupEgress'],
        [
          {
            IpProtocol: '-1',
            CidrIp: '127.0.0.1/32',
            Description: 'No outbound traffic (replaces the default allow-all rule)',
          },
        ],
      ),
    ],
  };
}

import { viaEvidence } from '../../resolve/values';
import type { NetworkGraph } from '../../facts/graph/networkGraph';
import { networkGraph } from '../../facts/graph/networkGraph';
import type { FixRecipe } from '../../fixes/recipe';
import { setPathOp } from '../../fixes/recipe';
import type { Resource, TemplateDocument } from '../../model/document';
import { describeVia } from '../../resolve/values';
import type { RelatedInfo } from '../types';
import type { Rule } from '../types';
import docs from './rule.md?raw';

interface Kind {
  label: string;
  key: string;
  /** What an absent flag means: a boolean, or `vpc` (public when the subnet group's VPC has an internet gateway). */
  absent: boolean | 'vpc';
}

const KINDS: Record<string, Kind> = {
  'AWS::RDS::DBInstance': { label: 'RDS instance', key: 'PubliclyAccessible', absent: 'vpc' },
  'AWS::Redshift::Cluster': { label: 'Redshift cluster', key: 'PubliclyAccessible', absent: false },
  'AWS::DMS::ReplicationInstance': {
    label: 'DMS replication instance',
    key: 'PubliclyAccessible',
    absent: true,
  },
  'AWS::Neptune::DBInstance': { label: 'Neptune instance', key: 'PubliclyAccessible', absent: false },
  'AWS::DocDB::DBInstance': { label: 'DocumentDB instance', key: 'PubliclyAccessible', absent: false },
  aws_db_instance: { label: 'RDS instance', key: 'publicly_accessible', absent: false },
  aws_rds_cluster_instance: { label: 'RDS cluster instance', key: 'publicly_accessible', absent: false },
  aws_redshift_cluster: { label: 'Redshift cluster', key: 'publicly_accessible', absent: false },
  aws_dms_replication_instance: {
    label: 'DMS replication instance',
    key: 'publicly_accessible',
    absent: false,
  },
  aws_neptune_cluster_instance: { label: 'Neptune instance', key: 'publicly_accessible', absent: false },
};

export const databasePubliclyAccessible: Rule = {
  meta: {
    id: 'database-publicly-accessible',
    summary: 'A database (RDS, Redshift, DMS, Neptune, DocumentDB) that is publicly accessible',
    category: 'public',
    severity: 'error',
    formats: ['cfn', 'tf', 'plan'],
    resourceTypes: Object.keys(KINDS),
    fixSafety: 'unsafe',
    references: {
      aws: [
        'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.Hiding',
        'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rds-dbinstance.html#cfn-rds-dbinstance-publiclyaccessible',
        'https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-2',
      ],
      cwe: ['CWE-284'],
      checkov: ['CKV_AWS_17', 'CKV_AWS_87', 'CKV_AWS_89'],
      cfnNag: ['F22'],
      securityHub: ['RDS.2', 'Redshift.1', 'DMS.1'],
    },
  },
  docs,
  controls: [
    {
      keys: ['PubliclyAccessible', 'publicly_accessible'],
      resourceTypes: Object.keys(KINDS),
      markdown:
        "**Publicly accessible.** When true, the database gets a DNS name that resolves to a public IP address, reachable from the internet wherever its security group allows. Defaults differ: CloudFormation RDS is public when its subnet group's VPC has an internet gateway, a CloudFormation DMS replication instance is public unless told otherwise, and Terraform defaults to `false`. [Hiding a DB instance from the internet](https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.Hiding)",
    },
  ],
  check({ doc, facts, report }) {
    const graph = networkGraph(facts);
    for (const resource of doc.resources) {
      const kind = KINDS[resource.type];
      if (!kind) continue;
      const flag = graph.flag(resource, [kind.key], kind.absent === 'vpc' ? false : kind.absent);
      if (flag.explicit) {
        if (flag.value !== true) continue;
        const how = describeVia(flag.via);
        report({
          span: flag.node!,
          resource,
          message: `${kind.label} ${resource.id} ${flag.conditional ? 'can be' : 'is'} publicly accessible (${kind.key}: true${how ? `, through ${how}` : ''}): it gets a public DNS name and IP, reachable from the internet wherever its security group allows. Set ${kind.key} to false and reach it from inside the VPC.`,
          related: viaEvidence(flag.via),
          fixes: () => fixes(doc, resource, kind),
        });
        continue;
      }
      if (kind.absent === true) {
        report({
          span: resource.keyNode,
          resource,
          message: `${kind.label} ${resource.id} is publicly accessible by default: ${kind.key} is not set, and CloudFormation then makes it public. Set ${kind.key} to false.`,
          fixes: () => fixes(doc, resource, kind),
        });
        continue;
      }
      if (kind.absent === 'vpc') {
        const reason = publicByVpc(graph, resource);
        if (!reason) continue;
        report({
          span: resource.keyNode,
          resource,
          message: `${kind.label} ${resource.id} is publicly accessible by default: ${kind.key} is not set and its subnet group ${reason.group.id} is in VPC ${reason.vpc.id}, which has an internet gateway. Set ${kind.key} to false.`,
          related: reason.related,
          fixes: () => fixes(doc, resource, kind),
        });
      }
    }
  },
};

/** CFN RDS: the subnet group (the instance's, else its cluster's) is in a VPC with an internet gateway. */
function publicByVpc(
  graph: NetworkGraph,
  resource: Resource,
): { group: Resource; vpc: Resource; related: RelatedInfo[] } | undefined {
  let groupLink = graph.firstLink(resource, ['DBSubnetGroupName']);
  if (!groupLink) {
    const cluster = graph.firstLink(resource, ['DBClusterIdentifier']);
    const clusterResource = cluster && graph.doc.resourcesById.get(cluster.id);
    if (clusterResource) groupLink = graph.firstLink(clusterResource, ['DBSubnetGroupName']);
  }
  const subnets = groupLink ? graph.dbSubnetGroups.get(groupLink.id) : undefined;
  if (!groupLink || !subnets) return undefined;
  for (const link of subnets) {
    const vpc = graph.subnets.get(link.id)?.vpc;
    const igw = vpc ? graph.internetGatewaysOf(vpc)[0] : undefined;
    if (!vpc || !igw) continue;
    const group = graph.doc.resourcesById.get(groupLink.id)!;
    const vpcResource = graph.vpcs.get(vpc)!;
    return {
      group,
      vpc: vpcResource,
      related: [
        { span: group.keyNode, message: `Subnet group ${group.id} includes subnet ${link.id}` },
        { span: vpcResource.keyNode, message: `Subnet ${link.id} is in VPC ${vpc}` },
        { span: igw.resource.keyNode, message: `Internet gateway ${igw.resource.id} is attached to ${vpc}` },
      ],
    };
  }
  return undefined;
}

function fixes(doc: TemplateDocument, resource: Resource, kind: Kind): FixRecipe[] {
  if (doc.format === 'plan') return [];
  const op =
    doc.format === 'cfn'
      ? setPathOp(resource.node, ['Properties', kind.key], false)
      : resource.properties
        ? ({ op: 'set', map: resource.properties, key: kind.key, value: false } as const)
        : undefined;
  return op ? [{ title: `Set ${kind.key} to false`, safety: 'unsafe', ops: [op] }] : [];
}

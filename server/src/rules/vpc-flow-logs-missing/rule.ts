import { networkGraph } from '../../facts/graph/networkGraph';
import type { FixOp } from '../../fixes/recipe';
import type { Resource, TemplateDocument } from '../../model/document';
import { freshName, tfNameOf } from '../connectivity/newResources';
import type { Rule } from '../types';
import docs from './rule.md?raw';
import { existsWherever } from '../../model/cfn';

const DESTINATION = { cfn: 'FlowLogDestinationArn', tf: 'flow_log_destination_arn' };
const DESCRIPTION =
  'ARN of the S3 bucket (optionally with a folder) that receives VPC flow logs, for example arn:aws:s3:::my-flow-logs.';

export const vpcFlowLogsMissing: Rule = {
  meta: {
    id: 'vpc-flow-logs-missing',
    summary: 'A VPC without a flow log',
    category: 'connectivity',
    severity: 'warning',
    formats: ['cfn', 'tf', 'plan'],
    resourceTypes: ['AWS::EC2::VPC', 'AWS::EC2::FlowLog', 'aws_vpc', 'aws_flow_log'],
    fixSafety: 'unsafe',
    doesNotReport:
      'VPCs defined elsewhere, or when a flow log targets a value that cannot be known (a parameter without default, a variable); a flow log without a target, or on a literal id, import or data source, does not count',
    references: {
      aws: [
        'https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html',
        'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-6',
      ],
      cwe: ['CWE-778'],
      checkov: ['CKV2_AWS_11'],
      cfnNag: ['W60'],
      securityHub: ['EC2.6'],
    },
  },
  docs,
  controls: [
    {
      keys: [
        'TrafficType',
        'traffic_type',
        'LogDestination',
        'log_destination',
        'LogDestinationType',
        'log_destination_type',
      ],
      resourceTypes: ['AWS::EC2::FlowLog', 'aws_flow_log'],
      markdown:
        '**VPC flow logs** record the accepted and rejected IP traffic of a VPC, subnet or network interface to CloudWatch Logs, S3 or Firehose. `TrafficType: ALL` keeps both; S3 needs no IAM role. Without them there is no record of who talked to what when investigating an incident. [Flow logs](https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html)',
    },
  ],
  check({ doc, facts, report }) {
    const graph = networkGraph(facts);
    if (!graph.vpcs.size) return;
    // A flow log whose target cannot be linked may be the one this VPC needs.
    if (graph.flowLogs.some((l) => l.unknownTarget)) return;
    for (const vpc of graph.vpcs.values()) {
      // A flow log under a Condition only logs the deployments where it exists.
      const logs = graph.flowLogsOf(vpc.id);
      if (logs.some((l) => existsWherever(l.resource, vpc, doc))) continue;
      const only = logs[0]?.resource.condition;
      report({
        span: vpc.keyNode,
        resource: vpc,
        message: only
          ? `VPC ${vpc.id} has no flow log when condition ${only.name} is false (${logs[0]!.resource.id} exists only when it is true): its accepted and rejected traffic is then not recorded anywhere. Add a flow log with TrafficType ALL that exists wherever the VPC does.`
          : `VPC ${vpc.id} has no flow log: its accepted and rejected traffic is not recorded anywhere. Add a flow log with TrafficType ALL.`,
        related: only
          ? [{ span: only.node, message: `Condition of flow log ${logs[0]!.resource.id}` }]
          : undefined,
        fixes:
          doc.format === 'plan'
            ? []
            : [
                {
                  title: `Add a flow log for ${vpc.id} (all traffic to a new S3 destination parameter)`,
                  safety: 'unsafe',
                  ops: flowLogOps(doc, vpc),
                },
              ],
      });
    }
  },
};

function flowLogOps(doc: TemplateDocument, vpc: Resource): FixOp[] {
  const cfn = doc.format === 'cfn';
  const parameter = cfn ? DESTINATION.cfn : DESTINATION.tf;
  return [
    {
      op: 'addParameter',
      name: parameter,
      spec: {
        cfn: { Type: 'String', Description: DESCRIPTION },
        tf: { type: 'string', description: DESCRIPTION },
      },
    },
    {
      op: 'addResource',
      name: cfn ? freshName(doc, `${vpc.id}FlowLog`) : freshName(doc, tfNameOf(vpc), 'aws_flow_log'),
      spec: {
        cfn: {
          Type: 'AWS::EC2::FlowLog',
          // A resource that refers to a conditional VPC must exist under the same condition.
          ...(vpc.condition ? { Condition: vpc.condition.name } : {}),
          Properties: {
            ResourceId: { $resource: vpc.id },
            ResourceType: 'VPC',
            TrafficType: 'ALL',
            LogDestinationType: 's3',
            LogDestination: { $param: parameter },
          },
        },
        tf: {
          type: 'aws_flow_log',
          body: {
            vpc_id: { $resource: vpc.id },
            traffic_type: 'ALL',
            log_destination_type: 's3',
            log_destination: { $param: parameter },
          },
        },
      },
    },
  ];
}

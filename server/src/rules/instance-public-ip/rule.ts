import { viaEvidence } from '../../resolve/values';
import type { NetworkGraph } from '../../facts/graph/networkGraph';
import type { ComputeFact, Flag } from '../../facts/graph/types';
import { networkGraph } from '../../facts/graph/networkGraph';
import { at } from '../../facts/graph/properties';
import type { FixRecipe } from '../../fixes/recipe';
import type { Resource, TemplateDocument } from '../../model/document';
import type { Node } from '../../parse/tree';
import { describeVia } from '../../resolve/values';
import type { RuleContext } from '../types';
import type { Rule } from '../types';
import docs from './rule.md?raw';

const LABEL: Record<string, string> = {
  instance: 'Instance',
  'launch-template': 'Launch template',
  'launch-configuration': 'Launch configuration',
  'ecs-service': 'ECS service',
};

export const instancePublicIp: Rule = {
  meta: {
    id: 'instance-public-ip',
    summary: 'An instance, launch template or ECS task that gets a public IP address',
    category: 'public',
    severity: 'warning',
    formats: ['cfn', 'tf', 'plan'],
    resourceTypes: [
      'AWS::EC2::Instance',
      'AWS::EC2::LaunchTemplate',
      'AWS::AutoScaling::LaunchConfiguration',
      'AWS::AutoScaling::AutoScalingGroup',
      'AWS::ECS::Service',
      'AWS::ECS::TaskSet',
      'aws_instance',
      'aws_launch_template',
      'aws_launch_configuration',
      'aws_autoscaling_group',
      'aws_ecs_service',
    ],
    fixSafety: 'unsafe',
    doesNotReport:
      'Elastic IPs (deliberate static addresses; internet-exposure-path still counts them), values that cannot be known',
    references: {
      aws: [
        'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-instance-addressing.html#concepts-public-addresses',
        'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-9',
        'https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html#ecs-2',
      ],
      cwe: ['CWE-284'],
      checkov: ['CKV_AWS_88', 'CKV_AWS_333'],
      securityHub: ['EC2.9', 'EC2.25', 'Autoscaling.5', 'ECS.2'],
    },
  },
  docs,
  controls: [
    {
      keys: ['AssociatePublicIpAddress', 'associate_public_ip_address'],
      markdown:
        "**Public IPv4 address.** `true` gives the instance (its first network interface) a public IPv4 address from Amazon's pool; `false` gives none, even in a subnet that maps public IPs on launch; absent, the subnet's `MapPublicIpOnLaunch` decides. A public address makes the instance reachable from the internet wherever its security group and the subnet's route to an internet gateway allow. [Public IPv4 addresses](https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-instance-addressing.html#concepts-public-addresses)",
    },
    {
      keys: ['AssignPublicIp', 'assign_public_ip'],
      resourceTypes: ['AWS::ECS::Service', 'AWS::ECS::TaskSet', 'aws_ecs_service'],
      markdown:
        "**Public IP for tasks.** `ENABLED` gives each task's network interface a public IP; default `DISABLED`. Tasks in private subnets pull images through a NAT gateway or VPC endpoints instead. [Task networking](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking-awsvpc.html)",
    },
  ],
  check(context) {
    const { doc, facts } = context;
    const graph = networkGraph(facts);
    for (const compute of graph.computes.values()) {
      switch (compute.kind) {
        case 'instance':
        case 'launch-template':
        case 'launch-configuration':
        case 'ecs-service':
          if (compute.publicIp.explicit) explicit(context, compute);
          else if (compute.kind === 'instance') inherited(context, graph, compute);
          break;
        case 'asg':
          inherited(context, graph, compute);
          break;
      }
    }
    for (const resource of doc.resources) {
      if (resource.type !== 'AWS::ECS::TaskSet') continue;
      const path = ['NetworkConfiguration', 'AwsVpcConfiguration', 'AssignPublicIp'];
      const node = at(resource.properties, path);
      const values = graph.values(resource, path);
      const i = values.findIndex((p) => p.value === 'ENABLED');
      if (!node || i < 0) continue;
      const flag: Flag = {
        value: true,
        explicit: true,
        node,
        via: values[i]!.via,
        conditional: values.length > 1 || values[i]!.via.some((v) => v.kind !== 'parameter-default'),
      };
      explicit(context, { resource, kind: 'ecs-service', publicIp: flag } as ComputeFact, 'ECS task set');
    }
  },
};

function explicit(context: RuleContext, compute: ComputeFact, label = LABEL[compute.kind]!): void {
  const flag = compute.publicIp;
  if (flag.value !== true || !flag.node) return;
  const resource = compute.resource;
  const ecs = compute.kind === 'ecs-service';
  const cfn = context.doc.format === 'cfn';
  const key = ecs
    ? cfn
      ? 'AssignPublicIp'
      : 'assign_public_ip'
    : cfn
      ? 'AssociatePublicIpAddress'
      : 'associate_public_ip_address';
  const what = ecs
    ? 'each task'
    : compute.kind === 'instance'
      ? 'the instance'
      : 'every instance launched from it';
  const how = describeVia(flag.via);
  context.report({
    span: flag.node,
    resource,
    message: `${label} ${resource.id} ${flag.conditional ? 'can give' : 'gives'} ${what} a public IP (${key}: ${ecs && cfn ? 'ENABLED' : 'true'}${how ? `, through ${how}` : ''}). Keep workloads in private subnets without public addresses and reach them through a load balancer, Session Manager or a VPN.`,
    related: viaEvidence(flag.via),
    fixes: replaceFix(context.doc, flag.node, key, ecs && cfn ? 'DISABLED' : false),
  });
}

function replaceFix(doc: TemplateDocument, node: Node, key: string, value: string | boolean): FixRecipe[] {
  if (doc.format === 'plan') return [];
  return [
    { title: `Set ${key} to ${String(value)}`, safety: 'unsafe', ops: [{ op: 'replace', node, value }] },
  ];
}

/** An instance or group without its own setting that gets a public IP from its subnet. */
function inherited(context: RuleContext, graph: NetworkGraph, compute: ComputeFact): void {
  const { doc } = context;
  const cfn = doc.format === 'cfn';
  for (const link of graph.subnetsOfCompute(compute)) {
    const ip = graph.publicIpv4(compute, link.id);
    if (ip.value !== true || ip.reason !== 'subnet') continue;
    const subnet = ip.resource;
    const mapKey = cfn ? 'MapPublicIpOnLaunch' : 'map_public_ip_on_launch';
    const asg = compute.kind === 'asg';
    const resource = compute.resource;
    const configuration = compute.launchConfiguration && graph.computes.get(compute.launchConfiguration.id);
    const associate = cfn ? 'AssociatePublicIpAddress' : 'associate_public_ip_address';
    const where = configuration
      ? ` on launch configuration ${configuration.resource.id}`
      : cfn && !asg
        ? ' in NetworkInterfaces'
        : '';
    const how = describeVia(ip.via);
    context.report({
      span: link.node,
      resource,
      message: `${
        asg
          ? `Auto Scaling group ${resource.id} launches instances with a public IP into subnet ${subnet.id}`
          : `Instance ${resource.id} gets a public IP from subnet ${subnet.id}`
      } (${mapKey}: true${how ? `, through ${how}` : ''}). Set ${associate} to false${where}, or turn off ${mapKey} on the subnet.`,
      related: [
        { span: ip.node ?? subnet.keyNode, message: `${mapKey} of ${subnet.id}` },
        ...viaEvidence(ip.via),
      ],
      fixes: inheritedFixes(doc, compute, configuration?.resource),
    });
    return; // once per workload
  }
}

function inheritedFixes(
  doc: TemplateDocument,
  compute: ComputeFact,
  configuration: Resource | undefined,
): FixRecipe[] {
  if (doc.format === 'plan') return [];
  const cfn = doc.format === 'cfn';
  const key = cfn ? 'AssociatePublicIpAddress' : 'associate_public_ip_address';
  // A launch configuration takes the setting directly.
  const target =
    compute.kind === 'asg'
      ? configuration
      : !cfn && !at(compute.resource.properties, ['network_interface'])
        ? compute.resource
        : undefined;
  const props = target?.properties;
  if (!target || !props) return [];
  return [
    {
      title: `Set ${key} to false on ${target.id}`,
      safety: 'unsafe',
      ops: [{ op: 'set', map: props, key, value: false }],
    },
  ];
}

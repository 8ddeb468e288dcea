import { viaEvidence } from '../../resolve/values';
import { networkGraph } from '../../facts/graph/networkGraph';
import { describeVia } from '../../resolve/values';
import type { Rule } from '../types';
import docs from './rule.md?raw';

export const subnetAutoAssignsPublicIp: Rule = {
  meta: {
    id: 'subnet-auto-assigns-public-ip',
    summary: 'A subnet that gives every instance launched in it a public IP',
    category: 'public',
    severity: 'info',
    formats: ['cfn', 'tf', 'plan'],
    resourceTypes: ['AWS::EC2::Subnet', 'aws_subnet', 'aws_default_subnet'],
    fixSafety: 'unsafe',
    references: {
      aws: [
        'https://docs.aws.amazon.com/vpc/latest/userguide/subnet-public-ip.html',
        'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-15',
      ],
      cwe: ['CWE-284'],
      checkov: ['CKV_AWS_130'],
      securityHub: ['EC2.15'],
    },
  },
  docs,
  controls: [
    {
      keys: ['MapPublicIpOnLaunch', 'map_public_ip_on_launch'],
      resourceTypes: ['AWS::EC2::Subnet', 'aws_subnet', 'aws_default_subnet'],
      markdown:
        '**Auto-assign public IPv4.** When true, every network interface created in the subnet (instances, and anything else that launches there) gets a public IPv4 address unless it says otherwise, so a workload placed in the wrong subnet is on the internet. Default `false`. Prefer giving public addresses only where needed (`AssociatePublicIpAddress` on the instance or launch template) or putting instances behind a load balancer. [Public IPv4 addressing](https://docs.aws.amazon.com/vpc/latest/userguide/subnet-public-ip.html)',
    },
  ],
  check({ doc, facts, report }) {
    const graph = networkGraph(facts);
    for (const resource of doc.resources) {
      if (
        resource.type !== 'AWS::EC2::Subnet' &&
        resource.type !== 'aws_subnet' &&
        resource.type !== 'aws_default_subnet'
      )
        continue;
      const key = resource.type === 'AWS::EC2::Subnet' ? 'MapPublicIpOnLaunch' : 'map_public_ip_on_launch';
      const flag = graph.flag(resource, [key], false);
      if (flag.value !== true || !flag.node) continue;
      const how = describeVia(flag.via);
      report({
        span: flag.node,
        resource,
        message: `Subnet ${resource.id} ${flag.conditional ? 'can give' : 'gives'} every instance launched in it a public IP (${key}: true${how ? `, through ${how}` : ''}). Turn it off and give public addresses only to what must be reachable, ideally a load balancer.`,
        related: viaEvidence(flag.via),
        fixes:
          doc.format === 'plan' || !resource.properties
            ? []
            : [
                {
                  title: `Set ${key} to false`,
                  safety: 'unsafe',
                  ops: [{ op: 'set', map: resource.properties, key, value: false }],
                },
              ],
      });
    }
  },
};

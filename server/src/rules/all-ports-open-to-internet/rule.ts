import { isAllPorts, securityGroupRules } from '../../facts/securityGroups';
import type { PortRange } from '../../facts/securityGroups';
import { SECURITY_GROUP_CONTROLS } from '../exposure/controls';
import {
  describeOpen,
  describeUsers,
  evidence,
  internetSources,
  peersOf,
  privateOnlyUsers,
  restrictFixes,
  usersRelated,
  verb,
} from '../exposure/openToInternet';
import type { Rule } from '../types';
import docs from './rule.md?raw';

export const allPortsOpenToInternet: Rule = {
  meta: {
    id: 'all-ports-open-to-internet',
    summary: 'Every port (all traffic, or TCP/UDP 0-65535) reachable from the whole internet',
    category: 'exposure',
    severity: 'error',
    formats: ['cfn', 'tf', 'plan'],
    resourceTypes: [
      'AWS::EC2::SecurityGroup',
      'AWS::EC2::SecurityGroupIngress',
      'aws_security_group',
      'aws_default_security_group',
      'aws_security_group_rule',
      'aws_vpc_security_group_ingress_rule',
    ],
    fixSafety: 'unsafe',
    doesNotReport:
      'Private, trusted or narrower ranges, group references, prefix lists; a group used only by resources without a public address (Lambda in a VPC, EFS, private RDS, caches, interface endpoints) is a warning',
    references: {
      aws: [
        'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
        'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-18',
      ],
      cwe: ['CWE-284'],
      checkov: ['CKV_AWS_277'],
      cfnNag: ['W2', 'W9', 'W27'],
      securityHub: ['EC2.18', 'EC2.19'],
    },
  },
  docs,
  controls: SECURITY_GROUP_CONTROLS,
  check({ doc, facts, settings, report }) {
    const rules = securityGroupRules(facts);
    for (const rule of rules) {
      if (rule.direction !== 'ingress') continue;
      const range = rule.ranges.find(isAllPorts);
      if (!range) continue;
      const privateUsers = privateOnlyUsers(facts, rule);
      for (const open of internetSources(rule, peersOf(rule, rules), settings)) {
        report({
          span: open.source.node,
          resource: rule.resource,
          ...(privateUsers ? { severity: 'warning' as const } : {}),
          message: privateUsers
            ? `${what(range)} ${verb(open, range)} open to ${describeOpen(open)}, but the security group is attached only to resources without a public address (${describeUsers(privateUsers)}): reachable from anything that can route to the VPC (peered VPCs, VPN, Direct Connect, Transit Gateway), not from the internet. Open only the ports the service needs, to the security groups or ranges that use it.`
            : `${what(range)} ${verb(open, range)} open to the internet: ${describeOpen(open)}. This includes SSH, RDP and every database port. Open only the ports the service needs, to known ranges or security groups.`,
          related: [...(privateUsers ? usersRelated(privateUsers) : []), ...evidence(open, range)],
          fixes: () =>
            restrictFixes(doc, rule, open, 'AllowedIngressCidr', 'this traffic', {
              title: 'Allow this traffic only from a new parameter {name}',
              description:
                'CIDR range allowed to reach the ports of this rule; choose a narrow range, never 0.0.0.0/0.',
            }),
        });
      }
    }
  },
};

function what(range: PortRange): string {
  if (range.protocol === 'all') return 'All traffic (every protocol and port)';
  return `Every ${range.protocol.toUpperCase()} port (${range.from}-${range.to})`;
}

import { coversTcpPort, isAllPorts, securityGroupRules } from '../../facts/securityGroups';
import type { PortRange } from '../../facts/securityGroups';
import type { Settings } from '../../engine/settings';
import { SECURITY_GROUP_CONTROLS } from '../exposure/controls';
import {
  ADMIN_SERVICES,
  describeOpen,
  describeRange,
  evidence,
  exposedServices,
  internetSources,
  isWebOnly,
  peersOf,
  verb,
} from '../exposure/openToInternet';
import type { Rule } from '../types';
import docs from './rule.md?raw';

export const portOpenToInternet: Rule = {
  meta: {
    id: 'port-open-to-internet',
    summary: 'A port other than the web ports reachable from the whole internet',
    category: 'exposure',
    severity: 'warning',
    formats: ['cfn', 'tf', 'plan'],
    resourceTypes: [
      'AWS::EC2::SecurityGroup',
      'AWS::EC2::SecurityGroupIngress',
      'aws_security_group',
      'aws_default_security_group',
      'aws_security_group_rule',
      'aws_vpc_security_group_ingress_rule',
    ],
    fixSafety: 'none',
    doesNotReport:
      'Web ports (80, 443 by default), ports the admin, sensitive and all-ports rules claim, ICMP, egress, group references, prefix lists, private, trusted or narrower ranges',
    references: {
      aws: [
        'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
        'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-18',
      ],
      cwe: ['CWE-284'],
      cfnNag: ['W2', 'W9'],
      securityHub: ['EC2.18'],
    },
  },
  docs,
  controls: SECURITY_GROUP_CONTROLS,
  check({ facts, settings, report }) {
    const rules = securityGroupRules(facts);
    for (const rule of rules) {
      if (rule.direction !== 'ingress') continue;
      const range = rule.ranges.find((r) => unclaimed(r, settings));
      if (!range) continue;
      for (const open of internetSources(rule, peersOf(rule, rules), settings)) {
        report({
          span: open.source.node,
          resource: rule.resource,
          message: `${capitalize(describeRange(range))} ${plural(verb(open, range), range.from !== range.to)} open to the internet: ${describeOpen(open)}. Make sure this service is meant to be public; otherwise allow only known ranges or a load balancer's security group.`,
          related: evidence(open, range),
        });
      }
    }
  },
};

/**
 * A TCP/UDP range that no stricter rule reports and that is not only web ports: not every port
 * (all-ports-open-to-internet), no SSH or RDP, no catalogue port (sensitive-port-open-to-internet).
 */
function unclaimed(range: PortRange, settings: Settings): boolean {
  if (range.protocol !== 'tcp' && range.protocol !== 'udp') return false; // ICMP has no ports
  if (isAllPorts(range) || isWebOnly(range, settings)) return false;
  if (ADMIN_SERVICES.some((s) => coversTcpPort(range, s.from))) return false;
  return exposedServices(range, settings).length === 0;
}

function plural(verb: string, many: boolean): string {
  return many && verb === 'is' ? 'are' : verb;
}

function capitalize(text: string): string {
  return text[0]!.toUpperCase() + text.slice(1);
}

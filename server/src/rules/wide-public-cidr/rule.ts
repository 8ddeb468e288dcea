import type { Cidr } from '../../facts/cidr';
import { isAllPorts, securityGroupRules } from '../../facts/securityGroups';
import { SECURITY_GROUP_CONTROLS } from '../exposure/controls';
import {
  describeOpen,
  describeUsers,
  evidence,
  exposedServices,
  internetSources,
  listServices,
  peersOf,
  privateOnlyUsers,
  usersRelated,
  verb,
  wideSources,
} from '../exposure/openToInternet';
import type { Rule } from '../types';
import docs from './rule.md?raw';

/** The widest prefix still reported (a /8 is 16.7 million addresses). */
const MAX_PREFIX = 8;

export const widePublicCidr: Rule = {
  meta: {
    id: 'wide-public-cidr',
    summary: 'An admin or sensitive port open to a very wide public range (/1 to /8)',
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
      '/0 (the internet rules), private, trusted or narrower ranges, ports outside the admin and sensitive catalogue; on a group used only by resources without a public address it is info',
    references: {
      aws: ['https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html'],
      cwe: ['CWE-284'],
      cfnNag: ['W9'],
    },
  },
  docs,
  controls: SECURITY_GROUP_CONTROLS,
  check({ facts, settings, report }) {
    const rules = securityGroupRules(facts);
    for (const rule of rules) {
      if (rule.direction !== 'ingress') continue;
      for (const range of rule.ranges) {
        const all = isAllPorts(range);
        const services = all ? [] : exposedServices(range, settings, { admin: true });
        if (!all && !services.length) continue;
        // Most rules have no wide source: then neither their users nor the internet sources matter.
        const wides = wideSources(rule.cidrs, settings, MAX_PREFIX);
        if (!wides.length) break;
        const privateUsers = privateOnlyUsers(facts, rule);
        // Ranges that are the internet together with others are the other rules' job.
        const internet = new Set(internetSources(rule, peersOf(rule, rules), settings).map((o) => o.source));
        for (const wide of wides) {
          if (internet.has(wide.source)) continue;
          const what = all
            ? `${range.protocol === 'all' ? 'All traffic' : `Every ${range.protocol.toUpperCase()} port`} (SSH, RDP and database ports included)`
            : listServices(services);
          const plural = !all && services.length > 1;
          const v = verb(wide, range);
          report({
            span: wide.source.node,
            resource: rule.resource,
            ...(privateUsers ? { severity: 'info' as const } : {}),
            message: privateUsers
              ? `${what} ${plural && v === 'is' ? 'are' : v} open to a very wide public range: ${describeOpen(wide)}, ${size(wide.cidr)}, but the security group is attached only to resources without a public address (${describeUsers(privateUsers)}): reachable from anything that can route to the VPC, not from the internet. Narrow it to the addresses that need access, or reference a security group.`
              : `${what} ${plural && v === 'is' ? 'are' : v} open to a very wide public range: ${describeOpen(wide)}, ${size(wide.cidr)}. Narrow it to the addresses that need access, or reference a security group.`,
            related: [...(privateUsers ? usersRelated(privateUsers) : []), ...evidence(wide, range)],
          });
        }
        break; // one finding per source
      }
    }
  },
};

function size(cidr: Cidr): string {
  const bits = (cidr.version === 4 ? 32 : 128) - cidr.prefix;
  const count = bits <= 32 ? (2 ** bits).toLocaleString('en-US') : `2^${bits}`;
  return `${count} addresses`;
}

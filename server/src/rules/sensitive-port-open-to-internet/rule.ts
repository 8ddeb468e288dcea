import { isAllPorts, securityGroupRules } from '../../facts/securityGroups';
import type { SecurityGroupRule } from '../../facts/securityGroups';
import type { Format } from '../../parse/detect';
import { SECURITY_GROUP_CONTROLS } from '../exposure/controls';
import {
  describeUsers,
  privateOnlyUsers,
  usersRelated,
  cidrParameterFor,
  describeOpen,
  describeRange,
  evidence,
  exposedServices,
  internetSources,
  listServices,
  peersOf,
  restrictFixes,
  verb,
} from '../exposure/openToInternet';
import type { Rule } from '../types';
import docs from './rule.md?raw';

export const sensitivePortOpenToInternet: Rule = {
  meta: {
    id: 'sensitive-port-open-to-internet',
    summary: 'A database, file-sharing or other sensitive port reachable from the whole internet',
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
      'Ports outside the catalogue, all-traffic rules, private, trusted or narrower ranges, group references; a group used only by resources without a public address is a warning',
    references: {
      aws: [
        'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
        'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-19',
      ],
      cwe: ['CWE-284'],
      cfnNag: ['W2', 'W9'],
      securityHub: ['EC2.19'],
    },
  },
  docs,
  controls: SECURITY_GROUP_CONTROLS,
  check({ doc, facts, settings, report }) {
    const rules = securityGroupRules(facts);
    for (const rule of rules) {
      if (rule.direction !== 'ingress') continue;
      for (const range of rule.ranges) {
        // An all-traffic rule is reported once, by all-ports-open-to-internet.
        if (isAllPorts(range)) continue;
        const services = exposedServices(range, settings);
        if (!services.length) continue;
        const only = services.length === 1 ? services[0] : undefined;
        const exact = only && only.from === range.from && only.to === range.to;
        const names = [...new Set(services.map((s) => s.name))];
        const plural = services.length > 1;
        const opens = internetSources(rule, peersOf(rule, rules), settings);
        // Who uses the group matters only for a finding (most ranges have none).
        const privateUsers = opens.length ? privateOnlyUsers(facts, rule) : undefined;
        for (const open of opens) {
          report({
            span: open.source.node,
            resource: rule.resource,
            ...(privateUsers ? { severity: 'warning' as const } : {}),
            message: privateUsers
              ? `${listServices(services)} ${plural ? (verb(open, range) === 'is' ? 'are' : 'can be') : verb(open, range)} open to ${describeOpen(open)}${exact ? '' : ` (the rule allows ${describeRange(range)})`}, but the security group is attached only to resources without a public address (${describeUsers(privateUsers)}): reachable from anything that can route to the VPC (peered VPCs, VPN, Direct Connect, Transit Gateway), not from the internet. Allow ${plural ? 'these ports' : 'it'} only from the clients' security group (${groupReferenceKey(doc.format, rule)}) or the ranges that need it.`
              : `${listServices(services)} ${plural ? (verb(open, range) === 'is' ? 'are' : 'can be') : verb(open, range)} open to the internet${exact ? '' : ` (the rule allows ${describeRange(range)})`}: ${describeOpen(open)}. Allow ${plural ? 'these ports' : 'it'} only from the clients' security group (${groupReferenceKey(doc.format, rule)}) or known ranges.`,
            related: [...(privateUsers ? usersRelated(privateUsers) : []), ...evidence(open, range)],
            fixes: () =>
              names.length === 1
                ? restrictFixes(doc, rule, open, cidrParameterFor(names[0]!), names[0]!)
                : restrictFixes(doc, rule, open, 'AllowedIngressCidr', 'these ports'),
          });
        }
        break; // one finding per source, even if several port ranges are sensitive
      }
    }
  },
};

/** Where a security-group reference goes in this rule's shape. */
function groupReferenceKey(format: Format, rule: SecurityGroupRule): string {
  if (format === 'cfn') return 'SourceSecurityGroupId';
  if (rule.resource.type === 'aws_vpc_security_group_ingress_rule') return 'referenced_security_group_id';
  if (rule.resource.type === 'aws_security_group_rule') return 'source_security_group_id';
  return 'security_groups';
}

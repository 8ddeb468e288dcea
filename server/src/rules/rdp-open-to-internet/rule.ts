import { coversTcpPort, isAllPorts, securityGroupRules } from '../../facts/securityGroups';
import { SECURITY_GROUP_CONTROLS } from '../shared/controls';
import { describeOpen, evidence, internetSources, peersOf, restrictFixes, verb } from '../shared/exposure';
import type { Rule } from '../types';
import docs from './rule.md?raw';

const PORT = 3389;

export const rdpOpenToInternet: Rule = {
  meta: {
    id: 'rdp-open-to-internet',
    summary: 'RDP (TCP 3389) reachable from the whole internet',
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
    references: {
      aws: [
        'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
        'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-14',
      ],
      cwe: ['CWE-284'],
      checkov: ['CKV_AWS_25'],
      cfnNag: ['W2', 'W9', 'F1000'],
      securityHub: ['EC2.14'],
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
        if (isAllPorts(range) || !coversTcpPort(range, PORT)) continue;
        for (const open of internetSources(rule, peersOf(rule, rules), settings)) {
          const ports =
            range.from === range.to ? `port ${PORT}` : `port ${PORT} (range ${range.from}-${range.to})`;
          report({
            span: open.source.node,
            resource: rule.resource,
            message: `RDP (TCP ${ports}) ${verb(open, range)} open to the internet: ${describeOpen(open)}. Allow RDP only from known ranges, or use Session Manager or a bastion.`,
            related: evidence(open, range),
            fixes: restrictFixes(doc, rule, open, 'AllowedRdpCidr', 'RDP'),
          });
        }
        break; // one finding per source, even if several port ranges cover 3389
      }
    }
  },
};

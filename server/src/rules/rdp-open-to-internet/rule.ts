import { SECURITY_GROUP_CONTROLS } from '../exposure/controls';
import { reportOpenAdminPort } from '../exposure/openToInternet';
import type { Rule } from '../types';
import docs from './rule.md?raw';

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
    doesNotReport:
      'UDP 3389, group references, prefix lists, private or trusted ranges, narrower public ranges (wide-public-cidr), all-traffic rules (all-ports-open-to-internet); an exposure path joins this finding instead of a second one; a group used only by resources without a public address is a warning',
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
  check(context) {
    reportOpenAdminPort(context, { port: 3389, service: 'RDP', parameter: 'AllowedRdpCidr' });
  },
};

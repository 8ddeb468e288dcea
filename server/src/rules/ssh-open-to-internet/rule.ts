import { securityGroupRules, coversTcpPort, isAllPorts } from '../../facts/securityGroups';
import { get, items, scalarString } from '../../parse/tree';
import { resolve } from '../../resolve/values';
import { describeOpen, evidence, internetSources, peersOf, restrictFixes, verb } from '../shared/exposure';
import { ADMIN_ACCESS_CONTROLS } from '../shared/controls';
import type { Rule } from '../types';
import docs from './rule.md?raw';

const PORT = 22;

export const sshOpenToInternet: Rule = {
  meta: {
    id: 'ssh-open-to-internet',
    summary: 'SSH (TCP 22) reachable from the whole internet',
    category: 'exposure',
    severity: 'error',
    formats: ['cfn', 'tf', 'plan'],
    resourceTypes: [
      'AWS::EC2::SecurityGroup',
      'AWS::EC2::SecurityGroupIngress',
      'AWS::EKS::Nodegroup',
      'aws_security_group',
      'aws_default_security_group',
      'aws_security_group_rule',
      'aws_vpc_security_group_ingress_rule',
      'aws_eks_node_group',
    ],
    fixSafety: 'unsafe',
    references: {
      aws: [
        'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
        'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-13',
      ],
      cwe: ['CWE-284'],
      checkov: ['CKV_AWS_24'],
      cfnNag: ['W2', 'W9', 'F1000'],
      securityHub: ['EC2.13'],
    },
  },
  docs,
  controls: ADMIN_ACCESS_CONTROLS,
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
            message: `SSH (TCP ${ports}) ${verb(open, range)} open to the internet: ${describeOpen(open)}. Allow SSH only from known ranges, or use Session Manager or a bastion.`,
            related: evidence(open, range),
            fixes: restrictFixes(doc, rule, open, 'AllowedSshCidr', 'SSH'),
          });
        }
        break; // one finding per source, even if several port ranges cover 22
      }
    }
    // An EKS managed node group with an SSH key and no source security groups opens 22 to the internet.
    for (const resource of doc.resources) {
      if (resource.type !== 'AWS::EKS::Nodegroup' && resource.type !== 'aws_eks_node_group') continue;
      const cfn = resource.type === 'AWS::EKS::Nodegroup';
      const remote = items(get(resource.properties, cfn ? 'RemoteAccess' : 'remote_access'))[0];
      if (remote?.kind !== 'map') continue;
      const key = get(remote, cfn ? 'Ec2SshKey' : 'ec2_ssh_key');
      if (!key || !resolve(doc, key).some((p) => typeof p.value === 'string' && p.value !== '')) continue;
      const sources = get(remote, cfn ? 'SourceSecurityGroups' : 'source_security_group_ids');
      if (items(sources).length) continue;
      report({
        span: key,
        resource,
        message: `SSH (TCP port 22) is open to the internet on the nodes of ${resource.id}: remote access with key ${scalarString(key) ?? 'set'} and no ${cfn ? 'SourceSecurityGroups' : 'source_security_group_ids'} allows SSH from 0.0.0.0/0. Name the security groups that may connect, or drop remote access and use Session Manager.`,
      });
    }
  },
};

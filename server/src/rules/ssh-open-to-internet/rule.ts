import { get, items, scalarString } from '../../parse/tree';
import { resolve } from '../../resolve/values';
import { reportOpenAdminPort } from '../exposure/openToInternet';
import { ADMIN_ACCESS_CONTROLS } from '../exposure/controls';
import type { Rule } from '../types';
import docs from './rule.md?raw';

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
    doesNotReport:
      'UDP 22, group references, prefix lists, private or trusted ranges, narrower public ranges (wide-public-cidr), all-traffic rules (all-ports-open-to-internet); an exposure path joins this finding instead of a second one; a group used only by resources without a public address is a warning',
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
    reportOpenAdminPort(
      { doc, facts, settings, report },
      { port: 22, service: 'SSH', parameter: 'AllowedSshCidr' },
    );
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

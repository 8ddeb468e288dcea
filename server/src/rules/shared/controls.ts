// Hover docs for the controls the exposure rules read, from AWS's own guidance.

import type { ControlDoc } from '../types';

const SECURITY_GROUPS = `**Security group rules.** Security groups are stateful and deny by default: traffic is allowed only where a rule says so, and replies flow back automatically. Open only the ports you need, to the narrowest sources you can; reference another security group (\`SourceSecurityGroupId\`, Terraform \`security_groups\` / \`referenced_security_group_id\`) instead of a CIDR when the caller is in AWS. Administrative access (SSH, RDP) belongs to a bastion or AWS Systems Manager Session Manager, not the internet. [Security group rules](https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html)`;

const CIDR = `**Source range.** \`0.0.0.0/0\` and \`::/0\` mean every address on the internet. Prefer a security-group reference or a managed prefix list; when a CIDR is needed, use the narrowest range (a corporate egress range, a VPN). Private ranges (10/8, 172.16/12, 192.168/16) are reachable only from inside your network.`;

export const ADMIN_ACCESS_CONTROLS: ControlDoc[] = [
  {
    keys: ['SecurityGroupIngress', 'SecurityGroupEgress', 'ingress', 'egress'],
    resourceTypes: ['AWS::EC2::SecurityGroup', 'aws_security_group', 'aws_default_security_group'],
    markdown: SECURITY_GROUPS,
  },
  {
    keys: ['CidrIp', 'CidrIpv6', 'cidr_blocks', 'ipv6_cidr_blocks', 'cidr_ipv4', 'cidr_ipv6'],
    markdown: CIDR,
  },
];

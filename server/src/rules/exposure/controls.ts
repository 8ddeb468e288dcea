// Hover docs for the controls the exposure rules read, from AWS's own guidance.

import { SECURITY_GROUP_RULE_TYPES } from '../../facts/securityGroups';
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

const PORTS = `**Protocol and ports.** \`-1\` (Terraform also \`all\`) means every protocol and every port; the port fields are then ignored. For TCP and UDP the rule covers every port from the first to the last, so \`0\`-\`65535\` is every port. For ICMP the two numbers are the ICMP type and code, not ports. Open single ports where you can; a wide range easily includes SSH (22), RDP (3389) or a database port.`;

const EGRESS = `**Outbound rules.** A CloudFormation security group with no \`SecurityGroupEgress\` keeps AWS's default rule that allows all outbound traffic; Terraform's \`aws_security_group\` removes it unless you declare \`egress\` blocks. Replies to allowed inbound connections always flow back (security groups are stateful), so a database or cache rarely needs any outbound rule. Allow only the destinations a workload calls. [Security group rules](https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html)`;

const DEFAULT_GROUP = `**The default security group.** Every VPC has one, and instances or interfaces launched without a group land in it. AWS recommends that it allow no traffic at all (Security Hub EC2.2): create a group per workload instead. In Terraform, \`aws_default_security_group\` without \`ingress\` or \`egress\` blocks removes every rule from the default group. [Default security groups](https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html)`;

/** Security-group rules: ports, protocols, outbound rules (for the exposure rules beyond SSH). */
export const SECURITY_GROUP_CONTROLS: ControlDoc[] = [
  ...ADMIN_ACCESS_CONTROLS,
  {
    keys: ['IpProtocol', 'FromPort', 'ToPort', 'protocol', 'ip_protocol', 'from_port', 'to_port'],
    resourceTypes: [...SECURITY_GROUP_RULE_TYPES],
    markdown: PORTS,
  },
];

export const EGRESS_CONTROLS: ControlDoc[] = [
  ...SECURITY_GROUP_CONTROLS,
  {
    keys: ['SecurityGroupEgress', 'egress'],
    resourceTypes: ['AWS::EC2::SecurityGroup', 'aws_security_group'],
    markdown: EGRESS,
  },
];

export const DEFAULT_SECURITY_GROUP_CONTROLS: ControlDoc[] = [
  { keys: ['ingress', 'egress'], resourceTypes: ['aws_default_security_group'], markdown: DEFAULT_GROUP },
];

const NACL = `**Network ACL entries.** A network ACL filters traffic at the subnet boundary, as a second layer of defence behind security groups. It is stateless: replies are not allowed automatically, so inbound rules must let replies in on the ephemeral ports (1024-65535) and outbound rules must let them out. Entries are evaluated in order, lowest rule number first, and the first match wins: a \`deny\` for SSH, RDP or database ports must have a lower number than any broad \`allow\`. Numbers must be unique per direction. [Network ACLs](https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html)`;

const NACL_TYPES = [
  'AWS::EC2::NetworkAclEntry',
  'aws_network_acl',
  'aws_default_network_acl',
  'aws_network_acl_rule',
];

export const NACL_CONTROLS: ControlDoc[] = [
  { keys: ['Type'], resourceTypes: ['AWS::EC2::NetworkAclEntry'], markdown: NACL },
  {
    keys: [
      'RuleNumber',
      'RuleAction',
      'Egress',
      'Protocol',
      'PortRange',
      'CidrBlock',
      'Ipv6CidrBlock',
      'ingress',
      'egress',
      'rule_no',
      'rule_number',
      'action',
      'rule_action',
      'protocol',
      'cidr_block',
      'ipv6_cidr_block',
    ],
    resourceTypes: NACL_TYPES,
    markdown: NACL,
  },
];

const EKS = `**EKS API endpoint access.** By default the cluster's Kubernetes API endpoint is public (\`EndpointPublicAccess\` true) and open to \`0.0.0.0/0\`, with the private endpoint off. Anyone on the internet can then reach the API server and try credentials or exploit a flaw. Turn on the private endpoint (\`EndpointPrivateAccess: true\`) so nodes and in-VPC tools use it, and either turn the public endpoint off or limit \`PublicAccessCidrs\` to the ranges your operators and CI use. [Cluster endpoint access control](https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html)`;

export const EKS_CONTROLS: ControlDoc[] = [
  {
    keys: [
      'ResourcesVpcConfig',
      'EndpointPublicAccess',
      'EndpointPrivateAccess',
      'PublicAccessCidrs',
      'vpc_config',
      'endpoint_public_access',
      'endpoint_private_access',
      'public_access_cidrs',
    ],
    resourceTypes: ['AWS::EKS::Cluster', 'aws_eks_cluster'],
    markdown: EKS,
  },
];

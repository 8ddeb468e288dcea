// Hover docs on the controls the exposure rules read (issue 3): security groups, network ACL
// entries, EKS endpoint access, Terraform ingress / egress / cidr_blocks.

import { describe, expect, it } from 'vitest';
import { loadDocument } from '../../model/load';
import { controlHover } from '../../service/controls';
import { lines } from '../../testing/ruleTester';

function hoverAt(file: string, code: string, word: string, nth = 0): string | undefined {
  const doc = loadDocument(file, code)!;
  let at = -1;
  for (let i = 0; i <= nth; i++) at = code.indexOf(word, at + 1);
  return controlHover(doc, at + 1)?.markdown;
}

const cfn = lines(
  'Resources:',
  '  Sg:',
  '    Type: AWS::EC2::SecurityGroup',
  '    Properties:',
  '      GroupDescription: x',
  '      SecurityGroupIngress:',
  '        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 10.0.0.0/8}',
  '      SecurityGroupEgress:',
  '        - {IpProtocol: "-1", CidrIp: 10.0.0.0/8}',
  '  Entry:',
  '    Type: AWS::EC2::NetworkAclEntry',
  '    Properties:',
  '      NetworkAclId: acl-1',
  '      RuleNumber: 100',
  '      RuleAction: allow',
  '      Protocol: 6',
  '      CidrBlock: 10.0.0.0/8',
  '  Cluster:',
  '    Type: AWS::EKS::Cluster',
  '    Properties:',
  '      ResourcesVpcConfig:',
  '        PublicAccessCidrs: [10.0.0.0/8]',
);

describe('exposure control hovers', () => {
  it('security groups: stateful, deny by default, references over CIDRs, admin via bastion', () => {
    const text = hoverAt('template.yaml', cfn, 'SecurityGroupIngress')!;
    expect(text).toMatch(/stateful and deny by default/);
    expect(text).toMatch(/reference another security group/);
    expect(text).toMatch(/bastion or AWS Systems Manager Session Manager/);
    expect(hoverAt('template.yaml', cfn, 'SecurityGroupEgress')).toMatch(
      /keeps AWS's default rule that allows all outbound/,
    );
    expect(hoverAt('template.yaml', cfn, 'FromPort')).toMatch(
      /ICMP the two numbers are the ICMP type and code, not ports/,
    );
  });
  it('network ACL entries: the type and its keys; stateless, lowest number first, second layer', () => {
    for (const word of ['Type: AWS::EC2::NetworkAclEntry', 'RuleNumber', 'RuleAction', 'CidrBlock']) {
      const text = hoverAt('template.yaml', cfn, word)!;
      expect(text, word).toMatch(/stateless/);
      expect(text, word).toMatch(/lowest rule number first/);
      expect(text, word).toMatch(/second layer of defence/);
    }
  });
  it('EKS endpoint access', () => {
    expect(hoverAt('template.yaml', cfn, 'ResourcesVpcConfig')).toMatch(
      /public \(`EndpointPublicAccess` true\) and open to `0\.0\.0\.0\/0`/,
    );
    expect(hoverAt('template.yaml', cfn, 'PublicAccessCidrs')).toMatch(/EndpointPrivateAccess: true/);
  });
  it('Terraform ingress / egress / cidr_blocks, and network ACL blocks', () => {
    const tf = `{"resource": {
  "aws_security_group": {"a": {"ingress": [{"protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["10.0.0.0/8"]}], "egress": []}},
  "aws_network_acl": {"b": {"ingress": [{"rule_no": 100, "action": "allow", "protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_block": "10.0.0.0/8"}]}},
  "aws_default_security_group": {"d": {"ingress": []}},
  "aws_eks_cluster": {"c": {"vpc_config": {"endpoint_public_access": false}}}
}}
`;
    expect(hoverAt('main.tf.json', tf, '"ingress"')).toMatch(/stateful and deny by default/);
    expect(hoverAt('main.tf.json', tf, '"cidr_blocks"')).toMatch(/every address on the internet/);
    expect(hoverAt('main.tf.json', tf, '"egress"')).toMatch(/Terraform's `aws_security_group` removes it/);
    expect(hoverAt('main.tf.json', tf, '"ingress"', 1)).toMatch(/stateless/);
    expect(hoverAt('main.tf.json', tf, '"rule_no"')).toMatch(/lowest rule number first/);
    expect(hoverAt('main.tf.json', tf, '"ingress"', 2)).toMatch(/default security group/);
    expect(hoverAt('main.tf.json', tf, '"vpc_config"')).toMatch(/EKS API endpoint access/);
  });
});

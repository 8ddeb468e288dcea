import { lines, ruleTester } from '../../testing/ruleTester';
import { portOpenToInternet } from './rule';

const TAIL =
  " Make sure this service is meant to be public; otherwise allow only known ranges or a load balancer's security group.";

ruleTester(portOpenToInternet, {
  valid: [
    {
      name: 'web ports (TCP and UDP 443), private and referenced sources',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Sg:',
        '    Type: AWS::EC2::SecurityGroup',
        '    Properties:',
        '      GroupDescription: x',
        '      SecurityGroupIngress:',
        '        - {IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 0.0.0.0/0}',
        '        - {IpProtocol: tcp, FromPort: "443", ToPort: "443", CidrIpv6: ::/0}',
        '        - {IpProtocol: udp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}',
        '        - {IpProtocol: tcp, FromPort: 8080, ToPort: 8080, SourceSecurityGroupId: sg-1}',
        '        - {IpProtocol: tcp, FromPort: 8080, ToPort: 8080, CidrIp: 192.168.0.0/16}',
        '        - {IpProtocol: tcp, FromPort: 8080, ToPort: 8080, CidrIp: 203.0.112.0/23}',
      ),
    },
    {
      name: 'left to stricter rules: SSH, RDP, sensitive ports, every port; ICMP has no ports',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Sg:',
        '    Type: AWS::EC2::SecurityGroup',
        '    Properties:',
        '      GroupDescription: x',
        '      SecurityGroupIngress:',
        '        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}',
        '        - {IpProtocol: tcp, FromPort: 3000, ToPort: 4000, CidrIp: 0.0.0.0/0}',
        '        - {IpProtocol: tcp, FromPort: 6379, ToPort: 6379, CidrIp: 0.0.0.0/0}',
        '        - {IpProtocol: "-1", CidrIp: 0.0.0.0/0}',
        '        - {IpProtocol: udp, FromPort: 0, ToPort: 65535, CidrIp: 0.0.0.0/0}',
        '        - {IpProtocol: icmp, FromPort: 8, ToPort: 0, CidrIp: 0.0.0.0/0}',
        '        - {IpProtocol: icmpv6, FromPort: 128, ToPort: 0, CidrIpv6: ::/0}',
      ),
    },
    {
      name: 'configured web ports',
      file: 'main.tf.json',
      settings: { webPorts: [80, 443, 8443] },
      code: `{"resource": {"aws_security_group": {"a": {"ingress": [
  {"protocol": "tcp", "from_port": 8443, "to_port": 8443, "cidr_blocks": ["0.0.0.0/0"]}
]}}}}
`,
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: TCP 8080, UDP 22 (not SSH), TCP 80-81 (not only web ports)',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Sg:',
        '    Type: AWS::EC2::SecurityGroup',
        '    Properties:',
        '      GroupDescription: x',
        '      SecurityGroupIngress:',
        '        - {IpProtocol: tcp, FromPort: 8080, ToPort: 8080, CidrIp: 0.0.0.0/0}',
        '        - {IpProtocol: udp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}',
        '        - {IpProtocol: tcp, FromPort: 80, ToPort: 81, CidrIpv6: "0::/0"}',
      ),
      errors: [
        {
          text: '0.0.0.0/0',
          line: 7,
          message: `TCP port 8080 is open to the internet: 0.0.0.0/0.${TAIL}`,
          severity: 'warning',
          fixes: [],
        },
        {
          text: '0.0.0.0/0',
          line: 8,
          message: `UDP port 22 is open to the internet: 0.0.0.0/0.${TAIL}`,
          fixes: [],
        },
        {
          text: '"0::/0"',
          line: 9,
          message: `TCP ports 80-81 are open to the internet: 0::/0.${TAIL}`,
          fixes: [],
        },
      ],
    },
    {
      name: 'CFN JSON standalone ingress with a parameter default',
      file: 'template.json',
      code: `{
  "Parameters": { "Cidr": { "Type": "String", "Default": "0.0.0.0/0" } },
  "Resources": {
    "Sg": { "Type": "AWS::EC2::SecurityGroup", "Properties": { "GroupDescription": "x" } },
    "In": {
      "Type": "AWS::EC2::SecurityGroupIngress",
      "Properties": { "GroupId": { "Ref": "Sg" }, "IpProtocol": "tcp", "FromPort": 9000, "ToPort": 9001, "CidrIp": { "Ref": "Cidr" } }
    }
  }
}
`,
      errors: [
        {
          text: '{ "Ref": "Cidr" }',
          line: 7,
          message: `TCP ports 9000-9001 are open to the internet: 0.0.0.0/0 (the default of Cidr).${TAIL}`,
          related: ['Default of Cidr'],
          fixes: [],
        },
      ],
    },
    {
      name: 'TF JSON and a configured web-port list without 80',
      file: 'main.tf.json',
      settings: { webPorts: [443] },
      code: `{"resource": {"aws_security_group_rule": {"http": {
  "type": "ingress", "protocol": "tcp", "from_port": 80, "to_port": 80, "cidr_blocks": ["0.0.0.0/0"], "security_group_id": "sg-1"
}}}}
`,
      errors: [
        {
          text: '"0.0.0.0/0"',
          line: 2,
          message: `TCP port 80 is open to the internet: 0.0.0.0/0.${TAIL}`,
          fixes: [],
        },
      ],
    },
    {
      name: 'plan',
      file: 'plan.json',
      code: `{"format_version": "1.2", "planned_values": {"root_module": {"resources": [
  {"address": "aws_vpc_security_group_ingress_rule.a", "mode": "managed", "type": "aws_vpc_security_group_ingress_rule", "name": "a",
   "values": {"ip_protocol": "udp", "from_port": 51820, "to_port": 51820, "cidr_ipv4": "0.0.0.0/0"}}]}}}
`,
      errors: [
        {
          text: '"0.0.0.0/0"',
          line: 3,
          message: `UDP port 51820 is open to the internet: 0.0.0.0/0.${TAIL}`,
          fixes: [],
        },
      ],
    },
  ],
});

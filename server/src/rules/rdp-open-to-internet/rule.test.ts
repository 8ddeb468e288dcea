import { lines, ruleTester } from '../../testing/ruleTester';
import { rdpOpenToInternet } from './rule';

const MSG =
  /^RDP \(TCP port 3389\) is open to the internet: 0\.0\.0\.0\/0\. Allow RDP only from known ranges/;
const PARAM_DESC = 'CIDR range allowed to reach RDP; choose a narrow range, never 0.0.0.0/0.';

const cfnYaml = lines(
  'Resources:',
  '  WinSg:',
  '    Type: AWS::EC2::SecurityGroup',
  '    Properties:',
  '      GroupDescription: windows',
  '      SecurityGroupIngress:',
  '        - IpProtocol: tcp',
  '          FromPort: 3389',
  '          ToPort: 3389',
  '          CidrIp: 0.0.0.0/0',
  '        - IpProtocol: tcp',
  '          FromPort: 443',
  '          ToPort: 443',
  '          CidrIp: 0.0.0.0/0',
);

const cfnJson = `{
  "Resources": {
    "WinSg": {
      "Type": "AWS::EC2::SecurityGroup",
      "Properties": {
        "GroupDescription": "windows",
        "SecurityGroupIngress": [
          { "IpProtocol": "6", "FromPort": "3389", "ToPort": "3389", "CidrIp": "0.0.0.0/0" }
        ]
      }
    }
  }
}
`;

const tfJson = `{
  "resource": {
    "aws_vpc_security_group_ingress_rule": {
      "rdp": {
        "security_group_id": "\${aws_security_group.win.id}",
        "ip_protocol": "tcp",
        "from_port": 3389,
        "to_port": 3389,
        "cidr_ipv6": "0:0:0:0:0:0:0:0/0"
      }
    },
    "aws_security_group": {
      "win": { "name": "win" }
    }
  }
}
`;

const plan = `{
  "format_version": "1.2",
  "planned_values": {
    "root_module": {
      "resources": [
        {
          "address": "aws_security_group.win",
          "mode": "managed",
          "type": "aws_security_group",
          "name": "win",
          "values": {
            "ingress": [
              { "protocol": "tcp", "from_port": 3000, "to_port": 4000, "cidr_blocks": ["0.0.0.0/0"], "self": false }
            ]
          }
        }
      ]
    }
  }
}
`;

const rangeYaml = lines(
  'Resources:',
  '  Sg:',
  '    Type: AWS::EC2::SecurityGroup',
  '    Properties:',
  '      GroupDescription: x',
  '      SecurityGroupIngress:',
  '        - {IpProtocol: tcp, FromPort: 20, ToPort: 3389, CidrIp: 0.0.0.0/0}',
);

const pathYaml = lines(
  'Resources:',
  '  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}',
  '  Igw: {Type: AWS::EC2::InternetGateway}',
  '  Attach: {Type: AWS::EC2::VPCGatewayAttachment, Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw}}',
  '  Rt: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}',
  '  Default: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref Rt, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw}}',
  '  Public: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24}}',
  '  Assoc: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref Public, RouteTableId: !Ref Rt}}',
  '  Sg: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: rdp, VpcId: !Ref Vpc, SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: 0.0.0.0/0}]}}',
  '  Host: {Type: AWS::EC2::Instance, Properties: {ImageId: ami-1, NetworkInterfaces: [{DeviceIndex: 0, SubnetId: !Ref Public, AssociatePublicIpAddress: true, GroupSet: [!Ref Sg]}]}}',
);

ruleTester(rdpOpenToInternet, {
  valid: [
    {
      name: 'RDP from a security group, a private range, a prefix list, a public /23',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Sg:',
        '    Type: AWS::EC2::SecurityGroup',
        '    Properties:',
        '      GroupDescription: x',
        '      SecurityGroupIngress:',
        '        - {IpProtocol: tcp, FromPort: 3389, ToPort: 3389, SourceSecurityGroupId: sg-123}',
        '        - {IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: 172.16.0.0/12}',
        '        - {IpProtocol: tcp, FromPort: 3389, ToPort: 3389, SourcePrefixListId: pl-123}',
        '        - {IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: 203.0.112.0/23}',
        '        - {IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIpv6: "fd00::/8"}',
      ),
    },
    {
      name: 'UDP 3389 and ICMP type 3389-like numbers are not RDP',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Sg:',
        '    Type: AWS::EC2::SecurityGroup',
        '    Properties:',
        '      GroupDescription: x',
        '      SecurityGroupIngress:',
        '        - {IpProtocol: udp, FromPort: 3389, ToPort: 3389, CidrIp: 0.0.0.0/0}',
        '        - {IpProtocol: icmp, FromPort: 0, ToPort: 3389, CidrIp: 0.0.0.0/0}',
        '        - {IpProtocol: "1", FromPort: 3389, ToPort: -1, CidrIp: 0.0.0.0/0}',
      ),
    },
    {
      name: 'all traffic is reported once, by all-ports-open-to-internet',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Sg:',
        '    Type: AWS::EC2::SecurityGroup',
        '    Properties:',
        '      GroupDescription: x',
        '      SecurityGroupIngress:',
        '        - {IpProtocol: "-1", CidrIp: 0.0.0.0/0}',
        '        - {IpProtocol: 47, FromPort: 3389, ToPort: 3389, CidrIp: 0.0.0.0/0}',
        '        - {IpProtocol: tcp, FromPort: 0, ToPort: 65535, CidrIpv6: "::/0"}',
        '        - {IpProtocol: tcp, FromPort: -1, ToPort: -1, CidrIp: 0.0.0.0/0}',
      ),
    },
    {
      name: 'trusted CIDRs and unknown values',
      file: 'template.yaml',
      settings: { trustedCidrs: ['198.51.100.0/24'] },
      code: lines(
        'Parameters:',
        '  Cidr:',
        '    Type: String',
        'Resources:',
        '  Sg:',
        '    Type: AWS::EC2::SecurityGroup',
        '    Properties:',
        '      GroupDescription: x',
        '      SecurityGroupIngress:',
        '        - {IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: 198.51.100.0/25}',
        '        - {IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: !Ref Cidr}',
        '        - {IpProtocol: tcp, FromPort: !Ref Cidr, ToPort: 3389, CidrIp: 0.0.0.0/0}',
      ),
    },
    {
      name: 'TF self block and group references',
      file: 'main.tf.json',
      code: `{"resource": {"aws_security_group": {"a": {"ingress": [
  {"protocol": "tcp", "from_port": 3389, "to_port": 3389, "self": true},
  {"protocol": "tcp", "from_port": 3389, "to_port": 3389, "security_groups": ["\${aws_security_group.b.id}"]}
]}}}}
`,
    },
    {
      name: 'plan with a CIDR unknown until apply',
      file: 'plan.json',
      code: `{"format_version": "1.2", "planned_values": {"root_module": {"resources": [
  {"address": "aws_vpc_security_group_ingress_rule.a", "mode": "managed", "type": "aws_vpc_security_group_ingress_rule", "name": "a",
   "values": {"ip_protocol": "tcp", "from_port": 3389, "to_port": 3389}}]}},
 "resource_changes": [{"address": "aws_vpc_security_group_ingress_rule.a", "change": {"after_unknown": {"cidr_ipv4": true}}}]}
`,
    },
  ],
  invalid: [
    {
      name: 'CFN YAML block style',
      file: 'template.yaml',
      code: cfnYaml,
      errors: [
        {
          text: '0.0.0.0/0',
          line: 10,
          message: MSG,
          severity: 'error',
          fixes: [
            {
              title: 'Allow RDP only from a new parameter AllowedRdpCidr',
              output: cfnYaml
                .replace(
                  'Resources:\n',
                  `Parameters:\n  AllowedRdpCidr:\n    Type: String\n    Description: '${PARAM_DESC}'\nResources:\n`,
                )
                .replace(
                  'CidrIp: 0.0.0.0/0\n        - IpProtocol: tcp\n          FromPort: 443',
                  'CidrIp: !Ref AllowedRdpCidr\n        - IpProtocol: tcp\n          FromPort: 443',
                ),
            },
            {
              title: 'Remove this rule',
              output: cfnYaml.replace(
                '        - IpProtocol: tcp\n          FromPort: 3389\n          ToPort: 3389\n          CidrIp: 0.0.0.0/0\n',
                '',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN JSON with string protocol number and string ports',
      file: 'template.json',
      code: cfnJson,
      errors: [
        {
          text: '"0.0.0.0/0"',
          line: 8,
          message: MSG,
          fixes: [
            {
              title: 'Allow RDP only from a new parameter AllowedRdpCidr',
              output: cfnJson
                .replace(
                  '{\n  "Resources": {',
                  `{\n  "Parameters": {\n    "AllowedRdpCidr": {\n      "Type": "String",\n      "Description": "${PARAM_DESC}"\n    }\n  },\n  "Resources": {`,
                )
                .replace('"CidrIp": "0.0.0.0/0"', '"CidrIp": { "Ref": "AllowedRdpCidr" }'),
            },
            {
              title: 'Remove this rule',
              output: cfnJson.replace(/\[\n\s*\{ "IpProtocol"[^\n]*\n\s*\]/, '[]'),
            },
          ],
        },
      ],
    },
    {
      name: 'TF JSON aws_vpc_security_group_ingress_rule, IPv6 written in full',
      file: 'main.tf.json',
      code: tfJson,
      errors: [
        {
          text: '"0:0:0:0:0:0:0:0/0"',
          line: 9,
          message: /^RDP \(TCP port 3389\) is open to the internet: 0:0:0:0:0:0:0:0\/0\./,
          fixes: [
            {
              title: 'Allow RDP only from a new parameter allowed_rdp_cidr_ipv6',
              output: tfJson
                .replace(
                  '{\n  "resource"',
                  `{\n  "variable": {\n    "allowed_rdp_cidr_ipv6": {\n      "type": "string",\n      "description": "${PARAM_DESC}"\n    }\n  },\n  "resource"`,
                )
                .replace('"0:0:0:0:0:0:0:0/0"', '"${var.allowed_rdp_cidr_ipv6}"'),
            },
            {
              title: 'Remove the rule aws_vpc_security_group_ingress_rule.rdp',
              output: tfJson.replace(/ {4}"aws_vpc_security_group_ingress_rule": \{[\s\S]*?\n {4}\},\n/, ''),
            },
          ],
        },
      ],
    },
    {
      name: 'plan: a range containing 3389 (no fixes: plans are generated)',
      file: 'plan.json',
      code: plan,
      errors: [
        {
          text: '"0.0.0.0/0"',
          line: 13,
          message: /^RDP \(TCP port 3389 \(range 3000-4000\)\) is open to the internet: 0\.0\.0\.0\/0\./,
          fixes: [],
        },
      ],
    },
    {
      name: 'a 20-3389 range is reported here too (each rule names its port)',
      file: 'template.yaml',
      code: rangeYaml,
      errors: [
        {
          text: '0.0.0.0/0',
          line: 7,
          message: /^RDP \(TCP port 3389 \(range 20-3389\)\) is open/,
          fixes: [
            {
              title: 'Allow RDP only from a new parameter AllowedRdpCidr',
              output: rangeYaml
                .replace(
                  'Resources:\n',
                  `Parameters:\n  AllowedRdpCidr:\n    Type: String\n    Description: '${PARAM_DESC}'\nResources:\n`,
                )
                .replace('CidrIp: 0.0.0.0/0', 'CidrIp: !Ref AllowedRdpCidr'),
            },
            { title: 'Remove this rule', output: rangeYaml.replace(/\n {8}- .*\n/, ' []\n') },
          ],
        },
      ],
    },
    {
      name: 'CFN YAML: with a complete path from the internet, one finding carries the path',
      file: 'template.yaml',
      code: pathYaml,
      errors: [
        {
          text: '0.0.0.0/0',
          line: 9,
          severity: 'error',
          message:
            'RDP (TCP port 3389) is open to the internet and reachable on instance Host: internet gateway Igw → route 0.0.0.0/0 in Rt → public subnet Public → instance Host with a public IP → this rule (0.0.0.0/0). Allow RDP only from known ranges, or use Session Manager or a bastion.',
          related: [
            'Hop 1: Internet gateway Igw',
            'Hop 2: Route 0.0.0.0/0 to Igw in route table Rt',
            'Hop 3: Subnet Public (public: Assoc associates it with route table Rt)',
            'Hop 4: Instance Host in Public',
            'Hop 5: Public IP: Host associates one',
            'Hop 6: Security group Sg lets RDP (TCP 3389) in from 0.0.0.0/0',
          ],
          fixes: [
            {
              title: 'Allow RDP only from a new parameter AllowedRdpCidr',
              output:
                `Parameters:\n  AllowedRdpCidr:\n    Type: String\n    Description: '${PARAM_DESC}'\n` +
                pathYaml.replace('CidrIp: 0.0.0.0/0', 'CidrIp: !Ref AllowedRdpCidr'),
            },
            {
              title: 'Remove this rule',
              output: pathYaml.replace(
                '[{IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: 0.0.0.0/0}]',
                '[]',
              ),
            },
          ],
        },
      ],
    },
  ],
});

import { lines, ruleTester } from '../../testing/ruleTester';
import { allPortsOpenToInternet } from './rule';

const ALL = /^All traffic \(every protocol and port\) is open to the internet: /;
const DESC = 'CIDR range allowed to reach the ports of this rule; choose a narrow range, never 0.0.0.0/0.';

const cfnYaml = lines(
  'Resources:',
  '  AppSg:',
  '    Type: AWS::EC2::SecurityGroup',
  '    Properties:',
  '      GroupDescription: app',
  '      SecurityGroupIngress:',
  '        - IpProtocol: "-1"',
  '          CidrIp: 0.0.0.0/0',
  '        - IpProtocol: tcp',
  '          FromPort: 0',
  '          ToPort: 65535',
  '          CidrIpv6: 0::/0',
  '        - IpProtocol: 50',
  '          CidrIp: 0.0.0.0/0',
);

const cfnJson = `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "AppSg": {
      "Type": "AWS::EC2::SecurityGroup",
      "Properties": { "GroupDescription": "app" }
    },
    "AllIn": {
      "Type": "AWS::EC2::SecurityGroupIngress",
      "Properties": {
        "GroupId": { "Fn::GetAtt": ["AppSg", "GroupId"] },
        "IpProtocol": "udp",
        "FromPort": 0,
        "ToPort": 65535,
        "CidrIp": "0.0.0.0/0"
      }
    }
  }
}
`;

const tfJson = `{
  "variable": {
    "ingress_cidr": { "type": "string", "default": "0.0.0.0/0" }
  },
  "resource": {
    "aws_security_group_rule": {
      "all": {
        "type": "ingress",
        "protocol": "all",
        "from_port": 0,
        "to_port": 0,
        "cidr_blocks": ["\${var.ingress_cidr}"],
        "security_group_id": "sg-123"
      }
    },
    "aws_vpc_security_group_ingress_rule": {
      "any": { "security_group_id": "sg-123", "ip_protocol": "-1", "cidr_ipv4": "0.0.0.0/0" }
    }
  }
}
`;

const plan = `{
  "format_version": "1.2",
  "planned_values": {
    "root_module": {
      "child_modules": [
        {
          "resources": [
            {
              "address": "module.net.aws_security_group.open",
              "mode": "managed",
              "type": "aws_security_group",
              "name": "open",
              "values": {
                "ingress": [
                  { "protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/1", "128.0.0.0/1"] }
                ]
              }
            }
          ]
        }
      ]
    }
  }
}
`;

const lambdaYaml = lines(
  'Resources:',
  "  FnSg: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: fn, VpcId: vpc-0abc, SecurityGroupIngress: [{IpProtocol: '-1', CidrIp: 0.0.0.0/0}]}}",
  "  Fn: {Type: AWS::Lambda::Function, Properties: {Runtime: python3.12, Handler: index.handler, Role: 'arn:aws:iam::123456789012:role/fn', Code: {ZipFile: x}, VpcConfig: {SubnetIds: [subnet-0a], SecurityGroupIds: [!Ref FnSg]}}}",
);

ruleTester(allPortsOpenToInternet, {
  valid: [
    {
      name: 'single ports, ranges that are not every port, ICMP, private, references',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Sg:',
        '    Type: AWS::EC2::SecurityGroup',
        '    Properties:',
        '      GroupDescription: x',
        '      SecurityGroupIngress:',
        '        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}',
        '        - {IpProtocol: tcp, FromPort: 1, ToPort: 65535, CidrIp: 0.0.0.0/0}',
        '        - {IpProtocol: icmp, FromPort: -1, ToPort: -1, CidrIp: 0.0.0.0/0}',
        '        - {IpProtocol: 58, FromPort: -1, ToPort: -1, CidrIpv6: ::/0}',
        '        - {IpProtocol: "-1", CidrIp: 10.0.0.0/8}',
        '        - {IpProtocol: "-1", SourceSecurityGroupId: sg-1}',
        '        - {IpProtocol: "-1", CidrIp: 203.0.112.0/23}',
      ),
    },
    {
      name: 'egress is not ingress',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Sg:',
        '    Type: AWS::EC2::SecurityGroup',
        '    Properties:',
        '      GroupDescription: x',
        '      SecurityGroupEgress:',
        '        - {IpProtocol: "-1", CidrIp: 0.0.0.0/0}',
      ),
    },
    {
      name: 'TF self block does not hide the next block, and is not open itself',
      file: 'main.tf.json',
      code: `{"resource": {"aws_security_group": {"a": {"ingress": [
  {"protocol": "-1", "from_port": 0, "to_port": 0, "self": true},
  {"protocol": "-1", "from_port": 0, "to_port": 0, "security_groups": ["\${aws_security_group.b.id}"]}
]}}}}
`,
    },
    {
      name: 'trusted CIDR',
      file: 'main.tf.json',
      settings: { trustedCidrs: ['0.0.0.0/1', '128.0.0.0/1'] },
      code: `{"resource": {"aws_security_group": {"a": {"ingress": [
  {"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/1", "128.0.0.0/1"]}
]}}}}
`,
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: protocol -1, TCP 0-65535 from 0::/0, another protocol number',
      file: 'template.yaml',
      code: cfnYaml,
      errors: [
        {
          text: '0.0.0.0/0',
          line: 8,
          message: ALL,
          severity: 'error',
          fixes: [
            {
              title: 'Allow this traffic only from a new parameter AllowedIngressCidr',
              output: cfnYaml
                .replace(
                  'Resources:\n',
                  `Parameters:\n  AllowedIngressCidr:\n    Type: String\n    Description: '${DESC}'\nResources:\n`,
                )
                .replace(
                  'CidrIp: 0.0.0.0/0\n        - IpProtocol: tcp',
                  'CidrIp: !Ref AllowedIngressCidr\n        - IpProtocol: tcp',
                ),
            },
            {
              title: 'Remove this rule',
              output: cfnYaml.replace('        - IpProtocol: "-1"\n          CidrIp: 0.0.0.0/0\n', ''),
            },
          ],
        },
        {
          text: '0::/0',
          line: 12,
          message: /^Every TCP port \(0-65535\) is open to the internet: 0::\/0\./,
          fixes: [
            {
              title: 'Allow this traffic only from a new parameter AllowedIngressCidrIpv6',
              output: cfnYaml
                .replace(
                  'Resources:\n',
                  `Parameters:\n  AllowedIngressCidrIpv6:\n    Type: String\n    Description: '${DESC}'\nResources:\n`,
                )
                .replace('CidrIpv6: 0::/0', 'CidrIpv6: !Ref AllowedIngressCidrIpv6'),
            },
            {
              title: 'Remove this rule',
              output: cfnYaml.replace(
                '        - IpProtocol: tcp\n          FromPort: 0\n          ToPort: 65535\n          CidrIpv6: 0::/0\n',
                '',
              ),
            },
          ],
        },
        {
          text: '0.0.0.0/0',
          line: 14,
          message: ALL,
          fixes: [
            {
              title: 'Allow this traffic only from a new parameter AllowedIngressCidr',
              output: cfnYaml
                .replace(
                  'Resources:\n',
                  `Parameters:\n  AllowedIngressCidr:\n    Type: String\n    Description: '${DESC}'\nResources:\n`,
                )
                .replace(
                  'IpProtocol: 50\n          CidrIp: 0.0.0.0/0',
                  'IpProtocol: 50\n          CidrIp: !Ref AllowedIngressCidr',
                ),
            },
            {
              title: 'Remove this rule',
              output: cfnYaml.replace('        - IpProtocol: 50\n          CidrIp: 0.0.0.0/0\n', ''),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN JSON standalone ingress, UDP 0-65535',
      file: 'template.json',
      code: cfnJson,
      errors: [
        {
          text: '"0.0.0.0/0"',
          line: 15,
          message: /^Every UDP port \(0-65535\) is open to the internet: 0\.0\.0\.0\/0\./,
          fixes: [
            {
              title: 'Allow this traffic only from a new parameter AllowedIngressCidr',
              output: cfnJson
                .replace(
                  '  "Resources": {',
                  `  "Parameters": {\n    "AllowedIngressCidr": {\n      "Type": "String",\n      "Description": "${DESC}"\n    }\n  },\n  "Resources": {`,
                )
                .replace('"CidrIp": "0.0.0.0/0"', '"CidrIp": { "Ref": "AllowedIngressCidr" }'),
            },
            {
              title: 'Remove the rule AllIn',
              output: cfnJson.replace(/,\n {4}"AllIn": \{[\s\S]*?\n {4}\}/, ''),
            },
          ],
        },
      ],
    },
    {
      name: 'TF JSON: protocol "all" through a variable default, ip_protocol -1 without ports',
      file: 'main.tf.json',
      code: tfJson,
      errors: [
        {
          text: '"${var.ingress_cidr}"',
          line: 12,
          message:
            /^All traffic \(every protocol and port\) is open to the internet: 0\.0\.0\.0\/0 \(the default of ingress_cidr\)\./,
          related: ['Default of ingress_cidr'],
          fixes: [
            {
              title: 'Remove the open default of ingress_cidr (deployers must choose the allowed range)',
              output: tfJson.replace('{ "type": "string", "default": "0.0.0.0/0" }', '{ "type": "string" }'),
            },
            {
              title: 'Remove the rule aws_security_group_rule.all',
              output: tfJson.replace(/ {4}"aws_security_group_rule": \{[\s\S]*?\n {4}\},\n/, ''),
            },
          ],
        },
        {
          text: '"0.0.0.0/0"',
          line: 17,
          message: ALL,
          fixes: [
            {
              title: 'Allow this traffic only from a new parameter allowed_ingress_cidr',
              output: tfJson
                .replace(
                  '    "ingress_cidr": { "type": "string", "default": "0.0.0.0/0" }\n',
                  `    "ingress_cidr": { "type": "string", "default": "0.0.0.0/0" },\n    "allowed_ingress_cidr": {\n      "type": "string",\n      "description": "${DESC}"\n    }\n`,
                )
                .replace('"cidr_ipv4": "0.0.0.0/0"', '"cidr_ipv4": "${var.allowed_ingress_cidr}"'),
            },
            {
              title: 'Remove the rule aws_vpc_security_group_ingress_rule.any',
              output: tfJson.replace(/,\n {4}"aws_vpc_security_group_ingress_rule": \{[\s\S]*?\n {4}\}/, ''),
            },
          ],
        },
      ],
    },
    {
      name: 'plan child module: 0.0.0.0/1 + 128.0.0.0/1 cover the internet together',
      file: 'plan.json',
      code: plan,
      errors: [
        {
          text: '"0.0.0.0/1"',
          line: 15,
          message:
            /^All traffic \(every protocol and port\) is open to the internet: 0\.0\.0\.0\/1, which together with 128\.0\.0\.0\/1 covers every address\./,
          fixes: [],
        },
        {
          text: '"128.0.0.0/1"',
          line: 15,
          message: /128\.0\.0\.0\/1, which together with 0\.0\.0\.0\/1 covers every address/,
          fixes: [],
        },
      ],
    },
    {
      name: 'CFN YAML: a group used only by a Lambda function in a VPC is a warning',
      file: 'template.yaml',
      code: lambdaYaml,
      errors: [
        {
          text: '0.0.0.0/0',
          line: 2,
          severity: 'warning',
          message:
            'All traffic (every protocol and port) is open to 0.0.0.0/0, but the security group is attached only to resources without a public address (Fn): reachable from anything that can route to the VPC (peered VPCs, VPN, Direct Connect, Transit Gateway), not from the internet. Open only the ports the service needs, to the security groups or ranges that use it.',
          related: ['Fn uses this security group: a Lambda function in a VPC has only private addresses.'],
          fixes: [
            {
              title: 'Allow this traffic only from a new parameter AllowedIngressCidr',
              output:
                lines(
                  'Parameters:',
                  '  AllowedIngressCidr:',
                  '    Type: String',
                  "    Description: 'CIDR range allowed to reach the ports of this rule; choose a narrow range, never 0.0.0.0/0.'",
                ) + lambdaYaml.replace('CidrIp: 0.0.0.0/0', 'CidrIp: !Ref AllowedIngressCidr'),
            },
            {
              title: 'Remove this rule',
              output: lambdaYaml.replace(/SecurityGroupIngress: \[.*?\]\}\}/, 'SecurityGroupIngress: []}}'),
            },
          ],
        },
      ],
    },
  ],
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lines, ruleTester } from '../../testing/ruleTester';
import { sshOpenToInternet } from './rule';

const multi = lines(
  'Parameters:',
  '  Env:',
  '    Type: String',
  '    AllowedValues: [dev, prod]',
  '    Default: prod',
  'Conditions:',
  '  IsDev: !Equals [!Ref Env, dev]',
  'Mappings:',
  '  Ranges:',
  '    dev: {Admin: 0.0.0.0/0}',
  '    prod: {Admin: 10.0.0.0/8}',
  'Resources:',
  '  Sg:',
  '    Type: AWS::EC2::SecurityGroup',
  '    Properties:',
  '      GroupDescription: x',
  '  In1:',
  '    Type: AWS::EC2::SecurityGroupIngress',
  '    Properties:',
  '      GroupId: !Ref Sg',
  '      IpProtocol: tcp',
  '      FromPort: 20',
  '      ToPort: 25',
  '      CidrIp: !If [IsDev, 0.0.0.0/0, 10.0.0.0/8]',
  '  In2:',
  '    Type: AWS::EC2::SecurityGroupIngress',
  '    Properties:',
  '      GroupId: !GetAtt Sg.GroupId',
  '      IpProtocol: "6"',
  '      FromPort: "22"',
  '      ToPort: "22"',
  '      CidrIpv6: "::/0"',
  '  In3:',
  '    Type: AWS::EC2::SecurityGroupIngress',
  '    Properties:',
  '      GroupId: !Ref Sg',
  '      IpProtocol: tcp',
  '      FromPort: 22',
  '      ToPort: 22',
  '      CidrIp: !FindInMap [Ranges, !Ref Env, Admin]',
);

const MSG = /^SSH \(TCP port 22\) is open to the internet: 0\.0\.0\.0\/0\./;

const cfnYaml = lines(
  'AWSTemplateFormatVersion: "2010-09-09"',
  'Resources:',
  '  WebSg:',
  '    Type: AWS::EC2::SecurityGroup',
  '    Properties:',
  '      GroupDescription: web',
  '      SecurityGroupIngress:',
  '        - IpProtocol: tcp',
  '          FromPort: 22',
  '          ToPort: 22',
  '          CidrIp: 0.0.0.0/0',
  '        - IpProtocol: tcp',
  '          FromPort: 443',
  '          ToPort: 443',
  '          CidrIp: 0.0.0.0/0',
);

const cfnJson = `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "WebSg": {
      "Type": "AWS::EC2::SecurityGroup",
      "Properties": {
        "GroupDescription": "web",
        "SecurityGroupIngress": [
          { "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0" }
        ]
      }
    }
  }
}
`;

const tfJson = `{
  "resource": {
    "aws_security_group": {
      "web": {
        "name": "web",
        "ingress": [
          {
            "protocol": "tcp",
            "from_port": 22,
            "to_port": 22,
            "cidr_blocks": ["0.0.0.0/0"]
          }
        ]
      }
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
          "address": "aws_security_group_rule.ssh",
          "mode": "managed",
          "type": "aws_security_group_rule",
          "name": "ssh",
          "values": {
            "type": "ingress",
            "protocol": "tcp",
            "from_port": 22,
            "to_port": 22,
            "cidr_blocks": ["0.0.0.0/0"],
            "security_group_id": "sg-123"
          }
        }
      ]
    }
  }
}
`;

const fixture = (path: string) => readFileSync(join(__dirname, '../../../../test-fixtures', path), 'utf8');

const lambdaYaml = lines(
  'Resources:',
  '  FnSg: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: fn, VpcId: vpc-0abc, SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}]}}',
  "  Fn: {Type: AWS::Lambda::Function, Properties: {Runtime: python3.12, Handler: index.handler, Role: 'arn:aws:iam::123456789012:role/fn', Code: {ZipFile: x}, VpcConfig: {SubnetIds: [subnet-0a], SecurityGroupIds: [!GetAtt FnSg.GroupId]}}}",
);

const lambdaHostYaml =
  lambdaYaml +
  '  Host: {Type: AWS::EC2::Instance, Properties: {ImageId: ami-1, SecurityGroupIds: [!Ref FnSg]}}\n';

const pathYaml = lines(
  'Resources:',
  '  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}',
  '  Igw: {Type: AWS::EC2::InternetGateway}',
  '  Attach: {Type: AWS::EC2::VPCGatewayAttachment, Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw}}',
  '  Rt: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}',
  '  Default: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref Rt, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw}}',
  '  Public: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24}}',
  '  Assoc: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref Public, RouteTableId: !Ref Rt}}',
  '  Sg: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: ssh, VpcId: !Ref Vpc, SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}]}}',
  '  Host: {Type: AWS::EC2::Instance, Properties: {ImageId: ami-1, NetworkInterfaces: [{DeviceIndex: 0, SubnetId: !Ref Public, AssociatePublicIpAddress: true, GroupSet: [!Ref Sg]}]}}',
);

ruleTester(sshOpenToInternet, {
  valid: [
    {
      name: 'web ports only, SG reference for SSH, private range, prefix list',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Sg:',
        '    Type: AWS::EC2::SecurityGroup',
        '    Properties:',
        '      GroupDescription: web',
        '      SecurityGroupIngress:',
        '        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}',
        '        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, SourceSecurityGroupId: sg-123}',
        '        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 10.0.0.0/8}',
        '        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, SourcePrefixListId: pl-123}',
        '        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 203.0.113.0/23}',
      ),
    },
    {
      name: 'UDP 22 and ICMP type 22 are not SSH',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Sg:',
        '    Type: AWS::EC2::SecurityGroup',
        '    Properties:',
        '      GroupDescription: x',
        '      SecurityGroupIngress:',
        '        - {IpProtocol: udp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}',
        '        - {IpProtocol: icmp, FromPort: 22, ToPort: 0, CidrIp: 0.0.0.0/0}',
        '        - {IpProtocol: 58, FromPort: 22, ToPort: 22, CidrIpv6: ::/0}',
      ),
    },
    {
      name: 'all traffic is all-ports-open-to-internet, not also SSH',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Sg:',
        '    Type: AWS::EC2::SecurityGroup',
        '    Properties:',
        '      GroupDescription: x',
        '      SecurityGroupIngress:',
        '        - {IpProtocol: "-1", CidrIp: 0.0.0.0/0}',
        '        - {IpProtocol: tcp, FromPort: 0, ToPort: 65535, CidrIp: 0.0.0.0/0}',
      ),
    },
    {
      name: 'egress to the internet on 22 is not ingress',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Sg:',
        '    Type: AWS::EC2::SecurityGroup',
        '    Properties:',
        '      GroupDescription: x',
        '      SecurityGroupEgress:',
        '        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}',
      ),
    },
    {
      name: 'unknown values are never findings by themselves',
      file: 'template.yaml',
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
        '        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref Cidr}',
        '        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !ImportValue AdminCidr}',
      ),
    },
    {
      name: 'trusted CIDRs from settings',
      file: 'template.yaml',
      settings: { trustedCidrs: ['0.0.0.0/0'] },
      code: lines(
        'Resources:',
        '  Sg:',
        '    Type: AWS::EC2::SecurityGroup',
        '    Properties:',
        '      GroupDescription: x',
        '      SecurityGroupIngress:',
        '        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 198.51.100.0/24}',
      ),
    },
    {
      name: 'TF self block and SG references, separate blocks',
      file: 'main.tf.json',
      code: `{"resource": {"aws_security_group": {"a": {"ingress": [
  {"protocol": "tcp", "from_port": 22, "to_port": 22, "self": true},
  {"protocol": "tcp", "from_port": 22, "to_port": 22, "security_groups": ["\${aws_security_group.b.id}"]}
]}}}}
`,
    },
    {
      name: 'not a template: ordinary YAML',
      file: 'config.yaml',
      code: lines('ingress:', '  - from_port: 22', '    cidr: 0.0.0.0/0'),
    },
    {
      name: 'plan with an unknown CIDR',
      file: 'plan.json',
      code: `{"format_version": "1.2", "planned_values": {"root_module": {"resources": [
  {"address": "aws_vpc_security_group_ingress_rule.a", "mode": "managed", "type": "aws_vpc_security_group_ingress_rule", "name": "a",
   "values": {"ip_protocol": "tcp", "from_port": 22, "to_port": 22}}]}},
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
          line: 11,
          message: MSG,
          severity: 'error',
          fixes: [
            {
              title: 'Allow SSH only from a new parameter AllowedSshCidr',
              output: cfnYaml
                .replace(
                  'Resources:\n',
                  "Parameters:\n  AllowedSshCidr:\n    Type: String\n    Description: 'CIDR range allowed to reach SSH; choose a narrow range, never 0.0.0.0/0.'\nResources:\n",
                )
                .replace(
                  'CidrIp: 0.0.0.0/0\n        - IpProtocol: tcp\n          FromPort: 443',
                  'CidrIp: !Ref AllowedSshCidr\n        - IpProtocol: tcp\n          FromPort: 443',
                ),
            },
            {
              title: 'Remove this rule',
              output: cfnYaml.replace(
                '        - IpProtocol: tcp\n          FromPort: 22\n          ToPort: 22\n          CidrIp: 0.0.0.0/0\n',
                '',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN JSON',
      file: 'template.json',
      code: cfnJson,
      errors: [
        {
          text: '"0.0.0.0/0"',
          line: 9,
          message: MSG,
          fixes: [
            {
              title: 'Allow SSH only from a new parameter AllowedSshCidr',
              output: cfnJson
                .replace(
                  '"Resources": {',
                  '"Parameters": {\n    "AllowedSshCidr": {\n      "Type": "String",\n      "Description": "CIDR range allowed to reach SSH; choose a narrow range, never 0.0.0.0/0."\n    }\n  },\n  "Resources": {',
                )
                .replace('"CidrIp": "0.0.0.0/0"', '"CidrIp": { "Ref": "AllowedSshCidr" }'),
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
      name: 'TF JSON ingress block',
      file: 'main.tf.json',
      code: tfJson,
      errors: [
        {
          text: '"0.0.0.0/0"',
          line: 11,
          message: MSG,
          fixes: [
            {
              title: 'Allow SSH only from a new parameter allowed_ssh_cidr',
              output: tfJson
                .replace(
                  '{\n  "resource"',
                  '{\n  "variable": {\n    "allowed_ssh_cidr": {\n      "type": "string",\n      "description": "CIDR range allowed to reach SSH; choose a narrow range, never 0.0.0.0/0."\n    }\n  },\n  "resource"',
                )
                .replace('["0.0.0.0/0"]', '["${var.allowed_ssh_cidr}"]'),
            },
            { title: 'Remove this rule', output: tfJson.replace(/\[\n {10}\{[\s\S]*?\}\n {8}\]/, '[]') },
          ],
        },
      ],
    },
    {
      name: 'plan (no fixes: plans are generated)',
      file: 'plan.json',
      code: plan,
      errors: [{ text: '"0.0.0.0/0"', line: 16, message: MSG, fixes: [] }],
    },
    {
      name: 'parameter default, reported at the use with the parameter as evidence',
      file: 'template.yaml',
      code: lines(
        'Parameters:',
        '  SshCidr:',
        '    Type: String',
        '    Default: 0.0.0.0/0',
        'Resources:',
        '  Sg:',
        '    Type: AWS::EC2::SecurityGroup',
        '    Properties:',
        '      GroupDescription: x',
        '      SecurityGroupIngress:',
        '        - IpProtocol: tcp',
        '          FromPort: 22',
        '          ToPort: 22',
        '          CidrIp: !Ref SshCidr',
      ),
      errors: [
        {
          text: '!Ref SshCidr',
          line: 14,
          message: /^SSH \(TCP port 22\) is open to the internet: 0\.0\.0\.0\/0 \(the default of SshCidr\)\./,
          related: ['Default of SshCidr'],
          fixes: [
            {
              title: 'Remove the open default of SshCidr (deployers must choose the allowed range)',
              output: lines(
                'Parameters:',
                '  SshCidr:',
                '    Type: String',
                'Resources:',
                '  Sg:',
                '    Type: AWS::EC2::SecurityGroup',
                '    Properties:',
                '      GroupDescription: x',
                '      SecurityGroupIngress:',
                '        - IpProtocol: tcp',
                '          FromPort: 22',
                '          ToPort: 22',
                '          CidrIp: !Ref SshCidr',
              ),
            },
            {
              title: 'Remove this rule',
              output: lines(
                'Parameters:',
                '  SshCidr:',
                '    Type: String',
                '    Default: 0.0.0.0/0',
                'Resources:',
                '  Sg:',
                '    Type: AWS::EC2::SecurityGroup',
                '    Properties:',
                '      GroupDescription: x',
                '      SecurityGroupIngress: []',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'Fn::If branch and FindInMap with a key from a parameter, IPv6, port range, standalone ingress',
      file: 'template.yaml',
      code: multi,
      errors: [
        {
          text: '!If [IsDev, 0.0.0.0/0, 10.0.0.0/8]',
          line: 24,
          message:
            /^SSH \(TCP port 22 \(range 20-25\)\) can be open to the internet: 0\.0\.0\.0\/0 \(when condition IsDev is true\)\./,
          related: ['Value when condition IsDev is true'],
          fixes: [
            { title: 'Remove the rule In1', output: multi.replace(/ {2}In1:\n( {4}.*\n| {6}.*\n)*/, '') },
          ],
        },
        {
          text: '"::/0"',
          line: 32,
          message: /^SSH \(TCP port 22\) is open to the internet: ::\/0\./,
          fixes: [
            {
              title: 'Allow SSH only from a new parameter AllowedSshCidrIpv6',
              output: multi
                .replace(
                  'Conditions:\n',
                  "  AllowedSshCidrIpv6:\n    Type: String\n    Description: 'CIDR range allowed to reach SSH; choose a narrow range, never 0.0.0.0/0.'\nConditions:\n",
                )
                .replace('CidrIpv6: "::/0"', 'CidrIpv6: !Ref AllowedSshCidrIpv6'),
            },
            { title: 'Remove the rule In2', output: multi.replace(/ {2}In2:\n( {4}.*\n| {6}.*\n)*/, '') },
          ],
        },
        {
          text: '!FindInMap [Ranges, !Ref Env, Admin]',
          line: 40,
          message: /can be open to the internet: 0\.0\.0\.0\/0 \(an allowed value of Env\)\./,
          fixes: [
            { title: 'Remove the rule In3', output: multi.replace(/ {2}In3:\n( {4}.*\n| {6}.*\n)*/, '') },
          ],
        },
      ],
    },
    {
      name: 'CFN YAML: with a complete path from the internet, one finding carries the path (no separate internet-exposure-path)',
      file: 'template.yaml',
      code: pathYaml,
      errors: [
        {
          text: '0.0.0.0/0',
          line: 9,
          severity: 'error',
          message:
            'SSH (TCP port 22) is open to the internet and reachable on instance Host: internet gateway Igw → route 0.0.0.0/0 in Rt → public subnet Public → instance Host with a public IP → this rule (0.0.0.0/0). Allow SSH only from known ranges, or use Session Manager or a bastion.',
          related: [
            'Hop 1: Internet gateway Igw',
            'Hop 2: Route 0.0.0.0/0 to Igw in route table Rt',
            'Hop 3: Subnet Public (public: Assoc associates it with route table Rt)',
            'Hop 4: Instance Host in Public',
            'Hop 5: Public IP: Host associates one',
            'Hop 6: Security group Sg lets SSH (TCP 22) in from 0.0.0.0/0',
          ],
          fixes: [
            {
              title: 'Allow SSH only from a new parameter AllowedSshCidr',
              output:
                lines(
                  'Parameters:',
                  '  AllowedSshCidr:',
                  '    Type: String',
                  "    Description: 'CIDR range allowed to reach SSH; choose a narrow range, never 0.0.0.0/0.'",
                ) + pathYaml.replace('CidrIp: 0.0.0.0/0', 'CidrIp: !Ref AllowedSshCidr'),
            },
            {
              title: 'Remove this rule',
              output: pathYaml.replace(
                '[{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}]',
                '[]',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'plan fixture: the bastion path is part of the SSH finding',
      file: 'plan.json',
      code: fixture('terraform-plan/network-public-private.json'),
      errors: [
        {
          text: '"0.0.0.0/0"',
          line: 140,
          message:
            /^SSH \(TCP port 22\) is open to the internet and reachable on instance aws_instance\.bastion: internet gateway aws_internet_gateway\.main → route 0\.0\.0\.0\/0 in aws_route_table\.public → public subnet aws_subnet\.public → instance aws_instance\.bastion with a public IP → this rule/,
          fixes: [],
        },
        {
          text: '"0.0.0.0/0"',
          line: 161,
          message:
            'SSH (TCP port 22) is open to the internet: 0.0.0.0/0. Allow SSH only from known ranges, or use Session Manager or a bastion.',
          fixes: [],
        },
      ],
    },
    {
      name: 'CFN YAML: a group used only by a Lambda function in a VPC is reachable from the VPC, not the internet (warning)',
      file: 'template.yaml',
      code: lambdaYaml,
      errors: [
        {
          text: '0.0.0.0/0',
          line: 2,
          severity: 'warning',
          message:
            'SSH (TCP port 22) is open to 0.0.0.0/0, but the security group is attached only to resources without a public address (Fn): reachable from anything that can route to the VPC (peered VPCs, VPN, Direct Connect, Transit Gateway), not from the internet. Allow SSH only from the ranges that need it.',
          related: ['Fn uses this security group: a Lambda function in a VPC has only private addresses.'],
          fixes: [
            {
              title: 'Allow SSH only from a new parameter AllowedSshCidr',
              output:
                lines(
                  'Parameters:',
                  '  AllowedSshCidr:',
                  '    Type: String',
                  "    Description: 'CIDR range allowed to reach SSH; choose a narrow range, never 0.0.0.0/0.'",
                ) + lambdaYaml.replace('CidrIp: 0.0.0.0/0', 'CidrIp: !Ref AllowedSshCidr'),
            },
            {
              title: 'Remove this rule',
              output: lambdaYaml.replace(/SecurityGroupIngress: \[.*?\]\}\}/, 'SecurityGroupIngress: []}}'),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN YAML: the same group also on an instance (which may get a public address) stays an error',
      file: 'template.yaml',
      code: lambdaHostYaml,
      errors: [
        {
          text: '0.0.0.0/0',
          line: 2,
          severity: 'error',
          message: /^SSH \(TCP port 22\) is open to the internet: 0\.0\.0\.0\/0\./,
          fixes: [
            {
              title: 'Allow SSH only from a new parameter AllowedSshCidr',
              output:
                lines(
                  'Parameters:',
                  '  AllowedSshCidr:',
                  '    Type: String',
                  "    Description: 'CIDR range allowed to reach SSH; choose a narrow range, never 0.0.0.0/0.'",
                ) + lambdaHostYaml.replace('CidrIp: 0.0.0.0/0', 'CidrIp: !Ref AllowedSshCidr'),
            },
            {
              title: 'Remove this rule',
              output: lambdaHostYaml.replace(
                /SecurityGroupIngress: \[.*?\]\}\}/,
                'SecurityGroupIngress: []}}',
              ),
            },
          ],
        },
      ],
    },
  ],
});

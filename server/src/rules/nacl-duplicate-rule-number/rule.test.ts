import { lines, ruleTester } from '../../testing/ruleTester';
import { naclDuplicateRuleNumber } from './rule';

function entry(name: string, props: string[]): string[] {
  return [
    `  ${name}:`,
    '    Type: AWS::EC2::NetworkAclEntry',
    ...(props[0]?.startsWith('Condition') ? [`    ${props.shift()!}`] : []),
    '    Properties:',
    ...props.map((p) => `      ${p}`),
  ];
}

const acl = [
  'Resources:',
  '  Acl:',
  '    Type: AWS::EC2::NetworkAcl',
  '    Properties:',
  '      VpcId: vpc-1',
];

const cfnYaml = lines(
  ...acl,
  ...entry('Https', [
    'NetworkAclId: !Ref Acl',
    'RuleNumber: 100',
    'Protocol: 6',
    'RuleAction: allow',
    'CidrBlock: 0.0.0.0/0',
    'PortRange: {From: 443, To: 443}',
  ]),
  ...entry('Http', [
    'NetworkAclId: !Ref Acl',
    'RuleNumber: 100',
    'Protocol: 6',
    'RuleAction: allow',
    'CidrBlock: 0.0.0.0/0',
    'PortRange: {From: 80, To: 80}',
  ]),
  ...entry('Replies', [
    'NetworkAclId: !Ref Acl',
    'RuleNumber: "101"',
    'Protocol: 6',
    'RuleAction: allow',
    'CidrBlock: 0.0.0.0/0',
    'PortRange: {From: 1024, To: 65535}',
  ]),
  ...entry('Ping', [
    'NetworkAclId: !Ref Acl',
    'RuleNumber: "101"',
    'Protocol: 1',
    'RuleAction: allow',
    'CidrBlock: 0.0.0.0/0',
    'Icmp: {Type: -1, Code: -1}',
  ]),
);

const MSG = (n: number, dir: string, acl: string) =>
  `Rule number ${n} is used twice among the ${dir} entries of network ACL ${acl}: the deployment fails. Give each entry its own number (entries are evaluated lowest number first).`;

const cfnJson = `{
  "Resources": {
    "Acl": { "Type": "AWS::EC2::NetworkAcl", "Properties": { "VpcId": "vpc-1" } },
    "OutA": { "Type": "AWS::EC2::NetworkAclEntry", "Properties": { "NetworkAclId": { "Ref": "Acl" }, "Egress": true, "RuleNumber": 100, "Protocol": -1, "RuleAction": "allow", "CidrBlock": "0.0.0.0/0" } },
    "OutB": { "Type": "AWS::EC2::NetworkAclEntry", "Properties": { "NetworkAclId": { "Ref": "Acl" }, "Egress": "true", "RuleNumber": 100, "Protocol": 6, "RuleAction": "deny", "CidrBlock": "0.0.0.0/0", "PortRange": { "From": 25, "To": 25 } } }
  }
}
`;

const tfJson = `{
  "resource": {
    "aws_network_acl": {
      "main": {
        "vpc_id": "vpc-1",
        "ingress": [
          { "rule_no": 100, "action": "allow", "protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_block": "0.0.0.0/0" },
          { "rule_no": 110, "action": "allow", "protocol": "tcp", "from_port": 80, "to_port": 80, "cidr_block": "0.0.0.0/0" }
        ],
        "egress": [
          { "rule_no": 100, "action": "allow", "protocol": "-1", "from_port": 0, "to_port": 0, "cidr_block": "0.0.0.0/0" }
        ]
      }
    },
    "aws_network_acl_rule": {
      "extra": {
        "network_acl_id": "\${aws_network_acl.main.id}",
        "rule_number": 110,
        "protocol": "tcp",
        "rule_action": "allow",
        "cidr_block": "10.0.0.0/8",
        "from_port": 22,
        "to_port": 22
      }
    }
  }
}
`;

ruleTester(naclDuplicateRuleNumber, {
  valid: [
    {
      name: 'the same number in the other direction, in another ACL, or under exclusive conditions',
      file: 'template.yaml',
      code: lines(
        'Conditions:',
        '  Prod: !Equals [!Ref "AWS::Region", us-east-1]',
        '  Dev: !Not [Condition: Prod]',
        ...acl,
        '  Other:',
        '    Type: AWS::EC2::NetworkAcl',
        '    Properties:',
        '      VpcId: vpc-1',
        ...entry('In', [
          'NetworkAclId: !Ref Acl',
          'RuleNumber: 100',
          'Protocol: -1',
          'RuleAction: allow',
          'CidrBlock: 10.0.0.0/8',
        ]),
        ...entry('Out', [
          'NetworkAclId: !Ref Acl',
          'Egress: true',
          'RuleNumber: 100',
          'Protocol: -1',
          'RuleAction: allow',
          'CidrBlock: 10.0.0.0/8',
        ]),
        ...entry('OtherIn', [
          'NetworkAclId: !Ref Other',
          'RuleNumber: 100',
          'Protocol: -1',
          'RuleAction: allow',
          'CidrBlock: 10.0.0.0/8',
        ]),
        ...entry('ProdIn', [
          'Condition: Prod',
          'NetworkAclId: !Ref Acl',
          'RuleNumber: 200',
          'Protocol: -1',
          'RuleAction: allow',
          'CidrBlock: 10.0.0.0/8',
        ]),
        ...entry('DevIn', [
          'Condition: Dev',
          'NetworkAclId: !Ref Acl',
          'RuleNumber: 200',
          'Protocol: -1',
          'RuleAction: allow',
          'CidrBlock: 10.1.0.0/16',
        ]),
      ),
    },
    {
      name: 'unknown numbers and ACLs are skipped',
      file: 'template.yaml',
      code: lines(
        'Parameters:',
        '  N:',
        '    Type: Number',
        'Resources:',
        ...entry('A', [
          'NetworkAclId: !ImportValue SharedAcl',
          'RuleNumber: 100',
          'Protocol: -1',
          'RuleAction: allow',
          'CidrBlock: 10.0.0.0/8',
        ]),
        ...entry('B', [
          'NetworkAclId: !ImportValue SharedAcl',
          'RuleNumber: 100',
          'Protocol: -1',
          'RuleAction: allow',
          'CidrBlock: 10.0.0.0/8',
        ]),
        '  Acl:',
        '    Type: AWS::EC2::NetworkAcl',
        '    Properties:',
        '      VpcId: vpc-1',
        ...entry('C', [
          'NetworkAclId: !Ref Acl',
          'RuleNumber: !Ref N',
          'Protocol: -1',
          'RuleAction: allow',
          'CidrBlock: 10.0.0.0/8',
        ]),
        ...entry('D', [
          'NetworkAclId: !Ref Acl',
          'RuleNumber: 100',
          'Protocol: -1',
          'RuleAction: allow',
          'CidrBlock: 10.0.0.0/8',
        ]),
      ),
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: numbers, also written as strings; the fix skips numbers in use',
      file: 'template.yaml',
      code: cfnYaml,
      errors: [
        {
          text: '100',
          line: 19,
          message: MSG(100, 'inbound', 'Acl'),
          severity: 'error',
          related: ['Rule number 100 is also used here'],
          fixes: [
            {
              title: 'Renumber this entry to 102 (the next free number)',
              output: cfnYaml.replace(
                'RuleNumber: 100\n      Protocol: 6\n      RuleAction: allow\n      CidrBlock: 0.0.0.0/0\n      PortRange: {From: 80',
                'RuleNumber: 102\n      Protocol: 6\n      RuleAction: allow\n      CidrBlock: 0.0.0.0/0\n      PortRange: {From: 80',
              ),
            },
          ],
        },
        {
          text: '"101"',
          line: 37,
          message: MSG(101, 'inbound', 'Acl'),
          fixes: [
            {
              title: 'Renumber this entry to 102 (the next free number)',
              output: cfnYaml.replace(
                'RuleNumber: "101"\n      Protocol: 1',
                "RuleNumber: '102'\n      Protocol: 1",
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN JSON: outbound entries (Egress as a string)',
      file: 'template.json',
      code: cfnJson,
      errors: [
        {
          text: '100',
          line: 5,
          message: MSG(100, 'outbound', 'Acl'),
          fixes: [
            {
              title: 'Renumber this entry to 101 (the next free number)',
              output: cfnJson.replace(
                '"Egress": "true", "RuleNumber": 100',
                '"Egress": "true", "RuleNumber": 101',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'TF JSON: an aws_network_acl_rule clashing with an inline block of the same ACL',
      file: 'main.tf.json',
      code: tfJson,
      errors: [
        {
          text: '110',
          line: 18,
          message: MSG(110, 'inbound', 'aws_network_acl.main'),
          fixes: [
            {
              title: 'Renumber this entry to 111 (the next free number)',
              output: tfJson.replace('"rule_number": 110', '"rule_number": 111'),
            },
          ],
        },
      ],
    },
  ],
});

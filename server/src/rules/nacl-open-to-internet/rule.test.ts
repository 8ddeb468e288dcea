import { lines, ruleTester } from '../../testing/ruleTester';
import { naclOpenToInternet } from './rule';

const TAIL =
  ' Network ACLs are the second layer behind security groups: deny admin and database ports from the internet with a lower rule number, or narrow the range.';
const PARAM_DESC = 'CIDR range this network ACL entry lets in; choose a narrow range, never 0.0.0.0/0.';

/** A CFN entry: name, number, protocol, action, CIDR line, ports (optional), extra lines. */
function entry(name: string, props: string[]): string[] {
  return [
    `  ${name}:`,
    '    Type: AWS::EC2::NetworkAclEntry',
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

const orderedYaml = lines(
  ...acl,
  ...entry('DenySsh', [
    'NetworkAclId: !Ref Acl',
    'RuleNumber: 90',
    'Protocol: 6',
    'RuleAction: deny',
    'CidrBlock: 0.0.0.0/0',
    'PortRange: {From: 22, To: 22}',
  ]),
  ...entry('AllowSsh', [
    'NetworkAclId: !Ref Acl',
    'RuleNumber: 100',
    'Protocol: 6',
    'RuleAction: allow',
    'CidrBlock: 0.0.0.0/0',
    'PortRange: {From: 22, To: 22}',
  ]),
  ...entry('AllowAll', [
    'NetworkAclId: !Ref Acl',
    'RuleNumber: 200',
    'Protocol: -1',
    'RuleAction: allow',
    'CidrBlock: 0.0.0.0/0',
  ]),
);

const laterDenyYaml = lines(
  ...acl,
  '  Other:',
  '    Type: AWS::EC2::NetworkAcl',
  '    Properties:',
  '      VpcId: vpc-1',
  ...entry('AllowRdp', [
    'NetworkAclId: !Ref Acl',
    'RuleNumber: "100"',
    'Protocol: "6"',
    'RuleAction: allow',
    'Ipv6CidrBlock: "0:0:0:0:0:0:0:0/0"',
    'PortRange: {From: "3389", To: "3389"}',
  ]),
  ...entry('DenyRdpLater', [
    'NetworkAclId: !Ref Acl',
    'RuleNumber: 110',
    'Protocol: 6',
    'RuleAction: deny',
    'Ipv6CidrBlock: ::/0',
    'PortRange: {From: 3389, To: 3389}',
  ]),
  ...entry('DenyRdpOtherAcl', [
    'NetworkAclId: !Ref Other',
    'RuleNumber: 50',
    'Protocol: 6',
    'RuleAction: deny',
    'Ipv6CidrBlock: ::/0',
    'PortRange: {From: 3389, To: 3389}',
  ]),
  ...entry('DenyRdpOutbound', [
    'NetworkAclId: !Ref Acl',
    'RuleNumber: 60',
    'Protocol: 6',
    'Egress: true',
    'RuleAction: deny',
    'Ipv6CidrBlock: ::/0',
    'PortRange: {From: 3389, To: 3389}',
  ]),
  ...entry('DenyRdpPart', [
    'NetworkAclId: !Ref Acl',
    'RuleNumber: 70',
    'Protocol: 6',
    'RuleAction: deny',
    'Ipv6CidrBlock: 2001:db8::/32',
    'PortRange: {From: 3389, To: 3389}',
  ]),
);

const cfnJson = `{
  "Resources": {
    "Acl": { "Type": "AWS::EC2::NetworkAcl", "Properties": { "VpcId": "vpc-1" } },
    "AllowPg": {
      "Type": "AWS::EC2::NetworkAclEntry",
      "Properties": {
        "NetworkAclId": { "Ref": "Acl" },
        "RuleNumber": 100,
        "Protocol": 6,
        "RuleAction": "allow",
        "Egress": false,
        "CidrBlock": "0.0.0.0/0",
        "PortRange": { "From": 5432, "To": 5432 }
      }
    }
  }
}
`;

const tfJson = `{
  "resource": {
    "aws_network_acl": {
      "public": {
        "vpc_id": "vpc-1",
        "ingress": [
          { "rule_no": 100, "action": "allow", "protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_block": "0.0.0.0/0" },
          { "rule_no": 110, "action": "allow", "protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_block": "0.0.0.0/0" }
        ]
      }
    },
    "aws_network_acl_rule": {
      "netbios": {
        "network_acl_id": "\${aws_network_acl.public.id}",
        "rule_number": 200,
        "egress": false,
        "protocol": "17",
        "rule_action": "allow",
        "cidr_block": "0.0.0.0/0",
        "from_port": 137,
        "to_port": 139
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
          "address": "aws_network_acl.public",
          "mode": "managed",
          "type": "aws_network_acl",
          "name": "public",
          "values": {
            "ingress": [
              { "rule_no": 100, "action": "allow", "protocol": "-1", "from_port": 0, "to_port": 0, "cidr_block": "0.0.0.0/0", "ipv6_cidr_block": "" }
            ]
          }
        }
      ]
    }
  }
}
`;

const defaultYaml = lines(
  'Parameters:',
  '  Open:',
  '    Type: String',
  '    Default: 0.0.0.0/0',
  ...acl,
  ...entry('AllowTelnet', [
    'NetworkAclId: !Ref Acl',
    'RuleNumber: 100',
    'Protocol: 6',
    'RuleAction: allow',
    'CidrBlock: !Ref Open',
    'PortRange: {From: 23, To: 23}',
  ]),
);

ruleTester(naclOpenToInternet, {
  valid: [
    {
      name: 'a lower-numbered deny blocks the allow; denies that together cover the internet',
      file: 'template.yaml',
      code: lines(
        ...acl,
        ...entry('DenySsh', [
          'NetworkAclId: !Ref Acl',
          'RuleNumber: 90',
          'Protocol: 6',
          'RuleAction: deny',
          'CidrBlock: 0.0.0.0/0',
          'PortRange: {From: 0, To: 1023}',
        ]),
        ...entry('DenyRdpLow', [
          'NetworkAclId: !Ref Acl',
          'RuleNumber: 91',
          'Protocol: -1',
          'RuleAction: deny',
          'CidrBlock: 0.0.0.0/1',
        ]),
        ...entry('DenyRdpHigh', [
          'NetworkAclId: !Ref Acl',
          'RuleNumber: 92',
          'Protocol: 6',
          'RuleAction: deny',
          'CidrBlock: 128.0.0.0/1',
          'PortRange: {From: 3389, To: 3389}',
        ]),
        ...entry('AllowSsh', [
          'NetworkAclId: !Ref Acl',
          'RuleNumber: 100',
          'Protocol: 6',
          'RuleAction: allow',
          'CidrBlock: 0.0.0.0/0',
          'PortRange: {From: 22, To: 22}',
        ]),
        ...entry('AllowRdp', [
          'NetworkAclId: !Ref Acl',
          'RuleNumber: 101',
          'Protocol: 6',
          'RuleAction: allow',
          'CidrBlock: 0.0.0.0/0',
          'PortRange: {From: 3389, To: 3389}',
        ]),
      ),
    },
    {
      name: 'web ports, the ephemeral reply range, ICMP, outbound, private and trusted sources, denies',
      file: 'template.yaml',
      settings: { trustedCidrs: ['198.51.100.0/24'] },
      code: lines(
        ...acl,
        ...entry('Https', [
          'NetworkAclId: !Ref Acl',
          'RuleNumber: 100',
          'Protocol: 6',
          'RuleAction: allow',
          'CidrBlock: 0.0.0.0/0',
          'PortRange: {From: 443, To: 443}',
        ]),
        ...entry('Replies', [
          'NetworkAclId: !Ref Acl',
          'RuleNumber: 110',
          'Protocol: 6',
          'RuleAction: allow',
          'CidrBlock: 0.0.0.0/0',
          'PortRange: {From: 1024, To: 65535}',
        ]),
        ...entry('UdpReplies', [
          'NetworkAclId: !Ref Acl',
          'RuleNumber: 111',
          'Protocol: 17',
          'RuleAction: allow',
          'Ipv6CidrBlock: ::/0',
          'PortRange: {From: 32768, To: 65535}',
        ]),
        ...entry('Ping', [
          'NetworkAclId: !Ref Acl',
          'RuleNumber: 120',
          'Protocol: 1',
          'RuleAction: allow',
          'CidrBlock: 0.0.0.0/0',
          'Icmp: {Type: 22, Code: -1}',
        ]),
        ...entry('Out', [
          'NetworkAclId: !Ref Acl',
          'RuleNumber: 100',
          'Protocol: -1',
          'Egress: true',
          'RuleAction: allow',
          'CidrBlock: 0.0.0.0/0',
        ]),
        ...entry('Vpc', [
          'NetworkAclId: !Ref Acl',
          'RuleNumber: 130',
          'Protocol: -1',
          'RuleAction: allow',
          'CidrBlock: 10.0.0.0/16',
        ]),
        ...entry('Office', [
          'NetworkAclId: !Ref Acl',
          'RuleNumber: 140',
          'Protocol: 6',
          'RuleAction: allow',
          'CidrBlock: 198.51.100.0/24',
          'PortRange: {From: 22, To: 22}',
        ]),
        ...entry('Block', [
          'NetworkAclId: !Ref Acl',
          'RuleNumber: 150',
          'Protocol: -1',
          'RuleAction: deny',
          'CidrBlock: 0.0.0.0/0',
        ]),
        ...entry('Wide', [
          'NetworkAclId: !Ref Acl',
          'RuleNumber: 160',
          'Protocol: 6',
          'RuleAction: allow',
          'CidrBlock: 203.0.112.0/23',
          'PortRange: {From: 22, To: 22}',
        ]),
      ),
    },
    {
      name: 'a deny whose range is unknown may block everything: never report on a guess',
      file: 'main.tf.json',
      code: `{"resource": {"aws_network_acl": {"a": {"ingress": [
  {"rule_no": 50, "action": "deny", "protocol": "-1", "from_port": 0, "to_port": 0, "cidr_block": "\${var.blocked}"},
  {"rule_no": 100, "action": "allow", "protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_block": "0.0.0.0/0"}
]}}}}
`,
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: ordered evaluation (SSH denied first; the allow-all still lets the rest in)',
      file: 'template.yaml',
      code: orderedYaml,
      errors: [
        {
          text: '0.0.0.0/0',
          line: 31,
          message: `Network ACL entry 200 of Acl lets all traffic in from the internet: 0.0.0.0/0; lower-numbered denies do not block RDP (TCP 3389), FTP (TCP 20-21), Telnet (TCP 23) and 27 more.${TAIL}`,
          severity: 'warning',
          fixes: [
            {
              title: 'Change this entry to deny',
              output: orderedYaml.replace(
                'RuleNumber: 200\n      Protocol: -1\n      RuleAction: allow',
                'RuleNumber: 200\n      Protocol: -1\n      RuleAction: deny',
              ),
            },
            {
              title: 'Allow this entry only from a new parameter AllowedNaclCidr',
              output: orderedYaml
                .replace(
                  'Resources:\n',
                  `Parameters:\n  AllowedNaclCidr:\n    Type: String\n    Description: '${PARAM_DESC}'\nResources:\n`,
                )
                .replace(
                  'RuleAction: allow\n      CidrBlock: 0.0.0.0/0\n',
                  'RuleAction: allow\n      CidrBlock: 0.0.0.0/0\n',
                )
                .replace(/CidrBlock: 0\.0\.0\.0\/0\n$/, 'CidrBlock: !Ref AllowedNaclCidr\n'),
            },
          ],
        },
      ],
    },
    {
      name: 'a deny later, in another ACL, outbound, or for part of the internet does not block',
      file: 'template.yaml',
      code: laterDenyYaml,
      errors: [
        {
          text: '"0:0:0:0:0:0:0:0/0"',
          line: 17,
          message: `Network ACL entry 100 of Acl lets RDP (TCP 3389) in from the internet: 0:0:0:0:0:0:0:0/0, and no lower-numbered deny blocks it.${TAIL}`,
          fixes: [
            {
              title: 'Change this entry to deny',
              output: laterDenyYaml.replace(
                'RuleNumber: "100"\n      Protocol: "6"\n      RuleAction: allow',
                'RuleNumber: "100"\n      Protocol: "6"\n      RuleAction: deny',
              ),
            },
            {
              title: 'Allow this entry only from a new parameter AllowedNaclCidrIpv6',
              output: laterDenyYaml
                .replace(
                  'Resources:\n',
                  `Parameters:\n  AllowedNaclCidrIpv6:\n    Type: String\n    Description: '${PARAM_DESC}'\nResources:\n`,
                )
                .replace('Ipv6CidrBlock: "0:0:0:0:0:0:0:0/0"', 'Ipv6CidrBlock: !Ref AllowedNaclCidrIpv6'),
            },
          ],
        },
      ],
    },
    {
      name: 'through a parameter default',
      file: 'template.yaml',
      code: defaultYaml,
      errors: [
        {
          text: '!Ref Open',
          line: 17,
          message: `Network ACL entry 100 of Acl lets Telnet (TCP 23) in from the internet: 0.0.0.0/0 (the default of Open), and no lower-numbered deny blocks it.${TAIL}`,
          related: ['Default of Open'],
          fixes: [
            {
              title: 'Change this entry to deny',
              output: defaultYaml.replace('RuleAction: allow', 'RuleAction: deny'),
            },
            {
              title: 'Remove the open default of Open (deployers must choose the allowed range)',
              output: defaultYaml.replace('    Default: 0.0.0.0/0\n', ''),
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
          line: 12,
          message: `Network ACL entry 100 of Acl lets PostgreSQL (TCP 5432) in from the internet: 0.0.0.0/0, and no lower-numbered deny blocks it.${TAIL}`,
          fixes: [
            {
              title: 'Change this entry to deny',
              output: cfnJson.replace('"RuleAction": "allow"', '"RuleAction": "deny"'),
            },
            {
              title: 'Allow this entry only from a new parameter AllowedNaclCidr',
              output: cfnJson
                .replace(
                  '{\n  "Resources": {',
                  `{\n  "Parameters": {\n    "AllowedNaclCidr": {\n      "Type": "String",\n      "Description": "${PARAM_DESC}"\n    }\n  },\n  "Resources": {`,
                )
                .replace('"CidrBlock": "0.0.0.0/0"', '"CidrBlock": { "Ref": "AllowedNaclCidr" }'),
            },
          ],
        },
      ],
    },
    {
      name: 'TF JSON: inline ingress block and aws_network_acl_rule (UDP NetBIOS)',
      file: 'main.tf.json',
      code: tfJson,
      errors: [
        {
          text: '"0.0.0.0/0"',
          line: 7,
          message: `Network ACL entry 100 of aws_network_acl.public lets SSH (TCP 22) in from the internet: 0.0.0.0/0, and no lower-numbered deny blocks it.${TAIL}`,
          fixes: [
            {
              title: 'Change this entry to deny',
              output: tfJson.replace('"rule_no": 100, "action": "allow"', '"rule_no": 100, "action": "deny"'),
            },
            {
              title: 'Allow this entry only from a new parameter allowed_nacl_cidr',
              output: tfJson
                .replace(
                  '{\n  "resource"',
                  `{\n  "variable": {\n    "allowed_nacl_cidr": {\n      "type": "string",\n      "description": "${PARAM_DESC}"\n    }\n  },\n  "resource"`,
                )
                .replace(
                  '"to_port": 22, "cidr_block": "0.0.0.0/0"',
                  '"to_port": 22, "cidr_block": "${var.allowed_nacl_cidr}"',
                ),
            },
          ],
        },
        {
          text: '"0.0.0.0/0"',
          line: 19,
          message: `Network ACL entry 200 of aws_network_acl.public lets NetBIOS (UDP 137-138) in from the internet: 0.0.0.0/0, and no lower-numbered deny blocks it.${TAIL}`,
          fixes: [
            {
              title: 'Change this entry to deny',
              output: tfJson.replace('"rule_action": "allow"', '"rule_action": "deny"'),
            },
            {
              title: 'Allow this entry only from a new parameter allowed_nacl_cidr',
              output: tfJson
                .replace(
                  '{\n  "resource"',
                  `{\n  "variable": {\n    "allowed_nacl_cidr": {\n      "type": "string",\n      "description": "${PARAM_DESC}"\n    }\n  },\n  "resource"`,
                )
                .replace('"cidr_block": "0.0.0.0/0",\n', '"cidr_block": "${var.allowed_nacl_cidr}",\n'),
            },
          ],
        },
      ],
    },
    {
      name: 'plan: all traffic (an empty IPv6 range is absent)',
      file: 'plan.json',
      code: plan,
      errors: [
        {
          text: '"0.0.0.0/0"',
          line: 13,
          message: `Network ACL entry 100 of aws_network_acl.public lets all traffic in from the internet: 0.0.0.0/0, and no lower-numbered deny blocks SSH, RDP or database ports.${TAIL}`,
          fixes: [],
        },
      ],
    },
  ],
});

import { lines, ruleTester } from '../../testing/ruleTester';
import { sensitivePortOpenToInternet } from './rule';

const desc = (what: string) => `CIDR range allowed to reach ${what}; choose a narrow range, never 0.0.0.0/0.`;

const cfnYaml = lines(
  'Resources:',
  '  DbSg:',
  '    Type: AWS::EC2::SecurityGroup',
  '    Properties:',
  '      GroupDescription: db',
  '      SecurityGroupIngress:',
  '        - IpProtocol: tcp',
  '          FromPort: 3306',
  '          ToPort: 3306',
  '          CidrIp: 0.0.0.0/0',
  '        - IpProtocol: tcp',
  '          FromPort: 20',
  '          ToPort: 3389',
  '          CidrIp: 0.0.0.0/0',
);

const udpYaml = lines(
  'Resources:',
  '  Sg:',
  '    Type: AWS::EC2::SecurityGroup',
  '    Properties:',
  '      GroupDescription: x',
  '      SecurityGroupIngress:',
  '        - {IpProtocol: udp, FromPort: 137, ToPort: 139, CidrIp: 0.0.0.0/0}',
  '        - {IpProtocol: "17", FromPort: "11211", ToPort: "11211", CidrIpv6: "::/0"}',
);

const conditionYaml = lines(
  'Conditions:',
  '  Public: !Equals [!Ref "AWS::Region", us-east-1]',
  'Resources:',
  '  Sg:',
  '    Type: AWS::EC2::SecurityGroup',
  '    Properties:',
  '      GroupDescription: x',
  '  RedisIn:',
  '    Type: AWS::EC2::SecurityGroupIngress',
  '    Properties:',
  '      GroupId: !Ref Sg',
  '      IpProtocol: tcp',
  '      FromPort: 6379',
  '      ToPort: 6379',
  '      CidrIp: !If [Public, 0.0.0.0/0, 10.0.0.0/8]',
);

const cfnJson = `{
  "Resources": {
    "PgSg": {
      "Type": "AWS::EC2::SecurityGroup",
      "Properties": {
        "GroupDescription": "pg",
        "SecurityGroupIngress": [
          { "IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "CidrIp": "0.0.0.0/0" },
          { "IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "SourceSecurityGroupId": "sg-1" }
        ]
      }
    }
  }
}
`;

const tfJson = `{
  "resource": {
    "aws_security_group": {
      "mongo": {
        "name": "mongo",
        "ingress": [
          {
            "protocol": "tcp",
            "from_port": 27017,
            "to_port": 27018,
            "cidr_blocks": ["10.0.0.0/8", "0.0.0.0/0"]
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
          "address": "aws_security_group_rule.es",
          "mode": "managed",
          "type": "aws_security_group_rule",
          "name": "es",
          "values": {
            "type": "ingress",
            "protocol": "tcp",
            "from_port": 9200,
            "to_port": 9300,
            "cidr_blocks": ["0.0.0.0/0"],
            "security_group_id": "sg-123"
          }
        }
      ]
    }
  }
}
`;

const customYaml = lines(
  'Resources:',
  '  Sg:',
  '    Type: AWS::EC2::SecurityGroup',
  '    Properties:',
  '      GroupDescription: x',
  '      SecurityGroupIngress:',
  '        - {IpProtocol: tcp, FromPort: 8000, ToPort: 8000, CidrIp: 0.0.0.0/0}',
  '        - {IpProtocol: tcp, FromPort: 3306, ToPort: 3306, CidrIp: 0.0.0.0/0}',
);

const efsYaml = lines(
  'Resources:',
  '  NfsSg: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: nfs, VpcId: vpc-0abc, SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 2049, ToPort: 2049, CidrIp: 0.0.0.0/0}]}}',
  '  Mount: {Type: AWS::EFS::MountTarget, Properties: {FileSystemId: fs-0abc, SubnetId: subnet-0a, SecurityGroups: [!Ref NfsSg]}}',
);

const privateDbTf = `{
  "resource": {
    "aws_security_group": {
      "db": {
        "vpc_id": "vpc-0abc",
        "ingress": [{ "from_port": 5432, "to_port": 5432, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"] }]
      }
    },
    "aws_db_instance": {
      "db": { "engine": "postgres", "instance_class": "db.t4g.micro", "vpc_security_group_ids": ["\${aws_security_group.db.id}"] }
    }
  }
}
`;

const privateDbPlan = `{
  "format_version": "1.2",
  "planned_values": {"root_module": {"resources": [
    {"address": "aws_security_group.db", "mode": "managed", "type": "aws_security_group", "name": "db", "values": {"ingress": [{"from_port": 5432, "to_port": 5432, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}]}},
    {"address": "aws_db_instance.db", "mode": "managed", "type": "aws_db_instance", "name": "db", "values": {"engine": "postgres", "publicly_accessible": false}}
  ]}},
  "configuration": {"root_module": {"resources": [
    {"address": "aws_security_group.db", "mode": "managed", "type": "aws_security_group", "name": "db", "expressions": {}},
    {"address": "aws_db_instance.db", "mode": "managed", "type": "aws_db_instance", "name": "db", "expressions": {"vpc_security_group_ids": {"references": ["aws_security_group.db.id", "aws_security_group.db"]}}}
  ]}}
}
`;

ruleTester(sensitivePortOpenToInternet, {
  valid: [
    {
      name: 'web ports, SG references, private ranges, a public /23',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Sg:',
        '    Type: AWS::EC2::SecurityGroup',
        '    Properties:',
        '      GroupDescription: x',
        '      SecurityGroupIngress:',
        '        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}',
        '        - {IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIpv6: ::/0}',
        '        - {IpProtocol: tcp, FromPort: 3306, ToPort: 3306, SourceSecurityGroupId: sg-1}',
        '        - {IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 10.0.0.0/16}',
        '        - {IpProtocol: tcp, FromPort: 6379, ToPort: 6379, CidrIp: 100.64.0.0/10}',
        '        - {IpProtocol: tcp, FromPort: 1433, ToPort: 1433, CidrIp: 203.0.112.0/23}',
      ),
    },
    {
      name: 'UDP only where the service uses UDP; ICMP types are not ports',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Sg:',
        '    Type: AWS::EC2::SecurityGroup',
        '    Properties:',
        '      GroupDescription: x',
        '      SecurityGroupIngress:',
        '        - {IpProtocol: udp, FromPort: 3306, ToPort: 3306, CidrIp: 0.0.0.0/0}',
        '        - {IpProtocol: udp, FromPort: 139, ToPort: 139, CidrIp: 0.0.0.0/0}',
        '        - {IpProtocol: icmp, FromPort: 3, ToPort: 23, CidrIp: 0.0.0.0/0}',
      ),
    },
    {
      name: 'all traffic is all-ports-open-to-internet only',
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
      name: 'an empty catalogue reports nothing; trusted ranges are not public',
      file: 'template.yaml',
      settings: { sensitivePorts: [] },
      code: lines(
        'Resources:',
        '  Sg:',
        '    Type: AWS::EC2::SecurityGroup',
        '    Properties:',
        '      GroupDescription: x',
        '      SecurityGroupIngress:',
        '        - {IpProtocol: tcp, FromPort: 3306, ToPort: 3306, CidrIp: 0.0.0.0/0}',
      ),
    },
    {
      name: 'trusted ranges',
      file: 'main.tf.json',
      settings: { trustedCidrs: ['198.51.100.0/24'] },
      code: `{"resource": {"aws_security_group": {"a": {"ingress": [
  {"protocol": "tcp", "from_port": 3306, "to_port": 3306, "cidr_blocks": ["198.51.100.0/24"]},
  {"protocol": "tcp", "from_port": 3306, "to_port": 3306, "self": true}
]}}}}
`,
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: MySQL, and a range containing many services',
      file: 'template.yaml',
      code: cfnYaml,
      errors: [
        {
          text: '0.0.0.0/0',
          line: 10,
          message:
            "MySQL (TCP 3306) is open to the internet: 0.0.0.0/0. Allow it only from the clients' security group (SourceSecurityGroupId) or known ranges.",
          severity: 'error',
          fixes: [
            {
              title: 'Allow MySQL only from a new parameter AllowedMysqlCidr',
              output: cfnYaml
                .replace(
                  'Resources:\n',
                  `Parameters:\n  AllowedMysqlCidr:\n    Type: String\n    Description: '${desc('MySQL')}'\nResources:\n`,
                )
                .replace(
                  'CidrIp: 0.0.0.0/0\n        - IpProtocol: tcp',
                  'CidrIp: !Ref AllowedMysqlCidr\n        - IpProtocol: tcp',
                ),
            },
            {
              title: 'Remove this rule',
              output: cfnYaml.replace(
                '        - IpProtocol: tcp\n          FromPort: 3306\n          ToPort: 3306\n          CidrIp: 0.0.0.0/0\n',
                '',
              ),
            },
          ],
        },
        {
          text: '0.0.0.0/0',
          line: 14,
          message:
            "FTP (TCP 20-21), Telnet (TCP 23), SMTP (TCP 25) and 10 more are open to the internet (the rule allows TCP ports 20-3389): 0.0.0.0/0. Allow these ports only from the clients' security group (SourceSecurityGroupId) or known ranges.",
          fixes: [
            {
              title: 'Allow these ports only from a new parameter AllowedIngressCidr',
              output: cfnYaml
                .replace(
                  'Resources:\n',
                  `Parameters:\n  AllowedIngressCidr:\n    Type: String\n    Description: '${desc('these ports')}'\nResources:\n`,
                )
                .replace(
                  'ToPort: 3389\n          CidrIp: 0.0.0.0/0',
                  'ToPort: 3389\n          CidrIp: !Ref AllowedIngressCidr',
                ),
            },
            {
              title: 'Remove this rule',
              output: cfnYaml.replace(
                '        - IpProtocol: tcp\n          FromPort: 20\n          ToPort: 3389\n          CidrIp: 0.0.0.0/0\n',
                '',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'UDP: NetBIOS 137-138 (not 139), Memcached over IPv6 with string ports',
      file: 'template.yaml',
      code: udpYaml,
      errors: [
        {
          text: '0.0.0.0/0',
          line: 7,
          message:
            /^NetBIOS \(UDP 137-138\) is open to the internet \(the rule allows UDP ports 137-139\): 0\.0\.0\.0\/0\./,
          fixes: [
            {
              title: 'Allow NetBIOS only from a new parameter AllowedNetbiosCidr',
              output: udpYaml
                .replace(
                  'Resources:\n',
                  `Parameters:\n  AllowedNetbiosCidr:\n    Type: String\n    Description: '${desc('NetBIOS')}'\nResources:\n`,
                )
                .replace('CidrIp: 0.0.0.0/0', 'CidrIp: !Ref AllowedNetbiosCidr'),
            },
            { title: 'Remove this rule', output: udpYaml.replace(/ {8}- \{IpProtocol: udp.*\n/, '') },
          ],
        },
        {
          text: '"::/0"',
          line: 8,
          message: /^Memcached \(UDP 11211\) is open to the internet: ::\/0\./,
          fixes: [
            {
              title: 'Allow Memcached only from a new parameter AllowedMemcachedCidrIpv6',
              output: udpYaml
                .replace(
                  'Resources:\n',
                  `Parameters:\n  AllowedMemcachedCidrIpv6:\n    Type: String\n    Description: '${desc('Memcached')}'\nResources:\n`,
                )
                .replace('CidrIpv6: "::/0"', 'CidrIpv6: !Ref AllowedMemcachedCidrIpv6'),
            },
            { title: 'Remove this rule', output: udpYaml.replace(/ {8}- \{IpProtocol: "17".*\n/, '') },
          ],
        },
      ],
    },
    {
      name: 'Fn::If branch: "can be", with the branch as evidence',
      file: 'template.yaml',
      code: conditionYaml,
      errors: [
        {
          text: '!If [Public, 0.0.0.0/0, 10.0.0.0/8]',
          line: 15,
          message:
            /^Redis \(TCP 6379\) can be open to the internet: 0\.0\.0\.0\/0 \(when condition Public is true\)\./,
          related: ['Value when condition Public is true'],
          fixes: [
            {
              title: 'Remove the rule RedisIn',
              output: conditionYaml.replace(/ {2}RedisIn:\n(( {4}| {6}).*\n)*/, ''),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN JSON: PostgreSQL; the SG-reference rule next to it does not make it safe',
      file: 'template.json',
      code: cfnJson,
      errors: [
        {
          text: '"0.0.0.0/0"',
          line: 8,
          message: /^PostgreSQL \(TCP 5432\) is open to the internet: 0\.0\.0\.0\/0\./,
          fixes: [
            {
              title: 'Allow PostgreSQL only from a new parameter AllowedPostgresqlCidr',
              output: cfnJson
                .replace(
                  '{\n  "Resources": {',
                  `{\n  "Parameters": {\n    "AllowedPostgresqlCidr": {\n      "Type": "String",\n      "Description": "${desc('PostgreSQL')}"\n    }\n  },\n  "Resources": {`,
                )
                .replace('"CidrIp": "0.0.0.0/0"', '"CidrIp": { "Ref": "AllowedPostgresqlCidr" }'),
            },
            {
              title: 'Remove this rule',
              output: cfnJson.replace(
                / {10}\{ "IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "CidrIp".*\n/,
                '',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'TF JSON: MongoDB range, the open CIDR is one of two',
      file: 'main.tf.json',
      code: tfJson,
      errors: [
        {
          text: '"0.0.0.0/0"',
          line: 11,
          message:
            "MongoDB (TCP 27017-27018) is open to the internet: 0.0.0.0/0. Allow it only from the clients' security group (security_groups) or known ranges.",
          fixes: [
            {
              title: 'Allow MongoDB only from a new parameter allowed_mongodb_cidr',
              output: tfJson
                .replace(
                  '{\n  "resource"',
                  `{\n  "variable": {\n    "allowed_mongodb_cidr": {\n      "type": "string",\n      "description": "${desc('MongoDB')}"\n    }\n  },\n  "resource"`,
                )
                .replace('"0.0.0.0/0"', '"${var.allowed_mongodb_cidr}"'),
            },
            { title: 'Remove 0.0.0.0/0 from this rule', output: tfJson.replace(', "0.0.0.0/0"', '') },
          ],
        },
      ],
    },
    {
      name: 'plan: aws_security_group_rule covering two Elasticsearch ports',
      file: 'plan.json',
      code: plan,
      errors: [
        {
          text: '"0.0.0.0/0"',
          line: 16,
          message:
            "Elasticsearch (TCP 9200) and Elasticsearch (TCP 9300) are open to the internet (the rule allows TCP ports 9200-9300): 0.0.0.0/0. Allow these ports only from the clients' security group (source_security_group_id) or known ranges.",
          fixes: [],
        },
      ],
    },
    {
      name: 'a custom catalogue replaces the default',
      file: 'template.yaml',
      code: customYaml,
      settings: { sensitivePorts: [{ from: 8000, to: 8000, name: 'Admin API' }] },
      errors: [
        {
          text: '0.0.0.0/0',
          line: 7,
          message: /^Admin API \(TCP 8000\) is open to the internet/,
          fixes: [
            {
              title: 'Allow Admin API only from a new parameter AllowedAdminApiCidr',
              output: customYaml
                .replace(
                  'Resources:\n',
                  `Parameters:\n  AllowedAdminApiCidr:\n    Type: String\n    Description: '${desc('Admin API')}'\nResources:\n`,
                )
                .replace(
                  'FromPort: 8000, ToPort: 8000, CidrIp: 0.0.0.0/0',
                  'FromPort: 8000, ToPort: 8000, CidrIp: !Ref AllowedAdminApiCidr',
                ),
            },
            {
              title: 'Remove this rule',
              output: customYaml.replace(/ {8}- \{IpProtocol: tcp, FromPort: 8000.*\n/, ''),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN YAML: NFS open on a group used only by an EFS mount target is a warning',
      file: 'template.yaml',
      code: efsYaml,
      errors: [
        {
          text: '0.0.0.0/0',
          line: 2,
          severity: 'warning',
          message:
            "NFS (TCP 2049) is open to 0.0.0.0/0, but the security group is attached only to resources without a public address (Mount): reachable from anything that can route to the VPC (peered VPCs, VPN, Direct Connect, Transit Gateway), not from the internet. Allow it only from the clients' security group (SourceSecurityGroupId) or the ranges that need it.",
          related: ['Mount uses this security group: an EFS mount target has only a private address.'],
          fixes: [
            {
              title: 'Allow NFS only from a new parameter AllowedNfsCidr',
              output:
                lines(
                  'Parameters:',
                  '  AllowedNfsCidr:',
                  '    Type: String',
                  "    Description: 'CIDR range allowed to reach NFS; choose a narrow range, never 0.0.0.0/0.'",
                ) + efsYaml.replace('CidrIp: 0.0.0.0/0', 'CidrIp: !Ref AllowedNfsCidr'),
            },
            {
              title: 'Remove this rule',
              output: efsYaml.replace(/SecurityGroupIngress: \[.*?\]\}\}/, 'SecurityGroupIngress: []}}'),
            },
          ],
        },
      ],
    },
    {
      name: 'plan: a private RDS instance linked through the configuration makes it a warning',
      file: 'plan.json',
      code: privateDbPlan,
      errors: [
        {
          text: '"0.0.0.0/0"',
          line: 4,
          severity: 'warning',
          message:
            /^PostgreSQL \(TCP 5432\) is open to 0\.0\.0\.0\/0, but the security group is attached only to resources without a public address \(aws_db_instance\.db\)/,
          related: [
            'aws_db_instance.db uses this security group: an RDS instance that is not publicly accessible.',
          ],
          fixes: [],
        },
      ],
    },
    {
      name: 'TF JSON: an RDS instance without publicly_accessible (false in Terraform) makes it a warning',
      file: 'main.tf.json',
      code: privateDbTf,
      errors: [
        {
          text: '"0.0.0.0/0"',
          line: 6,
          severity: 'warning',
          message:
            "PostgreSQL (TCP 5432) is open to 0.0.0.0/0, but the security group is attached only to resources without a public address (aws_db_instance.db): reachable from anything that can route to the VPC (peered VPCs, VPN, Direct Connect, Transit Gateway), not from the internet. Allow it only from the clients' security group (security_groups) or the ranges that need it.",
          related: [
            'aws_db_instance.db uses this security group: an RDS instance that is not publicly accessible.',
          ],
          fixes: [
            {
              title: 'Allow PostgreSQL only from a new parameter allowed_postgresql_cidr',
              output: privateDbTf
                .replace(
                  '{\n  "resource"',
                  '{\n  "variable": {\n    "allowed_postgresql_cidr": {\n      "type": "string",\n      "description": "CIDR range allowed to reach PostgreSQL; choose a narrow range, never 0.0.0.0/0."\n    }\n  },\n  "resource"',
                )
                .replace('["0.0.0.0/0"]', '["${var.allowed_postgresql_cidr}"]'),
            },
            {
              title: 'Remove this rule',
              output: privateDbTf.replace(
                '[{ "from_port": 5432, "to_port": 5432, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"] }]',
                '[]',
              ),
            },
          ],
        },
      ],
    },
  ],
});

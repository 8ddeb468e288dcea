import { lines, ruleTester } from '../../testing/ruleTester';
import { egressOpenToInternet } from './rule';

const PARAM_DESC = 'CIDR range this group may send traffic to; choose the narrowest destination.';

const absentYaml = lines(
  'Resources:',
  '  DbSg:',
  '    Type: AWS::EC2::SecurityGroup',
  '    Properties:',
  '      GroupDescription: db',
  '      SecurityGroupIngress:',
  '        - {IpProtocol: tcp, FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: sg-app}',
  '  Db:',
  '    Type: AWS::RDS::DBInstance',
  '    Properties:',
  '      Engine: postgres',
  '      VPCSecurityGroups:',
  '        - !GetAtt DbSg.GroupId',
);

const explicitYaml = lines(
  'Resources:',
  '  CacheSg:',
  '    Type: AWS::EC2::SecurityGroup',
  '    Properties:',
  '      GroupDescription: cache',
  '  CacheOut:',
  '    Type: AWS::EC2::SecurityGroupEgress',
  '    Properties:',
  '      GroupId: !Ref CacheSg',
  '      IpProtocol: "-1"',
  '      CidrIp: 0.0.0.0/0',
  '  Cache:',
  '    Type: AWS::ElastiCache::ReplicationGroup',
  '    Properties:',
  '      ReplicationGroupDescription: cache',
  '      SecurityGroupIds: [!Ref CacheSg]',
);

const cfnJson = `{
  "Resources": {
    "SearchSg": {
      "Type": "AWS::EC2::SecurityGroup",
      "Properties": {
        "GroupDescription": "search",
        "SecurityGroupEgress": []
      }
    },
    "Search": {
      "Type": "AWS::OpenSearchService::Domain",
      "Properties": {
        "VPCOptions": { "SecurityGroupIds": [{ "Fn::GetAtt": ["SearchSg", "GroupId"] }], "SubnetIds": ["subnet-1"] }
      }
    }
  }
}
`;

const tfJson = `{
  "resource": {
    "aws_security_group": {
      "db": {
        "name": "db",
        "egress": [
          { "protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"], "ipv6_cidr_blocks": ["::/0"] }
        ]
      }
    },
    "aws_rds_cluster": {
      "main": { "engine": "aurora-postgresql", "vpc_security_group_ids": ["\${aws_security_group.db.id}"] }
    }
  }
}
`;

ruleTester(egressOpenToInternet, {
  valid: [
    {
      name: 'CFN: narrow egress declared; open egress on a group no database uses',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  DbSg:',
        '    Type: AWS::EC2::SecurityGroup',
        '    Properties:',
        '      GroupDescription: db',
        '      SecurityGroupEgress:',
        '        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}',
        '  WebSg:',
        '    Type: AWS::EC2::SecurityGroup',
        '    Properties:',
        '      GroupDescription: web',
        '  Db:',
        '    Type: AWS::RDS::DBCluster',
        '    Properties:',
        '      Engine: aurora-mysql',
        '      VpcSecurityGroupIds: [!Ref DbSg, sg-external]',
      ),
    },
    {
      name: 'CFN: egress declared by a standalone rule to a security group',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  DbSg:',
        '    Type: AWS::EC2::SecurityGroup',
        '    Properties:',
        '      GroupDescription: db',
        '  Out:',
        '    Type: AWS::EC2::SecurityGroupEgress',
        '    Properties:',
        '      GroupId: !GetAtt DbSg.GroupId',
        '      IpProtocol: "-1"',
        '      DestinationSecurityGroupId: sg-123',
        '  Redis:',
        '    Type: AWS::ElastiCache::CacheCluster',
        '    Properties:',
        '      VpcSecurityGroupIds: [!GetAtt DbSg.GroupId]',
      ),
    },
    {
      name: 'TF: no egress block means no egress; a private destination',
      file: 'main.tf.json',
      code: `{"resource": {
  "aws_security_group": {
    "db": {"name": "db"},
    "cache": {"name": "cache", "egress": [{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["10.0.0.0/8"]}]}
  },
  "aws_db_instance": {"main": {"vpc_security_group_ids": ["\${aws_security_group.db.id}"]}},
  "aws_elasticache_replication_group": {"main": {"security_group_ids": ["\${aws_security_group.cache.id}"]}}
}}
`,
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: no egress declared keeps the default allow-all',
      file: 'template.yaml',
      code: absentYaml,
      errors: [
        {
          text: 'DbSg',
          line: 2,
          message:
            "Security group DbSg, attached to Db (AWS::RDS::DBInstance), keeps AWS's default rule that allows all outbound traffic to the internet: no SecurityGroupEgress is declared. A database or cache rarely needs outbound connections (replies to inbound ones are allowed anyway); declare only the egress it needs.",
          severity: 'info',
          related: ['Attached to Db'],
          fixes: [
            {
              title:
                'Add an egress rule that allows no outbound traffic (127.0.0.1/32), replacing the default allow-all',
              output: absentYaml.replace(
                '  Db:\n',
                "      SecurityGroupEgress:\n        - IpProtocol: '-1'\n          CidrIp: 127.0.0.1/32\n          Description: No outbound traffic (replaces the default allow-all rule)\n  Db:\n",
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN YAML: explicit all-traffic egress in a standalone rule (no removal: CFN would restore allow-all)',
      file: 'template.yaml',
      code: explicitYaml,
      errors: [
        {
          text: '0.0.0.0/0',
          line: 11,
          message:
            'Security group CacheSg, attached to Cache (AWS::ElastiCache::ReplicationGroup), allows all outbound traffic to the internet: 0.0.0.0/0. A compromised database or cache could send data anywhere; allow only the destinations it needs.',
          related: ['Attached to Cache'],
          fixes: [
            {
              title: 'Restrict egress to a new parameter AllowedEgressCidr',
              output: explicitYaml
                .replace(
                  'Resources:\n',
                  `Parameters:\n  AllowedEgressCidr:\n    Type: String\n    Description: '${PARAM_DESC}'\nResources:\n`,
                )
                .replace('CidrIp: 0.0.0.0/0', 'CidrIp: !Ref AllowedEgressCidr'),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN JSON: an empty SecurityGroupEgress is no egress declared; OpenSearch VPCOptions',
      file: 'template.json',
      code: cfnJson,
      errors: [
        {
          text: '"SearchSg"',
          line: 3,
          message:
            /^Security group SearchSg, attached to Search \(AWS::OpenSearchService::Domain\), keeps AWS's default rule/,
          fixes: [
            {
              title:
                'Add an egress rule that allows no outbound traffic (127.0.0.1/32), replacing the default allow-all',
              output: cfnJson.replace(
                '"SecurityGroupEgress": []',
                '"SecurityGroupEgress": [\n          {\n            "IpProtocol": "-1",\n            "CidrIp": "127.0.0.1/32",\n            "Description": "No outbound traffic (replaces the default allow-all rule)"\n          }\n        ]',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'TF JSON: explicit all-traffic egress, IPv4 and IPv6',
      file: 'main.tf.json',
      code: tfJson,
      errors: [
        {
          text: '"0.0.0.0/0"',
          line: 7,
          message:
            /^Security group aws_security_group\.db, attached to aws_rds_cluster\.main, allows all outbound traffic to the internet: 0\.0\.0\.0\/0\./,
          related: ['Attached to aws_rds_cluster.main'],
          fixes: [
            {
              title: 'Restrict egress to a new parameter allowed_egress_cidr',
              output: tfJson
                .replace(
                  '{\n  "resource"',
                  `{\n  "variable": {\n    "allowed_egress_cidr": {\n      "type": "string",\n      "description": "${PARAM_DESC}"\n    }\n  },\n  "resource"`,
                )
                .replace('["0.0.0.0/0"]', '["${var.allowed_egress_cidr}"]'),
            },
            {
              title: 'Remove this rule',
              output: tfJson.replace(/"egress": \[\n[^\n]*\n {8}\]/, '"egress": []'),
            },
          ],
        },
        {
          text: '"::/0"',
          line: 7,
          message: /allows all outbound traffic to the internet: ::\/0\./,
          fixes: [
            {
              title: 'Restrict egress to a new parameter allowed_egress_cidr_ipv6',
              output: tfJson
                .replace(
                  '{\n  "resource"',
                  `{\n  "variable": {\n    "allowed_egress_cidr_ipv6": {\n      "type": "string",\n      "description": "${PARAM_DESC}"\n    }\n  },\n  "resource"`,
                )
                .replace('["::/0"]', '["${var.allowed_egress_cidr_ipv6}"]'),
            },
            {
              title: 'Remove this rule',
              output: tfJson.replace(/"egress": \[\n[^\n]*\n {8}\]/, '"egress": []'),
            },
          ],
        },
      ],
    },
  ],
});

import { lines, ruleTester } from '../../testing/ruleTester';
import { databasePubliclyAccessible } from './rule';

/** A VPC with an internet gateway and a DB subnet group in it. */
const PUBLIC_VPC = [
  'Resources:',
  '  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}',
  '  Igw: {Type: AWS::EC2::InternetGateway}',
  '  Attach: {Type: AWS::EC2::VPCGatewayAttachment, Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw}}',
  '  A: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}}',
  '  B: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24}}',
  '  Subnets: {Type: AWS::RDS::DBSubnetGroup, Properties: {DBSubnetGroupDescription: db, SubnetIds: [!Ref A, !Ref B]}}',
];

const db = (...props: string[]) =>
  lines(
    ...PUBLIC_VPC,
    '  Db:',
    '    Type: AWS::RDS::DBInstance',
    '    Properties:',
    '      Engine: mysql',
    ...props.map((p) => `      ${p}`),
  );

const cfnJson = `{
  "Resources": {
    "Replication": {
      "Type": "AWS::DMS::ReplicationInstance",
      "Properties": {
        "ReplicationInstanceClass": "dms.t3.medium"
      }
    }
  }
}
`;

const tfJson = `{
  "resource": {
    "aws_db_instance": {
      "db": {
        "engine": "postgres",
        "instance_class": "db.t4g.micro",
        "publicly_accessible": true
      }
    },
    "aws_dms_replication_instance": {
      "dms": {
        "replication_instance_class": "dms.t3.medium",
        "replication_instance_id": "dms"
      }
    }
  }
}
`;

const plan = `{
  "format_version": "1.2",
  "planned_values": {"root_module": {"resources": [
    {"address": "aws_redshift_cluster.dw", "mode": "managed", "type": "aws_redshift_cluster", "name": "dw",
     "values": {"cluster_identifier": "dw", "publicly_accessible": true}},
    {"address": "aws_db_instance.db", "mode": "managed", "type": "aws_db_instance", "name": "db",
     "values": {"engine": "mysql", "publicly_accessible": false}}
  ]}}
}
`;

const MSG_DEFAULT =
  'RDS instance Db is publicly accessible by default: PubliclyAccessible is not set and its subnet group Subnets is in VPC Vpc, which has an internet gateway. Set PubliclyAccessible to false.';

ruleTester(databasePubliclyAccessible, {
  valid: [
    {
      name: 'explicit false',
      file: 'template.yaml',
      code: db('PubliclyAccessible: false', 'DBSubnetGroupName: !Ref Subnets'),
    },
    {
      name: 'absent, subnet group in a VPC without an internet gateway',
      file: 'template.yaml',
      code: db('DBSubnetGroupName: !Ref Subnets').replace(/\n {2}Attach: [^\n]*/, ''),
    },
    {
      name: 'absent, no subnet group (default VPC: not known here)',
      file: 'template.yaml',
      code: db('DBInstanceClass: db.t4g.micro'),
    },
    {
      name: 'unknown parameter without a default',
      file: 'template.yaml',
      code: lines(
        'Parameters:',
        '  Public: {Type: String}',
        ...db('PubliclyAccessible: !Ref Public').split('\n').slice(0, -1),
      ),
    },
    {
      name: 'Redshift and Neptune default to private',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Dw: {Type: AWS::Redshift::Cluster, Properties: {NodeType: ra3.xlplus, ClusterType: single-node}}',
        '  Graph: {Type: AWS::Neptune::DBInstance, Properties: {DBInstanceClass: db.r6g.large}}',
      ),
    },
    {
      name: 'CFN JSON DMS set to false',
      file: 'template.json',
      code: cfnJson.replace('"dms.t3.medium"', '"dms.t3.medium",\n        "PubliclyAccessible": false'),
    },
    {
      name: 'Terraform: absent is private (DMS and RDS)',
      file: 'main.tf.json',
      code: tfJson.replace(',\n        "publicly_accessible": true', ''),
    },
    {
      name: 'plan: false',
      file: 'plan.json',
      code: plan.replace('"publicly_accessible": true', '"publicly_accessible": false'),
    },
  ],
  invalid: [
    {
      name: 'CFN RDS explicit true',
      file: 'template.yaml',
      code: db('PubliclyAccessible: true'),
      errors: [
        {
          text: 'true',
          line: 12,
          severity: 'error',
          message:
            'RDS instance Db is publicly accessible (PubliclyAccessible: true): it gets a public DNS name and IP, reachable from the internet wherever its security group allows. Set PubliclyAccessible to false and reach it from inside the VPC.',
          fixes: [{ title: 'Set PubliclyAccessible to false', output: db('PubliclyAccessible: false') }],
        },
      ],
    },
    {
      name: 'CFN RDS absent in a VPC with an internet gateway (through the cluster)',
      file: 'template.yaml',
      code: lines(
        ...PUBLIC_VPC,
        '  Cluster: {Type: AWS::RDS::DBCluster, Properties: {Engine: aurora-mysql, DBSubnetGroupName: !Ref Subnets}}',
        '  Db:',
        '    Type: AWS::RDS::DBInstance',
        '    Properties:',
        '      Engine: aurora-mysql',
        '      DBClusterIdentifier: !Ref Cluster',
      ),
      errors: [
        {
          text: 'Db',
          line: 9,
          message: MSG_DEFAULT,
          related: [
            'Subnet group Subnets includes subnet A',
            'Subnet A is in VPC Vpc',
            'Internet gateway Igw is attached to Vpc',
          ],
          fixes: [
            {
              title: 'Set PubliclyAccessible to false',
              output: lines(
                ...PUBLIC_VPC,
                '  Cluster: {Type: AWS::RDS::DBCluster, Properties: {Engine: aurora-mysql, DBSubnetGroupName: !Ref Subnets}}',
                '  Db:',
                '    Type: AWS::RDS::DBInstance',
                '    Properties:',
                '      Engine: aurora-mysql',
                '      DBClusterIdentifier: !Ref Cluster',
                '      PubliclyAccessible: false',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'a parameter default and a condition branch',
      file: 'template.yaml',
      code: lines(
        'Parameters:',
        '  Public: {Type: String, Default: "true", AllowedValues: ["true", "false"]}',
        'Conditions:',
        '  Dev: !Equals [!Ref AWS::Region, eu-west-1]',
        'Resources:',
        '  Db: {Type: AWS::RDS::DBInstance, Properties: {Engine: mysql, PubliclyAccessible: !Ref Public}}',
        '  Dms: {Type: AWS::DMS::ReplicationInstance, Properties: {ReplicationInstanceClass: dms.t3.medium, PubliclyAccessible: !If [Dev, true, false]}}',
      ),
      errors: [
        {
          text: '!Ref Public',
          line: 6,
          message:
            /^RDS instance Db can be publicly accessible \(PubliclyAccessible: true, through the default of Public\)/,
          related: ['Default of Public'],
          fixes: [
            {
              title: 'Set PubliclyAccessible to false',
              output: lines(
                'Parameters:',
                '  Public: {Type: String, Default: "true", AllowedValues: ["true", "false"]}',
                'Conditions:',
                '  Dev: !Equals [!Ref AWS::Region, eu-west-1]',
                'Resources:',
                '  Db: {Type: AWS::RDS::DBInstance, Properties: {Engine: mysql, PubliclyAccessible: false}}',
                '  Dms: {Type: AWS::DMS::ReplicationInstance, Properties: {ReplicationInstanceClass: dms.t3.medium, PubliclyAccessible: !If [Dev, true, false]}}',
              ),
            },
          ],
        },
        {
          text: '!If [Dev, true, false]',
          line: 7,
          message:
            /^DMS replication instance Dms can be publicly accessible \(PubliclyAccessible: true, through condition Dev being true\)/,
          related: ['Value when condition Dev is true'],
          fixes: [
            {
              title: 'Set PubliclyAccessible to false',
              output: lines(
                'Parameters:',
                '  Public: {Type: String, Default: "true", AllowedValues: ["true", "false"]}',
                'Conditions:',
                '  Dev: !Equals [!Ref AWS::Region, eu-west-1]',
                'Resources:',
                '  Db: {Type: AWS::RDS::DBInstance, Properties: {Engine: mysql, PubliclyAccessible: !Ref Public}}',
                '  Dms: {Type: AWS::DMS::ReplicationInstance, Properties: {ReplicationInstanceClass: dms.t3.medium, PubliclyAccessible: false}}',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN JSON: a DMS replication instance is public by default',
      file: 'template.json',
      code: cfnJson,
      errors: [
        {
          text: '"Replication"',
          line: 3,
          message:
            'DMS replication instance Replication is publicly accessible by default: PubliclyAccessible is not set, and CloudFormation then makes it public. Set PubliclyAccessible to false.',
          fixes: [
            {
              title: 'Set PubliclyAccessible to false',
              output: cfnJson.replace(
                '"dms.t3.medium"',
                '"dms.t3.medium",\n        "PubliclyAccessible": false',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'Terraform: explicit true only',
      file: 'main.tf.json',
      code: tfJson,
      errors: [
        {
          text: 'true',
          line: 7,
          message: /^RDS instance aws_db_instance\.db is publicly accessible \(publicly_accessible: true\)/,
          fixes: [
            {
              title: 'Set publicly_accessible to false',
              output: tfJson.replace('"publicly_accessible": true', '"publicly_accessible": false'),
            },
          ],
        },
      ],
    },
    {
      name: 'plan (no fixes)',
      file: 'plan.json',
      code: plan,
      errors: [
        {
          text: 'true',
          line: 5,
          message: /^Redshift cluster aws_redshift_cluster\.dw is publicly accessible/,
          fixes: [],
        },
      ],
    },
  ],
});

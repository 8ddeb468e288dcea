import { lines, ruleTester } from '../../testing/ruleTester';
import { databaseTlsNotEnforced } from './rule';

const yaml = lines(
  'Resources:',
  '  Mysql:',
  '    Type: AWS::RDS::DBInstance',
  '    Properties:',
  '      Engine: mysql',
  '      DBInstanceClass: db.t4g.micro',
  '  Pg14Params:',
  '    Type: AWS::RDS::DBParameterGroup',
  '    Properties:',
  '      Family: postgres14',
  '      Description: pg',
  '      Parameters:',
  '        rds.force_ssl: 0',
  '  AppParams:',
  '    Type: AWS::RDS::DBParameterGroup',
  '    Properties:',
  '      Description: app',
  '      Family: mariadb10.11',
  '      Parameters: {max_connections: "100"}',
  '  App:',
  '    Type: AWS::RDS::DBInstance',
  '    Properties:',
  '      Engine: mariadb',
  '      DBParameterGroupName: !Ref AppParams',
  '  Pg16Params:',
  '    Type: AWS::RDS::DBParameterGroup',
  '    Properties:',
  '      Family: postgres16',
  '      Description: pg16',
  '      Parameters:',
  '        rds.force_ssl: "0"',
);

const json = `{
  "Resources": {
    "AuroraParams": {
      "Type": "AWS::RDS::DBClusterParameterGroup",
      "Properties": {
        "Family": "aurora-mysql8.0",
        "Description": "aurora",
        "Parameters": {
          "time_zone": "UTC"
        }
      }
    },
    "Aurora": {
      "Type": "AWS::RDS::DBCluster",
      "Properties": { "Engine": "aurora-mysql", "DBClusterParameterGroupName": { "Ref": "AuroraParams" } }
    },
    "WarehouseParams": {
      "Type": "AWS::Redshift::ClusterParameterGroup",
      "Properties": {
        "Description": "warehouse",
        "ParameterGroupFamily": "redshift-1.0",
        "Parameters": [
          { "ParameterName": "require_ssl", "ParameterValue": "false" }
        ]
      }
    },
    "DocParams": {
      "Type": "AWS::DocDB::DBClusterParameterGroup",
      "Properties": { "Family": "docdb5.0", "Description": "docs", "Parameters": { "tls": "disabled" } }
    },
    "Source": {
      "Type": "AWS::DMS::Endpoint",
      "Properties": { "EndpointType": "source", "EngineName": "mysql", "SslMode": "none" }
    }
  }
}
`;

const tf = `{
  "resource": {
    "aws_db_parameter_group": {
      "mysql": {
        "name": "app-mysql",
        "family": "mysql8.0",
        "parameter": [
          { "name": "max_connections", "value": "200" }
        ]
      },
      "mssql": {
        "name": "mssql",
        "family": "sqlserver-se-16.0"
      }
    },
    "aws_db_instance": {
      "app": {
        "engine": "mysql",
        "parameter_group_name": "\${aws_db_parameter_group.mysql.name}"
      }
    },
    "aws_rds_cluster": {
      "legacy": {
        "cluster_identifier": "legacy"
      }
    },
    "aws_dms_endpoint": {
      "target": {
        "endpoint_id": "target",
        "endpoint_type": "target",
        "engine_name": "postgres"
      }
    },
    "aws_redshift_cluster": {
      "warehouse": {
        "cluster_identifier": "warehouse",
        "node_type": "ra3.xlplus"
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
          "address": "aws_db_parameter_group.pg",
          "mode": "managed",
          "type": "aws_db_parameter_group",
          "name": "pg",
          "values": { "family": "postgres13", "parameter": [{ "name": "rds.force_ssl", "value": "0", "apply_method": "immediate" }] }
        }
      ]
    }
  }
}
`;

const versionsJson = `{
  "Resources": {
    "Mysql84": {
      "Type": "AWS::RDS::DBInstance",
      "Properties": { "Engine": "mysql", "EngineVersion": "8.4.6" }
    },
    "Maria114": {
      "Type": "AWS::RDS::DBInstance",
      "Properties": { "Engine": "mariadb", "EngineVersion": "11.4.8" }
    },
    "Maria118Params": {
      "Type": "AWS::RDS::DBParameterGroup",
      "Properties": { "Family": "mariadb11.8", "Description": "x", "Parameters": { "require_secure_transport": "OFF" } }
    },
    "Source": {
      "Type": "AWS::DMS::Endpoint",
      "Properties": { "EndpointType": "source", "EngineName": "mysql", "SslMode": "none" }
    }
  }
}
`;

ruleTester(databaseTlsNotEnforced, {
  valid: [
    {
      name: 'CFN: forced groups, PostgreSQL 15+ on the default group, Aurora instance groups and members, external groups',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  MysqlParams:',
        '    Type: AWS::RDS::DBParameterGroup',
        '    Properties: {Family: mysql8.0, Description: x, Parameters: {require_secure_transport: "1"}}',
        '  Mysql:',
        '    Type: AWS::RDS::DBInstance',
        '    Properties: {Engine: mysql, DBParameterGroupName: !Ref MysqlParams}',
        '  Pg16:',
        '    Type: AWS::RDS::DBInstance',
        '    Properties: {Engine: postgres, EngineVersion: "16.3"}',
        '  PgLatest:',
        '    Type: AWS::RDS::DBInstance',
        '    Properties: {Engine: postgres}',
        '  Pg17Params:',
        '    Type: AWS::RDS::DBParameterGroup',
        '    Properties: {Family: postgres17, Description: x, Parameters: {log_connections: "1"}}',
        '  AuroraParams:',
        '    Type: AWS::RDS::DBClusterParameterGroup',
        '    Properties: {Family: aurora-postgresql16, Description: x, Parameters: {rds.force_ssl: 1}}',
        '  Aurora:',
        '    Type: AWS::RDS::DBCluster',
        '    Properties: {Engine: aurora-postgresql, DBClusterParameterGroupName: !Ref AuroraParams}',
        '  AuroraInstanceParams:',
        '    Type: AWS::RDS::DBParameterGroup',
        '    Properties: {Family: aurora-mysql8.0, Description: x, Parameters: {slow_query_log: "1"}}',
        '  AuroraMember:',
        '    Type: AWS::RDS::DBInstance',
        '    Properties: {Engine: aurora-postgresql, DBClusterIdentifier: !Ref Aurora, DBParameterGroupName: !Ref AuroraInstanceParams}',
        '  External:',
        '    Type: AWS::RDS::DBInstance',
        '    Properties: {Engine: mysql, DBParameterGroupName: shared-mysql-params}',
        '  Oracle:',
        '    Type: AWS::RDS::DBInstance',
        '    Properties: {Engine: oracle-ee}',
        '  Docs:',
        '    Type: AWS::DocDB::DBClusterParameterGroup',
        '    Properties: {Family: docdb5.0, Description: x, Parameters: {tls: enabled}}',
      ),
    },
    {
      name: 'TF: PostgreSQL 15, Redshift require_ssl, DMS to S3',
      file: 'main.tf.json',
      code: `{"resource": {
  "aws_db_instance": {"pg": {"engine": "postgres", "engine_version": "15.7"}},
  "aws_redshift_parameter_group": {"rs": {"name": "rs", "family": "redshift-1.0", "parameter": [{"name": "require_ssl", "value": "true"}]}},
  "aws_redshift_cluster": {"w": {"cluster_identifier": "w", "cluster_parameter_group_name": "\${aws_redshift_parameter_group.rs.name}"}},
  "aws_dms_endpoint": {"s3": {"endpoint_id": "s3", "endpoint_type": "target", "engine_name": "s3"}}
}}
`,
    },
    {
      name: 'CFN YAML: engine versions whose default forces TLS (MySQL 9.7, MariaDB 11.8, Aurora MySQL 8.4), DMS engines without an SSL mode',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Mysql97:',
        '    Type: AWS::RDS::DBInstance',
        '    Properties: {Engine: mysql, EngineVersion: "9.7.0", DBInstanceClass: db.t4g.micro}',
        '  Maria118:',
        '    Type: AWS::RDS::DBInstance',
        '    Properties: {Engine: mariadb, EngineVersion: "11.8.3", DBInstanceClass: db.t4g.micro}',
        '  MysqlParams:',
        '    Type: AWS::RDS::DBParameterGroup',
        '    Properties: {Family: mysql9.7, Description: x, Parameters: {max_connections: "100"}}',
        '  MariaParams:',
        '    Type: AWS::RDS::DBParameterGroup',
        '    Properties: {Family: mariadb11.8, Description: x, Parameters: {max_connections: "100"}}',
        '  AuroraParams:',
        '    Type: AWS::RDS::DBClusterParameterGroup',
        '    Properties: {Family: aurora-mysql8.4, Description: x, Parameters: {time_zone: UTC}}',
        '  Aurora84:',
        '    Type: AWS::RDS::DBCluster',
        '    Properties: {Engine: aurora-mysql, EngineVersion: "8.4.7"}',
        '  UnknownVersion:',
        '    Type: AWS::RDS::DBInstance',
        '    Properties: {Engine: mariadb, EngineVersion: !ImportValue db-version}',
        '  Lake:',
        '    Type: AWS::DMS::Endpoint',
        '    Properties: {EndpointType: target, EngineName: s3, SslMode: none}',
        '  Stream:',
        '    Type: AWS::DMS::Endpoint',
        '    Properties: {EndpointType: target, EngineName: kinesis, SslMode: none}',
        '  Table:',
        '    Type: AWS::DMS::Endpoint',
        '    Properties: {EndpointType: target, EngineName: dynamodb}',
      ),
    },
    {
      name: 'CFN JSON: MariaDB 11.8 family group and a DMS OpenSearch target',
      file: 'template.json',
      code: `{
  "Resources": {
    "Params": {
      "Type": "AWS::RDS::DBParameterGroup",
      "Properties": { "Family": "mariadb11.8", "Description": "x", "Parameters": { "max_connections": "100" } }
    },
    "Search": {
      "Type": "AWS::DMS::Endpoint",
      "Properties": { "EndpointType": "target", "EngineName": "opensearch", "SslMode": "none" }
    }
  }
}
`,
    },
    {
      name: 'TF: MariaDB 11.8, Aurora MySQL 8.4 cluster, MySQL 9.7 group, DMS Kinesis / Kafka / Redshift with ssl_mode none',
      file: 'main.tf.json',
      code: `{"resource": {
  "aws_db_instance": {"maria": {"engine": "mariadb", "engine_version": "11.8"}},
  "aws_rds_cluster": {"aurora": {"engine": "aurora-mysql", "engine_version": "8.4.7"}},
  "aws_db_parameter_group": {"mysql": {"family": "mysql9.7", "parameter": [{"name": "max_connections", "value": "100"}]}},
  "aws_dms_endpoint": {
    "stream": {"endpoint_id": "stream", "endpoint_type": "target", "engine_name": "kinesis", "ssl_mode": "none"},
    "kafka": {"endpoint_id": "kafka", "endpoint_type": "target", "engine_name": "kafka", "ssl_mode": "none"},
    "warehouse": {"endpoint_id": "warehouse", "endpoint_type": "target", "engine_name": "redshift"}
  }
}}
`,
    },
    {
      name: 'plan: DMS S3 target with ssl_mode none, MySQL 9.7 on the default group',
      file: 'plan.json',
      code: `{
  "format_version": "1.2",
  "planned_values": {
    "root_module": {
      "resources": [
        {"address": "aws_dms_endpoint.lake", "mode": "managed", "type": "aws_dms_endpoint", "name": "lake", "values": {"endpoint_id": "lake", "endpoint_type": "target", "engine_name": "s3", "ssl_mode": "none"}},
        {"address": "aws_db_instance.db", "mode": "managed", "type": "aws_db_instance", "name": "db", "values": {"engine": "mysql", "engine_version": "9.7.0", "parameter_group_name": "default.mysql9.7"}}
      ]
    }
  }
}
`,
    },
  ],
  invalid: [
    {
      name: 'CFN JSON: MySQL 8.4 and MariaDB 11.4 still default to plaintext; an explicit OFF on 11.8 is reported; DMS MySQL with SslMode none',
      file: 'template.json',
      code: versionsJson,
      errors: [
        {
          text: '"Mysql84"',
          line: 3,
          message: /^TLS is not enforced on MySQL DB instance Mysql84/,
          fixes: [],
        },
        {
          text: '"Maria114"',
          line: 7,
          message: /^TLS is not enforced on MariaDB DB instance Maria114/,
          fixes: [],
        },
        {
          text: '"OFF"',
          line: 13,
          message:
            'TLS is not enforced: parameter group Maria118Params (MariaDB) sets require_secure_transport to OFF, so clients can connect without TLS. Set it to 1.',
          fixes: [
            { title: 'Set require_secure_transport to 1', output: versionsJson.replace('"OFF"', '"1"') },
          ],
        },
        {
          text: '"none"',
          line: 17,
          message: /^TLS is not enforced: DMS endpoint Source sets SslMode to none/,
          fixes: [
            {
              title: 'Set SslMode to require',
              output: versionsJson.replace('"SslMode": "none"', '"SslMode": "require"'),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN YAML: MySQL on the default group, PostgreSQL 14 with force_ssl 0, MariaDB group without the parameter, PostgreSQL 16 explicitly off',
      file: 'template.yaml',
      code: yaml,
      errors: [
        {
          text: 'Mysql',
          line: 2,
          severity: 'warning',
          message:
            'TLS is not enforced on MySQL DB instance Mysql: it uses the default parameter group, where require_secure_transport is 0, so clients can connect without TLS. Attach a parameter group that sets require_secure_transport = 1.',
          fixes: [],
        },
        {
          text: '0',
          line: 13,
          message:
            'TLS is not enforced: parameter group Pg14Params (PostgreSQL) sets rds.force_ssl to 0, so clients can connect without TLS. Set it to 1.',
          fixes: [
            {
              title: 'Set rds.force_ssl to 1',
              output: yaml.replace('rds.force_ssl: 0', "rds.force_ssl: '1'"),
            },
          ],
        },
        {
          text: 'Parameters',
          line: 19,
          message:
            'TLS is not enforced: parameter group AppParams (MariaDB, used by App) does not set require_secure_transport, which defaults to 0, so clients can connect without TLS. Set require_secure_transport = 1.',
          fixes: [
            {
              title: 'Set require_secure_transport = 1 in AppParams',
              output: yaml.replace(
                '{max_connections: "100"}',
                '{max_connections: "100", require_secure_transport: \'1\'}',
              ),
            },
          ],
        },
        {
          text: '"0"',
          line: 31,
          message: /^TLS is not enforced: parameter group Pg16Params \(PostgreSQL\) sets rds\.force_ssl to 0/,
          fixes: [
            {
              title: 'Set rds.force_ssl to 1',
              output: yaml.replace('rds.force_ssl: "0"', "rds.force_ssl: '1'"),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN JSON: Aurora MySQL cluster group, Redshift require_ssl false, DocumentDB tls disabled, DMS SslMode none',
      file: 'template.json',
      code: json,
      errors: [
        {
          text: '"Parameters"',
          line: 8,
          message:
            /^TLS is not enforced: parameter group AuroraParams \(Aurora MySQL, used by Aurora\) does not set require_secure_transport, which defaults to OFF/,
          fixes: [
            {
              title: 'Set require_secure_transport = ON in AuroraParams',
              output: json.replace(
                '"time_zone": "UTC"',
                '"time_zone": "UTC",\n          "require_secure_transport": "ON"',
              ),
            },
          ],
        },
        {
          text: '"false"',
          line: 23,
          message: /^TLS is not enforced: Redshift parameter group WarehouseParams sets require_ssl to false/,
          fixes: [
            {
              title: 'Set require_ssl to true',
              output: json.replace('"ParameterValue": "false"', '"ParameterValue": "true"'),
            },
          ],
        },
        {
          text: '"disabled"',
          line: 29,
          message: /^TLS is not enforced: DocumentDB parameter group DocParams sets tls to disabled/,
          fixes: [{ title: 'Set tls to enabled', output: json.replace('"disabled"', '"enabled"') }],
        },
        {
          text: '"none"',
          line: 33,
          message: /^TLS is not enforced: DMS endpoint Source sets SslMode to none/,
          fixes: [
            {
              title: 'Set SslMode to require',
              output: json.replace('"SslMode": "none"', '"SslMode": "require"'),
            },
          ],
        },
      ],
    },
    {
      name: 'TF JSON: linked group without the parameter, SQL Server group, default-engine cluster, DMS and Redshift defaults',
      file: 'main.tf.json',
      code: tf,
      errors: [
        {
          text: '"parameter"',
          line: 7,
          message:
            /^TLS is not enforced: parameter group aws_db_parameter_group\.mysql \(MySQL, used by aws_db_instance\.app\)/,
          fixes: [
            {
              title: 'Set require_secure_transport = 1 in aws_db_parameter_group.mysql',
              output: tf.replace(
                '{ "name": "max_connections", "value": "200" }',
                '{ "name": "max_connections", "value": "200" },\n          { "name": "require_secure_transport", "value": "1" }',
              ),
            },
          ],
        },
        {
          text: '"mssql"',
          line: 11,
          message:
            /^TLS is not enforced: parameter group aws_db_parameter_group\.mssql \(SQL Server\) does not set rds\.force_ssl/,
          fixes: [
            {
              title: 'Set rds.force_ssl = 1 in aws_db_parameter_group.mssql',
              output: tf.replace(
                '"family": "sqlserver-se-16.0"',
                '"family": "sqlserver-se-16.0",\n        "parameter": [\n          {\n            "name": "rds.force_ssl",\n            "value": "1",\n            "apply_method": "pending-reboot"\n          }\n        ]',
              ),
            },
          ],
        },
        {
          text: '"legacy"',
          line: 23,
          message:
            /^TLS is not enforced on Aurora MySQL DB cluster aws_rds_cluster\.legacy: it uses the default parameter group, where require_secure_transport is OFF/,
          fixes: [],
        },
        {
          text: '"target"',
          line: 28,
          message:
            'TLS is not enforced: DMS endpoint aws_dms_endpoint.target (postgres) does not set ssl_mode, which defaults to none, so migrated data travels without TLS. Set ssl_mode to require (or verify-full).',
          fixes: [
            {
              title: 'Set ssl_mode to require',
              output: tf.replace(
                '"engine_name": "postgres"',
                '"engine_name": "postgres",\n        "ssl_mode": "require"',
              ),
            },
          ],
        },
        {
          text: '"warehouse"',
          line: 35,
          message:
            /^TLS is not enforced by this template on Redshift cluster aws_redshift_cluster\.warehouse/,
          fixes: [],
        },
      ],
    },
    {
      name: 'plan: PostgreSQL 13 group with force_ssl 0 (no fixes)',
      file: 'plan.json',
      code: plan,
      errors: [{ text: '"0"', line: 11, message: /sets rds\.force_ssl to 0/, fixes: [] }],
    },
  ],
});

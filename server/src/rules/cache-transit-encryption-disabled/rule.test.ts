import { lines, ruleTester } from '../../testing/ruleTester';
import { cacheTransitEncryptionDisabled } from './rule';

const yaml = lines(
  'Resources:',
  '  Sessions:',
  '    Type: AWS::ElastiCache::ReplicationGroup',
  '    Properties:',
  '      ReplicationGroupDescription: sessions',
  '      Engine: valkey',
  '  Migrating:',
  '    Type: AWS::ElastiCache::ReplicationGroup',
  '    Properties:',
  '      ReplicationGroupDescription: migrating',
  '      TransitEncryptionEnabled: true',
  '      TransitEncryptionMode: preferred',
  '  Memcached:',
  '    Type: AWS::ElastiCache::CacheCluster',
  '    Properties: {Engine: memcached, CacheNodeType: cache.t4g.micro, NumCacheNodes: 1, TransitEncryptionEnabled: false}',
);

const json = `{
  "Resources": {
    "Memory": {
      "Type": "AWS::MemoryDB::Cluster",
      "Properties": {
        "ClusterName": "memory",
        "NodeType": "db.t4g.small",
        "ACLName": "open-access",
        "TLSEnabled": false
      }
    },
    "Dax": {
      "Type": "AWS::DAX::Cluster",
      "Properties": {
        "NodeType": "dax.t3.small",
        "ReplicationFactor": 1,
        "IAMRoleARN": "arn:aws:iam::123456789012:role/dax"
      }
    }
  }
}
`;

const tf = `{
  "resource": {
    "aws_elasticache_replication_group": {
      "sessions": {
        "description": "sessions",
        "engine": "redis",
        "transit_encryption_enabled": false
      }
    },
    "aws_elasticache_cluster": {
      "single": {
        "engine": "redis",
        "node_type": "cache.t4g.micro"
      },
      "member": {
        "replication_group_id": "\${aws_elasticache_replication_group.sessions.id}"
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
          "address": "aws_dax_cluster.dax",
          "mode": "managed",
          "type": "aws_dax_cluster",
          "name": "dax",
          "values": { "cluster_name": "dax", "cluster_endpoint_encryption_type": "NONE" }
        }
      ]
    }
  }
}
`;

ruleTester(cacheTransitEncryptionDisabled, {
  valid: [
    {
      name: 'encryption on and required; MemoryDB default; DAX TLS; unknown values',
      file: 'template.yaml',
      code: lines(
        'Parameters:',
        '  Tls:',
        '    Type: String',
        'Resources:',
        '  A:',
        '    Type: AWS::ElastiCache::ReplicationGroup',
        '    Properties: {ReplicationGroupDescription: a, TransitEncryptionEnabled: true, TransitEncryptionMode: required}',
        '  B:',
        '    Type: AWS::ElastiCache::ReplicationGroup',
        '    Properties: {ReplicationGroupDescription: b, TransitEncryptionEnabled: "true"}',
        '  C:',
        '    Type: AWS::MemoryDB::Cluster',
        '    Properties: {ClusterName: c, NodeType: db.t4g.small, ACLName: acl}',
        '  D:',
        '    Type: AWS::DAX::Cluster',
        '    Properties: {NodeType: dax.t3.small, ReplicationFactor: 1, IAMRoleARN: arn, ClusterEndpointEncryptionType: TLS}',
        '  E:',
        '    Type: AWS::ElastiCache::ReplicationGroup',
        '    Properties: {ReplicationGroupDescription: e, TransitEncryptionEnabled: !Ref Tls}',
        '  F:',
        '    Type: AWS::ElastiCache::ServerlessCache',
        '    Properties: {Engine: valkey, ServerlessCacheName: f}',
      ),
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: absent (default off), preferred mode, false on a flow map',
      file: 'template.yaml',
      code: yaml,
      errors: [
        {
          text: 'Sessions',
          line: 2,
          severity: 'warning',
          message:
            'ElastiCache replication group Sessions does not set TransitEncryptionEnabled, which defaults to false: clients talk to it in plaintext. Set TransitEncryptionEnabled to true.',
          fixes: [
            {
              title: 'Set TransitEncryptionEnabled to true',
              output: yaml.replace(
                '      Engine: valkey\n',
                '      Engine: valkey\n      TransitEncryptionEnabled: true\n',
              ),
            },
          ],
        },
        {
          text: 'preferred',
          line: 12,
          message:
            'Transit encryption of ElastiCache replication group Migrating is in preferred mode: the cache still accepts plaintext connections. Set TransitEncryptionMode to required once every client uses TLS.',
          fixes: [
            {
              title: 'Set TransitEncryptionMode to required',
              output: yaml.replace('TransitEncryptionMode: preferred', 'TransitEncryptionMode: required'),
            },
          ],
        },
        {
          text: 'false',
          line: 15,
          message:
            'Transit encryption of ElastiCache cache cluster Memcached is off (TransitEncryptionEnabled: false): clients talk to it in plaintext. Set TransitEncryptionEnabled to true.',
          fixes: [
            {
              title: 'Set TransitEncryptionEnabled to true',
              output: yaml.replace('TransitEncryptionEnabled: false}', 'TransitEncryptionEnabled: true}'),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN JSON: MemoryDB TLS off, DAX without endpoint encryption',
      file: 'template.json',
      code: json,
      errors: [
        {
          text: 'false',
          line: 9,
          message: /^Transit encryption of MemoryDB cluster Memory is off \(TLSEnabled: false\)/,
          fixes: [
            {
              title: 'Set TLSEnabled to true',
              output: json.replace('"TLSEnabled": false', '"TLSEnabled": true'),
            },
          ],
        },
        {
          text: '"Dax"',
          line: 12,
          message:
            'DAX cluster Dax does not set ClusterEndpointEncryptionType, which defaults to NONE: clients talk to it in plaintext. Set ClusterEndpointEncryptionType to TLS.',
          fixes: [
            {
              title: 'Set ClusterEndpointEncryptionType to TLS',
              output: json.replace(
                '"IAMRoleARN": "arn:aws:iam::123456789012:role/dax"',
                '"IAMRoleARN": "arn:aws:iam::123456789012:role/dax",\n        "ClusterEndpointEncryptionType": "TLS"',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'TF JSON: replication group false, single cluster absent, member of a group skipped',
      file: 'main.tf.json',
      code: tf,
      errors: [
        {
          text: 'false',
          line: 7,
          message:
            /^Transit encryption of ElastiCache replication group aws_elasticache_replication_group\.sessions is off/,
          fixes: [
            {
              title: 'Set transit_encryption_enabled to true',
              output: tf.replace('"transit_encryption_enabled": false', '"transit_encryption_enabled": true'),
            },
          ],
        },
        {
          text: '"single"',
          line: 11,
          message:
            /^ElastiCache cache cluster aws_elasticache_cluster\.single does not set transit_encryption_enabled/,
          fixes: [
            {
              title: 'Set transit_encryption_enabled to true',
              output: tf.replace(
                '"node_type": "cache.t4g.micro"',
                '"node_type": "cache.t4g.micro",\n        "transit_encryption_enabled": true',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'plan: DAX NONE (no fixes)',
      file: 'plan.json',
      code: plan,
      errors: [
        {
          text: '"NONE"',
          line: 11,
          message: /^Transit encryption of DAX cluster aws_dax_cluster\.dax is off/,
          fixes: [],
        },
      ],
    },
  ],
});

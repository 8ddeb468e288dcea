import { lines, ruleTester } from '../../testing/ruleTester';
import { mskPlaintextAllowed } from './rule';

const yaml = lines(
  'Resources:',
  '  Kafka:',
  '    Type: AWS::MSK::Cluster',
  '    Properties:',
  '      ClusterName: events',
  '      EncryptionInfo:',
  '        EncryptionInTransit:',
  '          ClientBroker: TLS_PLAINTEXT',
  '          InCluster: false',
);

const json = `{
  "Resources": {
    "Kafka": {
      "Type": "AWS::MSK::Cluster",
      "Properties": {
        "ClusterName": "events",
        "EncryptionInfo": { "EncryptionInTransit": { "ClientBroker": "PLAINTEXT" } }
      }
    }
  }
}
`;

const tf = `{
  "resource": {
    "aws_msk_cluster": {
      "events": {
        "cluster_name": "events",
        "encryption_info": {
          "encryption_in_transit": { "client_broker": "TLS_PLAINTEXT", "in_cluster": true }
        }
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
          "address": "aws_msk_cluster.events",
          "mode": "managed",
          "type": "aws_msk_cluster",
          "name": "events",
          "values": {
            "encryption_info": [{ "encryption_in_transit": [{ "client_broker": "PLAINTEXT", "in_cluster": true }] }]
          }
        }
      ]
    }
  }
}
`;

ruleTester(mskPlaintextAllowed, {
  valid: [
    {
      name: 'no EncryptionInfo (defaults TLS and true), explicit TLS',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  A:',
        '    Type: AWS::MSK::Cluster',
        '    Properties: {ClusterName: a, KafkaVersion: 3.6.0, NumberOfBrokerNodes: 3}',
        '  B:',
        '    Type: AWS::MSK::Cluster',
        '    Properties:',
        '      ClusterName: b',
        '      EncryptionInfo: {EncryptionInTransit: {ClientBroker: TLS, InCluster: true}}',
        '  C:',
        '    Type: AWS::MSK::Cluster',
        '    Properties:',
        '      ClusterName: c',
        '      EncryptionInfo: {EncryptionAtRest: {DataVolumeKMSKeyId: alias/kafka}}',
      ),
    },
    {
      name: 'TF without encryption_info',
      file: 'main.tf.json',
      code: `{"resource": {"aws_msk_cluster": {"a": {"cluster_name": "a", "kafka_version": "3.6.0"}}}}
`,
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: TLS_PLAINTEXT and InCluster false',
      file: 'template.yaml',
      code: yaml,
      errors: [
        {
          text: 'TLS_PLAINTEXT',
          line: 8,
          severity: 'warning',
          message:
            'MSK cluster Kafka accepts plaintext client connections (ClientBroker: TLS_PLAINTEXT): messages and SASL/SCRAM credentials can cross the network unencrypted. Set ClientBroker to TLS.',
          fixes: [
            {
              title: 'Set ClientBroker to TLS',
              output: yaml.replace('ClientBroker: TLS_PLAINTEXT', 'ClientBroker: TLS'),
            },
          ],
        },
        {
          text: 'false',
          line: 9,
          message:
            'The brokers of MSK cluster Kafka replicate data between themselves in plaintext (InCluster: false). Set InCluster to true.',
          fixes: [
            { title: 'Set InCluster to true', output: yaml.replace('InCluster: false', 'InCluster: true') },
          ],
        },
      ],
    },
    {
      name: 'CFN JSON: PLAINTEXT',
      file: 'template.json',
      code: json,
      errors: [
        {
          text: '"PLAINTEXT"',
          line: 7,
          message: /\(ClientBroker: PLAINTEXT\)/,
          fixes: [{ title: 'Set ClientBroker to TLS', output: json.replace('"PLAINTEXT"', '"TLS"') }],
        },
      ],
    },
    {
      name: 'TF JSON: TLS_PLAINTEXT',
      file: 'main.tf.json',
      code: tf,
      errors: [
        {
          text: '"TLS_PLAINTEXT"',
          line: 7,
          message:
            /^MSK cluster aws_msk_cluster\.events accepts plaintext client connections \(client_broker: TLS_PLAINTEXT\)/,
          fixes: [{ title: 'Set client_broker to TLS', output: tf.replace('"TLS_PLAINTEXT"', '"TLS"') }],
        },
      ],
    },
    {
      name: 'plan (no fixes)',
      file: 'plan.json',
      code: plan,
      errors: [{ text: '"PLAINTEXT"', line: 12, message: /client_broker: PLAINTEXT/, fixes: [] }],
    },
  ],
});

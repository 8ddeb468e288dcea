import { lines, ruleTester } from '../../testing/ruleTester';
import { searchNodeToNodeEncryptionDisabled } from './rule';

const yaml = lines(
  'Resources:',
  '  Search:',
  '    Type: AWS::OpenSearchService::Domain',
  '    Properties:',
  '      EngineVersion: OpenSearch_2.13',
  '  Legacy:',
  '    Type: AWS::Elasticsearch::Domain',
  '    Properties:',
  '      NodeToNodeEncryptionOptions:',
  '        Enabled: false',
);

const json = `{
  "Resources": {
    "Search": {
      "Type": "AWS::OpenSearchService::Domain",
      "Properties": {
        "NodeToNodeEncryptionOptions": {}
      }
    }
  }
}
`;

const tf = `{
  "resource": {
    "aws_opensearch_domain": {
      "search": {
        "domain_name": "search",
        "node_to_node_encryption": { "enabled": false }
      }
    },
    "aws_elasticsearch_domain": {
      "legacy": { "domain_name": "legacy" }
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
          "address": "aws_opensearch_domain.search",
          "mode": "managed",
          "type": "aws_opensearch_domain",
          "name": "search",
          "values": { "node_to_node_encryption": [{ "enabled": false }] }
        }
      ]
    }
  }
}
`;

ruleTester(searchNodeToNodeEncryptionDisabled, {
  valid: [
    {
      name: 'enabled in CFN and TF',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Search:',
        '    Type: AWS::OpenSearchService::Domain',
        '    Properties:',
        '      NodeToNodeEncryptionOptions: {Enabled: true}',
      ),
    },
    {
      name: 'TF enabled',
      file: 'main.tf.json',
      code: `{"resource": {"aws_elasticsearch_domain": {"s": {"node_to_node_encryption": [{"enabled": true}]}}}}
`,
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: absent (OpenSearch) and false (Elasticsearch)',
      file: 'template.yaml',
      code: yaml,
      errors: [
        {
          text: 'Search',
          line: 2,
          severity: 'warning',
          message:
            'Domain Search does not enable node-to-node encryption (off by default): data moving between its nodes, including replicas and search results, is sent in plaintext. Set NodeToNodeEncryptionOptions.Enabled to true.',
          fixes: [
            {
              title: 'Set NodeToNodeEncryptionOptions.Enabled to true',
              output: yaml.replace(
                '      EngineVersion: OpenSearch_2.13\n',
                '      EngineVersion: OpenSearch_2.13\n      NodeToNodeEncryptionOptions:\n        Enabled: true\n',
              ),
            },
          ],
        },
        {
          text: 'false',
          line: 10,
          message: /^Node-to-node encryption is off on domain Legacy/,
          fixes: [
            {
              title: 'Set NodeToNodeEncryptionOptions.Enabled to true',
              output: yaml.replace('Enabled: false', 'Enabled: true'),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN JSON: empty options',
      file: 'template.json',
      code: json,
      errors: [
        {
          text: '"NodeToNodeEncryptionOptions"',
          line: 6,
          message: /^Domain Search does not enable node-to-node encryption/,
          fixes: [
            {
              title: 'Set NodeToNodeEncryptionOptions.Enabled to true',
              output: json.replace(
                '"NodeToNodeEncryptionOptions": {}',
                '"NodeToNodeEncryptionOptions": {\n          "Enabled": true\n        }',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'TF JSON: false and absent',
      file: 'main.tf.json',
      code: tf,
      errors: [
        {
          text: 'false',
          line: 6,
          message: /^Node-to-node encryption is off on domain aws_opensearch_domain\.search/,
          fixes: [
            {
              title: 'Set node_to_node_encryption.enabled to true',
              output: tf.replace('{ "enabled": false }', '{ "enabled": true }'),
            },
          ],
        },
        {
          text: '"legacy"',
          line: 10,
          message: /^Domain aws_elasticsearch_domain\.legacy does not enable node-to-node encryption/,
          fixes: [
            {
              title: 'Set node_to_node_encryption.enabled to true',
              output: tf.replace(
                '{ "domain_name": "legacy" }',
                '{ "domain_name": "legacy", "node_to_node_encryption": { "enabled": true } }',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'plan (no fixes)',
      file: 'plan.json',
      code: plan,
      errors: [{ text: 'false', line: 11, message: /^Node-to-node encryption is off/, fixes: [] }],
    },
  ],
});

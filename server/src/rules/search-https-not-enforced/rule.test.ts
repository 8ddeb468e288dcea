import { lines, ruleTester } from '../../testing/ruleTester';
import { searchHttpsNotEnforced } from './rule';

const yaml = lines(
  'Resources:',
  '  Legacy:',
  '    Type: AWS::Elasticsearch::Domain',
  '    Properties:',
  '      ElasticsearchVersion: "7.10"',
  '  Search:',
  '    Type: AWS::OpenSearchService::Domain',
  '    Properties:',
  '      EngineVersion: OpenSearch_2.13',
  '      DomainEndpointOptions: {CustomEndpointEnabled: false}',
);

const json = `{
  "Resources": {
    "Search": {
      "Type": "AWS::OpenSearchService::Domain",
      "Properties": {
        "DomainEndpointOptions": {
          "EnforceHTTPS": false,
          "TLSSecurityPolicy": "Policy-Min-TLS-1-2-2019-07"
        }
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
        "domain_endpoint_options": {
          "enforce_https": false
        }
      }
    },
    "aws_elasticsearch_domain": {
      "legacy": {
        "domain_name": "legacy"
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
          "address": "aws_opensearch_domain.search",
          "mode": "managed",
          "type": "aws_opensearch_domain",
          "name": "search",
          "values": { "domain_endpoint_options": [{ "enforce_https": false, "tls_security_policy": "Policy-Min-TLS-1-0-2019-07" }] }
        }
      ]
    }
  }
}
`;

ruleTester(searchHttpsNotEnforced, {
  valid: [
    {
      name: 'EnforceHTTPS true (CFN)',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Search:',
        '    Type: AWS::OpenSearchService::Domain',
        '    Properties:',
        '      DomainEndpointOptions: {EnforceHTTPS: true, TLSSecurityPolicy: Policy-Min-TLS-1-2-PFS-2023-10}',
      ),
    },
    {
      name: 'TF block without enforce_https (provider default true)',
      file: 'main.tf.json',
      code: `{"resource": {"aws_opensearch_domain": {"s": {"domain_endpoint_options": {"tls_security_policy": "Policy-Min-TLS-1-2-2019-07"}}}}}
`,
    },
    {
      name: 'plan: endpoint options computed at apply',
      file: 'plan.json',
      code: `{"format_version": "1.2", "planned_values": {"root_module": {"resources": [
  {"address": "aws_opensearch_domain.s", "mode": "managed", "type": "aws_opensearch_domain", "name": "s", "values": {"domain_name": "s"}}]}},
 "resource_changes": [{"address": "aws_opensearch_domain.s", "change": {"after_unknown": {"domain_endpoint_options": true}}}]}
`,
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: no options (Elasticsearch), options without EnforceHTTPS (flow)',
      file: 'template.yaml',
      code: yaml,
      errors: [
        {
          text: 'Legacy',
          line: 2,
          severity: 'warning',
          message:
            'Domain Legacy has no DomainEndpointOptions, so HTTPS is not enforced (the default): clients can send queries, documents and credentials over plain HTTP. Set EnforceHTTPS to true with a TLS 1.2 policy.',
          fixes: [
            {
              title: 'Set EnforceHTTPS to true with Policy-Min-TLS-1-2-PFS-2023-10',
              output: yaml.replace(
                '      ElasticsearchVersion: "7.10"\n',
                '      ElasticsearchVersion: "7.10"\n      DomainEndpointOptions:\n        EnforceHTTPS: true\n        TLSSecurityPolicy: Policy-Min-TLS-1-2-PFS-2023-10\n',
              ),
            },
          ],
        },
        {
          text: 'DomainEndpointOptions',
          line: 10,
          message:
            /^Domain Search does not set DomainEndpointOptions\.EnforceHTTPS, so HTTPS is not enforced/,
          fixes: [
            {
              title: 'Set EnforceHTTPS to true with Policy-Min-TLS-1-2-PFS-2023-10',
              output: yaml.replace(
                '{CustomEndpointEnabled: false}',
                '{CustomEndpointEnabled: false, EnforceHTTPS: true, TLSSecurityPolicy: Policy-Min-TLS-1-2-PFS-2023-10}',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN JSON: EnforceHTTPS false with a TLS policy already set',
      file: 'template.json',
      code: json,
      errors: [
        {
          text: 'false',
          line: 7,
          message:
            'HTTPS is not enforced on domain Search (EnforceHTTPS: false): clients can send queries, documents and credentials over plain HTTP. Set EnforceHTTPS to true.',
          fixes: [
            {
              title: 'Set EnforceHTTPS to true',
              output: json.replace('"EnforceHTTPS": false', '"EnforceHTTPS": true'),
            },
          ],
        },
      ],
    },
    {
      name: 'TF JSON: enforce_https false without a policy, a domain without the block',
      file: 'main.tf.json',
      code: tf,
      errors: [
        {
          text: 'false',
          line: 7,
          message: /^HTTPS is not enforced on domain aws_opensearch_domain\.search \(enforce_https: false\)/,
          fixes: [
            {
              title: 'Set enforce_https to true with Policy-Min-TLS-1-2-PFS-2023-10',
              output: tf.replace(
                '"enforce_https": false',
                '"enforce_https": true,\n          "tls_security_policy": "Policy-Min-TLS-1-2-PFS-2023-10"',
              ),
            },
          ],
        },
        {
          text: '"legacy"',
          line: 12,
          message: /^Domain aws_elasticsearch_domain\.legacy has no domain_endpoint_options/,
          fixes: [
            {
              title: 'Set enforce_https to true with Policy-Min-TLS-1-2-PFS-2023-10',
              output: tf.replace(
                '"domain_name": "legacy"',
                '"domain_name": "legacy",\n        "domain_endpoint_options": {\n          "enforce_https": true,\n          "tls_security_policy": "Policy-Min-TLS-1-2-PFS-2023-10"\n        }',
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
      errors: [
        {
          text: 'false',
          line: 11,
          message: /^HTTPS is not enforced on domain aws_opensearch_domain\.search/,
          fixes: [],
        },
      ],
    },
  ],
});

import { searchHttpsNotEnforced } from '../rules/search-https-not-enforced/rule';
import { lines, ruleTester } from '../testing/ruleTester';

// Fn::ForEach inside resource properties: its output keys become keys of the enclosing map.
const yaml = lines(
  'Transform: AWS::LanguageExtensions',
  'Resources:',
  '  Search:',
  '    Type: AWS::OpenSearchService::Domain',
  '    Properties:',
  '      VPCOptions: {SubnetIds: [subnet-1]}',
  '      NodeToNodeEncryptionOptions: {Enabled: true}',
  '      DomainEndpointOptions:',
  '        Fn::ForEach::Endpoint:',
  '          - Setting',
  '          - [EnforceHTTPS]',
  '          - ${Setting}: false',
  '        TLSSecurityPolicy: Policy-Min-TLS-1-2-PFS-2023-10',
);

const json = `{
  "Transform": "AWS::LanguageExtensions",
  "Resources": {
    "Search": {
      "Type": "AWS::OpenSearchService::Domain",
      "Properties": {
        "VPCOptions": { "SubnetIds": ["subnet-1"] },
        "NodeToNodeEncryptionOptions": { "Enabled": true },
        "DomainEndpointOptions": {
          "TLSSecurityPolicy": "Policy-Min-TLS-1-2-PFS-2023-10",
          "Fn::ForEach::Endpoint": ["Setting", ["CustomEndpointEnabled"], { "\${Setting}": false }]
        }
      }
    }
  }
}
`;

ruleTester(searchHttpsNotEnforced, {
  valid: [
    {
      name: 'a loop that sets EnforceHTTPS to true',
      file: 'template.yaml',
      code: yaml.replace('${Setting}: false', '${Setting}: true'),
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: the loop sets EnforceHTTPS false; the fix edits the fragment',
      file: 'template.yaml',
      code: yaml,
      errors: [
        {
          text: 'false',
          line: 12,
          message:
            'HTTPS is not enforced on domain Search (EnforceHTTPS: false): clients can send queries, documents and credentials over plain HTTP. Set EnforceHTTPS to true.',
          fixes: [
            {
              title: 'Set EnforceHTTPS to true',
              output: yaml.replace('${Setting}: false', '${Setting}: true'),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN YAML: the loop sets another key; the fix adds EnforceHTTPS after the keys written there',
      file: 'template.yaml',
      code: yaml.replace('[EnforceHTTPS]', '[CustomEndpointEnabled]'),
      errors: [
        {
          text: 'DomainEndpointOptions',
          line: 8,
          message: /^Domain Search does not set DomainEndpointOptions\.EnforceHTTPS/,
          fixes: [
            {
              title: 'Set EnforceHTTPS to true',
              output: yaml
                .replace('[EnforceHTTPS]', '[CustomEndpointEnabled]')
                .replace('PFS-2023-10\n', 'PFS-2023-10\n        EnforceHTTPS: true\n'),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN JSON: the loop sets another key; the fix adds EnforceHTTPS next to the written keys',
      file: 'template.json',
      code: json,
      errors: [
        {
          text: '"DomainEndpointOptions"',
          line: 9,
          message: /^Domain Search does not set DomainEndpointOptions\.EnforceHTTPS/,
          fixes: [
            {
              title: 'Set EnforceHTTPS to true',
              output: json.replace('false }]\n', 'false }],\n          "EnforceHTTPS": true\n'),
            },
          ],
        },
      ],
    },
  ],
});

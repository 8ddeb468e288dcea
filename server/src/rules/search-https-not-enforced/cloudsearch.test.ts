import { lines, ruleTester } from '../../testing/ruleTester';
import { searchHttpsNotEnforced } from './rule';

// Amazon CloudSearch domains: DomainEndpointOptions (Terraform endpoint_options), TLS 1.2 policy
// Policy-Min-TLS-1-2-2019-07 (CloudSearch has no PFS policy).
const cfnYaml = lines(
  'Resources:',
  '  Search:',
  '    Type: AWS::CloudSearch::Domain',
  '    Properties:',
  '      DomainEndpointOptions:',
  '        EnforceHTTPS: false',
);

const cfnJson = `{
  "Resources": {
    "Search": {
      "Type": "AWS::CloudSearch::Domain",
      "Properties": {
        "DomainEndpointOptions": { "EnforceHTTPS": true, "TLSSecurityPolicy": "Policy-Min-TLS-1-0-2019-07" }
      }
    },
    "Bare": { "Type": "AWS::CloudSearch::Domain" }
  }
}
`;

const tfJson = `{
  "resource": {
    "aws_cloudsearch_domain": {
      "s": {
        "name": "s",
        "endpoint_options": { "enforce_https": false, "tls_security_policy": "Policy-Min-TLS-1-0-2019-07" }
      }
    }
  }
}
`;

const PLAIN = 'clients can send queries, documents and credentials over plain HTTP.';

ruleTester(searchHttpsNotEnforced, {
  valid: [
    {
      name: 'CloudSearch domain enforcing HTTPS',
      file: 'template.yaml',
      code: cfnYaml.replace('EnforceHTTPS: false', 'EnforceHTTPS: true'),
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: EnforceHTTPS false',
      file: 'template.yaml',
      code: cfnYaml,
      errors: [
        {
          text: 'false',
          line: 6,
          message: `HTTPS is not enforced on domain Search (EnforceHTTPS: false): ${PLAIN} Set EnforceHTTPS to true.`,
          fixes: [
            {
              title: 'Set EnforceHTTPS to true with Policy-Min-TLS-1-2-2019-07',
              output: cfnYaml.replace(
                'EnforceHTTPS: false\n',
                'EnforceHTTPS: true\n        TLSSecurityPolicy: Policy-Min-TLS-1-2-2019-07\n',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN JSON: a domain without endpoint options',
      file: 'template.json',
      code: cfnJson,
      errors: [
        {
          text: '"Bare"',
          line: 9,
          message: `Domain Bare has no DomainEndpointOptions, so HTTPS is not enforced (the default): ${PLAIN} Set EnforceHTTPS to true with a TLS 1.2 policy.`,
          fixes: [
            {
              title: 'Set EnforceHTTPS to true with Policy-Min-TLS-1-2-2019-07',
              output: cfnJson.replace(
                '"Bare": { "Type": "AWS::CloudSearch::Domain" }',
                '"Bare": { "Type": "AWS::CloudSearch::Domain", "Properties": { "DomainEndpointOptions": { "EnforceHTTPS": true, "TLSSecurityPolicy": "Policy-Min-TLS-1-2-2019-07" } } }',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'Terraform JSON: endpoint_options enforce_https false',
      file: 'main.tf.json',
      code: tfJson,
      errors: [
        {
          text: 'false',
          line: 6,
          message: `HTTPS is not enforced on domain aws_cloudsearch_domain.s (enforce_https: false): ${PLAIN} Set enforce_https to true.`,
          fixes: [
            {
              title: 'Set enforce_https to true',
              output: tfJson.replace('"enforce_https": false', '"enforce_https": true'),
            },
          ],
        },
      ],
    },
  ],
});

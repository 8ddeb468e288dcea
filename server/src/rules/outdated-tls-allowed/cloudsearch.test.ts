import { lines, ruleTester } from '../../testing/ruleTester';
import { outdatedTlsAllowed } from './rule';

// Amazon CloudSearch: TLSSecurityPolicy defaults to Policy-Min-TLS-1-0-2019-07.
const cfnYaml = lines(
  'Resources:',
  '  Search:',
  '    Type: AWS::CloudSearch::Domain',
  '    Properties:',
  '      DomainEndpointOptions:',
  '        EnforceHTTPS: true',
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
        "endpoint_options": { "enforce_https": true, "tls_security_policy": "Policy-Min-TLS-1-0-2019-07" }
      }
    }
  }
}
`;

const DOWNGRADE =
  'which accepts TLS 1.0: clients can be downgraded to a deprecated protocol. Use Policy-Min-TLS-1-2-2019-07 (TLS 1.2 and newer).';

ruleTester(outdatedTlsAllowed, {
  valid: [
    {
      name: 'CloudSearch with the TLS 1.2 policy',
      file: 'template.yaml',
      code: cfnYaml + '        TLSSecurityPolicy: Policy-Min-TLS-1-2-2019-07\n',
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: endpoint options without a policy get the TLS 1.0 default',
      file: 'template.yaml',
      code: cfnYaml,
      errors: [
        {
          text: 'DomainEndpointOptions',
          line: 5,
          message:
            'CloudSearch domain Search does not set TLSSecurityPolicy, so it gets Policy-Min-TLS-1-0-2019-07, which accepts TLS 1.0 and 1.1. Set TLSSecurityPolicy to Policy-Min-TLS-1-2-2019-07.',
          fixes: [
            {
              title: 'Set TLSSecurityPolicy to Policy-Min-TLS-1-2-2019-07',
              output: cfnYaml + '        TLSSecurityPolicy: Policy-Min-TLS-1-2-2019-07\n',
            },
          ],
        },
      ],
    },
    {
      name: 'CFN JSON: an explicit TLS 1.0 policy (a domain without endpoint options is search-https-not-enforced)',
      file: 'template.json',
      code: cfnJson,
      errors: [
        {
          text: '"Policy-Min-TLS-1-0-2019-07"',
          line: 6,
          message: `The TLS security policy of CloudSearch domain Search is Policy-Min-TLS-1-0-2019-07, ${DOWNGRADE}`,
          fixes: [
            {
              title: 'Set TLSSecurityPolicy to Policy-Min-TLS-1-2-2019-07',
              output: cfnJson.replace('Policy-Min-TLS-1-0-2019-07', 'Policy-Min-TLS-1-2-2019-07'),
            },
          ],
        },
      ],
    },
    {
      name: 'Terraform JSON: endpoint_options with a TLS 1.0 policy',
      file: 'main.tf.json',
      code: tfJson,
      errors: [
        {
          text: '"Policy-Min-TLS-1-0-2019-07"',
          line: 6,
          message: `The TLS security policy of CloudSearch domain aws_cloudsearch_domain.s is Policy-Min-TLS-1-0-2019-07, ${DOWNGRADE}`,
          fixes: [
            {
              title: 'Set tls_security_policy to Policy-Min-TLS-1-2-2019-07',
              output: tfJson.replace('Policy-Min-TLS-1-0-2019-07', 'Policy-Min-TLS-1-2-2019-07'),
            },
          ],
        },
      ],
    },
  ],
});

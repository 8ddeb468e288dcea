import { lines, ruleTester } from '../../testing/ruleTester';
import { outdatedTlsAllowed } from './rule';

// SAM: an Api's or HttpApi's Domain is read as the API Gateway domain name the transform
// generates; findings and fixes land on the Domain the user wrote.
const restYaml = lines(
  'Transform: AWS::Serverless-2016-10-31',
  'Resources:',
  '  Api:',
  '    Type: AWS::Serverless::Api',
  '    Properties:',
  '      StageName: prod',
  '      Domain:',
  '        DomainName: api.example.com',
  '        CertificateArn: arn:aws:acm:eu-west-1:111122223333:certificate/abc',
);

const httpYaml = lines(
  'Transform: AWS::Serverless-2016-10-31',
  'Globals:',
  '  HttpApi:',
  '    Domain:',
  '      DomainName: api.example.com',
  '      CertificateArn: arn:aws:acm:eu-west-1:111122223333:certificate/abc',
  '      SecurityPolicy: TLS_1_0',
  'Resources:',
  '  Http:',
  '    Type: AWS::Serverless::HttpApi',
);

const restJson = `{
  "Transform": "AWS::Serverless-2016-10-31",
  "Resources": {
    "Api": {
      "Type": "AWS::Serverless::Api",
      "Properties": {
        "StageName": "prod",
        "Domain": { "DomainName": "api.example.com", "CertificateArn": "arn:aws:acm:eu-west-1:111122223333:certificate/abc", "SecurityPolicy": "TLS_1_0" }
      }
    }
  }
}
`;

ruleTester(outdatedTlsAllowed, {
  valid: [
    {
      name: 'SAM REST API domain with TLS_1_2',
      file: 'template.yaml',
      code: restYaml.replace('certificate/abc\n', 'certificate/abc\n        SecurityPolicy: TLS_1_2\n'),
    },
    {
      name: 'SAM HTTP API domain without SecurityPolicy (HTTP APIs only offer TLS 1.2)',
      file: 'template.yaml',
      code: httpYaml.replace('      SecurityPolicy: TLS_1_0\n', ''),
    },
  ],
  invalid: [
    {
      name: 'SAM YAML: REST API Domain without SecurityPolicy',
      file: 'template.yaml',
      code: restYaml,
      errors: [
        {
          text: 'Domain',
          line: 7,
          message:
            'API Gateway domain Api does not set SecurityPolicy: REST API custom domains without one have been created with TLS_1_0, which accepts TLS 1.0. Set SecurityPolicy to TLS_1_2 explicitly.',
          fixes: [
            {
              title: 'Set SecurityPolicy to TLS_1_2',
              output: restYaml.replace(
                'certificate/abc\n',
                'certificate/abc\n        SecurityPolicy: TLS_1_2\n',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'SAM YAML: HttpApi Domain in Globals with TLS_1_0',
      file: 'template.yaml',
      code: httpYaml,
      errors: [
        {
          text: 'TLS_1_0',
          line: 7,
          message: /^The security policy of API Gateway domain Http is TLS_1_0, which accepts TLS 1\.0/,
          fixes: [
            {
              title: 'Set SecurityPolicy to TLS_1_2',
              output: httpYaml.replace('SecurityPolicy: TLS_1_0', 'SecurityPolicy: TLS_1_2'),
            },
          ],
        },
      ],
    },
    {
      name: 'SAM JSON: REST API Domain with TLS_1_0',
      file: 'template.json',
      code: restJson,
      errors: [
        {
          text: '"TLS_1_0"',
          line: 8,
          message: /^The security policy of API Gateway domain Api is TLS_1_0, which accepts TLS 1\.0/,
          fixes: [
            {
              title: 'Set SecurityPolicy to TLS_1_2',
              output: restJson.replace('"SecurityPolicy": "TLS_1_0"', '"SecurityPolicy": "TLS_1_2"'),
            },
          ],
        },
      ],
    },
  ],
});

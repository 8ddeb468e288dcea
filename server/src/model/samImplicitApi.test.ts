import { outdatedTlsAllowed } from '../rules/outdated-tls-allowed/rule';
import { publicPrincipalWithoutCondition } from '../rules/public-principal-without-condition/rule';
import { lines, ruleTester } from '../testing/ruleTester';

// Implicit APIs: a function event of type Api (HttpApi) without RestApiId (ApiId) makes SAM create
// ServerlessRestApi (ServerlessHttpApi), configured by Globals alone; findings land on Globals.
const restYaml = lines(
  'Transform: AWS::Serverless-2016-10-31',
  'Globals:',
  '  Api:',
  '    Auth:',
  '      ResourcePolicy:',
  '        CustomStatements:',
  '          - Effect: Allow',
  "            Principal: '*'",
  '            Action: execute-api:Invoke',
  '            Resource: execute-api:/*',
  '    Domain:',
  '      DomainName: api.example.com',
  '      CertificateArn: arn:aws:acm:eu-west-1:111122223333:certificate/abc',
  'Resources:',
  '  Fn:',
  '    Type: AWS::Serverless::Function',
  '    Properties:',
  '      Handler: app.handler',
  '      Runtime: python3.12',
  '      Events:',
  '        Get:',
  '          Type: Api',
  '          Properties: {Path: /orders, Method: get}',
);

const httpJson = `{
  "Transform": "AWS::Serverless-2016-10-31",
  "Globals": {
    "HttpApi": {
      "Domain": { "DomainName": "api.example.com", "CertificateArn": "arn:aws:acm:eu-west-1:111122223333:certificate/abc", "SecurityPolicy": "TLS_1_0" }
    }
  },
  "Resources": {
    "Fn": {
      "Type": "AWS::Serverless::Function",
      "Properties": {
        "Handler": "app.handler",
        "Runtime": "python3.12",
        "Events": { "Get": { "Type": "HttpApi", "Properties": { "Path": "/orders", "Method": "get" } } }
      }
    }
  }
}
`;

const PARAMETER = lines(
  'Parameters:',
  '  OrganizationId:',
  '    Type: String',
  '    Description: AWS Organizations id (o-...) whose principals may use this resource.',
  "    AllowedPattern: '^o-[a-z0-9]{10,32}$'",
);

ruleTester(outdatedTlsAllowed, {
  valid: [
    {
      name: 'an Api event on an explicit API (RestApiId) does not create the implicit one',
      file: 'template.yaml',
      code: restYaml.replace(
        '{Path: /orders, Method: get}',
        '{RestApiId: api-123, Path: /orders, Method: get}',
      ),
    },
    {
      name: 'Globals without any Api event: no implicit API',
      file: 'template.yaml',
      code: restYaml.replace('          Type: Api\n', '          Type: SQS\n'),
    },
  ],
  invalid: [
    {
      name: 'SAM YAML: the implicit REST API takes Globals Api Domain (no SecurityPolicy)',
      file: 'template.yaml',
      code: restYaml,
      errors: [
        {
          text: 'Domain',
          line: 11,
          message:
            'API Gateway domain ServerlessRestApi does not set SecurityPolicy: REST API custom domains without one have been created with TLS_1_0, which accepts TLS 1.0. Set SecurityPolicy to TLS_1_2 explicitly.',
          fixes: [
            {
              title: 'Set SecurityPolicy to TLS_1_2',
              output: restYaml.replace(
                'certificate/abc\n',
                'certificate/abc\n      SecurityPolicy: TLS_1_2\n',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'SAM JSON: the implicit HTTP API takes Globals HttpApi Domain (TLS_1_0)',
      file: 'template.json',
      code: httpJson,
      errors: [
        {
          text: '"TLS_1_0"',
          line: 5,
          message:
            /^The security policy of API Gateway domain ServerlessHttpApi is TLS_1_0, which accepts TLS 1\.0/,
          fixes: [
            {
              title: 'Set SecurityPolicy to TLS_1_2',
              output: httpJson.replace('"SecurityPolicy": "TLS_1_0"', '"SecurityPolicy": "TLS_1_2"'),
            },
          ],
        },
      ],
    },
  ],
});

ruleTester(publicPrincipalWithoutCondition, {
  valid: [
    {
      name: 'with an allow-list next to the custom statements, SAM adds statements that may confine them (in doubt: restricted)',
      file: 'template.yaml',
      code: restYaml.replace(
        '      ResourcePolicy:\n',
        '      ResourcePolicy:\n        IntrinsicVpceWhitelist: [vpce-1a2b3c4d]\n',
      ),
    },
    {
      name: 'Globals Api ResourcePolicy restricted to an endpoint',
      file: 'template.yaml',
      code: restYaml.replace(
        '            Resource: execute-api:/*\n',
        '            Resource: execute-api:/*\n            Condition: {StringEquals: {aws:SourceVpce: vpce-1a2b3c4d}}\n',
      ),
    },
  ],
  invalid: [
    {
      name: 'SAM YAML: the implicit REST API takes Globals Api Auth.ResourcePolicy',
      file: 'template.yaml',
      code: restYaml,
      errors: [
        {
          text: "'*'",
          line: 8,
          message: /^Statement 1 allows everyone \(Principal "\*"\) to execute-api:Invoke/,
          fixes: [
            {
              title:
                'Allow only principals of your organization (aws:PrincipalOrgID = new parameter OrganizationId)',
              output: restYaml
                .replace('Resources:\n', () => `${PARAMETER}Resources:\n`)
                .replace(
                  '            Resource: execute-api:/*\n',
                  '            Resource: execute-api:/*\n            Condition:\n              StringEquals:\n                aws:PrincipalOrgID: !Ref OrganizationId\n',
                ),
            },
          ],
        },
      ],
    },
  ],
});

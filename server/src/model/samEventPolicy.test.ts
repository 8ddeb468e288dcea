import { publicPrincipalWithoutCondition } from '../rules/public-principal-without-condition/rule';
import { lines, ruleTester } from '../testing/ruleTester';

// An Api event's own Auth.ResourcePolicy: SAM adds its custom statements to the policy of the
// API the event is on (the implicit ServerlessRestApi, or the API its RestApiId names).
const implicitYaml = lines(
  'Transform: AWS::Serverless-2016-10-31',
  'Resources:',
  '  Fn:',
  '    Type: AWS::Serverless::Function',
  '    Properties:',
  '      Handler: app.handler',
  '      Runtime: python3.12',
  '      Events:',
  '        Get:',
  '          Type: Api',
  '          Properties:',
  '            Path: /orders',
  '            Method: get',
  '            Auth:',
  '              ResourcePolicy:',
  '                CustomStatements:',
  '                  - Effect: Allow',
  "                    Principal: '*'",
  '                    Action: execute-api:Invoke',
  '                    Resource: execute-api:/*',
);

const explicitJson = `{
  "Transform": "AWS::Serverless-2016-10-31",
  "Resources": {
    "Api": { "Type": "AWS::Serverless::Api", "Properties": { "StageName": "prod", "EndpointConfiguration": "PRIVATE" } },
    "Fn": {
      "Type": "AWS::Serverless::Function",
      "Properties": {
        "Handler": "app.handler",
        "Runtime": "python3.12",
        "Events": {
          "Get": {
            "Type": "Api",
            "Properties": {
              "RestApiId": { "Ref": "Api" },
              "Path": "/orders",
              "Method": "get",
              "Auth": {
                "ResourcePolicy": {
                  "CustomStatements": [{ "Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*" }]
                }
              }
            }
          }
        }
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
const TITLE =
  'Allow only principals of your organization (aws:PrincipalOrgID = new parameter OrganizationId)';

ruleTester(publicPrincipalWithoutCondition, {
  valid: [
    {
      name: 'an event policy restricted to a source VPC',
      file: 'template.yaml',
      code: implicitYaml + '                    Condition: {StringEquals: {aws:SourceVpc: vpc-1a2b3c4d}}\n',
    },
    {
      name: 'an event on an API defined elsewhere (RestApiId not in the template): not read',
      file: 'template.yaml',
      code: implicitYaml.replace(
        '            Path: /orders\n',
        '            RestApiId: abc123\n            Path: /orders\n',
      ),
    },
  ],
  invalid: [
    {
      name: 'SAM YAML: an event policy on the implicit API',
      file: 'template.yaml',
      code: implicitYaml,
      errors: [
        {
          text: "'*'",
          line: 18,
          message: /^Statement 1 allows everyone \(Principal "\*"\) to execute-api:Invoke: anyone/,
          fixes: [
            {
              title: TITLE,
              output:
                implicitYaml.replace('Resources:\n', () => `${PARAMETER}Resources:\n`) +
                lines(
                  '                    Condition:',
                  '                      StringEquals:',
                  '                        aws:PrincipalOrgID: !Ref OrganizationId',
                ),
            },
          ],
        },
      ],
    },
    {
      name: 'SAM JSON: an event policy on a private API named by RestApiId',
      file: 'template.json',
      code: explicitJson,
      errors: [
        {
          text: '"*"',
          line: 19,
          message:
            /^Statement 1 allows everyone \(Principal "\*"\) to execute-api:Invoke: the API is private/,
          related: ['The API is PRIVATE'],
          fixes: [
            {
              title: TITLE,
              output: explicitJson
                .replace(
                  '  "Resources": {\n',
                  (m) =>
                    '  "Parameters": {\n    "OrganizationId": {\n      "Type": "String",\n      "Description": "AWS Organizations id (o-...) whose principals may use this resource.",\n      "AllowedPattern": "^o-[a-z0-9]{10,32}$"\n    }\n  },\n' +
                    m,
                )
                .replace(
                  '"Resource": "execute-api:/*" }]',
                  '"Resource": "execute-api:/*", "Condition": { "StringEquals": { "aws:PrincipalOrgID": { "Ref": "OrganizationId" } } } }]',
                ),
            },
          ],
        },
      ],
    },
  ],
});

import { publicPrincipalWithoutCondition } from '../rules/public-principal-without-condition/rule';
import { lines, ruleTester } from '../testing/ruleTester';

// SAM Auth.ResourcePolicy.CustomStatements are read as the REST API policy SAM writes.
const yaml = lines(
  'Transform: AWS::Serverless-2016-10-31',
  'Resources:',
  '  Api:',
  '    Type: AWS::Serverless::Api',
  '    Properties:',
  '      StageName: prod',
  '      Auth:',
  '        ResourcePolicy:',
  '          CustomStatements:',
  '            - Effect: Allow',
  "              Principal: '*'",
  '              Action: execute-api:Invoke',
  '              Resource: execute-api:/*',
);

const json = `{
  "Transform": "AWS::Serverless-2016-10-31",
  "Resources": {
    "Api": {
      "Type": "AWS::Serverless::Api",
      "Properties": {
        "StageName": "prod",
        "Auth": {
          "ResourcePolicy": {
            "CustomStatements": [
              { "Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*" }
            ]
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
const MESSAGE = /^Statement 1 allows everyone \(Principal "\*"\) to execute-api:Invoke/;

ruleTester(publicPrincipalWithoutCondition, {
  valid: [
    {
      name: 'a custom statement restricted to a VPC endpoint',
      file: 'template.yaml',
      code: yaml + '              Condition: {StringEquals: {aws:SourceVpce: vpce-1a2b3c4d}}\n',
    },
  ],
  invalid: [
    {
      name: 'SAM YAML: a public custom statement',
      file: 'template.yaml',
      code: yaml,
      errors: [
        {
          text: "'*'",
          line: 11,
          message: MESSAGE,
          fixes: [
            {
              title: TITLE,
              output:
                yaml.replace('Resources:\n', () => `${PARAMETER}Resources:\n`) +
                lines(
                  '              Condition:',
                  '                StringEquals:',
                  '                  aws:PrincipalOrgID: !Ref OrganizationId',
                ),
            },
          ],
        },
      ],
    },
    {
      name: 'SAM JSON: a public custom statement',
      file: 'template.json',
      code: json,
      errors: [
        {
          text: '"*"',
          line: 11,
          message: MESSAGE,
          fixes: [
            {
              title: TITLE,
              output: json
                .replace(
                  '{\n  "Transform": "AWS::Serverless-2016-10-31",\n',
                  '{\n  "Transform": "AWS::Serverless-2016-10-31",\n  "Parameters": {\n    "OrganizationId": {\n      "Type": "String",\n      "Description": "AWS Organizations id (o-...) whose principals may use this resource.",\n      "AllowedPattern": "^o-[a-z0-9]{10,32}$"\n    }\n  },\n',
                )
                .replace(
                  '"Resource": "execute-api:/*" }',
                  '"Resource": "execute-api:/*", "Condition": { "StringEquals": { "aws:PrincipalOrgID": { "Ref": "OrganizationId" } } } }',
                ),
            },
          ],
        },
      ],
    },
  ],
});

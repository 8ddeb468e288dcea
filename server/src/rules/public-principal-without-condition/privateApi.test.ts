import { lines, ruleTester } from '../../testing/ruleTester';
import { publicPrincipalWithoutCondition } from './rule';

// A private REST API (EndpointConfiguration PRIVATE) has no public endpoint, but "*" still lets
// any AWS account call it through an execute-api VPC endpoint of its own.
const restYaml = lines(
  'Resources:',
  '  Api:',
  '    Type: AWS::ApiGateway::RestApi',
  '    Properties:',
  '      Name: orders',
  '      EndpointConfiguration:',
  '        Types: [PRIVATE]',
  '      Policy:',
  '        Statement:',
  '          - Effect: Allow',
  "            Principal: '*'",
  '            Action: execute-api:Invoke',
  '            Resource: execute-api:/*',
);

const samJson = `{
  "Transform": "AWS::Serverless-2016-10-31",
  "Globals": { "Api": { "EndpointConfiguration": { "Type": "PRIVATE", "VPCEndpointIds": ["vpce-1a2b3c4d"] } } },
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

const samYaml = lines(
  'Transform: AWS::Serverless-2016-10-31',
  'Resources:',
  '  Api:',
  '    Type: AWS::Serverless::Api',
  '    Properties:',
  '      StageName: prod',
  '      EndpointConfiguration: PRIVATE',
  '      Auth:',
  '        ResourcePolicy:',
  '          CustomStatements:',
  '            - Effect: Allow',
  "              Principal: '*'",
  '              Action: execute-api:Invoke',
  '              Resource: execute-api:/*',
);

const hcl = `resource "aws_api_gateway_rest_api" "orders" {
  name = "orders"
  endpoint_configuration {
    types = ["PRIVATE"]
  }
}

resource "aws_api_gateway_rest_api_policy" "orders" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "execute-api:Invoke"
      Resource  = "execute-api:/*"
    }]
  })
}
`;

const PRIVATE =
  'Statement 1 allows everyone (Principal "*") to execute-api:Invoke: the API is private, but a private API is reachable through the execute-api VPC endpoints of any AWS account, so anyone who creates one can call it. It has no condition on the caller or network, and no Deny in the policy confines it. Restrict it with a condition on aws:SourceVpce (your endpoints) or aws:SourceVpc, or a Deny unless one of them matches.';
const TITLE =
  'Allow only principals of your organization (aws:PrincipalOrgID = new parameter OrganizationId)';
const PARAMETER = lines(
  'Parameters:',
  '  OrganizationId:',
  '    Type: String',
  '    Description: AWS Organizations id (o-...) whose principals may use this resource.',
  "    AllowedPattern: '^o-[a-z0-9]{10,32}$'",
);
const JSON_PARAMETER =
  '  "Parameters": {\n    "OrganizationId": {\n      "Type": "String",\n      "Description": "AWS Organizations id (o-...) whose principals may use this resource.",\n      "AllowedPattern": "^o-[a-z0-9]{10,32}$"\n    }\n  },\n';

ruleTester(publicPrincipalWithoutCondition, {
  valid: [
    {
      name: 'a private API whose policy is restricted to its VPC endpoint',
      file: 'template.yaml',
      code: restYaml + "            Condition: {StringEquals: {aws:SourceVpce: 'vpce-1a2b3c4d'}}\n",
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: RestApi with EndpointConfiguration Types PRIVATE',
      file: 'template.yaml',
      code: restYaml,
      errors: [
        {
          text: "'*'",
          line: 11,
          message: PRIVATE,
          related: ['The API is PRIVATE'],
          fixes: [
            {
              title: TITLE,
              output:
                PARAMETER +
                restYaml +
                lines(
                  '            Condition:',
                  '              StringEquals:',
                  '                aws:PrincipalOrgID: !Ref OrganizationId',
                ),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN YAML: a REGIONAL RestApi gets the public message',
      file: 'template.yaml',
      code: restYaml.replace('[PRIVATE]', '[REGIONAL]'),
      errors: [
        {
          text: "'*'",
          line: 11,
          message:
            /^Statement 1 allows everyone \(Principal "\*"\) to execute-api:Invoke: anyone \(any AWS account, and anonymous callers/,
          fixes: [
            {
              title: TITLE,
              output:
                PARAMETER +
                restYaml.replace('[PRIVATE]', '[REGIONAL]') +
                lines(
                  '            Condition:',
                  '              StringEquals:',
                  '                aws:PrincipalOrgID: !Ref OrganizationId',
                ),
            },
          ],
        },
      ],
    },
    {
      name: 'SAM YAML: EndpointConfiguration as a string',
      file: 'template.yaml',
      code: samYaml,
      errors: [
        {
          text: "'*'",
          line: 12,
          message: PRIVATE,
          related: ['The API is PRIVATE'],
          fixes: [
            {
              title: TITLE,
              output:
                samYaml.replace('Resources:\n', () => `${PARAMETER}Resources:\n`) +
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
      name: 'Terraform HCL: a policy attached to a private REST API',
      file: 'main.tf',
      code: hcl,
      errors: [
        {
          text: '"*"',
          line: 14,
          message: PRIVATE,
          related: ['The API is PRIVATE'],
          fixes: [
            {
              title:
                'Allow only principals of your organization (aws:PrincipalOrgID = new variable organization_id)',
              output:
                hcl.replace(
                  '      Resource  = "execute-api:/*"\n',
                  '      Resource  = "execute-api:/*"\n      Condition = {\n        StringEquals = { "aws:PrincipalOrgID" = var.organization_id }\n      }\n',
                ) +
                '\nvariable "organization_id" {\n  type        = string\n  description = "AWS Organizations id (o-...) whose principals may use this resource."\n}\n',
            },
          ],
        },
      ],
    },
    {
      name: 'SAM JSON: EndpointConfiguration Type PRIVATE from Globals',
      file: 'template.json',
      code: samJson,
      errors: [
        {
          text: '"*"',
          line: 12,
          message: PRIVATE,
          related: ['The API is PRIVATE'],
          fixes: [
            {
              title: TITLE,
              output: samJson
                .replace('  "Resources": {\n', (m) => JSON_PARAMETER + m)
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

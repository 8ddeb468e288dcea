import { lines, ruleTester } from '../../testing/ruleTester';
import { publicPrincipalWithoutCondition } from './rule';

const cfnYaml = lines(
  'Resources:',
  '  Invoke:',
  '    Type: AWS::Lambda::Permission',
  '    Properties:',
  '      FunctionName: !Ref Fn',
  '      Action: lambda:InvokeFunction',
  "      Principal: '*'",
);

const cfnJson = `{
  "Resources": {
    "Invoke": {
      "Type": "AWS::Lambda::Permission",
      "Properties": {
        "FunctionName": "f",
        "Action": "lambda:InvokeFunction",
        "Principal": "*"
      }
    }
  }
}
`;

const tfJson = `{
  "resource": {
    "aws_lambda_permission": {
      "any": {
        "function_name": "f",
        "action": "lambda:InvokeFunction",
        "principal": "*"
      }
    }
  }
}
`;

const DESCRIPTION = 'AWS Organizations id (o-...) whose principals may use this resource.';
const CFN_TITLE =
  'Allow only principals of your organization (PrincipalOrgID = new parameter OrganizationId)';
const MESSAGE =
  'Lambda permission Invoke allows everyone (Principal "*") with no SourceArn, SourceAccount, PrincipalOrgID: any AWS account can invoke the function. Restrict it with PrincipalOrgID (your organization), SourceAccount or SourceArn, or name the principal.';

ruleTester(publicPrincipalWithoutCondition, {
  valid: [
    {
      name: 'Principal "*" restricted by SourceArn, SourceAccount or PrincipalOrgID',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        "  A: {Type: AWS::Lambda::Permission, Properties: {FunctionName: f, Action: lambda:InvokeFunction, Principal: '*', SourceArn: arn:aws:s3:::b}}",
        "  B: {Type: AWS::Lambda::Permission, Properties: {FunctionName: f, Action: lambda:InvokeFunction, Principal: '*', SourceAccount: '111122223333'}}",
        "  C: {Type: AWS::Lambda::Permission, Properties: {FunctionName: f, Action: lambda:InvokeFunction, Principal: '*', PrincipalOrgID: o-a1b2c3d4e5}}",
        '  D: {Type: AWS::Lambda::Permission, Properties: {FunctionName: f, Action: lambda:InvokeFunction, Principal: s3.amazonaws.com}}',
      ),
    },
    {
      name: 'a function URL permission with auth NONE is service-publicly-accessible, not this rule',
      file: 'main.tf.json',
      code: tfJson
        .replace('"principal": "*"', '"principal": "*", "function_url_auth_type": "NONE"')
        .replace('lambda:InvokeFunction', 'lambda:InvokeFunctionUrl'),
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: Principal "*" with no source or organization',
      file: 'template.yaml',
      code: cfnYaml,
      errors: [
        {
          text: "'*'",
          line: 7,
          message: MESSAGE,
          fixes: [
            {
              title: CFN_TITLE,
              output:
                lines(
                  'Parameters:',
                  '  OrganizationId:',
                  '    Type: String',
                  `    Description: ${DESCRIPTION}`,
                  "    AllowedPattern: '^o-[a-z0-9]{10,32}$'",
                ) +
                cfnYaml +
                '      PrincipalOrgID: !Ref OrganizationId\n',
            },
          ],
        },
      ],
    },
    {
      name: 'CFN JSON',
      file: 'template.json',
      code: cfnJson,
      errors: [
        {
          text: '"*"',
          line: 8,
          message: MESSAGE,
          fixes: [
            {
              title: CFN_TITLE,
              output: cfnJson
                .replace(
                  '{\n  "Resources"',
                  `{\n  "Parameters": {\n    "OrganizationId": {\n      "Type": "String",\n      "Description": "${DESCRIPTION}",\n      "AllowedPattern": "^o-[a-z0-9]{10,32}$"\n    }\n  },\n  "Resources"`,
                )
                .replace(
                  '"Principal": "*"',
                  '"Principal": "*",\n        "PrincipalOrgID": { "Ref": "OrganizationId" }',
                ),
            },
          ],
        },
      ],
    },
    {
      name: 'Terraform JSON',
      file: 'main.tf.json',
      code: tfJson,
      errors: [
        {
          text: '"*"',
          line: 7,
          message:
            'Lambda permission aws_lambda_permission.any allows everyone (Principal "*") with no source_arn, source_account, principal_org_id: any AWS account can invoke the function. Restrict it with principal_org_id (your organization), source_account or source_arn, or name the principal.',
          fixes: [
            {
              title:
                'Allow only principals of your organization (principal_org_id = new variable organization_id)',
              output: tfJson
                .replace(
                  '{\n  "resource"',
                  `{\n  "variable": {\n    "organization_id": {\n      "type": "string",\n      "description": "${DESCRIPTION}"\n    }\n  },\n  "resource"`,
                )
                .replace(
                  '"principal": "*"',
                  '"principal": "*",\n        "principal_org_id": "${var.organization_id}"',
                ),
            },
          ],
        },
      ],
    },
  ],
});

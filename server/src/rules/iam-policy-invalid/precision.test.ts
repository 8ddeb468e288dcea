// Precision (issue 14): what iam-policy-invalid deliberately does not report, and how it words
// what IAM accepts but ignores. Every format the rule names.

import { lines, ruleTester } from '../../testing/ruleTester';
import { iamPolicyInvalid } from './rule';

const json = (value: object): string => JSON.stringify(value, null, 2) + '\n';

/** Terraform JSON with a policy as a JSON string. */
const tf = (type: string, attribute: string, value: object, extra: object = {}): string =>
  json({ resource: { [type]: { this: { ...extra, [attribute]: JSON.stringify(value) } } } });

/** A plan with a policy string in planned values. */
const plan = (type: string, value: object): string =>
  json({
    format_version: '1.2',
    planned_values: {
      root_module: {
        resources: [
          {
            address: `${type}.this`,
            mode: 'managed',
            type,
            name: 'this',
            values: { policy: JSON.stringify(value) },
          },
        ],
      },
    },
  });

const read = { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::example/*' };
const home = {
  Effect: 'Allow',
  Action: 's3:GetObject',
  Resource: 'arn:aws:s3:::example/home/${aws:username}/*',
};

ruleTester(iamPolicyInvalid, {
  valid: [
    {
      name: 'CFN YAML: a queue policy without Version and without policy variables',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  QueuePolicy:',
        '    Type: AWS::SQS::QueuePolicy',
        '    Properties:',
        '      Queues: [!Ref Queue]',
        '      PolicyDocument:',
        '        Statement:',
        '          - Effect: Allow',
        '            Principal: {Service: sns.amazonaws.com}',
        '            Action: sqs:SendMessage',
        '            Resource: !GetAtt Queue.Arn',
        '            Condition:',
        '              ArnEquals: {aws:SourceArn: !Ref Topic}',
      ),
    },
    {
      name: 'CFN JSON: Version 2008-10-17 without policy variables',
      file: 'template.json',
      code: json({
        Resources: {
          Policy: {
            Type: 'AWS::S3::BucketPolicy',
            Properties: {
              Bucket: 'b',
              PolicyDocument: {
                Version: '2008-10-17',
                Statement: [{ ...read, Principal: { AWS: 'arn:aws:iam::111122223333:root' } }],
              },
            },
          },
        },
      }),
    },
    {
      name: 'TF JSON: no Version, no variables',
      file: 'main.tf.json',
      code: tf('aws_iam_policy', 'policy', { Statement: [read] }),
    },
    {
      name: 'plan: no Version, no variables',
      file: 'plan.json',
      code: plan('aws_iam_policy', { Statement: [read] }),
    },
    {
      name: 'standalone: no Version, no variables',
      file: 'policy.json',
      code: json({ Statement: [read] }),
    },
    {
      name: 'CFN YAML: API Gateway resource policy with the execute-api short forms',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Api:',
        '    Type: AWS::ApiGateway::RestApi',
        '    Properties:',
        '      Name: private-api',
        '      Policy:',
        "        Version: '2012-10-17'",
        '        Statement:',
        '          - Effect: Allow',
        "            Principal: '*'",
        '            Action: execute-api:Invoke',
        '            Resource: [execute-api:/*, execute-api:/prod/GET/pets, execute-api:/*/*/*]',
      ),
    },
    {
      name: 'CFN YAML: a SAM API whose resource policy is in the OpenAPI definition (x-amazon-apigateway-policy)',
      file: 'template.yaml',
      code: lines(
        'Transform: AWS::Serverless-2016-10-31',
        'Resources:',
        '  Api:',
        '    Type: AWS::Serverless::Api',
        '    Properties:',
        '      StageName: prod',
        '      DefinitionBody:',
        "        openapi: '3.0.1'",
        '        x-amazon-apigateway-policy:',
        "          Version: '2012-10-17'",
        '          Statement:',
        '            - Effect: Allow',
        "              Principal: '*'",
        '              Action: execute-api:Invoke',
        '              Resource: execute-api:/*',
        '              Condition:',
        '                IpAddress: {aws:SourceIp: 203.0.113.0/24}',
      ),
    },
    {
      name: 'CFN YAML: a bucket policy for a legacy CloudFront origin access identity',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  SitePolicy:',
        '    Type: AWS::S3::BucketPolicy',
        '    Properties:',
        '      Bucket: !Ref Site',
        '      PolicyDocument:',
        "        Version: '2012-10-17'",
        '        Statement:',
        '          - Effect: Allow',
        '            Principal:',
        '              AWS: arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHAPOMQZL',
        '            Action: s3:GetObject',
        '            Resource: !Sub ${Site.Arn}/*',
      ),
    },
    {
      name: 'TF JSON: aws_api_gateway_rest_api_policy with execute-api:/ forms',
      file: 'main.tf.json',
      code: tf(
        'aws_api_gateway_rest_api_policy',
        'policy',
        {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::111122223333:root' },
              Action: 'execute-api:Invoke',
              Resource: 'execute-api:/prod/POST/orders',
            },
          ],
        },
        { rest_api_id: '${aws_api_gateway_rest_api.api.id}' },
      ),
    },
    {
      name: 'standalone: a policy of execute-api actions only is an API Gateway policy',
      file: 'api-policy.json',
      code: json({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: '111122223333' },
            Action: 'execute-api:Invoke',
            Resource: 'execute-api:/*',
          },
        ],
      }),
    },
    {
      name: 'standalone and plan: a trailing * in an ARN segment matches across colons',
      file: 'policy.json',
      code: json({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'sns:Publish'],
            Resource: [
              'arn:aws:logs:*',
              'arn:aws:sns:us-east-1:*',
              'arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/*',
            ],
          },
        ],
      }),
    },
    {
      name: 'plan: a trailing * in an ARN segment matches across colons',
      file: 'plan.json',
      code: plan('aws_iam_policy', {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:*' }],
      }),
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: no Version and a policy variable: error, with the fix',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  HomeDirs:',
        '    Type: AWS::IAM::ManagedPolicy',
        '    Properties:',
        '      PolicyDocument:',
        '        Statement:',
        '          - Effect: Allow',
        '            Action: s3:GetObject',
        '            Resource: arn:aws:s3:::example/home/${aws:username}/*',
      ),
      errors: [
        {
          text: 'PolicyDocument',
          line: 5,
          severity: 'error',
          message:
            'The policy uses policy variables such as ${aws:username} but has no Version, so IAM reads it as version 2008-10-17 and takes the variables literally: they match only the text "${...}". Add "Version": "2012-10-17".',
          fixes: [
            {
              title: 'Add Version 2012-10-17',
              output: lines(
                'Resources:',
                '  HomeDirs:',
                '    Type: AWS::IAM::ManagedPolicy',
                '    Properties:',
                '      PolicyDocument:',
                '        Statement:',
                '          - Effect: Allow',
                '            Action: s3:GetObject',
                '            Resource: arn:aws:s3:::example/home/${aws:username}/*',
                "        Version: '2012-10-17'",
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN JSON: no Version and a policy variable inside Fn::Sub (${!aws:username})',
      file: 'template.json',
      code: json({
        Resources: {
          HomeDirs: {
            Type: 'AWS::IAM::ManagedPolicy',
            Properties: {
              PolicyDocument: {
                Statement: [
                  { ...home, Resource: { 'Fn::Sub': 'arn:aws:s3:::${Bucket}/home/${!aws:username}/*' } },
                ],
              },
            },
          },
        },
      }),
      errors: [
        {
          text: '"PolicyDocument"',
          line: 6,
          severity: 'error',
          message: /^The policy uses policy variables such as \$\{aws:username\} but has no Version/,
          fixes: [
            {
              title: 'Add Version 2012-10-17',
              output: json({
                Resources: {
                  HomeDirs: {
                    Type: 'AWS::IAM::ManagedPolicy',
                    Properties: {
                      PolicyDocument: {
                        Statement: [
                          {
                            ...home,
                            Resource: { 'Fn::Sub': 'arn:aws:s3:::${Bucket}/home/${!aws:username}/*' },
                          },
                        ],
                        Version: '2012-10-17',
                      },
                    },
                  },
                },
              }),
            },
          ],
        },
      ],
    },
    {
      name: 'TF JSON: no Version and $${aws:username}',
      file: 'main.tf.json',
      code: tf('aws_iam_policy', 'policy', {
        Statement: [{ ...home, Resource: 'arn:aws:s3:::example/home/$${aws:username}/*' }],
      }),
      errors: [
        {
          text: '"policy"',
          line: 5,
          severity: 'error',
          message: /^The policy uses policy variables/,
          fixes: [
            {
              title: 'Add Version 2012-10-17',
              output: tf('aws_iam_policy', 'policy', {
                Statement: [{ ...home, Resource: 'arn:aws:s3:::example/home/$${aws:username}/*' }],
                Version: '2012-10-17',
              }),
            },
          ],
        },
      ],
    },
    {
      name: 'plan: no Version and a policy variable: reported, never fixed',
      file: 'plan.json',
      code: plan('aws_iam_policy', { Statement: [home] }),
      errors: [
        {
          text: '"policy"',
          line: 12,
          severity: 'error',
          message: /^The policy uses policy variables/,
          fixes: [],
        },
      ],
    },
    {
      name: 'standalone: an unknown service prefix is a warning with did-you-mean (IAM accepts it)',
      file: 'policy.json',
      code: json({
        Version: '2012-10-17',
        Statement: [{ ...read, Action: ['s3:GetObject', 'sqs:SendMessage', 'sqss:SendMessage'] }],
      }),
      errors: [
        {
          text: '"sqss:SendMessage"',
          line: 9,
          severity: 'warning',
          message:
            'Unknown service prefix "sqss" in action "sqss:SendMessage": did you mean "sqs"? IAM accepts it, but the statement grants or denies nothing through it (bundled IAM catalogue of 2026-09-26).',
          fixes: [
            {
              title: 'Change to sqs:SendMessage',
              output: json({
                Version: '2012-10-17',
                Statement: [{ ...read, Action: ['s3:GetObject', 'sqs:SendMessage', 'sqs:SendMessage'] }],
              }),
            },
          ],
        },
      ],
    },
    {
      name: 'standalone: an unknown action under NotAction excludes nothing',
      file: 'policy.json',
      code: json({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Deny', NotAction: ['iam:ChangePassword', 'iam:ChangePasword'], Resource: '*' },
        ],
      }),
      errors: [
        {
          text: '"iam:ChangePasword"',
          line: 8,
          severity: 'warning',
          message:
            'Unknown action "iam:ChangePasword": AWS Identity and Access Management (IAM) has no action "ChangePasword". Did you mean "iam:ChangePassword"? IAM accepts it, but it excludes nothing from the statement, which applies to every other action (bundled IAM catalogue of 2026-09-26).',
          fixes: [
            {
              title: 'Change to iam:ChangePassword',
              output: json({
                Version: '2012-10-17',
                Statement: [
                  { Effect: 'Deny', NotAction: ['iam:ChangePassword', 'iam:ChangePassword'], Resource: '*' },
                ],
              }),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN YAML: S3 validates a bucket policy, so an unknown action is an error there',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Policy:',
        '    Type: AWS::S3::BucketPolicy',
        '    Properties:',
        '      Bucket: b',
        '      PolicyDocument:',
        "        Version: '2012-10-17'",
        '        Statement:',
        '          - Effect: Allow',
        '            Principal: {AWS: arn:aws:iam::111122223333:root}',
        '            Action: s4:GetObject',
        '            Resource: arn:aws:s3:::b/*',
      ),
      errors: [
        {
          text: 's4:GetObject',
          line: 11,
          severity: 'error',
          message:
            /^Unknown service prefix "s4" in action "s4:GetObject": did you mean "s3"\? S3 rejects the bucket policy \("Policy has invalid action"\)/,
          fixes: [
            {
              title: 'Change to s3:GetObject',
              output: lines(
                'Resources:',
                '  Policy:',
                '    Type: AWS::S3::BucketPolicy',
                '    Properties:',
                '      Bucket: b',
                '      PolicyDocument:',
                "        Version: '2012-10-17'",
                '        Statement:',
                '          - Effect: Allow',
                '            Principal: {AWS: arn:aws:iam::111122223333:root}',
                '            Action: s3:GetObject',
                '            Resource: arn:aws:s3:::b/*',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'TF JSON: execute-api:/ outside an API Gateway policy',
      file: 'main.tf.json',
      code: tf('aws_iam_policy', 'policy', {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' }],
      }),
      errors: [
        {
          text: '\\"execute-api:/*\\"',
          line: 5,
          message:
            'Resource "execute-api:/*" is API Gateway\'s short form, which only a REST API\'s resource policy accepts: elsewhere write the ARN, arn:aws:execute-api:region:account:api-id/stage/METHOD/path.',
          fixes: [],
        },
      ],
    },
  ],
});

import { lines, ruleTester } from '../../testing/ruleTester';
import { publicPrincipalWithoutCondition } from './rule';

const policy = (statements: object[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2) + '\n';

const tf = (type: string, attribute: string, value: object, extra: object = {}): string =>
  JSON.stringify(
    { resource: { [type]: { this: { ...extra, [attribute]: JSON.stringify(value) } } } },
    null,
    2,
  ) + '\n';

const plan = (type: string, value: object): string =>
  JSON.stringify(
    {
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
    },
    null,
    2,
  ) + '\n';

const publicRead = {
  Effect: 'Allow',
  Principal: '*',
  Action: 's3:GetObject',
  Resource: 'arn:aws:s3:::example/*',
};

ruleTester(publicPrincipalWithoutCondition, {
  valid: [
    {
      name: 'Principal "*" restricted by aws:SourceVpce is not public',
      file: 'policy.json',
      code: policy([{ ...publicRead, Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } }]),
    },
    {
      name: 'restricting keys of every kind, and a Deny with "*"',
      file: 'policy.json',
      code: policy([
        { ...publicRead, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } },
        {
          ...publicRead,
          Principal: { AWS: '*' },
          Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:111122223333:*' } },
        },
        { ...publicRead, Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } },
        { ...publicRead, Condition: { 'ForAnyValue:StringEquals': { 'aws:SourceVpc': 'vpc-1' } } },
        { ...publicRead, Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
        { ...publicRead, Principal: { AWS: 'arn:aws:iam::111122223333:root' } },
        { ...publicRead, Principal: { Service: 'cloudfront.amazonaws.com' } },
      ]),
    },
    {
      name: 'CloudFormation YAML: a condition value from a parameter counts as a restriction',
      file: 'template.yaml',
      code: lines(
        'Parameters:',
        '  VpcId:',
        '    Type: AWS::EC2::VPC::Id',
        'Resources:',
        '  BucketPolicy:',
        '    Type: AWS::S3::BucketPolicy',
        '    Properties:',
        '      Bucket: example',
        '      PolicyDocument:',
        "        Version: '2012-10-17'",
        '        Statement:',
        '          - Effect: Allow',
        "            Principal: '*'",
        '            Action: s3:GetObject',
        "            Resource: 'arn:aws:s3:::example/*'",
        '            Condition:',
        '              StringEquals:',
        '                aws:SourceVpc: !Ref VpcId',
      ),
    },
    {
      name: 'CloudFormation YAML: VPC endpoint policies are left to vpc-endpoint-policy-unrestricted',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Endpoint:',
        '    Type: AWS::EC2::VPCEndpoint',
        '    Properties:',
        '      VpcId: vpc-1',
        '      ServiceName: com.amazonaws.us-east-1.s3',
        '      PolicyDocument:',
        "        Version: '2012-10-17'",
        '        Statement:',
        '          - Effect: Allow',
        "            Principal: '*'",
        "            Action: 's3:*'",
        "            Resource: '*'",
      ),
    },
    {
      name: 'CloudFormation JSON: a topic policy for a service principal',
      file: 'template.json',
      code:
        JSON.stringify(
          {
            Resources: {
              TopicPolicy: {
                Type: 'AWS::SNS::TopicPolicy',
                Properties: {
                  Topics: ['arn:aws:sns:us-east-1:111122223333:t'],
                  PolicyDocument: {
                    Version: '2012-10-17',
                    Statement: [
                      {
                        Effect: 'Allow',
                        Principal: { Service: 'events.amazonaws.com' },
                        Action: 'sns:Publish',
                        Resource: '*',
                      },
                    ],
                  },
                },
              },
            },
          },
          null,
          2,
        ) + '\n',
    },
    {
      name: 'Terraform JSON: a policy string restricted by aws:SourceArn',
      file: 'main.tf.json',
      code: tf(
        'aws_sqs_queue_policy',
        'policy',
        {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: '*',
              Action: 'sqs:SendMessage',
              Resource: '${aws_sqs_queue.q.arn}',
              Condition: { ArnEquals: { 'aws:SourceArn': '${aws_sns_topic.t.arn}' } },
            },
          ],
        },
        { queue_url: '${aws_sqs_queue.q.id}' },
      ),
    },
    {
      name: 'plan: restricted by aws:SourceAccount',
      file: 'plan.json',
      code: plan('aws_s3_bucket_policy', {
        Version: '2012-10-17',
        Statement: [{ ...publicRead, Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } } }],
      }),
    },
  ],
  invalid: [
    {
      name: 'standalone: Principal "*" with no condition',
      file: 'policy.json',
      code: policy([publicRead]),
      errors: [
        {
          text: '"*"',
          line: 6,
          message:
            'Statement 1 allows everyone (Principal "*") to s3:GetObject: anyone (any AWS account, and anonymous callers where the service allows them) can use it. It has no condition on the caller or network, and no Deny in the policy confines it. Restrict it with a condition on aws:PrincipalOrgID, aws:PrincipalAccount, aws:SourceVpce or aws:SourceArn, or name the principals.',
          fixes: [
            {
              title:
                'Allow only principals of your organization (aws:PrincipalOrgID, replace the placeholder o-xxxxxxxxxx)',
              output: lines(
                '{',
                '  "Version": "2012-10-17",',
                '  "Statement": [',
                '    {',
                '      "Effect": "Allow",',
                '      "Principal": "*",',
                '      "Action": "s3:GetObject",',
                '      "Resource": "arn:aws:s3:::example/*",',
                '      "Condition": { "StringEquals": { "aws:PrincipalOrgID": "o-xxxxxxxxxx" } }',
                '    }',
                '  ]',
                '}',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'standalone: aws:SourceVpce under ForAllValues: does not restrict',
      file: 'policy.json',
      code: policy([
        { ...publicRead, Condition: { 'ForAllValues:StringEquals': { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } },
      ]),
      errors: [
        {
          text: '"*"',
          line: 6,
          message:
            /Its conditions do not restrict the caller: ForAllValues: also matches requests that have no aws:SourceVpce\./,
          fixes: [
            {
              title:
                'Allow only principals of your organization (aws:PrincipalOrgID, replace the placeholder o-xxxxxxxxxx)',
              output: lines(
                '{',
                '  "Version": "2012-10-17",',
                '  "Statement": [',
                '    {',
                '      "Effect": "Allow",',
                '      "Principal": "*",',
                '      "Action": "s3:GetObject",',
                '      "Resource": "arn:aws:s3:::example/*",',
                '      "Condition": {',
                '        "ForAllValues:StringEquals": {',
                '          "aws:SourceVpce": "vpce-1a2b3c4d"',
                '        },',
                '        "StringEquals": { "aws:PrincipalOrgID": "o-xxxxxxxxxx" }',
                '      }',
                '    }',
                '  ]',
                '}',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'standalone: every statement is checked; "*" in an AWS list; IfExists and wildcards do not restrict',
      file: 'policy.json',
      code: policy([
        { ...publicRead, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } },
        {
          Sid: 'Write',
          Effect: 'Allow',
          Principal: { AWS: ['arn:aws:iam::111122223333:root', '*'] },
          Action: ['s3:PutObject', 's3:DeleteObject', 's3:PutObjectAcl', 's3:GetObject'],
          Resource: 'arn:aws:s3:::example/*',
          Condition: {
            StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-1a2b3c4d' },
            StringLike: { 'aws:PrincipalArn': '*' },
          },
        },
      ]),
      errors: [
        {
          text: '"*"',
          line: 21,
          message:
            'Statement "Write" allows everyone (Principal "*") to s3:PutObject, s3:DeleteObject, s3:PutObjectAcl and 1 more: anyone (any AWS account, and anonymous callers where the service allows them) can use it. Its conditions do not restrict the caller: StringEqualsIfExists also matches requests that have no aws:SourceVpce; "*" matches any aws:PrincipalArn. Restrict it with a condition on aws:PrincipalOrgID, aws:PrincipalAccount, aws:SourceVpce or aws:SourceArn, or name the principals.',
          fixes: [
            {
              title:
                'Allow only principals of your organization (aws:PrincipalOrgID, replace the placeholder o-xxxxxxxxxx)',
              output: policy([
                { ...publicRead, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } },
                {
                  Sid: 'Write',
                  Effect: 'Allow',
                  Principal: { AWS: ['arn:aws:iam::111122223333:root', '*'] },
                  Action: ['s3:PutObject', 's3:DeleteObject', 's3:PutObjectAcl', 's3:GetObject'],
                  Resource: 'arn:aws:s3:::example/*',
                  Condition: {
                    StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-1a2b3c4d' },
                    StringLike: { 'aws:PrincipalArn': '*' },
                  },
                },
              ]).replace(
                '"aws:PrincipalArn": "*"\n        }',
                '"aws:PrincipalArn": "*"\n        },\n        "StringEquals": { "aws:PrincipalOrgID": "o-xxxxxxxxxx" }',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'CloudFormation YAML: a public-read bucket policy',
      file: 'template.yaml',
      code: lines(
        "AWSTemplateFormatVersion: '2010-09-09'",
        'Resources:',
        '  SiteBucketPolicy:',
        '    Type: AWS::S3::BucketPolicy',
        '    Properties:',
        '      Bucket: !Ref SiteBucket',
        '      PolicyDocument:',
        "        Version: '2012-10-17'",
        '        Statement:',
        '          - Sid: PublicRead',
        '            Effect: Allow',
        "            Principal: '*'",
        '            Action: s3:GetObject',
        "            Resource: !Sub '${SiteBucket.Arn}/*'",
        '  SiteBucket:',
        '    Type: AWS::S3::Bucket',
      ),
      errors: [
        {
          text: "'*'",
          line: 12,
          message: /^Statement "PublicRead" allows everyone \(Principal "\*"\) to s3:GetObject/,
          fixes: [
            {
              title:
                'Allow only principals of your organization (aws:PrincipalOrgID = new parameter OrganizationId)',
              output: lines(
                "AWSTemplateFormatVersion: '2010-09-09'",
                'Parameters:',
                '  OrganizationId:',
                '    Type: String',
                '    Description: AWS Organizations id (o-...) whose principals may use this resource.',
                "    AllowedPattern: '^o-[a-z0-9]{10,32}$'",
                'Resources:',
                '  SiteBucketPolicy:',
                '    Type: AWS::S3::BucketPolicy',
                '    Properties:',
                '      Bucket: !Ref SiteBucket',
                '      PolicyDocument:',
                "        Version: '2012-10-17'",
                '        Statement:',
                '          - Sid: PublicRead',
                '            Effect: Allow',
                "            Principal: '*'",
                '            Action: s3:GetObject',
                "            Resource: !Sub '${SiteBucket.Arn}/*'",
                '            Condition:',
                '              StringEquals:',
                '                aws:PrincipalOrgID: !Ref OrganizationId',
                '  SiteBucket:',
                '    Type: AWS::S3::Bucket',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'CloudFormation JSON: {"AWS": "*"} with a negated condition',
      file: 'template.json',
      code: lines(
        '{',
        '  "Resources": {',
        '    "QueuePolicy": {',
        '      "Type": "AWS::SQS::QueuePolicy",',
        '      "Properties": {',
        '        "Queues": ["q"],',
        '        "PolicyDocument": {',
        '          "Version": "2012-10-17",',
        '          "Statement": [',
        '            {',
        '              "Effect": "Allow",',
        '              "Principal": { "AWS": "*" },',
        '              "Action": "sqs:SendMessage",',
        '              "Resource": "*",',
        '              "Condition": { "StringNotEquals": { "aws:SourceVpce": "vpce-1a2b3c4d" } }',
        '            }',
        '          ]',
        '        }',
        '      }',
        '    }',
        '  }',
        '}',
      ),
      errors: [
        {
          text: '"*"',
          line: 12,
          message:
            /Its conditions do not restrict the caller: StringNotEquals on aws:SourceVpce matches every request whose aws:SourceVpce is not listed, including requests without it\./,
          fixes: [
            {
              title:
                'Allow only principals of your organization (aws:PrincipalOrgID = new parameter OrganizationId)',
              output: lines(
                '{',
                '  "Parameters": {',
                '    "OrganizationId": {',
                '      "Type": "String",',
                '      "Description": "AWS Organizations id (o-...) whose principals may use this resource.",',
                '      "AllowedPattern": "^o-[a-z0-9]{10,32}$"',
                '    }',
                '  },',
                '  "Resources": {',
                '    "QueuePolicy": {',
                '      "Type": "AWS::SQS::QueuePolicy",',
                '      "Properties": {',
                '        "Queues": ["q"],',
                '        "PolicyDocument": {',
                '          "Version": "2012-10-17",',
                '          "Statement": [',
                '            {',
                '              "Effect": "Allow",',
                '              "Principal": { "AWS": "*" },',
                '              "Action": "sqs:SendMessage",',
                '              "Resource": "*",',
                '              "Condition": { "StringNotEquals": { "aws:SourceVpce": "vpce-1a2b3c4d" }, "StringEquals": { "aws:PrincipalOrgID": { "Ref": "OrganizationId" } } }',
                '            }',
                '          ]',
                '        }',
                '      }',
                '    }',
                '  }',
                '}',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'Terraform JSON: a public bucket policy string, fixed inside the string',
      file: 'main.tf.json',
      code: tf(
        'aws_s3_bucket_policy',
        'policy',
        { Version: '2012-10-17', Statement: [{ ...publicRead, Resource: '${aws_s3_bucket.site.arn}/*' }] },
        { bucket: '${aws_s3_bucket.site.id}' },
      ),
      errors: [
        {
          text: '\\"*\\"',
          line: 6,
          fixes: [
            {
              title:
                'Allow only principals of your organization (aws:PrincipalOrgID = new variable organization_id)',
              output:
                JSON.stringify(
                  {
                    variable: {
                      organization_id: {
                        type: 'string',
                        description: 'AWS Organizations id (o-...) whose principals may use this resource.',
                      },
                    },
                    resource: {
                      aws_s3_bucket_policy: {
                        this: {
                          bucket: '${aws_s3_bucket.site.id}',
                          policy: JSON.stringify({
                            Version: '2012-10-17',
                            Statement: [
                              {
                                ...publicRead,
                                Resource: '${aws_s3_bucket.site.arn}/*',
                                Condition: {
                                  StringEquals: { 'aws:PrincipalOrgID': '${var.organization_id}' },
                                },
                              },
                            ],
                          }),
                        },
                      },
                    },
                  },
                  null,
                  2,
                ) + '\n',
            },
          ],
        },
      ],
    },
    {
      name: 'Terraform JSON: a trust policy any account can assume',
      file: 'main.tf.json',
      code: tf('aws_iam_role', 'assume_role_policy', {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }],
      }),
      errors: [
        {
          text: '\\"*\\"',
          line: 5,
          message:
            /^Statement 1 allows everyone \(Principal "\*"\) to sts:AssumeRole: any AWS account can assume this role\./,
          fixes: [
            {
              title:
                'Allow only principals of your organization (aws:PrincipalOrgID = new variable organization_id)',
              output:
                JSON.stringify(
                  {
                    variable: {
                      organization_id: {
                        type: 'string',
                        description: 'AWS Organizations id (o-...) whose principals may use this resource.',
                      },
                    },
                    resource: {
                      aws_iam_role: {
                        this: {
                          assume_role_policy: JSON.stringify({
                            Version: '2012-10-17',
                            Statement: [
                              {
                                Effect: 'Allow',
                                Principal: { AWS: '*' },
                                Action: 'sts:AssumeRole',
                                Condition: {
                                  StringEquals: { 'aws:PrincipalOrgID': '${var.organization_id}' },
                                },
                              },
                            ],
                          }),
                        },
                      },
                    },
                  },
                  null,
                  2,
                ) + '\n',
            },
          ],
        },
      ],
    },
    {
      name: 'plan: reported inside the string, never fixed',
      file: 'plan.json',
      code: plan('aws_s3_bucket_policy', { Version: '2012-10-17', Statement: [publicRead] }),
      errors: [{ text: '\\"*\\"', line: 12, fixes: [] }],
    },
  ],
});

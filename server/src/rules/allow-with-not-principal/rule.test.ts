import { lines, ruleTester } from '../../testing/ruleTester';
import { allowWithNotPrincipal } from './rule';

const policy = (statements: object[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2) + '\n';

const tf = (type: string, attribute: string, value: object): string =>
  JSON.stringify({ resource: { [type]: { this: { [attribute]: JSON.stringify(value) } } } }, null, 2) + '\n';

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

const notMallory = {
  Effect: 'Allow',
  NotPrincipal: { AWS: 'arn:aws:iam::111122223333:user/mallory' },
  Action: 's3:GetObject',
  Resource: 'arn:aws:s3:::example/*',
};

ruleTester(allowWithNotPrincipal, {
  valid: [
    {
      name: 'standalone: Allow with NotPrincipal restricted to the organization',
      file: 'policy.json',
      code: policy([
        {
          Effect: 'Allow',
          NotPrincipal: { AWS: 'arn:aws:iam::111122223333:role/contractor' },
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::example-reports/*',
          Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
        },
      ]),
    },
    {
      name: 'CFN YAML: Allow with NotPrincipal in a key policy restricted by kms:CallerAccount',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Key:',
        '    Type: AWS::KMS::Key',
        '    Properties:',
        '      KeyPolicy:',
        "        Version: '2012-10-17'",
        '        Statement:',
        '          - Effect: Allow',
        '            NotPrincipal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:role/batch"}',
        '            Action: kms:Decrypt',
        "            Resource: '*'",
        '            Condition:',
        '              StringEquals: {kms:CallerAccount: !Ref AWS::AccountId}',
      ),
    },
    {
      name: 'Deny with NotPrincipal',
      file: 'policy.json',
      code: policy([{ ...notMallory, Effect: 'Deny' }]),
    },
    {
      name: 'CloudFormation YAML: Allow with Principal',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  BucketPolicy:',
        '    Type: AWS::S3::BucketPolicy',
        '    Properties:',
        '      Bucket: example',
        '      PolicyDocument:',
        "        Version: '2012-10-17'",
        '        Statement:',
        '          - Effect: Allow',
        "            Principal: { AWS: 'arn:aws:iam::111122223333:role/reader' }",
        '            Action: s3:GetObject',
        "            Resource: 'arn:aws:s3:::example/*'",
      ),
    },
    {
      name: 'CloudFormation JSON: Deny with NotPrincipal',
      file: 'template.json',
      code:
        JSON.stringify(
          {
            Resources: {
              BucketPolicy: {
                Type: 'AWS::S3::BucketPolicy',
                Properties: {
                  Bucket: 'example',
                  PolicyDocument: { Version: '2012-10-17', Statement: [{ ...notMallory, Effect: 'Deny' }] },
                },
              },
            },
          },
          null,
          2,
        ) + '\n',
    },
    {
      name: 'Terraform JSON: Deny with NotPrincipal',
      file: 'main.tf.json',
      code: tf('aws_s3_bucket_policy', 'policy', {
        Version: '2012-10-17',
        Statement: [{ ...notMallory, Effect: 'Deny' }],
      }),
    },
    {
      name: 'plan: Deny with NotPrincipal',
      file: 'plan.json',
      code: plan('aws_s3_bucket_policy', {
        Version: '2012-10-17',
        Statement: [{ ...notMallory, Effect: 'Deny' }],
      }),
    },
  ],
  invalid: [
    {
      name: 'standalone',
      file: 'policy.json',
      code: policy([notMallory]),
      errors: [
        {
          text: '"NotPrincipal"',
          line: 6,
          message:
            'Statement 1 uses Allow with NotPrincipal: it grants access to every principal except the ones listed, including other accounts and anonymous callers. Name who is allowed in Principal instead.',
          fixes: [],
        },
      ],
    },
    {
      name: 'CloudFormation YAML',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Topic:',
        '    Type: AWS::SNS::TopicPolicy',
        '    Properties:',
        '      Topics: [arn:aws:sns:us-east-1:111122223333:t]',
        '      PolicyDocument:',
        "        Version: '2012-10-17'",
        '        Statement:',
        '          - Sid: EveryoneButMallory',
        '            Effect: Allow',
        "            NotPrincipal: { AWS: 'arn:aws:iam::111122223333:user/mallory' }",
        '            Action: sns:Publish',
        "            Resource: '*'",
      ),
      errors: [
        {
          text: 'NotPrincipal',
          line: 11,
          message: /^Statement "EveryoneButMallory" uses Allow with NotPrincipal/,
          fixes: [],
        },
      ],
    },
    {
      name: 'CloudFormation JSON',
      file: 'template.json',
      code:
        JSON.stringify(
          {
            Resources: {
              BucketPolicy: {
                Type: 'AWS::S3::BucketPolicy',
                Properties: {
                  Bucket: 'example',
                  PolicyDocument: { Version: '2012-10-17', Statement: [notMallory] },
                },
              },
            },
          },
          null,
          2,
        ) + '\n',
      errors: [{ text: '"NotPrincipal"', line: 12, fixes: [] }],
    },
    {
      name: 'Terraform JSON: inside the policy string',
      file: 'main.tf.json',
      code: tf('aws_s3_bucket_policy', 'policy', { Version: '2012-10-17', Statement: [notMallory] }),
      errors: [{ text: '\\"NotPrincipal\\"', line: 5, fixes: [] }],
    },
    {
      name: 'plan',
      file: 'plan.json',
      code: plan('aws_s3_bucket_policy', { Version: '2012-10-17', Statement: [notMallory] }),
      errors: [{ text: '\\"NotPrincipal\\"', line: 12, fixes: [] }],
    },
  ],
});

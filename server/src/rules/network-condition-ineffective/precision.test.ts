// Precision (issue 14): conditions evaluated as IAM does. Set operators are reported only where
// they loosen the statement, Deny-unless-endpoint statements only where AWS services are locked
// out, and every finding names its statement.

import { lines, ruleTester } from '../../testing/ruleTester';
import { networkConditionIneffective } from './rule';

const json = (value: object): string => JSON.stringify(value, null, 2) + '\n';

const tf = (type: string, attribute: string, value: object, extra: object = {}): string =>
  json({ resource: { [type]: { this: { ...extra, [attribute]: JSON.stringify(value) } } } });

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

const read = { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::example/*' };

const forAnyValueDeny = (operator: string): object => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'OnlyThroughEndpoint',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: 'arn:aws:s3:::example/*',
      Condition: {
        [operator]: { 'aws:SourceVpce': 'vpce-1a2b3c4d' },
        BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
      },
    },
  ],
});

ruleTester(networkConditionIneffective, {
  valid: [
    {
      name: 'CFN YAML: a private API denies what does not come through the endpoint, without a service exception',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Api:',
        '    Type: AWS::ApiGateway::RestApi',
        '    Properties:',
        '      Name: orders',
        '      EndpointConfiguration: {Types: [PRIVATE]}',
        '      Policy:',
        "        Version: '2012-10-17'",
        '        Statement:',
        '          - Effect: Allow',
        "            Principal: '*'",
        '            Action: execute-api:Invoke',
        '            Resource: execute-api:/*',
        '          - Effect: Deny',
        "            Principal: '*'",
        '            Action: execute-api:Invoke',
        '            Resource: execute-api:/*',
        '            Condition:',
        '              StringNotEquals:',
        '                aws:SourceVpce: vpce-0a1b2c3d4e5f67890',
      ),
    },
    {
      name: 'CFN JSON: a Deny with StringNotEqualsIfExists does not deny requests without the key (AWS services)',
      file: 'template.json',
      code: json({
        Resources: {
          Policy: {
            Type: 'AWS::S3::BucketPolicy',
            Properties: {
              Bucket: 'example',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Deny',
                    Principal: '*',
                    Action: 's3:*',
                    Resource: 'arn:aws:s3:::example/*',
                    Condition: { StringNotEqualsIfExists: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
                  },
                ],
              },
            },
          },
        },
      }),
    },
    {
      name: 'TF JSON: ForAnyValue: on a single-valued key in an Allow means the plain operator',
      file: 'main.tf.json',
      code: tf('aws_s3_bucket_policy', 'policy', {
        Version: '2012-10-17',
        Statement: [
          { ...read, Condition: { 'ForAnyValue:StringEquals': { 'aws:PrincipalAccount': '111122223333' } } },
        ],
      }),
    },
    {
      name: 'plan: ForAllValues: in a Deny only widens the Deny',
      file: 'plan.json',
      code: plan('aws_s3_bucket_policy', {
        Version: '2012-10-17',
        Statement: [
          {
            ...read,
            Effect: 'Deny',
            Condition: { 'ForAllValues:StringEquals': { 'aws:PrincipalAccount': '444455556666' } },
          },
        ],
      }),
    },
    {
      name: 'standalone: a Deny-unless-endpoint with an aws:CalledVia exception, and public aws:SourceIp ranges',
      file: 'policy.json',
      code: json({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: 'arn:aws:s3:::example/*',
            Condition: {
              StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' },
              'ForAllValues:StringNotEquals': { 'aws:CalledVia': ['athena.amazonaws.com'] },
            },
          },
          { ...read, Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32'] } } },
        ],
      }),
    },
  ],
  invalid: [
    {
      name: 'standalone: ForAnyValue:StringNotEquals in a Deny does not deny requests without the key',
      file: 'policy.json',
      code: json(forAnyValueDeny('ForAnyValue:StringNotEquals')),
      errors: [
        {
          text: '"ForAnyValue:StringNotEquals"',
          line: 11,
          message:
            'Statement "OnlyThroughEndpoint": ForAnyValue:StringNotEquals on aws:SourceVpce, which has a single value per request: ForAnyValue: is false when the request has no aws:SourceVpce at all (every request that does not come through a VPC endpoint), so the Deny does not apply to those requests. Use StringNotEquals.',
          fixes: [
            {
              title: 'Change ForAnyValue:StringNotEquals to StringNotEquals',
              output: json(forAnyValueDeny('StringNotEquals')),
            },
          ],
        },
      ],
    },
    {
      name: 'plan: the same inside a policy string, never fixed',
      file: 'plan.json',
      code: plan('aws_s3_bucket_policy', forAnyValueDeny('ForAnyValue:StringNotEquals')),
      errors: [
        {
          text: '\\"ForAnyValue:StringNotEquals\\"',
          line: 12,
          message: /^Statement "OnlyThroughEndpoint": ForAnyValue:StringNotEquals on aws:SourceVpce/,
          fixes: [],
        },
      ],
    },
  ],
});

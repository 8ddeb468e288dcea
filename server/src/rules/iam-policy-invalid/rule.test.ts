import { lines, ruleTester } from '../../testing/ruleTester';
import { iamPolicyInvalid } from './rule';

/** A standalone policy file. */
const policy = (statements: object[], extra: object = {}): string =>
  JSON.stringify({ Version: '2012-10-17', ...extra, Statement: statements }, null, 2) + '\n';

/** Terraform JSON with a policy as a JSON string. */
const tf = (type: string, attribute: string, value: object, extra: object = {}): string =>
  JSON.stringify(
    { resource: { [type]: { this: { ...extra, [attribute]: JSON.stringify(value) } } } },
    null,
    2,
  ) + '\n';

/** A plan with a policy string in planned values. */
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

const read = { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::example/*' };

ruleTester(iamPolicyInvalid, {
  valid: [
    {
      name: 'a well-formed policy with wildcards, conditions and every principal form',
      file: 'policy.json',
      code: policy([
        {
          Sid: 'Read',
          Effect: 'Allow',
          Principal: {
            AWS: [
              'arn:aws:iam::111122223333:root',
              '444455556666',
              'arn:aws:sts::111122223333:assumed-role/r/s',
            ],
            Service: 'lambda.amazonaws.com',
          },
          Action: ['s3:GetObject', 's3:Get*', 'S3:listbucket', 'ec2:Describe*', '*'],
          Resource: ['arn:aws:s3:::example', 'arn:aws:s3:::example/${aws:username}/*', '*'],
          Condition: {
            StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d', 'aws:PrincipalTag/team': 'web' },
            IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32'] },
            Bool: { 'aws:SecureTransport': 'true' },
            NumericLessThan: { 's3:max-keys': '10' },
            'ForAnyValue:StringLike': { 'aws:CalledVia': 'athena.*' },
            Null: { 'aws:SourceVpc': 'false' },
            StringEqualsIfExists: { 's3:x-amz-acl': 'private' },
          },
        },
      ]),
    },
    {
      name: 'an Allow statement without Resource in a standalone file of unknown kind',
      file: 'policy.json',
      code: policy([{ Effect: 'Deny', NotAction: 'iam:*', NotResource: '*' }]),
    },
    {
      name: 'CloudFormation values through intrinsics are not guessed',
      file: 'template.yaml',
      code: lines(
        'Parameters:',
        '  BucketArn:',
        '    Type: String',
        'Resources:',
        '  Policy:',
        '    Type: AWS::IAM::ManagedPolicy',
        '    Properties:',
        '      PolicyDocument:',
        "        Version: '2012-10-17'",
        '        Statement:',
        '          - Effect: Allow',
        '            Action: !Split [",", "s3:GetObject,s3:PutObject"]',
        '            Resource:',
        '              - !Ref BucketArn',
        '              - !Sub "${BucketArn}/*"',
        '              - !GetAtt Bucket.Arn',
      ),
    },
    {
      name: 'CloudFormation JSON bucket policy',
      file: 'template.json',
      code:
        JSON.stringify(
          {
            Resources: {
              BucketPolicy: {
                Type: 'AWS::S3::BucketPolicy',
                Properties: {
                  Bucket: 'b',
                  PolicyDocument: {
                    Version: '2012-10-17',
                    Statement: [{ ...read, Principal: { AWS: 'arn:aws:iam::111122223333:root' } }],
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
      name: 'Terraform policy string with interpolation and policy variables',
      file: 'main.tf.json',
      code: tf('aws_iam_policy', 'policy', {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['s3:GetObject', '${var.extra_action}'],
            Resource: ['${aws_s3_bucket.b.arn}/$${aws:username}/*'],
          },
        ],
      }),
    },
    {
      name: 'Terraform data source reference is not a policy string',
      file: 'main.tf.json',
      code:
        JSON.stringify(
          { resource: { aws_iam_policy: { p: { policy: '${data.aws_iam_policy_document.x.json}' } } } },
          null,
          2,
        ) + '\n',
    },
    {
      name: 'plan',
      file: 'plan.json',
      code: plan('aws_iam_policy', { Version: '2012-10-17', Statement: [read] }),
    },
    {
      name: 'Version 2008-10-17 without policy variables behaves like 2012-10-17',
      file: 'policy.json',
      code: JSON.stringify({ Version: '2008-10-17', Statement: [read] }, null, 2) + '\n',
    },
  ],
  invalid: [
    {
      name: 'a misspelt action gets the nearest real one',
      file: 'policy.json',
      code: policy([{ ...read, Action: 's3:GetObjekt' }]),
      errors: [
        {
          text: '"s3:GetObjekt"',
          line: 6,
          message:
            'Unknown action "s3:GetObjekt": Amazon S3 has no action "GetObjekt". Did you mean "s3:GetObject"? IAM accepts it, but the statement grants or denies nothing through it (bundled IAM catalogue of 2026-09-26).',
          severity: 'warning',
          fixes: [{ title: 'Change to s3:GetObject', output: policy([read]) }],
        },
      ],
    },
    {
      name: 'unknown service, wildcard matching nothing, malformed action, malformed resources',
      file: 'policy.json',
      code: policy([
        {
          Effect: 'Allow',
          Action: ['s4:GetObject', 's3:Gte*', 's3GetObject', 'ec2:*'],
          Resource: ['example-bucket', 'arn:aws:s3'],
        },
      ]),
      errors: [
        {
          text: '"s4:GetObject"',
          line: 7,
          message: /^Unknown service prefix "s4" in action "s4:GetObject": did you mean "s3"\?/,
          fixes: [
            {
              title: 'Change to s3:GetObject',
              output: policy([
                {
                  Effect: 'Allow',
                  Action: ['s3:GetObject', 's3:Gte*', 's3GetObject', 'ec2:*'],
                  Resource: ['example-bucket', 'arn:aws:s3'],
                },
              ]),
            },
          ],
        },
        { text: '"s3:Gte*"', line: 8, message: /^Action "s3:Gte\*" matches no Amazon S3 action/, fixes: [] },
        { text: '"s3GetObject"', line: 9, message: /is malformed: write "service:ActionName"/, fixes: [] },
        { text: '"example-bucket"', line: 13, message: /is not an ARN/, fixes: [] },
        { text: '"arn:aws:s3"', line: 14, message: /^Malformed ARN "arn:aws:s3"/, fixes: [] },
      ],
    },
    {
      name: 'unknown and misspelt elements, Effect, both Action and NotAction',
      file: 'policy.json',
      code: policy([{ Effect: 'allow', Action: 's3:GetObject', NotAction: 's3:PutObject', Resorce: '*' }], {
        Idd: 'x',
      }),
      errors: [
        {
          text: '"Idd"',
          line: 3,
          message:
            'Unknown policy element "Idd": did you mean "Id"? IAM rejects the policy (element names are case-sensitive).',
          fixes: [
            {
              title: 'Rename Idd to Id',
              output: policy(
                [{ Effect: 'allow', Action: 's3:GetObject', NotAction: 's3:PutObject', Resorce: '*' }],
                { Id: 'x' },
              ),
            },
          ],
        },
        {
          text: '"allow"',
          line: 6,
          fixes: [
            {
              title: 'Change Effect to Allow',
              output: policy(
                [{ Effect: 'Allow', Action: 's3:GetObject', NotAction: 's3:PutObject', Resorce: '*' }],
                { Idd: 'x' },
              ),
            },
          ],
        },
        { text: '"NotAction"', line: 8, message: /cannot have both Action and NotAction/, fixes: [] },
        {
          text: '"Resorce"',
          line: 9,
          message: /^Unknown statement element "Resorce": did you mean "Resource"\?/,
          fixes: [
            {
              title: 'Rename Resorce to Resource',
              output: policy(
                [{ Effect: 'allow', Action: 's3:GetObject', NotAction: 's3:PutObject', Resource: '*' }],
                { Idd: 'x' },
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'conditions: unknown operator, type mismatch, unknown global key, bad address',
      file: 'policy.json',
      code: policy([
        {
          ...read,
          Condition: {
            StringLkie: { 'aws:PrincipalOrgID': 'o-abc' },
            StringEquals: { 'aws:SourceIp': '203.0.113.0/24' },
            NumericLessThan: { 'aws:SourceArn': '1' },
            Bool: { 'aws:SecureTransprt': 'false' },
            IpAddress: { 'aws:SourceIp': 'my-office' },
          },
        },
      ]),
      errors: [
        {
          text: '"StringLkie"',
          line: 9,
          message:
            'Unknown condition operator "StringLkie": did you mean "StringLike"? IAM rejects the policy.',
          fixes: [
            {
              title: 'Change operator to StringLike',
              output: policy([
                {
                  ...read,
                  Condition: {
                    StringLike: { 'aws:PrincipalOrgID': 'o-abc' },
                    StringEquals: { 'aws:SourceIp': '203.0.113.0/24' },
                    NumericLessThan: { 'aws:SourceArn': '1' },
                    Bool: { 'aws:SecureTransprt': 'false' },
                    IpAddress: { 'aws:SourceIp': 'my-office' },
                  },
                },
              ]),
            },
          ],
        },
        {
          text: '"aws:SourceArn"',
          line: 16,
          message: /^NumericLessThan cannot compare aws:SourceArn, which is of type ARN/,
          fixes: [],
        },
        {
          text: '"aws:SecureTransprt"',
          line: 19,
          message: /^Unknown global condition key "aws:SecureTransprt": did you mean "aws:SecureTransport"\?/,
          fixes: [
            {
              title: 'Change key to aws:SecureTransport',
              output: policy([
                {
                  ...read,
                  Condition: {
                    StringLkie: { 'aws:PrincipalOrgID': 'o-abc' },
                    StringEquals: { 'aws:SourceIp': '203.0.113.0/24' },
                    NumericLessThan: { 'aws:SourceArn': '1' },
                    Bool: { 'aws:SecureTransport': 'false' },
                    IpAddress: { 'aws:SourceIp': 'my-office' },
                  },
                },
              ]),
            },
          ],
        },
        {
          text: '"my-office"',
          line: 22,
          message: /^"my-office" is not an IP address or CIDR range/,
          fixes: [],
        },
      ],
    },
    {
      name: 'legacy Version with policy variables: they are taken literally',
      file: 'policy.json',
      code:
        JSON.stringify(
          { Version: '2008-10-17', Statement: [{ ...read, Resource: 'arn:aws:s3:::b/${aws:username}' }] },
          null,
          2,
        ) + '\n',
      errors: [
        {
          text: '"2008-10-17"',
          line: 2,
          severity: 'error',
          message:
            'Version 2008-10-17 takes policy variables such as ${aws:username} literally: they match only the text "${...}". Use 2012-10-17.',
          fixes: [
            {
              title: 'Change Version to 2012-10-17',
              output:
                JSON.stringify(
                  {
                    Version: '2012-10-17',
                    Statement: [{ ...read, Resource: 'arn:aws:s3:::b/${aws:username}' }],
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
      name: 'CloudFormation YAML: missing Version, misspelt actions, Principal in an identity policy',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  ReadPolicy:',
        '    Type: AWS::IAM::ManagedPolicy',
        '    Properties:',
        '      PolicyDocument:',
        '        Statement:',
        '          - Effect: Allow',
        "            Principal: '*'",
        '            Action:',
        '              - s3:GetObjekt',
        "              - 's3:ListBuckett'",
        '            Resource: arn:aws:s3:::example/*',
      ),
      errors: [
        {
          text: 'Principal',
          line: 8,
          message: /^An identity-based policy .* cannot name a Principal/,
          fixes: [],
        },
        {
          text: 's3:GetObjekt',
          line: 10,
          fixes: [
            {
              title: 'Change to s3:GetObject',
              output: lines(
                'Resources:',
                '  ReadPolicy:',
                '    Type: AWS::IAM::ManagedPolicy',
                '    Properties:',
                '      PolicyDocument:',
                '        Statement:',
                '          - Effect: Allow',
                "            Principal: '*'",
                '            Action:',
                '              - s3:GetObject',
                "              - 's3:ListBuckett'",
                '            Resource: arn:aws:s3:::example/*',
              ),
            },
          ],
        },
        {
          text: "'s3:ListBuckett'",
          line: 11,
          fixes: [
            {
              title: 'Change to s3:ListBucket',
              output: lines(
                'Resources:',
                '  ReadPolicy:',
                '    Type: AWS::IAM::ManagedPolicy',
                '    Properties:',
                '      PolicyDocument:',
                '        Statement:',
                '          - Effect: Allow',
                "            Principal: '*'",
                '            Action:',
                '              - s3:GetObjekt',
                "              - 's3:ListBucket'",
                '            Resource: arn:aws:s3:::example/*',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'CloudFormation YAML: an action from a parameter default is checked, without a fix',
      file: 'template.yaml',
      code: lines(
        'Parameters:',
        '  ExtraAction:',
        '    Type: String',
        '    Default: sqs:SendMesage',
        'Resources:',
        '  Policy:',
        '    Type: AWS::IAM::Policy',
        '    Properties:',
        '      PolicyName: p',
        '      Roles: [r]',
        '      PolicyDocument:',
        "        Version: '2012-10-17'",
        '        Statement:',
        '          - Effect: Allow',
        '            Action: [!Ref ExtraAction]',
        "            Resource: '*'",
      ),
      errors: [
        {
          text: '!Ref ExtraAction',
          line: 15,
          message:
            /^Unknown action "sqs:SendMesage" \(the default of ExtraAction\): Amazon SQS has no action "SendMesage"\. Did you mean "sqs:SendMessage"\?/,
          fixes: [],
        },
      ],
    },
    {
      name: 'CloudFormation JSON: Effect in the wrong case, a bucket policy without Principal',
      file: 'template.json',
      code:
        JSON.stringify(
          {
            Resources: {
              BucketPolicy: {
                Type: 'AWS::S3::BucketPolicy',
                Properties: {
                  Bucket: 'b',
                  PolicyDocument: { Version: '2012-10-17', Statement: [{ ...read, Effect: 'ALLOW' }] },
                },
              },
            },
          },
          null,
          2,
        ) + '\n',
      errors: [
        {
          text: '"Effect"',
          line: 11,
          message: /^A resource-based policy statement needs a Principal/,
          fixes: [],
        },
        {
          text: '"ALLOW"',
          line: 11,
          message:
            'Effect "ALLOW" is not valid: it must be exactly "Allow" or "Deny". IAM rejects the policy.',
          fixes: [
            {
              title: 'Change Effect to Allow',
              output:
                JSON.stringify(
                  {
                    Resources: {
                      BucketPolicy: {
                        Type: 'AWS::S3::BucketPolicy',
                        Properties: {
                          Bucket: 'b',
                          PolicyDocument: { Version: '2012-10-17', Statement: [read] },
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
      name: 'Terraform JSON: a misspelt action inside the policy string, fixed with escaping',
      file: 'main.tf.json',
      code: tf(
        'aws_iam_role_policy',
        'policy',
        { Version: '2012-10-17', Statement: [{ ...read, Action: ['s3:GetObjekt'] }] },
        { role: 'r' },
      ),
      errors: [
        {
          text: '\\"s3:GetObjekt\\"',
          line: 6,
          fixes: [
            {
              title: 'Change to s3:GetObject',
              output: tf(
                'aws_iam_role_policy',
                'policy',
                { Version: '2012-10-17', Statement: [{ ...read, Action: ['s3:GetObject'] }] },
                { role: 'r' },
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'Terraform JSON: a pretty-printed trust policy with a Resource and a misspelt operator',
      file: 'main.tf.json',
      code:
        JSON.stringify(
          {
            resource: {
              aws_iam_role: {
                app: {
                  assume_role_policy: JSON.stringify(
                    {
                      Version: '2012-10-17',
                      Statement: [
                        {
                          Effect: 'Allow',
                          Principal: { Service: 'ec2.amazonaws.com' },
                          Action: 'sts:AssumeRole',
                          Resource: '*',
                          Condition: { StringEqual: { 'aws:SourceAccount': '111122223333' } },
                        },
                      ],
                    },
                    null,
                    2,
                  ),
                },
              },
            },
          },
          null,
          2,
        ) + '\n',
      errors: [
        { text: '\\"Resource\\"', line: 5, message: /^A trust policy cannot have Resource/, fixes: [] },
        {
          text: '\\"StringEqual\\"',
          line: 5,
          fixes: [
            {
              title: 'Change operator to StringEquals',
              output:
                JSON.stringify(
                  {
                    resource: {
                      aws_iam_role: {
                        app: {
                          assume_role_policy: JSON.stringify(
                            {
                              Version: '2012-10-17',
                              Statement: [
                                {
                                  Effect: 'Allow',
                                  Principal: { Service: 'ec2.amazonaws.com' },
                                  Action: 'sts:AssumeRole',
                                  Resource: '*',
                                  Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
                                },
                              ],
                            },
                            null,
                            2,
                          ),
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
      name: 'Terraform JSON: a policy string that is not valid JSON',
      file: 'main.tf.json',
      code:
        JSON.stringify(
          {
            resource: {
              aws_iam_policy: {
                p: { policy: '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",}]}' },
              },
            },
          },
          null,
          2,
        ) + '\n',
      errors: [
        { text: '\\"Effect\\"', line: 5, message: /^The statement has no Action or NotAction/, fixes: [] },
        {
          text: '\\"Effect\\"',
          line: 5,
          message: /^The statement has no Resource or NotResource: IAM rejects an identity-based policy/,
          fixes: [],
        },
        {
          text: '}',
          line: 5,
          message: /^The policy in this string is not valid JSON: Property name expected\./,
          fixes: [],
        },
      ],
    },
    {
      name: 'plan: reported inside the string, never fixed',
      file: 'plan.json',
      code: plan('aws_iam_policy', {
        Version: '2012-10-17',
        Statement: [{ ...read, Action: 's3:GetObjekt' }],
      }),
      errors: [{ text: '\\"s3:GetObjekt\\"', line: 12, fixes: [] }],
    },
  ],
});

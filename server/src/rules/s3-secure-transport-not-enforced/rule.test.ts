import { describe, expect, it } from 'vitest';
import { analyze } from '../../engine/analyze';
import { IncrementalState } from '../../engine/incremental';
import { defaultSettings } from '../../engine/settings';
import { DocumentParsers, loadDocument } from '../../model/load';
import { lines, ruleTester } from '../../testing/ruleTester';
import { s3SecureTransportNotEnforced } from './rule';

/** JSON as the fix writes it: two-space indentation, continuation lines at `indent`. */
/** JSON as the fix writer lays it out: one line when short (`{ "a": 1 }`), otherwise opened level by level. */
function indented(value: unknown, indent: string): string {
  const compact = (v: unknown): string =>
    Array.isArray(v)
      ? `[${v.map(compact).join(', ')}]`
      : v !== null && typeof v === 'object'
        ? `{ ${Object.entries(v)
            .map(([k, x]) => `${JSON.stringify(k)}: ${compact(x)}`)
            .join(', ')} }`
        : JSON.stringify(v);
  const text = compact(value);
  if (text.length <= 60 || value === null || typeof value !== 'object') return text;
  const inner = `${indent}  `;
  const parts = Array.isArray(value)
    ? value.map((v) => `${inner}${indented(v, inner)}`)
    : Object.entries(value).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${indented(v, inner)}`);
  return Array.isArray(value) ? `[\n${parts.join(',\n')}\n${indent}]` : `{\n${parts.join(',\n')}\n${indent}}`;
}

const CONDITION = { Bool: { 'aws:SecureTransport': 'false' } };

const allowOnlyYaml = lines(
  'Resources:',
  '  Data:',
  '    Type: AWS::S3::Bucket',
  '  DataPolicy:',
  '    Type: AWS::S3::BucketPolicy',
  '    Properties:',
  '      Bucket: !Ref Data',
  '      PolicyDocument:',
  "        Version: '2012-10-17'",
  '        Statement:',
  '          - Effect: Allow',
  '            Principal: {AWS: arn:aws:iam::123456789012:root}',
  '            Action: s3:GetObject',
  "            Resource: !Sub '${Data.Arn}/*'",
  '            Condition:',
  "              Bool: {aws:SecureTransport: 'true'}",
);

const DENY_YAML = lines(
  '          - Sid: DenyInsecureTransport',
  '            Effect: Deny',
  "            Principal: '*'",
  "            Action: 's3:*'",
  '            Resource:',
  '              - !GetAtt Data.Arn',
  "              - !Sub '${Data.Arn}/*'",
  '            Condition:',
  '              Bool:',
  "                aws:SecureTransport: 'false'",
);

const noPolicyYaml = lines(
  'Resources:',
  '  Logs:',
  '    Type: AWS::S3::Bucket',
  '    Properties:',
  '      BucketName: example-logs',
);

const objectsOnlyYaml = lines(
  'Resources:',
  '  Data:',
  '    Type: AWS::S3::Bucket',
  '    Properties:',
  '      BucketName: example-data',
  '  DataPolicy:',
  '    Type: AWS::S3::BucketPolicy',
  '    Properties:',
  '      Bucket: example-data',
  '      PolicyDocument:',
  '        Statement:',
  '          - {Effect: Deny, Principal: "*", Action: "s3:*", Resource: "arn:aws:s3:::example-data/*", Condition: {Bool: {"aws:SecureTransport": false}}}',
);

const json = `{
  "Resources": {
    "Queue": { "Type": "AWS::SQS::Queue" },
    "QueuePolicy": {
      "Type": "AWS::SQS::QueuePolicy",
      "Properties": {
        "Queues": [{ "Ref": "Queue" }],
        "PolicyDocument": {
          "Statement": [
            {
              "Effect": "Allow",
              "Principal": { "Service": "sns.amazonaws.com" },
              "Action": "sqs:SendMessage",
              "Resource": { "Fn::GetAtt": ["Queue", "Arn"] }
            }
          ]
        }
      }
    }
  }
}
`;

const tf = `{
  "resource": {
    "aws_s3_bucket": {
      "data": { "bucket": "example-data" },
      "logs": { "bucket": "example-logs" }
    },
    "aws_s3_bucket_policy": {
      "data": {
        "bucket": "\${aws_s3_bucket.data.id}",
        "policy": "{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[{\\"Effect\\":\\"Allow\\",\\"Principal\\":{\\"AWS\\":\\"arn:aws:iam::123456789012:root\\"},\\"Action\\":\\"s3:GetObject\\",\\"Resource\\":\\"\${aws_s3_bucket.data.arn}/*\\"}]}"
      }
    }
  }
}
`;

const iam = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::123456789012:root" },
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-data/*"
    }
  ]
}
`;

const stackNameYaml = lines(
  'Resources:',
  '  LogsBucket:',
  '    Type: AWS::S3::Bucket',
  '    Properties:',
  "      BucketName: !Sub '${AWS::StackName}-logs'",
  '  LogsBucketPolicy:',
  '    Type: AWS::S3::BucketPolicy',
  '    Properties:',
  "      Bucket: !Sub '${AWS::StackName}-logs'",
  '      PolicyDocument:',
  "        Version: '2012-10-17'",
  '        Statement:',
  '          - Effect: Deny',
  "            Principal: '*'",
  "            Action: 's3:*'",
  '            Resource:',
  "              - !Sub 'arn:${AWS::Partition}:s3:::${AWS::StackName}-logs'",
  "              - !Sub 'arn:${AWS::Partition}:s3:::${AWS::StackName}-logs/*'",
  '            Condition:',
  "              Bool: {aws:SecureTransport: 'false'}",
);

const prefixYaml = lines(
  'Parameters:',
  '  BucketName: {Type: String}',
  'Resources:',
  '  Data:',
  '    Type: AWS::S3::Bucket',
  '    Properties:',
  '      BucketName: !Ref BucketName',
  '  DataPolicy:',
  '    Type: AWS::S3::BucketPolicy',
  '    Properties:',
  '      Bucket: !Ref BucketName',
  '      PolicyDocument:',
  '        Statement:',
  '          - Effect: Deny',
  "            Principal: '*'",
  "            Action: 's3:*'",
  '            Resource:',
  "              - !Sub 'arn:aws:s3:::${BucketName}'",
  "              - !Sub 'arn:aws:s3:::${BucketName}/logs/*'",
  '            Condition:',
  "              Bool: {aws:SecureTransport: 'false'}",
);

const prefixIam = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Deny",
      "Principal": "*",
      "Action": "s3:*",
      "Resource": ["arn:aws:s3:::example-data", "arn:aws:s3:::example-data/uploads/*"],
      "Condition": { "Bool": { "aws:SecureTransport": "false" } }
    }
  ]
}
`;

ruleTester(s3SecureTransportNotEnforced, {
  valid: [
    {
      name: 'CFN: canonical deny; Join; literal names with BoolIfExists; wildcard; queue with a deny',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  A:',
        '    Type: AWS::S3::Bucket',
        '  APolicy:',
        '    Type: AWS::S3::BucketPolicy',
        '    Properties:',
        '      Bucket: !Ref A',
        '      PolicyDocument:',
        '        Statement:',
        '          - Effect: Deny',
        "            Principal: '*'",
        "            Action: 's3:*'",
        "            Resource: [!GetAtt A.Arn, !Sub '${A.Arn}/*']",
        "            Condition: {Bool: {aws:SecureTransport: 'false'}}",
        '  B:',
        '    Type: AWS::S3::Bucket',
        '  BPolicy:',
        '    Type: AWS::S3::BucketPolicy',
        '    Properties:',
        '      Bucket: !Ref B',
        '      PolicyDocument:',
        '        Statement:',
        '          - Effect: Deny',
        '            Principal: {AWS: "*"}',
        '            Action: "*"',
        "            Resource: [!Join ['', ['arn:aws:s3:::', !Ref B]], !Join ['', ['arn:', !Ref 'AWS::Partition', ':s3:::', !Ref B, '/*']]]",
        "            Condition: {Bool: {aws:SecureTransport: 'false'}}",
        '  C:',
        '    Type: AWS::S3::Bucket',
        '    Properties: {BucketName: example-c}',
        '  CPolicy:',
        '    Type: AWS::S3::BucketPolicy',
        '    Properties:',
        '      Bucket: example-c',
        '      PolicyDocument:',
        '        Statement:',
        "          - {Effect: Deny, Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::example-c', Condition: {BoolIfExists: {aws:SecureTransport: false}}}",
        "          - {Effect: Deny, Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::example-c/*', Condition: {Bool: {aws:SecureTransport: false}}}",
        '  D:',
        '    Type: AWS::S3::Bucket',
        '  DPolicy:',
        '    Type: AWS::S3::BucketPolicy',
        '    Properties:',
        '      Bucket: !Ref D',
        '      PolicyDocument:',
        '        Statement:',
        "          - {Effect: Deny, Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::*', Condition: {Bool: {aws:SecureTransport: false}}}",
        '  Topic:',
        '    Type: AWS::SNS::Topic',
        '  TopicPolicy:',
        '    Type: AWS::SNS::TopicPolicy',
        '    Properties:',
        '      Topics: [!Ref Topic]',
        '      PolicyDocument:',
        '        Statement:',
        "          - {Effect: Deny, Principal: '*', Action: 'sns:Publish', Resource: !Ref Topic, Condition: {Bool: {aws:SecureTransport: false}}}",
      ),
    },
    {
      name: 'CFN: a resource that cannot be known is never a finding',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  A:',
        '    Type: AWS::S3::Bucket',
        '  APolicy:',
        '    Type: AWS::S3::BucketPolicy',
        '    Properties:',
        '      Bucket: !Ref A',
        '      PolicyDocument:',
        '        Statement:',
        "          - {Effect: Deny, Principal: '*', Action: 's3:*', Resource: !ImportValue DataArns, Condition: {Bool: {aws:SecureTransport: false}}}",
      ),
    },
    {
      name: 'TF: deny in the JSON string; a policy from a data source cannot be read',
      file: 'main.tf.json',
      code: `{"resource": {
  "aws_s3_bucket": {"a": {"bucket": "a"}, "b": {"bucket": "b"}},
  "aws_s3_bucket_policy": {
    "a": {"bucket": "\${aws_s3_bucket.a.id}", "policy": "{\\"Statement\\":[{\\"Effect\\":\\"Deny\\",\\"Principal\\":\\"*\\",\\"Action\\":\\"s3:*\\",\\"Resource\\":[\\"\${aws_s3_bucket.a.arn}\\",\\"\${aws_s3_bucket.a.arn}/*\\"],\\"Condition\\":{\\"Bool\\":{\\"aws:SecureTransport\\":\\"false\\"}}}]}"},
    "b": {"bucket": "\${aws_s3_bucket.b.id}", "policy": "\${data.aws_iam_policy_document.b.json}"}
  }
}}
`,
    },
    {
      name: 'IAM: a standalone bucket policy with the deny; an identity policy is not a bucket policy',
      file: 'bucket-policy.json',
      code: `{"Version": "2012-10-17", "Statement": [
  {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::example", "arn:aws:s3:::example/*"],
   "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
`,
    },
    {
      name: 'IAM identity policy',
      file: 'identity.json',
      code: `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example/*"}]}
`,
    },
    {
      name: 'CFN YAML: the policy names its bucket by the same !Sub expression as BucketName',
      file: 'template.yaml',
      code: stackNameYaml,
    },
    {
      name: 'CFN JSON: a !Join name shared with a parameter, and a name derived from the bucket ARN',
      file: 'template.json',
      code: `{
  "Parameters": { "Env": { "Type": "String" } },
  "Resources": {
    "Assets": {
      "Type": "AWS::S3::Bucket",
      "Properties": { "BucketName": { "Fn::Join": ["-", [{ "Ref": "AWS::AccountId" }, { "Ref": "Env" }, "assets"]] } }
    },
    "AssetsPolicy": {
      "Type": "AWS::S3::BucketPolicy",
      "Properties": {
        "Bucket": { "Fn::Join": ["-", [{ "Ref": "AWS::AccountId" }, { "Ref": "Env" }, "assets"]] },
        "PolicyDocument": {
          "Statement": [
            {
              "Effect": "Deny",
              "Principal": "*",
              "Action": "s3:*",
              "Resource": [
                { "Fn::Sub": "arn:\${AWS::Partition}:s3:::\${AWS::AccountId}-\${Env}-assets" },
                { "Fn::Sub": "arn:\${AWS::Partition}:s3:::\${AWS::AccountId}-\${Env}-assets/*" }
              ],
              "Condition": { "Bool": { "aws:SecureTransport": "false" } }
            }
          ]
        }
      }
    },
    "Logs": { "Type": "AWS::S3::Bucket" },
    "LogsPolicy": {
      "Type": "AWS::S3::BucketPolicy",
      "Properties": {
        "Bucket": { "Fn::Select": [5, { "Fn::Split": [":", { "Fn::GetAtt": ["Logs", "Arn"] }] }] },
        "PolicyDocument": {
          "Statement": [
            {
              "Effect": "Deny",
              "Principal": "*",
              "Action": "s3:*",
              "Resource": [{ "Fn::GetAtt": ["Logs", "Arn"] }, { "Fn::Sub": "\${Logs.Arn}/*" }],
              "Condition": { "Bool": { "aws:SecureTransport": "false" } }
            }
          ]
        }
      }
    }
  }
}
`,
    },
    {
      name: 'TF JSON: bucket = aws_s3_bucket.x.bucket and .id link the policy to its bucket',
      file: 'main.tf.json',
      code: `{
  "resource": {
    "aws_s3_bucket": { "logs": { "bucket": "acme-logs" }, "data": {} },
    "aws_s3_bucket_policy": {
      "logs": {
        "bucket": "\${aws_s3_bucket.logs.bucket}",
        "policy": "{\\"Statement\\": [{\\"Effect\\": \\"Deny\\", \\"Principal\\": \\"*\\", \\"Action\\": \\"s3:*\\", \\"Resource\\": [\\"\${aws_s3_bucket.logs.arn}\\", \\"\${aws_s3_bucket.logs.arn}/*\\"], \\"Condition\\": {\\"Bool\\": {\\"aws:SecureTransport\\": \\"false\\"}}}]}"
      },
      "data": {
        "bucket": "\${aws_s3_bucket.data.id}",
        "policy": "{\\"Statement\\": [{\\"Effect\\": \\"Deny\\", \\"Principal\\": \\"*\\", \\"Action\\": \\"s3:*\\", \\"Resource\\": [\\"arn:aws:s3:::\${aws_s3_bucket.data.id}\\", \\"arn:aws:s3:::\${aws_s3_bucket.data.id}/*\\"], \\"Condition\\": {\\"Bool\\": {\\"aws:SecureTransport\\": \\"false\\"}}}]}"
      }
    }
  }
}
`,
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: a deny on one prefix does not enforce TLS for the bucket (policy linked by a parameter)',
      file: 'template.yaml',
      code: prefixYaml,
      errors: [
        {
          text: 'Statement',
          line: 13,
          message:
            'The bucket policy DataPolicy denies plain HTTP only on part of the bucket (${BucketName}/logs/*), not on every object (${BucketName}/*): that does not enforce TLS for the bucket, so requests over plain HTTP to its other keys are accepted. An Allow that requires aws:SecureTransport does not block HTTP; append a Deny statement for aws:SecureTransport = false.',
          fixes: [
            {
              title: 'Append a statement denying requests over plain HTTP (aws:SecureTransport = false)',
              output: prefixYaml + DENY_YAML,
            },
          ],
        },
      ],
    },
    {
      name: 'IAM: a standalone bucket policy denying HTTP on one prefix only',
      file: 'bucket-policy.json',
      code: prefixIam,
      errors: [
        {
          text: '"Statement"',
          line: 3,
          message:
            /^This bucket policy denies plain HTTP only on part of the bucket \(example-data\/uploads\/\*\), not on every object \(example-data\/\*\): that does not enforce TLS/,
          fixes: [
            {
              title: 'Append a statement denying requests over plain HTTP (aws:SecureTransport = false)',
              output: prefixIam.replace(
                '"Condition": { "Bool": { "aws:SecureTransport": "false" } }\n    }',
                '"Condition": { "Bool": { "aws:SecureTransport": "false" } }\n    },\n    ' +
                  indented(
                    {
                      Sid: 'DenyInsecureTransport',
                      Effect: 'Deny',
                      Principal: '*',
                      Action: 's3:*',
                      Resource: ['arn:aws:s3:::example-data', 'arn:aws:s3:::example-data/*'],
                      Condition: CONDITION,
                    },
                    '    ',
                  ),
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN YAML: an Allow requiring HTTPS does not block HTTP',
      file: 'template.yaml',
      code: allowOnlyYaml,
      errors: [
        {
          text: 'Statement',
          line: 10,
          severity: 'warning',
          message:
            'The bucket policy DataPolicy has no Deny for requests with aws:SecureTransport = false covering the bucket and its objects, so requests over plain HTTP are accepted. An Allow that requires aws:SecureTransport does not block HTTP; append a Deny statement for aws:SecureTransport = false.',
          fixes: [
            {
              title: 'Append a statement denying requests over plain HTTP (aws:SecureTransport = false)',
              output: allowOnlyYaml + DENY_YAML,
            },
          ],
        },
      ],
    },
    {
      name: 'CFN YAML: a bucket without a policy gets a new BucketPolicy resource',
      file: 'template.yaml',
      code: noPolicyYaml,
      errors: [
        {
          text: 'Logs',
          line: 2,
          message:
            'Bucket Logs has no bucket policy in this template, so nothing denies requests over plain HTTP: S3 accepts HTTP unless a policy denies aws:SecureTransport = false. Add a bucket policy with that deny.',
          fixes: [
            {
              title: 'Add a bucket policy denying requests over plain HTTP (aws:SecureTransport = false)',
              output:
                noPolicyYaml +
                lines(
                  '  LogsPolicy:',
                  '    Type: AWS::S3::BucketPolicy',
                  '    Properties:',
                  '      Bucket: !Ref Logs',
                  '      PolicyDocument:',
                  "        Version: '2012-10-17'",
                  '        Statement:',
                  '          - Sid: DenyInsecureTransport',
                  '            Effect: Deny',
                  "            Principal: '*'",
                  "            Action: 's3:*'",
                  '            Resource:',
                  '              - !GetAtt Logs.Arn',
                  "              - !Sub '${Logs.Arn}/*'",
                  '            Condition:',
                  '              Bool:',
                  "                aws:SecureTransport: 'false'",
                ),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN YAML: a deny on the objects only (literal names, flow style)',
      file: 'template.yaml',
      code: objectsOnlyYaml,
      errors: [
        {
          text: 'Statement',
          line: 11,
          message:
            /^The bucket policy DataPolicy denies plain HTTP on the objects \(bucket\/\*\) but not on the bucket itself/,
          fixes: [
            {
              title: 'Append a statement denying requests over plain HTTP (aws:SecureTransport = false)',
              output:
                objectsOnlyYaml +
                lines(
                  '          - Sid: DenyInsecureTransport',
                  '            Effect: Deny',
                  "            Principal: '*'",
                  "            Action: 's3:*'",
                  '            Resource:',
                  '              - !GetAtt Data.Arn',
                  "              - !Sub '${Data.Arn}/*'",
                  '            Condition:',
                  '              Bool:',
                  "                aws:SecureTransport: 'false'",
                ),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN JSON: a queue policy without a deny',
      file: 'template.json',
      code: json,
      errors: [
        {
          text: '"Statement"',
          line: 9,
          message: /^The queue policy QueuePolicy has no Deny for requests with aws:SecureTransport = false/,
          fixes: [
            {
              title: 'Append a statement denying requests over plain HTTP (aws:SecureTransport = false)',
              output: json.replace(
                '"Resource": { "Fn::GetAtt": ["Queue", "Arn"] }\n            }',
                '"Resource": { "Fn::GetAtt": ["Queue", "Arn"] }\n            },\n            ' +
                  indented(
                    {
                      Sid: 'DenyInsecureTransport',
                      Effect: 'Deny',
                      Principal: '*',
                      Action: 'sqs:*',
                      Resource: { 'Fn::GetAtt': ['Queue', 'Arn'] },
                      Condition: CONDITION,
                    },
                    '            ',
                  ),
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'TF JSON: a policy string without the deny, a bucket without a policy',
      file: 'main.tf.json',
      code: tf,
      errors: [
        {
          text: '"logs"',
          line: 5,
          message: /^Bucket aws_s3_bucket\.logs has no bucket policy in this configuration/,
          fixes: [
            {
              title: 'Add a bucket policy denying requests over plain HTTP (aws:SecureTransport = false)',
              output: tf.replace(
                '      }\n    }\n  }\n}\n',
                '      },\n      "logs_secure_transport": {\n        "bucket": "${aws_s3_bucket.logs.id}",\n        "policy": ' +
                  JSON.stringify(
                    JSON.stringify(
                      {
                        Version: '2012-10-17',
                        Statement: [
                          {
                            Sid: 'DenyInsecureTransport',
                            Effect: 'Deny',
                            Principal: '*',
                            Action: 's3:*',
                            Resource: ['${aws_s3_bucket.logs.arn}', '${aws_s3_bucket.logs.arn}/*'],
                            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
                          },
                        ],
                      },
                      null,
                      2,
                    ),
                  ) +
                  '\n      }\n    }\n  }\n}\n',
              ),
            },
          ],
        },
        {
          text: tf.slice(tf.indexOf('"{\\"Version'), tf.indexOf('}]}"') + 4),
          line: 10,
          message: /^The bucket policy aws_s3_bucket_policy\.data has no Deny/,
          fixes: [
            {
              title: 'Append a statement denying requests over plain HTTP (aws:SecureTransport = false)',
              output: tf.replace(
                tf.slice(tf.indexOf('"{\\"Version'), tf.indexOf('}]}"') + 4),
                JSON.stringify(
                  JSON.stringify({
                    Version: '2012-10-17',
                    Statement: [
                      {
                        Effect: 'Allow',
                        Principal: { AWS: 'arn:aws:iam::123456789012:root' },
                        Action: 's3:GetObject',
                        Resource: '${aws_s3_bucket.data.arn}/*',
                      },
                      {
                        Sid: 'DenyInsecureTransport',
                        Effect: 'Deny',
                        Principal: '*',
                        Action: 's3:*',
                        Resource: ['${aws_s3_bucket.data.arn}', '${aws_s3_bucket.data.arn}/*'],
                        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
                      },
                    ],
                  }),
                ),
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'IAM: a standalone bucket policy without the deny',
      file: 'bucket-policy.json',
      code: iam,
      errors: [
        {
          text: '"Statement"',
          line: 3,
          message: /^This bucket policy has no Deny for requests with aws:SecureTransport = false/,
          fixes: [
            {
              title: 'Append a statement denying requests over plain HTTP (aws:SecureTransport = false)',
              output: iam.replace(
                '"Resource": "arn:aws:s3:::example-data/*"\n    }',
                '"Resource": "arn:aws:s3:::example-data/*"\n    },\n    ' +
                  indented(
                    {
                      Sid: 'DenyInsecureTransport',
                      Effect: 'Deny',
                      Principal: '*',
                      Action: 's3:*',
                      Resource: ['arn:aws:s3:::example-data', 'arn:aws:s3:::example-data/*'],
                      Condition: CONDITION,
                    },
                    '    ',
                  ),
              ),
            },
          ],
        },
      ],
    },
  ],
});

describe('incremental analysis', () => {
  it('keeps its findings when a resource that is neither a bucket nor a policy is edited', () => {
    const parsers = new DocumentParsers();
    const load = (text: string) => loadDocument('file:///template.yaml', text, { yamlParser: parsers.yaml })!;
    const state = new IncrementalState();
    const settings = defaultSettings();
    const rules = [s3SecureTransportNotEnforced];
    const before = lines(
      'Resources:',
      '  Data:',
      '    Type: AWS::S3::Bucket',
      '  Web:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties:',
      '      GroupDescription: web',
    );
    analyze(load(before), settings, rules, state);
    const after = analyze(
      load(before.replace('GroupDescription: web', 'GroupDescription: webx')),
      settings,
      rules,
      state,
    );
    // The rule read the bucket only: its finding is moved, not computed again.
    expect(state.lastReused).toBe(1);
    expect(after.findings.map((f) => [f.ruleId, f.start, f.end])).toEqual([
      ['s3-secure-transport-not-enforced', 13, 17],
    ]);
  });
});

import { lines, ruleTester } from '../../testing/ruleTester';
import { s3SecureTransportNotEnforced } from './rule';

// Resource `Condition:`: a bucket policy under a condition denies HTTP only where it exists.
const policy = (id: string, condition: string) =>
  lines(
    `  ${id}:`,
    '    Type: AWS::S3::BucketPolicy',
    `    Condition: ${condition}`,
    '    Properties:',
    '      Bucket: !Ref Data',
    '      PolicyDocument:',
    '        Statement:',
    '          - Effect: Deny',
    "            Principal: '*'",
    "            Action: 's3:*'",
    "            Resource: [!GetAtt Data.Arn, !Sub '${Data.Arn}/*']",
    "            Condition: {Bool: {aws:SecureTransport: 'false'}}",
  );

const HEAD = lines(
  'Parameters:',
  '  Env: {Type: String, Default: dev}',
  'Conditions:',
  '  IsProd: !Equals [!Ref Env, prod]',
  '  NotProd: !Not [!Condition IsProd]',
  'Resources:',
  '  Data:',
  '    Type: AWS::S3::Bucket',
);
const yaml = HEAD + policy('DataPolicy', 'IsProd');

const json = `{
  "Conditions": { "IsProd": { "Fn::Equals": [{ "Ref": "AWS::Region" }, "eu-west-1"] } },
  "Resources": {
    "Data": { "Type": "AWS::S3::Bucket" },
    "DataPolicy": {
      "Type": "AWS::S3::BucketPolicy",
      "Condition": "IsProd",
      "Properties": {
        "Bucket": { "Ref": "Data" },
        "PolicyDocument": {
          "Statement": [
            {
              "Effect": "Deny",
              "Principal": "*",
              "Action": "s3:*",
              "Resource": [{ "Fn::GetAtt": ["Data", "Arn"] }, { "Fn::Sub": "\${Data.Arn}/*" }],
              "Condition": { "Bool": { "aws:SecureTransport": "false" } }
            }
          ]
        }
      }
    }
  }
}
`;

const MESSAGE =
  "Bucket Data has no bucket policy when condition IsProd is false (DataPolicy exists only when it is true), so nothing then denies requests over plain HTTP: S3 accepts HTTP unless a policy denies aws:SecureTransport = false. Give the policy the bucket's condition (or none), so that it exists wherever the bucket does.";

ruleTester(s3SecureTransportNotEnforced, {
  valid: [
    {
      name: 'a bucket under the condition of its policy',
      file: 'template.yaml',
      code: yaml.replace('    Type: AWS::S3::Bucket\n', '    Type: AWS::S3::Bucket\n    Condition: IsProd\n'),
    },
    {
      name: 'policies under complementary conditions deny HTTP in every deployment',
      file: 'template.yaml',
      code: yaml + policy('DataPolicyDev', 'NotProd'),
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: a conditional deny does not cover the other branch',
      file: 'template.yaml',
      code: yaml,
      errors: [
        {
          text: 'Data',
          line: 7,
          severity: 'warning',
          message: MESSAGE,
          related: ['Condition of bucket policy DataPolicy'],
          fixes: [],
        },
      ],
    },
    {
      name: 'CFN JSON: a conditional deny',
      file: 'template.json',
      code: json,
      errors: [
        {
          text: '"Data"',
          line: 4,
          message: MESSAGE,
          related: ['Condition of bucket policy DataPolicy'],
          fixes: [],
        },
      ],
    },
  ],
});

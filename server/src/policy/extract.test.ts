import { describe, expect, it } from 'vitest';
import { Facts } from '../facts';
import { loadDocument } from '../model/load';
import { lines } from '../testing/ruleTester';
import { policies } from './extract';

function found(
  file: string,
  code: string,
): { where: string; kind: string; statements: number; text: string }[] {
  const doc = loadDocument(file, code)!;
  return policies(new Facts(doc)).map((p) => ({
    where: p.where,
    kind: p.kind,
    statements: p.statements.length,
    text: code.slice(p.node.start, p.node.start + 12),
  }));
}

const statement = { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' };

describe('policy extraction', () => {
  it('reads a standalone policy', () => {
    expect(found('policy.json', JSON.stringify({ Version: '2012-10-17', Statement: [statement] }))).toEqual([
      { where: 'policy', kind: 'unknown', statements: 1, text: '{"Version":"' },
    ]);
  });

  it('finds every policy property in CloudFormation YAML, with intrinsics and Fn::If statements', () => {
    const code = lines(
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Conditions:',
      '  Prod: !Equals [!Ref AWS::AccountId, "1"]',
      'Resources:',
      '  Role:',
      '    Type: AWS::IAM::Role',
      '    Properties:',
      '      AssumeRolePolicyDocument:',
      '        Version: "2012-10-17"',
      '        Statement:',
      '          - Effect: Allow',
      '            Principal: { Service: lambda.amazonaws.com }',
      '            Action: sts:AssumeRole',
      '      Policies:',
      '        - PolicyName: inline',
      '          PolicyDocument:',
      '            Version: "2012-10-17"',
      '            Statement:',
      '              - !If',
      '                - Prod',
      '                - Effect: Allow',
      '                  Action: s3:GetObject',
      '                  Resource: !Sub "arn:${AWS::Partition}:s3:::b/*"',
      '                - !Ref AWS::NoValue',
      '              - Effect: Deny',
      '                Action: s3:DeleteObject',
      '                Resource: "*"',
      '  Key:',
      '    Type: AWS::KMS::Key',
      '    Properties:',
      '      KeyPolicy:',
      '        Statement:',
      '          - Effect: Allow',
      '            Principal: { AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root" }',
      '            Action: kms:*',
      '            Resource: "*"',
      '  Endpoint:',
      '    Type: AWS::EC2::VPCEndpoint',
      '    Properties:',
      '      PolicyDocument: \'{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}\'',
      '  Domain:',
      '    Type: AWS::OpenSearchService::Domain',
      '    Properties:',
      '      AccessPolicies: !Sub |',
      '        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "${AWS::AccountId}"}, "Action": "es:*", "Resource": "*"}]}',
    );
    expect(found('template.yaml', code)).toEqual([
      { where: 'Role.AssumeRolePolicyDocument', kind: 'trust', statements: 1, text: 'Version: "20' },
      { where: 'Role.Policies[0].PolicyDocument', kind: 'identity', statements: 2, text: 'Version: "20' },
      { where: 'Key.KeyPolicy', kind: 'resource', statements: 1, text: 'Statement:\n ' },
      { where: 'Endpoint.PolicyDocument', kind: 'endpoint', statements: 1, text: '{"Version": ' },
      { where: 'Domain.AccessPolicies', kind: 'resource', statements: 1, text: '{"Version": ' },
    ]);
  });

  it('finds policies given as objects and as JSON strings in CloudFormation JSON', () => {
    const code = JSON.stringify(
      {
        Resources: {
          Bucket: {
            Type: 'AWS::S3::BucketPolicy',
            Properties: { Bucket: 'b', PolicyDocument: { Statement: [statement] } },
          },
          Queue: {
            Type: 'AWS::SQS::QueuePolicy',
            Properties: { Queues: ['q'], PolicyDocument: JSON.stringify({ Statement: [statement] }) },
          },
        },
      },
      null,
      2,
    );
    expect(found('template.json', code)).toEqual([
      { where: 'Bucket.PolicyDocument', kind: 'resource', statements: 1, text: '{\n          ' },
      { where: 'Queue.PolicyDocument', kind: 'resource', statements: 1, text: '{\\"Statement' },
    ]);
  });

  it('finds Terraform policy strings, inline policies and nested objects', () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
    const code = JSON.stringify(
      {
        resource: {
          aws_iam_role: {
            app: {
              assume_role_policy: policy,
              inline_policy: [{ name: 'x', policy }],
            },
          },
          aws_s3_bucket_policy: {
            b: { bucket: 'b', policy: { Version: '2012-10-17', Statement: [statement] } },
          },
          aws_iam_policy: { p: { policy: '${data.aws_iam_policy_document.x.json}' } },
          aws_sns_topic: { t: { delivery_policy: '{"http": {}}', policy } },
        },
      },
      null,
      2,
    );
    expect(found('main.tf.json', code)).toEqual([
      { where: 'aws_iam_role.app.assume_role_policy', kind: 'trust', statements: 1, text: '{\\"Version\\"' },
      {
        where: 'aws_iam_role.app.inline_policy[0].policy',
        kind: 'identity',
        statements: 1,
        text: '{\\"Version\\"',
      },
      { where: 'aws_s3_bucket_policy.b.policy', kind: 'resource', statements: 1, text: '{\n          ' },
      { where: 'aws_sns_topic.t.policy', kind: 'resource', statements: 1, text: '{\\"Version\\"' },
    ]);
  });

  it('finds policy strings in plans', () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
    const code = JSON.stringify({
      format_version: '1.2',
      planned_values: {
        root_module: {
          resources: [
            {
              address: 'aws_s3_bucket_policy.b',
              mode: 'managed',
              type: 'aws_s3_bucket_policy',
              name: 'b',
              values: { policy },
            },
          ],
        },
      },
    });
    expect(found('plan.json', code)).toEqual([
      { where: 'aws_s3_bucket_policy.b.policy', kind: 'resource', statements: 1, text: '{\\"Version\\"' },
    ]);
  });

  it('is memoised per document version', () => {
    const doc = loadDocument(
      'policy.json',
      JSON.stringify({ Version: '2012-10-17', Statement: [statement] }),
    )!;
    const facts = new Facts(doc);
    expect(policies(facts)).toBe(policies(facts));
  });
});

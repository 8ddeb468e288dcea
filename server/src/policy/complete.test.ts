import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { defaultSettings } from '../engine/settings';
import { loadDocument } from '../model/load';
import { IacService } from '../service/service';
import { lines } from '../testing/ruleTester';
import { policyCompletionAt } from './complete';

function complete(file: string, code: string, marker: string) {
  const offset = code.indexOf(marker) + marker.length;
  const doc = loadDocument(file, code)!;
  return { result: policyCompletionAt(doc, offset), code };
}

describe('policy completion', () => {
  it('completes action names of a service, replacing the string content', () => {
    const code = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObj', Resource: '*' }],
    });
    const { result } = complete('policy.json', code, 's3:GetObj');
    expect(result!.items.map((i) => i.label)).toContain('s3:GetObject');
    expect(result!.items.every((i) => i.label.startsWith('s3:GetObj'))).toBe(true);
    expect(code.slice(result!.start, result!.end)).toBe('s3:GetObj');
  });

  it('completes service prefixes before the colon', () => {
    const code = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['ec'], Resource: '*' }],
    });
    const labels = complete('policy.json', code, '"ec').result!.items.map((i) => i.label);
    expect(labels).toContain('ec2:');
    expect(labels).toContain('ecs:');
  });

  it('completes operators and condition keys (global and of the statement services)', () => {
    const code = lines(
      'Resources:',
      '  P:',
      '    Type: AWS::S3::BucketPolicy',
      '    Properties:',
      '      Bucket: b',
      '      PolicyDocument:',
      "        Version: '2012-10-17'",
      '        Statement:',
      '          - Effect: Allow',
      "            Principal: '*'",
      '            Action: s3:GetObject',
      "            Resource: '*'",
      '            Condition:',
      '              StringEq:',
      '                aws:SourceV: x',
      '                s3:x-amz: y',
    );
    expect(complete('template.yaml', code, 'StringEq').result!.items.map((i) => i.label)).toEqual([
      'StringEquals',
      'StringEqualsIfExists',
      'StringEqualsIgnoreCase',
      'StringEqualsIgnoreCaseIfExists',
    ]);
    const keys = complete('template.yaml', code, 'aws:SourceV').result!.items.map((i) => i.label);
    expect(keys).toEqual(expect.arrayContaining(['aws:SourceVpc', 'aws:SourceVpce', 'aws:SourceVpcArn']));
    expect(complete('template.yaml', code, 's3:x-amz').result!.items.map((i) => i.label)).toContain(
      's3:x-amz-acl',
    );
  });

  it('works inside a Terraform policy string', () => {
    const code = JSON.stringify({
      resource: {
        aws_iam_policy: {
          p: { policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'sqs:SendM' }] }) },
        },
      },
    });
    const { result } = complete('main.tf.json', code, 'sqs:SendM');
    expect(result!.items.map((i) => i.label)).toContain('sqs:SendMessage');
    expect(code.slice(result!.start, result!.end)).toBe('sqs:SendM');
  });

  it('is offered by IacService.completion with text edits', () => {
    const code = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'kms:Decr', Resource: '*' }],
    });
    const document = TextDocument.create('file:///p/policy.json', 'json', 1, code);
    const items = new IacService().completion(
      document,
      document.positionAt(code.indexOf('kms:Decr') + 8),
      defaultSettings(),
    );
    const decrypt = items.find((i) => i.label === 'kms:Decrypt')!;
    expect(decrypt.textEdit).toMatchObject({ newText: 'kms:Decrypt' });
    expect(decrypt.documentation).toMatchObject({ kind: 'markdown' });
  });
});

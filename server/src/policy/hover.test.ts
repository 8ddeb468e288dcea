import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { defaultSettings } from '../engine/settings';
import { Facts } from '../facts';
import { loadDocument } from '../model/load';
import { IacService } from '../service/service';
import { policyHover } from './hover';

const standalone = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111122223333:root' },
        Action: ['s3:GetObject', 's3:List*'],
        Resource: 'arn:aws:s3:::example/*',
        Condition: {
          StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' },
          'ForAnyValue:StringLike': { 'aws:CalledVia': 'athena.amazonaws.com' },
          IpAddress: { 'aws:SourceIp': '203.0.113.0/24' },
        },
      },
    ],
  },
  null,
  2,
);

function hoverAt(file: string, code: string, needle: string, delta = 2): string | undefined {
  const doc = loadDocument(file, code)!;
  const offset = code.indexOf(needle) + delta;
  const hit = policyHover(doc, new Facts(doc), offset);
  if (!hit) return undefined;
  expect(hit.start).toBeLessThanOrEqual(offset);
  expect(hit.end).toBeGreaterThanOrEqual(offset);
  return hit.markdown;
}

describe('policy hover', () => {
  it('explains an action: service, what it does, access level, resource types', () => {
    const md = hoverAt('policy.json', standalone, '"s3:GetObject"')!;
    expect(md).toContain('**s3:GetObject** (Amazon S3)');
    expect(md).toContain('Access level: **Read**');
    expect(md).toContain('`object`');
  });

  it('lists what a wildcard matches', () => {
    expect(hoverAt('policy.json', standalone, '"s3:List*"')).toMatch(
      /^\*\*s3:List\*\*\*: \d+ Amazon S3 actions: `List/,
    );
  });

  it('explains condition keys: type, single or multi-valued, when present', () => {
    const vpce = hoverAt('policy.json', standalone, '"aws:SourceVpce"')!;
    expect(vpce).toContain('**aws:SourceVpce**: String, single-valued, global condition key');
    expect(vpce).toContain('Present only on requests made through a VPC endpoint');
    const ip = hoverAt('policy.json', standalone, '"aws:SourceIp"')!;
    expect(ip).toContain('IPAddress');
    expect(ip).toContain('It never holds a private address');
    expect(hoverAt('policy.json', standalone, '"aws:CalledVia"')).toContain('multi-valued');
  });

  it('explains operators and their set prefixes', () => {
    expect(hoverAt('policy.json', standalone, '"StringEquals"')).toMatch(
      /^\*\*StringEquals\*\*: condition operator; compares strings\./,
    );
    expect(hoverAt('policy.json', standalone, '"ForAnyValue:StringLike"')).toContain(
      '`ForAnyValue:` is true when at least one value',
    );
    expect(hoverAt('policy.json', standalone, '"IpAddress"')).toContain(
      'compares IP addresses with CIDR ranges',
    );
  });

  it('explains policy elements', () => {
    expect(hoverAt('policy.json', standalone, '"Effect"')).toContain('**Effect** (policy element)');
  });

  it('works inside a Terraform policy string', () => {
    const code = JSON.stringify({ resource: { aws_iam_policy: { p: { policy: standalone } } } }, null, 2);
    expect(hoverAt('main.tf.json', code, '\\"s3:GetObject\\"', 4)).toContain('**s3:GetObject** (Amazon S3)');
    expect(hoverAt('main.tf.json', code, '\\"aws:SourceVpce\\"', 4)).toContain('**aws:SourceVpce**');
  });

  it('answers nothing outside policies', () => {
    expect(hoverAt('policy.json', standalone, '"arn:aws:s3:::example/*"')).toBeUndefined();
  });

  it('is served by IacService.hover when no finding or control applies', () => {
    const service = new IacService();
    const document = TextDocument.create('file:///p/policy.json', 'json', 1, standalone);
    const offset = standalone.indexOf('"s3:GetObject"') + 3;
    const hover = service.hover(document, document.positionAt(offset), defaultSettings());
    expect(hover?.contents).toMatchObject({ kind: 'markdown' });
    expect((hover?.contents as { value: string }).value).toContain('**s3:GetObject**');
  });
});

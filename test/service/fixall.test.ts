// Fix all in one pass (issue 15, item 3): every safe fix of a file in one action, several
// insertions at one place merged into one edit, and fixes that depend on each other composed.

import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind } from 'vscode-languageserver-types';
import { defaultSettings } from '../../server/src/engine/settings';
import { IacService } from '../../server/src/service/service';

const settings = defaultSettings();

const BUCKETS = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Logs:
    Type: AWS::S3::Bucket
  Assets:
    Type: AWS::S3::Bucket
  Web:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-12345678
      MetadataOptions:
        HttpTokens: optional
`;

const BUCKETS_JSON = JSON.stringify(
  {
    AWSTemplateFormatVersion: '2010-09-09',
    Resources: {
      Logs: { Type: 'AWS::S3::Bucket' },
      Assets: { Type: 'AWS::S3::Bucket' },
    },
  },
  null,
  2,
);

function fixAll(text: string, uri: string, languageId: string) {
  const service = new IacService();
  const document = TextDocument.create(uri, languageId, 1, text);
  const rules = (t: string) =>
    new IacService()
      .diagnostics(TextDocument.create(uri, languageId, 2, t), settings)
      .map((d) => String(d.code));
  const before = rules(text);
  const [action] = service.codeActions(
    document,
    { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    { diagnostics: [], only: ['source.fixAll.iacNetsec'] },
    settings,
  );
  const edits = action!.edit!.changes![uri]!;
  const after = TextDocument.applyEdits(document, edits);
  return { before, edits, after, rules: rules(after) };
}

describe('Fix all', () => {
  it('YAML: two resources inserted at the same place and a value changed, in one action', () => {
    const { before, edits, after, rules } = fixAll(BUCKETS, 'file:///b.yaml', 'yaml');
    expect(before.sort()).toEqual([
      'imdsv1-allowed',
      's3-secure-transport-not-enforced',
      's3-secure-transport-not-enforced',
    ]);
    expect(rules).toEqual([]);
    expect(edits.length).toBe(2); // the value, and one insertion holding both policies
    expect(after).toContain('        HttpTokens: required\n');
    expect(after.match(/Type: AWS::S3::BucketPolicy/g)?.length).toBe(2);
    expect(after).toMatch(/ {2}LogsPolicy:\n {4}Type: AWS::S3::BucketPolicy\n/);
    expect(after).toMatch(/ {2}AssetsPolicy:\n {4}Type: AWS::S3::BucketPolicy\n/);
  });

  it('JSON: the same, with commas right', () => {
    const { before, edits, after, rules } = fixAll(BUCKETS_JSON, 'file:///b.json', 'json');
    expect(before).toEqual(['s3-secure-transport-not-enforced', 's3-secure-transport-not-enforced']);
    expect(rules).toEqual([]);
    expect(edits.length).toBe(1);
    const parsed = JSON.parse(after) as { Resources: Record<string, { Type: string }> };
    expect(Object.entries(parsed.Resources).map(([k, v]) => [k, v.Type])).toEqual([
      ['Logs', 'AWS::S3::Bucket'],
      ['Assets', 'AWS::S3::Bucket'],
      ['LogsPolicy', 'AWS::S3::BucketPolicy'],
      ['AssetsPolicy', 'AWS::S3::BucketPolicy'],
    ]);
  });

  it('the quick fix "Fix all <rule> problems in this file" fixes every one of them in one action', () => {
    const service = new IacService();
    const document = TextDocument.create('file:///b.yaml', 'yaml', 1, BUCKETS);
    const diagnostics = service.diagnostics(document, settings);
    const s3 = diagnostics.find((d) => d.code === 's3-secure-transport-not-enforced')!;
    const action = service
      .codeActions(document, s3.range, { diagnostics: [s3], only: [CodeActionKind.QuickFix] }, settings)
      .find((a) => a.title === 'Fix all s3-secure-transport-not-enforced problems in this file')!;
    const after = TextDocument.applyEdits(document, action.edit!.changes!['file:///b.yaml']!);
    expect(
      new IacService()
        .diagnostics(TextDocument.create('file:///b.yaml', 'yaml', 2, after), settings)
        .map((d) => d.code),
    ).toEqual(['imdsv1-allowed']);
  });

  it('fixAllEdits (fix on save, iac-netsec fix) is the same edit, and a second run finds nothing', () => {
    const service = new IacService();
    const document = TextDocument.create('file:///b.yaml', 'yaml', 1, BUCKETS);
    const after = TextDocument.applyEdits(document, service.fixAllEdits(document, settings));
    expect(after).toBe(fixAll(BUCKETS, 'file:///b.yaml', 'yaml').after);
    expect(service.fixAllEdits(TextDocument.create('file:///b.yaml', 'yaml', 2, after), settings)).toEqual(
      [],
    );
  });
});

// Hostile inputs: each is answered with a clear diagnostic (or nothing, when the file is not
// a template) in bounded time and memory, never a crash, a hang or a polluted prototype.

import { afterAll, describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { defaultSettings } from '../../server/src/engine/settings';
import { IacService } from '../../server/src/service/service';
import { SEED, rangeProblems, rng } from './support';

const TIME_BOUND_MS = 5_000;
/** Heap growth allowed while answering one input (the input itself included). */
const MEMORY_BOUND_MB = 400;

const failures: string[] = [];
const service = new IacService((message) => failures.push(message));
const settings = defaultSettings();
let version = 0;

function check(
  file: string,
  text: string,
): { diagnostics: Diagnostic[]; document: TextDocument; ms: number } {
  const document = TextDocument.create(
    `file:///hostile/${file}`,
    file.endsWith('.json') ? 'json' : 'yaml',
    ++version,
    text,
  );
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const diagnostics = service.diagnostics(document, settings);
  // Every feature must answer too.
  const at = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  service.codeActions(document, at, { diagnostics: diagnostics.slice(0, 1) }, settings);
  service.hover(document, at.start, settings);
  service.documentSymbols(document, settings);
  const ms = performance.now() - started;
  const grownMb = (process.memoryUsage().heapUsed - heapBefore) / 1048576;
  expect(ms, `${file}: answered in ${ms.toFixed(0)} ms`).toBeLessThan(TIME_BOUND_MS);
  expect(grownMb, `${file}: heap grew ${grownMb.toFixed(0)} MB`).toBeLessThan(MEMORY_BOUND_MB);
  expect(
    rangeProblems(
      document,
      diagnostics.map((d) => d.range),
    ),
    `${file}: ranges`,
  ).toEqual([]);
  const logged = failures.splice(0);
  expect(logged, `${file}: logged failures`).toEqual([]);
  service.close(document.uri);
  return { diagnostics, document, ms };
}

const messages = (diagnostics: Diagnostic[]): string =>
  diagnostics.map((d) => `${String(d.code)}: ${d.message}`).join('\n');

const HEAD = 'AWSTemplateFormatVersion: "2010-09-09"\n';

/** The ssh-open-to-internet example: a finding whose range is checked after hostile text. */
const SG_YAML = (eol: string): string =>
  [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Resources:',
    '  Sg:',
    '    Type: AWS::EC2::SecurityGroup',
    '    Properties:',
    '      GroupDescription: ssh',
    '      SecurityGroupIngress:',
    '        - IpProtocol: tcp',
    '          FromPort: 22',
    '          ToPort: 22',
    '          CidrIp: 0.0.0.0/0',
    '',
  ].join(eol);

/** Diagnostics of a rule must cover exactly `text` (ranges computed as the editor counts lines). */
function expectCovers(
  result: { diagnostics: Diagnostic[]; document: TextDocument },
  rule: string,
  text: string,
): void {
  const hits = result.diagnostics.filter((d) => d.code === rule);
  expect(hits.length, `${rule} in:\n${messages(result.diagnostics)}`).toBeGreaterThan(0);
  for (const d of hits) expect(result.document.getText(d.range)).toBe(text);
}

describe('YAML alias bombs', () => {
  it('a billion laughs is refused with a diagnostic', () => {
    const lines = [HEAD, 'Metadata:', '  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i <= 9; i++)
      lines.push(`  l${i}: &l${i} [${Array.from({ length: 9 }, () => `*l${i - 1}`).join(', ')}]`);
    lines.push('Resources:', '  B:', '    Type: AWS::S3::Bucket', '    Properties:', '      Tags: *l9');
    const result = check('bomb.yaml', lines.join('\n') + '\n');
    expect(messages(result.diagnostics)).toMatch(/alias/i);
  });
  it('aliases in a large document parsed whole are still bounded', () => {
    const body = Array.from(
      { length: 2000 },
      (_, i) => `  R${i}:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags: *t`,
    ).join('\n');
    const text = `${HEAD}Metadata:\n  t: &t [${Array.from({ length: 200 }, (_, i) => `{Key: k${i}, Value: v}`).join(', ')}]\nResources:\n${body}\n`;
    const result = check('aliases.yaml', text);
    expect(messages(result.diagnostics)).toMatch(/alias/i);
  });
});

describe('10,000-deep nesting', () => {
  const deep = 10_000;
  it('YAML flow', () => {
    const text = `${HEAD}Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      X: ${'['.repeat(deep)}1${']'.repeat(deep)}\n`;
    expect(messages(check('flow.yaml', text).diagnostics)).toMatch(/nested .*deep|too deep/i);
  });
  it('YAML block', () => {
    const text = `${HEAD}Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      X:\n        ${'- '.repeat(deep)}1\n`;
    expect(messages(check('block.yaml', text).diagnostics)).toMatch(/nested .*deep|too deep/i);
  });
  it('YAML block maps, indented', () => {
    const levels = 2100;
    const text =
      HEAD + Array.from({ length: levels }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n';
    expect(messages(check('indented.yaml', text).diagnostics)).toMatch(/nested .*deep|too deep/i);
  });
  it('JSON', () => {
    const text = `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"X": ${'['.repeat(deep)}1${']'.repeat(deep)}}}}}`;
    expect(messages(check('deep.json', text).diagnostics)).toMatch(/nested .*deep/i);
  });
  it('JSON objects, as Terraform JSON', () => {
    const text = `{"resource": {"aws_s3_bucket": {"b": ${'{"a": '.repeat(deep)}1${'}'.repeat(deep)}}}}`;
    expect(messages(check('deep.tf.json', text).diagnostics)).toMatch(/nested .*deep/i);
  });
});

describe('size', () => {
  it('a 10 MB template', () => {
    const block = (i: number): string =>
      `  Sg${i}:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: group number ${i} of many\n      SecurityGroupIngress:\n        - IpProtocol: tcp\n          FromPort: 22\n          ToPort: 22\n          CidrIp: 0.0.0.0/0\n`;
    const parts = [`${HEAD}Resources:\n`];
    let size = parts[0]!.length;
    for (let i = 0; size < 10_000_000; i++) {
      const b = block(i);
      parts.push(b);
      size += b.length;
    }
    const result = check('huge.yaml', parts.join(''));
    expect(messages(result.diagnostics)).toMatch(/million characters/);
    expect(result.diagnostics.length).toBe(1);
  });
  it('a 10 MB plan', () => {
    const resources = Array.from({ length: 40_000 }, (_, i) => ({
      address: `aws_s3_bucket.b${i}`,
      mode: 'managed',
      type: 'aws_s3_bucket',
      name: `b${i}`,
      values: { bucket: `bucket-${i}-${'x'.repeat(150)}` },
    }));
    const text = JSON.stringify({
      format_version: '1.2',
      planned_values: { root_module: { resources } },
      resource_changes: [],
    });
    expect(text.length).toBeGreaterThan(4_000_000);
    expect(messages(check('huge.plan.json', text).diagnostics)).toMatch(/million characters/);
  });
});

describe('garbage', () => {
  const random = rng(SEED);
  const bytes = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(Math.floor(random() * 256));
    return s;
  };
  const units = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(Math.floor(random() * 65536)); // lone surrogates too
    return s;
  };
  it('binary garbage after a template header, as YAML and JSON', () => {
    for (let i = 0; i < 5; i++) {
      const junk = i % 2 ? bytes(200_000) : units(200_000);
      check(`garbage${i}.yaml`, HEAD + junk);
      check(`garbage${i}.json`, `{"AWSTemplateFormatVersion": "2010-09-09", ${junk}`);
      check(`garbage${i}.tf.json`, junk);
    }
  });
  it('garbage that is not a template gets no diagnostics', () => {
    const result = check(
      'random.yaml',
      bytes(100_000).replace(/AWS|resource|variable|provider|Statement|format_version/g, ''),
    );
    expect(result.diagnostics).toEqual([]);
  });
  it('NUL bytes and a byte order mark inside a template', () => {
    const text = '\uFEFF' + SG_YAML('\n').replace('GroupDescription: ssh', 'GroupDescription: "s\u0000s"');
    expectCovers(check('nul.yaml', text), 'ssh-open-to-internet', '0.0.0.0/0');
  });
});

describe('prototype keys', () => {
  afterAll(() => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
  const keys = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf'];
  it('CloudFormation YAML', () => {
    for (const key of keys) {
      const text = `${HEAD}Parameters:
  ${key}:
    Type: String
    Default: 0.0.0.0/0
Mappings:
  ${key}:
    ${key}:
      polluted: 0.0.0.0/0
Conditions:
  ${key}: !Equals [!Ref ${key}, x]
Resources:
  ${key}:
    Type: AWS::EC2::SecurityGroup
    Properties:
      ${key}: {polluted: yes}
      GroupDescription: !FindInMap [${key}, ${key}, polluted]
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: !If [${key}, !Ref ${key}, !FindInMap [${key}, ${key}, polluted]]
          ${key}: {polluted: yes}
Outputs:
  ${key}:
    Value: !GetAtt ${key}.${key}
`;
      const result = check(`proto-${key}.yaml`, text);
      expect(
        result.diagnostics.some((d) => d.code === 'ssh-open-to-internet'),
        messages(result.diagnostics),
      ).toBe(true);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
  });
  it('CloudFormation JSON, Terraform JSON, plans and policies', () => {
    for (const key of keys) {
      const k = JSON.stringify(key);
      const cfn = `{"AWSTemplateFormatVersion": "2010-09-09", "Parameters": {${k}: {"Type": "String", "Default": "0.0.0.0/0"}}, "Resources": {${k}: {"Type": "AWS::EC2::SecurityGroup", "Properties": {${k}: {"polluted": 1}, "GroupDescription": "x", "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": {"Ref": ${k}}, ${k}: {"polluted": 1}}]}}}}`;
      const tf = `{"variable": {${k}: {"default": "0.0.0.0/0"}}, "locals": {${k}: {"polluted": 1}}, "resource": {"aws_security_group": {${k}: {${k}: {"polluted": 1}, "ingress": [{"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["\${var.${key}}"]}]}}, ${k}: {${k}: {}}}}`;
      const plan = `{"format_version": "1.2", "planned_values": {"root_module": {"resources": [{"address": "aws_security_group.${key}", "mode": "managed", "type": "aws_security_group", "name": ${k}, "values": {${k}: {"polluted": 1}, "ingress": [{"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}]}}]}}, "resource_changes": [{"address": ${k}, "change": {"after_unknown": {${k}: true}}}]}`;
      const policy = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": ${k}, "Resource": "*", "Condition": {${k}: {${k}: "x"}}, ${k}: 1}]}`;
      for (const [file, text] of [
        [`proto-${key}.json`, cfn],
        [`proto-${key}.tf.json`, tf],
        [`proto-${key}.plan.json`, plan],
        [`proto-${key}-policy.json`, policy],
      ] as const) {
        check(file, text);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }
    }
  });
});

describe('very long lines', () => {
  it('a 1 MB line before a finding (YAML), ranges still right', () => {
    const text = SG_YAML('\n').replace('GroupDescription: ssh', `GroupDescription: ${'x'.repeat(1_000_000)}`);
    expectCovers(check('long.yaml', text), 'ssh-open-to-internet', '0.0.0.0/0');
  });
  it('a 1 MB flow sequence on one line (YAML) and a minified JSON template', () => {
    const seq = `[${Array.from({ length: 150_000 }, (_, i) => String(i % 10)).join(', ')}]`;
    check(
      'longseq.yaml',
      SG_YAML('\n').replace('GroupDescription: ssh', `GroupDescription: ssh\n      Tags: ${seq}`),
    );
    const json = JSON.stringify({
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: Object.fromEntries(
        Array.from({ length: 5500 }, (_, i) => [
          `Sg${i}`,
          {
            Type: 'AWS::EC2::SecurityGroup',
            Properties: {
              GroupDescription: `g${i}`,
              SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' }],
            },
          },
        ]),
      ),
    });
    expect(json.length).toBeGreaterThan(900_000);
    expectCovers(check('minified.json', json), 'ssh-open-to-internet', '"0.0.0.0/0"');
  });
});

describe('every Unicode line ending', () => {
  it('\\r and \\r\\n give the same findings as \\n, at the same text', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      expectCovers(
        check(`eol-${JSON.stringify(eol)}.yaml`, SG_YAML(eol)),
        'ssh-open-to-internet',
        '0.0.0.0/0',
      );
      const json = JSON.stringify(
        {
          AWSTemplateFormatVersion: '2010-09-09',
          Resources: {
            Sg: {
              Type: 'AWS::EC2::SecurityGroup',
              Properties: {
                GroupDescription: 'ssh',
                SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' }],
              },
            },
          },
        },
        null,
        2,
      ).replace(/\n/g, eol);
      expectCovers(check(`eol-${JSON.stringify(eol)}.json`, json), 'ssh-open-to-internet', '"0.0.0.0/0"');
    }
  });
  it('\\u2028, \\u2029 and \\u0085 inside values do not shift ranges', () => {
    for (const sep of ['\u2028', '\u2029', '\u0085']) {
      const text = SG_YAML('\n').replace(
        'GroupDescription: ssh',
        `GroupDescription: "a${sep}b${sep}c"\n      # note${sep}more`,
      );
      expectCovers(check(`sep-${sep.charCodeAt(0)}.yaml`, text), 'ssh-open-to-internet', '0.0.0.0/0');
      const json = `{"AWSTemplateFormatVersion": "2010-09-09",${sep}"Resources": {"Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "a${sep}b", "SecurityGroupIngress": [${sep}{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0"}]}}}}`;
      expectCovers(check(`sep-${sep.charCodeAt(0)}.json`, json), 'ssh-open-to-internet', '"0.0.0.0/0"');
    }
  });
  it('\\u2028, \\u2029 and \\u0085 as line ends: answered, ranges inside the document', () => {
    for (const sep of ['\u2028', '\u2029', '\u0085']) {
      const result = check(`lines-${sep.charCodeAt(0)}.yaml`, SG_YAML(sep));
      for (const d of result.diagnostics)
        expect(result.document.offsetAt(d.range.end)).toBeLessThanOrEqual(result.document.getText().length);
      check(`lines-${sep.charCodeAt(0)}.json`, SG_YAML('\n').replace(/\n/g, sep));
    }
  });
  it('mixed line ends in one template', () => {
    const lines = SG_YAML('\n').split('\n');
    const text = lines.map((l, i) => l + ['\n', '\r\n', '\r'][i % 3]).join('');
    expectCovers(check('mixed.yaml', text), 'ssh-open-to-internet', '0.0.0.0/0');
  });
});

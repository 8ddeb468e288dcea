import { describe, expect, it } from 'vitest';
import { analyze } from '../engine/analyze';
import { defaultSettings } from '../engine/settings';
import { loadDocument } from '../model/load';
import { servicePubliclyAccessible } from '../rules/service-publicly-accessible/rule';
import { lines, ruleTester } from '../testing/ruleTester';
import { IncrementalJsonParser, parseJson } from './json';
import { IncrementalYamlParser } from './yaml';
import type { ParsedText } from './tree';

// A duplicate key: a warning at the earlier key naming both lines; the last value wins (as in
// CloudFormation) and the rest of the template is still read.
const broker = lines(
  'Resources:',
  '  Broker:',
  '    Type: AWS::AmazonMQ::Broker',
  '    Properties:',
  '      PubliclyAccessible: false',
  '      EngineType: ACTIVEMQ',
  '      PubliclyAccessible: true',
  '  Other:',
  '    Type: AWS::AmazonMQ::Broker',
  '    Properties: {PubliclyAccessible: true}',
);

function syntax(file: string, code: string) {
  const doc = loadDocument(file, code)!;
  return analyze(doc, defaultSettings(), [])
    .findings.filter((f) => f.ruleId === 'syntax-error')
    .map((f) => ({ severity: f.severity, text: code.slice(f.start, f.end), message: f.message }));
}

describe('duplicate YAML keys', () => {
  it('are a warning at the earlier key, naming both lines', () => {
    expect(syntax('template.yaml', broker)).toEqual([
      {
        severity: 'warning',
        text: 'PubliclyAccessible',
        message:
          'Duplicate key "PubliclyAccessible" (line 5 and line 7): CloudFormation uses the last one (line 7) and ignores this one.',
      },
    ]);
  });

  it('a duplicate resource in a large (chunked) document is found too, and the last one wins', () => {
    const filler = Array.from(
      { length: 400 },
      (_, i) => `  Topic${i}: {Type: AWS::SNS::Topic, Properties: {TopicName: t${i}}}`,
    );
    const big = lines(
      'Resources:',
      '  Broker:',
      '    Type: AWS::AmazonMQ::Broker',
      '    Properties: {PubliclyAccessible: true}',
      ...filler,
      '  Broker:',
      '    Type: AWS::AmazonMQ::Broker',
      '    Properties: {PubliclyAccessible: false}',
    );
    expect(big.length).toBeGreaterThan(20_000);
    const found = syntax('template.yaml', big);
    expect(found.map((f) => [f.severity, f.text, f.message])).toEqual([
      [
        'warning',
        'Broker',
        'Duplicate key "Broker" (line 2 and line 405): CloudFormation uses the last one (line 405) and ignores this one.',
      ],
    ]);
    const doc = loadDocument('template.yaml', big)!;
    expect(
      analyze(doc, defaultSettings(), [servicePubliclyAccessible]).findings.filter(
        (f) => f.ruleId !== 'syntax-error',
      ),
    ).toEqual([]);
  });
});

ruleTester(servicePubliclyAccessible, {
  valid: [],
  invalid: [
    {
      name: 'the last of two PubliclyAccessible keys is read, and the template after it too',
      file: 'template.yaml',
      code: broker,
      errors: [
        {
          text: 'true',
          line: 7,
          fixes: [
            {
              title: 'Set PubliclyAccessible to false',
              output: broker.replace(
                'EngineType: ACTIVEMQ\n      PubliclyAccessible: true',
                'EngineType: ACTIVEMQ\n      PubliclyAccessible: false',
              ),
            },
          ],
        },
        {
          text: 'true',
          line: 10,
          fixes: [
            {
              title: 'Set PubliclyAccessible to false',
              output: broker.replace('{PubliclyAccessible: true}', '{PubliclyAccessible: false}'),
            },
          ],
        },
      ],
    },
  ],
});

// JSON: the same as YAML. CloudFormation reads the last of two keys (its JSON reader, like its
// YAML reader, keeps the last); cfn-lint's JSON decoder stops with E0000 "Duplicate found".
const brokerJson = [
  '{',
  '  "Resources": {',
  '    "Broker": {',
  '      "Type": "AWS::AmazonMQ::Broker",',
  '      "Properties": {',
  '        "PubliclyAccessible": false,',
  '        "EngineType": "ACTIVEMQ",',
  '        "PubliclyAccessible": true',
  '      }',
  '    },',
  '    "Other": {"Type": "AWS::AmazonMQ::Broker", "Properties": {"PubliclyAccessible": true}}',
  '  }',
  '}',
  '',
].join('\n');

describe('duplicate YAML keys in the first resource of a large (chunked) document', () => {
  it('name the lines of the document, not of the piece', () => {
    const filler = Array.from(
      { length: 400 },
      (_, i) => `  Topic${i}: {Type: AWS::SNS::Topic, Properties: {TopicName: t${i}}}`,
    );
    const big = lines(
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Resources:',
      '  Broker:',
      '    Type: AWS::AmazonMQ::Broker',
      '    Properties: {PubliclyAccessible: true, PubliclyAccessible: false}',
      ...filler,
    );
    expect(big.length).toBeGreaterThan(20_000);
    const message =
      'Duplicate key "PubliclyAccessible" (line 5 and line 5): CloudFormation uses the last one (line 5) and ignores this one.';
    expect(syntax('template.yaml', big).map((f) => [f.severity, f.text, f.message])).toEqual([
      ['warning', 'PubliclyAccessible', message],
    ]);
    // Then a line added above it: the lines move with it.
    const parser = new IncrementalYamlParser();
    parser.parse(big);
    const moved = big.replace('Resources:\n', 'Description: d\nResources:\n');
    expect(parser.parse(moved).problems.map((p) => p.message)).toEqual([
      message.replace(/line 5/g, 'line 6'),
    ]);
  });
});

describe('a resource renamed, by typing in its key, to a name another resource has', () => {
  it('is found when typed (the edit stays in one piece), and the warning goes when renamed back', () => {
    const filler = Array.from(
      { length: 400 },
      (_, i) => `  Topic${i}: {Type: AWS::SNS::Topic, Properties: {TopicName: t${i}}}`,
    );
    const big = lines('Resources:', ...filler);
    const parser = new IncrementalYamlParser();
    expect(parser.parse(big).problems).toEqual([]);
    // `Topic300` -> `Topic30` (a character deleted inside the key): now a second `Topic30`.
    const at = big.indexOf('  Topic300:') + '  Topic30'.length;
    const renamed = big.slice(0, at) + big.slice(at + 1);
    expect(
      parser.parse(renamed).problems.map((p) => [p.severity, renamed.slice(p.start, p.end), p.message]),
    ).toEqual([
      [
        'warning',
        'Topic30',
        'Duplicate key "Topic30" (line 32 and line 302): CloudFormation uses the last one (line 302) and ignores this one.',
      ],
    ]);
    expect(parser.parse(big).problems).toEqual([]);
    // A character typed in a value: no key changes, nothing to report.
    const value = big.indexOf('TopicName: t300') + 'TopicName: t300'.length;
    expect(parser.parse(big.slice(0, value) + 'x' + big.slice(value)).problems).toEqual([]);
  });
});

describe('duplicate JSON keys', () => {
  it('are a warning at the earlier key, naming both lines', () => {
    expect(syntax('template.json', brokerJson)).toEqual([
      {
        severity: 'warning',
        text: '"PubliclyAccessible"',
        message:
          'Duplicate key "PubliclyAccessible" (line 6 and line 8): CloudFormation uses the last one (line 8) and ignores this one.',
      },
    ]);
  });

  it('JSON that is not a CloudFormation template is left as it was read (no warning)', () => {
    const text = '{\n  "Version": "2012-10-17",\n  "Version": "2008-10-17",\n  "Statement": []\n}\n';
    const parsed = parseJson(text);
    expect(parsed.problems).toEqual([]);
    expect(parsed.root?.kind === 'map' && parsed.root.entries.map((e) => e.key.value)).toEqual([
      'Version',
      'Version',
      'Statement',
    ]);
  });

  it('a duplicate resource or property in a large (pieced) document: the same as the whole parse', () => {
    const filler = Array.from(
      { length: 400 },
      (_, i) => `    "Topic${i}": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "t${i}"}},`,
    );
    const big = [
      '{',
      '  "Resources": {',
      '    "Broker": {"Type": "AWS::AmazonMQ::Broker", "Properties": {"PubliclyAccessible": true}},',
      ...filler,
      '    "Broker": {"Type": "AWS::AmazonMQ::Broker", "Properties": {"PubliclyAccessible": false}}',
      '  }',
      '}',
    ].join('\n');
    expect(big.length).toBeGreaterThan(20_000);
    const expected = [
      [
        'warning',
        '"Broker"',
        'Duplicate key "Broker" (line 3 and line 404): CloudFormation uses the last one (line 404) and ignores this one.',
      ],
    ];
    expect(syntax('template.json', big).map((f) => [f.severity, f.text, f.message])).toEqual(expected);
    const parser = new IncrementalJsonParser({ chunkMin: 0 });
    const at = (parsed: ParsedText) =>
      parsed.problems.map((p) => [p.severity, big.slice(p.start, p.end), p.message]);
    expect(at(parser.parse(big))).toEqual(expected);
    // Inside one piece, after an edit elsewhere: still the whole document's lines.
    const inner = big.replace('"TopicName": "t7"}', '"TopicName": "t7", "TopicName": "u7"}');
    expect(at(parser.parse(inner))).toEqual([
      ...expected,
      [
        'warning',
        '"TopicName"',
        'Duplicate key "TopicName" (line 11 and line 11): CloudFormation uses the last one (line 11) and ignores this one.',
      ],
    ]);
    expect(at(parser.parse(inner))).toEqual(at(parseJson(inner)));
    const doc = loadDocument('template.json', big)!;
    expect(
      analyze(doc, defaultSettings(), [servicePubliclyAccessible]).findings.filter(
        (f) => f.ruleId !== 'syntax-error',
      ),
    ).toEqual([]);
  });
});

ruleTester(servicePubliclyAccessible, {
  valid: [],
  invalid: [
    {
      name: 'JSON: the last of two PubliclyAccessible keys is read, and the template after it too',
      file: 'template.json',
      code: brokerJson,
      errors: [
        {
          text: 'true',
          line: 8,
          fixes: [
            {
              title: 'Set PubliclyAccessible to false',
              output: brokerJson.replace(
                '"EngineType": "ACTIVEMQ",\n        "PubliclyAccessible": true',
                '"EngineType": "ACTIVEMQ",\n        "PubliclyAccessible": false',
              ),
            },
          ],
        },
        {
          text: 'true',
          line: 11,
          fixes: [
            {
              title: 'Set PubliclyAccessible to false',
              output: brokerJson.replace('{"PubliclyAccessible": true}', '{"PubliclyAccessible": false}'),
            },
          ],
        },
      ],
    },
  ],
});

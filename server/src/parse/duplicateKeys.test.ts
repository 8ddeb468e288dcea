import { describe, expect, it } from 'vitest';
import { analyze } from '../engine/analyze';
import { defaultSettings } from '../engine/settings';
import { loadDocument } from '../model/load';
import { servicePubliclyAccessible } from '../rules/service-publicly-accessible/rule';
import { lines, ruleTester } from '../testing/ruleTester';

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

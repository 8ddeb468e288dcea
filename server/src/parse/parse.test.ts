import { describe, expect, it } from 'vitest';
import { detectFormat } from './detect';
import { parseJson } from './json';
import type { Node } from './tree';
import { get, toPlain } from './tree';
import { parseYaml } from './yaml';

/** The text a node covers. */
const at = (text: string, node: Node | undefined) => (node ? text.slice(node.start, node.end) : undefined);

describe('YAML short-form tags become the long form with exact ranges', () => {
  const cases: [string, unknown][] = [
    ['!Ref Vpc', { Ref: 'Vpc' }],
    ['!Sub "arn:${AWS::Partition}:s3:::${B}"', { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${B}' }],
    ['!Sub ["${A}-x", {A: !Ref P}]', { 'Fn::Sub': ['${A}-x', { A: { Ref: 'P' } }] }],
    ['!GetAtt Sg.GroupId', { 'Fn::GetAtt': 'Sg.GroupId' }],
    ['!GetAtt [Sg, GroupId]', { 'Fn::GetAtt': ['Sg', 'GroupId'] }],
    ['!Join ["", [a, b]]', { 'Fn::Join': ['', ['a', 'b']] }],
    ['!Select [0, !GetAZs ""]', { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }],
    ['!Split [",", "a,b"]', { 'Fn::Split': [',', 'a,b'] }],
    ['!If [C, a, !Ref AWS::NoValue]', { 'Fn::If': ['C', 'a', { Ref: 'AWS::NoValue' }] }],
    ['!Equals [!Ref E, prod]', { 'Fn::Equals': [{ Ref: 'E' }, 'prod'] }],
    [
      '!And [!Condition A, !Not [!Condition B]]',
      { 'Fn::And': [{ Condition: 'A' }, { 'Fn::Not': [{ Condition: 'B' }] }] },
    ],
    ['!Or [!Condition A, !Condition B]', { 'Fn::Or': [{ Condition: 'A' }, { Condition: 'B' }] }],
    ['!FindInMap [M, !Ref AWS::Region, Ami]', { 'Fn::FindInMap': ['M', { Ref: 'AWS::Region' }, 'Ami'] }],
    ['!Base64 x', { 'Fn::Base64': 'x' }],
    ['!Cidr [10.0.0.0/16, 4, 8]', { 'Fn::Cidr': ['10.0.0.0/16', 4, 8] }],
    ['!ImportValue Shared-Vpc', { 'Fn::ImportValue': 'Shared-Vpc' }],
    ['!Transform {Name: AWS::Include}', { 'Fn::Transform': { Name: 'AWS::Include' } }],
  ];
  for (const [source, expected] of cases) {
    it(source, () => {
      const text = `Value: ${source}\n`;
      const parsed = parseYaml(text);
      expect(parsed.problems).toEqual([]);
      const value = get(parsed.root, 'Value');
      expect(toPlain(value)).toEqual(expected);
      expect(at(text, value)).toBe(source);
      expect(value?.kind === 'map' && value.shortTag).toBe(source.split(' ')[0]);
    });
  }
  it('!Sub in block sequence form', () => {
    const text = 'Value: !Sub\n  - "${A}"\n  - A: b\n';
    const value = get(parseYaml(text).root, 'Value');
    expect(toPlain(value)).toEqual({ 'Fn::Sub': ['${A}', { A: 'b' }] });
  });
});

describe('syntax errors are reported at the place, and the rest still parses', () => {
  it('YAML: a half-typed entry keeps the finished parts', () => {
    const text = 'Resources:\n  A:\n    Type: AWS::EC2::VPC\n  B:\n    Type: [\n';
    const parsed = parseYaml(text);
    expect(parsed.problems.length).toBeGreaterThan(0);
    expect(toPlain(get(get(parsed.root, 'Resources'), 'A'))).toEqual({ Type: 'AWS::EC2::VPC' });
    for (const p of parsed.problems) expect(p.start).toBeGreaterThanOrEqual(text.indexOf('  B:'));
  });
  it('JSON: missing comma at the exact offset', () => {
    const text = '{"a": 1 "b": 2}';
    const parsed = parseJson(text);
    expect(parsed.problems[0]).toMatchObject({ start: 8, message: 'Comma expected.' });
    expect(toPlain(parsed.root)).toEqual({ a: 1, b: 2 });
  });
  it('JSON nested too deeply is a problem, not a crash', () => {
    const text = '['.repeat(5000) + ']'.repeat(5000);
    const parsed = parseJson(text);
    expect(parsed.problems).toEqual([
      { start: 500, end: 501, message: 'JSON is nested deeper than 500 levels here; it is not read.' },
    ]);
  });
  it('duplicate keys in YAML: a warning, and the last one wins (as in CloudFormation)', () => {
    const parsed = parseYaml('a: 1\na: 2\n');
    expect(parsed.problems).toEqual([
      {
        start: 0,
        end: 1,
        severity: 'warning',
        message:
          'Duplicate key "a" (line 1 and line 2): CloudFormation uses the last one (line 2) and ignores this one.',
      },
    ]);
    expect(
      parsed.root?.kind === 'map' &&
        parsed.root.entries.map((e) => e.value.kind === 'scalar' && e.value.value),
    ).toEqual([2]);
  });
  it('never throws on garbage', () => {
    for (const text of ['\u0000\u0001\u0002', '{{{{', ': : :', '- - - ]', '"\\', '!Ref', '&a [*a, *a]']) {
      expect(() => parseYaml(text)).not.toThrow();
      expect(() => parseJson(text)).not.toThrow();
    }
  });
});

describe('format detection from content', () => {
  const detect = (uri: string, text: string) =>
    detectFormat(uri, uri.endsWith('.json') ? parseJson(text).root : parseYaml(text).root, text);
  it.each([
    ['t.yaml', 'AWSTemplateFormatVersion: "2010-09-09"\n', 'cfn'],
    ['t.yml', 'Resources:\n  A:\n    Type: AWS::S3::Bucket\n', 'cfn'],
    ['t.json', '{"Resources": {"A": {"Type": "AWS::S3::Bucket"}}}', 'cfn'],
    ['main.tf.json', '{}', 'tf'],
    ['x.json', '{"resource": {"aws_s3_bucket": {"b": {}}}}', 'tf'],
    ['x.json', '{"variable": {"v": {}}}', 'tf'],
    ['plan.json', '{"format_version": "1.2", "planned_values": {}}', 'plan'],
    ['anything.json', '{"Version": "2012-10-17", "Statement": []}', 'iam'],
    ['package.json', '{"name": "x", "version": "1.0.0"}', undefined],
    ['docker-compose.yaml', 'services:\n  web:\n    image: nginx\n', undefined],
    ['k8s.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: Resources\n', undefined],
    ['broken.yaml', 'AWSTemplateFormatVersion: "2010-09-09"\nResources: [\n', 'cfn'],
  ])('%s', (uri, text, expected) => {
    expect(detect(uri, text)).toBe(expected);
  });
});

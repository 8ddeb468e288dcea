import { describe, expect, it } from 'vitest';
import { loadDocument } from '../model/load';
import { get } from '../parse/tree';
import { NO_VALUE, ResourceRef, UNKNOWN, resolve, type Value } from './values';

function valuesOf(file: string, text: string, path: string[]): Value[] {
  const doc = loadDocument(file, text)!;
  let node = doc.root;
  for (const key of path) node = get(node, key);
  return resolve(doc, node).map((p) => p.value);
}

const cfn = (properties: string, extra = '') =>
  `AWSTemplateFormatVersion: "2010-09-09"\n${extra}Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n  R:\n    Type: AWS::X::Y\n    Properties:\n      V: ${properties}\n`;
const path = ['Resources', 'R', 'Properties', 'V'];

describe('CloudFormation intrinsics', () => {
  it.each<[string, string, Value[]]>([
    ['literal', '10.0.0.0/8', ['10.0.0.0/8']],
    ['Ref parameter default + allowed values', '!Ref P', ['a', 'b']],
    ['Ref resource', '!Ref Vpc', [new ResourceRef('Vpc')]],
    ['GetAtt', '!GetAtt Vpc.CidrBlock', [new ResourceRef('Vpc', 'CidrBlock')]],
    ['Ref pseudo parameter', '!Ref AWS::Region', [UNKNOWN]],
    ['NoValue', '!Ref AWS::NoValue', [NO_VALUE]],
    ['Sub with parameter', '!Sub "${P}-x"', ['a-x', 'b-x']],
    ['Sub with literal ${!}', '!Sub "${!Literal}"', ['${Literal}']],
    ['Sub list form', '!Sub ["${X}/0", {X: 0.0.0.0}]', ['0.0.0.0/0']],
    ['Join', '!Join ["", ["0.0.0.0", "/0"]]', ['0.0.0.0/0']],
    ['Select', '!Select [1, [a, b, c]]', ['b']],
    ['Split then Select', '!Select [0, !Split [",", "x,y"]]', ['x']],
    ['If: both branches', '!If [C, open, closed]', ['open', 'closed']],
    ['FindInMap with key from a parameter', '!FindInMap [M, !Ref P, K]', ['A', 'B']],
    ['unknown function', '!GetAZs ""', [UNKNOWN]],
    ['ImportValue', '!ImportValue X', [UNKNOWN]],
    ['Ref to nothing', '!Ref Missing', [UNKNOWN]],
  ])('%s', (_name, expression, expected) => {
    const extra =
      'Parameters:\n  P:\n    Type: String\n    Default: a\n    AllowedValues: [a, b]\nMappings:\n  M:\n    a: {K: A}\n    b: {K: B}\n';
    expect(valuesOf('t.yaml', cfn(expression, extra), path)).toEqual(expected);
  });

  it('CommaDelimitedList parameters split', () => {
    const extra = 'Parameters:\n  L:\n    Type: CommaDelimitedList\n    Default: "1.1.1.1/32, 0.0.0.0/0"\n';
    expect(valuesOf('t.yaml', cfn('!Ref L', extra), path)).toEqual([['1.1.1.1/32', '0.0.0.0/0']]);
  });

  it('records how a value was reached', () => {
    const doc = loadDocument(
      't.yaml',
      cfn('!If [C, !Ref P, x]', 'Parameters:\n  P:\n    Type: String\n    Default: d\n'),
    )!;
    const [first] = resolve(doc, get(get(get(get(doc.root, 'Resources'), 'R'), 'Properties'), 'V'));
    expect(first?.via.map((v) => v.kind)).toEqual(['condition', 'parameter-default']);
  });

  it('does not loop on self-referencing mappings or deep nesting', () => {
    const deep = '!Select [0, '.repeat(60) + '[x]' + ']'.repeat(60);
    expect(valuesOf('t.yaml', cfn(deep), path)).toEqual([UNKNOWN]);
  });
});

describe('Terraform interpolation', () => {
  const tf = (value: string) =>
    JSON.stringify({
      variable: { cidr: { default: '0.0.0.0/0' }, list: { default: ['a', 'b'] }, none: {} },
      locals: { l: 'local-value' },
      resource: { aws_vpc: { main: { cidr_block: '10.0.0.0/16' } }, aws_x: { r: { v: value } } },
    });
  const p = ['resource', 'aws_x', 'r', 'v'];
  it.each<[string, Value[]]>([
    ['${var.cidr}', ['0.0.0.0/0']],
    ['${var.list}', [['a', 'b']]],
    ['${var.none}', [UNKNOWN]],
    ['${local.l}', ['local-value']],
    ['${aws_vpc.main.cidr_block}', ['10.0.0.0/16']],
    ['${aws_vpc.main.id}', [new ResourceRef('aws_vpc.main', 'id')]],
    ['prefix-${var.cidr}', ['prefix-0.0.0.0/0']],
    ['${cidrsubnet(var.cidr, 8, 1)}', [UNKNOWN]],
    ['plain', ['plain']],
  ])('%s', (value, expected) => {
    expect(valuesOf('main.tf.json', tf(value), p)).toEqual(expected);
  });
});

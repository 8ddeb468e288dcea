import { describe, expect, it } from 'vitest';
import { parseJson } from '../parse/json';
import type { Node, ScalarNode } from '../parse/tree';
import { get, walk } from '../parse/tree';
import { IncrementalYamlParser } from '../parse/yaml';
import { escapeFor, findInterpolations, mapStringOffsets, parseEmbedded } from './embedded';

/** The `policy` string node of a JSON document. */
function jsonHost(text: string): ScalarNode {
  const node = get(parseJson(text).root, 'policy');
  if (node?.kind !== 'scalar') throw new Error('no policy string');
  return node;
}

function yamlHost(text: string): ScalarNode {
  const node = get(new IncrementalYamlParser().parse(text).root, 'policy');
  if (node?.kind !== 'scalar') throw new Error('no policy string');
  return node;
}

/** Every scalar of the embedded tree, as the file text it covers. */
function scalars(root: Node | undefined, text: string): string[] {
  const out: string[] = [];
  if (!root) return out;
  walk(root, (n) => {
    if (n.kind === 'map') for (const e of n.entries) out.push(text.slice(e.key.start, e.key.end));
    if (n.kind === 'scalar') out.push(text.slice(n.start, n.end));
  });
  return out;
}

describe('mapStringOffsets', () => {
  it('maps plain characters one to one', () => {
    const text = '{"policy": "abc"}';
    const host = jsonHost(text);
    const map = mapStringOffsets(text, host, 'abc');
    expect(map.exact).toBe(true);
    expect([...map.offsets]).toEqual([12, 13, 14, 15]);
  });

  it('maps escapes to the escape sequence: \\" \\\\ \\n \\u0041', () => {
    const text = String.raw`{"policy": "a\"b\\c\nd\u0041e"}`;
    const host = jsonHost(text);
    const decoded = String(host.value);
    expect(decoded).toBe('a"b\\c\nd' + 'Ae');
    const map = mapStringOffsets(text, host, decoded);
    expect(map.exact).toBe(true);
    const at = (i: number): string => text.slice(map.offsets[i]!, map.offsets[i + 1]!);
    expect([...decoded].map((_, i) => at(i))).toEqual([
      'a',
      '\\"',
      'b',
      '\\\\',
      'c',
      '\\n',
      'd',
      '\\u0041',
      'e',
    ]);
    expect(map.offsets[decoded.length]).toBe(host.end - 1);
  });

  it('maps both halves of an escaped surrogate pair', () => {
    const text = String.raw`{"policy": "x\ud83d\ude00y"}`;
    const host = jsonHost(text);
    const decoded = String(host.value);
    const map = mapStringOffsets(text, host, decoded);
    expect(map.exact).toBe(true);
    expect(text.slice(map.offsets[1]!, map.offsets[2]!)).toBe('\\ud83d');
    expect(text.slice(map.offsets[2]!, map.offsets[3]!)).toBe('\\ude00');
    expect(text.slice(map.offsets[3]!, map.offsets[4]!)).toBe('y');
  });

  it('maps YAML single-quoted strings with doubled quotes', () => {
    const text = "policy: '{\"a\": ''b''}'\n";
    const host = yamlHost(text);
    const decoded = String(host.value);
    expect(decoded).toBe(`{"a": 'b'}`);
    const map = mapStringOffsets(text, host, decoded);
    expect(map.exact).toBe(true);
    expect(text.slice(map.offsets[6]!, map.offsets[7]!)).toBe("''");
  });

  it('maps YAML block scalars line by line', () => {
    const text = 'policy: |\n  {\n    "a": 1\n  }\nnext: 1\n';
    const host = yamlHost(text);
    const decoded = String(host.value);
    const map = mapStringOffsets(text, host, decoded);
    expect(map.exact).toBe(true);
    const a = decoded.indexOf('"a"');
    expect(text.slice(map.offsets[a]!, map.offsets[a + 3]!)).toBe('"a"');
  });

  it('falls back to the whole string when the source cannot be aligned', () => {
    const text = 'policy: "{\\"a\\":\n  1}"\n';
    const host = yamlHost(text);
    const map = mapStringOffsets(text, host, String(host.value));
    expect(map.exact).toBe(false);
    expect(map.offsets[0]).toBe(host.start);
  });
});

describe('findInterpolations', () => {
  it('finds Terraform templates and skips escapes', () => {
    const s = 'a ${var.x} b $${aws:username} c %{ if true }d%{ endif } ${join("}", var.y)}';
    expect(findInterpolations(s, 'tf').map(([a, b]) => s.slice(a, b))).toEqual([
      '${var.x}',
      '%{ if true }',
      '%{ endif }',
      '${join("}", var.y)}',
    ]);
  });

  it('finds Fn::Sub variables and skips ${!Literal}', () => {
    const s = 'arn:${AWS::Partition}:s3:::${Bucket}/${!aws:username}';
    expect(findInterpolations(s, 'sub').map(([a, b]) => s.slice(a, b))).toEqual([
      '${AWS::Partition}',
      '${Bucket}',
    ]);
  });
});

describe('parseEmbedded', () => {
  it('gives every node of a Terraform policy string its exact file range', () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }],
    });
    const text = JSON.stringify({ policy }, null, 2);
    const host = jsonHost(text);
    const parsed = parseEmbedded(text, host, String(host.value), 'tf');
    expect(parsed.problems).toEqual([]);
    expect(parsed.map.exact).toBe(true);
    expect(scalars(parsed.root, text)).toEqual([
      '\\"Version\\"',
      '\\"Statement\\"',
      '\\"2012-10-17\\"',
      '\\"Effect\\"',
      '\\"Action\\"',
      '\\"Resource\\"',
      '\\"Allow\\"',
      '\\"s3:GetObject\\"',
      '\\"arn:aws:s3:::b/*\\"',
    ]);
    const statement = get(parsed.root, 'Statement');
    expect(statement?.kind).toBe('seq');
    expect(text.slice(parsed.root!.start, parsed.root!.end)).toBe(policy.replace(/"/g, '\\"'));
  });

  it('maps pretty-printed policies with \\n escapes', () => {
    const policy = JSON.stringify({ Statement: [{ Action: 's3:GetObject' }] }, null, 2);
    const text = JSON.stringify({ policy });
    const host = jsonHost(text);
    const parsed = parseEmbedded(text, host, String(host.value), 'tf');
    const action = get((get(parsed.root, 'Statement') as { items: Node[] }).items[0], 'Action')!;
    expect(text.slice(action.start, action.end)).toBe('\\"s3:GetObject\\"');
    expect(text.slice(action.start - 12, action.start)).toBe('\\"Action\\": ');
  });

  it('treats interpolation as unknown but keeps its position', () => {
    const decoded =
      '{"Statement": [{"Resource": "${aws_s3_bucket.b.arn}/*", "Action": ${jsonencode(var.actions)}, "Condition": {"StringLike": {"s3:prefix": "$${aws:username}/*", "x": "${join("\\",\\"", var.y)}"}}}]}';
    const text = JSON.stringify({ policy: decoded });
    const host = jsonHost(text);
    const parsed = parseEmbedded(text, host, String(host.value), 'tf');
    expect(parsed.problems).toEqual([]);
    const statement = (get(parsed.root, 'Statement') as { items: Node[] }).items[0];
    const resource = get(statement, 'Resource') as ScalarNode;
    expect(parsed.unknown.has(resource)).toBe(true);
    expect(resource.value).toBe('${aws_s3_bucket.b.arn}/*');
    expect(text.slice(resource.start, resource.end)).toBe('\\"${aws_s3_bucket.b.arn}/*\\"');
    const action = get(statement, 'Action') as ScalarNode;
    expect(parsed.unknown.has(action)).toBe(true);
    expect(text.slice(action.start, action.end)).toBe('${jsonencode(var.actions)}');
    const like = get(get(get(statement, 'Condition'), 'StringLike'), 's3:prefix') as ScalarNode;
    expect(parsed.unknown.has(like)).toBe(false);
    expect(like.value).toBe('${aws:username}/*');
    const joined = get(get(get(statement, 'Condition'), 'StringLike'), 'x') as ScalarNode;
    expect(parsed.unknown.has(joined)).toBe(true);
  });

  it('maps JSON syntax errors into the string', () => {
    const text = JSON.stringify({ policy: '{"Statement": [{"Effect": "Allow",}]}' });
    const host = jsonHost(text);
    const parsed = parseEmbedded(text, host, String(host.value), 'tf');
    expect(parsed.problems.length).toBeGreaterThan(0);
    const p = parsed.problems[0]!;
    expect(p.start).toBeGreaterThan(host.start);
    expect(p.end).toBeLessThan(host.end);
  });
});

describe('escapeFor', () => {
  it('escapes new JSON as string content of the host', () => {
    expect(escapeFor('json', '"s3:GetObject"')).toBe('\\"s3:GetObject\\"');
    expect(escapeFor('double', 'a\\b')).toBe('a\\\\b');
    expect(escapeFor('single', `"it's"`)).toBe(`"it''s"`);
    expect(escapeFor('block', '"x"')).toBe('"x"');
  });
});

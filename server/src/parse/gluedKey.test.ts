// A key with characters glued to its colon (`HttpListener402:"`) is reported once, at those
// characters, and the rest of the template keeps its tree: whole, in pieces, and as an edit of a
// document split into pieces (the same answer every way).

import { describe, expect, it } from 'vitest';
import { COLON_AFTER_KEY, SPACE_AFTER_COLON } from './gluedKey';
import type { MapNode, ParsedText } from './tree';
import { toPlain } from './tree';
import { IncrementalYamlParser, parseYaml, parseYamlWhole } from './yaml';

/** Each problem as [1-based line, the text it covers, message]. */
function located(text: string, parsed: ParsedText): [number, string, string][] {
  return parsed.problems.map((p) => [
    text.slice(0, p.start).split('\n').length,
    text.slice(p.start, p.end),
    p.message,
  ]);
}

const lines = (...l: string[]) => l.join('\n') + '\n';

const template = (key: string, properties = 'Properties:', description = 'GroupDescription: web') =>
  lines(
    'Resources:',
    `  ${key}`,
    '    Type: AWS::EC2::SecurityGroup',
    `    ${properties}`,
    `      ${description}`,
    '      SecurityGroupIngress:',
    '        - IpProtocol: tcp',
    '          CidrIp: 0.0.0.0/0',
    '  Vpc:',
    '    Type: AWS::EC2::VPC',
    '    Properties:',
    '      CidrBlock: 10.0.0.0/16',
  );

/** The tree of the well-formed template, as plain data. */
const clean = toPlain(parseYaml(template('Sg:')).root);

describe('YAML: a key with characters glued to its colon', () => {
  const cases: [string, string, [number, string, string][]][] = [
    ['a quote after a resource key', template('Sg:"'), [[2, '"', SPACE_AFTER_COLON]]],
    ['a single quote after a block key', template('Sg:', "Properties:'"), [[4, "'", SPACE_AFTER_COLON]]],
    ['a bracket after a block key', template('Sg:', 'Properties:['), [[4, '[', SPACE_AFTER_COLON]]],
    ['a word glued to the colon', template('Sg:', 'Properties:abc '), [[4, 'abc', SPACE_AFTER_COLON]]],
    [
      'a leaf key, the next line as deep',
      template('Sg:', 'Properties:', 'GroupDescription:"'),
      [[5, '"', SPACE_AFTER_COLON]],
    ],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => {
      const whole = parseYamlWhole(text);
      expect(located(text, whole)).toEqual(expected);
      // In pieces (one per resource): the same problem and the same tree.
      const pieces = new IncrementalYamlParser({ chunkMin: 0 }).parse(text);
      expect(located(text, pieces)).toEqual(expected);
      expect(toPlain(pieces.root)).toEqual(toPlain(whole.root));
    });
  }

  it('the key keeps its value: the template reads as if the glued characters were not typed', () => {
    expect(toPlain(parseYamlWhole(template('Sg:"')).root)).toEqual(clean);
    expect(toPlain(parseYamlWhole(template('Sg:', 'Properties:"')).root)).toEqual(clean);
    // A leaf key loses what was glued to it (its value is read as empty).
    const leaf = parseYamlWhole(template('Sg:', 'Properties:', 'GroupDescription:"')).root as MapNode;
    expect(toPlain(leaf)).toEqual({
      Resources: {
        Sg: {
          Type: 'AWS::EC2::SecurityGroup',
          Properties: {
            GroupDescription: null,
            SecurityGroupIngress: [{ IpProtocol: 'tcp', CidrIp: '0.0.0.0/0' }],
          },
        },
        Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
      },
    });
  });

  it('a key inside a sequence entry (`- IpProtocol:"`)', () => {
    const text = template('Sg:').replace('- IpProtocol: tcp', '- IpProtocol:"');
    expect(located(text, parseYamlWhole(text))).toEqual([[7, '"', SPACE_AFTER_COLON]]);
  });

  it('not for other errors: a quoted key, a key with `::` only', () => {
    // `"Key":"` is a quoted key and a value: another error, reported as the parser does.
    const quoted = template('Sg:', 'Properties:', '"GroupDescription":"');
    expect(located(quoted, parseYamlWhole(quoted)).map(([, , m]) => m)).not.toContain(SPACE_AFTER_COLON);
    // A key with `::` only (no colon that ends it) running on into the next line.
    const intrinsic = template('Sg:', 'Properties:', 'Fn::If');
    expect(located(intrinsic, parseYamlWhole(intrinsic)).map(([, , m]) => m)).toEqual([
      'Implicit keys need to be on a single line',
    ]);
  });

  it('typed and deleted in a document split into pieces: one resource re-parsed, the others kept', () => {
    const body: string[] = [];
    for (let i = 0; i < 200; i++)
      body.push(template(`Sg${i}:`).replace('Resources:\n', '').replace('  Vpc:', `  Vpc${i}:`));
    const text = 'Resources:\n' + body.join('');
    const parser = new IncrementalYamlParser({ chunkMin: 0 });
    const first = parser.parse(text);
    const resources = (p: ParsedText) => ((p.root as MapNode).entries[0]!.value as MapNode).entries;
    const kept = resources(first)[0]!.value;
    const sg100 = text.indexOf('  Sg100:');
    const description = text.indexOf('GroupDescription: web', sg100) + 'GroupDescription:'.length;
    // [where, characters removed, characters typed, what the problem covers]
    const edits: [number, number, string, string][] = [
      [sg100 + '  Sg100:'.length, 0, '"', '"'],
      [text.indexOf('Properties:', sg100) + 'Properties:'.length, 0, '"', '"'],
      [description, 1, '', 'web'], // the space after the colon deleted
    ];
    for (const [at, removed, typed, covered] of edits) {
      const broken = text.slice(0, at) + typed + text.slice(at + removed);
      const parsed = parser.parse(broken);
      const whole = parseYamlWhole(broken);
      const expected = [[broken.slice(0, at).split('\n').length, covered, SPACE_AFTER_COLON]];
      expect(located(broken, parsed)).toEqual(expected);
      expect(located(broken, whole)).toEqual(expected);
      expect(toPlain(parsed.root)).toEqual(toPlain(whole.root));
      expect(resources(parsed).length).toBe(400);
      // Not parsed whole: the other resources are the same trees.
      expect(resources(parsed)[0]!.value).toBe(kept);
      const repaired = parser.parse(text);
      expect(repaired.problems).toEqual([]);
      expect(resources(repaired)[0]!.value).toBe(kept);
    }
  });

  it('a resource name typed without its colon, above the next resource: at the name, typed letter by letter', () => {
    const body: string[] = [];
    for (let i = 0; i < 200; i++)
      body.push(template(`Sg${i}:`).replace('Resources:\n', '').replace('  Vpc:', `  Vpc${i}:`));
    const text = 'Resources:\n' + body.join('');
    const parser = new IncrementalYamlParser({ chunkMin: 0 });
    const first = parser.parse(text);
    const resources = (p: ParsedText) => ((p.root as MapNode).entries[0]!.value as MapNode).entries;
    const kept = resources(first)[0]!.value;
    // A new line above `Sg100:`, then the name typed into it.
    const at = text.indexOf('  Sg100:');
    let typed = '';
    for (const next of ['  ', 'B', 'u', 'c', 'k', 'e', 't']) {
      typed += next;
      const version = text.slice(0, at) + typed + '\n' + text.slice(at);
      const parsed = parser.parse(version);
      const whole = parseYamlWhole(version);
      expect(toPlain(parsed.root)).toEqual(toPlain(whole.root));
      expect(located(version, parsed)).toEqual(located(version, whole));
      if (typed.trim())
        expect(located(version, parsed)).toEqual([[2 + 99 * 11 + 11, typed.trim(), COLON_AFTER_KEY]]);
      // The rest of the template is read as before: all 400 resources, the first one not parsed again.
      expect(resources(parsed).length).toBe(400);
      expect(resources(parsed)[0]!.value).toBe(kept);
    }
    // The colon typed: a resource with no body yet, and no problem.
    const done = text.slice(0, at) + '  Bucket:\n' + text.slice(at);
    const parsed = parser.parse(done);
    expect(parsed.problems).toEqual([]);
    expect(
      resources(parsed)
        .map((e) => e.key.value)
        .slice(199, 202),
    ).toEqual(['Vpc99', 'Bucket', 'Sg100']);
  });

  it('a name without its colon as the last line: the same, whole and in pieces', () => {
    const text = template('Sg:') + '  Bucket\n';
    const whole = parseYamlWhole(text);
    expect(located(text, whole)).toEqual([[13, 'Bucket', COLON_AFTER_KEY]]);
    expect(toPlain(whole.root)).toEqual(clean);
    const pieces = new IncrementalYamlParser({ chunkMin: 0 }).parse(text);
    expect(located(text, pieces)).toEqual(located(text, whole));
    expect(toPlain(pieces.root)).toEqual(toPlain(whole.root));
  });
});

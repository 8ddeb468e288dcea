// A syntax error points at what opened the problem (issue 15 item 5): an unclosed quote at the
// quote, an unclosed "[" or "{" at the bracket; never past the end of the text; the errors the
// parser stumbles into right after are not repeated; the same on every run.

import { describe, expect, it } from 'vitest';
import { IncrementalJsonParser, parseJson } from './json';
import type { ParsedText } from './tree';
import { IncrementalYamlParser, parseYaml } from './yaml';

/** Each problem as [1-based line, the text it covers, message]. */
function located(text: string, parsed: ParsedText): [number, string, string][] {
  return parsed.problems.map((p) => {
    expect(p.start).toBeGreaterThanOrEqual(0);
    expect(p.end).toBeLessThanOrEqual(text.length);
    return [text.slice(0, p.start).split('\n').length, text.slice(p.start, p.end), p.message];
  });
}

const DQ = 'This string is not closed: add the closing ".';
const SQ = "This string is not closed: add the closing '.";
const lines = (...l: string[]) => l.join('\n') + '\n';

const resource = (value: string, name = 'Sg') => [
  `  ${name}:`,
  '    Type: AWS::EC2::SecurityGroup',
  '    Properties:',
  `      GroupDescription: ${value}`,
  '      VpcId: vpc-1',
];

describe('YAML: an unclosed quote or bracket is reported at the opener', () => {
  const cases: [string, string, [number, string, string][]][] = [
    [
      'block value, double quote',
      lines('Resources:', ...resource('"web'), ...resource('x', 'B')),
      [[5, '"', DQ]],
    ],
    [
      'block value, single quote',
      lines('Resources:', ...resource("'web"), ...resource('x', 'B')),
      [[5, "'", SQ]],
    ],
    [
      'flow sequence',
      lines('Resources:', ...resource('[web, ssh'), ...resource('x', 'B')),
      [[5, '[', 'This "[" is not closed.']],
    ],
    [
      'flow mapping',
      lines('Resources:', ...resource('{a: b'), ...resource('x', 'B')),
      [[5, '{', 'This "{" is not closed.']],
    ],
    [
      'a quote typed after a flow sequence (a stray scalar left open)',
      lines('Resources:', ...resource('[web, ssh]"'), ...resource('x', 'B')),
      [[5, '"', DQ]],
    ],
    [
      'a quote inside a flow sequence swallows its "]": the quote alone',
      'a: [1, "x, 2]\nb: 1\n',
      [[1, '"', DQ]],
    ],
    [
      'nested flow collections',
      'a: [1, {b: [2\n',
      [
        [1, '[', 'This "[" is not closed.'],
        [1, '{', 'This "{" is not closed.'],
        [1, '[', 'This "[" is not closed.'],
      ],
    ],
    ['at the end of the text, no line end', 'a: "abc', [[1, '"', DQ]]],
    ['at the end of the text, flow', 'a: [1, 2', [[1, '[', 'This "[" is not closed.']]],
    ['at the end of the text, after a line end', 'a: 1\nb: "x\n', [[2, '"', DQ]]],
    ['CRLF', 'a: 1\r\nb: "abc\r\nc: d\r\n', [[2, '"', DQ]]],
    ['CRLF flow', 'a: [1,\r\n  2\r\nc: d\r\n', [[1, '[', 'This "[" is not closed.']]],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => {
      expect(located(text, parseYaml(text))).toEqual(expected);
      // The same on every run.
      expect(located(text, parseYaml(text))).toEqual(expected);
    });
  }

  it('in the middle of a 1,000-line template, whole and in pieces', () => {
    const body: string[] = [];
    for (let i = 0; body.length < 1000; i++) body.push(...resource(`web ${i}`, `Sg${i}`));
    const mid = 100; // resource 100 starts at line 2 + 500
    for (const [opener, message] of [
      ['"', DQ],
      ["'", SQ],
      ['[', 'This "[" is not closed.'],
      ['{', 'This "{" is not closed.'],
    ] as const) {
      const broken = body.slice();
      broken[mid * 5 + 3] = `      GroupDescription: ${opener}web ${mid}`;
      const text = lines('Resources:', ...broken);
      const expected = [[mid * 5 + 5, opener, message]];
      expect(located(text, parseYaml(text))).toEqual(expected);
      // Split into one piece per resource (as large documents are): the same problem.
      const pieces = new IncrementalYamlParser({ chunkMin: 0 });
      expect(located(text, pieces.parse(text))).toEqual(expected);
      expect(located(text, pieces.parse(text))).toEqual(expected);
    }
  });

  it('a bracket left open, then closed two resources further on: the relaxed flow reading, as whole', () => {
    const open = lines(
      'Resources:',
      '  A:',
      '    Properties:',
      '      L: [a,',
      '  B: b,',
      '  C: c',
      '  D: d',
    );
    const closed = open.replace('  C: c\n', '  C: c]\n');
    // Whole: the relaxed reading of the flow collection (flowIndent.ts) puts it on one line.
    expect(parseYaml(closed).problems).toEqual([]);
    const pieces = new IncrementalYamlParser({ chunkMin: 0 });
    expect(located(open, pieces.parse(open))).toEqual([[4, '[', 'This "[" is not closed.']]);
    // The edit is in C, not in A or its neighbour B: A's problem must not be kept.
    const parsed = pieces.parse(closed);
    expect(parsed.problems).toEqual([]);
    expect(parsed).toEqual(parseYaml(closed));
  });

  it('a quote closed on a line indented too little is not closed (as the yaml package reads it)', () => {
    const text = lines('Resources:', '  A:', '    Type: "abc', '  B: x"', '  C:', '    Type: y');
    expect(located(text, parseYaml(text))).toEqual([[3, '"', DQ]]);
  });

  it('other errors are kept', () => {
    const text = 'a: b: c\n';
    expect(located(text, parseYaml(text))).toEqual([
      [1, 'b', 'Nested mappings are not allowed in compact mappings'],
    ]);
  });
});

describe('JSON: an unclosed string or bracket is reported at the opener', () => {
  const cases: [string, string, [number, string, string][]][] = [
    ['string ended by the line end', '{"a": "abc\n, "b": 1}', [[1, '"', DQ]]],
    ['string at the end of the text swallows the closers: the quote alone', '{"a": "abc', [[1, '"', DQ]]],
    ['object', '{"a": {"b": 1}, "c": 2\n', [[1, '{', 'This "{" is not closed.']]],
    [
      'array inside an object',
      '{"a": [1, 2\n, "b": 3}',
      [
        [1, '[', 'This "[" is not closed.'],
        [2, ':', 'Comma expected.'],
        [2, ':', 'Value expected.'],
      ],
    ],
    [
      'at the end of the text',
      '{"a": [1, 2',
      [
        [1, '{', 'This "{" is not closed.'],
        [1, '[', 'This "[" is not closed.'],
      ],
    ],
    ['CRLF', '{\r\n  "a": "abc\r\n}\r\n', [[2, '"', DQ]]],
    [
      'CRLF bracket',
      '{\r\n  "a": [1,\r\n  "b": 2\r\n}\r\n',
      [
        [2, '[', 'This "[" is not closed.'],
        [3, ':', 'Comma expected.'],
        [3, ':', 'Value expected.'],
      ],
    ],
    [
      'a stray closer is left to the parser',
      '{"a": 1]}',
      [
        [1, ']', 'Comma expected.'],
        [1, ']', 'Property name expected.'],
        [1, '}', 'Value expected.'],
      ],
    ],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => {
      expect(located(text, parseJson(text))).toEqual(expected);
    });
  }

  it('in the middle of a 1,000-line template, whole and in pieces', () => {
    const resources: string[] = [];
    for (let i = 0; i < 200; i++)
      resources.push(
        `    "R${i}": {\n      "Type": "AWS::SNS::Topic",\n      "Properties": {"TopicName": "t${i}"}\n    }`,
      );
    const good = `{\n  "Resources": {\n${resources.join(',\n')}\n  }\n}\n`;
    expect(good.split('\n').length).toBeGreaterThan(800);
    const at = good.indexOf('"t100"');
    const line = good.slice(0, at).split('\n').length;
    const parser = new IncrementalJsonParser({ chunkMin: 0 });
    parser.parse(good);
    // The string: a missing closing quote takes the "}" after it (the line end ends it for
    // jsonc-parser); the brackets it leaves open are not reported besides.
    const str = good.slice(0, at) + '"t100}' + good.slice(at + '"t100"}'.length);
    expect(located(str, parseJson(str))).toEqual([[line, '"', DQ]]);
    expect(located(str, parser.parse(str))).toEqual([[line, '"', DQ]]);
    // The bracket: "{" of the Properties value left open.
    const bracket = good.slice(0, at) + '"t100"' + good.slice(at + '"t100"}'.length);
    const open = bracket.lastIndexOf('{', at);
    expect(located(bracket, parseJson(bracket))[0]).toEqual([line, '{', 'This "{" is not closed.']);
    expect(located(bracket, parser.parse(bracket))[0]).toEqual([line, '{', 'This "{" is not closed.']);
    expect(parseJson(bracket).problems[0]!.start).toBe(open);
  });
});

// The incremental parsers (pieces parsed on their own and reused between versions) must give
// exactly the tree and the problems that parsing the whole text gives, for every version of a
// document as it is edited. Broken documents: JSON, exactly too; YAML, exactly wherever the whole
// parse succeeds, and with problems whenever it does not (a syntax error confined to one resource
// keeps the other resources parsed per piece, issue 16).

import { describe, expect, it } from 'vitest';
import { cfnToTerraformJson, cfnYamlToJson, cfnYamlToValue } from '../../bench/generate';
import { IncrementalJsonParser, parseJson } from '../../server/src/parse/json';
import type { MapNode, ParsedText } from '../../server/src/parse/tree';
import { IncrementalYamlParser, parseYamlWhole } from '../../server/src/parse/yaml';
import { LONG, SEED, TIMEOUT, benchTemplate, fixtures, int, normalise, pick, rng } from './support';

interface Parser {
  parse(text: string): ParsedText;
}

const YAML_CHARS = [
  'x',
  'x',
  ' ',
  ' ',
  '\n',
  ':',
  '-',
  '"',
  "'",
  '[',
  ']',
  '{',
  '}',
  ',',
  '#',
  '!',
  '&',
  '*',
  '\t',
  '0',
  '|',
];
const JSON_CHARS = [
  'x',
  'x',
  ' ',
  '\n',
  ':',
  '"',
  '"',
  '{',
  '}',
  '[',
  ']',
  ',',
  ',',
  '/',
  '*',
  '\\',
  '0',
  't',
];

/** One random edit of the kinds people make: a character typed or deleted, a line cut or moved. */
function edit(text: string, random: () => number, chars: string[]): string {
  const at = int(random, text.length + 1);
  const kind = random();
  if (kind < 0.45) return text.slice(0, at) + pick(random, chars) + text.slice(at);
  if (kind < 0.8) return text.slice(0, at) + text.slice(at + 1);
  if (kind < 0.9) return text.slice(0, at) + text.slice(at + 1 + int(random, 40));
  // Move a line elsewhere.
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const lineEnd = text.indexOf('\n', at);
  const end = lineEnd < 0 ? text.length : lineEnd + 1;
  const line = text.slice(lineStart, end);
  const rest = text.slice(0, lineStart) + text.slice(end);
  const to = rest.lastIndexOf('\n', int(random, rest.length + 1)) + 1;
  return rest.slice(0, to) + line + rest.slice(to);
}

/** Openers and closers people leave half-typed: at a value (after ": "), or one deleted. */
const BREAKERS = ['"', "'", '[', '{', ']', '}', '"x', "'x ", '[a, ', '{a: ', '!Sub "${'];

/** An edit that breaks (or repairs) a quote or bracket or a key's colon, else an ordinary one. */
function breakingEdit(text: string, random: () => number, chars: string[]): string {
  const kind = random();
  if (kind < 0.5) {
    let at = text.indexOf(': ', int(random, text.length));
    if (at < 0) at = text.indexOf(': ');
    if (at < 0) return edit(text, random, chars);
    at += 2;
    return text.slice(0, at) + pick(random, BREAKERS) + text.slice(at);
  }
  if (kind < 0.6) {
    // Right after a key that opens a block (`Properties:"`): YAML reads the key on into the next lines.
    const found = /:\r?\n/g;
    found.lastIndex = int(random, text.length);
    const m = found.exec(text) ?? /:\r?\n/.exec(text);
    if (!m) return edit(text, random, chars);
    const at = m.index + 1;
    return text.slice(0, at) + pick(random, ['"', "'", '[', 'x']) + text.slice(at);
  }
  if (kind < 0.75) {
    const from = int(random, text.length);
    const found = /["'[\]{}]/g;
    found.lastIndex = from;
    const m = found.exec(text);
    if (!m) return edit(text, random, chars);
    return text.slice(0, m.index) + text.slice(m.index + 1);
  }
  return edit(text, random, chars);
}

function replay(
  name: string,
  start: string,
  make: () => Parser,
  whole: (text: string) => ParsedText,
  edits: number,
  chars: string[],
  seed: number,
  confinedErrors = false,
  change: (text: string, random: () => number, chars: string[]) => string = edit,
): void {
  const random = rng(seed);
  const parser = make();
  let text = start;
  const history: string[] = [];
  for (let step = 0; step <= edits; step++) {
    const gotParsed = parser.parse(text);
    const wantParsed = whole(text);
    if (confinedErrors && wantParsed.problems.length) {
      expect(
        gotParsed.problems.length,
        `${name}: version ${step} (seed ${seed}) has no problems`,
      ).toBeGreaterThan(0);
      for (const p of gotParsed.problems) expect(p.end).toBeLessThanOrEqual(text.length);
    }
    const got = normalise(gotParsed);
    const want = normalise(wantParsed);
    if (!(confinedErrors && wantParsed.problems.length) && JSON.stringify(got) !== JSON.stringify(want)) {
      // Show where: the first differing version, with the seed to replay it.
      expect(got, `${name}: version ${step} (seed ${seed}) differs from the whole parse`).toEqual(want);
    }
    history.push(text);
    // Mostly keep editing the newest text; sometimes undo (back to an earlier version).
    text = random() < 0.1 && history.length > 1 ? history[history.length - 2]! : change(text, random, chars);
  }
}

const yamlWhole = (text: string): ParsedText => parseYamlWhole(text);
const jsonWhole = (text: string): ParsedText => parseJson(text);

describe('incremental YAML parsing gives the whole-text tree', { timeout: TIMEOUT }, () => {
  const medium = benchTemplate('medium');
  it('medium.yaml through many edits', () => {
    replay(
      'medium.yaml',
      medium,
      () => new IncrementalYamlParser(),
      yamlWhole,
      LONG ? 600 : 120,
      YAML_CHARS,
      SEED,
      true,
    );
  });
  it('medium.yaml split into pieces even when small', () => {
    const small = benchTemplate('small');
    replay(
      'small.yaml',
      small,
      () => new IncrementalYamlParser({ chunkMin: 0 }),
      yamlWhole,
      LONG ? 600 : 150,
      YAML_CHARS,
      SEED + 1,
      true,
    );
  });
  it('CRLF line ends, a byte order mark, comments between resources', () => {
    const crlf = medium.replace(/\n/g, '\r\n');
    replay(
      'medium crlf',
      crlf,
      () => new IncrementalYamlParser(),
      yamlWhole,
      LONG ? 300 : 25,
      YAML_CHARS,
      SEED + 10,
      true,
    );
    const bom = '\uFEFF' + medium.replace(/\n {2}Tg(\d+):/g, '\n# target group $1\n  Tg$1: # comment');
    replay(
      'medium bom',
      bom,
      () => new IncrementalYamlParser(),
      yamlWhole,
      LONG ? 300 : 25,
      YAML_CHARS,
      SEED + 11,
      true,
    );
  });
  // Quotes and brackets opened and closed (issue 15 item 5, issue 16 item 4). Undo is frequent,
  // so broken versions are repaired as often as they are made.
  it('medium.yaml: quotes and brackets opened and closed', () => {
    replay(
      'medium.yaml breaking',
      medium,
      () => new IncrementalYamlParser(),
      yamlWhole,
      LONG ? 600 : 40,
      YAML_CHARS,
      SEED + 12,
      true,
      breakingEdit,
    );
  });
  it('small.yaml in pieces: quotes and brackets opened and closed', () => {
    replay(
      'small.yaml breaking, in pieces',
      benchTemplate('small'),
      () => new IncrementalYamlParser({ chunkMin: 0 }),
      yamlWhole,
      LONG ? 600 : 100,
      YAML_CHARS,
      SEED + 13,
      true,
      breakingEdit,
    );
  });
  // A character typed right after a key's colon (`Properties:"`) is kept in its resource
  // (parse/gluedKey.ts): every such version, in pieces, is exactly the whole parse, problems too.
  it("small.yaml in pieces: a character after each key's colon, exactly as whole", () => {
    const small = benchTemplate('small');
    const parser = new IncrementalYamlParser({ chunkMin: 0 });
    parser.parse(small);
    let edits = 0;
    for (const m of small.matchAll(/:\n/g)) {
      for (const typed of ['"', "'", '[', 'x']) {
        const at = m.index + 1;
        const broken = small.slice(0, at) + typed + small.slice(at);
        expect(normalise(parser.parse(broken)), `${typed} at ${at}`).toEqual(normalise(yamlWhole(broken)));
        expect(normalise(parser.parse(small))).toEqual(normalise(yamlWhole(small)));
        edits++;
      }
    }
    expect(edits).toBe(76);
  });
  // A name typed on a line of its own before its colon (a new resource): YAML joins it with the
  // next line; the piece holding it alone must say what the whole parse says.
  it('small.yaml in pieces: a key without its colon above each line, exactly as whole', () => {
    const small = benchTemplate('small');
    const parser = new IncrementalYamlParser({ chunkMin: 0 });
    parser.parse(small);
    let edits = 0;
    for (const m of small.matchAll(/^/gm)) {
      for (const typed of ['  Bucket\n', '  B\n', '    Typ\n', '        - tc\n']) {
        const broken = small.slice(0, m.index) + typed + small.slice(m.index);
        expect(normalise(parser.parse(broken)), `${typed} at ${m.index}`).toEqual(
          normalise(yamlWhole(broken)),
        );
        expect(normalise(parser.parse(small))).toEqual(normalise(yamlWhole(small)));
        edits++;
      }
    }
    expect(edits).toBe(4 * 58);
  });
  for (const [file, text] of fixtures().filter(([f]) => /^cfn-yaml\/.*\.ya?ml$/.test(f))) {
    it(`fixture ${file}: quotes and brackets opened and closed`, () => {
      replay(
        `${file} breaking`,
        text,
        () => new IncrementalYamlParser({ chunkMin: 0 }),
        yamlWhole,
        LONG ? 200 : 20,
        YAML_CHARS,
        SEED + 14,
        true,
        breakingEdit,
      );
    });
  }
  it('large.yaml through a few edits', () => {
    replay(
      'large.yaml',
      benchTemplate('large'),
      () => new IncrementalYamlParser(),
      yamlWhole,
      LONG ? 40 : 2,
      YAML_CHARS,
      SEED + 2,
      true,
    );
  });
  for (const [file, text] of fixtures().filter(([f]) => /\.ya?ml$/.test(f))) {
    it(`fixture ${file}`, () => {
      replay(
        file,
        text,
        () => new IncrementalYamlParser({ chunkMin: 0 }),
        yamlWhole,
        LONG ? 400 : 60,
        YAML_CHARS,
        SEED + 3,
        true,
      );
    });
  }
});

describe('tabs in a chunked YAML template', { timeout: TIMEOUT }, () => {
  const medium = benchTemplate('medium');
  const resources = (parsed: ParsedText): MapNode =>
    (parsed.root as MapNode).entries.find((e) => e.key.value === 'Resources')!.value as MapNode;

  it('a tab inside a value keeps the template parsed per resource, as whole', () => {
    // A tab after a line's first character (in a string, a script): read alike in a piece.
    const tabbed = medium.replace('GroupDescription: web and ssh1\n', 'GroupDescription: web\tand ssh1\n');
    const parser = new IncrementalYamlParser();
    const first = parser.parse(tabbed);
    expect(normalise(first)).toEqual(normalise(yamlWhole(tabbed)));
    const kept = resources(first).entries[0]!.value;
    // An edit in another resource: one piece parsed again, the others kept (not a whole parse).
    const at = tabbed.indexOf('GroupDescription: web and ssh3') + 'GroupDescription: web'.length;
    const edited = tabbed.slice(0, at) + 'x' + tabbed.slice(at);
    const parsed = parser.parse(edited);
    expect(normalise(parsed)).toEqual(normalise(yamlWhole(edited)));
    expect(resources(parsed).entries[0]!.value).toBe(kept);
    expect(resources(parsed).entries.length).toBe(resources(first).entries.length);
  });

  it("a tab in a line's indentation: parsed whole (the split counts spaces), the same problems", () => {
    const at = medium.indexOf('      GroupDescription: web and ssh3');
    const tabbed = medium.slice(0, at) + '\t' + medium.slice(at + 1);
    const parser = new IncrementalYamlParser();
    const first = parser.parse(medium);
    const parsed = parser.parse(tabbed);
    expect(normalise(parsed)).toEqual(normalise(yamlWhole(tabbed)));
    expect(parsed.problems.length).toBeGreaterThan(0);
    expect(resources(parsed).entries[0]!.value).not.toBe(resources(first).entries[0]!.value);
  });
});

describe('incremental JSON parsing gives the whole-text tree', { timeout: TIMEOUT }, () => {
  const medium = benchTemplate('medium');
  const mediumJson = cfnYamlToJson(medium);
  const mediumTf = cfnToTerraformJson(cfnYamlToValue(medium));
  it('medium.json through many edits', () => {
    replay(
      'medium.json',
      mediumJson,
      () => new IncrementalJsonParser(),
      jsonWhole,
      LONG ? 800 : 200,
      JSON_CHARS,
      SEED + 4,
    );
  });
  it('medium.tf.json through many edits', () => {
    replay(
      'medium.tf.json',
      mediumTf,
      () => new IncrementalJsonParser(),
      jsonWhole,
      LONG ? 800 : 200,
      JSON_CHARS,
      SEED + 5,
    );
  });
  it('large.json through a few edits', () => {
    const large = cfnYamlToJson(benchTemplate('large'));
    replay(
      'large.json',
      large,
      () => new IncrementalJsonParser(),
      jsonWhole,
      LONG ? 60 : 10,
      JSON_CHARS,
      SEED + 6,
    );
  });
  for (const [file, text] of fixtures().filter(([f]) => f.endsWith('.json'))) {
    it(`fixture ${file}`, () => {
      replay(
        file,
        text,
        () => new IncrementalJsonParser({ chunkMin: 0 }),
        jsonWhole,
        LONG ? 400 : 80,
        JSON_CHARS,
        SEED + 7,
      );
    });
  }
  it('quotes and brackets opened and closed in JSON', () => {
    replay(
      'medium.json breaking',
      mediumJson,
      () => new IncrementalJsonParser({ chunkMin: 0 }),
      jsonWhole,
      LONG ? 600 : 150,
      JSON_CHARS,
      SEED + 15,
      false,
      breakingEdit,
    );
  });
  it('a minified document and one with comments', () => {
    const minified = JSON.stringify(JSON.parse(mediumJson));
    replay(
      'minified',
      minified,
      () => new IncrementalJsonParser({ chunkMin: 0 }),
      jsonWhole,
      60,
      JSON_CHARS,
      SEED + 8,
    );
    const commented = mediumJson.replace(/\n {4}"/g, (m, offset: number) =>
      offset % 7 === 0 ? `\n    // note "}\n    "` : m,
    );
    replay(
      'comments',
      commented,
      () => new IncrementalJsonParser({ chunkMin: 0 }),
      jsonWhole,
      60,
      JSON_CHARS,
      SEED + 9,
    );
  });
});

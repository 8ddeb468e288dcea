// A YAML error in a large template (issue 16, item 4): an edit that breaks one resource (and the
// edit that repairs it) re-parses that resource and its neighbours, not the whole 20,000 lines;
// the other resources keep their trees, and the repaired document equals the whole parse. An
// unclosed quote or bracket is reported at the quote or bracket (issue 15, item 5), and does
// not swallow the resources after it.

import { describe, expect, it } from 'vitest';
import { SPACE_AFTER_COLON } from '../../server/src/parse/gluedKey';
import type { MapNode } from '../../server/src/parse/tree';
import { IncrementalYamlParser, parseYamlWhole } from '../../server/src/parse/yaml';
import { benchTemplate, normalise } from './support';

const resources = (parsed: { root?: unknown }): MapNode => {
  const root = parsed.root as MapNode;
  return root.entries.find((e) => e.key.value === 'Resources')!.value as MapNode;
};

describe('a YAML error confined to one resource of the large template', () => {
  const text = benchTemplate('large');
  const marker = 'GroupDescription: web and ssh287\n';
  const at = text.indexOf(marker) + 'GroupDescription: '.length;

  it('breaking and repairing re-parse one resource and its neighbours', () => {
    const parser = new IncrementalYamlParser();
    const first = parser.parse(text);
    const all = resources(first).entries.length;
    const untouched = resources(first).entries[0]!;
    const untouchedValue = untouched.value;

    const broken = text.slice(0, at) + '[' + text.slice(at);
    let started = performance.now();
    const parsedBroken = parser.parse(broken);
    const brokenMs = performance.now() - started;
    // The other resources are the same trees (not parsed again), all still there.
    expect(resources(parsedBroken).entries.length).toBe(all);
    expect(resources(parsedBroken).entries[0]!.value).toBe(untouchedValue);
    // The problems are the resource's own, where they are.
    const line = (offset: number) => broken.slice(0, offset).split('\n').length;
    expect(parsedBroken.problems.map((p) => [line(p.start), p.start, p.end, p.message])).toEqual([
      [line(at), at, at + 1, 'This "[" is not closed.'],
    ]);

    started = performance.now();
    const repaired = parser.parse(text);
    const repairedMs = performance.now() - started;
    expect(resources(repaired).entries[0]!.value).toBe(untouchedValue);
    expect(normalise(repaired)).toEqual(normalise(parseYamlWhole(text)));
    // A whole parse of this template takes ~0.5-1.5 s; one resource and its neighbours, a few ms.
    expect(brokenMs).toBeLessThan(300);
    expect(repairedMs).toBeLessThan(300);
  }, 120_000);

  for (const [opener, message] of [
    ['"', 'This string is not closed: add the closing ".'],
    ["'", "This string is not closed: add the closing '."],
    ['{', 'This "{" is not closed.'],
  ]) {
    it(`an unclosed ${opener} is confined to its resource too (it no longer swallows the rest)`, () => {
      const parser = new IncrementalYamlParser();
      const first = parser.parse(text);
      const untouchedValue = resources(first).entries[0]!.value;
      const all = resources(first).entries.length;
      const broken = text.slice(0, at) + opener + text.slice(at);
      let started = performance.now();
      const parsedBroken = parser.parse(broken);
      const brokenMs = performance.now() - started;
      expect(parsedBroken.problems.map((p) => [p.start, p.end, p.message])).toEqual([[at, at + 1, message]]);
      expect(resources(parsedBroken).entries.length).toBe(all);
      expect(resources(parsedBroken).entries[0]!.value).toBe(untouchedValue);
      // The whole parse reports the same single problem.
      expect(parseYamlWhole(broken).problems.map((p) => [p.start, p.end, p.message])).toEqual([
        [at, at + 1, message],
      ]);
      started = performance.now();
      const repaired = parser.parse(text);
      const repairedMs = performance.now() - started;
      expect(resources(repaired).entries[0]!.value).toBe(untouchedValue);
      expect(normalise(repaired)).toEqual(normalise(parseYamlWhole(text)));
      expect(brokenMs).toBeLessThan(300);
      expect(repairedMs).toBeLessThan(300);
    }, 120_000);
  }

  it('a quote typed after a resource key (`HttpListener402:"`) stays in that resource, as in a fresh parse', () => {
    const parser = new IncrementalYamlParser();
    const first = parser.parse(text);
    const all = resources(first).entries.length;
    const untouchedValue = resources(first).entries[0]!.value;
    const key = text.indexOf('\n  HttpListener402:\n') + '\n  HttpListener402:'.length;
    // The bench's broken case: YAML reads `HttpListener402:"` and the next lines as one plain key,
    // which took the resources after it into it and made every such edit a whole parse.
    const broken = text.slice(0, key) + '"' + text.slice(key);
    let started = performance.now();
    const parsedBroken = parser.parse(broken);
    const brokenMs = performance.now() - started;
    const expected = [[key, key + 1, SPACE_AFTER_COLON]];
    expect(parsedBroken.problems.map((p) => [p.start, p.end, p.message])).toEqual(expected);
    expect(resources(parsedBroken).entries.length).toBe(all);
    expect(resources(parsedBroken).entries[0]!.value).toBe(untouchedValue);
    // A fresh parse of the same text: the same problem and the same tree.
    const whole = parseYamlWhole(broken);
    expect(whole.problems.map((p) => [p.start, p.end, p.message])).toEqual(expected);
    expect(normalise(parsedBroken)).toEqual(normalise(whole));
    started = performance.now();
    const repaired = parser.parse(text);
    const repairedMs = performance.now() - started;
    expect(resources(repaired).entries[0]!.value).toBe(untouchedValue);
    expect(normalise(repaired)).toEqual(normalise(parseYamlWhole(text)));
    expect(brokenMs).toBeLessThan(300);
    expect(repairedMs).toBeLessThan(300);
  }, 120_000);

  it('a bracket closed in a later resource (read whole by the relaxed flow reading) is parsed whole', () => {
    const parser = new IncrementalYamlParser();
    parser.parse(text);
    const later = text.indexOf('\n  Alb287:') + 1;
    const broken = text.slice(0, at) + '[' + text.slice(at, later) + '  ]\n' + text.slice(later);
    expect(normalise(parser.parse(broken))).toEqual(normalise(parseYamlWhole(broken)));
    expect(normalise(parser.parse(text))).toEqual(normalise(parseYamlWhole(text)));
    // Left open first (confined), then closed two resources further on, the resource and its
    // neighbours unchanged: the whole parse again.
    const open = text.slice(0, at) + '[' + text.slice(at);
    parser.parse(open);
    const port = open.indexOf('Port: 80\n', open.indexOf('\n  Tg287:')) + 'Port: 80'.length;
    const closed = open.slice(0, port) + ']' + open.slice(port);
    const whole = parseYamlWhole(closed);
    expect(normalise(parser.parse(closed))).toEqual(normalise(whole));
  }, 120_000);
});

// Incremental analysis (engine/incremental.ts) must give exactly what a fresh analysis gives:
// random edit sequences over every fixture and the benchmark templates, compared after every
// edit on rule, range, message, severity, related information, hover, suppression and fixes.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, type Analysis } from '../../server/src/engine/analyze';
import { IncrementalState } from '../../server/src/engine/incremental';
import { defaultSettings } from '../../server/src/engine/settings';
import { recipeToEdits } from '../../server/src/fixes/edits';
import { DocumentParsers, loadDocument } from '../../server/src/model/load';
import { IncrementalJsonParser } from '../../server/src/parse/json';
import { IncrementalYamlParser } from '../../server/src/parse/yaml';
import { analyzeInModule, ModuleReader } from '../../server/src/unit/module';

const root = path.resolve(__dirname, '../..');
const settings = defaultSettings();

/** Deterministic pseudo-random numbers (mulberry32), so a failure replays. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Values whose change moves findings (ports, CIDRs, flags, protocols, TLS policies). */
const SWAPS: [string, string][] = [
  ['0.0.0.0/0', '10.0.0.0/8'],
  ['22', '2222'],
  ['3389', '443'],
  ['true', 'false'],
  ['HTTP', 'HTTPS'],
  ['optional', 'required'],
  ['"*"', '"arn:aws:iam::111122223333:root"'],
  ['TLSv1.2_2021', 'TLSv1'],
];

type Edit = { start: number; end: number; text: string };

function randomEdit(text: string, next: () => number): Edit {
  const pick = next();
  if (pick < 0.45) {
    const [from, to] = SWAPS[Math.floor(next() * SWAPS.length)]!;
    const [a, b] = next() < 0.5 ? [from, to] : [to, from];
    const hits: number[] = [];
    for (let i = text.indexOf(a); i >= 0 && hits.length < 50; i = text.indexOf(a, i + 1)) hits.push(i);
    if (hits.length) {
      const at = hits[Math.floor(next() * hits.length)]!;
      return { start: at, end: at + a.length, text: b };
    }
  }
  if (pick >= 0.9) {
    // Typing in (or deleting from) a name: a resource's logical id or Terraform name, a parameter's.
    const names = [
      ...text.matchAll(/^ {2}([A-Za-z0-9]+):|^ {4}"([A-Za-z0-9]+)": \{|^resource "\w+" "([\w-]+)"/gm),
    ];
    if (names.length) {
      const m = names[Math.floor(next() * names.length)]!;
      const name = m[1] ?? m[2] ?? m[3]!;
      const end = m.index + m[0].indexOf(name) + name.length;
      return next() < 0.5 ? { start: end, end, text: 'z' } : { start: end - 1, end, text: '' };
    }
  }
  const at = Math.floor(next() * (text.length + 1));
  if (pick < 0.65) return { start: at, end: Math.min(text.length, at + 1), text: '' };
  const chars = 'abcxyz019 \n:-./"{}[],#';
  return { start: at, end: at, text: chars[Math.floor(next() * chars.length)]! };
}

function apply(text: string, e: Edit): string {
  return text.slice(0, e.start) + e.text + text.slice(e.end);
}

function shape(analysis: Analysis | undefined, withFixes: boolean): unknown[] {
  if (!analysis) return [];
  return analysis.findings.map((f) => ({
    ruleId: f.ruleId,
    severity: f.severity,
    start: f.start,
    end: f.end,
    message: f.message,
    resourceId: f.resourceId,
    related: f.related.map((r) => [r.span.start, r.span.end, r.message]),
    hover: f.hover,
    suppressed: f.suppressed,
    fixes: withFixes
      ? f.fixes.map((r) => ({ title: r.title, edits: recipeToEdits(analysis.doc, r) }))
      : undefined,
  }));
}

/** A fresh analysis; in `pieces`, parsed per resource like the incremental one (see `replay`). */
function fresh(uri: string, text: string, languageId: string, pieces = false): Analysis | undefined {
  const doc = loadDocument(
    uri,
    text,
    pieces
      ? {
          languageId,
          yamlParser: new IncrementalYamlParser({ chunkMin: 0 }),
          jsonParser: new IncrementalJsonParser({ chunkMin: 0 }),
        }
      : { languageId },
  );
  return doc && analyze(doc, settings);
}

/**
 * Replays `count` random edits (each undone half of the time) and compares after each. In
 * `pieces`, YAML and JSON of any size are parsed per resource, as large documents are, so that
 * unchanged resources keep their nodes and the facts built on them are kept; the fresh analysis
 * is parsed in pieces too (that pieces agree with a whole parse is the parser's tests' concern:
 * test/robustness/incremental-parse.test.ts).
 */
function replay(file: string, count: number, seed: number, fixesEvery: number, pieces = false): number {
  const uri = `file://${file}`;
  const languageId = file.endsWith('.tf') ? 'terraform' : file.endsWith('.json') ? 'json' : 'yaml';
  let text = readFileSync(file, 'utf8');
  const parsers = new DocumentParsers();
  const yamlParser = pieces ? new IncrementalYamlParser({ chunkMin: 0 }) : parsers.yaml;
  const jsonParser = pieces ? new IncrementalJsonParser({ chunkMin: 0 }) : parsers.json;
  const state = new IncrementalState();
  const next = random(seed);
  let reused = 0;
  const check = (step: number): void => {
    const doc = loadDocument(uri, text, { languageId, yamlParser, jsonParser, hclParser: parsers.hcl });
    const incremental = doc && analyze(doc, settings, undefined, state);
    const withFixes = step % fixesEvery === 0;
    const expected = shape(fresh(uri, text, languageId, pieces), withFixes);
    const actual = shape(incremental, withFixes);
    if (JSON.stringify(actual) !== JSON.stringify(expected))
      expect({ file, step, findings: actual }).toEqual({ file, step, findings: expected });
    reused += state.lastReused;
  };
  check(0);
  for (let step = 1; step <= count; step++) {
    const edit = randomEdit(text, next);
    const before = text;
    text = apply(text, edit);
    check(step);
    if (next() < 0.5) {
      text = before;
      check(step);
    }
  }
  parsers.dispose();
  return reused;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

const fixtures = filesUnder(path.join(root, 'test-fixtures'));

describe('incremental analysis equals a fresh analysis after every edit', () => {
  it.each(fixtures.map((f) => [path.relative(root, f), f]))('%s', (_name, file) => {
    replay(file, 20, path.relative(root, file).length * 7919, 4);
  });

  it.each(fixtures.filter((f) => !f.endsWith('.tf')).map((f) => [path.relative(root, f), f]))(
    '%s parsed in pieces',
    (_name, file) => {
      replay(file, 20, path.relative(root, file).length * 7717, 4, true);
    },
  );

  it('on the 1,000-line benchmark template', () => {
    replay(path.join(root, 'bench/templates/medium.yaml'), 40, 42, 10);
  });

  it('on the application benchmark template (parameters, policies, functions, buckets)', () => {
    replay(path.join(root, 'bench/templates/app.yaml'), 24, 7, 8);
  }, 120_000);
});

describe('what an edit re-runs', () => {
  const file = path.join(root, 'bench/templates/medium.yaml');
  const original = readFileSync(file, 'utf8');

  function versions(texts: string[]): { reused: number[]; state: IncrementalState } {
    const parsers = new DocumentParsers();
    const state = new IncrementalState();
    const reused: number[] = [];
    for (const text of texts) {
      const doc = loadDocument(`file://${file}`, text, { yamlParser: parsers.yaml })!;
      const analysis = analyze(doc, settings, undefined, state);
      expect(shape(analysis, true)).toEqual(shape(fresh(`file://${file}`, text, 'yaml'), true));
      reused.push(state.lastReused);
    }
    return { reused, state };
  }

  it('an edit inside one resource re-runs only the rules that read it', () => {
    // A port of one security group rule: the exposure and network rules run again, the
    // transport, IMDS and database rules (which read no security group) give what they gave.
    const at = original.indexOf('FromPort: 22');
    const edited = original.slice(0, at) + 'FromPort: 23' + original.slice(at + 'FromPort: 22'.length);
    const { reused } = versions([original, edited, original]);
    expect(reused[0]).toBe(0);
    expect(reused[1]).toBeGreaterThanOrEqual(5);
    expect(reused[2]).toBeGreaterThanOrEqual(5);
  });

  it('an edit in a resource no fact reads keeps the facts, and the rules that use them keep their findings', () => {
    // A target group's port: the network graph, the security-group rules and their users read no
    // target group, so the exposure rules built on them are not run again; the rules that read
    // target groups are.
    const at = original.indexOf('Port: 80', original.indexOf('Tg1:'));
    const edited = original.slice(0, at) + 'Port: 8080' + original.slice(at + 'Port: 80'.length);
    const { state } = versions([original, edited]);
    expect(state.lastKeptFacts.sort()).toEqual([
      'launch-templates',
      'network-acl-entries',
      'network-graph',
      'policies',
      'security-group-rules',
      'security-group-users',
    ]);
    // No rule read the port.
    expect(state.lastRun).toEqual([]);
  });

  it('an edit in a security group derives the facts that read it again', () => {
    const at = original.indexOf('FromPort: 22');
    const edited = original.slice(0, at) + 'FromPort: 23' + original.slice(at + 'FromPort: 22'.length);
    const { state } = versions([original, edited]);
    expect(state.lastKeptFacts).not.toContain('security-group-rules');
    expect(state.lastRun).toContain('ssh-open-to-internet');
  });

  it('an edit inside a policy derives the policies again and runs the policy rules only', () => {
    const policyFile = path.join(root, 'test-fixtures/cfn-yaml/policies-realistic.yaml');
    const text = readFileSync(policyFile, 'utf8');
    const at = text.indexOf('Action: sns:Publish');
    const edited = text.slice(0, at) + 'Action: sns:Publis' + text.slice(at + 'Action: sns:Publish'.length);
    // Parsed in pieces (as large templates are), so that unchanged resources keep their nodes.
    const yamlParser = new IncrementalYamlParser({ chunkMin: 0 });
    const state = new IncrementalState();
    for (const version of [text, edited]) {
      const doc = loadDocument(`file://${policyFile}`, version, { yamlParser })!;
      expect(shape(analyze(doc, settings, undefined, state), true)).toEqual(
        shape(fresh(`file://${policyFile}`, version, 'yaml'), true),
      );
    }
    expect(state.lastKeptFacts).not.toContain('policies');
    expect(state.lastKeptFacts).toContain('network-graph');
    expect(state.lastRun).toContain('iam-policy-invalid');
    expect(state.lastRun).toContain('public-principal-without-condition');
    expect(state.lastRun).not.toContain('gateway-endpoint-missing');
  });

  it('an edit inside a parameter re-runs what resolved through it, and keeps the rest', () => {
    const appFile = path.join(root, 'bench/templates/app.yaml');
    const text = readFileSync(appFile, 'utf8');
    const at = text.indexOf('203.0.113.0/24');
    const edited = text.slice(0, at) + '0.0.0.0/0' + text.slice(at + '203.0.113.0/24'.length);
    const parsers = new DocumentParsers();
    const state = new IncrementalState();
    const findings: string[][] = [];
    for (const version of [text, edited]) {
      const doc = loadDocument(`file://${appFile}`, version, { yamlParser: parsers.yaml })!;
      const analysis = analyze(doc, settings, undefined, state);
      expect(shape(analysis, true)).toEqual(shape(fresh(`file://${appFile}`, version, 'yaml'), true));
      findings.push(analysis.findings.map((f) => f.ruleId));
    }
    // The bastion's SSH rule resolves its CIDR through AdminCidr: now open to the internet.
    expect(findings[1]!.filter((id) => id === 'ssh-open-to-internet')).toHaveLength(1);
    expect(findings[0]!).not.toContain('ssh-open-to-internet');
    // Only the security-group rules resolved AdminCidr. (Who uses a group is asked only for an
    // open range: the first version has none, so there was no such fact to keep.)
    expect(state.lastKeptFacts.sort()).toEqual([
      'launch-templates',
      'network-acl-entries',
      'network-graph',
      'policies',
    ]);
    expect(state.lastRun).toContain('ssh-open-to-internet');
    expect(state.lastRun).not.toContain('iam-policy-invalid');
    expect(state.lastRun).not.toContain('s3-secure-transport-not-enforced');
  });

  it('renaming a resource re-runs what read it or what names it, and keeps the rest', () => {
    // Tg1 is named by HttpListener1 only: the network graph (which reads listeners) and the
    // rules on it run again; the security-group rules, the policies and their rules do not.
    const at = original.indexOf('  Tg1:') + '  Tg1'.length;
    const renamed = original.slice(0, at) + 'x' + original.slice(at);
    const { reused, state } = versions([original, renamed, original]);
    expect(reused[1]).toBeGreaterThanOrEqual(20);
    expect(reused[2]).toBeGreaterThanOrEqual(20);
    expect(state.lastKeptFacts).toContain('security-group-rules');
    expect(state.lastKeptFacts).not.toContain('network-graph');
    expect(state.lastRun).toContain('http-listener-not-redirected');
    expect(state.lastRun).not.toContain('iam-policy-invalid');
    expect(state.lastRun).not.toContain('rdp-open-to-internet');
  });

  it('renaming a resource that Outputs names re-runs every rule', () => {
    const withOutputs = `${original.trimEnd()}\nOutputs:\n  Target:\n    Value: !Ref Tg1\n`;
    const at = withOutputs.indexOf('  Tg1:') + '  Tg1'.length;
    const renamed = withOutputs.slice(0, at) + 'x' + withOutputs.slice(at);
    const { reused } = versions([withOutputs, renamed]);
    expect(reused).toEqual([0, 0]);
  });

  it('a syntax error inside one resource is an edit of that resource', () => {
    // An unclosed flow sequence in one security group rule: parse/yaml.ts re-parses that
    // resource alone; the rules that read no security group keep their findings.
    const at = original.indexOf('FromPort: 22');
    const broken = original.slice(0, at) + 'FromPort: [22' + original.slice(at + 'FromPort: 22'.length);
    const { reused } = versions([original, broken, original]);
    expect(reused[1]).toBeGreaterThanOrEqual(5);
    expect(reused[2]).toBeGreaterThanOrEqual(5);
  });

  it('an edit outside the resources re-runs every rule', () => {
    const edited = original.replace('Description: Benchmark', 'Description: A benchmark');
    const { reused } = versions([original, edited]);
    expect(reused).toEqual([0, 0]);
  });
});

describe('in a Terraform module', () => {
  it('incremental analysis of one file of a folder equals a fresh one after every edit', () => {
    // web-server.tf split in two files of one folder: edits in main.tf, the rest in network.tf.
    const whole = readFileSync(path.join(root, 'test-fixtures/terraform-hcl/web-server.tf'), 'utf8');
    const cut = whole.indexOf('\nresource ', whole.length >> 1) + 1;
    const sibling = { uri: 'file:///m/network.tf', text: whole.slice(cut) };
    const uri = 'file:///m/main.tf';
    let text = whole.slice(0, cut);
    const parsers = new DocumentParsers();
    const reader = new ModuleReader();
    const state = new IncrementalState();
    const next = random(99);
    let reused = 0;
    for (let step = 0; step <= 40; step++) {
      const doc = loadDocument(uri, text, { languageId: 'terraform', hclParser: parsers.hcl });
      const actual = doc && analyzeInModule(doc, settings, [sibling], reader, undefined, state);
      const again = loadDocument(uri, text, { languageId: 'terraform' });
      const expected = again && analyzeInModule(again, settings, [sibling], new ModuleReader());
      expect({ step, findings: shape(actual, step % 5 === 0) }).toEqual({
        step,
        findings: shape(expected, step % 5 === 0),
      });
      reused += state.lastReused;
      text = apply(text, randomEdit(text, next));
    }
    expect(reused).toBeGreaterThan(0);
    parsers.dispose();
    reader.dispose();
  });
});

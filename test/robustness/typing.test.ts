// Every fixture replayed through ONE IacService as a person types it: growing prefixes,
// single characters typed and deleted, lines moved, the file cut short. Each version is a new
// document version of the same URI, so the incremental parsers are exercised. Nothing may
// throw or be logged as a failure, each answer must come within a time bound, and every
// diagnostic must lie inside its document.

import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { cfnToTerraformJson, cfnYamlToJson, cfnYamlToValue } from '../../bench/generate';
import { defaultSettings } from '../../server/src/engine/settings';
import { IacService } from '../../server/src/service/service';
import {
  LONG,
  SEED,
  TIMEOUT,
  benchTemplate,
  dump,
  fixtures,
  int,
  languageIdOf,
  pick,
  rangeProblems,
  rng,
} from './support';

/** Per answer, generous for a busy machine: far above the budgets, far below a hang. */
const TIME_BOUND_MS = 2_000;

const TYPED = [
  'x',
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
  '0',
  '/',
  '*',
  '&',
  '\t',
  '\\',
];

type Step = { kind: string; text: string };

/** The versions a person produces, from a finished file. */
function* session(text: string, random: () => number, steps: number): Generator<Step> {
  // Typed from the top, in jumps of a few characters to a few lines.
  let cut = 0;
  for (let i = 0; i < steps / 4 && cut < text.length; i++) {
    cut = Math.min(text.length, cut + 1 + int(random, Math.max(2, Math.floor(text.length / (steps / 4)))));
    yield { kind: `prefix ${cut}`, text: text.slice(0, cut) };
  }
  // Edits of the finished file, one after another.
  let current = text;
  for (let i = 0; i < steps; i++) {
    const at = int(random, current.length + 1);
    const r = random();
    let kind: string;
    if (r < 0.4) {
      const c = pick(random, TYPED);
      current = current.slice(0, at) + c + current.slice(at);
      kind = `insert ${JSON.stringify(c)} at ${at}`;
    } else if (r < 0.75) {
      current = current.slice(0, at) + current.slice(at + 1);
      kind = `delete at ${at}`;
    } else if (r < 0.9) {
      const lineStart = current.lastIndexOf('\n', at - 1) + 1;
      const lineEnd = current.indexOf('\n', at);
      const end = lineEnd < 0 ? current.length : lineEnd + 1;
      const line = current.slice(lineStart, end);
      const rest = current.slice(0, lineStart) + current.slice(end);
      const to = rest.lastIndexOf('\n', int(random, rest.length + 1)) + 1;
      current = rest.slice(0, to) + line + rest.slice(to);
      kind = `move line at ${lineStart} to ${to}`;
    } else if (r < 0.95) {
      current = current.slice(0, at);
      kind = `truncate at ${at}`;
    } else {
      current = text; // undo all
      kind = 'revert';
    }
    yield { kind, text: current };
  }
}

function replay(
  service: IacService,
  failures: string[],
  file: string,
  text: string,
  steps: number,
  seed: number,
): void {
  const settings = defaultSettings();
  const uri = `file:///work/${file}`;
  const languageId = languageIdOf(file);
  let version = 0;
  const check = (step: Step): void => {
    version++;
    const document = TextDocument.create(uri, languageId, version, step.text);
    /** Fails with where it happened; the text is written out to replay it. */
    const fail = (what: string, detail?: unknown): never => {
      const file_ = dump(`${file}.v${version}`, step.text);
      expect(
        detail,
        `${file} v${version} (${step.kind}, seed ${seed}, text in ${file_}): ${what}`,
      ).toBeUndefined();
      throw new Error(what);
    };
    const started = performance.now();
    const diagnostics = service.diagnostics(document, settings);
    const took = performance.now() - started;
    if (took > TIME_BOUND_MS) fail(`diagnostics took ${took.toFixed(0)} ms`);
    const ranges = diagnostics.flatMap((d) => [
      d.range,
      ...(d.relatedInformation ?? []).map((r) => r.location.range),
    ]);
    const bad = rangeProblems(document, ranges);
    if (bad.length) fail('diagnostic ranges', bad);
    // Now and then the other features on the same version, at a diagnostic or anywhere.
    if (version % 5 === 0) {
      const d = diagnostics[version % Math.max(1, diagnostics.length)];
      const range = d?.range ?? { start: document.positionAt(0), end: document.positionAt(0) };
      const t = performance.now();
      const actions = service.codeActions(document, range, { diagnostics: d ? [d] : [] }, settings);
      service.hover(document, range.start, settings);
      service.definition(document, range.start, settings);
      service.documentSymbols(document, settings);
      const tookFeatures = performance.now() - t;
      if (tookFeatures > TIME_BOUND_MS)
        fail(`code actions, hover, symbols took ${tookFeatures.toFixed(0)} ms`);
      for (const action of actions) {
        const edits = action.edit?.changes?.[uri] ?? [];
        const wrong = rangeProblems(
          document,
          edits.map((e) => e.range),
        );
        if (wrong.length) fail(`edits of "${action.title}"`, wrong);
      }
    }
    if (failures.length) fail('logged failures', failures);
  };
  const random = rng(seed);
  check({ kind: 'open', text });
  for (const step of session(text, random, steps)) check(step);
  service.close(uri);
}

describe('typing every fixture through one service', { timeout: TIMEOUT }, () => {
  const failures: string[] = [];
  const service = new IacService((message) => failures.push(message));
  const steps = LONG ? 600 : 40;
  fixtures().forEach(([file, text], i) => {
    it(file, () => replay(service, failures, file, text, steps, SEED + i));
  });
});

describe('typing in templates large enough to be parsed in pieces', { timeout: TIMEOUT }, () => {
  const failures: string[] = [];
  const service = new IacService((message) => failures.push(message));
  const medium = benchTemplate('medium');
  const steps = LONG ? 300 : 24;
  it('medium.yaml', () => replay(service, failures, 'medium.yaml', medium, steps, SEED + 100));
  it('medium.json', () => replay(service, failures, 'medium.json', cfnYamlToJson(medium), steps, SEED + 101));
  it('medium.tf.json', () =>
    replay(
      service,
      failures,
      'medium.tf.json',
      cfnToTerraformJson(cfnYamlToValue(medium)),
      steps,
      SEED + 102,
    ));
});

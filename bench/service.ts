// In-process measurement through IacService (the pure core the language server wraps):
// open -> first diagnostics, and single-character edits -> diagnostics, as a person types.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { defaultSettings } from '../server/src/engine/settings';
import { IacService } from '../server/src/service/service';

export interface Stats {
  samples: number;
  median: number;
  p95: number;
  max: number;
}

export function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  return {
    samples: sorted.length,
    median: round(at(0.5)),
    p95: round(at(0.95)),
    max: round(sorted[sorted.length - 1] ?? 0),
  };
}

export function round(n: number): number {
  return Math.round(n * 100) / 100;
}

export interface ServiceResult {
  file: string;
  lines: number;
  bytes: number;
  /** didOpen -> diagnostics for the first version (cold service, one document). */
  openMs: number;
  findings: number;
  /** Each sample: apply one single-character edit, then compute diagnostics. */
  keystroke: Stats;
  /** Edits that leave a syntax error (an unclosed quote). */
  broken: Stats;
}

export interface EditPlan {
  file: string;
  /** Offsets where a character is typed and deleted again (see bench/edits.mjs). */
  offsets: number[];
  /** Offsets where a syntax-breaking character is typed (timed separately). */
  brokenOffsets: number[];
  brokenChar: string;
  /** A Terraform module folder: the file is analysed with the other files in it. */
  moduleDir?: string;
}

export function measureService(plan: EditPlan): ServiceResult {
  const { file } = plan;
  const text = readFileSync(file, 'utf8');
  const uri = `file://${file}`;
  const lang = file.endsWith('.json') ? 'json' : file.endsWith('.tf') ? 'terraform' : 'yaml';
  const settings = defaultSettings();
  const service = new IacService();
  if (plan.moduleDir) {
    const dir = plan.moduleDir;
    const module = readdirSync(dir)
      .filter((n) => n.endsWith('.tf'))
      .map((n) => ({ uri: `file://${path.join(dir, n)}`, text: readFileSync(path.join(dir, n), 'utf8') }));
    service.setModuleFiles((u) => ({ files: module.filter((f) => f.uri !== u), signature: 'bench' }));
  }
  let doc = TextDocument.create(uri, lang, 1, text);
  const t0 = performance.now();
  const first = service.diagnostics(doc, settings);
  const openMs = performance.now() - t0;
  let version = 1;
  /** Types `char` at `offset` and deletes it again: two single-character edits, each timed. */
  const type = (offset: number, char: string): [number, number] => {
    const times: number[] = [];
    for (const [start, end, newText] of [
      [offset, offset, char],
      [offset, offset + char.length, ''],
    ] as const) {
      const started = performance.now();
      doc = TextDocument.update(
        doc,
        [{ range: { start: doc.positionAt(start), end: doc.positionAt(end) }, text: newText }],
        ++version,
      );
      service.diagnostics(doc, settings);
      times.push(performance.now() - started);
    }
    return [times[0]!, times[1]!];
  };
  for (const offset of plan.offsets.slice(0, 5)) type(offset, 'x'); // warm-up, not counted
  const samples: number[] = [];
  for (const offset of plan.offsets) samples.push(...type(offset, 'x'));
  const broken = plan.brokenOffsets.map((offset) => type(offset, plan.brokenChar)[0]);
  return {
    file,
    lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0),
    bytes: Buffer.byteLength(text),
    openMs: round(openMs),
    findings: first.length,
    keystroke: stats(samples),
    broken: stats(broken),
  };
}

// Shared by the robustness tests: a seeded random generator, the fixtures, the benchmark
// templates, and a normal form of parsed trees for comparing two parses.

import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Node, ParsedText } from '../../server/src/parse/tree';

export const ROOT = path.resolve(__dirname, '../..');

/** Longer runs with IAC_NETSEC_FUZZ=long. */
export const LONG = process.env.IAC_NETSEC_FUZZ === 'long';

/** Per test: generous for a busy machine, hours-long runs only with IAC_NETSEC_FUZZ=long. */
export const TIMEOUT = LONG ? 3_600_000 : 60_000;

/** Seed from IAC_NETSEC_FUZZ_SEED (to replay a failure), fixed otherwise. */
export const SEED = Number(process.env.IAC_NETSEC_FUZZ_SEED ?? 20251121);

/** mulberry32: small, fast, good enough for choosing edits. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!;
}

export function int(random: () => number, below: number): number {
  return Math.floor(random() * below);
}

/** Every file under test-fixtures/, as [relative path, text]. */
export function fixtures(): [string, string][] {
  const out: [string, string][] = [];
  const dir = path.join(ROOT, 'test-fixtures');
  const visit = (d: string): void => {
    if (!existsSync(d)) return;
    for (const name of readdirSync(d).sort()) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) visit(full);
      else out.push([path.relative(dir, full), readFileSync(full, 'utf8')]);
    }
  };
  visit(dir);
  return out;
}

/** The benchmark templates: ../shared/bench when present, else the copies in bench/templates. */
export function benchTemplate(name: 'small' | 'medium' | 'large'): string {
  for (const dir of [path.join(ROOT, '..', 'shared', 'bench'), path.join(ROOT, 'bench', 'templates')]) {
    const file = path.join(dir, `${name}.yaml`);
    if (existsSync(file)) return readFileSync(file, 'utf8');
  }
  throw new Error(`benchmark template ${name}.yaml not found`);
}

/** A parse as plain data: every node with its kind, value, style, tag and exact offsets. */
export function normalise(parsed: ParsedText): unknown {
  const node = (n: Node | undefined): unknown => {
    if (!n) return undefined;
    switch (n.kind) {
      case 'scalar':
        return ['scalar', n.value, n.style, n.start, n.end];
      case 'seq':
        return ['seq', n.style, n.start, n.end, n.items.map(node)];
      case 'map':
        return [
          'map',
          n.style,
          n.shortTag ?? '',
          n.start,
          n.end,
          n.entries.map((e) => [
            e.start,
            e.end,
            e.key.value,
            e.key.style,
            e.key.start,
            e.key.end,
            node(e.value),
          ]),
        ];
    }
  };
  return {
    root: node(parsed.root),
    problems: parsed.problems
      .map((p) => `${p.start}-${p.end} ${p.message}`)
      .sort((a, b) => a.localeCompare(b)),
  };
}

/** The language id an editor gives a file. */
export function languageIdOf(file: string): string {
  return /\.json$/i.test(file) ? 'json' : 'yaml';
}

/** Problems with the ranges of diagnostics: each must lie inside the document, start before end. */
export function rangeProblems(
  document: {
    lineCount: number;
    getText(): string;
    offsetAt(p: Position): number;
    positionAt(o: number): Position;
  },
  ranges: { start: Position; end: Position }[],
): string[] {
  const out: string[] = [];
  const lines = document.getText().split(/\r\n|\r|\n/);
  const valid = (p: Position): boolean =>
    Number.isInteger(p.line) &&
    Number.isInteger(p.character) &&
    p.line >= 0 &&
    p.character >= 0 &&
    p.line < document.lineCount &&
    p.character <= (lines[p.line]?.length ?? 0);
  for (const r of ranges) {
    if (!valid(r.start) || !valid(r.end)) out.push(`outside the document: ${JSON.stringify(r)}`);
    else if (document.offsetAt(r.start) > document.offsetAt(r.end))
      out.push(`ends before it starts: ${JSON.stringify(r)}`);
  }
  return out;
}

export interface Position {
  line: number;
  character: number;
}

/** Writes a failing input to the temp directory and returns its path (for the failure message). */
export function dump(name: string, text: string): string {
  const dir = path.join(os.tmpdir(), 'iac-netsec-fuzz');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name.replace(/[^A-Za-z0-9._-]+/g, '_'));
  writeFileSync(file, text);
  return file;
}

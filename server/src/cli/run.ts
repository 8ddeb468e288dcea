// `iac-netsec check` and `iac-netsec fix`: collect files, check them (in worker threads for
// large trees), print the findings, and choose the exit status.

import { initHcl } from '../parse/hcl';
import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Settings } from '../engine/settings';
import { decodeUtf8, readRegularFile, writeRegularFile } from '../io/readFile';
import { IacService } from '../service/service';
import type { Args, FailOn } from './args';
import { SUPPRESSION_UNUSED } from '../engine/suppressions';
import { checkTask, checkText, readErrorText, SEVERITY_RANK, tasksOf, type FileResult } from './check';
import { CliConfigs, collectFiles, type FileJob } from './files';
import { ANSI_COLORS, formatJson, formatSarif, formatText, jsonFindings, NO_COLORS, visible } from './format';
import type { WorkerBatch, WorkerReply, WorkerRequest } from './worker';

export interface Io {
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  stdoutIsTty: boolean;
  stderrIsTty: boolean;
  version: string;
  /** Directory holding cli-worker.js. */
  distDir: string;
}

/** More files than this are checked on several threads (when there is more than one core). */
export const WORKER_THRESHOLD = 50;
const BATCH = 16;

function useColor(io: Io): boolean {
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return io.stdoutIsTty;
}

class Progress {
  private last = 0;
  private shown = false;
  constructor(
    private readonly io: Io,
    private readonly total: number,
  ) {}
  update(done: number): void {
    if (!this.io.stderrIsTty || this.total < 20) return;
    const now = Date.now();
    if (now - this.last < 100 && done < this.total) return;
    this.last = now;
    this.shown = true;
    this.io.stderr(`\r\u001b[KChecking files: ${done}/${this.total}`);
  }
  done(): void {
    if (this.shown) this.io.stderr('\r\u001b[K');
  }
}

export interface StartedWorker {
  worker: import('node:worker_threads').Worker;
  /** What it threw before it was given work. */
  failed: { error?: unknown };
}

async function startWorker(io: Io): Promise<StartedWorker> {
  // Loaded only here: a run that needs no threads does not pay for the module.
  const { Worker } = await import('node:worker_threads');
  const worker = new Worker(path.join(io.distDir, 'cli-worker.js'));
  const failed: StartedWorker['failed'] = {};
  worker.on('error', (error) => (failed.error ??= error));
  return { worker, failed };
}

function cores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/**
 * When a directory is checked, the workers start before it is walked: loading the engine in a
 * worker takes about as long as walking a tree of a thousand files, and the workers are ready
 * when the files are. Those the run turns out not to need are stopped (checkAll).
 */
async function startWorkersEarly(args: Args, io: Io): Promise<StartedWorker[]> {
  const threads = Math.min(args.jobs ?? Math.min(cores(), 8), 8);
  if (threads <= 1) return [];
  const directory = (args.paths.length ? args.paths : ['.']).some((p) => {
    try {
      return statSync(path.resolve(io.cwd, p)).isDirectory();
    } catch {
      return false;
    }
  });
  return directory ? Promise.all(Array.from({ length: threads - 1 }, () => startWorker(io))) : [];
}

/**
 * Checks the files on `threads` threads: the main thread (which has the engine loaded already)
 * and `threads - 1` workers. Work is handed out as it is needed, so a slow file does not hold
 * up the others; each worker has a second batch waiting, so it never idles while the main thread
 * is busy with a file; batches get smaller towards the end, so all threads finish together.
 */
export async function checkAll(
  jobs: readonly FileJob[],
  table: Record<string, Settings>,
  io: Io,
  requestedWorkers?: number,
  started: StartedWorker[] = [],
): Promise<FileResult[]> {
  const progress = new Progress(io, jobs.length);
  const tasks = tasksOf(jobs);
  const threads =
    requestedWorkers !== undefined
      ? Math.min(requestedWorkers, tasks.length)
      : jobs.length > WORKER_THRESHOLD
        ? Math.min(cores(), Math.ceil(jobs.length / WORKER_THRESHOLD), tasks.length, 8)
        : 1;
  const results: FileResult[] = new Array<FileResult>(jobs.length);
  let done = 0;
  const run = (task: number[]) => {
    checkTask(
      task.map((i) => jobs[i]!),
      table,
    ).forEach((result, n) => (results[task[n]!] = result));
    done += task.length;
    progress.update(done);
  };
  // Workers started before the walk that this run does not need.
  const early = started.slice(0, Math.max(0, threads - 1));
  for (const { worker } of started.slice(early.length)) void worker.terminate();
  if (threads <= 1) {
    tasks.forEach(run);
    progress.done();
    return results;
  }

  let next = 0;
  const take = (): WorkerBatch => {
    const size = Math.max(1, Math.min(BATCH, Math.floor((tasks.length - next) / (2 * threads))));
    const request: WorkerBatch = { batch: [] };
    for (let n = 0; n < size && next < tasks.length; n++, next++)
      request.batch.push(tasks[next]!.map((index) => ({ index, job: jobs[index]! })));
    return request;
  };
  const setup: WorkerRequest = { setup: { settings: table, hcl: needsHcl(jobs) } };
  const workers = await Promise.all(
    Array.from({ length: threads - 1 }, (_, i) => early[i] ?? startWorker(io)),
  );
  const finished = workers.map(
    ({ worker, failed }) =>
      new Promise<void>((resolve, reject) => {
        if (failed.error !== undefined) {
          reject(failed.error);
          return;
        }
        worker.postMessage(setup);
        let pending = 0;
        const send = () => {
          while (pending < 2 && next < tasks.length) {
            worker.postMessage(take());
            pending++;
          }
          if (pending === 0) void worker.terminate().then(() => resolve());
        };
        worker.on('message', (reply: WorkerReply) => {
          pending--;
          for (const { index, result } of reply.results) {
            results[index] = result;
            done++;
          }
          progress.update(done);
          send();
        });
        worker.on('error', reject);
        worker.on('exit', (code) => {
          if (code !== 0 && code !== 1) reject(new Error(`worker exited with code ${code}`));
        });
        send();
      }),
  );
  // The main thread checks one task at a time, and lets the workers' replies in between.
  const main = (async () => {
    while (next < tasks.length) {
      run(tasks[next++]!);
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  await Promise.all([...finished, main]);
  progress.done();
  return results;
}

/** Unused suppressions are reported only with --report-unused-suppressions (the editor always shows them). */
function unusedSuppressions(results: FileResult[], args: Args): FileResult[] {
  if (!args.reportUnusedSuppressions)
    for (const r of results) r.findings = r.findings.filter((f) => f.rule !== SUPPRESSION_UNUSED);
  return results;
}

function failed(results: readonly FileResult[], failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  const threshold = SEVERITY_RANK[failOn];
  return results.some((r) => visible(r).some((f) => SEVERITY_RANK[f.severity] >= threshold));
}

function reportProblems(results: readonly FileResult[], io: Io): boolean {
  let broken = false;
  for (const result of results) {
    if (result.error) {
      io.stderr(`iac-netsec: ${result.file}: ${result.error}\n`);
      broken = true;
    }
    for (const failure of result.failures) io.stderr(`iac-netsec: ${result.file}: ${failure}\n`);
  }
  return broken;
}

function output(results: readonly FileResult[], args: Args, io: Io): void {
  switch (args.format) {
    case 'json':
      io.stdout(formatJson(results, io.version));
      break;
    case 'sarif':
      io.stdout(formatSarif(results, io.version, pathToFileURL(io.cwd).href));
      break;
    default:
      io.stdout(formatText(results, useColor(io) ? ANSI_COLORS : NO_COLORS));
  }
}

/** Loads the HCL parser (wasm) only when Terraform files are checked: other runs start faster. */
function needsHcl(jobs: readonly FileJob[]): boolean {
  return jobs.some((job) => /\.tf(\.json)?$/i.test(job.absolute));
}

async function initHclFor(jobs: readonly FileJob[], io: Io): Promise<void> {
  if (needsHcl(jobs)) await initHcl(io.distDir);
}

export async function runCheck(args: Args, io: Io): Promise<number> {
  const started = await startWorkersEarly(args, io);
  let jobs: FileJob[];
  let configs: CliConfigs;
  try {
    configs = new CliConfigs(io.cwd, args.config);
    jobs = collectFiles(io.cwd, args.paths, configs);
  } catch (error) {
    for (const { worker } of started) void worker.terminate();
    throw error;
  }
  await initHclFor(jobs, io);
  for (const warning of configs.warnings) io.stderr(`iac-netsec: ${warning}\n`);
  const results = unusedSuppressions(await checkAll(jobs, configs.table(), io, args.jobs, started), args);
  const broken = reportProblems(results, io);
  if (args.format === 'markdown') {
    const { formatMarkdown, githubLinkBase } = await import('./markdown');
    const { graphsOf } = await import('./graph');
    const units = graphsOf(jobs, configs.table(), io).units;
    io.stdout(formatMarkdown(results, units, { linkBase: githubLinkBase(process.env) }));
  } else output(results, args, io);
  if (broken) return 2;
  return failed(results, args.failOn) ? 1 : 0;
}

const MAX_PASSES = 5;

interface FixOutcome {
  file: string;
  fixed: Record<string, number>;
}

export async function runFix(args: Args, io: Io): Promise<number> {
  const configs = new CliConfigs(io.cwd, args.config);
  const jobs = collectFiles(io.cwd, args.paths, configs);
  await initHclFor(jobs, io);
  for (const warning of configs.warnings) io.stderr(`iac-netsec: ${warning}\n`);
  const table = configs.table();
  const service = new IacService((message) => io.stderr(`${message}\n`));
  const results: FileResult[] = [];
  const outcomes: FixOutcome[] = [];
  let broken = false;
  for (const job of jobs) {
    const settings = table[job.settingsKey]!;
    let original: string;
    let lossless: boolean;
    try {
      ({ text: original, lossless } = decodeUtf8(readRegularFile(job.absolute, { roots: job.roots }).bytes));
    } catch (error) {
      io.stderr(`iac-netsec: ${job.display}: ${readErrorText(error)}\n`);
      broken = true;
      continue;
    }
    const before = checkText(job.display, job.absolute, original, settings);
    if (!before.checked) continue;
    if (!lossless) {
      // Fixes are text edits; writing the text back would turn every invalid byte into U+FFFD.
      io.stderr(
        `iac-netsec: ${job.display}: not fixed: the file is not valid UTF-8, and rewriting it would change bytes that no fix touches.\n`,
      );
      broken = true;
      results.push(before);
      continue;
    }
    let text = original;
    for (let pass = 1; pass <= MAX_PASSES; pass++) {
      const document = TextDocument.create(job.absolute, '', pass, text);
      const edits = service.fixAllEdits(document, settings);
      if (!edits.length) break;
      const next = TextDocument.applyEdits(document, edits);
      if (next === text) break;
      text = next;
    }
    service.close(job.absolute);
    const after = text === original ? before : checkText(job.display, job.absolute, text, settings);
    const syntaxErrors = (r: FileResult) => r.findings.filter((f) => f.rule === 'syntax-error').length;
    if (text !== original && syntaxErrors(after) > syntaxErrors(before)) {
      io.stderr(`iac-netsec: ${job.display}: the fixes would break the file; it was left unchanged.\n`);
      broken = true;
      results.push(before);
      continue;
    }
    if (text !== original) {
      const fixed: Record<string, number> = {};
      const count = (r: FileResult) => {
        const counts = new Map<string, number>();
        for (const f of visible(r)) counts.set(f.rule, (counts.get(f.rule) ?? 0) + 1);
        return counts;
      };
      const was = count(before);
      const now = count(after);
      for (const [rule, n] of was) {
        const gone = n - (now.get(rule) ?? 0);
        if (gone > 0) fixed[rule] = gone;
      }
      outcomes.push({ file: job.display, fixed });
      if (!args.dryRun) {
        try {
          writeRegularFile(job.absolute, Buffer.from(text, 'utf8'), { roots: job.roots });
        } catch (error) {
          io.stderr(`iac-netsec: ${job.display}: ${readErrorText(error)}\n`);
          broken = true;
        }
      }
    }
    results.push(args.dryRun ? before : after);
  }
  unusedSuppressions(results, args);
  if (reportProblems(results, io)) broken = true;

  const verb = args.dryRun ? 'Would fix' : 'Fixed';
  const summary = outcomes.map((o) => {
    const parts = Object.entries(o.fixed).map(([rule, n]) => (n > 1 ? `${rule} ×${n}` : rule));
    const total = Object.values(o.fixed).reduce((a, b) => a + b, 0);
    return `${verb} ${o.file}: ${total} problem${total === 1 ? '' : 's'}${parts.length ? ` (${parts.join(', ')})` : ''}`;
  });
  if (!outcomes.length)
    summary.push(args.dryRun ? 'Nothing to fix.' : 'Nothing to fix: no safe fixes apply.');
  if (args.format === 'json') {
    io.stdout(
      `${JSON.stringify({ version: io.version, dryRun: args.dryRun, fixed: outcomes, findings: jsonFindings(results) }, null, 2)}\n`,
    );
  } else if (args.format === 'sarif') {
    io.stderr(`${summary.join('\n')}\n`);
    io.stdout(formatSarif(results, io.version, pathToFileURL(io.cwd).href));
  } else {
    io.stdout(`${summary.join('\n')}\n\n`);
    io.stdout(formatText(results, useColor(io) ? ANSI_COLORS : NO_COLORS));
  }
  if (broken) return 2;
  return failed(results, args.failOn) ? 1 : 0;
}

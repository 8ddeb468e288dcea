// Checks one file's text: the same engine, findings and suppressions as the editor, turned into
// plain, serialisable records with 1-based positions (they cross worker threads).

import { readdirSync } from 'node:fs';
import path from 'node:path';
import { analyze } from '../engine/analyze';
import type { Settings } from '../engine/settings';
import { decodeUtf8, FileReadError, readRegularFile } from '../io/readFile';
import { loadDocument, MAX_TEXT_LENGTH } from '../model/load';
import { IncrementalHclParser } from '../parse/hcl';
import {
  analyzeInModule,
  ModuleReader,
  moduleFileKind,
  type ModuleFile,
  type ReadModule,
} from '../unit/module';
import type { Severity } from '../rules/types';
import { analyzeFolder, type FileFindings } from '../unit/folder';
import { analyzeInStack, nestedStacks, StackReader, type ReadTemplate } from '../unit/stack';
import type { FileJob } from './files';
import { sha256Hex } from './sha256';
import { readStackTemplate } from './stackTemplates';

export interface CliFinding {
  rule: string;
  severity: Severity;
  /** 1-based; the end is exclusive (one past the last character), as in SARIF. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  resource: string | null;
  suppressed?: { reason: string; by: string };
  /** The text of the finding's first line (for the text format's excerpt). */
  lineText: string;
  /** Stable across unrelated edits: rule, resource and the normalised line text. */
  fingerprint: string;
}

export interface FileResult {
  /** The path as shown (relative to the working directory when inside it). */
  file: string;
  /** False when the file is not a template, plan or policy (not checked, no output). */
  checked: boolean;
  findings: CliFinding[];
  /** Rules that threw (logged, never findings). */
  failures: string[];
  /** Set when the file could not be read or analysed. */
  error?: string;
}

/**
 * `module`: for Terraform, the other files of the file's folder (unit/module.ts); findings are
 * those of this file, analysed with its module. `readTemplate`: for CloudFormation, the local
 * templates of its nested stacks (unit/stack.ts).
 */
export function checkText(
  file: string,
  absolutePath: string,
  text: string,
  settings: Settings,
  module?: { files: ModuleFile[]; reader: ModuleReader; readModule?: ReadModule },
  readTemplate?: ReadTemplate,
): FileResult {
  const doc = loadDocument(absolutePath, text, { hclParser: sharedHclParser() });
  if (!doc) return { file, checked: false, findings: [], failures: [] };
  const analysis = module
    ? analyzeInModule(doc, settings, module.files, module.reader, module.readModule)
    : readTemplate && nestedStacks(doc).length
      ? analyzeInStack(doc, settings, readTemplate, new StackReader())
      : analyze(doc, settings);
  return fileResult(file, { lines: doc.lines, findings: analysis.findings, failures: analysis.failures });
}

let hclParser: IncrementalHclParser | undefined;

/**
 * One HCL parser for the files a thread checks, one after the other: it keeps the top-level
 * blocks of the previous file by their text, so a block written alike in the next file (the
 * `terraform` and `provider` blocks, copied resources) is not parsed again. Each file's analysis
 * is over before the next is parsed (the parser moves reused nodes to the new file's offsets).
 */
function sharedHclParser(): IncrementalHclParser {
  return (hclParser ??= new IncrementalHclParser());
}

/** The findings of a document's analysis as the CLI reports them. */
function fileResult(file: string, analysis: FileFindings): FileResult {
  const findings = analysis.findings.map((finding): CliFinding => {
    const start = analysis.lines.positionAt(finding.start);
    const end = analysis.lines.positionAt(finding.end);
    const lineText = analysis.lines.lineText(start.line);
    const out: CliFinding = {
      rule: finding.ruleId,
      severity: finding.severity,
      line: start.line + 1,
      column: start.character + 1,
      endLine: end.line + 1,
      endColumn: end.character + 1,
      message: finding.message,
      resource: finding.resourceId ?? null,
      lineText,
      fingerprint: fingerprint(finding.ruleId, finding.resourceId, lineText),
    };
    if (finding.suppressed) out.suppressed = finding.suppressed;
    return out;
  });
  // Identical lines in one resource would share a fingerprint; number the repeats.
  const seen = new Map<string, number>();
  for (const finding of findings) {
    const count = seen.get(finding.fingerprint) ?? 0;
    seen.set(finding.fingerprint, count + 1);
    if (count) finding.fingerprint = `${finding.fingerprint}:${count}`;
  }
  const failures = analysis.failures.map(
    (f) => `rule ${f.ruleId} failed: ${f.error instanceof Error ? f.error.message : String(f.error)}`,
  );
  return { file, checked: true, findings, failures };
}

export function fingerprint(rule: string, resource: string | undefined | null, lineText: string): string {
  const key = `${rule}\u0000${resource ?? ''}\u0000${lineText.trim().replace(/\s+/g, ' ')}`;
  return sha256Hex(key).slice(0, 32);
}

export const SEVERITY_RANK: Record<Severity, number> = { hint: 0, info: 1, warning: 2, error: 3 };

/** Reads and checks one file (in the main thread or a worker). */
export function checkJob(job: FileJob, settings: Settings): FileResult {
  let text: string;
  let size: number;
  try {
    const bytes = readRegularFile(job.absolute, { roots: job.roots }).bytes;
    text = decodeUtf8(bytes).text;
    size = bytes.length;
  } catch (error) {
    return { file: job.display, checked: false, findings: [], failures: [], error: readErrorText(error) };
  }
  try {
    const kind = moduleFileKind(job.absolute);
    const module = kind === 'hcl' || kind === 'json' ? moduleOf(job, { text, size }) : undefined;
    const stacks = module ? undefined : readStackTemplate(job.roots);
    return checkText(job.display, job.absolute, text, settings, module, stacks);
  } catch (error) {
    return {
      file: job.display,
      checked: false,
      findings: [],
      failures: [],
      error: `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    };
  }
}

/**
 * The files of a job's Terraform module (its folder), read once per folder: jobs come sorted by
 * path, so the files of a folder are checked one after the other with the same reader.
 */
let lastModule:
  { dir: string; files: ModuleFile[]; reader: ModuleReader; readModule: ReadModule } | undefined;

export function moduleOf(
  job: FileJob,
  /** The job's file as just read: not read again with its folder. */
  own?: { text: string; size: number },
): {
  files: ModuleFile[];
  reader: ModuleReader;
  readModule: ReadModule;
} {
  const dir = path.dirname(job.absolute);
  if (lastModule?.dir === dir) return lastModule;
  lastModule?.reader.dispose();
  lastModule = {
    dir,
    files: readFolder(dir, job.roots, own && { uri: job.absolute, ...own }),
    reader: new ModuleReader(),
    readModule: moduleReading(job),
  };
  return lastModule;
}

/** Reads the local modules a job's folder calls, each folder once. */
function moduleReading(job: FileJob): ReadModule {
  const folders = new Map<string, ModuleFile[]>();
  return (from, source) => {
    const child = path.resolve(path.dirname(from), source);
    let files = folders.get(child);
    if (!files) {
      files = readFolder(child, job.roots).filter((f) =>
        ['hcl', 'json'].includes(moduleFileKind(f.uri) ?? ''),
      );
      folders.set(child, files);
    }
    return { key: child, files };
  };
}

/** Whether a job is a Terraform configuration file, checked with the other files of its folder. */
export function isModuleJob(job: FileJob): boolean {
  const kind = moduleFileKind(job.absolute);
  return kind === 'hcl' || kind === 'json';
}

/**
 * Checks Terraform files of one folder (same settings and roots): the module is analysed once
 * and the findings split by file (unit/folder.ts), which is what checking each file with its
 * module gives, in one analysis instead of one per file. Files it does not cover (unreadable, or
 * a folder that is not one module for every file) are checked one by one.
 */
export function checkFolder(jobs: readonly FileJob[], settings: Settings): FileResult[] {
  if (jobs.length < 2) return jobs.map((job) => checkJob(job, settings));
  const reader = new ModuleReader();
  let analyses: ReturnType<typeof analyzeFolder>;
  try {
    const files = readFolder(path.dirname(jobs[0]!.absolute), jobs[0]!.roots);
    analyses = analyzeFolder(
      files,
      jobs.map((job) => job.absolute),
      settings,
      reader,
      moduleReading(jobs[0]!),
    );
  } catch {
    // Checked one by one: each file reports its own internal error, as it would alone.
    analyses = undefined;
  } finally {
    reader.dispose();
  }
  return jobs.map((job) => {
    const analysis = analyses?.get(job.absolute);
    return analysis ? fileResult(job.display, analysis) : checkJob(job, settings);
  });
}

/** The Terraform module files of a folder, read safely (regular files inside the roots, size-limited). */
function readFolder(
  dir: string,
  roots: FileJob['roots'],
  known?: { uri: string; text: string; size: number },
): ModuleFile[] {
  const files: ModuleFile[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(dir)
      .filter((n) => moduleFileKind(n) !== undefined)
      .sort();
  } catch {
    // an unreadable folder: the file is checked alone
  }
  for (const name of names) {
    const absolute = path.join(dir, name);
    if (absolute === known?.uri) {
      // Read with the same roots a moment ago; the size limit is the one read here.
      if (known.size <= MAX_TEXT_LENGTH) files.push({ uri: absolute, text: known.text });
      continue;
    }
    try {
      const bytes = readRegularFile(absolute, { roots, maxBytes: MAX_TEXT_LENGTH }).bytes;
      files.push({ uri: absolute, text: decodeUtf8(bytes).text });
    } catch {
      // FIFOs, links out of the tree, huge files: skipped (the walk reports them as files)
    }
  }
  return files;
}

/** A read failure as shown after the file's name. */
export function readErrorText(error: unknown): string {
  return error instanceof FileReadError ? error.detail : (error as Error).message;
}

/**
 * The units of work, as indexes into `jobs`: one file, or the Terraform files of one folder with
 * the same settings (analysed together: checkTask), in the order of their first file.
 */
export function tasksOf(jobs: readonly FileJob[]): number[][] {
  const tasks: number[][] = [];
  const folders = new Map<string, number[]>();
  jobs.forEach((job, index) => {
    if (!isModuleJob(job)) {
      tasks.push([index]);
      return;
    }
    const key = [path.dirname(job.absolute), job.settingsKey, ...(job.roots ?? [])].join('\u0000');
    const folder = folders.get(key);
    if (folder) folder.push(index);
    else {
      const task = [index];
      folders.set(key, task);
      tasks.push(task);
    }
  });
  return tasks;
}

/** Checks one unit of work (in the main thread or a worker). */
export function checkTask(jobs: readonly FileJob[], table: Record<string, Settings>): FileResult[] {
  const settings = table[jobs[0]!.settingsKey]!;
  return jobs.length === 1 ? [checkJob(jobs[0]!, settings)] : checkFolder(jobs, settings);
}

#!/usr/bin/env node
// `npm run bench`: speed and memory of the language server and the CLI on the benchmark
// templates (../shared/bench, or the copies in bench/templates) and their CloudFormation JSON
// and Terraform JSON equivalents. Prints a table, writes .bench-results/latest.json and
// compares against the budgets. Nothing is downloaded.
//
// Options:
//   --quick        fewer edits and runs (a smoke run, numbers are rough)
//   --no-build     use dist/ as it is (default: rebuild with esbuild first)
//   --edits <n>    edit positions per file (each is an insertion and a deletion; default 100)
//   --skip <what>  comma-separated: service, server, cli, dir
//   --files <list> comma-separated subset, e.g. large.yaml,large.json
//   --templates <dir> where small/medium/large.yaml are (default ../shared/bench, else bench/templates)
//   --server-node-args "<flags>"  extra node flags for the server (e.g. "--cpu-prof")
//   --no-editor-flags  start the server without the flags the VS Code client gives it
//                  (client/src/serverNodeArgs.json), for a before/after comparison
//
// What is measured (see bench/README.md):
//   open      didOpen -> first publishDiagnostics, through `node dist/server.js --stdio`
//   keystroke single-character didChange -> publishDiagnostics for that version (median, p95),
//             with diagnosticsDelayMs = 0, timed at the client (includes JSON-RPC over the pipe)
//   analysis  the same edits through IacService in-process (no IPC), for the breakdown
//   memory    the server's peak resident memory (VmHWM) after the keystrokes, and its heap after
//             a full GC then (bench/heap-probe.mjs, preloaded into the server)
//   cli       `node dist/cli.js check <file> --format json`, whole process, median of runs
//   dir       the same on a directory of 1,000 generated templates

import { Buffer } from 'node:buffer';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { typingOffsets } from './edits.mjs';
import { measureServer, SERVER_NODE_ARGS } from './lsp.mjs';
import { importMetaUrl } from '../scripts/esbuild-import-meta.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const option = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
};
const quick = flag('--quick');
const edits = Number(option('--edits', quick ? 20 : 100));
const skip = new Set(String(option('--skip', '')).split(',').filter(Boolean));
const extraServerArgs = option('--server-node-args', '').split(' ').filter(Boolean);
/** The node flags the server runs with: the editor's (as the VS Code client starts it), then extras. */
const serverArgs = [...(flag('--no-editor-flags') ? [] : SERVER_NODE_ARGS), ...extraServerArgs];
const cliRuns = quick ? 1 : 3;
// Small files start in a fraction of a second: more runs, so the median means something.
const cliSmallRuns = quick ? 3 : 11;

// The targets of the incremental-analysis issue (2 cores, medians of several runs).
const TARGETS = {
  keystrokeSmallMs: 5, // p95, templates up to 1,000 lines
  keystrokeLargeMs: 10, // p95, 20,000 lines
  brokenLargeMs: 50, // p95, an edit that breaks the YAML of one resource, large.yaml
  openLargeMs: 500, // first diagnostics after opening a 20,000-line template
  cliSmallTimesNode: 3, // per small file, whole process, against bare `node -e 0`
  serverPeakMb: 100, // with the largest template open and the keystrokes typed
  dirSeconds: 2, // 1,000 templates on 2 cores
};

function log(message) {
  process.stderr.write(`${message}\n`);
}

function templatesDir() {
  const given = option('--templates', undefined);
  if (given) return path.resolve(given);
  const shared = path.resolve(repo, '..', 'shared', 'bench');
  if (['small', 'medium', 'large'].every((n) => existsSync(path.join(shared, `${n}.yaml`)))) return shared;
  return path.join(repo, 'bench', 'templates');
}

async function buildTasks(outfile) {
  const esbuild = await import('esbuild');
  const raw = {
    name: 'raw',
    setup(build) {
      build.onResolve({ filter: /\?raw$/ }, (args) => ({
        path: path.resolve(args.resolveDir, args.path.replace(/\?raw$/, '')),
        namespace: 'raw',
      }));
      build.onLoad({ filter: /.*/, namespace: 'raw' }, (args) => ({
        contents: readFileSync(args.path, 'utf8'),
        loader: 'text',
      }));
    },
  };
  await esbuild.build({
    entryPoints: [path.join(repo, 'bench', 'tasks.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    mainFields: ['module', 'main'],
    logLevel: 'warning',
    plugins: [raw],
    // As in esbuild.mjs: web-tree-sitter locates itself through import.meta.url.
    ...importMetaUrl,
  });
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  const r = (n) => Math.round(n * 100) / 100;
  return {
    samples: sorted.length,
    median: r(at(0.5)),
    p95: r(at(0.95)),
    max: r(sorted[sorted.length - 1] ?? 0),
  };
}

/** Bare `node -e 0`: what any Node program costs to start here (the CLI's yardstick). */
function timeNode(runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    times.push(performance.now() - started);
  }
  return stats(times);
}

function timeCli(cliJs, target, runs) {
  const times = [];
  let status = 0;
  let findings;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, [cliJs, 'check', target, '--format', 'json'], {
      maxBuffer: 512 * 1024 * 1024,
      encoding: 'utf8',
    });
    times.push(performance.now() - started);
    status = result.status ?? -1;
    if (status !== 0 && status !== 1)
      throw new Error(`cli exited ${status}: ${result.stderr.slice(0, 2000)}`);
    if (findings === undefined) {
      try {
        const out = JSON.parse(result.stdout);
        findings = Array.isArray(out)
          ? out.length
          : Array.isArray(out.findings)
            ? out.findings.length
            : undefined;
      } catch {
        findings = undefined;
      }
    }
  }
  return { ...stats(times), status, findings };
}

function pad(value, width, right = false) {
  const s = String(value);
  return right ? s.padStart(width) : s.padEnd(width);
}

function fmt(n, digits = 1) {
  return n === undefined || Number.isNaN(n) ? '-' : n.toFixed(digits);
}

async function main() {
  const started = new Date();
  const load0 = os.loadavg();
  const src = templatesDir();
  log(`templates: ${src}`);
  if (!flag('--no-build')) {
    log('building dist/ (node esbuild.mjs) ...');
    execFileSync(process.execPath, ['esbuild.mjs'], { cwd: repo, stdio: 'inherit' });
  }
  const serverJs = path.join(repo, 'dist', 'server.js');
  const cliJs = path.join(repo, 'dist', 'cli.js');
  const work = mkdtempSync(path.join(os.tmpdir(), 'iac-netsec-bench-'));
  try {
    const tasks = path.join(work, 'tasks.cjs');
    await buildTasks(tasks);
    log(`generating JSON, Terraform JSON and 1,000 templates in ${work} ...`);
    const generated = JSON.parse(
      execFileSync(
        process.execPath,
        [
          tasks,
          'generate',
          path.join(work, 'gen'),
          ...['small', 'medium', 'large'].map((n) => path.join(src, `${n}.yaml`)),
        ],
        { encoding: 'utf8' },
      ),
    );
    const only = option('--files', undefined)?.split(',');
    const names = ['small', 'medium', 'large']
      .flatMap((n) => [`${n}.yaml`, `${n}.json`, `${n}.tf.json`, `${n}.tf`])
      // One file of a Terraform module split over 50 (medium) and 500 (large) files.
      .concat(['medium-module50.tf', 'large-module500.tf'])
      // A realistic application template (bench/templates/app.yaml): measured, no budget of its own.
      .concat(['app.yaml'])
      .filter((n) => !only || only.includes(n));
    const plans = names.map((name) => {
      const file = generated.files[name] ?? path.join(repo, 'bench', 'templates', name);
      const text = readFileSync(file, 'utf8');
      const syntax = name.endsWith('.json') ? 'json' : name.endsWith('.tf') ? 'hcl' : 'yaml';
      const { offsets, brokenOffsets } = typingOffsets(text, edits, syntax);
      return {
        name,
        file,
        lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0),
        bytes: Buffer.byteLength(text),
        offsets,
        brokenOffsets: brokenOffsets.filter((_, i) => i % Math.max(1, Math.floor(edits / 10)) === 0),
        brokenChar: '"',
        moduleDir: name.includes('-module') ? path.dirname(file) : undefined,
      };
    });
    const rows = Object.fromEntries(
      plans.map((p) => [p.name, { file: p.name, lines: p.lines, bytes: p.bytes }]),
    );

    if (!skip.has('service')) {
      log('analysis in-process (IacService) ...');
      const planFile = path.join(work, 'plans.json');
      writeFileSync(planFile, JSON.stringify(plans));
      const out = execFileSync(process.execPath, [tasks, 'service', planFile], {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      out
        .trim()
        .split('\n')
        .forEach((line, i) => {
          const r = JSON.parse(line);
          Object.assign(rows[plans[i].name], {
            analysis: { openMs: r.openMs, keystroke: r.keystroke, broken: r.broken, findings: r.findings },
          });
        });
    }

    if (!skip.has('server')) {
      if (!existsSync(serverJs)) throw new Error('dist/server.js is missing: run `node esbuild.mjs`');
      for (const plan of plans) {
        log(`server: ${plan.name} ...`);
        const r = await measureServer({
          serverJs,
          nodeArgs: extraServerArgs,
          editorFlags: !flag('--no-editor-flags'),
          file: plan.file,
          uri: pathToFileURL(plan.file).href,
          languageId: plan.name.endsWith('.json') ? 'json' : plan.name.endsWith('.tf') ? 'terraform' : 'yaml',
          offsets: plan.offsets,
          brokenOffsets: plan.brokenOffsets,
          brokenChar: plan.brokenChar,
        });
        rows[plan.name].server = {
          openMs: Math.round(r.openMs * 100) / 100,
          findings: r.findings,
          keystroke: stats(r.samples),
          broken: stats(r.broken),
          peakMb: r.memory ? Math.round(r.memory.peakMb * 10) / 10 : undefined,
          peakAfterOpenMb: r.memoryOpen ? Math.round(r.memoryOpen.peakMb * 10) / 10 : undefined,
          peakAfterTypingMb: r.memoryTyping ? Math.round(r.memoryTyping.peakMb * 10) / 10 : undefined,
          heapMb: r.heapTyping?.heapMb,
          heapTotalMb: r.heapTyping?.heapTotalMb,
          externalMb: r.heapTyping?.externalMb,
          rssAfterGcMb: r.heapTyping?.rssAfterGcMb,
        };
      }
    }

    let bareNode;
    if (!skip.has('cli')) {
      log('bare node -e 0 ...');
      bareNode = timeNode(cliSmallRuns);
      for (const plan of plans) {
        log(`cli: ${plan.name} ...`);
        rows[plan.name].cli = timeCli(
          cliJs,
          plan.file,
          plan.name.startsWith('small') ? cliSmallRuns : cliRuns,
        );
        // A module's whole folder, as `iac-netsec check modules/network` reads it.
        if (plan.moduleDir) rows[plan.name].cliFolder = timeCli(cliJs, plan.moduleDir, cliRuns);
      }
    }

    let dir;
    if (!skip.has('dir')) {
      log(`cli: directory of ${generated.dirCount} templates ...`);
      const r = timeCli(cliJs, generated.dir, quick ? 1 : 2);
      dir = {
        templates: generated.dirCount,
        seconds: Math.round(r.median) / 1000,
        runs: r.samples,
        findings: r.findings,
      };
    }

    // Budgets.
    const checks = [];
    const check = (name, value, limit, unit) => {
      if (value === undefined) return;
      checks.push({ name, value, limit, unit, pass: value <= limit });
    };
    for (const plan of plans) {
      if (plan.name === 'app.yaml') continue;
      const row = rows[plan.name];
      const large = plan.name.startsWith('large');
      const limit = large ? TARGETS.keystrokeLargeMs : TARGETS.keystrokeSmallMs;
      check(`keystroke p95 ${plan.name} (server)`, row.server?.keystroke.p95, limit, 'ms');
      if (large)
        check(`first diagnostics ${plan.name} (server)`, row.server?.openMs, TARGETS.openLargeMs, 'ms');
      if (plan.name === 'large.yaml')
        check(
          `broken-YAML keystroke p95 ${plan.name} (server)`,
          row.server?.broken.p95,
          TARGETS.brokenLargeMs,
          'ms',
        );
      if (plan.name.startsWith('small') && bareNode)
        check(
          `cli ${plan.name} (${TARGETS.cliSmallTimesNode} × node -e 0 = ${fmt(bareNode.median, 0)} ms)`,
          row.cli?.median,
          Math.round(TARGETS.cliSmallTimesNode * bareNode.median),
          'ms',
        );
      if (large)
        check(
          `server peak RSS ${plan.name} (open, ${plan.offsets.length * 2} keystrokes)`,
          row.server?.peakAfterTypingMb,
          TARGETS.serverPeakMb,
          'MB',
        );
    }
    if (dir) check(`cli ${dir.templates} templates`, dir.seconds, TARGETS.dirSeconds, 's');

    // Table.
    const lines = [];
    lines.push(
      [
        pad('file', 18),
        pad('lines', 6, true),
        pad('open ms', 8, true),
        pad('key med', 8, true),
        pad('key p95', 8, true),
        pad('broken p95', 11, true),
        pad('analysis p95', 13, true),
        pad('peak MB', 8, true),
        pad('heap MB', 8, true),
        pad('cli ms', 7, true),
        pad('findings', 9, true),
      ].join(' '),
    );
    for (const plan of plans) {
      const row = rows[plan.name];
      lines.push(
        [
          pad(plan.name, 18),
          pad(row.lines, 6, true),
          pad(fmt(row.server?.openMs), 8, true),
          pad(fmt(row.server?.keystroke.median), 8, true),
          pad(fmt(row.server?.keystroke.p95), 8, true),
          pad(fmt(row.server?.broken.p95), 11, true),
          pad(fmt(row.analysis?.keystroke.p95), 13, true),
          pad(fmt(row.server?.peakAfterTypingMb), 8, true),
          pad(fmt(row.server?.heapMb), 8, true),
          pad(fmt(row.cli?.median, 0), 7, true),
          pad(row.server?.findings ?? row.analysis?.findings ?? '-', 9, true),
        ].join(' '),
      );
    }
    if (bareNode) lines.push(`bare node -e 0: ${fmt(bareNode.median, 0)} ms (median of ${bareNode.samples})`);
    for (const plan of plans) {
      const folder = rows[plan.name].cliFolder;
      if (folder)
        lines.push(
          `module folder of ${plan.name.replace(/^.*-module(\d+).*$/, '$1')} files (${plan.name}): ${fmt(folder.median / 1000, 2)} s (cli)`,
        );
    }
    if (dir)
      lines.push(
        `directory of ${dir.templates} templates: ${dir.seconds.toFixed(2)} s (cli, ${os.cpus().length} cores)`,
      );
    lines.push('');
    for (const c of checks)
      lines.push(
        `${c.pass ? 'PASS' : 'MISS'}  ${c.name}: ${fmt(c.value, c.unit === 's' ? 2 : 1)} ${c.unit} (budget ${c.limit} ${c.unit})`,
      );
    const load1 = os.loadavg();
    lines.push('');
    lines.push(
      `node ${process.version}, ${os.cpus().length} cores, load average ${load0[0].toFixed(2)} -> ${load1[0].toFixed(2)}` +
        (load1[0] > os.cpus().length ? ' (machine busy: times are inflated)' : ''),
    );
    if (!skip.has('server')) lines.push(`server: node ${serverArgs.join(' ')} dist/server.js --stdio`);
    process.stdout.write(lines.join('\n') + '\n');

    let commit;
    try {
      commit = execFileSync('git', ['rev-parse', 'HEAD'], {
        cwd: repo,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    } catch {
      commit = undefined;
    }
    const result = {
      date: started.toISOString(),
      commit,
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
      cpus: os.cpus().length,
      loadAverage: { start: load0, end: load1 },
      templates: src,
      edits,
      serverNodeArgs: serverArgs,
      method: {
        keystroke:
          'single-character didChange -> publishDiagnostics for that version, diagnosticsDelayMs 0, timed at the client over stdio (includes JSON-RPC); each position is one insertion and one deletion',
        analysis:
          'the same edits through IacService in-process (parse, model, facts, rules, diagnostics; no IPC)',
        broken: 'an unclosed quote typed at line ends: documents with a syntax error',
        memory:
          'peakAfterTypingMb: VmHWM of the server process after opening and typing (peakMb: after the broken edits too); heapMb: heap used after a full GC (--expose-gc) then, heapTotalMb and externalMb with it',
        cli: `node dist/cli.js check <file> --format json, whole process, median of ${cliRuns} (${cliSmallRuns} for small files, against bare node -e 0 as often); cliFolder: the same on a module's whole folder`,
      },
      targets: TARGETS,
      bareNode,
      files: rows,
      directory: dir,
      checks,
    };
    const outDir = path.join(repo, '.bench-results');
    mkdirSync(outDir, { recursive: true });
    writeFileSync(path.join(outDir, 'latest.json'), JSON.stringify(result, null, 2) + '\n');
    log(`wrote ${path.relative(repo, path.join(outDir, 'latest.json'))}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(2);
});

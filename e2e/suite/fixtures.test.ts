/// <reference types="mocha" />
// For every file in test-fixtures/, the editor shows exactly the findings (rule, range,
// severity, message) that the core service computes, that `iac-netsec check --format json`
// prints, and that its SARIF holds (severity aside: SARIF has its own levels).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import * as vscode from 'vscode';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { readStackTemplate } from '../../server/src/cli/stackTemplates';
import { defaultSettings } from '../../server/src/engine/settings';
import { initHcl } from '../../server/src/parse/hcl';
import { IacService } from '../../server/src/service/service';
import { EXTENSION_ID, closeAll, ours, ruleOf, say, waitFor, workspaceRoot } from './util';

const SEVERITIES = ['error', 'warning', 'info', 'hint'];

/** Zero-based, end-exclusive positions. */
interface Seen {
  rule: string;
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
  severity: string | undefined;
  message: string;
}

function render(f: Seen, withSeverity = true): string {
  const where = `${f.line + 1}:${f.character + 1}-${f.endLine + 1}:${f.endCharacter + 1}`;
  return `${where} ${withSeverity ? `${f.severity} ` : ''}${f.rule} ${f.message}`;
}

function group(findings: { file: string; seen: Seen }[], withSeverity = true): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { file, seen } of findings)
    out.set(file, [...(out.get(file) ?? []), render(seen, withSeverity)]);
  for (const list of out.values()) list.sort();
  return out;
}

/** Runs the bundled CLI of the extension under test (with the extension host's Node). */
function cli(format: 'json' | 'sarif', files: string[]): unknown {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is loaded`);
  const result = spawnSync(
    process.execPath,
    [
      path.join(extension.extensionPath, 'dist', 'cli.js'),
      'check',
      '--format',
      format,
      '--fail-on',
      'none',
      // Named one by one: walking `.` would skip them all, because the run's workspace
      // lies in .e2e-cache/, which the repository's .gitignore ignores.
      ...files,
    ],
    {
      cwd: path.join(workspaceRoot().fsPath, 'test-fixtures'),
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    },
  );
  assert.equal(result.status, 0, `iac-netsec check --format ${format}: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

interface CliJson {
  findings: {
    file: string;
    rule: string;
    severity: string;
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    message: string;
  }[];
}

interface Sarif {
  runs: {
    results: {
      ruleId: string;
      message: { text: string };
      suppressions?: { kind: string; justification?: string }[];
      locations: {
        physicalLocation: {
          artifactLocation: { uri: string };
          region: { startLine: number; startColumn: number; endLine: number; endColumn: number };
        };
      }[];
    }[];
  }[];
}

/**
 * Fixtures checked at a time: VS Code keeps at most 50 documents that extensions open without
 * showing them (older ones are closed, and their diagnostics with them).
 */
const BATCH = 30;

describe('test-fixtures: editor, core, CLI and SARIF agree', () => {
  let files: vscode.Uri[] = [];
  /** What the editor showed for each fixture while it was open (both with and without severity). */
  const shown: { file: string; seen: Seen }[] = [];
  const relative = (uri: vscode.Uri): string =>
    path.relative(path.join(workspaceRoot().fsPath, 'test-fixtures'), uri.fsPath).split(path.sep).join('/');
  const editorFindings = (of: vscode.Uri[]): { file: string; seen: Seen }[] =>
    of.flatMap((uri) =>
      ours(uri).map((d) => ({
        file: relative(uri),
        seen: {
          rule: ruleOf(d) ?? '',
          line: d.range.start.line,
          character: d.range.start.character,
          endLine: d.range.end.line,
          endCharacter: d.range.end.character,
          severity: SEVERITIES[d.severity],
          message: d.message,
        },
      })),
    );
  const perFile = (map: Map<string, string[]>, of = files): Record<string, string[]> =>
    Object.fromEntries(of.map((uri) => [relative(uri), map.get(relative(uri)) ?? []]));

  before(async function () {
    // The core below reads .tf files too: load the HCL parser from the extension's dist/.
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is loaded`);
    await initHcl(path.join(extension.extensionPath, 'dist'));
    files = (await vscode.workspace.findFiles('test-fixtures/**/*.{yaml,yml,json,template,tf}')).sort(
      (a, b) => a.path.localeCompare(b.path),
    );
    if (!files.length) {
      say('    (no test-fixtures/ in the repository yet: skipped)');
      this.skip();
    }
  });
  after(closeAll);

  it('the editor shows exactly the core findings for every fixture', async function () {
    this.timeout(60000 + files.length * 1500);
    const service = new IacService();
    // Nested stacks (test-fixtures/nested-stacks): the core reads child templates from disk, as
    // the server does.
    const readTemplate = readStackTemplate([workspaceRoot().fsPath]);
    service.setStackTemplates(() => ({
      readTemplate: (from, relative) => {
        const template = readTemplate(vscode.Uri.parse(from).fsPath, relative);
        return template && { uri: vscode.Uri.file(template.uri).toString(), text: template.text };
      },
      signature: () => '',
    }));
    const settings = defaultSettings();
    let total = 0;
    for (let from = 0; from < files.length; from += BATCH) {
      const batch = files.slice(from, from + BATCH);
      const expected: { file: string; seen: Seen }[] = [];
      for (const uri of batch) {
        const document = await vscode.workspace.openTextDocument(uri);
        const core = TextDocument.create(
          uri.toString(),
          document.languageId,
          document.version,
          document.getText(),
        );
        for (const d of service.diagnostics(core, settings)) {
          expected.push({
            file: relative(uri),
            seen: {
              rule: String(d.code),
              line: d.range.start.line,
              character: d.range.start.character,
              endLine: d.range.end.line,
              endCharacter: d.range.end.character,
              severity: SEVERITIES[(d.severity ?? 1) - 1],
              message: typeof d.message === 'string' ? d.message : d.message.value,
            },
          });
        }
      }
      const want = JSON.stringify(perFile(group(expected), batch));
      // The batch is open; wait until every file shows its findings (files with none are
      // checked again once the others are in, so a late report would still be caught).
      try {
        await waitFor(
          'the editor to show the core findings for every fixture',
          () => JSON.stringify(perFile(group(editorFindings(batch)), batch)) === want,
          20000 + batch.length * 500,
        );
        await new Promise((resolve) => setTimeout(resolve, 1000));
      } catch {
        // the difference is reported below
      }
      const seen = editorFindings(batch);
      assert.deepEqual(perFile(group(seen), batch), perFile(group(expected), batch));
      shown.push(...seen);
      total += expected.length;
      await closeAll();
    }
    say(`    (${files.length} fixture files, ${total} findings)`);
  });

  it('`iac-netsec check --format json` prints the same findings', () => {
    const json = cli('json', files.map(relative)) as CliJson;
    const fromCli = json.findings.map((f) => ({
      file: f.file,
      seen: {
        rule: f.rule,
        line: f.line - 1,
        character: f.column - 1,
        endLine: f.endLine - 1,
        endCharacter: f.endColumn - 1,
        severity: f.severity,
        message: f.message,
      },
    }));
    assert.deepEqual(perFile(group(fromCli)), perFile(group(shown)));
  });

  it('its SARIF holds the same results', () => {
    const sarif = cli('sarif', files.map(relative)) as Sarif;
    // Suppressed findings are in SARIF too, marked with `suppressions` (as SARIF wants);
    // the editor hides them by default.
    const results = (sarif.runs[0]?.results ?? []).filter((r) => !r.suppressions?.length);
    const fromSarif = results.map((r) => {
      const location = r.locations[0]?.physicalLocation;
      assert.ok(location, `a location for ${r.ruleId}`);
      const region = location.region;
      return {
        file: location.artifactLocation.uri,
        seen: {
          rule: r.ruleId,
          line: region.startLine - 1,
          character: region.startColumn - 1,
          endLine: region.endLine - 1,
          endCharacter: region.endColumn - 1,
          severity: undefined,
          message: r.message.text,
        },
      };
    });
    assert.deepEqual(perFile(group(fromSarif, false)), perFile(group(shown, false)));
  });
});

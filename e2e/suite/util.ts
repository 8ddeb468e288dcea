// Helpers for the extension-host tests. Public `vscode` API only.
import * as assert from 'node:assert/strict';
import { format } from 'node:util';
import * as vscode from 'vscode';

export const SOURCE = 'iac-netsec';

/** Marks a line as test output; e2e/run.mjs prints marked lines and logs the rest to a file. */
export const OUTPUT_MARK = '\u2063e2e\u2063 ';

export function say(...args: unknown[]): void {
  for (const line of format(...args).split('\n')) console.log(OUTPUT_MARK + line);
}
export const EXTENSION_ID = 'iac-netsec.iac-netsec';

/** The temporary workspace the driver opened (a copy of the fixtures). */
export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test run must open a workspace folder');
  return folder.uri;
}

export function fileUri(relative: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relative.split('/'));
}

export async function open(relative: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(fileUri(relative));
  return vscode.window.showTextDocument(document, { preview: false });
}

export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

/** The rule id of a diagnostic (`code` is `{ value, target }` when it links to docs). */
export function ruleOf(d: vscode.Diagnostic): string | undefined {
  const code = d.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

export function byRule(uri: vscode.Uri, rule: string): vscode.Diagnostic[] {
  return ours(uri).filter((d) => ruleOf(d) === rule);
}

/** Polls `probe` (also on every diagnostics change) until it returns a value other than undefined/false. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 20000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? `: ${last.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, 100);
      const sub = vscode.languages.onDidChangeDiagnostics(done);
      function done(): void {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      }
    });
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The range of the n-th occurrence of `needle` in the document. */
export function rangeOf(document: vscode.TextDocument, needle: string, occurrence = 0): vscode.Range {
  const text = document.getText();
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `"${needle}" (occurrence ${occurrence}) not in ${document.uri.path}`);
  }
  return new vscode.Range(document.positionAt(at), document.positionAt(at + needle.length));
}

export function showRange(r: vscode.Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

export function describeDiagnostics(uri: vscode.Uri): string {
  const all = vscode.languages.getDiagnostics(uri);
  if (!all.length) return '(none)';
  return all.map((d) => `${d.source}/${ruleOf(d)} ${showRange(d.range)} ${d.message}`).join('\n');
}

export async function codeActions(
  uri: vscode.Uri,
  range: vscode.Range,
  kind?: string,
): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider',
    uri,
    range,
    kind,
  );
  return (actions ?? []).filter(
    (a): a is vscode.CodeAction => 'title' in a && !('command' in a && typeof a.command === 'string'),
  );
}

export async function applyAction(action: vscode.CodeAction): Promise<void> {
  assert.ok(action.edit, `code action "${action.title}" has no edit`);
  assert.ok(await vscode.workspace.applyEdit(action.edit), `applying "${action.title}" failed`);
}

export function hoverText(hovers: vscode.Hover[] | undefined): string {
  return (hovers ?? [])
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

/** Closes every editor, discarding nothing (callers save or revert first). */
export async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Replaces the whole text of an open document (as typing would, unsaved). */
export async function setText(document: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text);
  assert.ok(await vscode.workspace.applyEdit(edit));
}

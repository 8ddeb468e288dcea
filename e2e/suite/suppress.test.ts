/// <reference types="mocha" />
// Suppression from the lightbulb: the action writes a Metadata suppression with a reason
// placeholder, the finding goes, and it stays gone after saving, closing and reopening
// (the saved file is also opened afresh under a new name, analysed from disk).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  applyAction,
  byRule,
  closeAll,
  codeActions,
  describeDiagnostics,
  fileUri,
  open,
  ours,
  rangeOf,
  showRange,
  waitFor,
} from './util';

const RULE = 'ssh-open-to-internet';

const SUPPRESSION = [
  '    Metadata:',
  '      iac-netsec:',
  '        ignore:',
  '          - rule: ssh-open-to-internet',
  '            reason: ',
].join('\n');

/** Only WebSg's finding is left, and nothing complains about the suppression itself. */
async function onlyWebSgFlagged(document: vscode.TextDocument): Promise<void> {
  const webSg = rangeOf(document, '::/0');
  await waitFor(`only WebSg flagged in ${document.uri.path}`, () => {
    const ssh = byRule(document.uri, RULE);
    return ssh.length === 1 && showRange(ssh[0]!.range) === showRange(webSg);
  });
  const metadata = rangeOf(document, 'Metadata:');
  const aboutSuppression = ours(document.uri).filter(
    (d) => d.range.start.line >= metadata.start.line && d.range.start.line <= metadata.start.line + 5,
  );
  assert.deepEqual(
    aboutSuppression.map((d) => d.message),
    [],
    describeDiagnostics(document.uri),
  );
}

describe('suppression from the lightbulb', () => {
  after(closeAll);

  it('adds a Metadata suppression that survives save and reopen', async () => {
    await vscode.workspace.fs.copy(fileUri('suppress.yaml'), fileUri('suppressed.yaml'), { overwrite: true });
    let editor = await open('suppressed.yaml');
    const uri = editor.document.uri;
    const legacy = rangeOf(editor.document, '0.0.0.0/0');
    const diagnostic = await waitFor('LegacySg flagged', () =>
      byRule(uri, RULE).find((d) => showRange(d.range) === showRange(legacy)),
    );
    await waitFor('WebSg flagged too', () => byRule(uri, RULE).length === 2);

    const actions = await codeActions(uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    const suppress = actions.find(
      (a) => a.title === 'Suppress ssh-open-to-internet for LegacySg (with a reason)',
    );
    assert.ok(suppress, `suppress action offered; got:\n${actions.map((a) => a.title).join('\n')}`);
    await applyAction(suppress);

    const text = editor.document.getText();
    const legacyBlock = text.slice(text.indexOf('  LegacySg:'), text.indexOf('  WebSg:'));
    assert.ok(legacyBlock.includes(SUPPRESSION), `suppression written under LegacySg:\n${legacyBlock}`);
    assert.match(legacyBlock, /reason: .*\S/, 'a reason (placeholder) to fill in');
    assert.ok(!text.slice(text.indexOf('  WebSg:')).includes('Metadata'), 'WebSg untouched');
    await onlyWebSgFlagged(editor.document);

    // Save, close, reopen the same file.
    assert.ok(await editor.document.save(), 'saved');
    assert.equal(editor.document.isDirty, false);
    const onDisk = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    assert.equal(onDisk, text, 'the suppression is on disk');
    await closeAll();
    editor = await open('suppressed.yaml');
    assert.equal(editor.document.getText(), text);
    await onlyWebSgFlagged(editor.document);

    // The saved file opened afresh (a new document, analysed from what is on disk).
    await vscode.workspace.fs.copy(uri, fileUri('suppressed-reopened.yaml'), { overwrite: true });
    await onlyWebSgFlagged((await open('suppressed-reopened.yaml')).document);
  });
});

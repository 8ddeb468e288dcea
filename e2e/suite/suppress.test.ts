/// <reference types="mocha" />
// Suppression from the lightbulb: the action writes a Metadata suppression with the reason
// placeholder selected; left in, the finding stays and the placeholder is reported; once a
// reason is typed over it, the finding goes, and it stays gone after saving, closing and reopening
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
const PLACEHOLDER = 'REASON: why this is acceptable';

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
    // The action's command selects the reason placeholder, for the user to type over.
    assert.ok(suppress.command, 'the suppress action selects the placeholder');
    await vscode.commands.executeCommand(suppress.command.command, ...(suppress.command.arguments ?? []));
    assert.equal(editor.document.getText(editor.selection), PLACEHOLDER);

    // Left in, the placeholder is no reason: the finding stays and the suppression is reported.
    await waitFor('placeholder reported, LegacySg still flagged', () => {
      const invalid = byRule(uri, 'suppression-invalid');
      return (
        byRule(uri, RULE).length === 2 &&
        invalid.length === 1 &&
        invalid[0]!.message.includes('placeholder reason')
      );
    });

    // Typing the reason over the selection makes it a suppression.
    assert.ok(await editor.edit((b) => b.replace(editor.selection, 'jump host, removed in Q3')));
    const text = editor.document.getText();
    const legacyBlock = text.slice(text.indexOf('  LegacySg:'), text.indexOf('  WebSg:'));
    assert.ok(legacyBlock.includes(SUPPRESSION), `suppression written under LegacySg:\n${legacyBlock}`);
    assert.match(legacyBlock, /reason: 'jump host, removed in Q3'\n/, 'the typed reason');
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

/// <reference types="mocha" />
// The editor experience (issue 15): Fix all in one action fixes every safe finding of a file with
// several insertion points; the language status item shows; the rule link opens the bundled docs;
// restarting the server logs no error.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { IacNetsecApi } from '../../client/src/extension';
import {
  EXTENSION_ID,
  byRule,
  closeAll,
  codeActions,
  describeDiagnostics,
  fileUri,
  open,
  ours,
  waitFor,
} from './util';

const FIX_ALL = 'source.fixAll.iacNetsec';

describe('editor experience', () => {
  after(closeAll);

  it('Fix all fixes every safe finding in one action, two insertions at one place included', async () => {
    await vscode.workspace.fs.copy(fileUri('fixall.yaml'), fileUri('fixall-copy.yaml'), { overwrite: true });
    const editor = await open('fixall-copy.yaml');
    const uri = editor.document.uri;
    await waitFor('three safe findings', () => ours(uri).length === 3);
    const actions = await codeActions(uri, new vscode.Range(0, 0, 0, 0), FIX_ALL);
    const fixAll = actions.find((a) => a.kind?.value === FIX_ALL);
    assert.ok(fixAll?.edit, `fix-all offered; got ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fixAll.edit));
    await waitFor(`no finding left:\n${describeDiagnostics(uri)}`, () => ours(uri).length === 0);
    const text = editor.document.getText();
    assert.equal(text.match(/Type: AWS::S3::BucketPolicy/g)?.length, 2, text);
    assert.ok(text.includes('HttpTokens: required'), text);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('the language status item shows the findings and the config in force', async () => {
    const editor = await open('suppress.yaml');
    await waitFor('findings', () => byRule(editor.document.uri, 'ssh-open-to-internet').length === 2);
    const api = vscode.extensions.getExtension<IacNetsecApi>(EXTENSION_ID)!.exports;
    const count = ours(editor.document.uri).length;
    const status = await waitFor(
      'status item',
      () =>
        api.status?.text === `IaC Network Security: ${count} finding${count === 1 ? '' : 's'}` && api.status,
    );
    assert.match(status.detail, /config|defaults/);
  });

  it('the rule link opens the bundled docs in the editor', async () => {
    const editor = await open('ssh.yaml');
    const [d] = await waitFor('finding', () => {
      const found = byRule(editor.document.uri, 'ssh-open-to-internet');
      return found.length ? found : undefined;
    });
    const code = d!.code as { value: string; target: vscode.Uri };
    assert.equal(code.value, 'ssh-open-to-internet');
    assert.equal(code.target.scheme, 'command', code.target.toString());
    assert.equal(code.target.path, 'iacNetsec.showRuleDocs');
    const args = JSON.parse(decodeURIComponent(code.target.query)) as unknown[];
    await vscode.commands.executeCommand(code.target.path, ...args);
    await waitFor('the bundled docs are open', () =>
      vscode.workspace.textDocuments.some(
        (doc) => doc.uri.scheme === 'iac-netsec-docs' && doc.getText().startsWith('# ssh-open-to-internet'),
      ),
    );
  });

  it('a restart of the server logs its clean exit as information, not as an error, and it checks again', async () => {
    const editor = await open('ssh.yaml');
    await waitFor('finding', () => byRule(editor.document.uri, 'ssh-open-to-internet').length === 1);
    const api = vscode.extensions.getExtension<IacNetsecApi>(EXTENSION_ID)!.exports;
    const before = api.outputLines.length;
    await vscode.commands.executeCommand('iacNetsec.restartServer');
    const exited = await waitFor('the exit of the old server in the output', () => {
      const lines = api.outputLines.slice(before);
      return (
        lines.some((line) => line.includes('Server process exited with')) &&
        lines.includes('Language server restarted') &&
        lines
      );
    });
    const exit = exited.filter((line) => line.includes('Server process exited with'));
    assert.equal(exit.length, 1, exited.join('\n'));
    assert.match(exit[0]!, /^\[Info +- [^\]]+\] Server process exited with code 0\.$/);
    assert.deepEqual(
      exited.filter((line) => line.startsWith('[Error')),
      [],
      exited.join('\n'),
    );
    // The new server checks documents again.
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    const reopened = await open('ssh.yaml');
    await waitFor(
      'finding after the restart',
      () => byRule(reopened.document.uri, 'ssh-open-to-internet').length === 1,
    );
  });
});

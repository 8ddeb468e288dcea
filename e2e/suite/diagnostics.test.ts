/// <reference types="mocha" />
// Diagnostics in a real VS Code: activation on templates, exact ranges per format, checking
// the unsaved buffer as you type, and silence on YAML/JSON files that are not templates.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  EXTENSION_ID,
  byRule,
  closeAll,
  describeDiagnostics,
  fileUri,
  open,
  ours,
  rangeOf,
  ruleOf,
  setText,
  showRange,
  sleep,
  waitFor,
  workspaceRoot,
} from './util';

const RULE = 'ssh-open-to-internet';

/** Waits for exactly one ssh-open-to-internet diagnostic and checks its identity. */
async function expectSsh(uri: vscode.Uri, range: vscode.Range): Promise<vscode.Diagnostic> {
  const [d] = await waitFor(`${RULE} on ${uri.path}`, () => {
    const found = byRule(uri, RULE);
    return found.length > 0 && found;
  });
  assert.ok(d);
  assert.equal(byRule(uri, RULE).length, 1, describeDiagnostics(uri));
  assert.equal(showRange(d.range), showRange(range), `range of ${RULE} in ${uri.path}`);
  assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
  assert.equal(d.source, 'iac-netsec');
  assert.match(d.message, /^SSH \(TCP port 22\) is open to the internet: /);
  const code = d.code;
  assert.ok(code && typeof code === 'object', 'the rule id links to its documentation');
  assert.equal(code.value, RULE);
  assert.match(code.target.toString(), /ssh-open-to-internet/);
  return d;
}

describe('diagnostics', () => {
  after(closeAll);

  it('opens the test workspace', () => {
    assert.ok(workspaceRoot().path.endsWith('/workspace'), workspaceRoot().toString());
  });

  it('activates on a CloudFormation YAML template and flags the open CIDR exactly', async () => {
    const editor = await open('ssh.yaml');
    await expectSsh(editor.document.uri, new vscode.Range(12, 18, 12, 27));
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true, 'extension active');
    // The private 443 rule is fine; nothing else of ours on this file.
    assert.equal(ours(editor.document.uri).length, 1, describeDiagnostics(editor.document.uri));
  });

  it('flags the quoted value in CloudFormation JSON', async () => {
    const editor = await open('ssh.json');
    await expectSsh(editor.document.uri, rangeOf(editor.document, '"0.0.0.0/0"'));
  });

  it('flags the list item in Terraform JSON (*.tf.json)', async () => {
    const editor = await open('main.tf.json');
    await expectSsh(editor.document.uri, rangeOf(editor.document, '"0.0.0.0/0"'));
  });

  it('checks the unsaved buffer as you type, and keeps findings of a half-typed template', async () => {
    await vscode.workspace.fs.copy(fileUri('ssh.yaml'), fileUri('typing.yaml'), { overwrite: true });
    const editor = await open('typing.yaml');
    const uri = editor.document.uri;
    const original = editor.document.getText();
    await expectSsh(uri, new vscode.Range(12, 18, 12, 27));

    await setText(editor.document, original.replace('CidrIp: 0.0.0.0/0', 'CidrIp: 203.0.113.0/24'));
    await waitFor('the finding to go away after the edit', () => byRule(uri, RULE).length === 0);

    // Back to open, plus a half-typed resource at the end: the syntax error is reported
    // where it is, and the finished resource keeps its finding.
    await setText(
      editor.document,
      `${original}  HalfTyped:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: "unterminated\n`,
    );
    await expectSsh(uri, new vscode.Range(12, 18, 12, 27));
    await waitFor('a syntax error on the half-typed line', () =>
      ours(uri).some((d) => ruleOf(d) !== RULE && d.range.start.line >= 17),
    );
    assert.equal(editor.document.isDirty, true, 'nothing was saved');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('stays quiet on YAML and JSON files that are not templates', async () => {
    const quiet = ['docker-compose.yaml', 'settings.json'];
    for (const file of quiet) await open(file);
    // A template opened afterwards is analysed after them; once its finding is in, the
    // server has had its chance to report on the quiet files too.
    await vscode.workspace.fs.copy(fileUri('ssh.yaml'), fileUri('sentinel.yaml'), { overwrite: true });
    await expectSsh((await open('sentinel.yaml')).document.uri, new vscode.Range(12, 18, 12, 27));
    await sleep(1000);
    for (const file of quiet) {
      assert.deepEqual(
        vscode.languages.getDiagnostics(fileUri(file)).map((d) => `${d.source}: ${d.message}`),
        [],
        `no diagnostics on ${file}`,
      );
    }
  });
});

/// <reference types="mocha" />
// Quick fixes in a real VS Code: the lightbulb's actions for a finding, applying the rule's
// fix through workspace.applyEdit, the exact resulting text, and the finding going away.
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
  waitFor,
} from './util';

const RULE = 'ssh-open-to-internet';

async function flagged(file: string): Promise<{ editor: vscode.TextEditor; diagnostic: vscode.Diagnostic }> {
  const copy = `quickfix-${file}`;
  await vscode.workspace.fs.copy(fileUri(file), fileUri(copy), { overwrite: true });
  const editor = await open(copy);
  const [diagnostic] = await waitFor(`${RULE} on ${copy}`, () => {
    const found = byRule(editor.document.uri, RULE);
    return found.length > 0 && found;
  });
  assert.ok(diagnostic);
  return { editor, diagnostic };
}

async function quickFixes(
  editor: vscode.TextEditor,
  diagnostic: vscode.Diagnostic,
): Promise<vscode.CodeAction[]> {
  return codeActions(editor.document.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
}

function find(actions: vscode.CodeAction[], title: string): vscode.CodeAction {
  const action = actions.find((a) => a.title === title);
  assert.ok(action, `no action "${title}" among:\n${actions.map((a) => a.title).join('\n')}`);
  return action;
}

/** The parameter description is prose; compare everything else exactly. */
function normaliseDescription(text: string): string {
  return text.replace(/^(\s+"?[Dd]escription"?: ).*$/m, '$1<description>');
}

describe('quick fixes', () => {
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.files.saveAll');
    await closeAll();
  });

  it('offers the rule fixes (unsafe, not preferred), suppress and docs for a finding', async () => {
    const { editor, diagnostic } = await flagged('ssh.yaml');
    const actions = await quickFixes(editor, diagnostic);
    const titles = actions.map((a) => a.title);
    for (const title of [
      'Allow SSH only from a new parameter AllowedSshCidr (changes behaviour)',
      'Remove this rule (changes behaviour)',
      'Suppress ssh-open-to-internet for BastionSg (with a reason)',
      'Show documentation for ssh-open-to-internet',
    ])
      assert.ok(titles.includes(title), `"${title}" offered; got:\n${titles.join('\n')}`);
    const fix = find(actions, 'Allow SSH only from a new parameter AllowedSshCidr (changes behaviour)');
    assert.notEqual(fix.isPreferred, true, 'an unsafe fix is never preferred');
    assert.equal(fix.kind?.value, 'quickfix');
    // (vscode.executeCodeActionProvider does not return action.diagnostics, so which
    // diagnostic an action fixes is covered by the protocol tests, not here.)
    const docs = find(actions, 'Show documentation for ssh-open-to-internet');
    assert.equal(docs.edit, undefined);
    assert.ok(docs.command, 'the docs action runs a command');
  });

  it('applies "Allow SSH only from a new parameter" to YAML: exact text, finding gone', async () => {
    const { editor, diagnostic } = await flagged('ssh.yaml');
    const uri = editor.document.uri;
    await applyAction(
      find(
        await quickFixes(editor, diagnostic),
        'Allow SSH only from a new parameter AllowedSshCidr (changes behaviour)',
      ),
    );
    assert.equal(
      normaliseDescription(editor.document.getText()),
      [
        "AWSTemplateFormatVersion: '2010-09-09'",
        'Description: Bastion host security group (iac-netsec editor test)',
        'Parameters:',
        '  AllowedSshCidr:',
        '    Type: String',
        '    Description: <description>',
        'Resources:',
        '  BastionSg:',
        '    Type: AWS::EC2::SecurityGroup',
        '    Properties:',
        '      GroupDescription: bastion',
        '      SecurityGroupIngress:',
        '        # SSH for the on-call engineers',
        '        - IpProtocol: tcp',
        '          FromPort: 22',
        '          ToPort: 22',
        '          CidrIp: !Ref AllowedSshCidr',
        '        - IpProtocol: tcp',
        '          FromPort: 443',
        '          ToPort: 443',
        '          CidrIp: 10.0.0.0/8',
        '',
      ].join('\n'),
    );
    await waitFor('the finding to go away', () => byRule(uri, RULE).length === 0);
    // The fixed file parses and raises nothing else.
    assert.equal(ours(uri).length, 0, describeDiagnostics(uri));
  });

  it('applies the Terraform JSON fix: a variable and an interpolation, finding gone', async () => {
    const { editor, diagnostic } = await flagged('main.tf.json');
    const uri = editor.document.uri;
    await applyAction(
      find(
        await quickFixes(editor, diagnostic),
        'Allow SSH only from a new parameter allowed_ssh_cidr (changes behaviour)',
      ),
    );
    const text = editor.document.getText();
    const parsed = JSON.parse(text) as {
      variable: Record<string, { type: string }>;
      resource: { aws_security_group: { admin: { ingress: { cidr_blocks: string[] }[] } } };
    };
    assert.equal(parsed.variable.allowed_ssh_cidr?.type, 'string');
    assert.deepEqual(parsed.resource.aws_security_group.admin.ingress[0]?.cidr_blocks, [
      '${var.allowed_ssh_cidr}',
    ]);
    assert.ok(text.includes('"cidr_blocks": ["${var.allowed_ssh_cidr}"]'), 'edits keep the flow-style list');
    await waitFor('the finding to go away', () => byRule(uri, RULE).length === 0);
    assert.equal(ours(uri).length, 0, describeDiagnostics(uri));
  });

  it('Terraform HCL: the squiggle on the exact CIDR, the fix writes a variable and var.x', async () => {
    const { editor, diagnostic } = await flagged('main.tf');
    const uri = editor.document.uri;
    assert.equal(editor.document.getText(diagnostic.range), '"0.0.0.0/0"');
    assert.deepEqual(
      [diagnostic.range.start.line, diagnostic.range.start.character, diagnostic.range.end.character],
      [8, 19, 30],
    );
    await applyAction(
      find(
        await quickFixes(editor, diagnostic),
        'Allow SSH only from a new parameter allowed_ssh_cidr (changes behaviour)',
      ),
    );
    const text = editor.document.getText();
    assert.ok(text.includes('    cidr_blocks = [var.allowed_ssh_cidr] # on-call engineers\n'), text);
    assert.ok(/variable "allowed_ssh_cidr" \{\n {2}type\s+= string\n/.test(text), text);
    await waitFor('the finding to go away', () => byRule(uri, RULE).length === 0);
    assert.equal(ours(uri).length, 0, describeDiagnostics(uri));
  });

  it('applies "Remove this rule" to CloudFormation JSON', async () => {
    const { editor, diagnostic } = await flagged('ssh.json');
    const uri = editor.document.uri;
    await applyAction(find(await quickFixes(editor, diagnostic), 'Remove this rule (changes behaviour)'));
    const parsed = JSON.parse(editor.document.getText()) as {
      Resources: { AdminSg: { Properties: { SecurityGroupIngress: unknown[] } } };
    };
    assert.deepEqual(parsed.Resources.AdminSg.Properties.SecurityGroupIngress, []);
    await waitFor('the finding to go away', () => byRule(uri, RULE).length === 0);
  });
});

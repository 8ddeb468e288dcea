/// <reference types="mocha" />
// Hover in a real VS Code: the rule's docs on a flagged element, the control's docs on a
// property a rule reads. Expected text is taken from the sources, so doc edits do not break it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ADMIN_ACCESS_CONTROLS } from '../../server/src/rules/exposure/controls';
import docs from '../../server/src/rules/ssh-open-to-internet/rule.md?raw';
import { byRule, closeAll, hoverText, open, rangeOf, waitFor } from './util';

/** The first paragraph under a heading of the rule docs. */
function section(heading: string): string {
  const after = docs.split(`## ${heading}\n`)[1];
  assert.ok(after, `rule.md has "## ${heading}"`);
  const paragraph = after.trim().split(/\n\n/)[0];
  assert.ok(paragraph);
  return paragraph;
}

async function hoverAt(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    uri,
    position,
  );
  return hoverText(hovers);
}

describe('hover', () => {
  after(closeAll);

  it('shows why and how to fix in a few lines, without repeating the message, on the flagged CIDR', async () => {
    const editor = await open('ssh.yaml');
    const uri = editor.document.uri;
    await waitFor('the finding', () => byRule(uri, 'ssh-open-to-internet').length > 0);
    const at = rangeOf(editor.document, '0.0.0.0/0').start.translate(0, 3);
    const text = await waitFor('hover text', async () => {
      const t = await hoverAt(uri, at);
      return t.includes('ssh-open-to-internet') && t;
    });
    // The editor shows the diagnostic's message above the hover: it is not repeated.
    assert.ok(!text.includes('SSH (TCP port 22) is open to the internet'), text);
    assert.ok(text.includes(`**Why:** ${section('Why is this bad?').split('. ')[0]!}`), text);
    assert.ok(text.includes('**Fix:** Allow SSH only from known ranges'), text);
    assert.ok(text.includes('[Rule documentation](command:iacNetsec.showRuleDocs'), text);
    assert.ok(!text.includes(section('Fix safety')), 'not the whole rule document');
    assert.ok(text.split('\n').length < 15, text);
  });

  it('explains a control the rules read (SecurityGroupIngress)', async () => {
    const editor = await open('ssh.yaml');
    const at = rangeOf(editor.document, 'SecurityGroupIngress').start.translate(0, 4);
    const control = ADMIN_ACCESS_CONTROLS.find((c) => c.keys.includes('SecurityGroupIngress'));
    assert.ok(control);
    const firstSentence = control.markdown.split('. ')[0] ?? '';
    const text = await hoverAt(editor.document.uri, at);
    assert.ok(text.includes(firstSentence), `hover on SecurityGroupIngress:\n${text}`);
  });

  it('says nothing on an unflagged, uninteresting element', async () => {
    const editor = await open('ssh.yaml');
    const at = rangeOf(editor.document, 'Bastion host security group').start.translate(0, 2);
    assert.equal(await hoverAt(editor.document.uri, at), '');
  });
});

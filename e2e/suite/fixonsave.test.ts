/// <reference types="mocha" />
// Fix-on-save: with "editor.codeActionsOnSave": { "source.fixAll.iacNetsec": "explicit" },
// saving applies the safe fixes (exactly what the core's fix-all computes) and never an unsafe one.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { defaultSettings } from '../../server/src/engine/settings';
import { ALL_RULES } from '../../server/src/rules';
import type { Rule } from '../../server/src/rules/types';
import { IacService } from '../../server/src/service/service';
import { byRule, closeAll, codeActions, fileUri, open, ours, ruleOf, waitFor, say } from './util';

const FIX_ALL = 'source.fixAll.iacNetsec';

/** The first ```yaml block under "## Example" of a rule's docs (it must trigger the rule). */
function yamlExample(rule: Rule): string | undefined {
  const example = rule.docs.split('## Example')[1]?.split('\n## ')[0] ?? '';
  return /```yaml\n([\s\S]*?)```/.exec(example)?.[1];
}

/** A registered rule whose fixes are all safe and whose docs have a YAML example. */
function safeRule(): { rule: Rule; text: string } | undefined {
  const candidates = ALL_RULES.filter((r) => r.meta.fixSafety === 'safe' && r.meta.formats.includes('cfn'));
  // cloudfront-allows-http is the catalogue's plainest safe fix; take it when registered.
  candidates.sort(
    (a, b) => Number(b.meta.id === 'cloudfront-allows-http') - Number(a.meta.id === 'cloudfront-allows-http'),
  );
  for (const rule of candidates) {
    const text = yamlExample(rule);
    if (text) return { rule, text };
  }
  return undefined;
}

async function setFixOnSave(value: Record<string, string> | undefined): Promise<void> {
  await vscode.workspace
    .getConfiguration('editor')
    .update('codeActionsOnSave', value, vscode.ConfigurationTarget.Workspace);
}

describe('fix on save (source.fixAll.iacNetsec)', () => {
  before(() => setFixOnSave({ [FIX_ALL]: 'explicit' }));
  after(async () => {
    await setFixOnSave(undefined);
    await closeAll();
  });

  it('applies the safe fixes of the file on save, exactly as the core computes them', async function () {
    const found = safeRule();
    if (!found) {
      say('    (no registered rule with safe fixes and a YAML example yet: skipped)');
      this.skip();
    }
    const { rule, text } = found;
    const file = `fixonsave-${rule.meta.id}.yaml`;
    await vscode.workspace.fs.writeFile(fileUri(file), new TextEncoder().encode(text));
    const editor = await open(file);
    const uri = editor.document.uri;
    await waitFor(`${rule.meta.id} on ${file}`, () => byRule(uri, rule.meta.id).length > 0);

    // The file-level action is offered under the kind fix-on-save asks for.
    const fixAll = await codeActions(uri, new vscode.Range(0, 0, 0, 0), FIX_ALL);
    assert.ok(
      fixAll.some((a) => a.kind?.value === FIX_ALL),
      `a ${FIX_ALL} action is offered`,
    );

    // Type something (VS Code runs save participants only for a dirty file), then save.
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(0, 0), '# edited in the editor test\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const typed = editor.document.getText();
    const core = TextDocument.create(uri.toString(), 'yaml', 1, typed);
    const expected = TextDocument.applyEdits(core, new IacService().fixAllEdits(core, defaultSettings()));
    assert.notEqual(expected, typed, `the core fixes ${rule.meta.id} in its own example`);

    assert.ok(await editor.document.save(), 'saved');
    assert.equal(editor.document.getText(), expected);
    assert.equal(
      new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)),
      expected,
      'fixed text on disk',
    );
    await waitFor(`${rule.meta.id} to go away`, () => byRule(uri, rule.meta.id).length === 0);
  });

  it('leaves unsafe fixes alone: saving a file with only unsafe fixes changes nothing', async () => {
    await vscode.workspace.fs.copy(fileUri('ssh.yaml'), fileUri('fixonsave-unsafe.yaml'), {
      overwrite: true,
    });
    const editor = await open('fixonsave-unsafe.yaml');
    const uri = editor.document.uri;
    await waitFor('the finding', () => byRule(uri, 'ssh-open-to-internet').length > 0);
    const before = editor.document.getText();
    // Make the buffer dirty so the save really goes through the save participants.
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(1, 0), '# reviewed\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await editor.document.save(), 'saved');
    assert.equal(editor.document.getText(), before.replace('\n', '\n# reviewed\n'));
    await waitFor('the finding still there after save', () =>
      ours(uri).some((d) => ruleOf(d) === 'ssh-open-to-internet' && d.range.start.line === 13),
    );
  });
});

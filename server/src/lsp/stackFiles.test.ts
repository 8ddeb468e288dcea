// The server's reader of nested stack templates: open editors win over the disk, files outside
// the workspace are not read, and it knows which open parents read a file.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { StackFiles } from './stackFiles';

const base = mkdtempSync(path.join(os.tmpdir(), 'iac-netsec-stackfiles-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('StackFiles', () => {
  it('reads children from open editors, else the disk, inside the workspace only', () => {
    const root = path.join(base, 'ws');
    mkdirSync(path.join(root, 'templates'), { recursive: true });
    writeFileSync(path.join(root, 'templates/db.yaml'), 'on disk\n');
    writeFileSync(path.join(base, 'outside.yaml'), 'outside\n');
    const open: TextDocument[] = [];
    const logs: string[] = [];
    const files = new StackFiles(
      () => open,
      () => [root],
      (m) => logs.push(m),
    );
    const parent = pathToFileURL(path.join(root, 'main.yaml')).href;
    const child = pathToFileURL(path.join(root, 'templates/db.yaml')).href;
    const session = files.provider(parent)!;
    expect(session.readTemplate(parent, 'templates/db.yaml')).toEqual({ uri: child, text: 'on disk\n' });
    expect(session.readTemplate(parent, '../outside.yaml')).toBeUndefined();
    expect(session.readTemplate(parent, 'missing.yaml')).toBeUndefined();
    expect(files.parentsOf(path.join(root, 'templates/db.yaml'))).toEqual([parent]);
    expect(files.parentsOf(path.join(root, 'missing.yaml'))).toEqual([parent]);

    const before = session.signature();
    open.push(TextDocument.create(child, 'yaml', 3, 'in the editor\n'));
    expect(files.provider(parent)!.readTemplate(parent, './templates/db.yaml')).toEqual({
      uri: child,
      text: 'in the editor\n',
    });
    expect(session.signature()).not.toBe(before);

    files.forget(parent);
    expect(files.parentsOf(path.join(root, 'templates/db.yaml'))).toEqual([]);
    expect(files.provider('untitled:Untitled-1')).toBeUndefined();
  });
});

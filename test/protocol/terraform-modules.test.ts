// Local Terraform modules over the protocol: when a file inside a called module changes (on disk
// or in an open editor), the open files of the calling folder are checked again.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, fileUri, TestClient } from './support';

const MAIN = `module "rules" {
  source = "./modules/rules"
  cidr   = "0.0.0.0/0"
}
`;

const RULE = (port: number) => `variable "cidr" {
  type = string
}

resource "aws_security_group_rule" "admin" {
  type              = "ingress"
  from_port         = ${port}
  to_port           = ${port}
  protocol          = "tcp"
  cidr_blocks       = [var.cidr]
  security_group_id = "sg-0123456789abcdef0"
}
`;

describe('Terraform local modules over the protocol', () => {
  let client: TestClient;
  let dir: string;

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(path.join(os.tmpdir(), 'iac-netsec-tfmod-'));
    mkdirSync(path.join(dir, 'modules/rules'), { recursive: true });
    writeFileSync(path.join(dir, 'main.tf'), MAIN);
    writeFileSync(path.join(dir, 'modules/rules/main.tf'), RULE(443));
    client = await TestClient.start({
      initializationOptions: { diagnosticsDelayMs: 0 },
      workspaceFolders: [dir],
    });
  });
  afterAll(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('re-checks the caller when a module file changes on disk, then in an open editor', async () => {
    const uri = fileUri(path.join(dir, 'main.tf'));
    await client.open(uri, MAIN, 'terraform');
    expect(await client.forVersion(uri, 1)).toEqual([]);

    // On disk: the module now opens SSH to what the caller passes.
    let mark = client.published.length;
    writeFileSync(path.join(dir, 'modules/rules/main.tf'), RULE(22));
    const moduleUri = fileUri(path.join(dir, 'modules/rules/main.tf'));
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: moduleUri, type: 2 }] });
    const again = await client.diagnostics(uri, (p) => client.published.indexOf(p) >= mark);
    expect(again.diagnostics.map((d) => [d.code, d.range, d.message.slice(0, 40)])).toEqual([
      [
        'ssh-open-to-internet',
        { start: { line: 2, character: 11 }, end: { line: 2, character: 22 } },
        'In module rules: SSH (TCP port 22) can b',
      ],
    ]);

    // In an editor: the module file is opened and its port changed back, unsaved.
    await client.open(moduleUri, RULE(22), 'terraform');
    mark = client.published.length;
    await client.change(moduleUri, 2, [{ text: RULE(443) }]);
    const edited = await client.diagnostics(
      uri,
      (p) => client.published.indexOf(p) >= mark && p.diagnostics.length === 0,
    );
    expect(edited.diagnostics).toEqual([]);
  });
});

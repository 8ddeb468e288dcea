// Terraform over the protocol: a .tf document gets squiggles on the exact element, and it is
// analysed with the other files of its folder, read from disk; a change on disk re-checks it.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, fileUri, TestClient } from './support';

const MAIN = `resource "aws_security_group" "admin" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.admin_cidr, "0.0.0.0/0"]
  }
}
`;

describe('Terraform module over the protocol', () => {
  let client: TestClient;
  let dir: string;

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(path.join(os.tmpdir(), 'iac-netsec-tf-'));
    writeFileSync(path.join(dir, 'main.tf'), MAIN);
    writeFileSync(path.join(dir, 'variables.tf'), 'variable "admin_cidr" {\n  type = string\n}\n');
    writeFileSync(path.join(dir, 'terraform.tfvars'), 'admin_cidr = "10.0.0.0/8"\n');
    client = await TestClient.start({
      initializationOptions: { diagnosticsDelayMs: 0 },
      workspaceFolders: [dir],
    });
  });
  afterAll(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports on the exact CIDR and re-checks when a sibling changes on disk', async () => {
    const uri = fileUri(path.join(dir, 'main.tf'));
    await client.open(uri, MAIN, 'terraform');
    const first = await client.forVersion(uri, 1);
    expect(first.map((d) => [d.code, d.range])).toEqual([
      ['ssh-open-to-internet', { start: { line: 5, character: 35 }, end: { line: 5, character: 46 } }],
    ]);

    const mark = client.published.length;
    writeFileSync(path.join(dir, 'terraform.tfvars'), 'admin_cidr = "0.0.0.0/0"\n');
    await client.notify('workspace/didChangeWatchedFiles', {
      changes: [{ uri: fileUri(path.join(dir, 'terraform.tfvars')), type: 2 }],
    });
    const again = await client.diagnostics(uri, (p) => client.published.indexOf(p) >= mark);
    const fromTfvars = again.diagnostics.find(
      (d) => d.range.start.character === 19 && d.code === 'ssh-open-to-internet',
    );
    expect(fromTfvars?.message).toContain('the value of admin_cidr in terraform.tfvars');
    expect(fromTfvars?.relatedInformation?.[0]?.location).toEqual({
      uri: fileUri(path.join(dir, 'terraform.tfvars')),
      range: { start: { line: 0, character: 13 }, end: { line: 0, character: 24 } },
    });
  });
});

// The HCL parser (wasm, ~34 MB once loaded) is loaded by the server with the first document
// that may need it: a CloudFormation-only session never loads it, and a Terraform document
// (or request) that comes first waits for it instead of being analysed without it.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, fileUri, TestClient } from '../protocol/support';

const LOADED = /^iac-netsec: Terraform parser loaded in \d+ ms$/;

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Admin:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: admin
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0
`;

const MAIN_TF = `resource "aws_security_group" "admin" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.admin_cidr]
  }
}
`;

const VARIABLES_TF = `variable "admin_cidr" {
  default = "0.0.0.0/0"
}
`;

const MAIN_TF_JSON = `{
  "resource": {
    "aws_security_group": {
      "admin": {
        "ingress": [
          { "from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["\${var.admin_cidr}"] }
        ]
      }
    }
  }
}
`;

describe('the Terraform parser is loaded on demand', () => {
  let dir: string;
  let client: TestClient | undefined;

  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(path.join(os.tmpdir(), 'iac-netsec-hcl-'));
    writeFileSync(path.join(dir, 'variables.tf'), VARIABLES_TF);
  });
  afterEach(async () => {
    await client?.stop();
    client = undefined;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const loads = (c: TestClient) => c.logs.filter((l) => l.startsWith('iac-netsec: Terraform parser'));

  it('is not loaded for CloudFormation, then once for the first .tf document', async () => {
    client = await TestClient.start({ initializationOptions: { diagnosticsDelayMs: 0 } });
    const template = fileUri(path.join(dir, 'template.yaml'));
    await client.open(template, TEMPLATE, 'yaml');
    expect((await client.forVersion(template, 1)).map((d) => [d.code, d.range.start])).toEqual([
      ['ssh-open-to-internet', { line: 10, character: 18 }],
    ]);
    const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', {
      textDocument: { uri: template },
      position: { line: 10, character: 20 },
    });
    expect(hover?.contents.value).toContain('**ssh-open-to-internet** (error)');
    expect(loads(client)).toEqual([]);

    const main = fileUri(path.join(dir, 'main.tf'));
    await client.open(main, MAIN_TF, 'terraform');
    expect((await client.forVersion(main, 1)).map((d) => [d.code, d.range])).toEqual([
      ['ssh-open-to-internet', { start: { line: 5, character: 19 }, end: { line: 5, character: 33 } }],
    ]);
    const other = fileUri(path.join(dir, 'other', 'main.tf'));
    await client.open(other, MAIN_TF.replace('var.admin_cidr', '"0.0.0.0/0"'), 'terraform');
    expect((await client.forVersion(other, 1)).map((d) => d.code)).toEqual(['ssh-open-to-internet']);
    expect(loads(client)).toHaveLength(1);
    expect(loads(client)[0]).toMatch(LOADED);
  });

  it('makes a request on a .tf document that comes first wait for the parser', async () => {
    client = await TestClient.start({ initializationOptions: { diagnosticsDelayMs: 0 } });
    const main = fileUri(path.join(dir, 'main.tf'));
    await client.open(main, MAIN_TF, 'terraform');
    // Sent before any diagnostics: the analysis it makes is the one the diagnostics reuse.
    const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', {
      textDocument: { uri: main },
      position: { line: 5, character: 22 },
    });
    expect(hover?.contents.value).toContain('**ssh-open-to-internet** (error)');
    expect((await client.forVersion(main, 1)).map((d) => [d.code, d.range])).toEqual([
      ['ssh-open-to-internet', { start: { line: 5, character: 19 }, end: { line: 5, character: 33 } }],
    ]);
    expect(loads(client)).toHaveLength(1);
  });

  it('loads it for a .tf.json document, whose module may have .tf files', async () => {
    client = await TestClient.start({ initializationOptions: { diagnosticsDelayMs: 0 } });
    const main = fileUri(path.join(dir, 'main.tf.json'));
    await client.open(main, MAIN_TF_JSON, 'json');
    // The CIDR is the default of a variable written in variables.tf (HCL) beside it.
    const diagnostics = await client.forVersion(main, 1);
    expect(diagnostics.map((d) => [d.code, d.range.start])).toEqual([
      ['ssh-open-to-internet', { line: 5, character: 79 }],
    ]);
    expect(diagnostics[0]?.relatedInformation?.[0]?.location.uri).toBe(
      fileUri(path.join(dir, 'variables.tf')),
    );
    expect(loads(client)).toHaveLength(1);
  });
});

// Nested stacks over the protocol: an open parent template is checked with the child templates it
// names (read from disk, or from an open editor), the squiggle is on the parent's value with
// related information into the child, and a change to the child re-checks the open parent.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, fileUri, TestClient } from './support';

const PARENT = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Network:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./network.yaml
      Parameters:
        AdminCidr: 0.0.0.0/0
`;

const child = (port: number): string => `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  AdminCidr:
    Type: String
    Default: 10.0.0.0/8
Resources:
  AdminSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: admin
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: ${port}
          ToPort: ${port}
          CidrIp: !Ref AdminCidr
`;

describe('nested stacks over the protocol', () => {
  let client: TestClient;
  let dir: string;

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(path.join(os.tmpdir(), 'iac-netsec-stack-'));
    writeFileSync(path.join(dir, 'main.yaml'), PARENT);
    writeFileSync(path.join(dir, 'network.yaml'), child(22));
    client = await TestClient.start({
      initializationOptions: { diagnosticsDelayMs: 0 },
      workspaceFolders: [dir],
    });
  }, 120_000);
  afterAll(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports on the parent value and re-checks the parent when the child changes on disk or in an editor', async () => {
    const uri = fileUri(path.join(dir, 'main.yaml'));
    const childUri = fileUri(path.join(dir, 'network.yaml'));
    await client.open(uri, PARENT, 'yaml');
    const first = await client.forVersion(uri, 1);
    expect(first.map((d) => [d.code, d.range, d.relatedInformation])).toEqual([
      [
        'ssh-open-to-internet',
        { start: { line: 7, character: 19 }, end: { line: 7, character: 28 } },
        [
          {
            location: {
              uri: childUri,
              range: { start: { line: 14, character: 18 }, end: { line: 14, character: 32 } },
            },
            message: 'Where stack Network uses it',
          },
        ],
      ],
    ]);

    // The child changes on disk: the watcher's notification re-checks the open parent.
    let mark = client.published.length;
    writeFileSync(path.join(dir, 'network.yaml'), child(3389));
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: childUri, type: 2 }] });
    const fromDisk = await client.diagnostics(
      uri,
      (p) =>
        client.published.indexOf(p) >= mark && p.diagnostics.some((d) => d.code === 'rdp-open-to-internet'),
    );
    expect(fromDisk.diagnostics.map((d) => [d.code, d.range.start])).toEqual([
      ['rdp-open-to-internet', { line: 7, character: 19 }],
    ]);

    // The child opened and edited in an editor (not saved): its text wins, and the parent follows.
    mark = client.published.length;
    await client.open(childUri, child(3389), 'yaml');
    await client.change(childUri, 2, [{ text: child(5432) }]);
    const fromEditor = await client.diagnostics(
      uri,
      (p) =>
        client.published.indexOf(p) >= mark &&
        p.diagnostics.some((d) => d.code === 'sensitive-port-open-to-internet'),
    );
    expect(fromEditor.diagnostics.map((d) => [d.code, d.range.start])).toEqual([
      ['sensitive-port-open-to-internet', { line: 7, character: 19 }],
    ]);

    // Closed without saving: the parent reads the child from disk again (RDP).
    mark = client.published.length;
    await client.close(childUri);
    const closed = await client.diagnostics(
      uri,
      (p) =>
        client.published.indexOf(p) >= mark && p.diagnostics.some((d) => d.code === 'rdp-open-to-internet'),
    );
    expect(closed.diagnostics.map((d) => d.code)).toEqual(['rdp-open-to-internet']);
  });
});

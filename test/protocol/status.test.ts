// The language status item's data (issue 15, item 7): findings and the config file in force, and
// the startup line in the log.

import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, fileUri, TestClient } from './support';

const TEMPLATE = `Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: x
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0
`;

beforeAll(() => ensureBuilt(), 120_000);

describe('iacNetsec/status', () => {
  let client: TestClient;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'iac-netsec-status-'));
    writeFileSync(
      path.join(dir, '.iac-netsec.yaml'),
      'rules:\n  ssh-open-to-internet: warning\n  nope: off\n',
    );
    client = await TestClient.start({
      initializationOptions: { diagnosticsDelayMs: 0 },
      workspaceFolders: [dir],
    });
  });
  afterAll(() => client.stop());

  it('logs its start', () => {
    expect(client.logs.some((l) => /^iac-netsec \S+ starting \(Node v\d+/.test(l))).toBe(true);
  });

  it('a template: its findings and the config file in force, with its problems', async () => {
    const uri = fileUri(path.join(dir, 't.yaml'));
    await client.open(uri, TEMPLATE);
    await client.forVersion(uri, 1);
    expect(await client.request('iacNetsec/status', { uri })).toEqual({
      checked: true,
      findings: 1,
      configFile: path.join(dir, '.iac-netsec.yaml'),
      configProblems: 1,
    });
    expect(client.logs).toContain(
      `iac-netsec: configuration in force: ${path.join(dir, '.iac-netsec.yaml')}`,
    );
  });

  it('a YAML file that is not a template is not checked', async () => {
    const uri = fileUri(path.join(dir, 'compose.yaml'));
    await client.open(uri, 'services:\n  web:\n    image: nginx\n');
    expect(await client.request('iacNetsec/status', { uri })).toMatchObject({ checked: false, findings: 0 });
  });
});

// The server over --node-ipc (what the VS Code client uses), and the settings paths of clients
// without workspace/configuration (pushed settings, initializationOptions).

import { fork } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import type { InitializeResult, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { ensureBuilt, SERVER, TestClient } from './support';

const TEMPLATE = `Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: x
      SecurityGroupIngress:
        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0 }
`;

beforeAll(() => ensureBuilt(), 120_000);

describe('--node-ipc', () => {
  it('answers over an IPC channel', async () => {
    const child = fork(SERVER, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    const published = new Promise<PublishDiagnosticsParams>((resolve) =>
      connection.onNotification('textDocument/publishDiagnostics', resolve),
    );
    connection.onRequest('client/registerCapability', () => null);
    connection.listen();
    const init = (await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {},
      initializationOptions: { clientCommands: ['iacNetsec.showRuleDocs'] },
    })) as InitializeResult;
    // A client that shows rule docs itself: the server must not claim the command.
    expect(init.capabilities.executeCommandProvider).toBeUndefined();
    await connection.sendNotification('initialized', {});
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: 'untitled:ipc.yaml', languageId: 'yaml', version: 1, text: TEMPLATE },
    });
    const params = await published;
    expect(params.diagnostics.map((d) => d.code)).toContain('ssh-open-to-internet');
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    await new Promise((resolve) => child.once('exit', resolve));
    connection.dispose();
    expect(child.exitCode).toBe(0);
  });
});

describe('clients without workspace/configuration', () => {
  let client: TestClient;
  beforeAll(async () => {
    client = await TestClient.start({
      initializationOptions: {
        iacNetsec: { diagnosticsDelayMs: 0, rules: { 'ssh-open-to-internet': 'info' } },
      },
    });
  });
  afterAll(() => client.stop());

  it('reads settings from initializationOptions (nested under iacNetsec) and from pushed settings', async () => {
    const uri = 'untitled:pushed.yaml';
    expect(client.initializeResult.capabilities.executeCommandProvider?.commands).toEqual([
      'iacNetsec.showRuleDocs',
    ]);
    await client.open(uri, TEMPLATE);
    const first = await client.forVersion(uri, 1);
    expect(first.filter((d) => d.code === 'ssh-open-to-internet').map((d) => d.severity)).toEqual([3]);
    const mark = client.published.length;
    await client.notify('workspace/didChangeConfiguration', {
      settings: { iacNetsec: { rules: { 'ssh-open-to-internet': 'off' } } },
    });
    const off = await client.diagnostics(uri, (p) => client.published.indexOf(p) >= mark);
    expect(off.diagnostics.filter((d) => d.code === 'ssh-open-to-internet')).toEqual([]);
  });

  it('executes the show-docs command for editors that send it to the server', async () => {
    const result = await client.request<{ ruleId: string; markdown: string } | null>(
      'workspace/executeCommand',
      {
        command: 'iacNetsec.showRuleDocs',
        arguments: ['ssh-open-to-internet'],
      },
    );
    expect(result?.markdown).toMatch(/^# ssh-open-to-internet/);
  });
});

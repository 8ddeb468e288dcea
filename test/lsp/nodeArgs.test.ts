// The VS Code client starts the server with the Node flags in client/src/serverNodeArgs.json
// (and the benchmark with the same list). A flag Node refused would leave the editor without a
// server: start it as the client does (fork over IPC with those flags) and get diagnostics.

import { fork } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import SERVER_NODE_ARGS from '../../client/src/serverNodeArgs.json';
import { ensureBuilt, SERVER } from '../protocol/support';

const TEMPLATE = `Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: x
      SecurityGroupIngress:
        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0 }
`;

beforeAll(() => ensureBuilt(), 120_000);

describe("the server's Node flags", () => {
  it('are V8 heap sizes (an empty list runs the server with Node defaults)', () => {
    for (const flag of SERVER_NODE_ARGS) expect(flag).toMatch(/^--max-(semi|old)-space-size=\d+$/);
  });

  it('start a server that answers over IPC, as the VS Code client starts it', async () => {
    const child = fork(SERVER, ['--node-ipc'], {
      execArgv: [...SERVER_NODE_ARGS],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    const published = new Promise<PublishDiagnosticsParams>((resolve) =>
      connection.onNotification('textDocument/publishDiagnostics', resolve),
    );
    connection.listen();
    await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    await connection.sendNotification('initialized', {});
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: 'untitled:flags.yaml', languageId: 'yaml', version: 1, text: TEMPLATE },
    });
    expect((await published).diagnostics.map((d) => d.code)).toEqual(['ssh-open-to-internet']);
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    await new Promise((resolve) => child.once('exit', resolve));
    connection.dispose();
    expect(child.exitCode).toBe(0);
    expect(stderr).toBe('');
  });
});

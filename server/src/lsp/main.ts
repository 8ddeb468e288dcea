// dist/server.js: the language server over --stdio or --node-ipc (createConnection reads the
// transport from the command line), e.g. `node dist/server.js --stdio` for any LSP editor.

import {
  createConnection,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
  type Connection,
} from 'vscode-languageserver/node';
import { version } from '../../../package.json';
import { startServer } from './server';

const USAGE = `Usage: iac-netsec-server --stdio | --node-ipc | --socket=<port> | --pipe=<name>

The iac-netsec language server (LSP). Editors start it; see docs/editors.md.
`;

/**
 * Waiting this long in the middle of a message means its Content-Length was wrong. Declared
 * before the server starts below, which reads it synchronously (the bundle's `var` would still
 * be undefined there, and a timer of undefined ms fires at once).
 */
const PARTIAL_MESSAGE_MS = 10_000;

const argv = process.argv.slice(2);
if (argv.includes('--version') || argv.includes('-v')) {
  process.stdout.write(`${version}\n`);
} else if (
  argv.includes('--help') ||
  argv.includes('-h') ||
  !argv.some((a) => a === '--stdio' || a === '--node-ipc' || /^--(socket|pipe)=/.test(a))
) {
  // Without a transport createConnection has nothing to talk over; say how to start it.
  (argv.includes('--help') || argv.includes('-h') ? process.stdout : process.stderr).write(USAGE);
  if (!argv.includes('--help') && !argv.includes('-h')) process.exitCode = 2;
} else {
  // The HCL parser's wasm files are next to this bundle; the server loads them with the first
  // Terraform document (a CloudFormation-only session never reserves their ~34 MB).
  startServer(argv.includes('--stdio') ? stdioConnection() : createConnection(ProposedFeatures.all), {
    wasmDir: __dirname,
  });
}

/**
 * Over stdio, a malformed frame (no or a non-numeric Content-Length, or a length larger than
 * what follows) would leave the reader out of step for good: the server would stay alive but
 * deaf, and the editor would never restart it. Exit with an error instead; the client restarts
 * the server. A well-framed message whose body is not JSON is only logged (still in step).
 */
function stdioConnection(): Connection {
  const reader = new StreamMessageReader(process.stdin);
  reader.partialMessageTimeout = PARTIAL_MESSAGE_MS;
  const fail = (why: string): never => {
    process.stderr.write(`iac-netsec: ${why}; exiting so that the client restarts the server.\n`);
    process.exit(1);
  };
  reader.onError((error) => {
    const first = error.message.split('\n')[0] ?? '';
    if (/^(Header must provide a Content-Length|Content-Length value must be a number)/.test(first))
      fail(`malformed LSP message header (${first})`);
  });
  reader.onPartialMessage((info) =>
    fail(`an LSP message stayed incomplete for ${info.waitingTime} ms (wrong Content-Length)`),
  );
  return createConnection(ProposedFeatures.all, reader, new StreamMessageWriter(process.stdout));
}

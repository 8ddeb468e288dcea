// dist/server.js: the language server over --stdio or --node-ipc (createConnection reads the
// transport from the command line), e.g. `node dist/server.js --stdio` for any LSP editor.

import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { version } from '../../../package.json';
import { initHcl } from '../parse/hcl';
import { startServer } from './server';

const USAGE = `Usage: iac-netsec-server --stdio | --node-ipc | --socket=<port> | --pipe=<name>

The iac-netsec language server (LSP). Editors start it; see docs/editors.md.
`;

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
  // The HCL parser (wasm, next to this bundle) loads before the first document is read.
  void initHcl(__dirname).then(() => startServer(createConnection(ProposedFeatures.all)));
}

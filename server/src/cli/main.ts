// dist/cli.js: the `iac-netsec` command. Kept lean: the engine is loaded only by the commands
// that need it, so --help and --version answer at once.

import { version } from '../../../package.json';
import { parseArgs, USAGE, UsageError } from './args';
import type { Io } from './run';

function io(): Io {
  return {
    cwd: process.cwd(),
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stdoutIsTty: process.stdout.isTTY === true,
    stderrIsTty: process.stderr.isTTY === true,
    version,
    distDir: __dirname,
  };
}

/** Thrown for command-line mistakes: the message is followed by a pointer to --help. */
class ArgsError extends UsageError {}

export async function main(argv: readonly string[]): Promise<number> {
  let args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    throw error instanceof UsageError ? new ArgsError(error.message) : error;
  }
  switch (args.command) {
    case 'help':
      process.stdout.write(USAGE);
      return 0;
    case 'version':
      process.stdout.write(`${version}\n`);
      return 0;
    case 'rules': {
      const { runRules } = await import('./rules');
      return runRules(args, io());
    }
    case 'graph': {
      const { runGraph } = await import('./graph');
      return runGraph(args, io());
    }
    case 'fix': {
      const { runFix } = await import('./run');
      return runFix(args, io());
    }
    default: {
      const { runCheck } = await import('./run');
      return runCheck(args, io());
    }
  }
}

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`iac-netsec: ${error.message}\n`);
      if (error instanceof ArgsError) process.stderr.write('Run iac-netsec --help for usage.\n');
    } else {
      process.stderr.write(
        `iac-netsec: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
    process.exitCode = 2;
  },
);

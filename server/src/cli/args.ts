// Command-line arguments, parsed by hand (no dependency, fast start).

export type Command = 'check' | 'fix' | 'rules' | 'graph' | 'help' | 'version';
export type OutputFormat = 'text' | 'json' | 'sarif' | 'markdown' | 'mermaid' | 'dot';
export type FailOn = 'error' | 'warning' | 'info' | 'none';

export interface Args {
  command: Command;
  paths: string[];
  format: OutputFormat;
  failOn: FailOn;
  config?: string;
  dryRun: boolean;
  /** check / fix: report our suppressions that suppress nothing. */
  reportUnusedSuppressions?: boolean;
  /** Worker threads: undefined = automatic; 0 or 1 = none. */
  jobs?: number;
}

export class UsageError extends Error {}

export const USAGE = `Usage: iac-netsec <command> [options] [paths...]

Finds insecure network patterns in CloudFormation (YAML/JSON), Terraform JSON,
Terraform plan JSON and IAM policies. Offline.

Commands:
  check [paths...]        Check files and directories (default: .). Directories are
                          walked for .yaml, .yml, .json and .template files; what
                          .gitignore or the config's \`exclude\` lists is skipped
  fix [paths...]          Apply the safe fixes in place, then report what is left
  rules [rule-id]         List the rules, or print one rule's documentation
  graph [paths...]        Print the network map of each template: resources, links
                          and the paths from the internet to exposed ports

Options:
  -f, --format <format>   text (default), json, sarif or markdown (rules: text or
                          json; graph: json (default), mermaid or dot)
      --fail-on <level>   Exit 1 when a finding is at or above this severity:
                          error (default), warning, info or none
  -c, --config <file>     Use this config file for every path instead of the
                          nearest .iac-netsec.yaml
      --dry-run           fix: report what would change without writing files
      --report-unused-suppressions
                          Report suppressions that suppress nothing (wrong line,
                          wrong rule, finding gone) as warnings
  -j, --jobs <n>          Threads checking large trees, this one included
                          (default: automatic; 1: no worker threads)
  -h, --help              Show this help
  -v, --version           Show the version

Exit status: 0 when nothing is at or above --fail-on, 1 when something is,
2 on a usage error, an unreadable path, an invalid config file or an internal error.
`;

const FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif', 'markdown', 'mermaid', 'dot'];
const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'info', 'none'];

export function parseArgs(argv: readonly string[]): Args {
  const args: Args = { command: 'check', paths: [], format: 'text', failOn: 'error', dryRun: false };
  let command: Command | undefined;
  let onlyPaths = false;
  let formatGiven = false;
  const value = (i: number, name: string): string => {
    const next = argv[i + 1];
    if (next === undefined || (next.startsWith('-') && next !== '-'))
      throw new UsageError(`${name} needs a value.`);
    return next;
  };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i]!;
    let inline: string | undefined;
    if (!onlyPaths && arg.startsWith('--') && arg.includes('=')) {
      inline = arg.slice(arg.indexOf('=') + 1);
      arg = arg.slice(0, arg.indexOf('='));
    }
    const take = (name: string): string => {
      if (inline !== undefined) return inline;
      const v = value(i, name);
      i++;
      return v;
    };
    if (onlyPaths || !arg.startsWith('-') || arg === '-') {
      if (
        command === undefined &&
        !onlyPaths &&
        ['check', 'fix', 'rules', 'graph', 'help', 'version'].includes(arg)
      ) {
        command = arg as Command;
      } else {
        if (command === undefined) command = 'check';
        args.paths.push(arg);
      }
      continue;
    }
    switch (arg) {
      case '--':
        onlyPaths = true;
        break;
      case '-h':
      case '--help':
        return { ...args, command: 'help' };
      case '-v':
      case '--version':
        return { ...args, command: 'version' };
      case '-f':
      case '--format': {
        const format = take('--format');
        if (!FORMATS.includes(format as OutputFormat))
          throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got "${format}").`);
        args.format = format as OutputFormat;
        formatGiven = true;
        break;
      }
      case '--fail-on': {
        const level = take('--fail-on');
        if (!FAIL_ON.includes(level as FailOn))
          throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(', ')} (got "${level}").`);
        args.failOn = level as FailOn;
        break;
      }
      case '-c':
      case '--config':
        args.config = take('--config');
        break;
      case '--dry-run':
        args.dryRun = true;
        break;
      case '--report-unused-suppressions':
        args.reportUnusedSuppressions = true;
        break;
      case '-j':
      case '--jobs': {
        const jobs = take('--jobs');
        if (!/^\d+$/.test(jobs)) throw new UsageError(`--jobs must be a number (got "${jobs}").`);
        args.jobs = Number(jobs);
        break;
      }
      default:
        throw new UsageError(`Unknown option ${arg}.`);
    }
    if (inline !== undefined && !['--format', '--fail-on', '--config', '--jobs'].includes(arg))
      throw new UsageError(`${arg} takes no value.`);
  }
  args.command = command ?? 'check';
  if (args.command === 'rules') {
    if (args.format === 'sarif') throw new UsageError('rules prints text or json.');
    if (args.paths.length > 1) throw new UsageError('rules takes at most one rule id.');
  }
  if (args.command === 'graph') {
    if (!formatGiven) args.format = 'json';
    if (!['json', 'mermaid', 'dot'].includes(args.format))
      throw new UsageError('graph prints json, mermaid or dot.');
  } else if (args.format === 'mermaid' || args.format === 'dot') {
    throw new UsageError(`--format ${args.format} only applies to graph.`);
  } else if (args.format === 'markdown' && args.command !== 'check') {
    throw new UsageError('--format markdown only applies to check.');
  }
  if (args.dryRun && args.command !== 'fix') throw new UsageError('--dry-run only applies to fix.');
  return args;
}

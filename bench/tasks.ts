// Entry point bundled by bench/run.mjs (esbuild), so the benchmark runs the TypeScript core
// without a separate compile step. Subcommands:
//   generate <outDir> <small.yaml> <medium.yaml> <large.yaml> [count]   -> prints GeneratedSet JSON
//   service <plan.json>                       -> prints one ServiceResult JSON line per EditPlan

import { readFileSync } from 'node:fs';
import { initHcl } from '../server/src/parse/hcl';
import { generate } from './generate';
import { measureService, type EditPlan } from './service';

async function main(argv: string[]): Promise<void> {
  // The wasm files: copied into dist/ by the build the benchmark runs first.
  await initHcl(`${process.cwd()}/dist`);
  const [command, ...args] = argv;
  switch (command) {
    case 'generate': {
      const [outDir, small, medium, large, count] = args;
      if (!outDir || !small || !medium || !large)
        throw new Error('usage: generate <outDir> <small> <medium> <large>');
      const sources = {
        small: readFileSync(small, 'utf8'),
        medium: readFileSync(medium, 'utf8'),
        large: readFileSync(large, 'utf8'),
      };
      process.stdout.write(JSON.stringify(generate(sources, outDir, count ? Number(count) : 1000)) + '\n');
      break;
    }
    case 'service': {
      const plans = JSON.parse(readFileSync(args[0]!, 'utf8')) as EditPlan[];
      for (const plan of plans) process.stdout.write(JSON.stringify(measureService(plan)) + '\n');
      break;
    }
    default:
      throw new Error(`unknown command ${String(command)}`);
  }
}

void main(process.argv.slice(2));

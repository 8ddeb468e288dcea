// The module VS Code loads as `extensionTestsPath`: runs every *.test.js next to it with
// Mocha and resolves when all pass (VS Code turns a rejection into exit code 1).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha/lib/mocha.cjs';
import { say } from './util';

export function run(): Promise<void> {
  // Test output is marked so the driver can tell it from the workbench's own logging.
  (Mocha.reporters.Base as unknown as { consoleLog: typeof say }).consoleLog = say;
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: Number(process.env.IAC_NETSEC_E2E_TEST_TIMEOUT ?? 60000),
    reporter: 'spec',
  });
  const grep = process.env.IAC_NETSEC_E2E_GREP;
  if (grep) mocha.grep(grep);
  // Alphabetical order; activation.test runs first (it waits for the first diagnostics).
  for (const file of readdirSync(__dirname).sort()) {
    if (file.endsWith('.test.js')) mocha.addFile(path.join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => {
        if (failures > 0) reject(new Error(`${failures} editor test(s) failed`));
        else resolve();
      });
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

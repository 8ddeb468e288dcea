// Renders docs/images/quick-fix.png, the README's picture: the packaged .vsix installed into
// a fresh code-server, e2e/fixtures/ssh.yaml opened, the squiggle under the open CIDR and the
// quick-fix menu (the lightbulb) showing the rule's fixes. Needs the editor test setup
// (scripts/e2e/setup.sh, run on first use). Re-run when the editor experience changes:
//
//   node scripts/screenshot-quick-fix.mjs [--no-package]
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  codeServerCli,
  deadline,
  fillWorkspace,
  freshRunDir,
  launchBrowser,
  log,
  root,
  setup,
  startCodeServer,
  workbenchUrl,
} from '../e2e/lib/code-server.mjs';
import { packageVsix, vsixPath } from './e2e/package-vsix.mjs';

const FILE = 'ssh.yaml';
const OUT = path.join(root, 'docs', 'images', 'quick-fix.png');

setup();
const vsix = process.argv.includes('--no-package') ? vsixPath() : packageVsix();
const dirs = freshRunDir('screenshot');
fillWorkspace(dirs.workspace);
const installed = codeServerCli(dirs, ['--install-extension', vsix, '--force']);
if (installed.status !== 0) {
  console.error(installed.stdout, installed.stderr);
  process.exit(1);
}

let server;
let browser;
let page;
let code = 1;
const limit = deadline(180000, 'screenshot');
const shoot = async () => {
  server = await startCodeServer(dirs);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1100, height: 620 } });
  await page.goto(workbenchUrl(server, dirs.workspace));
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  const row = page.locator('.explorer-folders-view .monaco-list-row', {
    has: page.locator('.label-name', { hasText: /^ssh\.yaml$/ }),
  });
  await row.waitFor({ timeout: 60000 });
  await row.click();
  await page.locator(`.tabs-container .tab[aria-label*="${FILE}"]`).first().waitFor({ timeout: 30000 });
  await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 60000 });
  // Put the cursor on the flagged CIDR and open the quick-fix menu.
  const flagged = page.locator('.monaco-editor .view-lines span', { hasText: /^0\.0\.0\.0\/0$/ }).first();
  await flagged.click();
  // The lightbulb next to the line opens the quick-fix menu.
  const bulb = page.locator('.monaco-editor .lightBulbWidget').first();
  await bulb.waitFor({ state: 'visible', timeout: 30000 });
  await bulb.click();
  const menu = page.locator('.action-widget');
  await menu.first().waitFor({ state: 'visible', timeout: 30000 });
  await page.waitForTimeout(500);
  mkdirSync(path.dirname(OUT), { recursive: true });
  await page.screenshot({ path: OUT });
  log(`wrote ${path.relative(root, OUT)}`);
};

try {
  await Promise.race([shoot(), limit.promise]);
  code = 0;
} catch (error) {
  console.error(`[screenshot] failed: ${error instanceof Error ? error.message : String(error)}`);
  const failure = path.join(dirs.dir, 'failure.png');
  await page?.screenshot({ path: failure }).catch(() => undefined);
  console.error(`[screenshot] the page at the failure: ${failure}`);
} finally {
  limit.clear();
  await browser?.close().catch(() => undefined);
  await server?.stop();
}
process.exit(code);

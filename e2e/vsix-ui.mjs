// UI check of the packaged extension: installs iac-netsec-<version>.vsix into a fresh
// code-server, opens a template from the explorer like a person would, and waits for the
// squiggle, the Problems panel rows, the hover, the quick-fix menu and the language status
// item. Saves screenshots to .e2e-cache/screenshots/ (vsix-problems.png, vsix-hover.png,
// vsix-quick-fix.png, vsix-language-status.png).
//
//   node e2e/vsix-ui.mjs              package first (npm run package:vsix), then check
//   node e2e/vsix-ui.mjs --no-package use the existing .vsix
//   node e2e/vsix-ui.mjs --docs       also refresh the pictures in docs/images/ (quick-fix.png,
//                                     the README's first picture, hover.png, language-status.png)
//
// The selectors are VS Code internals (.monaco-editor .squiggly-error, .markers-panel ...):
// they hold for the pinned code-server 4.139.1 (see scripts/e2e/setup.sh).
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  codeServerCli,
  deadline,
  launchBrowser,
  log,
  prepareVsixRun,
  root,
  startCodeServer,
  workbenchUrl,
} from './lib/code-server.mjs';

const FILE = 'ssh.yaml';
const RULE = 'ssh-open-to-internet';
const timeoutMs = Number(process.env.IAC_NETSEC_E2E_TIMEOUT ?? 180000);
const started = Date.now();

const { dirs, shots } = prepareVsixRun('vsix-ui');
const list = codeServerCli(dirs, ['--list-extensions', '--show-versions']);
log(`installed into a fresh extensions dir: ${list.stdout.trim()}`);

let server;
let browser;
let page;
let code = 1;
const limit = deadline(timeoutMs, 'vsix UI check');
const check = async () => {
  server = await startCodeServer(dirs);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(workbenchUrl(server, dirs.workspace));
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });

  // Open the template from the explorer.
  const row = page.locator('.explorer-folders-view .monaco-list-row', {
    has: page.locator('.label-name', { hasText: new RegExp(`^${FILE.replace('.', '\\.')}$`) }),
  });
  await row.waitFor({ timeout: 60000 });
  await row.click();
  await page.locator(`.tabs-container .tab[aria-label*="${FILE}"]`).first().waitFor({ timeout: 30000 });
  log(`opened ${FILE} from the explorer`);

  // The squiggle under the open CIDR.
  const squiggle = page.locator('.monaco-editor .squiggly-error').first();
  await squiggle.waitFor({ timeout: 60000 });
  log(`squiggle visible after ${((Date.now() - started) / 1000).toFixed(1)} s`);

  // The Problems panel (Ctrl+Shift+M) lists the finding with its rule id.
  await page.keyboard.press('Control+Shift+M');
  const problem = page.locator('.markers-panel .monaco-list-row', {
    hasText: 'SSH (TCP port 22) is open to the internet',
  });
  await problem.first().waitFor({ timeout: 30000 });
  const rows = await page.locator('.markers-panel .monaco-list-row').allInnerTexts();
  log(`Problems panel rows:\n  ${rows.map((r) => r.replace(/\s+/g, ' ').trim()).join('\n  ')}`);
  if (!rows.some((r) => r.includes(RULE))) throw new Error(`no Problems row names ${RULE}`);

  // Clicking the row reveals the finding in the editor, cursor on it.
  await problem.first().click();
  await squiggle.waitFor({ state: 'visible', timeout: 30000 });
  const panelShot = path.join(shots, 'vsix-problems.png');
  await page.screenshot({ path: panelShot });

  // Hovering the flagged text shows the finding, why it matters and how to fix it.
  const flagged = page.locator('.monaco-editor .view-lines span', { hasText: /^0\.0\.0\.0\/0$/ }).first();
  const box = await flagged.boundingBox();
  if (!box) throw new Error('the flagged text has no box');
  await page.mouse.move(box.x + 2, box.y + box.height / 2);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
  const hover = page.locator('.monaco-hover', { hasText: 'Why:' });
  await hover.first().waitFor({ state: 'visible', timeout: 30000 });
  const hoverShot = path.join(shots, 'vsix-hover.png');
  await page.screenshot({ path: hoverShot });

  // The quick-fix menu (Ctrl+.) on the flagged text: the rule's fixes, the suppression, the docs.
  await page.keyboard.press('Escape');
  await page.mouse.move(0, 0);
  await flagged.click();
  const bulb = page.locator('.monaco-editor .lightBulbWidget').first();
  await bulb.waitFor({ state: 'visible', timeout: 30000 });
  const menu = page.locator('.action-widget', { hasText: 'Allow SSH only from' });
  // Ctrl+. (again if the first press came before the code actions were ready on a busy machine).
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+.');
    try {
      await menu.first().waitFor({ state: 'visible', timeout: 15000 });
      break;
    } catch (error) {
      if (attempt === 3) throw error;
      await page.keyboard.press('Escape');
      await flagged.click();
    }
  }
  const entries = await page.locator('.action-widget .monaco-list-row').allInnerTexts();
  log(`quick-fix menu:\n  ${entries.map((e) => e.replace(/\s+/g, ' ').trim()).join('\n  ')}`);
  for (const expected of [/Allow SSH only from/, /Suppress ssh-open-to-internet/, /Show documentation/])
    if (!entries.some((e) => expected.test(e))) throw new Error(`the quick-fix menu has no ${expected}`);
  await page.waitForTimeout(300);
  const quickFixShot = path.join(shots, 'vsix-quick-fix.png');
  await page.screenshot({ path: quickFixShot });
  await page.keyboard.press('Escape');

  // The language status item ({} next to the language mode): the findings and the config.
  const languageStatus = page.locator('[id="status.languageStatus"]');
  await languageStatus.first().waitFor({ state: 'visible', timeout: 30000 });
  await languageStatus.first().hover();
  const statusHover = page.locator('.hover-language-status', { hasText: 'IaC Network Security' });
  await statusHover.first().waitFor({ state: 'visible', timeout: 30000 });
  const statusText = (await statusHover.first().innerText()).replace(/\s+/g, ' ').trim();
  log(`language status: ${statusText}`);
  if (!/IaC Network Security: \d+ findings?/.test(statusText))
    throw new Error(`the language status item does not count the findings: ${statusText}`);
  const statusShot = path.join(shots, 'vsix-language-status.png');
  // The lower right of the window: the end of the template, the status item's hover, the status bar.
  const hoverBox = await statusHover.first().boundingBox();
  const viewport = page.viewportSize();
  if (hoverBox && viewport) {
    const x = Math.max(0, hoverBox.x - 240);
    const y = Math.max(0, hoverBox.y - 48);
    await page.screenshot({
      path: statusShot,
      clip: { x, y, width: viewport.width - x, height: viewport.height - y },
    });
  } else await page.screenshot({ path: statusShot });
  log(`screenshots:\n  ${panelShot}\n  ${hoverShot}\n  ${quickFixShot}\n  ${statusShot}`);

  if (process.argv.includes('--docs')) {
    const images = path.join(root, 'docs', 'images');
    mkdirSync(images, { recursive: true });
    for (const [from, to] of [
      [quickFixShot, 'quick-fix.png'],
      [hoverShot, 'hover.png'],
      [statusShot, 'language-status.png'],
    ]) {
      copyFileSync(from, path.join(images, to));
      log(`wrote docs/images/${to}`);
    }
  }
};

try {
  await Promise.race([check(), limit.promise]);
  code = 0;
  log(`vsix UI check passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (error) {
  console.error(`[e2e] vsix UI check failed: ${error instanceof Error ? error.message : String(error)}`);
  if (page) {
    const failShot = path.join(shots, 'vsix-failure.png');
    await page.screenshot({ path: failShot }).catch(() => undefined);
    console.error(`[e2e] screenshot of the failure: ${failShot}`);
  }
  console.error(`[e2e] logs: ${path.relative(root, dirs.dir)}/`);
} finally {
  limit.clear();
  await browser?.close().catch(() => undefined);
  await server?.stop();
}
process.exit(code);

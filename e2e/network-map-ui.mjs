// UI check of the network map in the packaged extension: installs iac-netsec-<version>.vsix
// into a fresh code-server, opens a template with an exposure path, runs "IaC Network Security:
// Show Network Map" from the command palette, waits for the map in the webview (the exposed
// path drawn, the ports on its last edge), takes a screenshot, then clicks the exposed
// instance and checks that the editor reveals its logical id. Then switches the color theme
// ("Preferences: Color Theme" in the command palette) to a dark, a light, a dark high-contrast and a
// light high-contrast theme and checks, in each theme and the default one, that the map takes the
// theme's colours (the webview's body class) and stays readable (contrast of the node names on
// their boxes and of the exposed path on the background). Saves screenshots to
// .e2e-cache/screenshots/ (network-map.png, network-map-reveal.png, network-map-wide.png,
// network-map-panel.png, the map alone, as in the README, and network-map-dark.png,
// network-map-light.png, network-map-high-contrast.png, network-map-high-contrast-light.png).
// Last, the map of a Terraform module split over two files: clicking a resource of the other
// file opens that file at its address (network-map-module-reveal.png).
//
//   node e2e/network-map-ui.mjs              package first (npm run package:vsix), then check
//   node e2e/network-map-ui.mjs --no-package use the existing .vsix
//   node e2e/network-map-ui.mjs --docs       also refresh docs/images/network-map.png
//
// The selectors are VS Code internals (webview iframes, .statusbar-item ...): they hold for the
// pinned code-server 4.139.1 (see scripts/e2e/setup.sh).
/* global document, getComputedStyle -- page functions run in the browser */
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import {
  deadline,
  launchBrowser,
  log,
  prepareVsixRun,
  root,
  startCodeServer,
  workbenchUrl,
} from './lib/code-server.mjs';

const FILE = 'test-fixtures/cfn-yaml/network-public-private.yaml';
const TARGET = 'Bastion';
/** `  Bastion:` is line 83 of the fixture. */
const TARGET_LINE = 83;
/** A Terraform module over two files: the map of compute.tf, a node defined in network.tf. */
const MODULE_FILE = 'tf-module/compute.tf';
const MODULE_TARGET = 'aws_route_table.public';
/** `resource "aws_route_table" "public"` is line 16 of e2e/fixtures/tf-module/network.tf. */
const MODULE_TARGET_LINE = 16;
const timeoutMs = Number(process.env.IAC_NETSEC_E2E_TIMEOUT ?? 300000);
const started = Date.now();

const { dirs, shots } = prepareVsixRun('network-map-ui');

/** The webview frame that holds the map (VS Code nests it: iframe.webview > iframe#active-frame). */
async function mapFrame(page, timeout, selector = '#map svg') {
  const until = Date.now() + timeout;
  while (Date.now() < until) {
    for (const frame of page.frames()) {
      try {
        if ((await frame.locator(selector).count()) > 0) return frame;
      } catch {
        // A frame that navigated away meanwhile.
      }
    }
    await page.waitForTimeout(250);
  }
  throw new Error('the network map did not appear in a webview');
}

/** The themes checked after the default one: label in the theme picker, workbench class, webview body class, file name. */
const THEMES = [
  { label: 'Dark Modern', workbench: 'vs-dark', webview: 'vscode-dark', name: 'dark' },
  { label: 'Light Modern', workbench: 'vs', webview: 'vscode-light', name: 'light' },
  {
    label: 'Dark High Contrast',
    workbench: 'hc-black',
    webview: 'vscode-high-contrast',
    name: 'high-contrast',
  },
  {
    label: 'Light High Contrast',
    workbench: 'hc-light',
    webview: 'vscode-high-contrast-light',
    name: 'high-contrast-light',
  },
];

/**
 * In the map's frame: the webview's body classes, and the contrast ratios (WCAG) of a node name
 * on its box and of the exposed path on the background, from the computed colours.
 */
function mapColours() {
  const rgb = (colour) => {
    const parts = /rgba?\(([^)]+)\)/.exec(colour)?.[1].split(',').map(Number);
    if (!parts || parts.length < 3 || parts.some(Number.isNaN)) throw new Error(`not a colour: ${colour}`);
    return parts.slice(0, 3);
  };
  const luminance = (c) => {
    const [r, g, b] = c.map((v) => {
      const x = v / 255;
      return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(rgb(a)), luminance(rgb(b))].sort((x, y) => y - x);
    return Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100;
  };
  const style = (selector) => {
    const element = document.querySelector(selector);
    if (!element) throw new Error(`no ${selector} in the map`);
    return getComputedStyle(element);
  };
  const background = style('body').backgroundColor;
  return {
    bodyClass: document.body.className,
    background,
    text: ratio(style('g.node .name').fill, style('g.node rect').fill),
    exposed: ratio(style('g.edge.exposed path').stroke, background),
  };
}

let server;
let browser;
let page;
let code = 1;
const limit = deadline(timeoutMs, 'network map UI check');
const check = async () => {
  server = await startCodeServer(dirs);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  await page.goto(workbenchUrl(server, dirs.workspace));
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60000 });

  // Open the template with Quick Open.
  await page.keyboard.press('Control+P');
  const quickInput = page.locator('.quick-input-widget input');
  await quickInput.waitFor({ timeout: 30000 });
  await quickInput.fill(FILE);
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 30000 });
  await page.keyboard.press('Enter');
  await page
    .locator('.tabs-container .tab[aria-label*="network-public-private.yaml"]')
    .first()
    .waitFor({ timeout: 30000 });
  // Analysed: the code lens on the first line offers the map and counts the exposed paths.
  const lens = page.locator('.monaco-editor .codelens-decoration', {
    hasText: 'Show network map (1 exposed path)',
  });
  await lens.first().waitFor({ timeout: 60000 });
  log(
    `opened ${FILE}; code lens "${(await lens.first().innerText()).trim()}" after ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );

  // More room for the map: hide the side bar. Then run the command from the palette.
  await page.keyboard.press('Control+B');
  await page.keyboard.press('F1');
  await quickInput.waitFor({ timeout: 30000 });
  await quickInput.fill('>IaC Network Security: Show Network Map');
  await page
    .locator('.quick-input-list .monaco-list-row', { hasText: 'Show Network Map' })
    .first()
    .waitFor({ timeout: 30000 });
  await page.keyboard.press('Enter');

  const frame = await mapFrame(page, 60000);
  const target = frame.locator(`g.node[data-id="${TARGET}"]`);
  await target.waitFor({ timeout: 30000 });
  const status = await frame.locator('#status').innerText();
  log(`map status: ${status}`);
  if (!/1 exposed path/.test(status)) throw new Error(`the map does not report the exposed path: ${status}`);
  const exposed = await frame
    .locator('g.node.exposed')
    .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-id')));
  log(`exposed nodes: ${exposed.join(' → ')}`);
  if (!exposed.includes(TARGET)) throw new Error(`${TARGET} is not drawn as exposed`);
  const labels = await frame
    .locator('g.edge.exposed text')
    .evaluateAll((texts) => texts.map((t) => t.textContent));
  if (!labels.includes('TCP 22'))
    throw new Error(`no exposed edge is labelled TCP 22 (${labels.join(', ')})`);
  const mapShot = path.join(shots, 'network-map.png');
  await page.screenshot({ path: mapShot });

  // Clicking the node reveals its logical id in the template.
  await target.click();
  const position = page.locator('.statusbar-item', { hasText: new RegExp(`Ln ${TARGET_LINE}, Col \\d+`) });
  await position.first().waitFor({ timeout: 30000 });
  log(`revealed: ${(await position.first().innerText()).trim()}`);
  const revealShot = path.join(shots, 'network-map-reveal.png');
  await page.screenshot({ path: revealShot });

  // A wider window: the map fits its view (the README's picture).
  await page.setViewportSize({ width: 2560, height: 900 });
  await page.waitForTimeout(1000);
  const wideShot = path.join(shots, 'network-map-wide.png');
  await page.screenshot({ path: wideShot });
  const webview = await page.locator('iframe.webview').first().boundingBox();
  const panelShot = path.join(shots, 'network-map-panel.png');
  if (webview) {
    const clip = { x: webview.x, y: webview.y, width: webview.width, height: Math.min(webview.height, 230) };
    await page.screenshot({ path: panelShot, clip });
  }
  const themeShots = [];
  const checkColours = async (theme) => {
    const colours = await frame.evaluate(mapColours);
    log(
      `${theme}: webview body "${colours.bodyClass}", background ${colours.background}, node text contrast ${colours.text}:1, exposed path contrast ${colours.exposed}:1`,
    );
    // WCAG: 4.5:1 for text, 3:1 for graphics such as the exposed path.
    if (colours.text < 4.5) throw new Error(`${theme}: node names are not readable (${colours.text}:1)`);
    if (colours.exposed < 3)
      throw new Error(`${theme}: the exposed path does not stand out (${colours.exposed}:1)`);
    return colours;
  };
  let previous = await checkColours('default theme');

  // Dark, light and high-contrast themes: the map follows the theme.
  const row = (name) =>
    page
      .locator('.quick-input-list .monaco-list-row')
      .filter({ has: page.locator('.label-name', { hasText: name }) })
      .first();
  for (const theme of THEMES) {
    // "Preferences: Color Theme" from the command palette, as a person switches themes.
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('F1');
    await quickInput.waitFor({ timeout: 30000 });
    await quickInput.fill('>Preferences: Color Theme');
    await row(/^Preferences: Color Theme$/).click({ timeout: 30000 });
    // The theme picker: filter by the theme's name and pick it.
    await row(/^Light Modern$/).waitFor({ timeout: 30000 });
    await quickInput.fill(theme.label);
    await row(new RegExp(`^${theme.label}$`)).click({ timeout: 30000 });
    await page.waitForFunction(
      (name) => document.querySelector('.monaco-workbench')?.classList.contains(name),
      theme.workbench,
      { timeout: 30000 },
    );
    await frame.waitForFunction((name) => document.body.classList.contains(name), theme.webview, {
      timeout: 30000,
    });
    await page.waitForTimeout(500);
    const colours = await checkColours(theme.label);
    // Each theme's background differs from the one before (dark, light, black, white).
    if (colours.background === previous.background)
      throw new Error(`${theme.label}: the map kept the previous theme's background`);
    previous = colours;
    const shot = path.join(shots, `network-map-${theme.name}.png`);
    const box = await page.locator('iframe.webview').first().boundingBox();
    // No tooltip left over from the picker: the mouse rests on an empty corner of the map.
    if (box) await page.mouse.move(box.x + box.width - 10, box.y + box.height - 10);
    await page.waitForTimeout(300);
    await page.screenshot(
      box
        ? { path: shot, clip: { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, 230) } }
        : { path: shot },
    );
    themeShots.push(shot);
  }
  // A Terraform module split over two files (e2e/fixtures/tf-module): the map of compute.tf
  // holds network.tf's resources, and clicking one opens network.tf at its address.
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+P');
  await quickInput.waitFor({ timeout: 30000 });
  await quickInput.fill(MODULE_FILE);
  // The search result, not a recently opened file listed before the search answers.
  await page
    .locator('.quick-input-list .monaco-list-row', { hasText: 'compute.tf' })
    .first()
    .click({ timeout: 30000 });
  await page.locator('.tabs-container .tab[aria-label*="compute.tf"]').first().waitFor({ timeout: 30000 });
  await page
    .locator('.monaco-editor .codelens-decoration', { hasText: 'Show network map (1 exposed path)' })
    .first()
    .waitFor({ timeout: 60000 });
  await page.keyboard.press('F1');
  await quickInput.waitFor({ timeout: 30000 });
  await quickInput.fill('>IaC Network Security: Show Network Map');
  await page
    .locator('.quick-input-list .monaco-list-row', { hasText: 'Show Network Map' })
    .first()
    .waitFor({ timeout: 30000 });
  await page.keyboard.press('Enter');
  const moduleFrame = await mapFrame(page, 60000, `g.node[data-id="${MODULE_TARGET}"]`);
  const moduleStatus = await moduleFrame.locator('#status').innerText();
  log(`module map status: ${moduleStatus}`);
  // Long Terraform addresses stay inside their boxes.
  const overflowing = await moduleFrame.evaluate(() =>
    Array.from(document.querySelectorAll('g.node'))
      .map((node) => {
        const box = node.querySelector('rect').getBBox();
        const wide = Array.from(node.querySelectorAll('text')).filter((text) => {
          const b = text.getBBox();
          return b.x + b.width > box.x + box.width - 4;
        });
        return wide.map((text) => `${node.getAttribute('data-id')}: ${text.textContent}`);
      })
      .flat(),
  );
  if (overflowing.length) throw new Error(`node text overflows its box: ${overflowing.join(', ')}`);
  await page.mouse.move(0, 0);
  await moduleFrame.locator(`g.node[data-id="${MODULE_TARGET}"]`).click();
  await page
    .locator('.tabs-container .tab.active[aria-label*="network.tf"]')
    .first()
    .waitFor({ timeout: 30000 });
  const modulePosition = page.locator('.statusbar-item', {
    hasText: new RegExp(`Ln ${MODULE_TARGET_LINE}, Col \\d+`),
  });
  await modulePosition.first().waitFor({ timeout: 30000 });
  log(`revealed ${MODULE_TARGET} in network.tf: ${(await modulePosition.first().innerText()).trim()}`);
  const moduleShot = path.join(shots, 'network-map-module-reveal.png');
  await page.screenshot({ path: moduleShot });

  log(
    `screenshots:\n  ${[mapShot, revealShot, wideShot, panelShot, ...themeShots, moduleShot].join('\n  ')}`,
  );
  if (process.argv.includes('--docs') && webview) {
    copyFileSync(panelShot, path.join(root, 'docs', 'images', 'network-map.png'));
    log('wrote docs/images/network-map.png');
  }
};

try {
  await Promise.race([check(), limit.promise]);
  code = 0;
  log(`network map UI check passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (error) {
  console.error(
    `[e2e] network map UI check failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  if (page) {
    const failShot = path.join(shots, 'network-map-failure.png');
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

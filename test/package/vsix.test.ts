// The .vsix as `npm run package:vsix` makes it, with @vscode/vsce on Node 20 and nothing
// else (no code-server, no browser): exactly the files the extension needs, the icon, every
// wasm file of dist/, and a manifest without the npm package's tooling.

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../protocol/support';

interface Packager {
  packageVsix(options: { build: boolean; out: string; quiet: boolean }): string;
  zipEntries(file: string): string[];
  zipText(file: string, name: string): string;
}

let tmp: string;
let vsix: string;
let packager: Packager;

beforeAll(async () => {
  ensureBuilt();
  // The script is plain ESM JavaScript run by npm; load it as such.
  packager = (await import(path.join(ROOT, 'scripts/e2e/package-vsix.mjs'))) as Packager;
  tmp = mkdtempSync(path.join(os.tmpdir(), 'iac-netsec-vsix-'));
  // No rebuild: package what `npm test` built (the production build is `npm run package:vsix`).
  vsix = packager.packageVsix({ build: false, out: path.join(tmp, 'test.vsix'), quiet: true });
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('npm run package:vsix', () => {
  it('holds exactly the extension: bundles, wasm, icon, docs, schemas, grammars', () => {
    const dist = readdirSync(path.join(ROOT, 'dist'));
    const wasm = dist.filter((f) => f.endsWith('.wasm')).map((f) => `extension/dist/${f}`);
    const webview = dist.includes('networkMap.js') ? ['extension/dist/networkMap.js'] : [];
    const schemas = readdirSync(path.join(ROOT, 'schemas')).map((f) => `extension/schemas/${f}`);
    const syntaxes = readdirSync(path.join(ROOT, 'syntaxes')).map((f) => `extension/syntaxes/${f}`);
    expect(wasm.length).toBeGreaterThan(0);
    expect(packager.zipEntries(vsix).sort()).toEqual(
      [
        '[Content_Types].xml',
        'extension.vsixmanifest',
        'extension/LICENSE.txt',
        'extension/changelog.md',
        'extension/readme.md',
        'extension/package.json',
        'extension/dist/client.js',
        'extension/dist/server.js',
        'extension/dist/iam-catalog.json',
        'extension/images/icon.png',
        ...webview,
        ...wasm,
        ...schemas,
        ...syntaxes,
      ].sort(),
    );
  });

  it('ships the manifest without the npm package list, scripts or dev dependencies', () => {
    const own = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    const shipped = JSON.parse(packager.zipText(vsix, 'extension/package.json')) as Record<string, unknown>;
    expect(shipped).not.toHaveProperty('files');
    expect(shipped).not.toHaveProperty('scripts');
    expect(shipped).not.toHaveProperty('devDependencies');
    for (const key of [
      'name',
      'version',
      'publisher',
      'main',
      'icon',
      'contributes',
      'activationEvents',
      'repository',
    ])
      expect(shipped[key], key).toEqual(own[key]);
  });

  it('declares the icon, repository and license in the marketplace manifest', () => {
    const manifest = packager.zipText(vsix, 'extension.vsixmanifest');
    expect(manifest).toContain(
      '<Asset Type="Microsoft.VisualStudio.Services.Icons.Default" Path="extension/images/icon.png"',
    );
    expect(manifest).toContain('https://github.com/iac-netsec/iac-netsec.git');
    expect(manifest).toContain('<License>extension/LICENSE.txt</License>');
  });

  it('keeps the README readable on the extension page (relative links made absolute)', () => {
    const readme = packager.zipText(vsix, 'extension/readme.md');
    expect(readme.startsWith('# ')).toBe(true);
    expect(readme).not.toMatch(/\]\((?!https?:|#|mailto:)[^)]+\)/);
    // The Marketplace refuses SVG images: they are links on the extension page.
    expect(readme).not.toMatch(/!\[[^\]]*\]\([^)]+\.svg\)/);
  });
});

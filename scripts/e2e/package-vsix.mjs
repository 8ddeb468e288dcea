// npm run package:vsix: a production build packaged with @vscode/vsce (a devDependency, 3.9.x,
// which runs on Node 20 and offline) into iac-netsec-<version>.vsix, then the file list is
// printed and checked against what the extension needs. No editor, browser or other Node is
// needed; e2e/vsix-ui.mjs installs the result into code-server.
//
//   node scripts/e2e/package-vsix.mjs [--no-build] [--out <file>]
//
// vsce refuses a .vscodeignore together with the "files" property of package.json (which is
// there for the npm package of the CLI). So the extension's files are staged in
// .e2e-cache/vsix-stage/ with "files" dropped from the staged manifest, and vsce runs there
// with the repository's .vscodeignore.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const stage = path.join(root, '.e2e-cache', 'vsix-stage');

/** What may be in the .vsix (paths inside it). Anything else fails the packaging. */
export const ALLOWED = [
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
  /^extension\/package\.json$/,
  /^extension\/dist\/(client|server|networkMap)\.js$/,
  /^extension\/dist\/[\w.-]+\.wasm$/,
  /^extension\/dist\/iam-catalog\.json$/,
  /^extension\/(readme|changelog)\.md$/i, // vsce lower-cases them
  /^extension\/LICENSE(\.txt|\.md)?$/,
  /^extension\/images\/icon\.png$/,
  /^extension\/schemas\/[\w./-]+\.json$/,
  /^extension\/syntaxes\/[\w./-]+\.json$/,
];

/** What must be in it: the bundles, every wasm file of dist/, the icon and the documents. */
export function requiredEntries() {
  const wasm = readdirSync(path.join(root, 'dist')).filter((f) => f.endsWith('.wasm'));
  return [
    'extension/package.json',
    'extension/dist/client.js',
    'extension/dist/server.js',
    'extension/dist/iam-catalog.json',
    ...wasm.map((f) => `extension/dist/${f}`),
    'extension/images/icon.png',
    'extension/readme.md',
    'extension/changelog.md',
    'extension/LICENSE.txt',
  ];
}

function log(...args) {
  console.log('[package-vsix]', ...args);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.status !== 0)
    throw new Error(
      `${command} ${args.join(' ')} failed (exit ${result.status}) ${result.stderr ?? ''}`.trim(),
    );
  return result;
}

export function vsixPath() {
  const { version, name } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  return path.join(root, `${name}-${version}.vsix`);
}

/** The central directory of a zip: each entry's name, compression and local header offset. */
function zipDirectory(zip, file) {
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error(`${file} is not a zip file`);
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error(`${file}: broken central directory`);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    entries.push({
      name: zip.subarray(offset + 46, offset + 46 + nameLength).toString('utf8'),
      method: zip.readUInt16LE(offset + 10),
      size: zip.readUInt32LE(offset + 20),
      header: zip.readUInt32LE(offset + 42),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Paths inside a zip (no unzip tool needed). */
export function zipEntries(file) {
  return zipDirectory(readFileSync(file), file).map((e) => e.name);
}

/** One file of a zip, as text (stored or deflated entries). */
export function zipText(file, name) {
  const zip = readFileSync(file);
  const entry = zipDirectory(zip, file).find((e) => e.name === name);
  if (!entry) throw new Error(`${file} has no ${name}`);
  const start = entry.header + 30 + zip.readUInt16LE(entry.header + 26) + zip.readUInt16LE(entry.header + 28);
  const data = zip.subarray(start, start + entry.size);
  return (entry.method === 8 ? inflateRawSync(data) : data).toString('utf8');
}

/** The files the extension is made of, copied into the stage (vsce and .vscodeignore decide the rest). */
function fillStage() {
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  const copy = (relative) => {
    const from = path.join(root, relative);
    if (!existsSync(from)) return log(`warning: ${relative} is missing; the .vsix will not have it`);
    cpSync(from, path.join(stage, relative), { recursive: true });
  };
  for (const file of [
    'README.md',
    'CHANGELOG.md',
    'LICENSE',
    '.vscodeignore',
    'images/icon.png',
    'schemas',
    'syntaxes',
  ])
    copy(file);
  for (const file of readdirSync(path.join(root, 'dist')))
    if (!file.endsWith('.map') && !file.startsWith('.')) copy(`dist/${file}`);
  // The Marketplace refuses SVG images in the extension page (vsce fails on them); on that
  // page an SVG image becomes a link to the picture, the repository's README keeps the image.
  const readme = path.join(stage, 'README.md');
  if (existsSync(readme))
    writeFileSync(
      readme,
      readFileSync(readme, 'utf8').replace(/!\[([^\]]*)\]\(([^)\s]+\.svg)\)/g, '[$1]($2)'),
    );
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  delete manifest.files;
  // Development tooling means nothing inside an installed extension.
  delete manifest.devDependencies;
  delete manifest.scripts;
  writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

export function packageVsix({ build = true, out = vsixPath(), quiet = false } = {}) {
  const started = Date.now();
  if (build) run(process.execPath, ['esbuild.mjs', '--production'], { cwd: root });
  let manifest;
  try {
    manifest = fillStage();
  } finally {
    // The stage holds the production bundle; put the development build (with source maps) back.
    if (build) run(process.execPath, ['esbuild.mjs'], { cwd: root });
  }

  const vsce = createRequire(import.meta.url).resolve('@vscode/vsce/vsce');
  rmSync(out, { force: true });
  const args = [vsce, 'package', '--no-dependencies', '--out', out];
  if (!manifest.repository) args.push('--allow-missing-repository', '--no-rewrite-relative-links');
  run(process.execPath, args, {
    cwd: stage,
    ...(quiet ? { stdio: 'pipe' } : {}),
    // No update checks, no telemetry, nothing fetched.
    env: { ...process.env, VSCE_TELEMETRY_DISABLED: '1' },
  });

  const entries = zipEntries(out);
  if (!quiet) {
    console.log(`\n${path.relative(root, out)} (${(statSync(out).size / 1024).toFixed(0)} KiB):`);
    for (const entry of entries) console.log(`  ${entry}`);
  }
  const unexpected = entries.filter((e) => !ALLOWED.some((re) => re.test(e)));
  const missing = requiredEntries().filter((r) => !entries.includes(r));
  if (unexpected.length || missing.length) {
    throw new Error(
      `the .vsix has unexpected files [${unexpected.join(', ')}] or lacks [${missing.join(', ')}]; see .vscodeignore`,
    );
  }
  if (!quiet) log(`packaged and checked in ${((Date.now() - started) / 1000).toFixed(1)} s: ${out}`);
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const i = process.argv.indexOf('--out');
    packageVsix({
      build: !process.argv.includes('--no-build'),
      ...(i > 0 && process.argv[i + 1] ? { out: path.resolve(process.argv[i + 1]) } : {}),
    });
  } catch (error) {
    console.error(`[package-vsix] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

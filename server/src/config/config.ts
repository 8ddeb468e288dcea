// The repository config file `.iac-netsec.yaml`, and the same settings coming from an editor.
// A pure function of the text: the callers (language server, CLI) find and read the file.
// Validation is strict (unknown keys, unknown rule ids, bad severities, bad CIDRs and ports are
// errors at their exact place), because a setting that is silently ignored is a lie.

import path from 'node:path';
import type { PortEntry, RuleSetting, Settings } from '../engine/settings';
import { DEFAULT_SENSITIVE_PORTS } from '../engine/settings';
import { parseCidr } from '../facts/cidr';
import { parseJson } from '../parse/json';
import type { Node, Span } from '../parse/tree';
import { parseYaml } from '../parse/yaml';
import { ALL_RULES } from '../rules';

export const CONFIG_FILE_NAME = '.iac-netsec.yaml';

export const RULE_SETTINGS: readonly RuleSetting[] = ['off', 'error', 'warning', 'info', 'hint'];

/** The keys of the config file (and of the editor's `iacNetsec.*` settings that mirror them). */
export const CONFIG_KEYS = [
  'rules',
  'trustedCidrs',
  'sensitivePorts',
  'webPorts',
  'exclude',
  'showSuppressed',
] as const;

export interface ConfigProblem extends Span {
  /** Where in the settings, e.g. `rules.ssh-open-to-internet` or `trustedCidrs[1]`. */
  path: string;
  message: string;
  /** Errors make the file invalid (the last good config stays in force); warnings do not. */
  severity: 'error' | 'warning';
}

export interface ConfigResult {
  /**
   * The valid parts. When the text parsed, they are in force even if some entries are wrong
   * (a typo is reported and ignored, the rest applies); when it did not parse, there are none.
   */
  settings: Partial<Settings>;
  problems: ConfigProblem[];
  /** False when the text is not valid YAML: nothing in it can be applied. */
  parsed?: boolean;
}

/** Whether the result's settings may be applied: the text parsed and is a mapping of settings. */
export function applicable(result: ConfigResult): boolean {
  return result.parsed !== false && !result.problems.some((p) => p.severity === 'error' && p.path === '');
}

export function hasErrors(result: ConfigResult): boolean {
  return result.problems.some((p) => p.severity === 'error');
}

/** True for a path or URI whose file name is the config file's. */
export function isConfigFile(pathOrUri: string): boolean {
  return /(^|[/\\])\.iac-netsec\.yaml$/.test(pathOrUri);
}

/** Reads `.iac-netsec.yaml` text into partial settings, with problems at exact offsets. */
export function parseConfig(text: string): ConfigResult {
  const parsed = parseYaml(text);
  const problems: ConfigProblem[] = parsed.problems.map((p) => ({
    start: p.start,
    end: p.end,
    path: '',
    message: p.message,
    severity: 'error',
  }));
  if (problems.length) return { settings: {}, problems, parsed: false };
  const root = parsed.root;
  if (!root || (root.kind === 'scalar' && root.value === null)) return { settings: {}, problems };
  return validate(root, { allowed: CONFIG_KEYS, prefix: '' });
}

/**
 * Validates settings that came as plain data (the editor's `iacNetsec` section, an LSP
 * client's initializationOptions). Keys other than the config keys are ignored (the editor
 * section holds editor-only settings too); problems have no meaningful offsets, only paths.
 */
export function settingsFromPlain(value: unknown, prefix = 'iacNetsec.'): ConfigResult {
  if (value === null || value === undefined) return { settings: {}, problems: [] };
  let text: string;
  try {
    text = JSON.stringify(value, (_key, v: unknown) => (v === undefined ? null : v));
  } catch {
    return { settings: {}, problems: [problemAt({ start: 0, end: 0 }, prefix, 'is not plain data.')] };
  }
  const parsed = parseJson(text);
  if (!parsed.root) return { settings: {}, problems: [] };
  return validate(parsed.root, { allowed: undefined, prefix });
}

interface ValidateOptions {
  /** Allowed top-level keys; undefined: ignore keys that are not config keys. */
  allowed: readonly string[] | undefined;
  prefix: string;
}

function problemAt(span: Span, path: string, message: string, severity: 'error' | 'warning' = 'error') {
  return { start: span.start, end: span.end, path, message, severity };
}

function validate(root: Node, options: ValidateOptions): ConfigResult {
  const problems: ConfigProblem[] = [];
  const settings: Partial<Settings> = {};
  const { prefix } = options;
  const report = (span: Span, path: string, message: string, severity: 'error' | 'warning' = 'error') =>
    problems.push(problemAt(span, path, `${path ? `${path}: ` : ''}${message}`, severity));

  if (root.kind !== 'map') {
    report(root, prefix.replace(/\.$/, ''), 'expected a mapping of settings (rules, trustedCidrs, ...).');
    return { settings, problems };
  }
  for (const entry of root.entries) {
    const key = entry.key.value;
    const path = `${prefix}${key}`;
    const value = entry.value;
    // In plain data (editor settings), unset values arrive as null: they mean "not set".
    if (options.allowed === undefined && value.kind === 'scalar' && value.value === null) continue;
    switch (key) {
      case 'rules': {
        const rules = readRules(value, path, report);
        if (rules) settings.rules = rules;
        break;
      }
      case 'trustedCidrs': {
        const cidrs = readList(value, path, report, (item, itemPath) => readCidr(item, itemPath, report));
        if (cidrs) settings.trustedCidrs = cidrs;
        break;
      }
      case 'sensitivePorts': {
        const ports = readList(value, path, report, (item, itemPath) =>
          readPortEntry(item, itemPath, report),
        );
        if (ports) settings.sensitivePorts = ports;
        break;
      }
      case 'webPorts': {
        const ports = readList(value, path, report, (item, itemPath) => readPort(item, itemPath, report));
        if (ports) settings.webPorts = ports;
        break;
      }
      case 'exclude': {
        const globs = readList(value, path, report, (item, itemPath) => {
          if (item.kind === 'scalar' && typeof item.value === 'string' && item.value.trim())
            return item.value;
          report(item, itemPath, 'expected a glob pattern (a non-empty string).');
          return undefined;
        });
        if (globs) settings.exclude = globs;
        break;
      }
      case 'showSuppressed': {
        if (value.kind === 'scalar' && typeof value.value === 'boolean')
          settings.showSuppressed = value.value;
        else report(value, path, 'expected true or false.');
        break;
      }
      default:
        if (options.allowed === undefined) break;
        report(
          entry.key,
          path,
          `unknown setting.${suggest(key, options.allowed)} Known settings: ${options.allowed.join(', ')}.`,
        );
    }
  }
  return { settings, problems };
}

type Report = (span: Span, path: string, message: string, severity?: 'error' | 'warning') => void;

function readRules(node: Node, path: string, report: Report): Record<string, RuleSetting> | undefined {
  if (node.kind !== 'map') {
    if (node.kind === 'scalar' && node.value === null) return {};
    report(node, path, `expected a mapping of rule ids to ${RULE_SETTINGS.join(' | ')}.`);
    return undefined;
  }
  const known = ALL_RULES.map((r) => r.meta.id);
  // The valid entries apply; a wrong one is reported and ignored.
  const out: Record<string, RuleSetting> = {};
  for (const entry of node.entries) {
    const id = entry.key.value;
    const entryPath = `${path}.${id}`;
    if (!known.includes(id)) {
      report(
        entry.key,
        entryPath,
        `unknown rule id.${suggest(id, known)} Run \`iac-netsec rules\` for the list.`,
      );
      continue;
    }
    const value = entry.value;
    if (value.kind === 'scalar' && typeof value.value === 'string' && isRuleSetting(value.value)) {
      out[id] = value.value;
    } else {
      report(value, entryPath, `expected one of ${RULE_SETTINGS.join(', ')}.`);
    }
  }
  return out;
}

function isRuleSetting(value: string): value is RuleSetting {
  return (RULE_SETTINGS as readonly string[]).includes(value);
}

/** A list whose every item is valid, or undefined (after reporting) when one is not. */
function readList<T>(
  node: Node,
  path: string,
  report: Report,
  readItem: (item: Node, itemPath: string) => T | undefined,
): T[] | undefined {
  if (node.kind === 'scalar' && node.value === null) return [];
  if (node.kind !== 'seq') {
    report(node, path, 'expected a list.');
    return undefined;
  }
  // The valid items apply; a wrong one is reported and ignored.
  const out: T[] = [];
  node.items.forEach((item, i) => {
    const value = readItem(item, `${path}[${i}]`);
    if (value !== undefined) out.push(value);
  });
  return out;
}

function readCidr(node: Node, path: string, report: Report): string | undefined {
  if (node.kind !== 'scalar' || typeof node.value !== 'string') {
    report(node, path, 'expected a CIDR such as 203.0.113.0/24 or 2001:db8::/32.');
    return undefined;
  }
  const cidr = parseCidr(node.value);
  if (!cidr || !node.value.includes('/')) {
    report(
      node,
      path,
      `"${node.value}" is not a CIDR (address/prefix, e.g. 203.0.113.0/24 or 2001:db8::/32).`,
    );
    return undefined;
  }
  if (cidr.prefix === 0)
    report(
      node,
      path,
      `trusting ${node.value} trusts the whole internet and hides every exposure finding.`,
      'warning',
    );
  return node.value.trim();
}

function readPort(node: Node, path: string, report: Report): number | undefined {
  const value = node.kind === 'scalar' ? node.value : undefined;
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 65535) return n;
  report(node, path, 'expected a port number from 0 to 65535.');
  return undefined;
}

function portName(from: number, to: number): string {
  const known = DEFAULT_SENSITIVE_PORTS.find((p) => p.from <= from && to <= p.to);
  if (known) return known.name;
  return from === to ? `port ${from}` : `ports ${from}-${to}`;
}

function readPortEntry(node: Node, path: string, report: Report): PortEntry | undefined {
  const range = (from: number, to: number, span: Node, name?: string): PortEntry | undefined => {
    if (from > to) {
      report(span, path, `the range starts after it ends (${from}-${to}).`);
      return undefined;
    }
    return { from, to, name: name ?? portName(from, to) };
  };
  if (node.kind === 'scalar') {
    if (typeof node.value === 'number') {
      const port = readPort(node, path, report);
      return port === undefined ? undefined : range(port, port, node);
    }
    const match = typeof node.value === 'string' ? /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(node.value) : null;
    if (match) {
      const from = Number(match[1]);
      const to = Number(match[2] ?? match[1]);
      if (from <= 65535 && to <= 65535) return range(from, to, node);
    }
    report(
      node,
      path,
      'expected a port (22), a range ("8000-8100") or { from, to, name }, with ports from 0 to 65535.',
    );
    return undefined;
  }
  if (node.kind !== 'map') {
    report(node, path, 'expected a port (22), a range ("8000-8100") or { from, to, name }.');
    return undefined;
  }
  let from: number | undefined;
  let to: number | undefined;
  let name: string | undefined;
  let ok = true;
  for (const entry of node.entries) {
    const key = entry.key.value;
    const keyPath = `${path}.${key}`;
    if (key === 'from' || key === 'to') {
      const port = readPort(entry.value, keyPath, report);
      if (port === undefined) ok = false;
      else if (key === 'from') from = port;
      else to = port;
    } else if (key === 'name') {
      if (entry.value.kind === 'scalar' && entry.value.value !== null && String(entry.value.value).trim())
        name = String(entry.value.value);
      else {
        report(entry.value, keyPath, 'expected a name such as "Redis".');
        ok = false;
      }
    } else {
      report(
        entry.key,
        keyPath,
        `unknown key.${suggest(key, ['from', 'to', 'name'])} Expected from, to and name.`,
      );
      ok = false;
    }
  }
  if (!ok) return undefined;
  if (from === undefined) {
    report(node, path, 'a port entry needs `from` (and optionally `to` and `name`).');
    return undefined;
  }
  return range(from, to ?? from, node, name);
}

/** " Did you mean `x`?" for a close match, else "". */
export function suggest(word: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3))
    ? ` Did you mean \`${best}\`?`
    : '';
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** Directories from `dir` up to and including `root` (or the filesystem root), nearest first. */
export function ancestorDirs(dir: string, root?: string): string[] {
  const out: string[] = [];
  let current = path.resolve(dir);
  const stop = root === undefined ? undefined : path.resolve(root);
  for (;;) {
    out.push(current);
    if (current === stop) break;
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return out;
}

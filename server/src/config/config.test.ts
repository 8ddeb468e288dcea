import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_RULES } from '../rules';
import { applicable, hasErrors, isConfigFile, parseConfig, settingsFromPlain } from './config';
import { findConfigFile } from './discover';
import { configSchema } from './schema';

/** Problems as [text at the range, message] for exact-place assertions. */
function problems(text: string) {
  return parseConfig(text).problems.map((p) => [text.slice(p.start, p.end), p.severity, p.message]);
}

describe('parseConfig', () => {
  it('reads every setting', () => {
    const text = [
      '# iac-netsec settings',
      'rules:',
      '  ssh-open-to-internet: warning',
      'trustedCidrs: [203.0.113.0/24, "2001:db8::/32"]',
      'sensitivePorts:',
      '  - 22',
      '  - "8000-8100"',
      '  - { from: 6379 }',
      '  - from: 9000',
      '    to: 9001',
      '    name: Custom',
      'webPorts: [80, 443, "8443"]',
      'exclude:',
      '  - generated/',
      'showSuppressed: true',
      '',
    ].join('\n');
    const result = parseConfig(text);
    expect(result.problems).toEqual([]);
    expect(result.settings).toEqual({
      rules: { 'ssh-open-to-internet': 'warning' },
      trustedCidrs: ['203.0.113.0/24', '2001:db8::/32'],
      sensitivePorts: [
        { from: 22, to: 22, name: 'port 22' },
        { from: 8000, to: 8100, name: 'ports 8000-8100' },
        { from: 6379, to: 6379, name: 'Redis' },
        { from: 9000, to: 9001, name: 'Custom' },
      ],
      webPorts: [80, 443, 8443],
      exclude: ['generated/'],
      showSuppressed: true,
    });
  });

  it('reads an empty or comment-only file as no settings', () => {
    expect(parseConfig('')).toEqual({ settings: {}, problems: [] });
    expect(parseConfig('# nothing yet\n')).toEqual({ settings: {}, problems: [] });
    expect(parseConfig('rules:\n')).toEqual({ settings: { rules: {} }, problems: [] });
  });

  it('reports unknown keys and rule ids at their place, with a suggestion', () => {
    expect(problems('exlude: [a]\n')).toEqual([
      [
        'exlude',
        'error',
        'exlude: unknown setting. Did you mean `exclude`? Known settings: rules, trustedCidrs, sensitivePorts, webPorts, exclude, showSuppressed.',
      ],
    ]);
    expect(problems('rules:\n  ssh-open-to-internt: off\n')).toEqual([
      [
        'ssh-open-to-internt',
        'error',
        'rules.ssh-open-to-internt: unknown rule id. Did you mean `ssh-open-to-internet`? Run `iac-netsec rules` for the list.',
      ],
    ]);
  });

  it('reports bad severities, CIDRs, ports and types', () => {
    expect(problems('rules:\n  ssh-open-to-internet: loud\n')).toEqual([
      ['loud', 'error', 'rules.ssh-open-to-internet: expected one of off, error, warning, info, hint.'],
    ]);
    expect(problems('rules:\n  ssh-open-to-internet: false\n')[0]![0]).toBe('false');
    expect(problems('trustedCidrs: [10.0.0.0/33, 10.1.0.0, 7]\n')).toEqual([
      [
        '10.0.0.0/33',
        'error',
        'trustedCidrs[0]: "10.0.0.0/33" is not a CIDR (address/prefix, e.g. 203.0.113.0/24 or 2001:db8::/32).',
      ],
      [
        '10.1.0.0',
        'error',
        'trustedCidrs[1]: "10.1.0.0" is not a CIDR (address/prefix, e.g. 203.0.113.0/24 or 2001:db8::/32).',
      ],
      ['7', 'error', 'trustedCidrs[2]: expected a CIDR such as 203.0.113.0/24 or 2001:db8::/32.'],
    ]);
    expect(problems('sensitivePorts: [70000, "9-3", {form: 1}, {to: 3}, [1]]\n').map((p) => p[0])).toEqual([
      '70000',
      '"9-3"',
      'form',
      '{to: 3}',
      '[1]',
    ]);
    expect(problems('webPorts: 80\n')).toEqual([['80', 'error', 'webPorts: expected a list.']]);
    expect(problems('exclude: [""]\n')[0]![0]).toBe('""');
    expect(problems('showSuppressed: yes\n')).toEqual([
      ['yes', 'error', 'showSuppressed: expected true or false.'],
    ]);
    expect(problems('- rules\n')[0]![2]).toContain('expected a mapping');
  });

  it('warns (without failing) when the whole internet is trusted', () => {
    const result = parseConfig('trustedCidrs: [0.0.0.0/0]\n');
    expect(hasErrors(result)).toBe(false);
    expect(result.problems.map((p) => p.severity)).toEqual(['warning']);
    expect(result.settings.trustedCidrs).toEqual(['0.0.0.0/0']);
  });

  it('reports YAML syntax errors and duplicate keys', () => {
    expect(hasErrors(parseConfig('rules: [\n'))).toBe(true);
    const duplicate = parseConfig('webPorts: [80]\nwebPorts: [443]\n');
    expect(hasErrors(duplicate)).toBe(true);
  });

  it('keeps the valid settings apart from the invalid ones, down to single entries', () => {
    const result = parseConfig(
      'webPorts: [8080]\nrules:\n  nope: off\n  ssh-open-to-internet: info\n  rdp-open-to-internet: loud\ntrustedCidrs: [10.0.0.0/33, 10.1.0.0/16]\n',
    );
    expect(result.settings).toEqual({
      webPorts: [8080],
      rules: { 'ssh-open-to-internet': 'info' },
      trustedCidrs: ['10.1.0.0/16'],
    });
    expect(result.problems.map((p) => p.path)).toEqual([
      'rules.nope',
      'rules.rdp-open-to-internet',
      'trustedCidrs[0]',
    ]);
    expect(hasErrors(result)).toBe(true);
    expect(applicable(result)).toBe(true);
    expect(applicable(parseConfig('rules: [\n'))).toBe(false);
    expect(applicable(parseConfig('- just a list\n'))).toBe(false);
  });
});

describe('settingsFromPlain (editor settings)', () => {
  it('ignores editor-only keys and unset values, validates the rest', () => {
    const result = settingsFromPlain({
      diagnosticsDelayMs: 0,
      trace: { server: 'off' },
      rules: { 'ssh-open-to-internet': 'info' },
      sensitivePorts: null,
      webPorts: [8080],
      trustedCidrs: ['bad'],
    });
    expect(result.settings).toEqual({
      rules: { 'ssh-open-to-internet': 'info' },
      webPorts: [8080],
      trustedCidrs: [],
    });
    expect(result.problems.map((p) => p.path)).toEqual(['iacNetsec.trustedCidrs[0]']);
  });
});

describe('finding the config file', () => {
  const exists = (files: string[]) => ({ exists: (f: string) => files.includes(path.resolve(f)) });
  const root = path.resolve('/repo');
  it('takes the nearest file walking up, stopping at the repository root', () => {
    const nested = path.join(root, 'a/b');
    expect(
      findConfigFile(
        nested,
        exists([path.join(root, '.iac-netsec.yaml'), path.join(root, 'a/.iac-netsec.yaml')]),
      ),
    ).toBe(path.join(root, 'a/.iac-netsec.yaml'));
    expect(findConfigFile(nested, exists([path.join(root, '.iac-netsec.yaml')]))).toBe(
      path.join(root, '.iac-netsec.yaml'),
    );
    // A .git directory (or a workspace folder) ends the walk.
    expect(
      findConfigFile(nested, exists([path.join(root, 'a/.git'), path.join(root, '.iac-netsec.yaml')])),
    ).toBe(undefined);
    expect(
      findConfigFile(nested, exists([path.join(root, '.iac-netsec.yaml')]), [path.join(root, 'a')]),
    ).toBe(undefined);
  });

  it('recognises the file name', () => {
    expect(isConfigFile('file:///repo/.iac-netsec.yaml')).toBe(true);
    expect(isConfigFile('C:\\repo\\.iac-netsec.yaml')).toBe(true);
    expect(isConfigFile('/repo/x.iac-netsec.yaml')).toBe(false);
  });
});

describe('the JSON Schema of the config file', () => {
  it('is fresh (regenerate with: node scripts/gen-config-schema.mjs)', () => {
    const file = path.resolve(__dirname, '../../../schemas/iac-netsec.schema.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(JSON.parse(JSON.stringify(configSchema())));
  });

  it('lists every rule id and the settings the parser accepts', () => {
    const schema = configSchema() as {
      properties: Record<string, { properties?: Record<string, unknown> }>;
    };
    expect(Object.keys(schema.properties.rules!.properties!).sort()).toEqual(
      ALL_RULES.map((r) => r.meta.id).sort(),
    );
    expect(Object.keys(schema.properties).sort()).toEqual(
      ['rules', 'trustedCidrs', 'sensitivePorts', 'webPorts', 'exclude', 'showSuppressed'].sort(),
    );
  });
});

// The extension manifest (package.json) and the TextMate injection grammar: what VS Code reads
// without running any of our code.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS } from '../../server/src/config/config';
import { ROOT } from './support';

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

describe('package.json', () => {
  it('starts the bundled client on the documented activation events', () => {
    expect(pkg.main).toBe('./dist/client.js');
    expect(pkg.activationEvents).toEqual([
      'onLanguage:yaml',
      'onLanguage:json',
      'onLanguage:jsonc',
      'onLanguage:terraform',
      'onLanguage:tf',
      'onLanguage:hcl',
      'workspaceContains:**/*.tf',
      'workspaceContains:**/*.tf.json',
      'workspaceContains:**/.iac-netsec.yaml',
    ]);
    expect(pkg.capabilities.untrustedWorkspaces.supported).toBe(true);
  });

  it('contributes a setting for every config key the editor layers, plus the delay', () => {
    const properties = pkg.contributes.configuration.properties as Record<string, { default?: unknown }>;
    const layered = CONFIG_KEYS.filter((k) => k !== 'exclude').map((k) => `iacNetsec.${k}`);
    for (const key of [...layered, 'iacNetsec.diagnosticsDelayMs', 'iacNetsec.trace.server']) {
      expect(properties[key], key).toBeDefined();
      expect(
        (properties[key] as { markdownDescription?: string; description?: string }).markdownDescription ??
          (properties[key] as { description?: string }).description,
      ).toBeTruthy();
    }
    expect(properties['iacNetsec.diagnosticsDelayMs']!.default).toBe(150);
  });

  it('points at files that exist', () => {
    for (const v of pkg.contributes.yamlValidation)
      expect(existsSync(path.join(ROOT, v.url)), v.url).toBe(true);
    for (const g of pkg.contributes.grammars) {
      expect(existsSync(path.join(ROOT, g.path)), g.path).toBe(true);
      expect(JSON.parse(readFileSync(path.join(ROOT, g.path), 'utf8')).scopeName).toBe(g.scopeName);
    }
    for (const bin of Object.values(pkg.bin) as string[])
      expect(existsSync(path.join(ROOT, bin)), bin).toBe(true);
    expect(pkg.bin['iac-netsec-server']).toBe('bin/iac-netsec-server.js');
  });

  it("maps *.tf.json to JSON and *.tf to the language id HashiCorp's extension uses", () => {
    // Declaring `terraform` (the id the HashiCorp extension also declares) merges with it when
    // installed and gives .tf files an id of their own when not; no other language is declared.
    expect(pkg.contributes.languages).toEqual([
      { id: 'json', extensions: ['.tf.json'] },
      { id: 'terraform', aliases: ['Terraform'], extensions: ['.tf'] },
    ]);
  });
});

describe('CloudFormation injection grammar', () => {
  const grammar = JSON.parse(
    readFileSync(path.join(ROOT, 'syntaxes/cfn-yaml.injection.tmLanguage.json'), 'utf8'),
  );
  const repo = grammar.repository;

  it('is injected into YAML outside comments and strings', () => {
    expect(grammar.injectionSelector).toBe('L:source.yaml -comment -string');
  });

  it('matches the short-form tags and nothing else', () => {
    const tag = new RegExp(repo['intrinsic-tag'].match);
    for (const text of [
      '!Ref Vpc',
      '!GetAtt Lb.DNSName',
      '- !Sub',
      'X: !If [C, a, b]',
      '!Select [0, !GetAZs ""]',
    ])
      expect(tag.test(text), text).toBe(true);
    for (const text of ['!!str 1', 'key!Ref', '!Reference x', '!Custom x'])
      expect(tag.test(text), text).toBe(false);
  });

  it('finds ${...} references inside !Sub strings, and leaves ${!Literal} alone', () => {
    const begin = new RegExp(repo['sub-inline'].begin);
    expect(begin.test("Value: !Sub 'arn:${AWS::Partition}:s3:::${Bucket}/*'")).toBe(true);
    expect(begin.test('Value: !Sub |')).toBe(false);
    const [literal, reference] = repo['sub-reference'].patterns.map(
      (p: { match: string }) => new RegExp(p.match, 'g'),
    );
    const text = 'arn:${AWS::Partition}:s3:::${Bucket.Arn}/${!Literal}';
    expect(text.match(literal)).toEqual(['${!Literal}']);
    expect(text.match(reference)).toEqual(['${AWS::Partition}', '${Bucket.Arn}']);
  });

  it('recognises block !Sub scalars with their key', () => {
    const begin = new RegExp(repo['sub-block'].begin);
    const match = begin.exec('      UserData: !Sub |');
    expect(match?.[3]).toBe('UserData');
    expect(match?.[5]).toBe('!Sub');
    expect(begin.test('  - !Sub >-')).toBe(true);
    expect(begin.test("  Name: !Sub 'x'")).toBe(false);
  });
});

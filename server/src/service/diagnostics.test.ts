// Diagnostics are built once per analysis: the server publishes them and its status request
// counts them from the same array. They must equal what a fresh service builds for the same
// text, after edits too, and follow what changes them besides the analysis (the version, the
// docs link style).

import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { defaultSettings, mergeSettings } from '../engine/settings';
import { IacService, SHOW_DOCS_COMMAND } from './service';

const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  # iac-netsec-ignore ssh-open-to-internet: bastion, closed at night
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0
        - IpProtocol: tcp
          FromPort: 3389
          ToPort: 3389
          CidrIp: 0.0.0.0/0
`;

const URI = 'file:///t.yaml';

describe('diagnostics of an analysis', () => {
  it('are built once per version and equal a fresh build after each edit', () => {
    const settings = defaultSettings();
    const service = new IacService();
    let document = TextDocument.create(URI, 'yaml', 1, TEMPLATE);
    const first = service.diagnostics(document, settings);
    expect(first.map((d) => [d.code, d.range.start.line, d.data])).toEqual([
      ['rdp-open-to-internet', 15, { version: 1, index: 1 }],
    ]);
    expect(service.diagnostics(document, settings)).toBe(first);

    const at = TEMPLATE.indexOf('web');
    for (const [version, change] of [
      [2, { range: { start: document.positionAt(at), end: document.positionAt(at) }, text: 'x' }],
      [3, { range: { start: document.positionAt(at), end: document.positionAt(at + 1) }, text: '' }],
      [4, { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '# top\n' }],
    ] as const) {
      document = TextDocument.update(document, [change], version);
      const cached = service.diagnostics(document, settings);
      expect(service.diagnostics(document, settings)).toBe(cached);
      const fresh = new IacService().diagnostics(
        TextDocument.create(URI, 'yaml', version, document.getText()),
        settings,
      );
      expect(cached).toEqual(fresh);
      expect(cached[0]?.data).toEqual({ version, index: 1 });
    }
    expect(service.diagnostics(document, settings)[0]?.range.start.line).toBe(16);
  });

  it('follow the settings and the docs link style', () => {
    const service = new IacService();
    const document = TextDocument.create(URI, 'yaml', 1, TEMPLATE);
    const shown = mergeSettings(defaultSettings(), { showSuppressed: true });
    expect(service.diagnostics(document, shown).map((d) => d.code)).toEqual([
      'ssh-open-to-internet',
      'rdp-open-to-internet',
    ]);
    const settings = defaultSettings();
    expect(service.diagnostics(document, settings)[0]?.codeDescription?.href).toBe(
      'https://github.com/iac-netsec/iac-netsec/blob/main/server/src/rules/rdp-open-to-internet/rule.md',
    );
    service.clientCommands = new Set([SHOW_DOCS_COMMAND]);
    expect(service.diagnostics(document, settings)[0]?.codeDescription?.href).toBe(
      `command:${SHOW_DOCS_COMMAND}?${encodeURIComponent('["rdp-open-to-internet"]')}`,
    );
  });
});

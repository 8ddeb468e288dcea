// The editor's status item shows how many findings a document has after every publish: the
// service counts them without building the diagnostics, and the count must be the number of
// diagnostics published (suppressed findings only when shown), after edits too.

import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { defaultSettings, mergeSettings } from '../engine/settings';
import { IacService } from './service';

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

describe('diagnosticCount', () => {
  it('counts what diagnostics gives, suppressed findings only when shown', () => {
    const service = new IacService();
    const document = TextDocument.create(URI, 'yaml', 1, TEMPLATE);
    const settings = defaultSettings();
    expect(service.diagnostics(document, settings).map((d) => d.code)).toEqual(['rdp-open-to-internet']);
    expect(service.diagnosticCount(document, settings)).toBe(1);
    const shown = mergeSettings(defaultSettings(), { showSuppressed: true });
    expect(service.diagnostics(document, shown).map((d) => d.code)).toEqual([
      'ssh-open-to-internet',
      'rdp-open-to-internet',
    ]);
    expect(service.diagnosticCount(document, shown)).toBe(2);
  });

  it('follows edits', () => {
    const service = new IacService();
    const settings = defaultSettings();
    let document = TextDocument.create(URI, 'yaml', 1, TEMPLATE);
    const line = (text: string) => TEMPLATE.split('\n').indexOf(text);
    // A second security group open on SSH, not covered by the suppression.
    const extra = `  Admin:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: admin\n      SecurityGroupIngress:\n        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0 }\n`;
    const end = { line: TEMPLATE.split('\n').length - 1, character: 0 };
    document = TextDocument.update(document, [{ range: { start: end, end }, text: extra }], 2);
    expect(service.diagnostics(document, settings).map((d) => d.code)).toEqual([
      'rdp-open-to-internet',
      'ssh-open-to-internet',
    ]);
    expect(service.diagnosticCount(document, settings)).toBe(2);
    // The RDP rule closed to a private range.
    const rdp = line('          FromPort: 3389') + 2;
    document = TextDocument.update(
      document,
      [
        {
          range: { start: { line: rdp, character: 18 }, end: { line: rdp, character: 27 } },
          text: '10.0.0.0/8',
        },
      ],
      3,
    );
    expect(service.diagnostics(document, settings).map((d) => d.code)).toEqual(['ssh-open-to-internet']);
    expect(service.diagnosticCount(document, settings)).toBe(1);
  });
});

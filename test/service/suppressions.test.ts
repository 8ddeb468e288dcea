// Honest suppressions (issue 15, item 2): the reason placeholder is selected for typing over and,
// left in, suppresses nothing and is reported; a suppression that suppresses nothing is reported
// as unused with a fix that removes it, never removed in bulk.

import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind } from 'vscode-languageserver-types';
import { defaultSettings, mergeSettings } from '../../server/src/engine/settings';
import { IacService, SELECT_RANGE_COMMAND } from '../../server/src/service/service';

const SG = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
`;

const settings = defaultSettings();
const doc = (text: string, uri = 'file:///t.yaml', version = 1, languageId = 'yaml') =>
  TextDocument.create(uri, languageId, version, text);

function summary(service: IacService, text: string, uri = 'file:///t.yaml', languageId = 'yaml') {
  const lines = text.split('\n');
  return service.diagnostics(doc(text, uri, 1, languageId), settings).map((d) => {
    const { start, end } = d.range;
    const line = lines[start.line]!;
    return {
      code: d.code,
      line: start.line + 1,
      text: line.slice(start.character, end.line === start.line ? end.character : undefined),
      message: d.message,
    };
  });
}

describe('the reason placeholder', () => {
  it('is selected after "Suppress" when the client can select, and then left in still reports', () => {
    const service = new IacService();
    service.clientCommands = new Set([SELECT_RANGE_COMMAND]);
    const d = doc(SG);
    const [finding] = service.diagnostics(d, settings);
    const suppress = service
      .codeActions(d, finding!.range, { diagnostics: [finding!], only: [CodeActionKind.QuickFix] }, settings)
      .find((a) => a.title.startsWith('Suppress'))!;
    const after = TextDocument.applyEdits(d, suppress.edit!.changes!['file:///t.yaml']!);
    expect(suppress.command?.command).toBe(SELECT_RANGE_COMMAND);
    const [uri, range] = suppress.command!.arguments as [
      string,
      { start: { line: number; character: number }; end: { line: number; character: number } },
    ];
    expect(uri).toBe('file:///t.yaml');
    const fixed = doc(after, 'file:///t.yaml', 2);
    expect(fixed.getText(range)).toBe('REASON: why this is acceptable');
    expect(range.start.line).toBe(
      fixed
        .getText()
        .split('\n')
        .findIndex((l) => l.includes('reason:')),
    );

    expect(summary(service, after)).toEqual([
      {
        code: 'ssh-open-to-internet',
        line: 11,
        text: '0.0.0.0/0',
        message: expect.stringContaining('SSH'),
      },
      {
        code: 'suppression-invalid',
        line: 15,
        text: 'ssh-open-to-internet',
        message:
          'The suppression of ssh-open-to-internet still has a placeholder reason ("REASON: why this is acceptable"): write why this finding is acceptable. It suppresses nothing until then.',
      },
    ]);
  });

  it('no select command for a client that did not declare it', () => {
    const service = new IacService();
    const d = doc(SG);
    const [finding] = service.diagnostics(d, settings);
    const suppress = service
      .codeActions(d, finding!.range, { diagnostics: [finding!] }, settings)
      .find((a) => a.title.startsWith('Suppress'))!;
    expect(suppress.command).toBeUndefined();
  });

  it.each([['REASON: why this is acceptable'], ['TODO'], ['tbd'], ['...'], ['<reason>']])(
    'a comment with reason %j does not suppress',
    (reason) => {
      const text = SG.replace('  Sg:\n', `  # iac-netsec-ignore ssh-open-to-internet: ${reason}\n  Sg:\n`);
      expect(summary(new IacService(), text).map((d) => [d.code, d.line, d.text])).toEqual([
        ['suppression-invalid', 3, 'ssh-open-to-internet'],
        ['ssh-open-to-internet', 12, '0.0.0.0/0'],
      ]);
    },
  );

  it('an empty reason does not suppress', () => {
    const text = SG.replace('  Sg:\n', '  # iac-netsec-ignore ssh-open-to-internet:\n  Sg:\n');
    expect(summary(new IacService(), text).map((d) => [d.code, d.message])).toEqual([
      [
        'suppression-invalid',
        'The suppression of ssh-open-to-internet needs a reason; it is ignored until it has one.',
      ],
      ['ssh-open-to-internet', expect.any(String)],
    ]);
  });
});

describe('unused suppressions', () => {
  it('a comment for the wrong rule is reported, with a fix that removes its line', () => {
    const text = SG.replace('  Sg:\n', '  # iac-netsec-ignore rdp-open-to-internet: bastion\n  Sg:\n');
    const service = new IacService();
    expect(summary(service, text)).toEqual([
      {
        code: 'suppression-unused',
        line: 3,
        text: '# iac-netsec-ignore rdp-open-to-internet: bastion',
        message:
          'Unused suppression: resource Sg has no rdp-open-to-internet finding (wrong line, wrong rule, or the finding is gone). Remove it, so that it cannot hide a future finding.',
      },
      expect.objectContaining({ code: 'ssh-open-to-internet', line: 12 }),
    ]);
    const d = doc(text);
    const unused = service.diagnostics(d, settings)[0]!;
    const actions = service.codeActions(d, unused.range, { diagnostics: [unused] }, settings);
    expect(actions.map((a) => a.title)).toEqual(['Remove the unused suppression of rdp-open-to-internet']);
    expect(TextDocument.applyEdits(d, actions[0]!.edit!.changes!['file:///t.yaml']!)).toBe(SG);
  });

  it('a line comment whose finding is gone is reported', () => {
    const text = SG.replace(
      '  Web:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: web\n',
      '  Web:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      # iac-netsec-ignore ssh-open-to-internet: fixed since\n      GroupDescription: web\n',
    );
    expect(summary(new IacService(), text).map((d) => [d.code, d.line, d.text])).toEqual([
      ['ssh-open-to-internet', 11, '0.0.0.0/0'],
      ['suppression-unused', 15, '# iac-netsec-ignore ssh-open-to-internet: fixed since'],
    ]);
  });

  it('a Metadata suppression of a rule with no finding is reported and removed with its containers', () => {
    const text = SG.replace(
      '  Web:\n    Type: AWS::EC2::SecurityGroup\n',
      '  Web:\n    Type: AWS::EC2::SecurityGroup\n    Metadata:\n      iac-netsec:\n        ignore:\n          - rule: ssh-open-to-internet\n            reason: bastion\n',
    );
    const service = new IacService();
    const d = doc(text);
    const unused = service.diagnostics(d, settings).find((x) => x.code === 'suppression-unused')!;
    expect(unused.range.start.line + 1).toBe(17);
    const [remove] = service.codeActions(d, unused.range, { diagnostics: [unused] }, settings);
    expect(TextDocument.applyEdits(d, remove!.edit!.changes!['file:///t.yaml']!)).toBe(SG);
  });

  it('a used suppression is not reported; neither is one whose rule is off or in a document with a syntax error', () => {
    const used = SG.replace(
      '  Sg:\n',
      '  # iac-netsec-ignore ssh-open-to-internet: bastion host, VPN only\n  Sg:\n',
    );
    expect(summary(new IacService(), used)).toEqual([]);
    const wrong = SG.replace('  Web:\n', '  # iac-netsec-ignore ssh-open-to-internet: bastion\n  Web:\n');
    const off = mergeSettings(settings, { rules: { 'ssh-open-to-internet': 'off' } });
    expect(new IacService().diagnostics(doc(wrong), off)).toEqual([]);
    const broken = `${wrong}  Broken: [\n`;
    expect(summary(new IacService(), broken).map((d) => d.code)).not.toContain('suppression-unused');
  });

  it('Terraform JSON "//" suppression that suppresses nothing', () => {
    const text = `{
  "resource": {
    "aws_security_group": {
      "web": {
        "//": "iac-netsec-ignore ssh-open-to-internet: bastion",
        "name": "web"
      }
    }
  }
}
`;
    const service = new IacService();
    const d = doc(text, 'file:///main.tf.json', 1, 'json');
    const diagnostics = service.diagnostics(d, settings);
    expect(diagnostics.map((x) => [x.code, x.range.start.line + 1])).toEqual([['suppression-unused', 5]]);
    const [remove] = service.codeActions(d, diagnostics[0]!.range, { diagnostics }, settings);
    expect(TextDocument.applyEdits(d, remove!.edit!.changes!['file:///main.tf.json']!)).toBe(
      text.replace('        "//": "iac-netsec-ignore ssh-open-to-internet: bastion",\n', ''),
    );
  });

  it('is never removed in bulk (Fix all, on save, iac-netsec fix)', () => {
    const text = SG.replace('  Web:\n', '  # iac-netsec-ignore ssh-open-to-internet: bastion\n  Web:\n');
    const service = new IacService();
    expect(service.fixAllEdits(doc(text), settings)).toEqual([]);
  });
});

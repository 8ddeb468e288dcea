// Service tests (DESIGN.md test layer 4): validate / code actions / hover / symbols /
// definition on TextDocuments, through the pure facade the server and CLI use.

import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind, DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { analyze } from '../../server/src/engine/analyze';
import { defaultSettings, mergeSettings } from '../../server/src/engine/settings';
import { loadDocument } from '../../server/src/model/load';
import { ALL_RULES } from '../../server/src/rules';
import type { Rule } from '../../server/src/rules/types';
import { IacService } from '../../server/src/service/service';

const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Cidr:
    Type: String
    Default: 0.0.0.0/0
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: !Ref Cidr
  Other:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !GetAtt Sg.GroupId
      IpProtocol: tcp
      FromPort: 443
      ToPort: 443
      CidrIp: 10.0.0.0/8
`;

const settings = defaultSettings();
const doc = (text = TEMPLATE, uri = 'file:///t.yaml', version = 1) =>
  TextDocument.create(uri, 'yaml', version, text);

function apply(
  text: string,
  edits: {
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    newText: string;
  }[],
): string {
  const d = doc(text);
  return TextDocument.applyEdits(d, edits);
}

describe('IacService', () => {
  it('diagnostics carry identity: code, source, link, data, related information', () => {
    const service = new IacService();
    const [d, ...rest] = service.diagnostics(doc(), settings);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      code: 'ssh-open-to-internet',
      source: 'iac-netsec',
      severity: DiagnosticSeverity.Error,
      range: { start: { line: 14, character: 18 }, end: { line: 14, character: 27 } },
      codeDescription: { href: expect.stringContaining('ssh-open-to-internet/rule.md') },
      data: { version: 1, index: 0 },
    });
    expect(d!.relatedInformation?.[0]).toMatchObject({
      message: 'Default of Cidr',
      location: { uri: 'file:///t.yaml', range: { start: { line: 4, character: 13 } } },
    });
  });

  it('analyses a version once and reuses it', () => {
    const service = new IacService();
    const d = doc();
    expect(service.analysis(d, settings)).toBe(service.analysis(d, settings));
  });

  it('code actions: the rule fixes, suppress with a reason, show documentation', () => {
    const service = new IacService();
    const d = doc();
    const diagnostics = service.diagnostics(d, settings);
    const actions = service.codeActions(d, diagnostics[0]!.range, { diagnostics }, settings);
    expect(actions.map((a) => a.title)).toEqual([
      'Remove the open default of Cidr (deployers must choose the allowed range) (changes behaviour)',
      'Remove this rule (changes behaviour)',
      'Suppress ssh-open-to-internet for Sg (with a reason)',
      'Show documentation for ssh-open-to-internet',
    ]);
    expect(actions[0]!.isPreferred).toBeUndefined();
    const suppress = actions[2]!;
    const suppressed = apply(TEMPLATE, suppress.edit!.changes!['file:///t.yaml']!);
    expect(suppressed).toContain(
      "      CidrIp: !Ref Cidr\n    Metadata:\n      iac-netsec:\n        ignore:\n          - rule: ssh-open-to-internet\n            reason: 'REASON: why this is acceptable'\n  Other:",
    );
    // The placeholder is no reason: the finding stays and the suppression is reported.
    expect(service.diagnostics(doc(suppressed, 'file:///t.yaml', 2), settings).map((x) => x.code)).toEqual([
      'ssh-open-to-internet',
      'suppression-invalid',
    ]);
    const reasoned = suppressed.replace("'REASON: why this is acceptable'", 'office VPN only');
    expect(service.diagnostics(doc(reasoned, 'file:///t.yaml', 3), settings)).toEqual([]);
    expect(actions[3]!.command).toMatchObject({
      command: 'iacNetsec.showRuleDocs',
      arguments: ['ssh-open-to-internet', expect.any(String)],
    });
  });

  it('suppressed findings can be shown as hints', () => {
    const text = TEMPLATE.replace(
      '  Sg:\n',
      '  # iac-netsec-ignore ssh-open-to-internet: office only\n  Sg:\n',
    );
    const service = new IacService();
    expect(service.diagnostics(doc(text), settings)).toEqual([]);
    const shown = service.diagnostics(doc(text), mergeSettings(settings, { showSuppressed: true }));
    expect(shown[0]).toMatchObject({
      severity: DiagnosticSeverity.Hint,
      message: expect.stringContaining('(suppressed: office only)'),
    });
  });

  it('hover on a finding shows the rule docs; on a control, what it does', () => {
    const service = new IacService();
    const onFinding = service.hover(doc(), { line: 14, character: 20 }, settings);
    expect(JSON.stringify(onFinding)).toContain('**Why:** SSH open to the world');
    const onControl = service.hover(doc(), { line: 10, character: 8 }, settings);
    expect(JSON.stringify(onControl)).toContain('stateful and deny by default');
    expect(service.hover(doc(), { line: 0, character: 2 }, settings)).toBeNull();
  });

  it('symbols and go-to-definition', () => {
    const service = new IacService();
    const symbols = service.documentSymbols(doc(), settings);
    expect(symbols.map((s) => s.name)).toEqual([
      'Parameters',
      'AWS::EC2::SecurityGroup',
      'AWS::EC2::SecurityGroupIngress',
    ]);
    const toParam = service.definition(doc(), { line: 14, character: 26 }, settings);
    expect(toParam[0]?.range.start).toEqual({ line: 2, character: 2 });
    const toResource = service.definition(doc(), { line: 18, character: 24 }, settings);
    expect(toResource[0]?.range.start).toEqual({ line: 6, character: 2 });
  });

  it('fix-all applies only safe fixes', () => {
    const service = new IacService();
    expect(service.fixAllEdits(doc(), settings)).toEqual([]);
    const actions = service.codeActions(
      doc(),
      { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      { diagnostics: [], only: ['source.fixAll.iacNetsec'] },
      settings,
    );
    expect(actions).toEqual([]);
  });

  it('is silent on documents that are not ours', () => {
    const service = new IacService();
    expect(service.diagnostics(doc('name: x\nports: [22]\n', 'file:///compose.yaml'), settings)).toEqual([]);
    expect(
      service.diagnostics(TextDocument.create('file:///package.json', 'json', 1, '{"name": "x"}'), settings),
    ).toEqual([]);
  });

  it('a broken document gets syntax errors and the findings of its finished parts', () => {
    const service = new IacService();
    const broken = TEMPLATE + '  Half:\n    Type: AWS::EC2::Instance\n    Properties: {ImageId: [\n';
    const codes = service.diagnostics(doc(broken), settings).map((d: Diagnostic) => d.code);
    expect(codes).toContain('ssh-open-to-internet');
    expect(codes).toContain('syntax-error');
  });

  it('rule settings: off and severity override', () => {
    const service = new IacService();
    expect(
      service.diagnostics(doc(), mergeSettings(settings, { rules: { 'ssh-open-to-internet': 'off' } })),
    ).toEqual([]);
    const warn = service.diagnostics(
      doc(),
      mergeSettings(settings, { rules: { 'ssh-open-to-internet': 'warning' } }),
    );
    expect(warn[0]?.severity).toBe(DiagnosticSeverity.Warning);
  });

  it('quick-fix kind and source kinds are filtered by `only`', () => {
    const service = new IacService();
    const d = doc();
    const diagnostics = service.diagnostics(d, settings);
    expect(
      service.codeActions(
        d,
        diagnostics[0]!.range,
        { diagnostics, only: [CodeActionKind.Refactor] },
        settings,
      ),
    ).toEqual([]);
  });
});

describe('engine', () => {
  it('isolates a rule that throws', () => {
    const thrower: Rule = {
      meta: { ...ALL_RULES[0]!.meta, id: 'thrower' },
      docs: '',
      check() {
        throw new Error('boom');
      },
    };
    const model = loadDocument('t.yaml', TEMPLATE)!;
    const result = analyze(model, settings, [thrower, ...ALL_RULES]);
    expect(result.failures.map((f) => f.ruleId)).toEqual(['thrower']);
    expect(result.findings.some((f) => f.ruleId === 'ssh-open-to-internet')).toBe(true);
  });

  it('reports invalid suppressions', () => {
    const text = TEMPLATE.replace(
      '    Properties:\n      GroupDescription: web',
      '    Metadata:\n      iac-netsec:\n        ignore:\n          - rule: ssh-open-to-internett\n            reason: x\n          - rule: ssh-open-to-internet\n    Properties:\n      GroupDescription: web',
    );
    const model = loadDocument('t.yaml', text)!;
    const messages = analyze(model, settings)
      .findings.filter((f) => f.ruleId === 'suppression-invalid')
      .map((f) => f.message);
    expect(messages).toEqual([
      'Unknown rule "ssh-open-to-internett" in a suppression; did you mean "ssh-open-to-internet"?',
      'The suppression of ssh-open-to-internet needs a reason; it is ignored until it has one.',
    ]);
  });

  it("honours other tools' suppressions through the id mapping", () => {
    const text = TEMPLATE.replace(
      '    Properties:\n      GroupDescription: web',
      '    Metadata:\n      checkov:\n        skip:\n          - id: CKV_AWS_24\n            comment: bastion\n    Properties:\n      GroupDescription: web',
    );
    const model = loadDocument('t.yaml', text)!;
    const ssh = analyze(model, settings).findings.find((f) => f.ruleId === 'ssh-open-to-internet');
    expect(ssh?.suppressed).toEqual({ reason: 'bastion', by: 'checkov CKV_AWS_24' });
  });
});

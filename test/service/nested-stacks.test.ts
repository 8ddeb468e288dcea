// Nested stacks through the service (unit/stack.ts): the diagnostic is on the parent's value with
// related information into the child, no fix edits the child, and a changed child re-checks the
// parent (the provider's signature changes).

import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { defaultSettings } from '../../server/src/engine/settings';
import { IacService } from '../../server/src/service/service';

const PARENT = `Resources:
  Network:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./network.yaml
      Parameters:
        AdminCidr: 0.0.0.0/0
`;

const child = (port: number): string => `Parameters:
  AdminCidr:
    Type: String
    Default: 10.0.0.0/8
Resources:
  AdminSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: admin
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: ${port}
          ToPort: ${port}
          CidrIp: !Ref AdminCidr
`;

describe('nested stacks in the service', () => {
  it('reports on the parent value, points into the child, re-checks when the child changes', () => {
    const settings = defaultSettings();
    const service = new IacService();
    let text = child(22);
    let stamp = 1;
    const reads: string[] = [];
    service.setStackTemplates(() => ({
      readTemplate: (from, path) => {
        reads.push(`${from} ${path}`);
        return { uri: 'file:///app/network.yaml', text };
      },
      signature: () => String(stamp),
    }));
    const parent = TextDocument.create('file:///app/main.yaml', 'yaml', 1, PARENT);
    const first = service.diagnostics(parent, settings);
    expect(first.map((d) => [d.code, d.range, d.relatedInformation])).toEqual([
      [
        'ssh-open-to-internet',
        { start: { line: 6, character: 19 }, end: { line: 6, character: 28 } },
        [
          {
            location: {
              uri: 'file:///app/network.yaml',
              range: { start: { line: 13, character: 18 }, end: { line: 13, character: 32 } },
            },
            message: 'Where stack Network uses it',
          },
        ],
      ],
    ]);
    expect(reads).toEqual(['file:///app/main.yaml ./network.yaml']);
    // Same parent version, same signature: the cached analysis (the child is not read again).
    service.diagnostics(parent, settings);
    expect(reads).toHaveLength(1);

    // The fix edits the parent's value (the child's own fixes would edit another file); suppressing is on
    // the parent's Stack resource.
    const actions = service.codeActions(parent, first[0]!.range, { diagnostics: first }, settings);
    expect(actions.map((a) => a.title)).toEqual([
      'Pass a new parameter AdminCidr instead of 0.0.0.0/0 (changes behaviour)',
      'Suppress ssh-open-to-internet for Network (with a reason)',
      'Show documentation for ssh-open-to-internet',
    ]);
    expect(JSON.stringify(actions[0]!.edit)).not.toContain('network.yaml');
    expect(JSON.stringify(actions[0]!.edit)).toContain('file:///app/main.yaml');

    // The child changes (the provider's signature says so): the parent is analysed again.
    text = child(3389);
    stamp = 2;
    expect(service.diagnostics(parent, settings).map((d) => d.code)).toEqual(['rdp-open-to-internet']);
    expect(reads).toHaveLength(2);
  });
});

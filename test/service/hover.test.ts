// Hover that reads well (issue 15, item 6): the finding in one line only where the editor does
// not already show it, the evidence, why and how to fix in a few lines, and a link to the docs.

import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { defaultSettings } from '../../server/src/engine/settings';
import { IacService, SHOW_DOCS_COMMAND, docsUrl } from '../../server/src/service/service';

const TEXT = `AWSTemplateFormatVersion: "2010-09-09"
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
`;
const settings = defaultSettings();
const at = { line: 14, character: 20 };
const doc = () => TextDocument.create('file:///t.yaml', 'yaml', 1, TEXT);
const MESSAGE =
  'SSH (TCP port 22) is open to the internet: 0.0.0.0/0 (the default of Cidr). Allow SSH only from known ranges, or use Session Manager or a bastion.';

function hoverText(service: IacService): string {
  return (service.hover(doc(), at, settings)!.contents as { value: string }).value;
}

describe('hover on a finding', () => {
  it('in VS Code: no repeated message; evidence, why, fix, link; a few lines', () => {
    const service = new IacService();
    service.clientCommands = new Set([SHOW_DOCS_COMMAND]);
    expect(service.diagnostics(doc(), settings)[0]!.message).toBe(MESSAGE);
    const text = hoverText(service);
    expect(text).toBe(
      [
        '**ssh-open-to-internet** (error)',
        '- Default of Cidr',
        "**Why:** SSH open to the world is scanned and brute-forced within minutes of an address going live. A leaked key, a weak password or an unpatched daemon then gives a shell on the instance and its role's credentials.",
        '**Fix:** Allow SSH only from known ranges, or use Session Manager or a bastion.',
        '[Rule documentation](command:iacNetsec.showRuleDocs?%5B%22ssh-open-to-internet%22%5D)',
      ].join('\n\n'),
    );
    expect(text.split('\n').length).toBeLessThan(12);
  });

  it('elsewhere: the message first', () => {
    const text = hoverText(new IacService());
    expect(text.split('\n\n')[0]).toBe(`**ssh-open-to-internet** (error): ${MESSAGE}`);
    expect(text).toContain(`[Rule documentation](${docsUrl('ssh-open-to-internet')})`);
    expect(text).not.toContain('## ');
  });
});

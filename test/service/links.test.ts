// Rule links that work offline (issue 15, item 4).

import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { defaultSettings } from '../../server/src/engine/settings';
import { IacService, SHOW_DOCS_COMMAND, docsUrl } from '../../server/src/service/service';
import pkg from '../../package.json';

const TEXT = `Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: x
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0
`;
const settings = defaultSettings();
const doc = () => TextDocument.create('file:///t.yaml', 'yaml', 1, TEXT);

describe('rule links', () => {
  it('in VS Code (the client shows the bundled docs): a command link, in the diagnostic and the hover', () => {
    const service = new IacService();
    service.clientCommands = new Set([SHOW_DOCS_COMMAND]);
    const [d] = service.diagnostics(doc(), settings);
    const href = d!.codeDescription!.href;
    expect(href.startsWith('command:iacNetsec.showRuleDocs?')).toBe(true);
    expect(JSON.parse(decodeURIComponent(href.slice(href.indexOf('?') + 1)))).toEqual([
      'ssh-open-to-internet',
    ]);
    const hover = service.hover(doc(), d!.range.start, settings)!;
    expect((hover.contents as { value: string }).value).toContain(`[Rule documentation](${href})`);
  });

  it('elsewhere: the public page, derived from the repository package.json declares', () => {
    const service = new IacService();
    const [d] = service.diagnostics(doc(), settings);
    const repo = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
    expect(d!.codeDescription!.href).toBe(`${repo}/blob/main/server/src/rules/ssh-open-to-internet/rule.md`);
    expect(docsUrl('ssh-open-to-internet')).toBe(d!.codeDescription!.href);
  });
});

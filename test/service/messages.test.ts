// Messages a person understands (issue 15, item 8).

import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { defaultSettings } from '../../server/src/engine/settings';
import { IacService } from '../../server/src/service/service';

const sg = (cidrKey: string, cidr: string, port: number) => `Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: x
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: ${port}
          ToPort: ${port}
          ${cidrKey}: ${cidr}
`;

function messages(text: string): string[] {
  return new IacService()
    .diagnostics(TextDocument.create('file:///t.yaml', 'yaml', 1, text), defaultSettings())
    .map((d) => `${String(d.code)}: ${d.message}`);
}

describe('a /0 range not written 0.0.0.0/0 is the whole internet, and the message says so', () => {
  it('192.168.1.0/0 on SSH', () => {
    expect(messages(sg('CidrIp', '192.168.1.0/0', 22))).toEqual([
      'ssh-open-to-internet: SSH (TCP port 22) is open to the internet: 192.168.1.0/0 (a /0 range: every address). Allow SSH only from known ranges, or use Session Manager or a bastion.',
    ]);
  });
  it('2001:db8::/0 (IPv6) on PostgreSQL', () => {
    expect(messages(sg('CidrIpv6', '2001:db8::/0', 5432))).toEqual([
      "sensitive-port-open-to-internet: PostgreSQL (TCP 5432) is open to the internet: 2001:db8::/0 (a /0 range: every address). Allow it only from the clients' security group (SourceSecurityGroupId) or known ranges.",
    ]);
  });
  it('0.0.0.0/0 and ::/0 need no explanation', () => {
    expect(messages(sg('CidrIp', '0.0.0.0/0', 22))[0]).toContain('open to the internet: 0.0.0.0/0. Allow');
    expect(messages(sg('CidrIpv6', '::/0', 22))[0]).toContain('open to the internet: ::/0. Allow');
  });
});

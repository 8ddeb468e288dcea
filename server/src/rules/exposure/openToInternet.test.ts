// internetSources and exposedServices remember their answers (several rules ask for the same
// security-group rule and port range on every keystroke): an answer is reused only for the same
// rule, peers and settings.

import { describe, expect, it } from 'vitest';
import { defaultSettings, type Settings } from '../../engine/settings';
import { Facts } from '../../facts';
import { securityGroupRules, type PortRange } from '../../facts/securityGroups';
import { loadDocument } from '../../model/load';
import { exposedServices, internetSources, peersOf } from './openToInternet';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: halves of the internet
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 3306
          ToPort: 3306
          CidrIp: 0.0.0.0/1
        - IpProtocol: tcp
          FromPort: 3306
          ToPort: 3306
          CidrIp: 128.0.0.0/1
`;

function rulesOf(text: string) {
  const doc = loadDocument('file:///template.yaml', text)!;
  return securityGroupRules(new Facts(doc));
}

describe('internetSources', () => {
  it('answers again for other settings or other peers, and the same for the same ones', () => {
    const rules = rulesOf(TEMPLATE);
    const first = rules[0]!;
    const defaults = defaultSettings();
    const trusting: Settings = { ...defaultSettings(), trustedCidrs: ['0.0.0.0/1'] };
    const open = internetSources(first, peersOf(first, rules), defaults);
    expect(open.map((o) => [o.cidr.text, o.together?.map((c) => c.text)])).toEqual([
      ['0.0.0.0/1', ['128.0.0.0/1']],
    ]);
    // Without the sibling rule, one half is not the internet.
    expect(internetSources(first, [first], defaults)).toEqual([]);
    // A trusted half is no longer part of a union that covers the internet.
    expect(internetSources(first, peersOf(first, rules), trusting)).toEqual([]);
    // Back to the first question: the first answer again, not the last one given.
    expect(internetSources(first, peersOf(first, rules), defaults)).toEqual(open);
  });
});

describe('exposedServices', () => {
  const mysql: PortRange = { protocol: 'tcp', from: 3306, to: 3306, via: [] };

  it('answers from the catalogue of the settings given, with or without SSH and RDP', () => {
    const defaults = defaultSettings();
    const none: Settings = { ...defaultSettings(), sensitivePorts: [] };
    expect(exposedServices(mysql, defaults).map((s) => s.name)).toEqual(['MySQL']);
    expect(exposedServices(mysql, none)).toEqual([]);
    expect(exposedServices({ ...mysql, protocol: 'udp' }, defaults)).toEqual([]);
    expect(exposedServices({ protocol: 'tcp', from: 20, to: 3306, via: [] }, none, { admin: true })).toEqual([
      { name: 'SSH', protocol: 'tcp', from: 22, to: 22, admin: true },
    ]);
    expect(exposedServices({ protocol: 'tcp', from: 20, to: 3306, via: [] }, none)).toEqual([]);
    // Another range object with the same ports gets the same answer.
    expect(exposedServices({ ...mysql }, defaults)).toBe(exposedServices(mysql, defaults));
  });
});

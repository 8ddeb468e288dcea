// Real web tiers (an internet-facing ALB on 80/443, instances reachable only from the ALB's
// security group, SSH only from a bastion, a database only from the instances, a stateless
// NACL with the ephemeral reply range) must produce no error or warning from the exposure
// rules (RULES.md section 1).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../engine/settings';
import { run } from '../../testing/ruleTester';
import { allPortsOpenToInternet } from '../all-ports-open-to-internet/rule';
import { defaultSecurityGroupHasRules } from '../default-security-group-has-rules/rule';
import { egressOpenToInternet } from '../egress-open-to-internet/rule';
import { eksEndpointOpenToInternet } from '../eks-endpoint-open-to-internet/rule';
import { naclDuplicateRuleNumber } from '../nacl-duplicate-rule-number/rule';
import { naclOpenToInternet } from '../nacl-open-to-internet/rule';
import { portOpenToInternet } from '../port-open-to-internet/rule';
import { rdpOpenToInternet } from '../rdp-open-to-internet/rule';
import { sensitivePortOpenToInternet } from '../sensitive-port-open-to-internet/rule';
import { sshOpenToInternet } from '../ssh-open-to-internet/rule';
import { widePublicCidr } from '../wide-public-cidr/rule';

const EXPOSURE_RULES = [
  sshOpenToInternet,
  rdpOpenToInternet,
  allPortsOpenToInternet,
  sensitivePortOpenToInternet,
  portOpenToInternet,
  widePublicCidr,
  egressOpenToInternet,
  defaultSecurityGroupHasRules,
  naclOpenToInternet,
  naclDuplicateRuleNumber,
  eksEndpointOpenToInternet,
];

const FIXTURES = path.join(__dirname, '../../../../test-fixtures');

const cases = [
  {
    file: 'cfn-yaml/web-server.yaml',
    broken: [
      'FromPort: 443\n          ToPort: 443\n          CidrIp: 0.0.0.0/0',
      'FromPort: 22\n          ToPort: 22\n          CidrIp: 0.0.0.0/0',
    ],
  },
  {
    file: 'terraform-json/web-server.tf.json',
    broken: [
      '"from_port": 443, "to_port": 443, "cidr_blocks"',
      '"from_port": 22, "to_port": 22, "cidr_blocks"',
    ],
  },
] as const;

describe('web tiers are clean for the exposure rules', () => {
  for (const c of cases) {
    const code = readFileSync(path.join(FIXTURES, c.file), 'utf8');
    it(`${c.file}: no error or warning, and no information either`, () => {
      const findings = run({ file: c.file, code }, EXPOSURE_RULES, defaultSettings());
      const describe = (f: (typeof findings)[number]) => `${f.ruleId} ${f.severity}: ${f.message}`;
      expect(
        findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map(describe),
      ).toEqual([]);
      expect(findings.map(describe)).toEqual([]);
    });
    it(`${c.file}: the same tier with SSH open on the load balancer is reported (the rules did run)`, () => {
      const broken = code.replace(c.broken[0], c.broken[1]);
      expect(broken).not.toBe(code);
      const findings = run({ file: c.file, code: broken }, EXPOSURE_RULES, defaultSettings());
      expect(findings.filter((f) => f.severity === 'error').map((f) => f.ruleId)).toContain(
        'ssh-open-to-internet',
      );
    });
  }
});

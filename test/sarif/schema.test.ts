// Every SARIF the CLI writes for the fixtures (and for suppressed findings, syntax errors,
// invalid suppressions and absolute paths) validates against the official SARIF 2.1.0 JSON
// schema (shipped in @microsoft/jest-sarif; draft-04, hence ajv-draft-04), and carries what
// GitHub code scanning uses to rank and show results.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import Ajv from 'ajv-draft-04';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_RULES } from '../../server/src/rules';
import { CLI, ensureBuilt, ROOT } from '../protocol/support';

const SCHEMA = path.join(ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

const parses = (text: string, base?: string): boolean => {
  try {
    new URL(text, base);
    return true;
  } catch {
    return false;
  }
};
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
// The formats the schema uses (ajv-formats is not needed for these three).
ajv.addFormat('uri', (text: string) => parses(text));
ajv.addFormat('uri-reference', (text: string) => parses(text, 'file:///base/'));
ajv.addFormat(
  'date-time',
  (text: string) => /^\d{4}-\d\d-\d\dT/.test(text) && !Number.isNaN(Date.parse(text)),
);
const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')) as object);

function sarif(cwd: string, ...args: string[]): Log {
  const result = spawnSync(process.execPath, [CLI, 'check', '--format', 'sarif', ...args], {
    cwd,
    encoding: 'utf8',
  });
  expect(result.stderr).toBe('');
  expect([0, 1]).toContain(result.status);
  return JSON.parse(result.stdout) as Log;
}

function errors(log: unknown): string[] {
  return validate(log)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`.trim());
}

const SUPPRESSED_AND_BROKEN = {
  'suppressed.yaml': `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  BastionSg:
    Type: AWS::EC2::SecurityGroup
    Metadata:
      iac-netsec:
        ignore:
          - rule: ssh-open-to-internet
            reason: bastion, reviewed in SEC-42
          - rule: no-such-rule
            reason: typo
    Properties:
      GroupDescription: bastion
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0
`,
  'broken.yaml': `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: "unclosed
`,
  'dir with space/é.tf.json': JSON.stringify({
    resource: {
      aws_security_group: {
        web: { ingress: [{ from_port: 3389, to_port: 3389, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] }] },
      },
    },
  }),
};

let fixtureLog: Log | undefined;
/** The SARIF of test-fixtures/, written once. */
function fixtures(): Log {
  fixtureLog ??= sarif(ROOT, 'test-fixtures');
  return fixtureLog;
}

let tmp: string;
beforeAll(() => {
  ensureBuilt();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'iac-netsec-sarif-'));
  for (const [name, text] of Object.entries(SUPPRESSED_AND_BROKEN)) {
    mkdirSync(path.dirname(path.join(tmp, name)), { recursive: true });
    writeFileSync(path.join(tmp, name), text);
  }
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('SARIF output against the SARIF 2.1.0 schema', () => {
  it('the validator rejects a log that breaks the schema (negative control)', () => {
    expect(errors({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toContain(
      "/runs/0/tool/driver must have required property 'name'",
    );
    expect(
      errors({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x', informationUri: 'no uri' } } }] }),
    ).toEqual(['/runs/0/tool/driver/informationUri must match format "uri"']);
  });

  it('validates the output of every fixture, with results for each format', () => {
    const log = fixtures();
    expect(errors(log)).toEqual([]);
    const uris = new Set(
      log.runs[0]!.results!.map(
        (r) => r.locations![0]!.physicalLocation!.artifactLocation!.uri!.split('/')[1],
      ),
    );
    // Every fixture folder (one per format) has findings.
    expect([...uris].sort()).toEqual(readdirSync(path.join(ROOT, 'test-fixtures')).sort());
  });

  it('validates suppressed findings, invalid suppressions, syntax errors and encoded paths', () => {
    const log = sarif(tmp, '.');
    expect(errors(log)).toEqual([]);
    const results = log.runs[0]!.results!;
    const byRule = (id: string) => results.filter((r) => r.ruleId === id);
    expect(byRule('ssh-open-to-internet')[0]!.suppressions).toEqual([
      { kind: 'inSource', justification: 'bastion, reviewed in SEC-42' },
    ]);
    expect(byRule('suppression-invalid')).toHaveLength(1);
    expect(byRule('syntax-error').length).toBeGreaterThan(0);
    expect(byRule('rdp-open-to-internet')[0]!.locations![0]!.physicalLocation!.artifactLocation).toEqual({
      uri: 'dir%20with%20space/%C3%A9.tf.json',
      uriBaseId: '%SRCROOT%',
    });
  });

  it('validates with absolute paths on the command line', () => {
    const log = sarif(ROOT, path.join(tmp, 'suppressed.yaml'));
    expect(errors(log)).toEqual([]);
    const uri = log.runs[0]!.results![0]!.locations![0]!.physicalLocation!.artifactLocation!.uri!;
    expect(uri).toBe(`file://${tmp}/suppressed.yaml`);
  });
});

describe('what GitHub code scanning reads', () => {
  let log: Log;
  let rules: ReportingDescriptor[];
  let results: Result[];
  beforeAll(() => {
    log = fixtures();
    rules = log.runs[0]!.tool.driver.rules!;
    results = log.runs[0]!.results!;
  });

  it('describes every rule with help, a help URI, tags and a security severity', () => {
    for (const rule of ALL_RULES) {
      const descriptor = rules.find((r) => r.id === rule.meta.id)!;
      expect(descriptor.helpUri).toMatch(new RegExp(`^https://.*/${rule.meta.id}/rule\\.md$`));
      expect(descriptor.help!.markdown).toBe(rule.docs);
      expect(descriptor.help!.text).toBe(rule.docs);
      const tags = descriptor.properties!.tags!;
      expect(tags.slice(0, 2)).toEqual(['security', 'network']);
      for (const cwe of rule.meta.references.cwe ?? [])
        expect(tags).toContain(`external/cwe/${cwe.toLowerCase()}`);
      expect(descriptor.properties!['security-severity']).toMatch(/^\d+\.\d$/);
      expect(descriptor.properties!.precision).toBe('high');
    }
    const { homepage } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      homepage: string;
    };
    expect(log.runs[0]!.tool.driver.informationUri).toBe(homepage);
    const ssh = rules.find((r) => r.id === 'ssh-open-to-internet')!;
    expect(ssh.properties).toMatchObject({
      'security-severity': '8.0',
      tags: expect.arrayContaining(['external/cwe/cwe-284']),
    });
  });

  it('gives every result a stable fingerprint and a rule index that names its rule', () => {
    for (const r of results) {
      expect(rules[r.ruleIndex!]!.id).toBe(r.ruleId);
      expect(r.partialFingerprints!['iacNetsecFingerprint/v1']).toMatch(/^[0-9a-f]{32}/);
    }
    const again = sarif(path.join(ROOT, 'test-fixtures'), '.').runs[0]!.results!;
    expect(again.map((r) => r.partialFingerprints)).toEqual(results.map((r) => r.partialFingerprints));
  });
});

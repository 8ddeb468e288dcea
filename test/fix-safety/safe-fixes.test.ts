// What "safe" means (ARCHITECTURE.md, Fix safety): a safe fix needs no new input from the user
// and adds nothing that is billed or changes who can connect. Safe fixes are applied on save and
// by Fix all, so a safe fix that adds a parameter without a default (stack updates and
// `terraform plan` fail until someone supplies it) or a billed resource is a bug.
//
// This walks every safe fix of every finding on every fixture, and each fixture's Fix all edit,
// and fails if the result declares a new parameter / variable without a default or a new resource
// of a billed or connectivity-changing type.

import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { defaultSettings } from '../../server/src/engine/settings';
import { recipeToEdits } from '../../server/src/fixes/edits';
import type { TemplateDocument } from '../../server/src/model/document';
import { loadDocument } from '../../server/src/model/load';
import { get, scalarString } from '../../server/src/parse/tree';
import { IacService } from '../../server/src/service/service';
import { fixtures, languageIdOf } from '../robustness/support';

const settings = defaultSettings();

/** Resource types that cost money as soon as they exist (or per GB they carry). */
const BILLED = new Set([
  'AWS::EC2::FlowLog',
  'aws_flow_log',
  'AWS::Logs::LogGroup',
  'aws_cloudwatch_log_group',
  'AWS::EC2::NatGateway',
  'aws_nat_gateway',
  'AWS::EC2::EIP',
  'aws_eip',
  'AWS::KMS::Key',
  'aws_kms_key',
  'AWS::S3::Bucket',
  'aws_s3_bucket',
  'AWS::EC2::Instance',
  'aws_instance',
  'AWS::ElasticLoadBalancingV2::LoadBalancer',
  'aws_lb',
  'aws_alb',
  'AWS::NetworkFirewall::Firewall',
  'aws_networkfirewall_firewall',
  'AWS::WAFv2::WebACL',
  'aws_wafv2_web_acl',
  'AWS::CloudTrail::Trail',
  'aws_cloudtrail',
  'AWS::KinesisFirehose::DeliveryStream',
  'aws_kinesis_firehose_delivery_stream',
]);

/**
 * Resource types that change who can connect to what: endpoints reroute traffic and carry a policy
 * (interface endpoints are billed too), security group rules and routes open paths.
 */
const CONNECTIVITY = new Set([
  'AWS::EC2::VPCEndpoint',
  'aws_vpc_endpoint',
  'aws_vpc_endpoint_route_table_association',
  'AWS::EC2::SecurityGroup',
  'aws_security_group',
  'AWS::EC2::SecurityGroupIngress',
  'aws_security_group_rule',
  'aws_vpc_security_group_ingress_rule',
  'AWS::EC2::Route',
  'aws_route',
  'AWS::EC2::InternetGateway',
  'aws_internet_gateway',
]);

/** What a fixed document adds that a safe fix must not: the problems, one line each. */
export function unsafeAdditions(before: TemplateDocument, after: TemplateDocument): string[] {
  const out: string[] = [];
  for (const [name, p] of after.parameters) {
    if (before.parameters.has(name)) continue;
    const declared =
      p.default !== undefined ||
      (p.node.kind === 'map' && (get(p.node, 'Default') ?? get(p.node, 'default')) !== undefined);
    if (!declared) out.push(`new parameter/variable ${name} without a default (the user must supply it)`);
  }
  for (const r of after.resources) {
    if (before.resourcesById.has(r.id)) continue;
    if (BILLED.has(r.type)) out.push(`new billed resource ${r.id} (${r.type})`);
    else if (CONNECTIVITY.has(r.type)) out.push(`new resource ${r.id} (${r.type}) changes who can connect`);
  }
  return out;
}

function fixed(
  doc: TemplateDocument,
  text: string,
  edits: { start: number; end: number; newText: string }[],
) {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start))
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return loadDocument(doc.uri, out, { languageId: languageIdOf(doc.uri.replace('file:///fixtures/', '')) });
}

let walked = 0;

describe('safe fixes need no input and add nothing billed or connecting', () => {
  for (const [file, text] of fixtures()) {
    it(file, () => {
      const uri = `file:///fixtures/${file}`;
      const languageId = languageIdOf(file);
      const service = new IacService();
      const document = TextDocument.create(uri, languageId, 1, text);
      const analysis = service.analysis(document, settings);
      if (!analysis) return;
      const problems: string[] = [];
      for (const finding of analysis.findings) {
        for (const recipe of finding.fixes) {
          if (recipe.safety !== 'safe') continue;
          walked++;
          const after = fixed(analysis.doc, text, recipeToEdits(analysis.doc, recipe));
          if (!after) continue;
          for (const p of unsafeAdditions(analysis.doc, after))
            problems.push(`${finding.ruleId}: "${recipe.title}" is marked safe but adds a ${p}`);
        }
      }
      // Fix all (and fix-on-save) applies exactly what is safe: check the combined edit too.
      const all = service.fixAllEdits(document, settings).map((e) => ({
        start: document.offsetAt(e.range.start),
        end: document.offsetAt(e.range.end),
        newText: e.newText,
      }));
      const afterAll = fixed(analysis.doc, text, all);
      if (afterAll)
        for (const p of unsafeAdditions(analysis.doc, afterAll)) problems.push(`Fix all adds a ${p}`);
      expect(problems).toEqual([]);
    });
  }
  it('walked the safe fixes (the fixtures have some)', () => {
    expect(walked).toBeGreaterThan(20);
  });
});

describe('the check itself', () => {
  it('catches the flow-log fix, which adds a parameter without default and a billed resource', () => {
    const text = [
      'Resources:',
      '  Vpc:',
      '    Type: AWS::EC2::VPC',
      '    Properties:',
      '      CidrBlock: 10.0.0.0/16',
      '',
    ].join('\n');
    const document = TextDocument.create('file:///fixtures/vpc.yaml', 'yaml', 1, text);
    const analysis = new IacService().analysis(document, settings)!;
    const finding = analysis.findings.find((f) => f.ruleId === 'vpc-flow-logs-missing')!;
    expect(finding.fixes.map((f) => f.safety)).toEqual(['unsafe']);
    const after = fixed(analysis.doc, text, recipeToEdits(analysis.doc, finding.fixes[0]!))!;
    expect(unsafeAdditions(analysis.doc, after)).toEqual([
      'new parameter/variable FlowLogDestinationArn without a default (the user must supply it)',
      'new billed resource VpcFlowLog (AWS::EC2::FlowLog)',
    ]);
    expect(scalarString(get(after.resourcesById.get('VpcFlowLog')!.properties, 'TrafficType'))).toBe('ALL');
  });
});

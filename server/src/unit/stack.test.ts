// Nested stacks (unit/stack.ts): a child template's parameters take what the parent passes, and a
// finding in the child that rests on a passed value is reported on the parent's value.

import { describe, expect, it } from 'vitest';
import type { Finding } from '../engine/finding';
import { recipeToEdits } from '../fixes/edits';
import type { FixRecipe } from '../fixes/recipe';
import type { TemplateDocument } from '../model/document';
import { defaultSettings } from '../engine/settings';
import { loadDocument } from '../model/load';
import { lines } from '../testing/ruleTester';
import { locate } from '../model/document';
import { get, items, scalarString } from '../parse/tree';
import { resolve } from '../resolve/values';
import {
  analyzeInStack,
  bindParameters,
  isLocalTemplatePath,
  nestedStacks,
  StackReader,
  type StackTemplate,
} from './stack';

const DIR = 'file:///work/app';

const CHILD = lines(
  'AWSTemplateFormatVersion: "2010-09-09"',
  'Parameters:',
  '  AdminCidr:',
  '    Type: String',
  '    Default: 0.0.0.0/0',
  '  VpcId:',
  '    Type: AWS::EC2::VPC::Id',
  'Resources:',
  '  AdminSg:',
  '    Type: AWS::EC2::SecurityGroup',
  '    Properties:',
  '      GroupDescription: admin',
  '      VpcId: !Ref VpcId',
  '      SecurityGroupIngress:',
  '        - IpProtocol: tcp',
  '          FromPort: 22',
  '          ToPort: 22',
  '          CidrIp: !Ref AdminCidr',
);

/** The parameter the "Pass a new parameter" fix adds (before Resources:). */
const NEW_PARAMETER = lines(
  '  AdminCidr:',
  '    Type: String',
  "    Description: 'CIDR range passed to stack Network as AdminCidr; choose a narrow range, never 0.0.0.0/0.'",
  'Resources:',
).trimEnd();

function parentWith(value: string, extra: string[] = []): string {
  return lines(
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Parameters:',
    '  OfficeCidr:',
    '    Type: String',
    '    Default: 0.0.0.0/0',
    ...extra,
    'Resources:',
    '  Network:',
    '    Type: AWS::CloudFormation::Stack',
    '    Properties:',
    '      TemplateURL: ./network.yaml',
    '      Parameters:',
    `        AdminCidr: ${value}`,
    '        VpcId: vpc-123',
  );
}

interface Checked {
  doc: TemplateDocument;
  findings: Finding[];
  text: string;
  reads: string[];
  related: (f: Finding) => string[];
}

function check(
  parent: string,
  files: Record<string, string> = { 'network.yaml': CHILD },
  name = 'main.yaml',
): Checked {
  const uri = `${DIR}/${name}`;
  const doc = loadDocument(uri, parent)!;
  const reads: string[] = [];
  const read = (from: string, path: string): StackTemplate | undefined => {
    reads.push(path);
    const target = new URL(path, from).href;
    const text = files[target.slice(DIR.length + 1)];
    return text === undefined ? undefined : { uri: target, text };
  };
  const analysis = analyzeInStack(doc, defaultSettings(), read, new StackReader());
  return {
    doc,
    findings: analysis.findings,
    text: parent,
    reads,
    related: (f) =>
      f.related.map((r) => {
        const at = locate(doc, r.span);
        const text = at.uri === uri ? parent : files[at.uri.slice(DIR.length + 1)]!;
        const line = at.lines.positionAt(at.start).line + 1;
        return `${at.uri.slice(DIR.length + 1)}:${line} ${JSON.stringify(text.slice(at.start, at.end))} ${r.message}`;
      }),
  };
}

function fixed(c: Checked, fix: FixRecipe): string {
  let out = c.text;
  for (const e of recipeToEdits(c.doc, fix).sort((a, b) => b.start - a.start))
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

function on(
  c: Checked,
  ruleId: string,
): {
  text: string;
  line: number;
  message: string;
  fixes: { title: string; safety: string; output: string }[];
  related: string[];
}[] {
  return c.findings
    .filter((f) => f.ruleId === ruleId)
    .map((f) => ({
      text: c.text.slice(f.start, f.end),
      line: c.text.slice(0, f.start).split('\n').length,
      message: f.message,
      fixes: f.fixes.map((fix) => ({ title: fix.title, safety: fix.safety, output: fixed(c, fix) })),
      related: c.related(f),
    }));
}

describe('nested stacks', () => {
  it('reports a child finding that rests on a passed value on the parent value, with the child element as related information', () => {
    const c = check(parentWith('0.0.0.0/0'));
    expect(on(c, 'ssh-open-to-internet')).toEqual([
      {
        text: '0.0.0.0/0',
        line: 12,
        message:
          'In nested stack Network: SSH (TCP port 22) can be open to the internet: 0.0.0.0/0 (the value passed to stack Network as AdminCidr). Allow SSH only from known ranges, or use Session Manager or a bastion.',
        fixes: [
          {
            title: 'Pass a new parameter AdminCidr instead of 0.0.0.0/0',
            safety: 'unsafe',
            output: parentWith('!Ref AdminCidr').replace('Resources:', NEW_PARAMETER),
          },
        ],
        related: ['network.yaml:18 "!Ref AdminCidr" Where stack Network uses it'],
      },
    ]);
    expect(c.reads).toEqual(['./network.yaml']);
  });

  it('does not use the child default where the parent passes a private range', () => {
    const c = check(parentWith('10.20.0.0/16'));
    expect(c.findings.map((f) => f.ruleId)).toEqual([]);
    // The child's AdminCidr takes the passed value only (its default 0.0.0.0/0 is not a possibility).
    const parent = loadDocument(`${DIR}/main.yaml`, parentWith('10.20.0.0/16'))!;
    const child = loadDocument(`${DIR}/network.yaml`, CHILD)!;
    bindParameters(parent, child, nestedStacks(parent)[0]!);
    const ref = get(
      get(items(get(child.resourcesById.get('AdminSg')!.properties, 'SecurityGroupIngress'))[0], 'CidrIp'),
      'Ref',
    );
    expect(resolve(child, child.parameters.get('AdminCidr')!.input!.node).map((p) => p.value)).toEqual([
      '10.20.0.0/16',
    ]);
    expect(scalarString(ref)).toBe('AdminCidr');
    expect(
      resolve(child, {
        kind: 'map',
        style: 'flow',
        start: 0,
        end: 0,
        entries: [
          {
            key: { kind: 'scalar', value: 'Ref', style: 'plain', start: 0, end: 0 },
            value: ref!,
            start: 0,
            end: 0,
          },
        ],
      }).map((p) => p.value),
    ).toEqual(['10.20.0.0/16']);
  });

  it('follows a !Ref to the parent parameter and points at its default', () => {
    const c = check(parentWith('!Ref OfficeCidr'));
    expect(on(c, 'ssh-open-to-internet')).toEqual([
      {
        text: '!Ref OfficeCidr',
        line: 12,
        message:
          'In nested stack Network: SSH (TCP port 22) can be open to the internet: 0.0.0.0/0 (the value passed to stack Network as AdminCidr, the default of OfficeCidr). Allow SSH only from known ranges, or use Session Manager or a bastion.',
        fixes: [
          {
            title: 'Remove the open default of OfficeCidr (deployers must choose the allowed range)',
            safety: 'unsafe',
            output: parentWith('!Ref OfficeCidr').replace('    Default: 0.0.0.0/0\n', ''),
          },
        ],
        related: [
          'network.yaml:18 "!Ref AdminCidr" Where stack Network uses it',
          'main.yaml:5 "0.0.0.0/0" Default of OfficeCidr',
        ],
      },
    ]);
  });

  it('reads the parent value through Fn::Sub and Fn::If branches of the parent', () => {
    const c = check(
      parentWith('!If [IsProd, 10.0.0.0/8, !Sub "${OfficeCidr}"]', [
        'Conditions:',
        '  IsProd: !Equals [!Ref AWS::Region, eu-west-1]',
      ]),
    );
    expect(on(c, 'ssh-open-to-internet').map((f) => [f.text, f.line, f.related, f.fixes])).toEqual([
      [
        '!If [IsProd, 10.0.0.0/8, !Sub "${OfficeCidr}"]',
        14,
        [
          'network.yaml:18 "!Ref AdminCidr" Where stack Network uses it',
          'main.yaml:14 "!Sub \\"${OfficeCidr}\\"" Value when condition IsProd is false',
          'main.yaml:5 "0.0.0.0/0" Default of OfficeCidr',
        ],
        // Rests on a condition branch of the parent: no fix (as in one template).
        [],
      ],
    ]);
  });

  it('splits what is passed to a list parameter at its commas', () => {
    const child = lines(
      'Parameters:',
      '  AdminCidrs:',
      '    Type: CommaDelimitedList',
      '    Default: 10.0.0.0/8',
      'Resources:',
      '  AdminSg:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties:',
      '      GroupDescription: admin',
      '      SecurityGroupIngress:',
      '        - IpProtocol: tcp',
      '          FromPort: 22',
      '          ToPort: 22',
      '          CidrIp: !Select [1, !Ref AdminCidrs]',
    );
    const parent = parentWith('"10.0.0.0/8, 0.0.0.0/0"').replace('AdminCidr:', 'AdminCidrs:');
    expect(
      on(check(parent, { 'network.yaml': child }), 'ssh-open-to-internet').map((f) => [f.text, f.line]),
    ).toEqual([['"10.0.0.0/8, 0.0.0.0/0"', 12]]);
    const joined = parentWith('!Join [",", [10.0.0.0/8, !Ref OfficeCidr]]').replace(
      'AdminCidr:',
      'AdminCidrs:',
    );
    expect(
      on(check(joined, { 'network.yaml': child }), 'ssh-open-to-internet').map((f) => [f.text, f.line]),
    ).toEqual([['!Join [",", [10.0.0.0/8, !Ref OfficeCidr]]', 12]]);
    const first = parentWith('"0.0.0.0/0,10.0.0.0/8"').replace('AdminCidr:', 'AdminCidrs:');
    expect(on(check(first, { 'network.yaml': child }), 'ssh-open-to-internet')).toEqual([]);
  });

  it('reads Fn::Sub with its own variables; a Fn::Sub that is not a template is unknown', () => {
    const c = check(parentWith('!Sub ["${Base}/0", {Base: 0.0.0.0}]'));
    expect(on(c, 'ssh-open-to-internet').map((f) => [f.text, f.line, f.fixes])).toEqual([
      ['!Sub ["${Base}/0", {Base: 0.0.0.0}]', 12, []],
    ]);
    expect(on(check(parentWith('!Sub [[0.0.0.0/0]]')), 'ssh-open-to-internet')).toEqual([]);
    expect(on(check(parentWith('!Sub {Ref: OfficeCidr}')), 'ssh-open-to-internet')).toEqual([]);
  });

  it('re-uses the child findings when the parent changes elsewhere, at the new offsets', () => {
    const reader = new StackReader();
    let ruleLookups = 0;
    const rules = new Proxy(defaultSettings().rules, {
      get: (target, key) => {
        ruleLookups++;
        return Reflect.get(target, key) as unknown;
      },
    });
    const settings = { ...defaultSettings(), rules };
    const run = (text: string): { lookups: number; found: string[] } => {
      ruleLookups = 0;
      const doc = loadDocument(`${DIR}/main.yaml`, text)!;
      const findings = analyzeInStack(
        doc,
        settings,
        () => ({ uri: `${DIR}/network.yaml`, text: CHILD }),
        reader,
      ).findings;
      return {
        lookups: ruleLookups,
        found: findings.flatMap((f) => [
          `${f.ruleId} ${JSON.stringify(text.slice(f.start, f.end))}`,
          ...f.related.map((r) => `  ${locate(doc, r.span).uri.slice(DIR.length + 1)} ${r.message}`),
          ...f.related
            .filter((r) => r.span.start < text.length)
            .map((r) => `  ${JSON.stringify(text.slice(r.span.start, r.span.end))}`),
        ]),
      };
    };
    const first = run(parentWith('!Ref OfficeCidr'));
    const shifted = run(
      parentWith('!Ref OfficeCidr').replace('Parameters:', 'Description: moved down\nParameters:'),
    );
    const expected = [
      'ssh-open-to-internet "!Ref OfficeCidr"',
      '  network.yaml Where stack Network uses it',
      '  main.yaml Default of OfficeCidr',
      '  "0.0.0.0/0"',
    ];
    expect(first.found).toEqual(expected);
    expect(shifted.found).toEqual(expected);
    // The child was not analysed again (only the parent's rules looked their settings up).
    expect(shifted.lookups).toBeLessThan(first.lookups);
    // A different value passed: analysed again.
    const changed = run(parentWith('10.0.0.0/8'));
    expect(changed.found).toEqual([]);
    expect(changed.lookups).toBe(first.lookups);
  });

  it('treats !GetAtt and outputs of other stacks as unknown, never a finding', () => {
    for (const value of ['!GetAtt Other.Outputs.Cidr', '!ImportValue shared-cidr', '!Ref SomeResource'])
      expect(on(check(parentWith(value)), 'ssh-open-to-internet')).toEqual([]);
  });

  it('does not read remote or substituted template URLs', () => {
    for (const url of [
      'https://s3.amazonaws.com/bucket/network.yaml',
      's3://bucket/network.yaml',
      '!Sub "https://${Bucket}.s3.amazonaws.com/network.yaml"',
      '/etc/network.yaml',
    ]) {
      const c = check(parentWith('0.0.0.0/0').replace('./network.yaml', url));
      expect(c.reads).toEqual([]);
      expect(on(c, 'ssh-open-to-internet')).toEqual([]);
    }
    expect(isLocalTemplatePath('templates/db.yaml')).toBe(true);
    expect(isLocalTemplatePath('../shared/sg.json')).toBe(true);
    expect(isLocalTemplatePath('C:\\t\\a.yaml')).toBe(false);
  });

  it('stops at a cycle and at the depth limit', () => {
    const loop = (next: string): string =>
      lines(
        'Parameters:',
        '  AdminCidr:',
        '    Type: String',
        'Resources:',
        '  Next:',
        '    Type: AWS::CloudFormation::Stack',
        '    Properties:',
        `      TemplateURL: ./${next}`,
        '      Parameters:',
        '        AdminCidr: !Ref AdminCidr',
      );
    const c = check(
      parentWith('0.0.0.0/0').replace('./network.yaml', './a.yaml').replace('AdminCidr: 0', 'AdminCidr: 0'),
      {
        'a.yaml': loop('b.yaml'),
        'b.yaml': loop('a.yaml'),
      },
    );
    expect(c.reads).toEqual(['./a.yaml', './b.yaml', './a.yaml']);
    const self = check(loop('main.yaml'), { 'main.yaml': loop('main.yaml') });
    expect(self.reads).toEqual(['./main.yaml']);
    const chain: Record<string, string> = {};
    for (let i = 1; i <= 8; i++) chain[`s${i}.yaml`] = loop(`s${i + 1}.yaml`);
    const deep = check(loop('s1.yaml'), chain);
    expect(deep.reads).toEqual(['./s1.yaml', './s2.yaml', './s3.yaml', './s4.yaml']);
  });

  it('follows a grandchild through the child to the parent value', () => {
    const middle = lines(
      'Parameters:',
      '  AdminCidr:',
      '    Type: String',
      '    Default: 10.0.0.0/8',
      'Resources:',
      '  Inner:',
      '    Type: AWS::CloudFormation::Stack',
      '    Properties:',
      '      TemplateURL: inner/network.yaml',
      '      Parameters:',
      '        AdminCidr: !Ref AdminCidr',
      '        VpcId: vpc-1',
    );
    const c = check(parentWith('0.0.0.0/0').replace('./network.yaml', 'middle.yaml'), {
      'middle.yaml': middle,
      'inner/network.yaml': CHILD,
    });
    expect(on(c, 'ssh-open-to-internet')).toEqual([
      {
        text: '0.0.0.0/0',
        line: 12,
        message:
          'In nested stack Network: In nested stack Inner: SSH (TCP port 22) can be open to the internet: 0.0.0.0/0 (the value passed to stack Inner as AdminCidr, the value passed to stack Network as AdminCidr). Allow SSH only from known ranges, or use Session Manager or a bastion.',
        fixes: [
          {
            title: 'Pass a new parameter AdminCidr instead of 0.0.0.0/0',
            safety: 'unsafe',
            output: parentWith('!Ref AdminCidr')
              .replace('./network.yaml', 'middle.yaml')
              .replace('Resources:', NEW_PARAMETER),
          },
        ],
        related: [
          'middle.yaml:11 "!Ref AdminCidr" Where stack Network uses it',
          'inner/network.yaml:18 "!Ref AdminCidr" Where stack Inner uses it',
        ],
      },
    ]);
  });

  it('applies the parent suppressions to what moved onto it', () => {
    const parent = parentWith('0.0.0.0/0').replace(
      '        AdminCidr: 0.0.0.0/0',
      '        # iac-netsec-ignore ssh-open-to-internet: office VPN only, closed at the firewall\n        AdminCidr: 0.0.0.0/0',
    );
    const c = check(parent);
    const ssh = c.findings.filter((f) => f.ruleId === 'ssh-open-to-internet');
    expect(ssh.map((f) => f.suppressed?.reason)).toEqual(['office VPN only, closed at the firewall']);
    expect(c.findings.filter((f) => f.ruleId === 'suppression-unused')).toEqual([]);
  });

  it('says when the stack exists only under a condition', () => {
    const c = check(
      parentWith('0.0.0.0/0', ['Conditions:', '  IsProd: !Equals [!Ref AWS::Region, eu-west-1]']).replace(
        '    Type: AWS::CloudFormation::Stack\n',
        '    Type: AWS::CloudFormation::Stack\n    Condition: IsProd\n',
      ),
    );
    const [ssh] = on(c, 'ssh-open-to-internet');
    expect(ssh?.message).toMatch(/\(only when IsProd is true: Network has Condition IsProd\)\.$/);
    expect(ssh?.related.at(-1)).toBe(
      'main.yaml:11 "IsProd" Network exists only when condition IsProd is true',
    );
  });

  it('reads a JSON parent and a SAM application with a local Location', () => {
    const json = JSON.stringify(
      {
        Resources: {
          Network: {
            Type: 'AWS::CloudFormation::Stack',
            Properties: {
              TemplateURL: 'network.yaml',
              Parameters: { AdminCidr: '0.0.0.0/0', VpcId: 'vpc-1' },
            },
          },
        },
      },
      null,
      2,
    );
    const c = check(json, undefined, 'main.json');
    expect(on(c, 'ssh-open-to-internet').map((f) => [f.text, f.line, f.fixes.map((x) => x.output)])).toEqual([
      [
        '"0.0.0.0/0"',
        8,
        [
          json
            .replace('"AdminCidr": "0.0.0.0/0"', '"AdminCidr": { "Ref": "AdminCidr" }')
            .replace(
              '{\n  "Resources"',
              '{\n  "Parameters": {\n    "AdminCidr": {\n      "Type": "String",\n      "Description": "CIDR range passed to stack Network as AdminCidr; choose a narrow range, never 0.0.0.0/0."\n    }\n  },\n  "Resources"',
            ),
        ],
      ],
    ]);
    const sam = lines(
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  Network:',
      '    Type: AWS::Serverless::Application',
      '    Properties:',
      '      Location: ./network.yaml',
      '      Parameters:',
      '        AdminCidr: 0.0.0.0/0',
    );
    const s = check(sam);
    expect(on(s, 'ssh-open-to-internet').map((f) => [f.text, f.line])).toEqual([['0.0.0.0/0', 8]]);
  });
});

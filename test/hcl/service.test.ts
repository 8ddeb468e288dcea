// HCL (.tf) through the service facade the server and the CLI use: diagnostics with exact
// ranges, quick fixes that edit HCL, suppressions in comments, syntax errors where they are,
// hover, symbols, go-to-definition, and incremental parsing that equals a fresh parse.

import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { defaultSettings } from '../../server/src/engine/settings';
import { IncrementalHclParser, parseHcl } from '../../server/src/parse/hcl';
import type { Node } from '../../server/src/parse/tree';
import { IacService } from '../../server/src/service/service';

const MAIN_TF = `variable "admin_cidr" {
  type    = string
  default = "0.0.0.0/0" # anyone
}

/* the bastion's group */
resource "aws_security_group" "bastion" {
  name = "bastion"

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.admin_cidr]
  }

  ingress {
    from_port   = 3389
    to_port     = 3389
    protocol    = "tcp"
    cidr_blocks = [var.env == "prod" ? "10.0.0.0/8" : "0.0.0.0/0"]
  }
}

resource "aws_instance" "bastion" {
  ami                    = "ami-0abcdef1234567890"
  instance_type          = "t3.micro"
  vpc_security_group_ids = [aws_security_group.bastion.id]
}
`;

const settings = defaultSettings();
const tf = (text: string, version = 1) =>
  TextDocument.create('file:///work/main.tf', 'terraform', version, text);

function text(message: string | { value: string }): string {
  return typeof message === 'string' ? message : message.value;
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

describe('HCL in the service', () => {
  it('reports every Terraform finding on the exact HCL element', () => {
    const service = new IacService();
    const diagnostics = service.diagnostics(tf(MAIN_TF), settings);
    const d = tf(MAIN_TF);
    expect(diagnostics.map((x) => [x.code, x.range.start.line + 1, d.getText(x.range)]).sort()).toEqual([
      ['imdsv1-allowed', 25, '"bastion"'],
      ['rdp-open-to-internet', 21, 'var.env == "prod" ? "10.0.0.0/8" : "0.0.0.0/0"'],
      ['ssh-open-to-internet', 14, 'var.admin_cidr'],
    ]);
    const ssh = diagnostics.find((x) => x.code === 'ssh-open-to-internet')!;
    expect(ssh.message).toContain('the default of admin_cidr');
    expect(ssh.relatedInformation?.map((r) => d.getText(r.location.range))).toContain('"0.0.0.0/0"');
    const rdp = diagnostics.find((x) => x.code === 'rdp-open-to-internet')!;
    expect(rdp.message).toContain('when condition var.env == "prod" is false');
  });

  it('quick fixes write HCL in the file style', () => {
    const service = new IacService();
    const d = tf(MAIN_TF);
    const diagnostics = service.diagnostics(d, settings);
    const imds = diagnostics.find((x) => x.code === 'imdsv1-allowed')!;
    const [fix] = service.codeActions(d, imds.range, { diagnostics: [imds] }, settings);
    expect(fix!.title).toBe('Set http_tokens to required (IMDSv2 only)');
    const fixed = TextDocument.applyEdits(d, fix!.edit!.changes![d.uri]!);
    expect(fixed).toBe(
      MAIN_TF.replace(
        '  vpc_security_group_ids = [aws_security_group.bastion.id]\n}',
        '  vpc_security_group_ids = [aws_security_group.bastion.id]\n  metadata_options {\n    http_tokens = "required"\n  }\n}',
      ),
    );
    const ssh = diagnostics.find((x) => x.code === 'ssh-open-to-internet')!;
    const actions = service.codeActions(d, ssh.range, { diagnostics: [ssh] }, settings);
    const removeDefault = actions.find((a) => a.title.startsWith('Remove the open default of admin_cidr'))!;
    expect(TextDocument.applyEdits(d, removeDefault.edit!.changes![d.uri]!)).toBe(
      MAIN_TF.replace('  default = "0.0.0.0/0" # anyone\n', ''),
    );
    const suppress = actions.find((a) => a.title.startsWith('Suppress ssh-open-to-internet'))!;
    expect(TextDocument.applyEdits(d, suppress.edit!.changes![d.uri]!)).toContain(
      "/* the bastion's group */\n# iac-netsec-ignore ssh-open-to-internet: ",
    );
  });

  it('honours # and // comment suppressions and checkov skips above a resource or attribute', () => {
    const service = new IacService();
    const text = MAIN_TF.replace(
      'resource "aws_instance" "bastion" {',
      '#checkov:skip=CKV_AWS_79:IMDSv2 enforced by the account default\nresource "aws_instance" "bastion" {',
    ).replace(
      '    cidr_blocks = [var.admin_cidr]',
      '    // iac-netsec-ignore ssh-open-to-internet: the default is replaced in every environment\n    cidr_blocks = [var.admin_cidr]',
    );
    expect(service.diagnostics(tf(text), settings).map((x) => x.code)).toEqual(['rdp-open-to-internet']);
  });

  it('honours trivy / tfsec ignores: above the block, or at the end of the line', () => {
    const service = new IacService();
    const above = MAIN_TF.replace(
      'resource "aws_security_group" "bastion" {',
      '#trivy:ignore:aws-ec2-no-public-ingress-sgr\nresource "aws_security_group" "bastion" {',
    );
    expect(service.diagnostics(tf(above), settings).map((x) => x.code)).toEqual(['imdsv1-allowed']);
    const inline = MAIN_TF.replace(
      '    cidr_blocks = [var.admin_cidr]',
      '    cidr_blocks = [var.admin_cidr] #tfsec:ignore:aws-vpc-no-public-ingress-sgr',
    );
    expect(
      service
        .diagnostics(tf(inline), settings)
        .map((x) => x.code)
        .sort(),
    ).toEqual(['imdsv1-allowed', 'rdp-open-to-internet']);
    // An id that maps to none of our rules suppresses nothing.
    const other = MAIN_TF.replace(
      'resource "aws_security_group" "bastion" {',
      '#trivy:ignore:aws-s3-enable-versioning\nresource "aws_security_group" "bastion" {',
    );
    expect(service.diagnostics(tf(other), settings)).toHaveLength(3);
  });

  it('hover, symbols and go-to-definition', () => {
    const service = new IacService();
    const d = tf(MAIN_TF);
    const at = (needle: string, delta = 0) => d.positionAt(MAIN_TF.indexOf(needle) + delta);
    const hover = service.hover(d, at('var.admin_cidr', 5), settings);
    expect(JSON.stringify(hover)).toContain('ssh-open-to-internet');
    const symbols = service.documentSymbols(d, settings);
    expect(symbols.map((s) => s.name)).toEqual(['variable', 'aws_security_group', 'aws_instance']);
    const more = `${MAIN_TF}
locals {
  env = "prod"
}

data "aws_ami" "al2023" {
  most_recent = true
}

module "network" {
  source = "./network"
}

output "group_id" {
  value = aws_security_group.bastion.id
}
`;
    const all = service.documentSymbols(tf(more), settings);
    expect(all.map((s) => [s.name, s.children?.map((c) => c.name)])).toEqual([
      ['variable', ['admin_cidr']],
      ['aws_security_group', ['aws_security_group.bastion']],
      ['aws_instance', ['aws_instance.bastion']],
      ['locals', ['local.env']],
      ['data', ['data.aws_ami.al2023']],
      ['module', ['module.network']],
      ['output', ['output.group_id']],
    ]);
    const definition = service.definition(d, at('var.admin_cidr', 6), settings);
    expect(definition.map((l) => d.getText(l.range))).toEqual(['"admin_cidr"']);
    const toGroup = service.definition(d, at('aws_security_group.bastion.id', 3), settings);
    expect(toGroup.map((l) => l.range.start.line + 1)).toEqual([7]);
  });
});

describe('HCL syntax errors', () => {
  const cases: { name: string; text: string; at: string; message: RegExp; later?: string }[] = [
    {
      name: 'an unterminated string, with a block after it',
      text: 'resource "aws_instance" "a" {\n  ami = "ami-1\n}\n\nresource "aws_instance" "b" {\n  ami = "ami-2"\n}\n',
      at: '"ami-1',
      message: /string is not closed/,
      later: 'aws_instance.b',
    },
    {
      name: 'an unclosed block',
      text: 'resource "aws_instance" "a" {\n  ami = "ami-1"\n\nresource "aws_instance" "b" {\n  ami = "ami-2"\n}\n',
      at: '{\n  ami = "ami-1"',
      message: /"\{" is not closed/,
      later: 'aws_instance.b',
    },
    {
      name: 'an unclosed list',
      text: 'resource "aws_security_group" "a" {\n  ingress {\n    cidr_blocks = ["0.0.0.0/0"\n  }\n}\n',
      at: '["0.0.0.0/0"',
      message: /"\[" is not closed|Unexpected/,
    },
    {
      name: 'a stray token',
      text: 'resource "aws_instance" "a" {\n  ami = "x"\n  ]\n}\n',
      at: ']',
      message: /Unexpected "\]"/,
    },
    { name: 'only a keyword', text: 'resource', at: 'resource', message: /./ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const service = new IacService();
      const d = tf(c.text);
      const diagnostics = service.diagnostics(d, settings);
      const all = diagnostics.filter((x) => /not closed|Unexpected|Missing|Syntax/.test(text(x.message)));
      expect(all.length).toBeGreaterThan(0);
      const first = all[0]!;
      expect(text(first.message)).toMatch(c.message);
      expect(d.offsetAt(first.range.start)).toBe(c.text.indexOf(c.at));
      for (const x of diagnostics) expect(d.offsetAt(x.range.end)).toBeLessThanOrEqual(c.text.length);
      if (c.later) {
        const parsed = parseHcl(c.text);
        const ids = (parsed.root?.kind === 'map' ? parsed.root.entries : []).map((e) =>
          e.value.kind === 'map'
            ? `${e.value.entries[0]?.key.value}.${(e.value.entries[0]?.value as { entries?: { key: { value: string } }[] }).entries?.[0]?.key.value}`
            : '',
        );
        expect(ids).toContain(c.later);
      }
    });
  }

  it('a 5 MB .tf file gets one clear diagnostic, in bounded time', () => {
    const block = 'resource "aws_security_group" "sg" {\n  name = "x"\n}\n';
    const huge = block.repeat(Math.ceil(5_000_000 / block.length));
    const started = Date.now();
    const [d, ...rest] = new IacService().diagnostics(tf(huge), settings);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(rest).toEqual([]);
    expect(text(d!.message)).toMatch(/million characters; iac-netsec reads files up to 4 million/);
  });

  it('binary and invalid text get a diagnostic, not a crash', () => {
    const service = new IacService();
    for (const text of [
      '\u0000\u0001\u0002resource',
      '\uFFFD\uFFFD = "x"',
      '{'.repeat(5000),
      'a = ' + '['.repeat(3000),
    ]) {
      expect(() => service.diagnostics(tf(text), settings)).not.toThrow();
    }
  });
});

/** The tree without identity: what must be equal between an incremental and a fresh parse. */
function shape(node: Node | undefined): unknown {
  if (!node) return undefined;
  if (node.kind === 'scalar') return [node.start, node.end, node.value, node.style];
  if (node.kind === 'seq') return [node.start, node.end, node.style, node.items.map(shape)];
  return [
    node.start,
    node.end,
    node.style,
    node.entries.map((e) => [e.start, e.end, e.key.value, e.key.start, shape(e.value)]),
  ];
}

describe('incremental HCL parsing', () => {
  it('equals a fresh parse after every edit of a typing replay', () => {
    const parser = new IncrementalHclParser();
    let text = MAIN_TF;
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    try {
      for (let i = 0; i < 300; i++) {
        const at = Math.floor(random() * text.length);
        const roll = random();
        if (roll < 0.4) text = text.slice(0, at) + text.slice(at + 1);
        else if (roll < 0.8)
          text = text.slice(0, at) + 'x"{}[]=#\n '[Math.floor(random() * 10)] + text.slice(at);
        else text = MAIN_TF;
        const incremental = parser.parse(text);
        const fresh = parseHcl(text);
        expect(shape(incremental.root)).toEqual(shape(fresh.root));
        expect(incremental.problems.map((p) => [p.start, p.end, p.message])).toEqual(
          fresh.problems.map((p) => [p.start, p.end, p.message]),
        );
      }
    } finally {
      parser.dispose();
    }
  });

  it('keeps the offsets inside expressions right when a block moves', () => {
    const parser = new IncrementalHclParser();
    try {
      parser.parse(MAIN_TF);
      const moved = '# header\n' + MAIN_TF;
      const again = parser.parse(moved);
      expect(shape(again.root)).toEqual(shape(parseHcl(moved).root));
      expect(lineOf(moved, moved.indexOf('var.admin_cidr'))).toBe(15);
    } finally {
      parser.dispose();
    }
  });
});

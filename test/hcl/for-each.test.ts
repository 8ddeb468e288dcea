// Resource-level `for_each` over a collection written where the analysis can read it: one
// instance per element with its own each.key / each.value, a finding names the instance and lands
// on the element that carries the bad value (model/terraformForEach.ts, unit/module.ts).

import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { defaultSettings } from '../../server/src/engine/settings';
import { loadDocument } from '../../server/src/model/load';
import { IacService } from '../../server/src/service/service';
import type { ModuleFile } from '../../server/src/unit/module';

const DIR = 'file:///work/foreach';

function check(files: Record<string, string>, name = 'main.tf'): [string, string, number, string][] {
  const service = new IacService();
  service.setModuleFiles((uri) => {
    const list: ModuleFile[] = Object.entries(files)
      .map(([n, text]) => ({ uri: `${DIR}/${n}`, text }))
      .filter((f) => f.uri !== uri);
    return { files: list, signature: '1' };
  });
  const language = name.endsWith('.json') ? 'json' : 'terraform';
  const document = TextDocument.create(`${DIR}/${name}`, language, 1, files[name]!);
  return service
    .diagnostics(document, defaultSettings())
    .filter((d) => String(d.code).endsWith('-open-to-internet'))
    .map((d) => [String(d.code), document.getText(d.range), d.range.start.line + 1, String(d.message)]);
}

const RULE = (forEach: string, port: string, cidr: string) => `resource "aws_security_group_rule" "admin" {
  for_each          = ${forEach}
  type              = "ingress"
  from_port         = ${port}
  to_port           = ${port}
  protocol          = "tcp"
  cidr_blocks       = [${cidr}]
  security_group_id = "sg-0123456789abcdef0"
}
`;

describe('resource-level for_each', () => {
  it('a literal map: each instance reads its own element; the finding names it and lands on the element', () => {
    const text = `locals {
  office = "198.51.100.0/24"
}

${RULE(
  `{
    ssh   = { port = 22, cidr = "0.0.0.0/0" }
    rdp   = { port = 3389, cidr = local.office }
    https = { port = 443, cidr = "0.0.0.0/0" }
  }`,
  'each.value.port',
  'each.value.cidr',
)}`;
    const found = check({ 'main.tf': text });
    expect(found.map((f) => f.slice(0, 3))).toEqual([['ssh-open-to-internet', '"0.0.0.0/0"', 7]]);
    expect(found[0]![3]).toMatch(/^aws_security_group_rule\.admin\["ssh"\]: SSH \(TCP port 22\)/);
  });

  it('a set from a variable default, each.value in the body: the finding on the set element', () => {
    const files = {
      'variables.tf': `variable "admin_cidrs" {
  type    = set(string)
  default = ["10.0.0.0/8", "0.0.0.0/0"]
}
`,
      'main.tf': RULE('var.admin_cidrs', '22', 'each.value'),
    };
    const found = check(files);
    expect(found.map((f) => f.slice(0, 3))).toEqual([]);
    // The open element is written in variables.tf: the finding is reported there.
    const inVariables = check(files, 'variables.tf');
    expect(inVariables.map((f) => f.slice(0, 3))).toEqual([['ssh-open-to-internet', '"0.0.0.0/0"', 3]]);
    expect(inVariables[0]![3]).toMatch(
      /^aws_security_group_rule\.admin\["0\.0\.0\.0\/0"\] \(the default of admin_cidrs\): SSH/,
    );
  });

  it('fixes edit the written value; none removes the resource (it would remove every instance)', () => {
    const text = RULE('{ ssh = "0.0.0.0/0", vpn = "10.0.0.0/8" }', '22', 'each.value');
    const service = new IacService();
    service.setModuleFiles(() => ({ files: [], signature: '1' }));
    const document = TextDocument.create(`${DIR}/main.tf`, 'terraform', 1, text);
    const ssh = service
      .diagnostics(document, defaultSettings())
      .find((d) => d.code === 'ssh-open-to-internet')!;
    expect(document.getText(ssh.range)).toBe('"0.0.0.0/0"');
    const titles = service
      .codeActions(document, ssh.range, { diagnostics: [ssh] }, defaultSettings())
      .map((a) => a.title)
      .filter((t) => !/^(Suppress|Show documentation|Fix all)/.test(t));
    expect(titles.some((t) => /^Remove/.test(t))).toBe(false);
    expect(titles.length).toBeGreaterThan(0);
  });

  it('an element from terraform.tfvars (where nothing is reported): the finding on the use says where the value is', () => {
    const files = {
      'variables.tf': `variable "admin_cidrs" {
  type    = map(string)
  default = {}
}
`,
      'terraform.tfvars': `admin_cidrs = {
  office = "198.51.100.0/24"
  oncall = "0.0.0.0/0"
}
`,
      'main.tf': RULE('var.admin_cidrs', '22', 'each.value'),
    };
    const service = new IacService();
    service.setModuleFiles((uri) => ({
      files: Object.entries(files)
        .map(([n, text]) => ({ uri: `${DIR}/${n}`, text }))
        .filter((f) => f.uri !== uri),
      signature: '1',
    }));
    const document = TextDocument.create(`${DIR}/main.tf`, 'terraform', 1, files['main.tf']);
    const found = service
      .diagnostics(document, defaultSettings())
      .filter((d) => String(d.code).endsWith('-open-to-internet'));
    expect(found.map((d) => [d.code, document.getText(d.range), d.range.start.line + 1])).toEqual([
      ['ssh-open-to-internet', 'each.value', 7],
    ]);
    expect(found[0]!.message).toMatch(
      /^aws_security_group_rule\.admin\["oncall"\] \(the value of admin_cidrs in terraform\.tfvars\): SSH/,
    );
    expect(
      found[0]!.relatedInformation?.map((r) => [r.message, r.location.uri, r.location.range.start.line]),
    ).toContainEqual(['Value of admin_cidrs in terraform.tfvars', `${DIR}/terraform.tfvars`, 0]);
  });

  it('dynamic blocks over a tfvars value are reported at the use too', () => {
    const files = {
      'variables.tf': 'variable "cidrs" {\n  type = list(string)\n}\n',
      'terraform.tfvars': 'cidrs = ["10.0.0.0/8", "0.0.0.0/0"]\n',
      'main.tf': `resource "aws_security_group" "web" {
  dynamic "ingress" {
    for_each = var.cidrs
    content {
      from_port   = 3389
      to_port     = 3389
      protocol    = "tcp"
      cidr_blocks = [ingress.value]
    }
  }
}
`,
    };
    expect(check(files).map((f) => f.slice(0, 3))).toEqual([['rdp-open-to-internet', 'ingress.value', 8]]);
  });

  it('no fix writes a reference into a variable default (Terraform forbids it); in a local it may', () => {
    const titles = (text: string): string[] => {
      const service = new IacService();
      service.setModuleFiles(() => ({ files: [], signature: '1' }));
      const document = TextDocument.create(`${DIR}/main.tf`, 'terraform', 1, text);
      const ssh = service
        .diagnostics(document, defaultSettings())
        .find((d) => d.code === 'ssh-open-to-internet')!;
      expect(document.getText(ssh.range)).toBe('"0.0.0.0/0"');
      return service
        .codeActions(document, ssh.range, { diagnostics: [ssh] }, defaultSettings())
        .map((a) => a.title);
    };
    const rule = RULE('var.admin_cidrs', '22', 'each.value');
    const inDefault = titles(`variable "admin_cidrs" {\n  default = { oncall = "0.0.0.0/0" }\n}\n\n${rule}`);
    expect(inDefault.filter((t) => /new parameter/.test(t))).toEqual([]);
    const inLocal = titles(
      `locals {\n  admin_cidrs = { oncall = "0.0.0.0/0" }\n}\n\n${rule.replace('var.', 'local.')}`,
    );
    expect(inLocal.filter((t) => /new parameter/.test(t))).toEqual([
      'Allow SSH only from a new parameter allowed_ssh_cidr (changes behaviour)',
    ]);
  });

  it('a value written in the body names every instance that has it', () => {
    const text = RULE('toset(["a", "b", "c", "d"])', '22', '"0.0.0.0/0"');
    const found = check({ 'main.tf': text });
    expect(found.map((f) => f.slice(0, 3))).toEqual([['ssh-open-to-internet', '"0.0.0.0/0"', 7]]);
    expect(found[0]![3]).toMatch(/^aws_security_group_rule\.admin\["a"\], \["b"\], \["c"\] and 1 more: SSH/);
  });

  it('tfvars win over the default; each.key binds the key', () => {
    const files = {
      'variables.tf': `variable "ports" {
  type = map(number)
  default = {
    https = 443
  }
}
`,
      'terraform.tfvars': `ports = {
  https = 443
  rdp   = 3389
}
`,
      'main.tf': RULE('var.ports', 'each.value', '"0.0.0.0/0"').replace(
        '  type ',
        '  description       = each.key\n  type ',
      ),
    };
    expect(check(files, 'terraform.tfvars').map((f) => f.slice(0, 3))).toEqual([]);
    // The port comes from the element, the open CIDR is written in main.tf.
    const found = check(files);
    expect(found.map((f) => f.slice(0, 3))).toEqual([['rdp-open-to-internet', '"0.0.0.0/0"', 8]]);
    expect(found[0]![3]).toMatch(/^aws_security_group_rule\.admin\["rdp"\]: /);
    // In one file, the default alone: one instance.
    const doc = loadDocument(`${DIR}/main.tf`, files['variables.tf'] + files['main.tf'])!;
    expect(doc.resources.map((r) => [r.id, r.instance?.address])).toEqual([
      ['aws_security_group_rule.admin', 'aws_security_group_rule.admin["https"]'],
    ]);
  });

  it('an unresolvable for_each is one resource with unknown each.*; count stays one resource', () => {
    const unknown = RULE('data.external.rules.result', '22', 'each.value');
    expect(check({ 'main.tf': unknown })).toEqual([]);
    const doc = loadDocument(`${DIR}/main.tf`, unknown)!;
    expect(doc.resources.map((r) => [r.id, r.instance])).toEqual([
      ['aws_security_group_rule.admin', undefined],
    ]);
    const counted = RULE('null', '22', '"0.0.0.0/0"').replace('for_each          = null', 'count = 3');
    const found = check({ 'main.tf': counted });
    expect(found.map((f) => f.slice(0, 3))).toEqual([['ssh-open-to-internet', '"0.0.0.0/0"', 7]]);
    expect(found[0]![3]).toMatch(/^SSH/);
  });

  it('Terraform JSON: for_each over a map with each.value', () => {
    const text = `{
  "resource": {
    "aws_security_group_rule": {
      "admin": {
        "for_each": { "ssh": "0.0.0.0/0", "rdp": "10.0.0.0/8" },
        "type": "ingress",
        "from_port": 22,
        "to_port": 3389,
        "protocol": "tcp",
        "cidr_blocks": ["\${each.value}"],
        "security_group_id": "sg-0123456789abcdef0"
      }
    }
  }
}
`;
    const found = check({ 'main.tf.json': text }, 'main.tf.json');
    // 22-3389 from the ssh element's 0.0.0.0/0: SSH, RDP and the sensitive ports between them.
    expect(found.map((f) => f.slice(0, 3))).toEqual([
      ['rdp-open-to-internet', '"0.0.0.0/0"', 5],
      ['sensitive-port-open-to-internet', '"0.0.0.0/0"', 5],
      ['ssh-open-to-internet', '"0.0.0.0/0"', 5],
    ]);
    for (const f of found) expect(f[3]).toMatch(/^aws_security_group_rule\.admin\["ssh"\]: /);
  });

  it('Terraform JSON: for_each over a variable, a finding on the default element', () => {
    const text = `{
  "variable": { "cidrs": { "default": ["10.0.0.0/8", "0.0.0.0/0"] } },
  "resource": {
    "aws_security_group_rule": {
      "admin": {
        "for_each": "\${toset(var.cidrs)}",
        "type": "ingress",
        "from_port": 22,
        "to_port": 22,
        "protocol": "tcp",
        "cidr_blocks": ["\${each.key}"],
        "security_group_id": "sg-0123456789abcdef0"
      }
    }
  }
}
`;
    // toset(...) in a JSON string is not read: one resource, each.key unknown.
    expect(check({ 'main.tf.json': text }, 'main.tf.json')).toEqual([]);
    const direct = text.replace('${toset(var.cidrs)}', '${var.cidrs}');
    const found = check({ 'main.tf.json': direct }, 'main.tf.json');
    expect(found.map((f) => f.slice(0, 3))).toEqual([['ssh-open-to-internet', '"0.0.0.0/0"', 2]]);
    expect(found[0]![3]).toMatch(
      /^aws_security_group_rule\.admin\["0\.0\.0\.0\/0"\] \(the default of cidrs\): /,
    );
  });
});

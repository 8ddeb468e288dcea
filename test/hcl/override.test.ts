// Override files (`override.tf`, `*_override.tf(.json)`) merge into the module as Terraform
// merges them (unit/override.ts): arguments replace arguments, nested blocks replace all blocks
// of their type, later files win; a finding on a merged argument is reported in the file that
// writes it.

import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { defaultSettings } from '../../server/src/engine/settings';
import { IacService } from '../../server/src/service/service';
import type { ModuleFile } from '../../server/src/unit/module';

const settings = defaultSettings();
const DIR = 'file:///work/override';

function check(files: Record<string, string>, name: string): [string, string, number][] {
  const service = new IacService();
  service.setModuleFiles((uri) => {
    const list: ModuleFile[] = Object.entries(files)
      .map(([n, text]) => ({ uri: `${DIR}/${n}`, text }))
      .filter((f) => f.uri !== uri);
    return { files: list, signature: '1' };
  });
  const document = TextDocument.create(`${DIR}/${name}`, 'terraform', 1, files[name]!);
  return service
    .diagnostics(document, settings)
    .filter((d) => d.code !== 'vpc-flow-logs-missing')
    .map((d) => [String(d.code), document.getText(d.range), d.range.start.line + 1]);
}

const MAIN = `resource "aws_security_group" "admin" {
  name = "admin"

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }

  ingress {
    from_port   = 3389
    to_port     = 3389
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group_rule" "db" {
  type              = "ingress"
  from_port         = 5432
  to_port           = 5432
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
  security_group_id = aws_security_group.admin.id
}
`;

const OVERRIDE = `resource "aws_security_group" "admin" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group_rule" "db" {
  cidr_blocks = ["10.0.0.0/8"]
}
`;

describe('Terraform override files', () => {
  it('without an override file, the original file reports its own findings', () => {
    expect(check({ 'main.tf': MAIN }, 'main.tf')).toEqual([
      ['rdp-open-to-internet', '"0.0.0.0/0"', 15],
      ['sensitive-port-open-to-internet', '"0.0.0.0/0"', 24],
    ]);
  });

  it('nested blocks replace all blocks of their type; an argument replaces the argument', () => {
    const files = { 'main.tf': MAIN, 'override.tf': OVERRIDE };
    // Both ingress blocks of main.tf are replaced, and so is the rule's cidr_blocks.
    expect(check(files, 'main.tf')).toEqual([]);
    // The merged ingress is written in override.tf: the finding is reported there.
    expect(check(files, 'override.tf')).toEqual([['ssh-open-to-internet', '"0.0.0.0/0"', 6]]);
  });

  it('later override files (lexical order) win over earlier ones', () => {
    const files = {
      'main.tf': MAIN,
      'a_override.tf': OVERRIDE,
      'b_override.tf': `resource "aws_security_group" "admin" {
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group_rule" "db" {
  cidr_blocks = ["0.0.0.0/0"]
}
`,
    };
    expect(check(files, 'a_override.tf')).toEqual([]);
    expect(check(files, 'b_override.tf')).toEqual([['sensitive-port-open-to-internet', '"0.0.0.0/0"', 11]]);
    expect(check(files, 'main.tf')).toEqual([]);
  });

  it('an override.tf.json merges into HCL files', () => {
    const files = {
      'main.tf': MAIN,
      'override.tf.json': `{
  "resource": {
    "aws_security_group_rule": {
      "db": {
        "from_port": 22,
        "to_port": 22
      }
    }
  }
}
`,
    };
    expect(check(files, 'main.tf')).toEqual([
      ['rdp-open-to-internet', '"0.0.0.0/0"', 15],
      ['ssh-open-to-internet', '"0.0.0.0/0"', 24],
    ]);
    expect(check(files, 'override.tf.json')).toEqual([]);
  });

  it('variables merge argument by argument, locals value by value', () => {
    const files = {
      'main.tf': `variable "admin_cidr" {
  type    = string
  default = "10.0.0.0/8"
}

locals {
  db_cidr = "10.0.0.0/8"
}

resource "aws_security_group_rule" "ssh" {
  type              = "ingress"
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = [var.admin_cidr]
  security_group_id = "sg-123"
}

resource "aws_security_group_rule" "db" {
  type              = "ingress"
  from_port         = 5432
  to_port           = 5432
  protocol          = "tcp"
  cidr_blocks       = [local.db_cidr]
  security_group_id = "sg-123"
}
`,
      'dev_override.tf': `variable "admin_cidr" {
  default = "0.0.0.0/0"
}

locals {
  db_cidr = "0.0.0.0/0"
}
`,
    };
    const found = check(files, 'main.tf');
    expect(found).toEqual([
      ['ssh-open-to-internet', 'var.admin_cidr', 15],
      ['sensitive-port-open-to-internet', 'local.db_cidr', 24],
    ]);
  });

  it('an override of for_each re-expands the instances (the open element is in the override file)', () => {
    const files = {
      'main.tf': `resource "aws_security_group_rule" "ssh" {
  for_each          = toset(["10.0.0.0/8"])
  type              = "ingress"
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = [each.value]
  security_group_id = "sg-0123456789abcdef0"
}
`,
      'ops_override.tf': `resource "aws_security_group_rule" "ssh" {
  for_each = toset(["10.0.0.0/8", "0.0.0.0/0"])
}
`,
    };
    expect(check(files, 'main.tf')).toEqual([]);
    expect(check(files, 'ops_override.tf')).toEqual([['ssh-open-to-internet', '"0.0.0.0/0"', 2]]);
  });

  it('an override file alone is not a module root: its blocks define nothing', () => {
    expect(check({ 'override.tf': OVERRIDE }, 'override.tf')).toEqual([]);
    // A block with no original to merge into is ignored (Terraform rejects it).
    expect(check({ 'main.tf': 'locals {}\n', 'override.tf': OVERRIDE }, 'override.tf')).toEqual([]);
  });
});

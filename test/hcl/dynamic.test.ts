// `dynamic` blocks are expanded per element of their for_each, and a finding lands on the
// element that carries the bad value (model/terraformDynamic.ts).

import { describe, expect, it } from 'vitest';
import { analyze } from '../../server/src/engine/analyze';
import { defaultSettings } from '../../server/src/engine/settings';
import { loadDocument } from '../../server/src/model/load';

function findings(text: string, file = 'file:///m/main.tf') {
  const doc = loadDocument(file, text)!;
  expect(doc.problems).toEqual([]);
  return analyze(doc, defaultSettings())
    .findings.filter((f) => f.ruleId.endsWith('-open-to-internet') || f.ruleId === 'port-open-to-internet')
    .map((f) => [f.ruleId, text.slice(f.start, f.end), text.slice(0, f.start).split('\n').length]);
}

describe('dynamic blocks', () => {
  it('a literal list of objects: each element is a block, reported on its own CIDR', () => {
    const text = `resource "aws_security_group" "web" {
  dynamic "ingress" {
    for_each = [
      { port = 443, cidr = "0.0.0.0/0" },
      { port = 22, cidr = "10.0.0.0/8" },
      { port = 3389, cidr = "0.0.0.0/0" },
    ]
    content {
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = [ingress.value.cidr]
    }
  }
}
`;
    expect(findings(text)).toEqual([['rdp-open-to-internet', '"0.0.0.0/0"', 6]]);
  });

  it('a variable default with a custom iterator; a map keyed by name', () => {
    const text = `variable "admin_ports" {
  default = {
    ssh = 22
    rdp = 3389
  }
}

resource "aws_security_group" "admin" {
  dynamic "ingress" {
    for_each = var.admin_ports
    iterator = rule
    content {
      description = rule.key
      from_port   = rule.value
      to_port     = rule.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}
`;
    expect(findings(text).sort()).toEqual([
      ['rdp-open-to-internet', '"0.0.0.0/0"', 17],
      ['ssh-open-to-internet', '"0.0.0.0/0"', 17],
    ]);
  });

  it('an unresolvable for_each is unknown: no finding rests on it, and the block is not absent', () => {
    const text = `resource "aws_security_group" "web" {
  dynamic "ingress" {
    for_each = data.external.rules.result
    content {
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = [ingress.value.cidr]
    }
  }
}
`;
    expect(findings(text)).toEqual([]);
    const doc = loadDocument('file:///m/main.tf', text)!;
    const sg = doc.resources[0]!;
    expect(sg.properties?.entries.map((e) => e.key.value)).toEqual(['ingress']);
  });

  it('written blocks and dynamic blocks of one type are read together', () => {
    const text = `resource "aws_security_group" "web" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  dynamic "ingress" {
    for_each = toset(["0.0.0.0/0"])
    content {
      from_port   = 5432
      to_port     = 5432
      protocol    = "tcp"
      cidr_blocks = [ingress.value]
    }
  }
}
`;
    expect(findings(text).sort()).toEqual([
      ['sensitive-port-open-to-internet', '"0.0.0.0/0"', 9],
      ['ssh-open-to-internet', '"0.0.0.0/0"', 6],
    ]);
  });
});

// A Terraform module is its folder: a document is analysed with the other .tf / .tf.json files
// of its folder and the .tfvars values (unit/module.ts), and reports only its own findings.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { defaultSettings } from '../../server/src/engine/settings';
import { IacService } from '../../server/src/service/service';
import type { ModuleFile } from '../../server/src/unit/module';

const settings = defaultSettings();
const DIR = 'file:///work/network';

const FILES: Record<string, string> = {
  'variables.tf': `variable "admin_cidr" {
  type        = string
  description = "Who may use SSH"
}

variable "unset_cidr" {
  type = string
}
`,
  'terraform.tfvars': `admin_cidr = "0.0.0.0/0"
`,
  'main.tf': `resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_security_group" "admin" {
  vpc_id = aws_vpc.main.id

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
    cidr_blocks = [var.unset_cidr]
  }
}
`,
  'logging.tf': `resource "aws_flow_log" "main" {
  vpc_id               = aws_vpc.main.id
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = "arn:aws:s3:::flow-logs-bucket"
}
`,
};

function serviceWith(files: Record<string, string>) {
  const service = new IacService();
  let version = 0;
  service.setModuleFiles((uri) => {
    const list: ModuleFile[] = Object.entries(files)
      .map(([name, text]) => ({ uri: `${DIR}/${name}`, text }))
      .filter((f) => f.uri !== uri);
    return { files: list, signature: `${version}:${list.map((f) => f.text.length).join(',')}` };
  });
  return { service, bump: () => version++ };
}

const open = (name: string, files: Record<string, string>) =>
  TextDocument.create(`${DIR}/${name}`, 'terraform', 1, files[name]!);

describe('a Terraform module folder', () => {
  it('resolves a variable declared in one file from terraform.tfvars, and points at the value', () => {
    const { service } = serviceWith(FILES);
    const main = open('main.tf', FILES);
    const diagnostics = service.diagnostics(main, settings);
    const ssh = diagnostics.filter((d) => d.code === 'ssh-open-to-internet');
    expect(ssh).toHaveLength(1);
    expect(main.getText(ssh[0]!.range)).toBe('var.admin_cidr');
    expect(ssh[0]!.message).toContain('the value of admin_cidr in terraform.tfvars');
    const related = ssh[0]!.relatedInformation!.find((r) => r.location.uri.endsWith('terraform.tfvars'))!;
    expect(related.location.range).toEqual({
      start: { line: 0, character: 13 },
      end: { line: 0, character: 24 },
    });
    // A variable with no value anywhere is unknown: no finding rests on it.
    expect(diagnostics.filter((d) => d.code === 'rdp-open-to-internet')).toEqual([]);
  });

  it('a flow log in another file covers the VPC; without it the VPC is reported in its own file', () => {
    const { service } = serviceWith(FILES);
    expect(service.diagnostics(open('main.tf', FILES), settings).map((d) => d.code)).not.toContain(
      'vpc-flow-logs-missing',
    );
    const withoutLog = { ...FILES };
    delete withoutLog['logging.tf'];
    const alone = serviceWith(withoutLog).service.diagnostics(open('main.tf', withoutLog), settings);
    expect(alone.map((d) => d.code)).toContain('vpc-flow-logs-missing');
  });

  it('reports each finding in the file where its element is written', () => {
    const { service } = serviceWith(FILES);
    for (const name of ['variables.tf', 'logging.tf', 'terraform.tfvars'])
      expect(service.diagnostics(open(name, FILES), settings).map((d) => d.code)).toEqual([]);
  });

  it('*.auto.tfvars wins over terraform.tfvars; a changed sibling re-checks the open file', () => {
    const files = { ...FILES, 'office.auto.tfvars': 'admin_cidr = "203.0.113.0/24"\n' };
    const { service, bump } = serviceWith(files);
    const main = open('main.tf', files);
    expect(service.diagnostics(main, settings).map((d) => d.code)).not.toContain('ssh-open-to-internet');
    files['office.auto.tfvars'] = 'admin_cidr = "0.0.0.0/0"\n';
    bump();
    expect(service.diagnostics(main, settings).map((d) => d.code)).toContain('ssh-open-to-internet');
  });

  it('does not offer fixes that would edit another file', () => {
    const { service } = serviceWith(FILES);
    const main = open('main.tf', FILES);
    const ssh = service.diagnostics(main, settings).find((d) => d.code === 'ssh-open-to-internet')!;
    const actions = service.codeActions(main, ssh.range, { diagnostics: [ssh] }, settings);
    for (const action of actions)
      for (const uri of Object.keys(action.edit?.changes ?? {})) expect(uri).toBe(main.uri);
  });

  it('a folder that defines one resource twice is not a module (Terraform rejects it): files are read alone', () => {
    const files = {
      ...FILES,
      'other-example.tf': 'resource "aws_vpc" "main" {\n  cidr_block = "10.9.0.0/16"\n}\n',
    };
    const { service } = serviceWith(files);
    const codes = service.diagnostics(open('main.tf', files), settings).map((d) => d.code);
    // Alone, main.tf has no flow log and no value for admin_cidr.
    expect(codes).toContain('vpc-flow-logs-missing');
    expect(codes).not.toContain('ssh-open-to-internet');
  });
});

describe('an exposure path across the files of a module', () => {
  it('the hover names the file and line of each hop written in another file', () => {
    const dir = path.resolve(__dirname, '../../e2e/fixtures/tf-module');
    const files = Object.fromEntries(
      ['network.tf', 'compute.tf'].map((name) => [name, readFileSync(path.join(dir, name), 'utf8')]),
    );
    const { service } = serviceWith(files);
    const compute = open('compute.tf', files);
    const ssh = service.diagnostics(compute, settings).find((d) => d.code === 'ssh-open-to-internet')!;
    expect(ssh.range.start).toEqual({ line: 7, character: 19 });
    const hover = service.hover(compute, ssh.range.start, settings);
    const text = JSON.stringify(hover?.contents);
    // network.tf: the gateway (line 6), the route (line 19), the subnet (line 10); this file: the instance.
    expect(text).toContain('Internet gateway aws_internet_gateway.main (network.tf line 6)');
    expect(text).toMatch(/\(network\.tf line 19\)/);
    expect(text).toMatch(/aws_instance\.bastion[^(]*\(line 12\)/);
  });
});

// `check` on a Terraform module folder analyses the module once and splits the findings by file
// (unit/folder.ts): the result must be what checking each file with its module gives, finding
// for finding (positions, messages, for_each instance names, findings moved to a module argument,
// suppressions per file, unused suppressions, syntax errors).

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFolder, checkJob, tasksOf, type FileResult } from '../../server/src/cli/check';
import { CliConfigs, collectFiles, type FileJob } from '../../server/src/cli/files';
import { defaultSettings } from '../../server/src/engine/settings';
import { analyzeFolder } from '../../server/src/unit/folder';
import { ModuleReader, type ModuleFile } from '../../server/src/unit/module';
import { RULES_MODULE_TF, WEB_MODULE_TF, PUBLIC_NETWORK_TF } from '../support/terraform';

/**
 * A root module in six files: tfvars give a variable and a for_each collection their values, a
 * local module (two deep) gets an argument, suppressions are written as comments (one above a
 * resource, one on the last line of a file that matches no finding there) and as `//` keys (one
 * used, one unused), an override file changes a resource, and one file does not parse.
 */
const TREE: Record<string, string> = {
  'main.tf': `module "web" {
  source     = "./modules/web"
  admin_cidr = var.admin_cidr
  web_cidr   = "0.0.0.0/0"
}

# iac-netsec-ignore ssh-open-to-internet: the bastion is reached over SSH by on-call, SEC-12
resource "aws_security_group" "bastion" {
  name        = "bastion"
  description = "Bastion hosts"
  vpc_id      = aws_vpc.main.id

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group_rule" "admin" {
  for_each          = var.admin_sites
  type              = "ingress"
  from_port         = 3389
  to_port           = 3389
  protocol          = "tcp"
  cidr_blocks       = [each.value]
  security_group_id = aws_security_group.bastion.id
}
`,
  'variables.tf': `variable "admin_cidr" {
  type = string
}

variable "admin_sites" {
  type    = map(string)
  default = {}
}
`,
  'terraform.tfvars': `admin_cidr = "0.0.0.0/0"
admin_sites = {
  office = "198.51.100.0/24"
  oncall = "0.0.0.0/0"
  home   = "0.0.0.0/0"
}
`,
  'network.tf': `${PUBLIC_NETWORK_TF}
# iac-netsec-ignore rdp-open-to-internet: nothing on the next line
`,
  'app.tf.json': `{
  "resource": {
    "aws_security_group": {
      "app": {
        "//": ["iac-netsec-ignore port-open-to-internet: the app port is public by design, SEC-7", "iac-netsec-ignore rdp-open-to-internet: never used"],
        "name": "app",
        "vpc_id": "\${aws_vpc.main.id}",
        "ingress": [
          { "from_port": 8080, "to_port": 8080, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"], "description": null, "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": [], "self": false },
          { "from_port": 5432, "to_port": 5432, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"], "description": null, "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": [], "self": false }
        ]
      }
    }
  }
}
`,
  'db_override.tf': `resource "aws_security_group" "bastion" {
  description = "Bastion hosts (overridden)"
}
`,
  'broken.tf': `# iac-netsec-ignore ssh-open-to-internet: would be unused, but the file does not parse
resource "aws_security_group" "broken" {
  name = "broken
}
`,
  'modules/web/main.tf': WEB_MODULE_TF,
  'modules/rules/main.tf': RULES_MODULE_TF,
};

let top: string;
let dir: string;

/** Writes the tree into a folder of its own (the CLI reads a folder once per run). */
function write(name: string, tree: Record<string, string>): void {
  dir = path.join(top, name);
  for (const [name, text] of Object.entries(tree)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
}

/** The Terraform files of the root folder, as `check` collects them, and their settings. */
function rootJobs(): { jobs: FileJob[]; settings: ReturnType<typeof defaultSettings> } {
  const configs = new CliConfigs(dir);
  const all = collectFiles(dir, ['.'], configs);
  const tasks = tasksOf(all).map((task) => task.map((i) => all[i]!));
  const jobs = tasks.find((task) => task.length > 1)!;
  return { jobs, settings: configs.table()[jobs[0]!.settingsKey]! };
}

function moduleFiles(jobs: FileJob[]): ModuleFile[] {
  return jobs.map((job) => ({ uri: job.absolute, text: readText(job.absolute) }));
}

function readText(file: string): string {
  return readFileSync(file, 'utf8');
}

function brief(result: FileResult): string[] {
  return result.findings.map(
    (f) =>
      `${result.file}:${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.rule}${f.suppressed ? ` (suppressed by ${f.suppressed.by}: ${f.suppressed.reason})` : ''} ${f.message.slice(0, 60)}`,
  );
}

beforeAll(() => {
  top = mkdtempSync(path.join(os.tmpdir(), 'iac-netsec-folder-'));
});

afterAll(() => {
  rmSync(top, { recursive: true, force: true });
});

describe('check on a module folder', () => {
  it('gives every file what checking it alone with its module gives, from one analysis', () => {
    write('live', TREE);
    const { jobs, settings } = rootJobs();
    expect(jobs.map((j) => j.display)).toEqual([
      'app.tf.json',
      'broken.tf',
      'db_override.tf',
      'main.tf',
      'network.tf',
      'variables.tf',
    ]);
    // The folder is analysed as a whole (else the comparison below would compare a thing with itself).
    const files = [
      ...moduleFiles(jobs),
      { uri: path.join(dir, 'terraform.tfvars'), text: TREE['terraform.tfvars']! },
    ];
    const reader = new ModuleReader();
    const whole = analyzeFolder(
      files,
      jobs.map((j) => j.absolute),
      settings,
      reader,
      () => undefined,
    );
    reader.dispose();
    expect(whole?.size).toBe(6);

    const together = checkFolder(jobs, settings);
    const alone = jobs.map((job) => checkJob(job, settings));
    expect(together).toEqual(alone);
    expect(together.flatMap(brief)).toEqual([
      'app.tf.json:5:100-5:152 suppression-unused Unused suppression: resource aws_security_group.app has no r',
      'app.tf.json:9:84-9:95 port-open-to-internet (suppressed by comment: the app port is public by design, SEC-7) TCP port 8080 is open to the internet: 0.0.0.0/0. Make sure ',
      'app.tf.json:10:84-10:95 sensitive-port-open-to-internet PostgreSQL (TCP 5432) is open to the internet: 0.0.0.0/0. Al',
      // Its unused suppression is not reported: the file does not parse.
      'broken.tf:3:10-3:11 syntax-error This string is not closed: add the closing ".',
      'main.tf:17:20-17:31 ssh-open-to-internet (suppressed by comment: the bastion is reached over SSH by on-call, SEC-12) SSH (TCP port 22) is open to the internet: 0.0.0.0/0. Allow ',
      'main.tf:27:24-27:34 rdp-open-to-internet aws_security_group_rule.admin["oncall"], ["home"] (the value',
      'main.tf:3:16-3:30 ssh-open-to-internet In module web: SSH (TCP port 22) can be open to the internet',
      // The rdp suppression on its last line is used by main.tf's RDP finding, which lies past
      // network.tf's text in network.tf's own analysis: not reported as unused.
      'network.tf:1:20-1:26 vpc-flow-logs-missing VPC aws_vpc.main has no flow log: its accepted and rejected ',
      'network.tf:12:29-12:33 subnet-auto-assigns-public-ip Subnet aws_subnet.public gives every instance launched in it',
    ]);
    const main = together.find((r) => r.file === 'main.tf')!;
    expect(main.findings.map((f) => f.message)).toEqual([
      'SSH (TCP port 22) is open to the internet: 0.0.0.0/0. Allow SSH only from known ranges, or use Session Manager or a bastion.',
      'aws_security_group_rule.admin["oncall"], ["home"] (the value of admin_sites in terraform.tfvars): RDP (TCP port 3389) is open to the internet: 0.0.0.0/0. Allow RDP only from known ranges, or use Session Manager or a bastion.',
      'In module web: SSH (TCP port 22) can be open to the internet: 0.0.0.0/0 (the value passed to module web.admin_rules as cidr, the value passed to module web as admin_cidr, the value of admin_cidr in terraform.tfvars). Allow SSH only from known ranges, or use Session Manager or a bastion.',
    ]);
    expect(main.findings.map((f) => f.resource)).toEqual([
      'aws_security_group.bastion',
      'aws_security_group_rule.admin',
      'module.web.module.admin_rules.aws_security_group_rule.ssh',
    ]);
  });

  it("gives way to the files' own analyses when a rule reads what is the document's own", () => {
    // An instance with a public IP: the exposure path names each hop's line, `line N` in the
    // reporting file and `network.tf line N` in another (rules/exposure/paths.ts reads doc.uri).
    write('instance', {
      ...TREE,
      'instance.tf': `resource "aws_instance" "bastion" {
  ami                         = "ami-0123456789abcdef0"
  instance_type               = "t3.micro"
  subnet_id                   = aws_subnet.public.id
  associate_public_ip_address = true
  vpc_security_group_ids      = [aws_security_group.bastion.id, aws_security_group.app.id]
}
`,
    });
    const { jobs, settings } = rootJobs();
    const files = [
      ...moduleFiles(jobs),
      { uri: path.join(dir, 'terraform.tfvars'), text: TREE['terraform.tfvars']! },
    ];
    const reader = new ModuleReader();
    expect(
      analyzeFolder(
        files,
        jobs.map((j) => j.absolute),
        settings,
        reader,
        () => undefined,
      ),
    ).toBeUndefined();
    reader.dispose();
    const together = checkFolder(jobs, settings);
    expect(together).toEqual(jobs.map((job) => checkJob(job, settings)));
    const app = together.find((r) => r.file === 'app.tf.json')!;
    expect(app.findings.find((f) => f.rule === 'internet-exposure-path')?.message).toContain(
      'internet gateway aws_internet_gateway.main → route 0.0.0.0/0 in aws_route_table.public',
    );
  });
});

// `iac-netsec graph` (JSON, Mermaid, DOT) and `check --format markdown`, run as a process
// (dist/cli.js) on the shared fixtures and on small templates written to a temporary directory.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureBuilt, ROOT } from '../protocol/support';
import { PUBLIC_NETWORK_TF } from '../support/terraform';

const FIXTURES = path.join(ROOT, 'test-fixtures');
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;

function run(cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      NO_COLOR: '1',
      FORCE_COLOR: '',
      GITHUB_SERVER_URL: '',
      GITHUB_REPOSITORY: '',
      GITHUB_SHA: '',
    },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let tmp: string;
beforeAll(() => {
  ensureBuilt();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'iac-netsec-graph-'));
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// ---------- the public/private network fixture in every format ----------

interface Names {
  vpc: string;
  igw: string;
  nat: string;
  privateTable: string;
  publicTable: string;
  privateSubnet: string;
  publicSubnet: string;
  appSg: string;
  bastionSg: string;
  app: string;
  bastion: string;
}

const CFN: Names = {
  vpc: 'Vpc',
  igw: 'InternetGateway',
  nat: 'NatGateway',
  privateTable: 'PrivateRouteTable',
  publicTable: 'PublicRouteTable',
  privateSubnet: 'PrivateSubnet',
  publicSubnet: 'PublicSubnet',
  appSg: 'AppSecurityGroup',
  bastionSg: 'BastionSecurityGroup',
  app: 'AppServer',
  bastion: 'Bastion',
};

const TF: Names = {
  vpc: 'aws_vpc.main',
  igw: 'aws_internet_gateway.main',
  nat: 'aws_nat_gateway.main',
  privateTable: 'aws_route_table.private',
  publicTable: 'aws_route_table.public',
  privateSubnet: 'aws_subnet.private',
  publicSubnet: 'aws_subnet.public',
  appSg: 'aws_security_group.app',
  bastionSg: 'aws_security_group.bastion',
  app: 'aws_instance.app',
  bastion: 'aws_instance.bastion',
};

/**
 * The expected graph: the bastion (public subnet with MapPublicIpOnLaunch, a 0.0.0.0/0 route to
 * the internet gateway, SSH open to 0.0.0.0/0) is exposed; the app server is not (its subnet
 * routes 0.0.0.0/0 to a NAT gateway, which does not accept connections from the internet).
 */
function networkPublicPrivate(file: string, n: Names, lines: Record<keyof Names, number>) {
  const node = (key: keyof Names, type: string, severity?: string) => ({
    id: n[key],
    type,
    label: n[key],
    file,
    line: lines[key],
    ...(severity ? { severity } : {}),
  });
  const edges = [
    { from: n.appSg, to: n.app, kind: 'security-group' },
    { from: n.bastionSg, to: n.bastion, kind: 'security-group' },
    { from: n.igw, to: n.publicTable, kind: 'route', label: '0.0.0.0/0' },
    { from: n.igw, to: n.vpc, kind: 'attachment' },
    { from: n.nat, to: n.privateTable, kind: 'route', label: '0.0.0.0/0' },
    { from: n.privateTable, to: n.privateSubnet, kind: 'association' },
    { from: n.privateSubnet, to: n.app, kind: 'subnet' },
    { from: n.publicTable, to: n.publicSubnet, kind: 'association' },
    { from: n.publicSubnet, to: n.bastion, kind: 'subnet' },
    { from: n.publicSubnet, to: n.nat, kind: 'subnet' },
    { from: n.vpc, to: n.privateSubnet, kind: 'contains' },
    { from: n.vpc, to: n.publicSubnet, kind: 'contains' },
    { from: 'internet', to: n.igw, kind: 'internet' },
  ];
  // Code-unit order: upper-case CloudFormation ids sort before `internet`, `aws_...` after it.
  edges.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
  return {
    unit: file,
    nodes: [
      { id: 'internet', type: 'internet', label: 'Internet', file: null, line: null },
      node('vpc', 'vpc', 'warning'),
      node('igw', 'internet-gateway'),
      node('nat', 'nat-gateway'),
      node('privateTable', 'route-table'),
      node('publicTable', 'route-table'),
      node('privateSubnet', 'subnet'),
      node('publicSubnet', 'subnet', 'info'),
      node('appSg', 'security-group', 'error'),
      node('bastionSg', 'security-group', 'error'),
      node('app', 'instance', 'warning'),
      node('bastion', 'instance', 'warning'),
    ],
    edges,
    exposures: [
      {
        rule: 'ssh-open-to-internet',
        severity: 'error',
        service: 'SSH',
        port: 22,
        protocol: 'tcp',
        path: ['internet', n.igw, n.publicTable, n.publicSubnet, n.bastionSg, n.bastion],
      },
    ],
  };
}

/** A Terraform module over two files: the network (PUBLIC_NETWORK_TF) in one, the security group and instance here. */
const MODULE_COMPUTE = `variable "admin_cidr" {
  type = string
}

resource "aws_security_group" "admin" {
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.admin_cidr]
  }
}

resource "aws_instance" "bastion" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.public.id
  vpc_security_group_ids = [aws_security_group.admin.id]
}
`;

describe('iac-netsec graph --format json', () => {
  it('prints the CloudFormation YAML network exactly (nodes, edges, exposure path)', () => {
    const file = 'cfn-yaml/network-public-private.yaml';
    const { code, stdout, stderr } = run(FIXTURES, 'graph', file);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const expected = {
      version: VERSION,
      graphs: [
        networkPublicPrivate(file, CFN, {
          vpc: 9,
          igw: 15,
          nat: 53,
          privateTable: 58,
          publicTable: 33,
          privateSubnet: 28,
          publicSubnet: 22,
          appSg: 92,
          bastionSg: 73,
          app: 102,
          bastion: 83,
        }),
      ],
    };
    // Byte for byte: key order and element order are part of the format (stable diffs).
    expect(stdout).toBe(`${JSON.stringify(expected, null, 2)}\n`);
  });

  it('prints the same network for CloudFormation JSON, Terraform JSON and a plan, units sorted by path', () => {
    const files = [
      'terraform-plan/network-public-private.json',
      'cfn-json/network-public-private.json',
      'terraform-json/network-public-private.tf.json',
    ];
    const { code, stdout } = run(FIXTURES, 'graph', ...files);
    expect(code).toBe(0);
    const expected = {
      version: VERSION,
      graphs: [
        networkPublicPrivate('cfn-json/network-public-private.json', CFN, {
          vpc: 13,
          igw: 21,
          nat: 92,
          privateTable: 106,
          publicTable: 54,
          privateSubnet: 45,
          publicSubnet: 35,
          appSg: 174,
          bastionSg: 137,
          app: 191,
          bastion: 154,
        }),
        networkPublicPrivate('terraform-json/network-public-private.tf.json', TF, {
          vpc: 9,
          igw: 16,
          nat: 37,
          privateTable: 52,
          publicTable: 43,
          privateSubnet: 26,
          publicSubnet: 21,
          appSg: 86,
          bastionSg: 74,
          app: 106,
          bastion: 100,
        }),
        networkPublicPrivate('terraform-plan/network-public-private.json', TF, {
          vpc: 8,
          igw: 21,
          nat: 64,
          privateTable: 88,
          publicTable: 73,
          privateSubnet: 42,
          publicSubnet: 30,
          appSg: 147,
          bastionSg: 126,
          app: 179,
          bastion: 168,
        }),
      ],
    };
    expect(stdout).toBe(`${JSON.stringify(expected, null, 2)}\n`);
  });

  it('prints the same network for Terraform HCL', () => {
    const file = 'terraform-hcl/network-public-private.tf';
    const { code, stdout } = run(FIXTURES, 'graph', file);
    expect(code).toBe(0);
    const expected = {
      version: VERSION,
      graphs: [
        networkPublicPrivate(file, TF, {
          vpc: 5,
          igw: 11,
          nat: 30,
          privateTable: 43,
          publicTable: 35,
          privateSubnet: 21,
          publicSubnet: 15,
          appSg: 74,
          bastionSg: 63,
          app: 92,
          bastion: 85,
        }),
      ],
    };
    expect(stdout).toBe(`${JSON.stringify(expected, null, 2)}\n`);
  });

  it('follows network ACLs, load balancer listeners and database subnet groups', () => {
    writeFileSync(path.join(tmp, 'acl.yaml'), ACL_TEMPLATE);
    const { code, stdout } = run(tmp, 'graph', 'acl.yaml');
    expect(code).toBe(0);
    const graph = (
      JSON.parse(stdout) as { graphs: { nodes: unknown[]; edges: unknown[]; exposures: unknown[] }[] }
    ).graphs[0]!;
    expect(graph.nodes).toEqual([
      { id: 'internet', type: 'internet', label: 'Internet', file: null, line: null },
      { id: 'Vpc', type: 'vpc', label: 'Vpc', file: 'acl.yaml', line: 3, severity: 'warning' },
      { id: 'Igw', type: 'internet-gateway', label: 'Igw', file: 'acl.yaml', line: 7 },
      { id: 'Routes', type: 'route-table', label: 'Routes', file: 'acl.yaml', line: 20 },
      { id: 'Acl', type: 'network-acl', label: 'Acl', file: 'acl.yaml', line: 35 },
      { id: 'Public', type: 'subnet', label: 'Public', file: 'acl.yaml', line: 14, severity: 'info' },
      {
        id: 'AdminSg',
        type: 'security-group',
        label: 'AdminSg',
        file: 'acl.yaml',
        line: 62,
        severity: 'error',
      },
      { id: 'Nlb', type: 'load-balancer', label: 'Nlb', file: 'acl.yaml', line: 78 },
      { id: 'Windows', type: 'instance', label: 'Windows', file: 'acl.yaml', line: 72, severity: 'warning' },
      { id: 'Db', type: 'database', label: 'Db', file: 'acl.yaml', line: 93, severity: 'error' },
    ]);
    expect(graph.edges).toEqual([
      { from: 'Acl', to: 'Public', kind: 'network-acl' },
      { from: 'AdminSg', to: 'Db', kind: 'security-group' },
      { from: 'AdminSg', to: 'Nlb', kind: 'security-group' },
      { from: 'AdminSg', to: 'Windows', kind: 'security-group' },
      { from: 'Igw', to: 'Routes', kind: 'route', label: '0.0.0.0/0' },
      { from: 'Igw', to: 'Vpc', kind: 'attachment' },
      { from: 'Public', to: 'Db', kind: 'subnet' },
      { from: 'Public', to: 'Nlb', kind: 'subnet' },
      { from: 'Public', to: 'Windows', kind: 'subnet' },
      { from: 'Routes', to: 'Public', kind: 'association' },
      { from: 'Vpc', to: 'Public', kind: 'contains' },
      { from: 'internet', to: 'Igw', kind: 'internet' },
    ]);
    const via = ['internet', 'Igw', 'Routes', 'Acl', 'Public', 'AdminSg'];
    // SSH and RDP with a complete path are reported by their own rules, which carry the path.
    const ssh = { rule: 'ssh-open-to-internet', severity: 'error', protocol: 'tcp' };
    const rdp = { rule: 'rdp-open-to-internet', severity: 'error', protocol: 'tcp' };
    // The ACL allows 22 and 3389 only: the security group's 22-3389 range reaches SSH on the
    // load balancer (its listener is on 22) and SSH and RDP on the instance; nothing else.
    expect(graph.exposures).toEqual([
      { ...ssh, service: 'SSH', port: 22, path: [...via, 'Nlb'] },
      { ...ssh, service: 'SSH', port: 22, path: [...via, 'Windows'] },
      { ...rdp, service: 'RDP', port: 3389, path: [...via, 'Windows'] },
    ]);
  });

  it('lists no exposure when the ACL denies the port or when the rule is turned off', () => {
    writeFileSync(path.join(tmp, 'rdp-only.yaml'), ACL_TEMPLATE.replace(SSH_ENTRY, ''));
    const onlyRdp = JSON.parse(run(tmp, 'graph', 'rdp-only.yaml').stdout) as {
      graphs: { exposures: { port: number; path: string[] }[] }[];
    };
    expect(onlyRdp.graphs[0]!.exposures.map((x) => [x.port, x.path.at(-1)])).toEqual([[3389, 'Windows']]);

    writeFileSync(path.join(tmp, '.iac-netsec.yaml'), 'rules:\n  internet-exposure-path: off\n');
    const off = JSON.parse(run(tmp, 'graph', 'acl.yaml').stdout) as { graphs: { exposures: unknown[] }[] };
    rmSync(path.join(tmp, '.iac-netsec.yaml'));
    expect(off.graphs[0]!.exposures).toEqual([]);
  });

  it('draws a Terraform folder as one unit: the module read across its files and tfvars, like check', () => {
    const dir = path.join(tmp, 'module');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'network.tf'), PUBLIC_NETWORK_TF);
    writeFileSync(path.join(dir, 'compute.tf'), MODULE_COMPUTE);
    writeFileSync(path.join(dir, 'terraform.tfvars'), 'admin_cidr = "0.0.0.0/0"\n');
    // The folder, or any file of it, or the files together: one graph whose unit is the folder.
    for (const args of [['module'], ['module/compute.tf'], ['module/network.tf', 'module/compute.tf']]) {
      const { code, stdout, stderr } = run(tmp, 'graph', ...args);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const graphs = (JSON.parse(stdout) as { graphs: unknown[] }).graphs;
      expect(graphs).toEqual([
        {
          unit: 'module',
          nodes: [
            { id: 'internet', type: 'internet', label: 'Internet', file: null, line: null },
            {
              id: 'aws_vpc.main',
              type: 'vpc',
              label: 'aws_vpc.main',
              file: 'module/network.tf',
              line: 1,
              severity: 'warning',
            },
            {
              id: 'aws_internet_gateway.main',
              type: 'internet-gateway',
              label: 'aws_internet_gateway.main',
              file: 'module/network.tf',
              line: 5,
            },
            {
              id: 'aws_route_table.public',
              type: 'route-table',
              label: 'aws_route_table.public',
              file: 'module/network.tf',
              line: 15,
            },
            {
              id: 'aws_subnet.public',
              type: 'subnet',
              label: 'aws_subnet.public',
              file: 'module/network.tf',
              line: 9,
              severity: 'info',
            },
            {
              id: 'aws_security_group.admin',
              type: 'security-group',
              label: 'aws_security_group.admin',
              file: 'module/compute.tf',
              line: 5,
              severity: 'error',
            },
            {
              id: 'aws_instance.bastion',
              type: 'instance',
              label: 'aws_instance.bastion',
              file: 'module/compute.tf',
              line: 15,
              severity: 'warning',
            },
          ],
          edges: [
            {
              from: 'aws_internet_gateway.main',
              to: 'aws_route_table.public',
              kind: 'route',
              label: '0.0.0.0/0',
            },
            { from: 'aws_internet_gateway.main', to: 'aws_vpc.main', kind: 'attachment' },
            { from: 'aws_route_table.public', to: 'aws_subnet.public', kind: 'association' },
            { from: 'aws_security_group.admin', to: 'aws_instance.bastion', kind: 'security-group' },
            { from: 'aws_subnet.public', to: 'aws_instance.bastion', kind: 'subnet' },
            { from: 'aws_vpc.main', to: 'aws_subnet.public', kind: 'contains' },
            { from: 'internet', to: 'aws_internet_gateway.main', kind: 'internet' },
          ],
          exposures: [
            {
              rule: 'ssh-open-to-internet',
              severity: 'error',
              service: 'SSH',
              port: 22,
              protocol: 'tcp',
              path: [
                'internet',
                'aws_internet_gateway.main',
                'aws_route_table.public',
                'aws_subnet.public',
                'aws_security_group.admin',
                'aws_instance.bastion',
              ],
            },
          ],
        },
      ]);
    }
    // check reports the same exposure, in the file that opens the port, with the tfvars value.
    const check = run(tmp, 'check', '--format', 'json', 'module');
    const findings = (
      JSON.parse(check.stdout) as { findings: { file: string; rule: string; line: number }[] }
    ).findings;
    expect(findings.filter((f) => f.rule === 'ssh-open-to-internet')).toEqual([
      expect.objectContaining({
        file: path.join('module', 'compute.tf'),
        rule: 'ssh-open-to-internet',
        line: 11,
      }),
    ]);
    // A folder that defines one address twice is not a module: one unit per file, as before.
    writeFileSync(path.join(dir, 'copy.tf'), MODULE_COMPUTE);
    const alone = JSON.parse(run(tmp, 'graph', 'module').stdout) as { graphs: { unit: string }[] };
    expect(alone.graphs.map((g) => g.unit)).toEqual([
      path.join('module', 'compute.tf'),
      path.join('module', 'copy.tf'),
      path.join('module', 'network.tf'),
    ]);
  });

  it('skips documents without a network and IAM policies, and exits 2 on a missing path', () => {
    const { code, stdout } = run(FIXTURES, 'graph', 'iam/typos.json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ version: VERSION, graphs: [] });
    const missing = run(FIXTURES, 'graph', 'no-such-file.yaml');
    expect(missing.code).toBe(2);
  });

  it('rejects formats that do not apply', () => {
    const bad = run(FIXTURES, 'graph', '--format', 'sarif', 'cfn-yaml');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('graph prints json, mermaid or dot.');
    const mermaidCheck = run(FIXTURES, 'check', '--format', 'mermaid', 'cfn-yaml');
    expect(mermaidCheck.code).toBe(2);
    expect(mermaidCheck.stderr).toContain('--format mermaid only applies to graph.');
  });
});

// ---------- Mermaid ----------

/**
 * A strict check of the Mermaid flowchart subset we print (the `mermaid` package needs a DOM to
 * parse, so it cannot run in node tests): header, node shapes with quoted labels (no raw quotes,
 * only <br/> and <small> markup), edges between declared nodes with quoted labels, balanced
 * subgraphs, classes that are defined, and link styles that point at thick (exposed) edges.
 * Returns the problems; [] when the text is valid.
 */
function mermaidProblems(text: string): string[] {
  const problems: string[] = [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (!/^flowchart (LR|RL|TB|TD|BT)$/.test(lines[0] ?? '')) problems.push(`bad header: ${lines[0]}`);
  const LABEL = String.raw`"(?:[^"<>]|#\d+;|<br/>|</?small>)*"`;
  const ID = '[A-Za-z][A-Za-z0-9_]*';
  const shapes = [
    String.raw`\(\(${LABEL}\)\)`,
    String.raw`\[${LABEL}\]`,
    String.raw`\{\{${LABEL}\}\}`,
    String.raw`\[/${LABEL}/\]`,
    String.raw`\[\(${LABEL}\)\]`,
    String.raw`\(${LABEL}\)`,
  ];
  const nodeRe = new RegExp(`^\\s*(${ID})(?:${shapes.join('|')})$`);
  const edgeRe = new RegExp(`^\\s*(${ID}) (-->|==>)(?:\\|${LABEL}\\|)? (${ID})$`);
  const subgraphRe = new RegExp(`^\\s*subgraph (${ID})\\[${LABEL}\\]$`);
  const classRe = new RegExp(`^\\s*class (${ID}) (${ID})$`);
  const classDefRe = /^\s*classDef ([A-Za-z][\w-]*) ([\w-]+:[#\w.%-]+(,[\w-]+:[#\w.%-]+)*)$/;
  const linkStyleRe = /^\s*linkStyle (\d+(?:,\d+)*) ([\w-]+:[#\w.%-]+(,[\w-]+:[#\w.%-]+)*)$/;
  const nodes = new Set<string>();
  const defined = new Set<string>();
  const used: string[] = [];
  const edges: string[] = [];
  let depth = 0;
  for (const line of lines.slice(1)) {
    let m: RegExpExecArray | null;
    if ((m = nodeRe.exec(line))) {
      if (nodes.has(m[1]!)) problems.push(`node declared twice: ${m[1]}`);
      nodes.add(m[1]!);
    } else if ((m = edgeRe.exec(line))) {
      if (!nodes.has(m[1]!) || !nodes.has(m[3]!)) problems.push(`edge to an undeclared node: ${line}`);
      edges.push(m[2]!);
    } else if ((m = subgraphRe.exec(line))) depth++;
    else if (/^\s*end$/.test(line)) {
      if (--depth < 0) problems.push('end without subgraph');
    } else if ((m = classRe.exec(line))) {
      if (!nodes.has(m[1]!)) problems.push(`class on an undeclared node: ${line}`);
      used.push(m[2]!);
    } else if ((m = classDefRe.exec(line))) defined.add(m[1]!);
    else if ((m = linkStyleRe.exec(line))) {
      for (const index of m[1]!.split(',').map(Number))
        if (edges[index] !== '==>') problems.push(`linkStyle ${index} is not an exposed edge`);
    } else problems.push(`not valid: ${JSON.stringify(line)}`);
  }
  if (depth !== 0) problems.push('unbalanced subgraph');
  for (const name of used) if (!defined.has(name)) problems.push(`class ${name} is not defined`);
  return problems;
}

describe('iac-netsec graph --format mermaid', () => {
  it('draws the exposed path thick with the port on the last edge', () => {
    const { code, stdout } = run(
      FIXTURES,
      'graph',
      '--format',
      'mermaid',
      'cfn-yaml/network-public-private.yaml',
    );
    expect(code).toBe(0);
    expect(stdout).toBe(`flowchart LR
  u0n0(("Internet"))
  u0n1["Vpc<br/><small>VPC</small>"]
  u0n2{{"InternetGateway<br/><small>internet gateway</small>"}}
  u0n3{{"NatGateway<br/><small>NAT gateway</small>"}}
  u0n4["PrivateRouteTable<br/><small>route table</small>"]
  u0n5["PublicRouteTable<br/><small>route table</small>"]
  u0n6["PrivateSubnet<br/><small>subnet</small>"]
  u0n7["PublicSubnet<br/><small>subnet</small>"]
  u0n8[/"AppSecurityGroup<br/><small>security group</small>"/]
  u0n9[/"BastionSecurityGroup<br/><small>security group</small>"/]
  u0n10("AppServer<br/><small>instance</small>")
  u0n11("Bastion<br/><small>instance</small>")
  u0n8 --> u0n10
  u0n2 --> u0n1
  u0n3 -->|"0.0.0.0/0"| u0n4
  u0n4 --> u0n6
  u0n6 --> u0n10
  u0n7 --> u0n11
  u0n7 --> u0n3
  u0n1 --> u0n6
  u0n1 --> u0n7
  u0n0 ==> u0n2
  u0n2 ==> u0n5
  u0n5 ==> u0n7
  u0n7 ==> u0n9
  u0n9 ==>|"TCP 22"| u0n11
  class u0n0 internet
  class u0n1 warning
  class u0n8 error
  class u0n9 error
  class u0n10 warning
  class u0n11 exposed
  classDef internet fill:#fde2e1,stroke:#d73a49,color:#24292f
  classDef exposed fill:#fde2e1,stroke:#d73a49,stroke-width:3px,color:#24292f
  classDef error stroke:#d73a49,stroke-width:2px
  classDef warning stroke:#bf8700,stroke-width:2px
  linkStyle 9,10,11,12,13 stroke:#d73a49,stroke-width:3px
`);
    expect(mermaidProblems(stdout)).toEqual([]);
  });

  it('is valid for every fixture, several units as subgraphs, odd ids escaped', () => {
    writeFileSync(path.join(tmp, 'acl.yaml'), ACL_TEMPLATE);
    const all = run(FIXTURES, 'graph', '--format', 'mermaid', '.');
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^ {2}subgraph u\d+\["cfn-json\/exposure-security-groups\.json"\]$/m);
    expect(mermaidProblems(all.stdout)).toEqual([]);
    const acl = run(tmp, 'graph', '--format', 'mermaid', 'acl.yaml');
    expect(acl.stdout).toContain('==>|"TCP 22, TCP 3389"|');
    expect(mermaidProblems(acl.stdout)).toEqual([]);
  });

  it('the grammar check rejects what Mermaid would not parse', () => {
    const ok = 'flowchart LR\n  a["A"]\n  b["B"]\n  a ==> b\n  linkStyle 0 stroke:#d73a49\n';
    expect(mermaidProblems(ok)).toEqual([]);
    expect(mermaidProblems(ok.replace('["A"]', '["A "quoted""]'))).not.toEqual([]);
    expect(mermaidProblems(ok.replace('a ==> b', 'a ==> c'))).toEqual([
      'edge to an undeclared node:   a ==> c',
    ]);
    expect(mermaidProblems(ok.replace('a ==> b', 'a --> b'))).toEqual(['linkStyle 0 is not an exposed edge']);
    expect(mermaidProblems(`${ok}  subgraph s["S"]\n`)).toEqual(['unbalanced subgraph']);
  });
});

describe('iac-netsec graph --format dot', () => {
  it('prints a Graphviz digraph with a cluster per unit and the exposed path in red', () => {
    const { code, stdout } = run(
      FIXTURES,
      'graph',
      '--format',
      'dot',
      'cfn-yaml/network-public-private.yaml',
    );
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines.slice(0, 5)).toEqual([
      'digraph network {',
      '  rankdir=LR;',
      '  node [shape=box, style=rounded, fontname="Helvetica"];',
      '  subgraph cluster_0 {',
      '    label="cfn-yaml/network-public-private.yaml";',
    ]);
    expect(lines).toContain(
      '    "0:internet" [label="Internet", shape=ellipse, color="#d73a49", penwidth=2];',
    );
    expect(lines).toContain('    "0:Bastion" [label="Bastion\\ninstance", color="#d73a49", penwidth=2];');
    expect(lines).toContain('    "0:NatGateway" -> "0:PrivateRouteTable" [label="0.0.0.0/0"];');
    expect(lines).toContain(
      '    "0:BastionSecurityGroup" -> "0:Bastion" [color="#d73a49", penwidth=3, label="TCP 22", fontcolor="#d73a49"];',
    );
    expect(lines.slice(-3)).toEqual(['  }', '}', '']);
    // 13 links; the exposed path replaces 4 of them and adds subnet → security group.
    expect(lines.filter((l) => l.includes(' -> ')).length).toBe(14);
  });
});

// ---------- check --format markdown ----------

describe('iac-netsec check --format markdown', () => {
  it('writes counts, the findings table with file:line links and the Mermaid map of exposed paths', () => {
    const { code, stdout } = run(
      FIXTURES,
      'check',
      '--format',
      'markdown',
      'cfn-yaml/network-public-private.yaml',
    );
    expect(code).toBe(1);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('## IaC network security');
    expect(lines[2]).toMatch(
      /^🔴 \*\*\d+\*\* errors · 🟠 \*\*\d+\*\* warnings · 🔵 \*\*\d+\*\* info in 1 file checked\.$/,
    );
    expect(lines.slice(4, 6)).toEqual([
      '| Severity | Rule | Location | Message |',
      '| --- | --- | --- | --- |',
    ]);
    // SSH with a complete path is one finding of ssh-open-to-internet that carries the path.
    const row = lines.find((l) => l.includes('network-public-private.yaml:82]'));
    expect(row).toBe(
      '| 🔴 error | [`ssh-open-to-internet`](https://github.com/iac-netsec/iac-netsec/blob/main/server/src/rules/ssh-open-to-internet/rule.md) | [cfn-yaml/network-public-private.yaml:82](cfn-yaml/network-public-private.yaml#L82) | SSH (TCP port 22) is open to the internet and reachable on instance Bastion: internet gateway InternetGateway → route 0.0.0.0/0 in PublicRouteTable → public subnet PublicSubnet → instance Bastion with a public IP → this rule (0.0.0.0/0). Allow SSH only from known ranges, or use Session Manager or a bastion. |',
    );
    const rows = lines.filter(
      (l) => l.startsWith('| ') && !l.startsWith('| Severity') && !l.startsWith('| ---'),
    );
    const json = JSON.parse(
      run(FIXTURES, 'check', '--format', 'json', 'cfn-yaml/network-public-private.yaml').stdout,
    ) as {
      findings: unknown[];
    };
    expect(rows.length).toBe(json.findings.length);
    // Errors first.
    expect(rows.findIndex((r) => !r.startsWith('| 🔴'))).toBeGreaterThan(0);
    const map = stdout.slice(stdout.indexOf('### Exposure map'));
    expect(map).toBe(`### Exposure map

- **cfn-yaml/network-public-private.yaml**: SSH (TCP 22) on \`Bastion\`

\`\`\`mermaid
flowchart LR
  u0n0(("Internet"))
  u0n1{{"InternetGateway<br/><small>internet gateway</small>"}}
  u0n2["PublicRouteTable<br/><small>route table</small>"]
  u0n3["PublicSubnet<br/><small>subnet</small>"]
  u0n4[/"BastionSecurityGroup<br/><small>security group</small>"/]
  u0n5("Bastion<br/><small>instance</small>")
  u0n0 ==> u0n1
  u0n1 ==> u0n2
  u0n2 ==> u0n3
  u0n3 ==> u0n4
  u0n4 ==>|"TCP 22"| u0n5
  class u0n0 internet
  class u0n4 error
  class u0n5 exposed
  classDef internet fill:#fde2e1,stroke:#d73a49,color:#24292f
  classDef exposed fill:#fde2e1,stroke:#d73a49,stroke-width:3px,color:#24292f
  classDef error stroke:#d73a49,stroke-width:2px
  classDef warning stroke:#bf8700,stroke-width:2px
  linkStyle 0,1,2,3,4 stroke:#d73a49,stroke-width:3px
\`\`\`
`);
    const mermaid = map.slice(map.indexOf('```mermaid\n') + 11, map.lastIndexOf('```'));
    expect(mermaidProblems(mermaid)).toEqual([]);
  });

  it('links to the commit on GitHub Actions and says when nothing is exposed', () => {
    const result = spawnSync(
      process.execPath,
      [CLI, 'check', '--format', 'markdown', 'cfn-yaml/ssh-admin-access.yaml'],
      {
        cwd: FIXTURES,
        encoding: 'utf8',
        env: {
          ...process.env,
          GITHUB_SERVER_URL: 'https://github.com',
          GITHUB_REPOSITORY: 'o/r',
          GITHUB_SHA: 'abc123',
        },
      },
    );
    expect(result.stdout).toMatch(
      /\| \[cfn-yaml\/ssh-admin-access\.yaml:\d+\]\(https:\/\/github\.com\/o\/r\/blob\/abc123\/cfn-yaml\/ssh-admin-access\.yaml#L\d+\) \|/,
    );
    expect(result.stdout).toContain(
      '### Exposure map\n\nNo path from the internet to an admin or sensitive port.\n',
    );
    const clean = run(FIXTURES, 'check', '--format', 'markdown', 'iam/github-oidc-trust-policy.json');
    expect(clean.stdout.split('\n').slice(0, 3)).toEqual([
      '## IaC network security',
      '',
      'No findings in 1 file checked.',
    ]);
  });
});

const SSH_ENTRY = `  AllowSsh:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Acl
      RuleNumber: 110
      Protocol: 6
      RuleAction: allow
      CidrBlock: 0.0.0.0/0
      PortRange: { From: 22, To: 22 }
`;

const ACL_TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Igw:
    Type: AWS::EC2::InternetGateway
  Attach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties:
      VpcId: !Ref Vpc
      InternetGatewayId: !Ref Igw
  Public:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.0.0/24
      MapPublicIpOnLaunch: true
  Routes:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  ToInternet:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref Routes
      DestinationCidrBlock: 0.0.0.0/0
      GatewayId: !Ref Igw
  PublicRoutes:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref Public
      RouteTableId: !Ref Routes
  Acl:
    Type: AWS::EC2::NetworkAcl
    Properties:
      VpcId: !Ref Vpc
  AllowRdp:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Acl
      RuleNumber: 100
      Protocol: 6
      RuleAction: allow
      CidrBlock: 0.0.0.0/0
      PortRange: { From: 3389, To: 3389 }
${SSH_ENTRY}  PublicAcl:
    Type: AWS::EC2::SubnetNetworkAclAssociation
    Properties:
      SubnetId: !Ref Public
      NetworkAclId: !Ref Acl
  AdminSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: admin
      VpcId: !Ref Vpc
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 3389
          CidrIp: 0.0.0.0/0
  Windows:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-12345678
      SubnetId: !Ref Public
      SecurityGroupIds: [!Ref AdminSg]
  Nlb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Type: network
      Subnets: [!Ref Public]
      SecurityGroups: [!Ref AdminSg]
  SshListener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Nlb
      Port: 22
      Protocol: TCP
      DefaultActions:
        - Type: forward
          TargetGroupArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/t/1
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t3.micro
      DBSubnetGroupName: !Ref DbSubnets
      VPCSecurityGroups: [!GetAtt AdminSg.GroupId]
  DbSubnets:
    Type: AWS::RDS::DBSubnetGroup
    Properties:
      DBSubnetGroupDescription: db
      SubnetIds: [!Ref Public]
`;

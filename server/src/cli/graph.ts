// `iac-netsec graph`: the network map of each unit of analysis (service/networkMap.ts) as JSON,
// a Mermaid flowchart or a Graphviz digraph. A unit is a file, or a Terraform module folder: the
// `.tf`/`.tf.json` files of one folder (with its tfvars and local modules, read as `check` reads
// them, cli/check.ts `moduleOf`) are one graph whose `unit` is the folder and whose nodes name
// the file they are written in. Units are sorted by path, and everything inside a unit is sorted
// by ids, so the output diffs well.

import path from 'node:path';
import { analyze, type Analysis } from '../engine/analyze';
import type { Settings } from '../engine/settings';
import { decodeUtf8, readRegularFile } from '../io/readFile';
import type { TemplateDocument } from '../model/document';
import { loadDocument } from '../model/load';
import { initHcl } from '../parse/hcl';
import type { MapExposure, MapNode, MapNodeType, NetworkMap } from '../service/networkMap';
import { buildNetworkMap, INTERNET } from '../service/networkMap';
import { analyzeInModule, moduleFileKind } from '../unit/module';
import type { Args } from './args';
import { moduleOf, readErrorText } from './check';
import { CliConfigs, collectFiles, displayPath, type FileJob } from './files';
import type { Io } from './run';

export interface GraphUnit {
  /** The file (as shown), or a Terraform module folder. */
  unit: string;
  map: NetworkMap;
  /** The file (as shown) each node is written in, when it is not `unit` (module folders). */
  files?: Map<string, string>;
}

/** The map of one file; undefined when it is not a template or has no network. */
export function graphOfText(
  display: string,
  absolute: string,
  text: string,
  settings: Settings,
): GraphUnit | undefined {
  const doc = loadDocument(absolute, text);
  if (!doc) return undefined;
  const map = buildNetworkMap(analyze(doc, settings), settings);
  return map.nodes.length ? { unit: display, map } : undefined;
}

/**
 * The map of an analysis whose document was read with other files (a Terraform module): a node
 * written in another file than the unit records that file, as shown.
 */
function unitOf(unit: string, analysis: Analysis, settings: Settings, cwd: string): GraphUnit | undefined {
  const map = buildNetworkMap(analysis, settings);
  if (!map.nodes.length) return undefined;
  const files = new Map<string, string>();
  for (const node of map.nodes) {
    const file = node.id === INTERNET ? unit : displayPath(cwd, node.file ?? analysis.doc.uri);
    if (file !== unit) files.set(node.id, file);
  }
  return files.size ? { unit, map, files } : { unit, map };
}

/** A folder as shown: relative to the working directory, `.` for the directory itself. */
function folderDisplay(cwd: string, dir: string): string {
  return path.resolve(cwd) === dir ? '.' : displayPath(cwd, dir);
}

/**
 * The graph of a Terraform folder read as one module: the first configuration file of the folder
 * with every other file as its siblings, and the findings of all of them (not only the first
 * file's, as `check` reports per file). Undefined when the folder is not one module (a single
 * configuration file, or resource addresses defined twice: files read alone, as `check` does).
 */
function folderGraph(job: FileJob, settings: Settings, cwd: string): GraphUnit | null | undefined {
  const module = moduleOf(job);
  const configs = module.files.filter((f) => ['hcl', 'json'].includes(moduleFileKind(f.uri) ?? ''));
  if (configs.length < 2) return undefined;
  const first = configs[0]!;
  const doc: TemplateDocument | undefined = loadDocument(first.uri, first.text);
  if (doc?.format !== 'tf') return undefined;
  module.reader.extend(doc, module.files, module.readModule);
  if (!doc.siblings?.some((s) => ['hcl', 'json'].includes(moduleFileKind(s.uri) ?? ''))) return undefined;
  return (
    unitOf(folderDisplay(cwd, path.dirname(job.absolute)), analyze(doc, settings), settings, cwd) ?? null
  );
}

export function graphsOf(
  jobs: readonly FileJob[],
  table: Record<string, Settings>,
  io: Io,
): { units: GraphUnit[]; broken: boolean } {
  const units: GraphUnit[] = [];
  let broken = false;
  /** Terraform folders already drawn as one module (their other files are in that graph). */
  const folders = new Set<string>();
  /** Terraform folders that are not one module: their files are drawn one by one. */
  const alone = new Set<string>();
  const fail = (job: FileJob, error: unknown) => {
    io.stderr(
      `iac-netsec: ${job.display}: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    broken = true;
  };
  for (const job of jobs) {
    const settings = table[job.settingsKey]!;
    const kind = moduleFileKind(job.absolute);
    const terraform = kind === 'hcl' || kind === 'json';
    const dir = path.dirname(job.absolute);
    if (terraform && folders.has(dir)) continue;
    if (terraform && !alone.has(dir)) {
      try {
        const unit = folderGraph(job, settings, io.cwd);
        if (unit !== undefined) {
          folders.add(dir);
          if (unit) units.push(unit);
          continue;
        }
        alone.add(dir);
      } catch (error) {
        fail(job, error);
        continue;
      }
    }
    let text: string;
    try {
      text = decodeUtf8(readRegularFile(job.absolute, { roots: job.roots }).bytes).text;
    } catch (error) {
      io.stderr(`iac-netsec: ${job.display}: ${readErrorText(error)}\n`);
      broken = true;
      continue;
    }
    try {
      if (terraform) {
        // A file alone in its folder (or in a folder that is not one module): still with its
        // tfvars and the local modules it calls, as `check` reads it.
        const doc = loadDocument(job.absolute, text);
        if (!doc) continue;
        const module = moduleOf(job);
        const analysis = analyzeInModule(doc, settings, module.files, module.reader, module.readModule);
        const unit = unitOf(job.display, analysis, settings, io.cwd);
        if (unit) units.push(unit);
        continue;
      }
      const unit = graphOfText(job.display, job.absolute, text, settings);
      if (unit) units.push(unit);
    } catch (error) {
      fail(job, error);
    }
  }
  units.sort((a, b) => (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0));
  return { units, broken };
}

export async function runGraph(args: Args, io: Io): Promise<number> {
  await initHcl(io.distDir);
  const configs = new CliConfigs(io.cwd, args.config);
  const jobs = collectFiles(io.cwd, args.paths, configs);
  for (const warning of configs.warnings) io.stderr(`iac-netsec: ${warning}\n`);
  const { units, broken } = graphsOf(jobs, configs.table(), io);
  switch (args.format) {
    case 'mermaid':
      io.stdout(formatMermaid(units));
      break;
    case 'dot':
      io.stdout(formatDot(units));
      break;
    default:
      io.stdout(formatGraphJson(units, io.version));
  }
  return broken ? 2 : 0;
}

// ---------- JSON ----------

export function graphJson(unit: GraphUnit): unknown {
  const { map } = unit;
  return {
    unit: unit.unit,
    nodes: map.nodes.map((n) => ({
      id: n.id,
      type: n.type,
      label: n.label,
      file: n.id === INTERNET ? null : (unit.files?.get(n.id) ?? unit.unit),
      line: n.line,
      ...(n.severity ? { severity: n.severity } : {}),
    })),
    edges: map.edges.map((e) => ({
      from: e.from,
      to: e.to,
      kind: e.kind,
      ...(e.label ? { label: e.label } : {}),
    })),
    exposures: map.exposures.map((x) => ({
      rule: x.rule,
      severity: x.severity,
      service: x.service,
      port: x.port,
      ...(x.toPort !== undefined ? { toPort: x.toPort } : {}),
      protocol: x.protocol,
      path: x.path,
    })),
  };
}

export function formatGraphJson(units: readonly GraphUnit[], version: string): string {
  return `${JSON.stringify({ version, graphs: units.map(graphJson) }, null, 2)}\n`;
}

// ---------- shared by Mermaid and DOT ----------

const TYPE_NAMES: Record<MapNodeType, string> = {
  internet: 'internet',
  vpc: 'VPC',
  'internet-gateway': 'internet gateway',
  'nat-gateway': 'NAT gateway',
  'egress-only-gateway': 'egress-only gateway',
  'vpn-gateway': 'VPN gateway',
  'route-table': 'route table',
  'network-acl': 'network ACL',
  subnet: 'subnet',
  'security-group': 'security group',
  instance: 'instance',
  'launch-template': 'launch template',
  'launch-configuration': 'launch configuration',
  'auto-scaling-group': 'Auto Scaling group',
  'network-interface': 'network interface',
  'ecs-service': 'ECS service',
  'eks-nodegroup': 'EKS node group',
  lambda: 'Lambda function',
  'load-balancer': 'load balancer',
  database: 'database',
  'vpc-endpoint': 'VPC endpoint',
};

export function typeName(type: MapNodeType): string {
  return TYPE_NAMES[type];
}

/** "TCP 22", "TCP 20-21". */
export function portText(x: Pick<MapExposure, 'protocol' | 'port' | 'toPort'>): string {
  return `${x.protocol.toUpperCase()} ${x.port}${x.toPort !== undefined ? `-${x.toPort}` : ''}`;
}

interface Drawn {
  /** Structural edges not covered by an exposed edge. */
  edges: { from: string; to: string; label?: string }[];
  /** Exposed edges (pairs of consecutive path nodes), the last hop labelled with its ports. */
  exposed: { from: string; to: string; label?: string }[];
  /** Targets of exposure paths. */
  targets: Set<string>;
}

/** What to draw: exposed hops replace the structural edge between the same nodes. */
export function drawn(map: NetworkMap): Drawn {
  const exposed = new Map<string, { from: string; to: string; ports: string[] }>();
  const targets = new Set<string>();
  for (const x of map.exposures) {
    targets.add(x.path[x.path.length - 1]!);
    for (let i = 1; i < x.path.length; i++) {
      const from = x.path[i - 1]!;
      const to = x.path[i]!;
      const key = `${from}\u0000${to}`;
      let edge = exposed.get(key);
      if (!edge) exposed.set(key, (edge = { from, to, ports: [] }));
      const port = portText(x);
      if (i === x.path.length - 1 && !edge.ports.includes(port)) edge.ports.push(port);
    }
  }
  const edges = map.edges
    .filter((e) => !exposed.has(`${e.from}\u0000${e.to}`))
    .map((e) => (e.label ? { from: e.from, to: e.to, label: e.label } : { from: e.from, to: e.to }));
  return {
    edges,
    exposed: [...exposed.values()].map((e) =>
      e.ports.length ? { from: e.from, to: e.to, label: e.ports.join(', ') } : { from: e.from, to: e.to },
    ),
    targets,
  };
}

// ---------- Mermaid ----------

/** Text inside a quoted Mermaid label: quotes and markup as entity codes. */
function mermaidText(text: string): string {
  return text.replace(/[#"<>&|]/g, (c) => `#${c.charCodeAt(0)};`);
}

function mermaidShape(node: MapNode, label: string): string {
  const q = `"${label}"`;
  switch (node.type) {
    case 'internet':
      return `((${q}))`;
    case 'internet-gateway':
    case 'nat-gateway':
    case 'egress-only-gateway':
    case 'vpn-gateway':
      return `{{${q}}}`;
    case 'security-group':
    case 'network-acl':
      return `[/${q}/]`;
    case 'database':
      return `[(${q})]`;
    case 'instance':
    case 'auto-scaling-group':
    case 'load-balancer':
    case 'ecs-service':
    case 'eks-nodegroup':
    case 'lambda':
    case 'network-interface':
      return `(${q})`;
    default:
      return `[${q}]`;
  }
}

export const MERMAID_CLASSES = [
  'classDef internet fill:#fde2e1,stroke:#d73a49,color:#24292f',
  'classDef exposed fill:#fde2e1,stroke:#d73a49,stroke-width:3px,color:#24292f',
  'classDef error stroke:#d73a49,stroke-width:2px',
  'classDef warning stroke:#bf8700,stroke-width:2px',
];

/** The Mermaid lines of one map, node ids prefixed with `prefix`. */
export function mermaidBody(
  map: NetworkMap,
  prefix: string,
  indent: string,
  linkStart: number,
): { lines: string[]; links: number[]; linkCount: number } {
  const ids = new Map<string, string>();
  map.nodes.forEach((n, i) => ids.set(n.id, `${prefix}${i}`));
  const lines: string[] = [];
  const { edges, exposed, targets } = drawn(map);
  for (const node of map.nodes) {
    const label =
      node.type === 'internet'
        ? 'Internet'
        : `${mermaidText(node.label)}<br/><small>${mermaidText(typeName(node.type))}</small>`;
    lines.push(`${indent}${ids.get(node.id)!}${mermaidShape(node, label)}`);
  }
  for (const e of edges)
    lines.push(
      `${indent}${ids.get(e.from)!} -->${e.label ? `|"${mermaidText(e.label)}"|` : ''} ${ids.get(e.to)!}`,
    );
  const links: number[] = [];
  let index = linkStart + edges.length;
  for (const e of exposed) {
    lines.push(
      `${indent}${ids.get(e.from)!} ==>${e.label ? `|"${mermaidText(e.label)}"|` : ''} ${ids.get(e.to)!}`,
    );
    links.push(index++);
  }
  for (const node of map.nodes) {
    const id = ids.get(node.id)!;
    if (node.type === 'internet') lines.push(`${indent}class ${id} internet`);
    else if (targets.has(node.id)) lines.push(`${indent}class ${id} exposed`);
    else if (node.severity === 'error' || node.severity === 'warning')
      lines.push(`${indent}class ${id} ${node.severity}`);
  }
  return { lines, links, linkCount: edges.length + exposed.length };
}

/** One flowchart; several units are subgraphs of it. */
export function formatMermaid(units: readonly GraphUnit[], options: { onlyExposed?: boolean } = {}): string {
  const lines = ['flowchart LR'];
  const links: number[] = [];
  let linkCount = 0;
  const shown = units
    .map((u) => (options.onlyExposed ? { ...u, map: exposedOnly(u.map) } : u))
    .filter((u) => u.map.nodes.length);
  shown.forEach((unit, i) => {
    const several = shown.length > 1;
    if (several) lines.push(`  subgraph u${i}["${mermaidText(unit.unit)}"]`);
    const body = mermaidBody(unit.map, `u${i}n`, several ? '    ' : '  ', linkCount);
    lines.push(...body.lines);
    links.push(...body.links);
    linkCount += body.linkCount;
    if (several) lines.push('  end');
  });
  lines.push(...MERMAID_CLASSES.map((c) => `  ${c}`));
  if (links.length) lines.push(`  linkStyle ${links.join(',')} stroke:#d73a49,stroke-width:3px`);
  return `${lines.join('\n')}\n`;
}

/** Only the nodes and edges on exposure paths (for pull-request summaries). */
export function exposedOnly(map: NetworkMap): NetworkMap {
  const keep = new Set(map.exposures.flatMap((x) => x.path));
  return {
    nodes: map.nodes.filter((n) => keep.has(n.id)),
    edges: [],
    exposures: map.exposures,
  };
}

// ---------- Graphviz ----------

function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

const DOT_SHAPES: Partial<Record<MapNodeType, string>> = {
  internet: 'ellipse',
  'internet-gateway': 'hexagon',
  'nat-gateway': 'hexagon',
  'egress-only-gateway': 'hexagon',
  'vpn-gateway': 'hexagon',
  'security-group': 'parallelogram',
  'network-acl': 'parallelogram',
  database: 'cylinder',
};

export function formatDot(units: readonly GraphUnit[]): string {
  const lines = [
    'digraph network {',
    '  rankdir=LR;',
    '  node [shape=box, style=rounded, fontname="Helvetica"];',
  ];
  units.forEach((unit, i) => {
    lines.push(`  subgraph cluster_${i} {`, `    label=${dotString(unit.unit)};`);
    const id = (node: string) => dotString(`${i}:${node}`);
    const { edges, exposed, targets } = drawn(unit.map);
    for (const node of unit.map.nodes) {
      const attrs = [
        `label=${dotString(node.type === 'internet' ? 'Internet' : `${node.label}\n${typeName(node.type)}`)}`,
      ];
      const shape = DOT_SHAPES[node.type];
      if (shape) attrs.push(`shape=${shape}`);
      if (node.type === 'internet' || targets.has(node.id)) attrs.push('color="#d73a49"', 'penwidth=2');
      else if (node.severity === 'error') attrs.push('color="#d73a49"');
      else if (node.severity === 'warning') attrs.push('color="#bf8700"');
      lines.push(`    ${id(node.id)} [${attrs.join(', ')}];`);
    }
    for (const e of edges)
      lines.push(`    ${id(e.from)} -> ${id(e.to)}${e.label ? ` [label=${dotString(e.label)}]` : ''};`);
    for (const e of exposed)
      lines.push(
        `    ${id(e.from)} -> ${id(e.to)} [color="#d73a49", penwidth=3${e.label ? `, label=${dotString(e.label)}, fontcolor="#d73a49"` : ''}];`,
      );
    lines.push('  }');
  });
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

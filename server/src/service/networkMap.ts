// The network map of one analysed document, as plain data: the resources of the network graph
// (facts/graph/) as nodes, the links between them as edges, and the paths from the internet
// that the `internet-exposure-path` rule reports, as lists of node ids. Format-neutral: the CLI
// prints it as JSON, Mermaid or Graphviz; the language server sends it to the editor's map.
//
// Edges point away from the internet (the way inbound traffic goes): internet → internet
// gateway → route table (it routes to the gateway) → subnet (associated with the table) →
// workload (placed in the subnet); network ACL → subnet; security group → workload; VPC →
// subnet; launch template → instance / Auto Scaling group; subnet → VPC endpoint.
//
// Exposures come from the same analysis as the findings: a path is listed only when a finding
// reported it (internet-exposure-path, or ssh/rdp-open-to-internet carrying the path; enabled and
// not suppressed), with that finding's rule and severity. Ordering is stable
// (nodes by kind then id, edges and exposures by their ids) so the output diffs well.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from 'vscode-languageserver-types';
import type { Analysis } from '../engine/analyze';
import { Facts } from '../facts';
import type { NetworkGraph } from '../facts/graph/networkGraph';
import { networkGraph } from '../facts/graph/networkGraph';
import { kindOf } from '../facts/graph/kinds';
import { securityGroupRules } from '../facts/securityGroups';
import type { Resource, TemplateDocument } from '../model/document';
import type { Severity } from '../rules/types';
import { ADMIN_RULES, exposedServices, internetSources, peersOf } from '../rules/exposure/openToInternet';
import { exposurePaths, naclVerdict } from '../rules/exposure/paths';
import type { Settings } from '../engine/settings';
import { locate } from '../model/document';
import type { IacService } from './service';

export const INTERNET = 'internet';
export const EXPOSURE_RULE = 'internet-exposure-path';

export type MapNodeType =
  | 'internet'
  | 'vpc'
  | 'internet-gateway'
  | 'nat-gateway'
  | 'egress-only-gateway'
  | 'vpn-gateway'
  | 'route-table'
  | 'network-acl'
  | 'subnet'
  | 'security-group'
  | 'instance'
  | 'launch-template'
  | 'launch-configuration'
  | 'auto-scaling-group'
  | 'network-interface'
  | 'ecs-service'
  | 'eks-nodegroup'
  | 'lambda'
  | 'load-balancer'
  | 'database'
  | 'vpc-endpoint';

export type MapEdgeKind =
  | 'internet'
  | 'attachment'
  | 'route'
  | 'association'
  | 'network-acl'
  | 'contains'
  | 'subnet'
  | 'security-group'
  | 'launch-template'
  | 'endpoint';

export interface MapNode {
  /** Logical id / Terraform address; `internet` for the internet. */
  id: string;
  type: MapNodeType;
  label: string;
  /** 1-based line of the logical id / address; null for the internet. */
  line: number | null;
  /** The logical id / address in the document (for "reveal"); null for the internet. */
  range: Range | null;
  /**
   * Set when the node is written in another file of the unit (a Terraform module's sibling or
   * local module): that file's URI (editor) or path (CLI); `line` and `range` are in that file.
   */
  file?: string;
  /** Highest severity of the unsuppressed findings on this resource. */
  severity?: Severity;
  /** The VPC the node belongs to (for grouping), when known. */
  vpc?: string;
}

export interface MapEdge {
  from: string;
  to: string;
  kind: MapEdgeKind;
  /** Routes: the destination (`0.0.0.0/0`). */
  label?: string;
}

export interface MapExposure {
  rule: string;
  severity: Severity;
  /** The first port; `toPort` is set for a range (FTP 20-21). */
  port: number;
  toPort?: number;
  protocol: 'tcp' | 'udp';
  /** "SSH", "MySQL". */
  service: string;
  /** Node ids from `internet` to the target. */
  path: string[];
}

export interface NetworkMap {
  nodes: MapNode[];
  edges: MapEdge[];
  exposures: MapExposure[];
}

const TYPE_OF: Record<string, MapNodeType> = {
  vpc: 'vpc',
  igw: 'internet-gateway',
  nat: 'nat-gateway',
  eigw: 'egress-only-gateway',
  vgw: 'vpn-gateway',
  'route-table': 'route-table',
  nacl: 'network-acl',
  subnet: 'subnet',
  sg: 'security-group',
  instance: 'instance',
  'launch-template': 'launch-template',
  'launch-configuration': 'launch-configuration',
  asg: 'auto-scaling-group',
  eni: 'network-interface',
  'ecs-service': 'ecs-service',
  'eks-nodegroup': 'eks-nodegroup',
  lambda: 'lambda',
  lb: 'load-balancer',
  elb: 'load-balancer',
  endpoint: 'vpc-endpoint',
};

/** Display order of node types (the internet first, workloads last). */
export const TYPE_ORDER: readonly MapNodeType[] = [
  'internet',
  'vpc',
  'internet-gateway',
  'egress-only-gateway',
  'vpn-gateway',
  'nat-gateway',
  'route-table',
  'network-acl',
  'subnet',
  'vpc-endpoint',
  'security-group',
  'load-balancer',
  'launch-template',
  'launch-configuration',
  'auto-scaling-group',
  'instance',
  'network-interface',
  'ecs-service',
  'eks-nodegroup',
  'lambda',
  'database',
];

const DATABASES = new Set([
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBCluster',
  'aws_db_instance',
  'aws_rds_cluster',
]);

const SEVERITY_RANK: Record<Severity, number> = { hint: 0, info: 1, warning: 2, error: 3 };

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The network map of an analysed document (empty for IAM policies and documents without a network). */
export function buildNetworkMap(analysis: Analysis, settings: Settings): NetworkMap {
  const doc = analysis.doc;
  if (doc.format === 'iam') return { nodes: [], edges: [], exposures: [] };
  const facts = new Facts(doc);
  const graph = networkGraph(facts);
  const builder = new MapBuilder(doc, graph);
  builder.readNodes();
  builder.readEdges();
  builder.readExposures(facts, analysis, settings);
  return builder.result(analysis);
}

class MapBuilder {
  private readonly nodes = new Map<string, MapNode>();
  private readonly edges = new Map<string, MapEdge>();
  private readonly exposures = new Map<string, MapExposure>();
  private readonly byKeyNode = new Map<unknown, Resource>();

  constructor(
    private readonly doc: TemplateDocument,
    private readonly graph: NetworkGraph,
  ) {}

  private add(resource: Resource, type: MapNodeType, vpc?: string): void {
    if (this.nodes.has(resource.id)) return;
    // A resource of another file of the module (unit/module.ts): its line and range in that file.
    const at = locate(this.doc, resource.keyNode);
    const start = at.lines.positionAt(at.start);
    const end = at.lines.positionAt(at.end);
    const node: MapNode = {
      id: resource.id,
      type,
      label: resource.id,
      line: start.line + 1,
      range: { start, end },
    };
    if (at.uri !== this.doc.uri) node.file = at.uri;
    if (vpc) node.vpc = vpc;
    this.nodes.set(resource.id, node);
    this.byKeyNode.set(resource.keyNode, resource);
  }

  private edge(from: string | undefined, to: string | undefined, kind: MapEdgeKind, label?: string): void {
    if (!from || !to || from === to || !this.nodes.has(from) || !this.nodes.has(to)) return;
    const key = `${from}\u0000${to}\u0000${kind}`;
    const existing = this.edges.get(key);
    if (existing) {
      if (label && existing.label && !existing.label.split(', ').includes(label))
        existing.label = `${existing.label}, ${label}`;
      return;
    }
    this.edges.set(key, label ? { from, to, kind, label } : { from, to, kind });
  }

  readNodes(): void {
    const g = this.graph;
    for (const resource of this.doc.resources) {
      if (DATABASES.has(resource.type)) {
        this.add(resource, 'database');
        continue;
      }
      const kind = kindOf(resource.type);
      const type = kind && TYPE_OF[kind];
      if (!type) continue;
      let vpc: string | undefined;
      if (type === 'vpc') vpc = resource.id;
      else if (type === 'subnet') vpc = g.subnets.get(resource.id)?.vpc;
      else if (type === 'route-table') vpc = g.routeTables.get(resource.id)?.vpc;
      else if (type === 'network-acl') vpc = g.nacls.get(resource.id)?.vpc;
      this.add(resource, type, vpc);
    }
    // Terraform's aws_default_route_table / main route table association: the table's resource.
    for (const table of g.routeTables.values())
      if (table.resource && !this.nodes.has(table.resource.id))
        this.add(table.resource, 'route-table', table.vpc);
    if (
      [...g.gateways.values()].some((gw) => gw.kind === 'igw') ||
      [...g.routeTables.values()].some((t) => t.routes.some((r) => r.target.kind === 'igw'))
    )
      this.nodes.set(INTERNET, {
        id: INTERNET,
        type: 'internet',
        label: 'Internet',
        line: null,
        range: null,
      });
  }

  readEdges(): void {
    const g = this.graph;
    for (const gateway of g.gateways.values())
      if (gateway.kind === 'igw') this.edge(INTERNET, gateway.resource.id, 'internet');
    for (const vpc of g.vpcs.keys()) {
      for (const gateway of g.internetGatewaysOf(vpc)) this.edge(gateway.resource.id, vpc, 'attachment');
      for (const subnet of g.subnetsOf(vpc)) this.edge(vpc, subnet.resource.id, 'contains');
    }
    for (const table of g.routeTables.values()) {
      const tableId = table.resource?.id;
      for (const route of table.routes) {
        const destination = route.destination.cidr?.text;
        this.edge(route.target.id, tableId, 'route', destination);
      }
    }
    for (const subnet of g.subnets.keys()) {
      const table = g.routeTableOf(subnet)?.table;
      this.edge(table?.resource?.id, subnet, 'association');
      const nacl = g.naclOf(subnet)?.nacl;
      this.edge(nacl?.resource?.id, subnet, 'network-acl');
    }
    for (const gateway of g.gateways.values()) this.edge(gateway.subnet, gateway.resource.id, 'subnet');
    for (const compute of g.computes.values()) {
      const id = compute.resource.id;
      for (const link of compute.subnets) this.edge(link.id, id, 'subnet');
      for (const link of compute.securityGroups) this.edge(link.id, id, 'security-group');
      for (const link of compute.interfaces) this.edge(link.id, id, 'attachment');
      this.edge(compute.launchTemplate?.id, id, 'launch-template');
      this.edge(compute.launchConfiguration?.id, id, 'launch-template');
    }
    for (const lb of g.loadBalancers.values()) {
      for (const link of lb.subnets) this.edge(link.id, lb.resource.id, 'subnet');
      for (const link of lb.securityGroups) this.edge(link.id, lb.resource.id, 'security-group');
    }
    for (const endpoint of g.endpoints) {
      const id = endpoint.resource.id;
      for (const table of endpoint.routeTables) this.edge(table, id, 'endpoint');
      for (const subnet of endpoint.subnets) this.edge(subnet, id, 'subnet');
      if (!endpoint.routeTables.length && !endpoint.subnets.length) this.edge(endpoint.vpc, id, 'contains');
    }
    for (const resource of this.doc.resources) {
      if (!DATABASES.has(resource.type)) continue;
      const cfn = this.doc.format === 'cfn';
      const groups = cfn
        ? [...g.links(resource, ['VPCSecurityGroups']), ...g.links(resource, ['VpcSecurityGroupIds'])]
        : g.links(resource, ['vpc_security_group_ids']);
      for (const link of groups) this.edge(link.id, resource.id, 'security-group');
      const subnetGroup = g.firstLink(resource, [cfn ? 'DBSubnetGroupName' : 'db_subnet_group_name']);
      for (const subnet of (subnetGroup && g.dbSubnetGroups.get(subnetGroup.id)) ?? [])
        this.edge(subnet.id, resource.id, 'subnet');
    }
    // Nodes without a VPC of their own take their subnet's.
    for (const edge of this.edges.values()) {
      const to = this.nodes.get(edge.to)!;
      const from = this.nodes.get(edge.from)!;
      if (edge.kind === 'subnet' && !to.vpc && from.vpc) to.vpc = from.vpc;
    }
  }

  /**
   * The paths the findings report, as node ids: internet-exposure-path, and ssh/rdp-open-to-internet
   * when they carry the path themselves. Each exposure names the rule of the finding that reports it.
   */
  readExposures(facts: Facts, analysis: Analysis, settings: Settings): void {
    /** By the start of the open source: the rules reporting a path there, with their severity. */
    const reported = new Map<number, Map<string, Severity>>();
    // SSH and RDP paths are reported by their own rules, with the path (hover), as one diagnostic.
    const admin = Object.values(ADMIN_RULES);
    const carriesPath = (f: Analysis['findings'][number]) =>
      f.ruleId === EXPOSURE_RULE ||
      (admin.includes(f.ruleId) && f.hover !== undefined && settings.rules[EXPOSURE_RULE] !== 'off');
    for (const finding of analysis.findings)
      if (carriesPath(finding) && !finding.suppressed) {
        let byRule = reported.get(finding.start);
        if (!byRule) reported.set(finding.start, (byRule = new Map()));
        const was = byRule.get(finding.ruleId);
        if (!was || SEVERITY_RANK[finding.severity] > SEVERITY_RANK[was])
          byRule.set(finding.ruleId, finding.severity);
      }
    if (!reported.size) return;
    const g = this.graph;
    const rules = securityGroupRules(facts);
    for (const rule of rules) {
      if (rule.direction !== 'ingress') continue;
      const group =
        rule.groupId ??
        g.firstLink(rule.resource, ['security_group_id'])?.id ??
        g.firstLink(rule.resource, ['GroupId'])?.id;
      if (!group) continue;
      for (const open of internetSources(rule, peersOf(rule, rules), settings)) {
        const byRule = reported.get(open.source.node.start);
        if (!byRule) continue;
        const version = open.cidr.version;
        // As the rule: the first port range of the rule that completes a path.
        for (const range of rule.ranges) {
          const services = exposedServices(range, settings, { admin: true });
          const paths = exposurePaths(g, group, services, version);
          if (!paths.length) continue;
          for (const path of paths) {
            const subnetHop = path.hops[2];
            const subnet = subnetHop && this.byKeyNode.get(subnetHop.span)?.id;
            if (!subnet || !g.subnets.has(subnet)) continue;
            const table = g.routeTableOf(subnet)?.table;
            const route = table && g.internetRoute(table, version);
            for (const service of path.services) {
              const own = ADMIN_RULES[service.name];
              const ruleId =
                own && byRule.has(own)
                  ? own
                  : byRule.has(EXPOSURE_RULE)
                    ? EXPOSURE_RULE
                    : [...byRule.keys()][0]!;
              const nacl = naclVerdict(g, subnet, service, version);
              const ids = [
                INTERNET,
                route?.target.id,
                table?.resource?.id,
                nacl.entry ? nacl.nacl?.resource?.id : undefined,
                subnet,
                group,
                path.target.id,
              ].filter((id): id is string => id !== undefined && this.nodes.has(id));
              const exposure: MapExposure = {
                rule: ruleId,
                severity: byRule.get(ruleId)!,
                port: service.from,
                protocol: service.protocol,
                service: service.name,
                path: ids.filter((id, i) => ids[i - 1] !== id),
              };
              if (service.to !== service.from) exposure.toPort = service.to;
              const key = `${exposure.path.join('\u0000')}\u0000${service.protocol}\u0000${service.from}`;
              if (!this.exposures.has(key)) this.exposures.set(key, exposure);
            }
          }
          break;
        }
      }
    }
  }

  result(analysis: Analysis): NetworkMap {
    for (const finding of analysis.findings) {
      if (finding.suppressed || !finding.resourceId) continue;
      const node = this.nodes.get(finding.resourceId);
      if (node && (!node.severity || SEVERITY_RANK[finding.severity] > SEVERITY_RANK[node.severity]))
        node.severity = finding.severity;
    }
    const rank = (type: MapNodeType) => TYPE_ORDER.indexOf(type);
    const nodes = [...this.nodes.values()].sort((a, b) => rank(a.type) - rank(b.type) || compare(a.id, b.id));
    const edges = [...this.edges.values()].sort(
      (a, b) => compare(a.from, b.from) || compare(a.to, b.to) || compare(a.kind, b.kind),
    );
    const exposures = [...this.exposures.values()].sort(
      (a, b) =>
        compare(a.path[a.path.length - 1]!, b.path[b.path.length - 1]!) ||
        a.port - b.port ||
        compare(a.protocol, b.protocol) ||
        compare(a.path.join(' '), b.path.join(' ')),
    );
    return { nodes, edges, exposures };
  }
}

// ---------- the editor's map ----------

/** The language server's request for the map of an open document (params: `{ uri }`). */
export const NETWORK_MAP_REQUEST = 'iacNetsec/networkGraph';

export interface NetworkMapResult {
  uri: string;
  /** The document version the map was built from. */
  version: number;
  map: NetworkMap;
}

const maps = new WeakMap<Analysis, NetworkMap>();

/** The map of the cached analysis of this document version (built once per analysis); null when not ours. */
export function networkMapOf(
  service: IacService,
  document: TextDocument,
  settings: Settings,
): NetworkMapResult | null {
  const analysis = service.analysis(document, settings);
  if (!analysis) return null;
  let map = maps.get(analysis);
  if (!map) {
    map = buildNetworkMap(analysis, settings);
    maps.set(analysis, map);
  }
  return { uri: document.uri, version: document.version, map };
}

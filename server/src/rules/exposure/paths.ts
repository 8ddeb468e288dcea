// Paths from the internet to a workload (internet gateway → route → subnet → instance / load
// balancer → network ACL → security-group rule), for the exposure rules and the network map,
// and how their hops are described and drawn.

import type { NetworkGraph } from '../../facts/graph/networkGraph';
import type {
  ComputeFact,
  LoadBalancerFact,
  NaclEntryFact,
  NaclFact,
  PublicIp,
  RouteFact,
  RouteTableFact,
} from '../../facts/graph/types';
import type { Resource, TemplateDocument } from '../../model/document';
import { locate } from '../../model/document';
import type { Span } from '../../parse/tree';
import type { Via } from '../../resolve/values';
import type { RelatedInfo } from '../types';
import type { ExposedService } from './openToInternet';
import { describeService } from './openToInternet';

export interface Hop {
  span: Span;
  /** "Internet gateway Igw", "Route 0.0.0.0/0 to Igw in route table PublicRoutes". */
  text: string;
  /** The hop in the one-line summary of a path; absent: left out of it. */
  short?: string;
}

export interface ExposurePath {
  target: Resource;
  /** "instance Web", "Auto Scaling group Workers", "internet-facing load balancer Alb". */
  targetLabel: string;
  services: ExposedService[];
  hops: Hop[];
  /** Hops that rest on a parameter default, an allowed value or a condition branch. */
  via: Via[];
}

export interface NaclVerdict {
  verdict: 'allow' | 'deny' | 'unknown';
  nacl?: NaclFact;
  entry?: NaclEntryFact;
}

/**
 * Whether a subnet's network ACL lets traffic from the whole internet (of an IP version) in on a
 * port. Entries are evaluated lowest number first; an entry decides only when its range is the
 * whole internet (a narrower allow or deny leaves the rest of the internet to later entries);
 * nothing decides: the implicit deny. The VPC's default ACL allows everything unless Terraform
 * manages it (aws_default_network_acl). An entry that cannot be read makes the verdict unknown.
 * Return traffic (NACLs are stateless) is not checked.
 */
export function naclVerdict(
  graph: NetworkGraph,
  subnet: string,
  service: ExposedService,
  version: 4 | 6,
): NaclVerdict {
  const found = graph.naclOf(subnet);
  if (!found) return { verdict: 'allow' };
  const nacl = found.nacl;
  if (!nacl.declared) return { verdict: 'allow', nacl };
  const entries = nacl.entries.filter((e) => e.egress !== true);
  if (entries.some((e) => e.egress === undefined || e.unknown)) return { verdict: 'unknown', nacl };
  entries.sort((a, b) => a.number! - b.number!);
  for (const entry of entries) {
    if (entry.cidr?.version !== version || entry.cidr.prefix !== 0) continue;
    const covers =
      entry.protocol === 'all' ||
      (entry.protocol === service.protocol && entry.from <= service.from && service.from <= entry.to);
    if (!covers) continue;
    return { verdict: entry.action!, nacl, entry };
  }
  return { verdict: 'deny', nacl };
}

/** `line 12`, or `network.tf line 12` for a hop in another file of the module. */
function lineOf(doc: TemplateDocument, span: Span): string {
  const at = locate(doc, span);
  const line = `line ${at.lines.positionAt(at.start).line + 1}`;
  return at.uri === doc.uri ? line : `${at.uri.split(/[\\/]/).pop()} ${line}`;
}

function tableLabel(table: RouteTableFact): string {
  if (table.resource && !table.key.endsWith('#main')) return `route table ${table.resource.id}`;
  if (table.resource) return `main route table ${table.resource.id} of ${table.vpc ?? 'the VPC'}`;
  return `the main route table of ${table.vpc ?? 'the VPC'}`;
}

function routeSpan(route: RouteFact): Span {
  // A route resource: its logical id / address; an inline route: its destination.
  if (route.node === route.resource.properties) return route.resource.keyNode;
  return route.destination.node ?? route.node;
}

function gatewayHop(graph: NetworkGraph, route: RouteFact): { hop: Hop; label: string } {
  const gateway = route.target.id ? graph.gateways.get(route.target.id) : undefined;
  if (gateway) {
    const label = gateway.resource.id;
    return {
      hop: {
        span: gateway.resource.keyNode,
        text: `Internet gateway ${label}`,
        short: `internet gateway ${label}`,
      },
      label,
    };
  }
  const node = route.target.node ?? route.node;
  const label = node.kind === 'scalar' ? String(node.value) : 'an internet gateway';
  return {
    hop: { span: node, text: `Internet gateway ${label}`, short: `internet gateway ${label}` },
    label,
  };
}

function publicIpText(ip: PublicIp, version: 4 | 6, cfn: boolean): string {
  const what = version === 4 ? 'Public IP' : 'IPv6 address';
  switch (ip.reason) {
    case 'eip':
      return `${what}: Elastic IP ${ip.resource.id}`;
    case 'subnet':
      return version === 4
        ? `${what}: subnet ${ip.resource.id} sets ${cfn ? 'MapPublicIpOnLaunch' : 'map_public_ip_on_launch'}`
        : `${what}: subnet ${ip.resource.id} sets ${cfn ? 'AssignIpv6AddressOnCreation' : 'assign_ipv6_address_on_creation'}`;
    case 'launch-template':
      return `${what}: launch template ${ip.resource.id} associates one`;
    case 'launch-configuration':
      return `${what}: launch configuration ${ip.resource.id} associates one`;
    case 'explicit':
      return `${what}: ${ip.resource.id} associates one`;
  }
}

function naclHop(verdict: NaclVerdict, service: ExposedService): Hop | undefined {
  const { nacl, entry } = verdict;
  if (!nacl?.resource || !entry) return undefined;
  const number = entry.number !== undefined ? ` (rule ${entry.number})` : '';
  return {
    span: entry.node,
    short: `network ACL ${nacl.resource.id}`,
    text: `Network ACL ${nacl.resource.id} allows ${service.protocol.toUpperCase()} ${service.from} from ${entry.cidr?.text ?? 'the internet'}${number}`,
  };
}

/** The first hops shared by every workload: gateway, route, subnet. */
function networkHops(graph: NetworkGraph, subnet: string, route: RouteFact, table: RouteTableFact): Hop[] {
  const { hop, label } = gatewayHop(graph, route);
  const subnetFact = graph.subnets.get(subnet)!;
  const association = graph.routeTableOf(subnet)?.association;
  return [
    hop,
    {
      span: routeSpan(route),
      text: `Route ${route.destination.cidr?.text ?? '0.0.0.0/0'} to ${label} in ${tableLabel(table)}`,
      short: `route ${route.destination.cidr?.text ?? '0.0.0.0/0'} in ${table.resource?.id ?? tableLabel(table)}`,
    },
    {
      span: subnetFact.resource.keyNode,
      text: association
        ? `Subnet ${subnet} (public: ${association.id} associates it with ${tableLabel(table)})`
        : `Subnet ${subnet} (public: it uses ${tableLabel(table)})`,
      short: `public subnet ${subnet}`,
    },
  ];
}

/** Services of a list the subnet's network ACL lets in from the internet, with the deciding entry. */
function throughNacl(
  graph: NetworkGraph,
  subnet: string,
  services: ExposedService[],
  version: 4 | 6,
): { services: ExposedService[]; hop: Hop | undefined } {
  const allowed: ExposedService[] = [];
  let hop: Hop | undefined;
  for (const service of services) {
    const verdict = naclVerdict(graph, subnet, service, version);
    if (verdict.verdict !== 'allow') continue;
    allowed.push(service);
    hop ??= naclHop(verdict, service);
  }
  return { services: allowed, hop };
}

/**
 * Complete paths from the internet to the workloads and internet-facing load balancers that use a
 * security group, for the services a rule of that group opens. One path per workload (its first
 * public subnet).
 */
export function exposurePaths(
  graph: NetworkGraph,
  securityGroup: string,
  services: ExposedService[],
  version: 4 | 6,
): ExposurePath[] {
  const out: ExposurePath[] = [];
  if (!services.length) return out;
  for (const workload of graph.workloadsUsing(securityGroup)) {
    const path = workloadPath(graph, workload, services, version);
    if (path) out.push(path);
  }
  for (const lb of graph.loadBalancersUsing(securityGroup)) {
    const path = loadBalancerPath(graph, lb, services, version);
    if (path) out.push(path);
  }
  return out;
}

function workloadPath(
  graph: NetworkGraph,
  workload: ComputeFact,
  services: ExposedService[],
  version: 4 | 6,
): ExposurePath | undefined {
  for (const link of graph.subnetsOfCompute(workload)) {
    const subnet = link.id;
    if (!graph.subnets.has(subnet)) continue;
    const table = graph.routeTableOf(subnet)?.table;
    const route = table && graph.internetRoute(table, version);
    if (!table || !route) continue;
    const ip = version === 4 ? graph.publicIpv4(workload, subnet) : graph.ipv6Of(workload, subnet);
    if (ip.value !== true) continue;
    const nacl = throughNacl(graph, subnet, services, version);
    if (!nacl.services.length) continue;
    const asg = workload.kind === 'asg';
    const targetLabel = asg
      ? `Auto Scaling group ${workload.resource.id}`
      : `instance ${workload.resource.id}`;
    const hops = networkHops(graph, subnet, route, table);
    hops.push({
      span: workload.resource.keyNode,
      text: asg
        ? `Auto Scaling group ${workload.resource.id} launches instances into ${subnet}`
        : `Instance ${workload.resource.id} in ${subnet}`,
      short: `${targetLabel} with ${version === 4 ? 'a public IP' : 'an IPv6 address'}`,
    });
    hops.push({
      span: ip.node ?? ip.resource.keyNode,
      text: publicIpText(ip, version, graph.doc.format === 'cfn'),
    });
    if (nacl.hop) hops.push(nacl.hop);
    return {
      target: workload.resource,
      targetLabel,
      services: nacl.services,
      hops,
      via: [...route.destination.via, ...route.target.via, ...ip.via],
    };
  }
  return undefined;
}

function loadBalancerPath(
  graph: NetworkGraph,
  lb: LoadBalancerFact,
  services: ExposedService[],
  version: 4 | 6,
): ExposurePath | undefined {
  if (lb.internetFacing.value !== true || lb.type === 'gateway') return undefined;
  // Only ports a listener accepts reach anything behind the load balancer.
  const listened: { service: ExposedService; listener: LoadBalancerFact['listeners'][number] }[] = [];
  for (const listener of lb.listeners) {
    const port = listener.port;
    if (port === undefined) continue;
    const service = services.find((s) => s.protocol === 'tcp' && s.from <= port && port <= s.to);
    if (service && !listened.some((l) => l.service.from === port))
      listened.push({ service: { ...service, from: port, to: port }, listener });
  }
  if (!listened.length) return undefined;
  for (const link of lb.subnets) {
    const subnet = link.id;
    if (!graph.subnets.has(subnet)) continue;
    const table = graph.routeTableOf(subnet)?.table;
    const route = table && graph.internetRoute(table, version);
    if (!table || !route) continue;
    const nacl = throughNacl(
      graph,
      subnet,
      listened.map((l) => l.service),
      version,
    );
    if (!nacl.services.length) continue;
    const hops = networkHops(graph, subnet, route, table);
    hops.push({
      span: lb.internetFacing.node ?? lb.resource.keyNode,
      text: `Internet-facing load balancer ${lb.resource.id} in ${subnet}`,
      short: `internet-facing load balancer ${lb.resource.id}`,
    });
    for (const { service, listener } of listened) {
      if (!nacl.services.some((s) => s.from === service.from)) continue;
      hops.push({
        span: listener.node ?? listener.resource.keyNode,
        text:
          listener.resource === lb.resource
            ? `Listener on port ${service.from}`
            : `Listener ${listener.resource.id} on port ${service.from}`,
        short: `listener on port ${service.from}`,
      });
    }
    if (nacl.hop) hops.push(nacl.hop);
    return {
      target: lb.resource,
      targetLabel: `internet-facing load balancer ${lb.resource.id}`,
      services: nacl.services,
      hops,
      via: [...route.destination.via, ...route.target.via, ...lb.internetFacing.via],
    };
  }
  return undefined;
}

/** "internet gateway Igw → route 0.0.0.0/0 in Public → public subnet A → instance Web with a public IP". */
export function summarize(hops: Hop[]): string {
  return hops
    .map((h) => h.short)
    .filter((s): s is string => s !== undefined)
    .join(' → ');
}

/** Related information: each hop, numbered. */
export function hopsRelated(hops: Hop[]): RelatedInfo[] {
  return hops.map((h, i) => ({ span: h.span, message: `Hop ${i + 1}: ${h.text}` }));
}

/** Markdown drawing of the paths, for hover. */
export function drawPaths(doc: TemplateDocument, paths: { path: ExposurePath; hops: Hop[] }[]): string {
  const parts: string[] = [];
  for (const { path, hops } of paths) {
    parts.push(
      `**Path from the internet to ${path.targetLabel}** (${path.services.map(describeService).join(', ')})`,
      '',
      '```text',
      'internet',
      ...hops.map((h) => `  → ${h.text} (${lineOf(doc, h.span)})`),
      '```',
    );
  }
  return parts.join('\n');
}

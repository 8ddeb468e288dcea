// Shared by the "open to the internet" rules: which CIDR sources of a security-group rule are
// the whole internet (alone, or together with other ranges of the same group and ports), the
// wording of what a finding rests on (a parameter default, a condition branch), and the two
// fixes every such rule offers (restrict to a new parameter; remove the rule).

import type { Settings } from '../../engine/settings';
import type { Cidr } from '../../facts/cidr';
import { coverAll, isPrivate, isTrusted, parseCidr } from '../../facts/cidr';
import type { CidrSource, PortRange, SecurityGroupRule } from '../../facts/securityGroups';
import type { FixOp, FixRecipe } from '../../fixes/recipe';
import type { TemplateDocument } from '../../model/document';
import type { Via } from '../../resolve/values';
import { viaEvidence, viaPhrase } from '../../resolve/values';
import { coversTcpPort, isAllPorts, securityGroupRules } from '../../facts/securityGroups';
import { networkGraph } from '../../facts/graph/networkGraph';
import { securityGroupUsers } from '../../facts/attachments';
import type { Facts } from '../../facts';
import type { RelatedInfo, RuleContext } from '../types';
import { drawPaths, exposurePaths, hopsRelated, summarize } from './paths';

export interface OpenSource {
  source: CidrSource;
  cidr: Cidr;
  via: Via[];
  /** Set when no single range is the internet but this one and these others cover it together. */
  together?: Cidr[];
  /** True when only some possibilities (a branch, an allowed value) are open. */
  partial: boolean;
}

const trustedCache = new WeakMap<Settings, Cidr[]>();

/** The trusted ranges of the settings, parsed (a /0 there is ignored: it would trust everyone). */
export function trustedOf(settings: Settings): Cidr[] {
  let trusted = trustedCache.get(settings);
  if (!trusted) {
    trusted = settings.trustedCidrs
      .map((t) => parseCidr(t))
      .filter((c): c is Cidr => c !== undefined && c.prefix > 0);
    trustedCache.set(settings, trusted);
  }
  return trusted;
}

/**
 * What `internetSources` gave for a rule, with what it was given. Up to eight rules ask for the
 * same security-group rule on every analysis (SSH, RDP, all ports, sensitive ports, ...): worked
 * out once, the answer is shared (rules only read it). Facts are immutable, so the same rule
 * with the same peers and settings has the same answer.
 */
const internetCache = new WeakMap<
  SecurityGroupRule,
  { peers: SecurityGroupRule[]; settings: Settings; sources: OpenSource[] }
>();

/**
 * The sources of `rule` that open it to the whole internet. `peers` are the rules of the same
 * group and direction, used for ranges that cover the internet only together.
 */
export function internetSources(
  rule: SecurityGroupRule,
  peers: SecurityGroupRule[],
  settings: Settings,
): OpenSource[] {
  const cached = internetCache.get(rule);
  if (cached && cached.settings === settings && samePeers(cached.peers, peers)) return cached.sources;
  const others: CidrSource[] = [];
  for (const other of peers)
    if (other !== rule && sameRanges(other.ranges, rule.ranges)) others.push(...other.cidrs);
  const sources = internetSourcesOf(rule.cidrs, others, settings);
  internetCache.set(rule, { peers, settings, sources });
  return sources;
}

/** The same rules (`peersOf` gives a new one-rule list for a rule without a group). */
function samePeers(a: SecurityGroupRule[], b: SecurityGroupRule[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** No source is open (shared: callers only read what they are given). */
const NONE_OPEN: OpenSource[] = Object.freeze([]) as unknown as OpenSource[];

/**
 * The sources among `mine` that are the whole internet, alone or together with `others` (the
 * ranges of sibling rules with the same ports: 0.0.0.0/1 + 128.0.0.0/1). Works for any rule
 * shape with CIDR sources (security-group rules, network ACL entries).
 */
export function internetSourcesOf(
  mine: CidrSource[],
  others: CidrSource[],
  settings: Settings,
): OpenSource[] {
  const trusted = trustedOf(settings);
  // Most rules have no open source: no list is made for them (this runs for every source of every
  // rule on every keystroke).
  let out: OpenSource[] | undefined;
  for (const source of mine) {
    // The first possibility that is the internet, and whether some are not.
    let first: { via: Via[]; cidr: Cidr } | undefined;
    let open = 0;
    for (const p of source.possibilities) {
      const cidr = typeof p.value === 'string' ? parseCidr(p.value) : undefined;
      if (!cidr || cidr.prefix !== 0 || isTrusted(cidr, trusted)) continue;
      first ??= { via: p.via, cidr };
      open++;
    }
    if (first)
      (out ??= []).push({
        source,
        cidr: first.cidr,
        via: first.via,
        partial: open < source.possibilities.length,
      });
  }
  if (out) return out;
  // Ranges that cover the internet only together (0.0.0.0/1 + 128.0.0.0/1), within the same
  // group, direction and port range.
  const pool: { source: CidrSource; cidr: Cidr; via: Via[]; mine: boolean }[] = [];
  const add = (sources: CidrSource[], isMine: boolean): void => {
    for (const source of sources) {
      if (source.possibilities.length !== 1) continue;
      const p = source.possibilities[0]!;
      const cidr = typeof p.value === 'string' ? parseCidr(p.value) : undefined;
      // A range that is the internet on its own is reported on its own, not as part of a union.
      if (cidr && cidr.prefix > 0 && !isTrusted(cidr, trusted))
        pool.push({ source, cidr, via: p.via, mine: isMine });
    }
  };
  add(mine, true);
  // Only ranges of this rule are reported: without one, the others need not be read.
  if (!pool.length) return NONE_OPEN;
  add(others, false);
  if (pool.length < 2) return NONE_OPEN;
  out = [];
  for (const version of [4, 6] as const) {
    const ranges = pool.filter((e) => e.cidr.version === version);
    if (
      ranges.length > 1 &&
      coverAll(
        ranges.map((e) => e.cidr),
        version,
      )
    ) {
      for (const e of ranges.filter((x) => x.mine)) {
        out.push({
          source: e.source,
          cidr: e.cidr,
          via: e.via,
          partial: false,
          together: ranges.filter((x) => x !== e).map((x) => x.cidr),
        });
      }
    }
  }
  return out;
}

function sameRanges(a: PortRange[], b: PortRange[]): boolean {
  return (
    a.length === b.length &&
    a.every((r, i) => r.protocol === b[i]!.protocol && r.from === b[i]!.from && r.to === b[i]!.to)
  );
}

/** Rules of `all` by group and direction, built once per rule list (keeps peersOf linear overall). */
const peerIndex = new WeakMap<SecurityGroupRule[], Map<string, Map<string, SecurityGroupRule[]>>>();

/** Rules of the same group and direction (for ranges that cover the internet together). */
export function peersOf(rule: SecurityGroupRule, all: SecurityGroupRule[]): SecurityGroupRule[] {
  if (!rule.groupId) return [rule];
  // By direction, then group: no key string built per lookup (several rules ask for every rule).
  let index = peerIndex.get(all);
  if (!index) {
    index = new Map();
    for (const r of all) {
      if (!r.groupId) continue;
      let byGroup = index.get(r.direction);
      if (!byGroup) index.set(r.direction, (byGroup = new Map()));
      const list = byGroup.get(r.groupId);
      if (list) list.push(r);
      else byGroup.set(r.groupId, [r]);
    }
    peerIndex.set(all, index);
  }
  return index.get(rule.direction)?.get(rule.groupId) ?? [];
}

/** "0.0.0.0/0", "0.0.0.0/0 (the default of parameter SshCidr)", "0.0.0.0/1, which with 128.0.0.0/1 covers ...". */
export function describeOpen(open: OpenSource): string {
  let text = open.cidr.text;
  // 192.168.1.0/0 looks like a private range; the prefix makes it every address.
  if (open.cidr.prefix === 0 && /[1-9a-f]/i.test(text.split('/')[0]!)) text += ' (a /0 range: every address)';
  const how = describeViaShort(open.via);
  if (how) text += ` (${how})`;
  if (open.together?.length)
    text += `, which together with ${open.together.map((c) => c.text).join(', ')} covers every address`;
  return text;
}

function describeViaShort(via: Via[]): string {
  return via.map(viaPhrase).join(', ');
}

/** "is" or "can be", depending on whether the finding rests on one branch or allowed value. */
export function verb(open: OpenSource, range: PortRange): string {
  const conditional = open.partial || open.via.some(notDefault) || range.via.some(notDefault);
  return conditional ? 'can be' : 'is';
}

function notDefault(v: Via): boolean {
  return v.kind !== 'parameter-default';
}

/** Related information: the parameter whose default (or allowed value) is open, the condition branch. */
export function evidence(open: OpenSource, range?: PortRange): RelatedInfo[] {
  return viaEvidence(range?.via.length ? [...open.via, ...range.via] : open.via);
}

/** Options of the "restrict to a new parameter" fix. */
export interface ParameterFixOptions {
  /** Title; `{name}` is replaced by the parameter's name. Default: "Allow <what> only from a new parameter {name}". */
  title?: string;
  /** The new parameter's description. Default: "CIDR range allowed to reach <what>; ...". */
  description?: string;
}

/**
 * The fixes of an open ingress source. `param` names the new parameter (CFN, PascalCase) and
 * its Terraform variable is derived (snake_case).
 */
export function restrictFixes(
  doc: TemplateDocument,
  rule: SecurityGroupRule,
  open: OpenSource,
  param: string,
  what: string,
  options: ParameterFixOptions = {},
): FixRecipe[] {
  if (doc.format === 'plan') return []; // plans are generated; fix the configuration instead
  const fixes: FixRecipe[] = [];
  const restrict = parameterFix(doc, open, param, what, options);
  if (restrict) fixes.push(restrict);
  fixes.push(removeRuleFix(rule, open));
  return fixes;
}

/**
 * Replace an open CIDR with a reference to a new parameter / variable without a default (or,
 * when the open range is a parameter's default, remove that default). Undefined when neither
 * applies (a range that is open only together with others, a condition branch) and for plans.
 */
export function parameterFix(
  doc: TemplateDocument,
  open: OpenSource,
  param: string,
  what: string,
  options: ParameterFixOptions = {},
): FixRecipe | undefined {
  if (doc.format === 'plan') return undefined;
  const name = parameterName(doc, open.cidr.version === 6 ? `${param}Ipv6` : param);
  const fromDefault = open.via.find((v) => v.kind === 'parameter-default');
  if (fromDefault && fromDefault.kind === 'parameter-default' && fromDefault.parameter.default) {
    const parameterBody = fromDefault.parameter.node;
    const body = doc.format === 'tf' && parameterBody.kind === 'seq' ? parameterBody.items[0] : parameterBody;
    if (body?.kind === 'map') {
      return {
        title: `Remove the open default of ${fromDefault.parameter.name} (deployers must choose the allowed range)`,
        safety: 'unsafe',
        ops: [{ op: 'removeKey', map: body, key: doc.format === 'cfn' ? 'Default' : 'default' }],
      };
    }
    return undefined;
  }
  if (open.via.length !== 0 || open.together) return undefined;
  const description =
    options.description ?? `CIDR range allowed to reach ${what}; choose a narrow range, never 0.0.0.0/0.`;
  return {
    title: (options.title ?? `Allow ${what} only from a new parameter {name}`).replace('{name}', name),
    safety: 'unsafe',
    ops: [
      {
        op: 'addParameter',
        name,
        spec: { cfn: { Type: 'String', Description: description }, tf: { type: 'string', description } },
      },
      { op: 'replace', node: open.source.node, value: { $param: name } },
    ],
  };
}

/** A parameter name in the format's style: PascalCase for CloudFormation, snake_case for Terraform. */
export function parameterName(doc: TemplateDocument, pascal: string): string {
  return doc.format === 'cfn' ? pascal : snake(pascal);
}

/** Remove the rule (or just the open range from a Terraform list of ranges). */
export function removeRuleFix(rule: SecurityGroupRule, open: OpenSource): FixRecipe {
  const list = open.source.list;
  if (list && list.items.length > 1 && list.items.includes(open.source.node)) {
    return {
      title: `Remove ${open.cidr.text} from this rule`,
      safety: 'unsafe',
      ops: [{ op: 'removeItem', seq: list, item: open.source.node }],
    };
  }
  let op: FixOp;
  switch (rule.location.kind) {
    case 'item':
      op = { op: 'removeItem', seq: rule.location.seq, item: rule.location.item };
      break;
    case 'block':
      op = { op: 'removeKey', map: rule.location.map, key: rule.location.key };
      break;
    case 'resource':
      return {
        title: `Remove the rule ${rule.resource.id}`,
        safety: 'unsafe',
        ops: [{ op: 'removeResource', id: rule.resource.id }],
      };
  }
  return { title: 'Remove this rule', safety: 'unsafe', ops: [op] };
}

function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

// ---------- ports and services ----------

/** A service (a catalogue entry, SSH, RDP) a port range lets in, with the ports it covers. */
export interface ExposedService {
  name: string;
  protocol: 'tcp' | 'udp';
  from: number;
  to: number;
  /** True for SSH and RDP. */
  admin?: boolean;
}

export const ADMIN_SERVICES: readonly ExposedService[] = [
  { name: 'SSH', protocol: 'tcp', from: 22, to: 22, admin: true },
  { name: 'RDP', protocol: 'tcp', from: 3389, to: 3389, admin: true },
];

/**
 * Catalogue ports whose service also listens on UDP: NetBIOS name and datagram (137-138), the
 * SQL Server Browser (1434), NFS (2049) and Memcached (11211, a known amplification vector).
 * Every other catalogue port is matched for TCP only.
 */
export const UDP_SENSITIVE_PORTS: ReadonlySet<number> = new Set([137, 138, 1434, 2049, 11211]);

type CatalogueEntry = { name: string; from: number; to: number; admin: boolean };
interface Catalogue {
  entries: CatalogueEntry[];
  /** What `exposedServices` gave, by protocol and ports: the same few ranges are asked for by
   * several rules for every security-group rule on every keystroke. Read-only for callers. */
  answers: Map<PortRange['protocol'], Map<number, Map<number, ExposedService[]>>>;
  size: number;
}
/** Per settings object: the catalogue without and with SSH/RDP (built once, not per range). */
const catalogues = new WeakMap<Settings, [Catalogue, Catalogue]>();
/** Distinct port ranges remembered per catalogue (a template with more starts over). */
const MAX_ANSWERS = 4096;

function catalogueOf(settings: Settings, admin: boolean): Catalogue {
  let both = catalogues.get(settings);
  if (!both) {
    const sensitive = settings.sensitivePorts.map((p) => ({ ...p, admin: false }));
    both = [
      { entries: sensitive, answers: new Map(), size: 0 },
      {
        entries: [...ADMIN_SERVICES.map((s) => ({ ...s, admin: true })), ...sensitive],
        answers: new Map(),
        size: 0,
      },
    ];
    catalogues.set(settings, both);
  }
  return admin ? both[1] : both[0];
}

/**
 * The sensitive-catalogue services a range lets in (TCP, and UDP where the service uses UDP).
 * Protocol `all` lets every one in; ICMP none. With `admin`, SSH and RDP are included first.
 */
export function exposedServices(
  range: PortRange,
  settings: Settings,
  options: { admin?: boolean } = {},
): ExposedService[] {
  const protocols: ('tcp' | 'udp')[] =
    range.protocol === 'all'
      ? ['tcp', 'udp']
      : range.protocol === 'tcp' || range.protocol === 'udp'
        ? [range.protocol]
        : [];
  const from = range.protocol === 'all' ? 0 : range.from;
  const to = range.protocol === 'all' ? 65535 : range.to;
  const catalogue = catalogueOf(settings, options.admin === true);
  // By protocol, then ports: no key is built for a lookup.
  const known = catalogue.answers.get(range.protocol)?.get(from)?.get(to);
  if (known) return known;
  const out: ExposedService[] = [];
  for (const protocol of protocols) {
    for (const entry of catalogue.entries) {
      const lo = Math.max(entry.from, from);
      const hi = Math.min(entry.to, to);
      if (lo > hi) continue;
      if (protocol === 'tcp') {
        out.push({ name: entry.name, protocol, from: lo, to: hi, ...(entry.admin ? { admin: true } : {}) });
        continue;
      }
      if (entry.admin) continue; // SSH and RDP are TCP
      // UDP: only the catalogue ports whose service uses UDP, as runs.
      let start: number | undefined;
      for (let port = lo; port <= hi; port++) {
        if (UDP_SENSITIVE_PORTS.has(port)) start ??= port;
        else if (start !== undefined) {
          out.push({ name: entry.name, protocol, from: start, to: port - 1 });
          start = undefined;
        }
      }
      if (start !== undefined) out.push({ name: entry.name, protocol, from: start, to: hi });
    }
  }
  if (catalogue.size >= MAX_ANSWERS) {
    catalogue.answers.clear();
    catalogue.size = 0;
  }
  let byFrom = catalogue.answers.get(range.protocol);
  if (!byFrom) catalogue.answers.set(range.protocol, (byFrom = new Map()));
  let byTo = byFrom.get(from);
  if (!byTo) byFrom.set(from, (byTo = new Map()));
  byTo.set(to, out);
  catalogue.size++;
  return out;
}

/** "MySQL (TCP 3306)", "FTP (TCP 20-21)", "NetBIOS (UDP 137-138)". */
export function describeService(service: ExposedService): string {
  const ports = service.from === service.to ? `${service.from}` : `${service.from}-${service.to}`;
  return `${service.name} (${service.protocol.toUpperCase()} ${ports})`;
}

/** "A", "A and B", "A, B, C and 4 more". */
export function listServices(services: readonly ExposedService[], max = 4): string {
  const names = services.map(describeService);
  if (names.length <= 1) return names[0] ?? '';
  if (names.length <= max) return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `${names.slice(0, max - 1).join(', ')} and ${names.length - max + 1} more`;
}

/** "TCP port 8080", "TCP ports 8000-8010", "all traffic", "UDP ports 0-65535". */
export function describeRange(range: PortRange): string {
  if (range.protocol === 'all') return 'all traffic';
  if (range.protocol === 'icmp' || range.protocol === 'icmpv6') return range.protocol.toUpperCase();
  const name = range.protocol.toUpperCase();
  return range.from === range.to ? `${name} port ${range.from}` : `${name} ports ${range.from}-${range.to}`;
}

/** True when every port of a TCP/UDP range is a web port (TCP, and UDP for HTTP/3). */
export function isWebOnly(range: PortRange, settings: Settings): boolean {
  if (range.protocol !== 'tcp' && range.protocol !== 'udp') return false;
  if (range.to < range.from || range.to - range.from >= settings.webPorts.length) return false;
  for (let port = range.from; port <= range.to; port++) if (!settings.webPorts.includes(port)) return false;
  return true;
}

/** "MySQL" -> "AllowedMysqlCidr", "SQL Server" -> "AllowedSqlServerCidr". */
export function cidrParameterFor(service: string): string {
  const words = service.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return `Allowed${words.map((w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase()).join('')}Cidr`;
}

/** A public range wider than the internet's slices we accept (prefix 1 to `maxPrefix`). */
export interface WideSource {
  source: CidrSource;
  cidr: Cidr;
  via: Via[];
  partial: boolean;
}

/**
 * CIDR sources of a rule that are public (neither private nor trusted) and very wide: a prefix
 * from 1 to `maxPrefix`. A /0 is never here (it is the internet, the other rules' job).
 */
export function wideSources(cidrs: CidrSource[], settings: Settings, maxPrefix = 8): WideSource[] {
  const trusted = trustedOf(settings);
  let out: WideSource[] | undefined; // made for the few rules with a wide source
  for (const source of cidrs) {
    let first: { via: Via[]; cidr: Cidr } | undefined;
    let wide = 0;
    for (const p of source.possibilities) {
      const cidr = typeof p.value === 'string' ? parseCidr(p.value) : undefined;
      if (!cidr || cidr.prefix < 1 || cidr.prefix > maxPrefix || isPrivate(cidr) || isTrusted(cidr, trusted))
        continue;
      first ??= { via: p.via, cidr };
      wide++;
    }
    if (first)
      (out ??= []).push({
        source,
        cidr: first.cidr,
        via: first.via,
        partial: wide < source.possibilities.length,
      });
  }
  return out ?? [];
}

/**
 * The check shared by ssh- and rdp-open-to-internet: every ingress rule whose (not all-traffic)
 * TCP range covers `port` and whose source is the internet, one finding per source.
 */
export function reportOpenAdminPort(
  { doc, facts, settings, report }: RuleContext,
  admin: { port: number; service: string; parameter: string },
): void {
  const rules = securityGroupRules(facts);
  // Whether any route table routes to an internet gateway: the same for every rule, so asked once.
  let routesToInternet: boolean | undefined;
  const reachable = (): boolean =>
    (routesToInternet ??= [...networkGraph(facts).routeTables.values()].some((t) =>
      t.routes.some((r) => r.target.kind === 'igw'),
    ));
  for (const rule of rules) {
    if (rule.direction !== 'ingress') continue;
    // An all-traffic rule is reported once, by all-ports-open-to-internet; one finding per
    // source even if several port ranges of the rule cover the port.
    const range = rule.ranges.find((r) => !isAllPorts(r) && coversTcpPort(r, admin.port));
    if (!range) continue;
    const opens = internetSources(rule, peersOf(rule, rules), settings);
    if (!opens.length) continue;
    const privateUsers = privateOnlyUsers(facts, rule);
    for (const open of opens) {
      const ports =
        range.from === range.to
          ? `port ${admin.port}`
          : `port ${admin.port} (range ${range.from}-${range.to})`;
      if (privateUsers) {
        report({
          span: open.source.node,
          resource: rule.resource,
          severity: 'warning',
          message: `${admin.service} (TCP ${ports}) ${verb(open, range)} open to ${describeOpen(open)}, but the security group is attached only to resources without a public address (${describeUsers(privateUsers)}): reachable from anything that can route to the VPC (peered VPCs, VPN, Direct Connect, Transit Gateway), not from the internet. Allow ${admin.service} only from the ranges that need it.`,
          related: [...usersRelated(privateUsers), ...evidence(open, range)],
          fixes: () => restrictFixes(doc, rule, open, admin.parameter, admin.service),
        });
        continue;
      }
      // A complete path from the internet to a workload behind this rule makes it one finding
      // with the path (internet-exposure-path leaves SSH and RDP to these rules).
      const path = reachable() ? adminPath({ doc, facts, settings, report }, rule, open, admin) : undefined;
      const openVerb = verb(open, range) === 'can be' || path?.conditional ? 'can be' : 'is';
      report({
        span: open.source.node,
        resource: rule.resource,
        message: path
          ? `${admin.service} (TCP ${ports}) ${openVerb} open to the internet and reachable on ${path.target}: ${path.summary} → this rule (${describeOpen(open)}). Allow ${admin.service} only from known ranges, or use Session Manager or a bastion.`
          : `${admin.service} (TCP ${ports}) ${verb(open, range)} open to the internet: ${describeOpen(open)}. Allow ${admin.service} only from known ranges, or use Session Manager or a bastion.`,
        related: [...(path?.related ?? []), ...evidence(open, range)],
        ...(path ? { hover: path.hover } : {}),
        fixes: () => restrictFixes(doc, rule, open, admin.parameter, admin.service),
      });
    }
  }
}

/** The rule id that reports an admin service (SSH, RDP) on its own, with the exposure path. */
export const ADMIN_RULES: Readonly<Record<string, string>> = {
  SSH: 'ssh-open-to-internet',
  RDP: 'rdp-open-to-internet',
};

/**
 * True when the SSH or RDP rule reports this service on this range itself (with its exposure
 * path), so internet-exposure-path leaves it out: one diagnostic per element, not two.
 */
export function claimedByAdminRule(service: ExposedService, range: PortRange, settings: Settings): boolean {
  const id = service.admin ? ADMIN_RULES[service.name] : undefined;
  return !!id && !isAllPorts(range) && settings.rules[id] !== 'off';
}

/**
 * The first complete path from the internet to a workload behind an open admin-port rule (the
 * caller has checked that some route table routes to an internet gateway).
 */
function adminPath(
  { doc, facts }: RuleContext,
  rule: SecurityGroupRule,
  open: OpenSource,
  admin: { port: number; service: string },
):
  | { target: string; summary: string; related: RelatedInfo[]; hover: string; conditional: boolean }
  | undefined {
  const graph = networkGraph(facts);
  const group =
    rule.groupId ??
    graph.firstLink(rule.resource, ['security_group_id'])?.id ??
    graph.firstLink(rule.resource, ['GroupId'])?.id;
  if (!group) return undefined;
  const service: ExposedService = {
    name: admin.service,
    protocol: 'tcp',
    from: admin.port,
    to: admin.port,
    admin: true,
  };
  const paths = exposurePaths(graph, group, [service], open.cidr.version);
  const first = paths[0];
  if (!first) return undefined;
  const hops = [
    ...first.hops,
    {
      span: rule.node,
      text: `Security group ${group} lets ${describeService(service)} in from ${open.cidr.text}`,
    },
  ];
  const others = paths.length > 1 ? ` (and ${paths.length - 1} more)` : '';
  return {
    target: `${first.targetLabel}${others}`,
    summary: summarize(hops),
    related: hopsRelated(hops),
    hover: drawPaths(doc, [{ path: first, hops }]),
    conditional: first.via.some((v) => v.kind !== 'parameter-default'),
  };
}

/**
 * When every user of the rule's security group in the document can never have a public address
 * (Lambda in a VPC, EFS mount targets, DocumentDB, ElastiCache, private RDS, interface endpoints),
 * those users; undefined when the group has no user here or one that can (or may) be public.
 */
export function privateOnlyUsers(
  facts: Facts,
  rule: SecurityGroupRule,
): { resource: TemplateDocument['resources'][number]; why: string }[] | undefined {
  const graph = networkGraph(facts);
  const group =
    rule.groupId ??
    graph.firstLink(rule.resource, ['security_group_id'])?.id ??
    graph.firstLink(rule.resource, ['GroupId'])?.id;
  const users = group ? securityGroupUsers(facts).get(group) : undefined;
  if (!users || users.other.length || !users.privateOnly.length) return undefined;
  return users.privateOnly;
}

/** "Lambda function Fn and EFS mount target Mount" for a message. */
export function describeUsers(users: { resource: TemplateDocument['resources'][number] }[]): string {
  const names = users.map((u) => u.resource.id);
  return names.length <= 1
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** Related information: each user and why it has no public address. */
export function usersRelated(
  users: { resource: TemplateDocument['resources'][number]; why: string }[],
): RelatedInfo[] {
  return users.map((u) => ({
    span: u.resource.keyNode,
    message: `${u.resource.id} uses this security group: ${u.why}.`,
  }));
}

// Security-group rules in every shape (RULES.md §0), read into one form:
//   CFN  AWS::EC2::SecurityGroup SecurityGroupIngress[] / SecurityGroupEgress[]
//        AWS::EC2::SecurityGroupIngress / AWS::EC2::SecurityGroupEgress (standalone, GroupId)
//   TF   aws_security_group / aws_default_security_group ingress / egress blocks
//        aws_security_group_rule (type = ingress | egress)
//        aws_vpc_security_group_ingress_rule / aws_vpc_security_group_egress_rule
//   PLAN the same Terraform types, from planned values.
// Every block is read on its own: a `self` block or a group reference never makes another
// block safe.

import type { Facts } from '.';
import type { Resource, TemplateDocument } from '../model/document';
import type { MapNode, Node, SeqNode } from '../parse/tree';
import { get, items } from '../parse/tree';
import type { Possibility, Via } from '../resolve/values';
import { NO_VALUE, ResourceRef, UNKNOWN, resolve, resolveItems } from '../resolve/values';

export type Protocol = 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'all';

/** One possible protocol and port range of a rule. For `all` (and ICMP) ports are 0-65535 / types. */
export interface PortRange {
  protocol: Protocol;
  from: number;
  to: number;
  via: Via[];
}

export interface CidrSource {
  /** The element the CIDR is written at (the use; a parameter's default is in `via`). */
  node: Node;
  possibilities: Possibility[];
  /** The list the CIDR is an item of (Terraform cidr_blocks), for a fix that removes just it. */
  list?: SeqNode;
}

/** Where a rule is written, so a fix can remove it. */
export type RuleLocation =
  | { kind: 'item'; seq: SeqNode; item: Node }
  | { kind: 'block'; map: MapNode; key: string }
  | { kind: 'resource' };

export interface SecurityGroupRule {
  /** The resource the rule is written in (a group, or a standalone rule resource). */
  resource: Resource;
  /** Logical id / address of the group the rule belongs to, when known in this document. */
  groupId: string | undefined;
  direction: 'ingress' | 'egress';
  /** The rule's own map (an ingress item, a TF block, or the standalone resource's properties). */
  node: MapNode;
  location: RuleLocation;
  /** Possible protocol/port combinations; empty when unknown. */
  ranges: PortRange[];
  protocolNode: Node | undefined;
  /** IPv4 and IPv6 CIDR sources or destinations. Group references and prefix lists are not here. */
  cidrs: CidrSource[];
}

const GROUP_TYPES = new Set(['AWS::EC2::SecurityGroup', 'aws_security_group', 'aws_default_security_group']);

export function securityGroupRules(facts: Facts): SecurityGroupRule[] {
  return facts.memo('security-group-rules', derive);
}

/**
 * The resource types security-group rules are written in (groups and standalone rules), in
 * every format: what `derive` reads, and what is not a user of a group (attachments.ts).
 */
export const SECURITY_GROUP_RULE_TYPES: ReadonlySet<string> = new Set([
  'AWS::EC2::SecurityGroup',
  'AWS::EC2::SecurityGroupIngress',
  'AWS::EC2::SecurityGroupEgress',
  'aws_security_group',
  'aws_default_security_group',
  'aws_security_group_rule',
  'aws_vpc_security_group_ingress_rule',
  'aws_vpc_security_group_egress_rule',
]);

function derive(doc: TemplateDocument): SecurityGroupRule[] {
  const out: SecurityGroupRule[] = [];
  for (const resource of doc.resources) {
    // The type first: reading another resource's properties would make the fact depend on it.
    if (!SECURITY_GROUP_RULE_TYPES.has(resource.type)) continue;
    const props = resource.properties;
    if (!props) continue;
    switch (resource.type) {
      case 'AWS::EC2::SecurityGroup':
        for (const [key, direction] of [
          ['SecurityGroupIngress', 'ingress'],
          ['SecurityGroupEgress', 'egress'],
        ] as const) {
          const list = get(props, key);
          for (const item of items(list)) {
            if (item.kind !== 'map') continue;
            const location: RuleLocation =
              list?.kind === 'seq' ? { kind: 'item', seq: list, item } : { kind: 'block', map: props, key };
            out.push(cfnRule(doc, resource, resource.id, direction, item, location));
          }
        }
        break;
      case 'AWS::EC2::SecurityGroupIngress':
      case 'AWS::EC2::SecurityGroupEgress':
        out.push(
          cfnRule(
            doc,
            resource,
            groupOf(doc, get(props, 'GroupId')),
            resource.type.endsWith('Ingress') ? 'ingress' : 'egress',
            props,
            {
              kind: 'resource',
            },
          ),
        );
        break;
      case 'aws_security_group':
      case 'aws_default_security_group':
        for (const direction of ['ingress', 'egress'] as const) {
          const blocks = get(props, direction);
          for (const block of items(blocks)) {
            if (block.kind !== 'map') continue;
            const location: RuleLocation =
              blocks?.kind === 'seq'
                ? { kind: 'item', seq: blocks, item: block }
                : { kind: 'block', map: props, key: direction };
            out.push(tfRule(doc, resource, resource.id, direction, block, location));
          }
        }
        break;
      case 'aws_security_group_rule': {
        const type = firstString(resolve(doc, get(props, 'type')));
        if (type !== 'ingress' && type !== 'egress') break;
        out.push(
          tfRule(doc, resource, groupOf(doc, get(props, 'security_group_id')), type, props, {
            kind: 'resource',
          }),
        );
        break;
      }
      case 'aws_vpc_security_group_ingress_rule':
      case 'aws_vpc_security_group_egress_rule':
        out.push(vpcRule(doc, resource, resource.type.includes('ingress') ? 'ingress' : 'egress', props));
        break;
    }
  }
  return out;
}

function cfnRule(
  doc: TemplateDocument,
  resource: Resource,
  groupId: string | undefined,
  direction: 'ingress' | 'egress',
  node: MapNode,
  location: RuleLocation,
): SecurityGroupRule {
  const protocolNode = get(node, 'IpProtocol');
  const cidrs: CidrSource[] = [];
  for (const key of ['CidrIp', 'CidrIpv6']) {
    const cidr = get(node, key);
    if (cidr) cidrs.push({ node: cidr, possibilities: resolve(doc, cidr) });
  }
  return {
    resource,
    groupId,
    direction,
    node,
    location,
    protocolNode,
    ranges: portRanges(doc, protocolNode, get(node, 'FromPort'), get(node, 'ToPort')),
    cidrs,
  };
}

function tfRule(
  doc: TemplateDocument,
  resource: Resource,
  groupId: string | undefined,
  direction: 'ingress' | 'egress',
  node: MapNode,
  location: RuleLocation,
): SecurityGroupRule {
  const protocolNode = get(node, 'protocol');
  const cidrs: CidrSource[] = [];
  for (const key of ['cidr_blocks', 'ipv6_cidr_blocks']) {
    const list = get(node, key);
    for (const item of resolveItems(doc, list)) {
      cidrs.push({
        node: item.node,
        possibilities: item.possibilities,
        list: list?.kind === 'seq' ? list : undefined,
      });
    }
  }
  return {
    resource,
    groupId,
    direction,
    node,
    location,
    protocolNode,
    ranges: portRanges(doc, protocolNode, get(node, 'from_port'), get(node, 'to_port')),
    cidrs,
  };
}

function vpcRule(
  doc: TemplateDocument,
  resource: Resource,
  direction: 'ingress' | 'egress',
  node: MapNode,
): SecurityGroupRule {
  const protocolNode = get(node, 'ip_protocol');
  const cidrs: CidrSource[] = [];
  for (const key of ['cidr_ipv4', 'cidr_ipv6']) {
    const cidr = get(node, key);
    if (cidr) cidrs.push({ node: cidr, possibilities: resolve(doc, cidr) });
  }
  return {
    resource,
    groupId: groupOf(doc, get(node, 'security_group_id')),
    direction,
    node,
    location: { kind: 'resource' },
    protocolNode,
    ranges: portRanges(doc, protocolNode, get(node, 'from_port'), get(node, 'to_port')),
    cidrs,
  };
}

function groupOf(doc: TemplateDocument, node: Node | undefined): string | undefined {
  for (const p of resolve(doc, node)) {
    if (p.value instanceof ResourceRef && GROUP_TYPES.has(doc.resourcesById.get(p.value.id)?.type ?? ''))
      return p.value.id;
  }
  return undefined;
}

function firstString(possibilities: Possibility[]): string | undefined {
  const v = possibilities[0]?.value;
  return typeof v === 'string' ? v : undefined;
}

export function protocolOf(value: unknown): Protocol | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).trim().toLowerCase();
  switch (text) {
    case 'tcp':
    case '6':
      return 'tcp';
    case 'udp':
    case '17':
      return 'udp';
    case 'icmp':
    case '1':
      return 'icmp';
    case 'icmpv6':
    case '58':
      return 'icmpv6';
    case '-1':
    case 'all':
      return 'all';
  }
  // Any other protocol number means every port (ports do not apply).
  return /^\d+$/.test(text) && Number(text) <= 255 ? 'all' : undefined;
}

function portOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value);
  return undefined;
}

const MAX_COMBINATIONS = 16;

/**
 * Possible protocol/port combinations of a rule. In security groups a port of -1 with TCP/UDP
 * means every port; in network ACLs (`negativeIsAll: false`) it is not a port range.
 */
export function portRanges(
  doc: TemplateDocument,
  protocolNode: Node | undefined,
  fromNode: Node | undefined,
  toNode: Node | undefined,
  { negativeIsAll = true }: { negativeIsAll?: boolean } = {},
): PortRange[] {
  const out: PortRange[] = [];
  for (const p of resolve(doc, protocolNode)) {
    const protocol = protocolOf(p.value);
    if (!protocol) continue; // unknown protocol: never a finding by itself
    if (protocol === 'all') {
      out.push({ protocol, from: 0, to: 65535, via: p.via });
      continue;
    }
    if (protocol === 'icmp' || protocol === 'icmpv6') {
      // FromPort/ToPort are ICMP type and code here, never ports.
      out.push({ protocol, from: -1, to: -1, via: p.via });
      continue;
    }
    for (const f of resolve(doc, fromNode)) {
      for (const t of resolve(doc, toNode)) {
        if (out.length >= MAX_COMBINATIONS) return out;
        let from = portOf(f.value);
        let to = portOf(t.value);
        if (f.value === NO_VALUE || f.value === UNKNOWN || t.value === NO_VALUE || t.value === UNKNOWN)
          continue;
        if (from === undefined || to === undefined) continue;
        if (from < 0 || to < 0) {
          if (!negativeIsAll) continue;
          // -1 means every port for TCP/UDP in a security group.
          from = 0;
          to = 65535;
        }
        if (to < from) continue;
        out.push({ protocol, from, to, via: [...p.via, ...f.via, ...t.via] });
      }
    }
  }
  return out;
}

/** Every port of the protocol (protocol all, or TCP/UDP 0-65535). */
export function isAllPorts(range: PortRange): boolean {
  return (
    range.protocol === 'all' ||
    ((range.protocol === 'tcp' || range.protocol === 'udp') && range.from <= 0 && range.to >= 65535)
  );
}

/** The range lets TCP traffic reach the port (protocol all included). */
export function coversTcpPort(range: PortRange, port: number): boolean {
  if (range.protocol === 'all') return true;
  return range.protocol === 'tcp' && range.from <= port && port <= range.to;
}

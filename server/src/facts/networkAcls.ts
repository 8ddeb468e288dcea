// Network ACL entries in every shape, read into one form:
//   CFN  AWS::EC2::NetworkAclEntry (NetworkAclId, RuleNumber, Protocol, RuleAction, Egress,
//        CidrBlock / Ipv6CidrBlock, PortRange {From, To})
//   TF   aws_network_acl / aws_default_network_acl ingress / egress blocks (rule_no, action,
//        protocol, from_port, to_port, cidr_block, ipv6_cidr_block)
//        aws_network_acl_rule (network_acl_id, rule_number, egress, protocol, rule_action, ...)
//   PLAN the same Terraform types, from planned values.
// Entries are evaluated per ACL and direction, lowest number first; the first match wins.

import type { Facts } from '.';
import type { Resource, TemplateDocument } from '../model/document';
import type { MapNode, Node } from '../parse/tree';
import { get, items } from '../parse/tree';
import type { Possibility } from '../resolve/values';
import { NO_VALUE, ResourceRef, resolve } from '../resolve/values';
import type { CidrSource, PortRange, RuleLocation } from './securityGroups';
import { portRanges } from './securityGroups';

export interface NaclEntry {
  resource: Resource;
  /**
   * The ACL the entry belongs to: its logical id / address when it is in this document, or the
   * literal ACL id; undefined when unknown (a plan's computed id, an import).
   */
  acl: string | undefined;
  /** Undefined when the direction cannot be known. */
  egress: boolean | undefined;
  /** The rule number, when known. */
  number: number | undefined;
  numberNode: Node | undefined;
  /** Possible actions, lower case (`allow`, `deny`); empty when unknown. */
  actions: string[];
  actionNode: Node | undefined;
  /** Possible protocol/port combinations; empty when unknown. ICMP ranges carry no ports. */
  ranges: PortRange[];
  /** IPv4 and IPv6 CIDRs (one each at most). */
  cidrs: CidrSource[];
  /** The entry's own map (the CFN properties, a TF block, or the rule resource's body). */
  node: MapNode;
  location: RuleLocation;
}

export function networkAclEntries(facts: Facts): NaclEntry[] {
  return facts.memo('network-acl-entries', derive);
}

const ACL_TYPES = new Set(['AWS::EC2::NetworkAcl', 'aws_network_acl', 'aws_default_network_acl']);

/** The resource types `derive` reads entries from. */
const ENTRY_TYPES = new Set([
  'AWS::EC2::NetworkAclEntry',
  'aws_network_acl',
  'aws_default_network_acl',
  'aws_network_acl_rule',
]);

function derive(doc: TemplateDocument): NaclEntry[] {
  const out: NaclEntry[] = [];
  for (const resource of doc.resources) {
    // The type first: reading another resource's properties would make the fact depend on it.
    if (!ENTRY_TYPES.has(resource.type)) continue;
    const props = resource.properties;
    if (!props) continue;
    switch (resource.type) {
      case 'AWS::EC2::NetworkAclEntry': {
        const portRange = get(props, 'PortRange');
        out.push(
          entry(
            doc,
            resource,
            props,
            { kind: 'resource' },
            {
              acl: aclOf(doc, get(props, 'NetworkAclId')),
              egress: booleanOf(resolve(doc, get(props, 'Egress'))),
              number: 'RuleNumber',
              action: 'RuleAction',
              protocol: 'Protocol',
              from: get(portRange, 'From'),
              to: get(portRange, 'To'),
              cidrs: ['CidrBlock', 'Ipv6CidrBlock'],
            },
          ),
        );
        break;
      }
      case 'aws_network_acl':
      case 'aws_default_network_acl':
        for (const direction of ['ingress', 'egress'] as const) {
          const blocks = get(props, direction);
          for (const block of items(blocks)) {
            if (block.kind !== 'map') continue;
            const location: RuleLocation =
              blocks?.kind === 'seq'
                ? { kind: 'item', seq: blocks, item: block }
                : { kind: 'block', map: props, key: direction };
            out.push(
              entry(doc, resource, block, location, {
                acl: resource.id,
                egress: direction === 'egress',
                number: 'rule_no',
                action: 'action',
                protocol: 'protocol',
                from: get(block, 'from_port'),
                to: get(block, 'to_port'),
                cidrs: ['cidr_block', 'ipv6_cidr_block'],
              }),
            );
          }
        }
        break;
      case 'aws_network_acl_rule':
        out.push(
          entry(
            doc,
            resource,
            props,
            { kind: 'resource' },
            {
              acl: aclOf(doc, get(props, 'network_acl_id')),
              egress: booleanOf(resolve(doc, get(props, 'egress'))),
              number: 'rule_number',
              action: 'rule_action',
              protocol: 'protocol',
              from: get(props, 'from_port'),
              to: get(props, 'to_port'),
              cidrs: ['cidr_block', 'ipv6_cidr_block'],
            },
          ),
        );
        break;
    }
  }
  return out;
}

function entry(
  doc: TemplateDocument,
  resource: Resource,
  node: MapNode,
  location: RuleLocation,
  shape: {
    acl: string | undefined;
    egress: boolean | undefined;
    number: string;
    action: string;
    protocol: string;
    from: Node | undefined;
    to: Node | undefined;
    cidrs: string[];
  },
): NaclEntry {
  const numberNode = get(node, shape.number);
  const actionNode = get(node, shape.action);
  const cidrs: CidrSource[] = [];
  for (const key of shape.cidrs) {
    const cidr = get(node, key);
    if (!cidr) continue;
    const possibilities = resolve(doc, cidr).filter((p) => p.value !== NO_VALUE && p.value !== '');
    if (possibilities.length) cidrs.push({ node: cidr, possibilities });
  }
  return {
    resource,
    acl: shape.acl,
    egress: shape.egress,
    number: numberOf(resolve(doc, numberNode)),
    numberNode,
    actions: [
      ...new Set(
        resolve(doc, actionNode)
          .map((p) => p.value)
          .filter((v): v is string => typeof v === 'string')
          .map((v) => v.toLowerCase()),
      ),
    ],
    actionNode,
    ranges: portRanges(doc, get(node, shape.protocol), shape.from, shape.to, { negativeIsAll: false }),
    cidrs,
    node,
    location,
  };
}

function aclOf(doc: TemplateDocument, node: Node | undefined): string | undefined {
  for (const p of resolve(doc, node)) {
    if (p.value instanceof ResourceRef) {
      const target = doc.resourcesById.get(p.value.id);
      if (target && ACL_TYPES.has(target.type)) return target.id;
    }
    if (typeof p.value === 'string' && p.value) return p.value;
  }
  return undefined;
}

/** The direction flag; absent is false (ingress), unknown is undefined. */
function booleanOf(possibilities: Possibility[]): boolean | undefined {
  const values = new Set<boolean | undefined>();
  for (const p of possibilities) {
    const v = p.value;
    if (v === NO_VALUE || v === null) values.add(false);
    else if (v === true || v === 'true' || v === 'True') values.add(true);
    else if (v === false || v === 'false' || v === 'False') values.add(false);
    else values.add(undefined);
  }
  return values.size === 1 ? [...values][0] : undefined;
}

function numberOf(possibilities: Possibility[]): number | undefined {
  for (const p of possibilities) {
    if (typeof p.value === 'number' && Number.isInteger(p.value)) return p.value;
    if (typeof p.value === 'string' && /^\d+$/.test(p.value.trim())) return Number(p.value);
  }
  return undefined;
}

// Network ACLs: custom ACLs and their entries (inline or separate), subnet associations, and
// each VPC's default ACL. A subnet without an explicit association uses the VPC's default ACL,
// which allows all traffic; CloudFormation cannot change it. Terraform's
// `aws_default_network_acl` takes it over and keeps only the rules it declares.

import type { Resource } from '../../model/document';
import type { MapNode, Node } from '../../parse/tree';
import { items } from '../../parse/tree';
import { NO_VALUE } from '../../resolve/values';
import type { Cidr } from '../cidr';
import { parseCidr } from '../cidr';
import { protocolOf } from '../securityGroups';
import { at, toPort } from './properties';
import { RoutingGraph } from './routing';
import type { NaclEntryFact, NaclFact, Path } from './types';

const NACL_DEFAULT = '#default-nacl';

export abstract class NaclGraph extends RoutingGraph {
  readonly nacls = new Map<string, NaclFact>();

  private readonly naclBySubnet = new Map<string, { nacl: string; resource: Resource; node: Node }>();

  protected ensureDefaultNacl(vpc: string): void {
    const nacl = vpc + NACL_DEFAULT;
    if (!this.nacls.has(nacl))
      this.nacls.set(nacl, {
        key: nacl,
        resource: undefined,
        vpc,
        isDefault: true,
        declared: false,
        entries: [],
      });
  }

  protected readNacl(resource: Resource): void {
    const isDefault = resource.type === 'aws_default_network_acl';
    let key = resource.id;
    let vpc = this.firstLink(resource, [this.k('VpcId', 'vpc_id')])?.id;
    if (isDefault) {
      const vpcLink = this.links(resource, ['default_network_acl_id']).find((l) => this.vpcs.has(l.id));
      if (vpcLink) {
        vpc = vpcLink.id;
        key = vpc + NACL_DEFAULT;
      }
      this.tableAliases.set(resource.id, key);
    }
    const nacl: NaclFact = { key, resource, vpc, isDefault, declared: true, entries: [] };
    this.nacls.set(key, nacl);
    for (const direction of ['ingress', 'egress'] as const) {
      const list = at(resource.properties, [direction]);
      items(list).forEach((block, i) => {
        if (block.kind !== 'map') return;
        const path: Path = [direction, i];
        nacl.entries.push(
          this.naclEntry(resource, block, direction === 'egress', path, {
            number: 'rule_no',
            action: 'action',
            protocol: 'protocol',
            from: [...path, 'from_port'],
            to: [...path, 'to_port'],
            cidr: 'cidr_block',
            ipv6: 'ipv6_cidr_block',
          }),
        );
      });
    }
  }

  /** A separate entry (`AWS::EC2::NetworkAclEntry`, `aws_network_acl_rule`) into its ACL. */
  protected readNaclEntry(resource: Resource): void {
    const cfn = this.cfn;
    const nacl = this.links(resource, [cfn ? 'NetworkAclId' : 'network_acl_id'])
      .map(
        (l) =>
          this.tableAliases.get(l.id) ??
          (l.attribute === 'default_network_acl_id' && this.vpcs.has(l.id) ? l.id + NACL_DEFAULT : l.id),
      )
      .find((k) => this.nacls.has(k));
    const props = resource.properties;
    if (!nacl || !props) return;
    const egress = this.flag(resource, [cfn ? 'Egress' : 'egress'], false).value;
    this.nacls.get(nacl)!.entries.push(
      this.naclEntry(
        resource,
        props,
        egress,
        [],
        cfn
          ? {
              number: 'RuleNumber',
              action: 'RuleAction',
              protocol: 'Protocol',
              from: ['PortRange', 'From'],
              to: ['PortRange', 'To'],
              cidr: 'CidrBlock',
              ipv6: 'Ipv6CidrBlock',
            }
          : {
              number: 'rule_number',
              action: 'rule_action',
              protocol: 'protocol',
              from: ['from_port'],
              to: ['to_port'],
              cidr: 'cidr_block',
              ipv6: 'ipv6_cidr_block',
            },
      ),
    );
  }

  /** A subnet's explicit network ACL. */
  protected readNaclAssociation(resource: Resource): void {
    const cfn = this.cfn;
    const nacl = this.links(resource, [cfn ? 'NetworkAclId' : 'network_acl_id'])
      .map((l) => this.tableAliases.get(l.id) ?? l.id)
      .find((k) => this.nacls.has(k));
    const subnet = this.firstLink(resource, [cfn ? 'SubnetId' : 'subnet_id']);
    if (nacl && subnet) this.naclBySubnet.set(subnet.id, { nacl, resource, node: subnet.node });
  }

  private naclEntry(
    resource: Resource,
    node: MapNode,
    egress: boolean | undefined,
    base: Path,
    keys: {
      number: string;
      action: string;
      protocol: string;
      from: Path;
      to: Path;
      cidr: string;
      ipv6: string;
    },
  ): NaclEntryFact {
    let unknown = false;
    const number = toPort(this.string(resource, [...base, keys.number]));
    if (number === undefined) unknown = true;
    const actionText = this.string(resource, [...base, keys.action])?.toLowerCase();
    const action = actionText === 'allow' || actionText === 'deny' ? actionText : undefined;
    if (!action) unknown = true;
    const protocol = protocolOf(this.string(resource, [...base, keys.protocol]) ?? undefined);
    if (!protocol) unknown = true;
    let from = 0;
    let to = 65535;
    if (protocol === 'tcp' || protocol === 'udp') {
      const f = toPort(this.string(resource, this.cfn ? keys.from : [...base, ...keys.from]));
      const t = toPort(this.string(resource, this.cfn ? keys.to : [...base, ...keys.to]));
      if (f === undefined || t === undefined) unknown = true;
      else {
        from = f;
        to = t;
      }
    }
    let cidr: Cidr | undefined;
    let cidrNode: Node | undefined;
    for (const key of [keys.cidr, keys.ipv6]) {
      const path = [...base, key];
      const values = this.values(resource, path);
      if (values.every((p) => p.value === NO_VALUE)) continue;
      cidrNode = at(resource.properties, path);
      const text = values[0]!.value;
      cidr = typeof text === 'string' ? parseCidr(text) : undefined;
      if (!cidr || values.length > 1) unknown = true;
      break;
    }
    if (!cidrNode) unknown = true;
    return { resource, node, egress, number, action, protocol, from, to, cidr, cidrNode, unknown };
  }

  protected indexNacls(): void {
    // Terraform aws_network_acl subnet_ids / aws_default_network_acl subnet_ids.
    for (const nacl of this.nacls.values()) {
      if (!nacl.resource || this.cfn) continue;
      for (const subnet of this.links(nacl.resource, ['subnet_ids']))
        this.naclBySubnet.set(subnet.id, { nacl: nacl.key, resource: nacl.resource, node: subnet.node });
    }
  }

  /** The network ACL of a subnet: the explicit association, else the VPC's default ACL. */
  naclOf(subnet: string): { nacl: NaclFact; association: Resource | undefined } | undefined {
    const explicit = this.naclBySubnet.get(subnet);
    if (explicit) {
      const nacl = this.nacls.get(explicit.nacl);
      if (nacl) return { nacl, association: explicit.resource };
    }
    const vpc = this.subnets.get(subnet)?.vpc;
    const nacl = vpc ? this.nacls.get(vpc + NACL_DEFAULT) : undefined;
    return nacl ? { nacl, association: undefined } : undefined;
  }
}

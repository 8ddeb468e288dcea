// Routing: VPCs, subnets, route tables (explicit, a VPC's main table, Terraform's default
// table) and their associations, routes and their targets, internet / NAT / egress-only /
// virtual private gateways; and the queries "which table does this subnet use" and "does it
// route the internet to an internet gateway".
//
// The main route table. A subnet without an explicit association uses its VPC's main route
// table. CloudFormation cannot name or change the main table (it has only the local route
// unless changed outside the stack), so such a subnet is private here. Terraform can:
// `aws_default_route_table` (default_route_table_id = aws_vpc.x.default_route_table_id),
// `aws_route` on `aws_vpc.x.main_route_table_id`, and `aws_main_route_table_association`
// (which replaces the main table). Each VPC gets a pseudo table keyed `<vpc id>#main`.

import type { Resource } from '../../model/document';
import type { MapNode, Node } from '../../parse/tree';
import { items } from '../../parse/tree';
import { NO_VALUE } from '../../resolve/values';
import { parseCidr } from '../cidr';
import { TYPES } from './kinds';
import { at, push } from './properties';
import { GraphReader } from './reader';
import type {
  GatewayFact,
  GatewayKind,
  Link,
  Path,
  RouteFact,
  RouteTableFact,
  RouteTableOf,
  SubnetFact,
  TargetKind,
} from './types';

const MAIN = '#main';

export abstract class RoutingGraph extends GraphReader {
  readonly vpcs = new Map<string, Resource>();
  readonly subnets = new Map<string, SubnetFact>();
  readonly routeTables = new Map<string, RouteTableFact>();
  readonly gateways = new Map<string, GatewayFact>();

  private readonly subnetsByVpc = new Map<string, string[]>();
  private readonly tablesByVpc = new Map<string, string[]>();
  private readonly explicitTable = new Map<string, { table: string; association: Resource; node: Node }>();
  private readonly mainOverride = new Map<string, string>();
  private readonly internetGatewaysByVpc = new Map<string, GatewayFact[]>();
  protected readonly tableAliases = new Map<string, string>();
  private subnetsByTable: Map<string, SubnetFact[]> | undefined;

  protected ensureMain(vpc: string): void {
    const key = vpc + MAIN;
    if (!this.routeTables.has(key))
      this.routeTables.set(key, {
        key,
        resource: undefined,
        vpc,
        routes: [],
        main: true,
        ref: this.cfn ? undefined : { id: vpc, attribute: 'main_route_table_id' },
      });
  }

  protected readSubnet(resource: Resource): void {
    this.subnets.set(resource.id, {
      resource,
      vpc: this.firstLink(resource, [this.k('VpcId', 'vpc_id')])?.id,
      mapPublicIp: this.flag(resource, [this.k('MapPublicIpOnLaunch', 'map_public_ip_on_launch')], false),
      assignIpv6: this.flag(
        resource,
        [this.k('AssignIpv6AddressOnCreation', 'assign_ipv6_address_on_creation')],
        false,
      ),
    });
  }

  protected readGateway(resource: Resource): void {
    const kind = TYPES[resource.type] as GatewayKind;
    const gateway: GatewayFact = { resource, kind };
    if (kind === 'nat') {
      gateway.subnet = this.firstLink(resource, [this.k('SubnetId', 'subnet_id')])?.id;
      gateway.privateNat =
        this.string(resource, [this.k('ConnectivityType', 'connectivity_type')]) === 'private';
    }
    this.gateways.set(resource.id, gateway);
    if (kind === 'igw' && !this.cfn) {
      const vpc = this.firstLink(resource, ['vpc_id']);
      if (vpc) push(this.internetGatewaysByVpc, vpc.id, gateway);
    }
  }

  protected readDefaultRouteTable(resource: Resource): void {
    // default_route_table_id = aws_vpc.x.default_route_table_id
    const vpcLink = this.links(resource, ['default_route_table_id']).find((l) => this.vpcs.has(l.id));
    const key = vpcLink ? vpcLink.id + MAIN : resource.id;
    if (!vpcLink)
      this.routeTables.set(key, {
        key,
        resource,
        vpc: undefined,
        routes: [],
        main: true,
        ref: { id: resource.id },
      });
    else {
      const table = this.routeTables.get(key)!;
      table.resource = resource;
      table.ref = { id: resource.id };
    }
    this.tableAliases.set(resource.id, key);
    this.readInlineRoutes(resource, key);
  }

  protected readInlineRoutes(resource: Resource, key = resource.id): void {
    const list = at(resource.properties, ['route']);
    const blocks = items(list).filter((n): n is MapNode => n.kind === 'map');
    blocks.forEach((block, i) => {
      const path: Path = ['route', i];
      this.addRoute(resource, block, key, path, {
        cidr: 'cidr_block',
        ipv6: 'ipv6_cidr_block',
        prefixList: 'destination_prefix_list_id',
      });
    });
  }

  /** A route resource (`AWS::EC2::Route`, `aws_route`) into the tables it names. */
  protected readRoute(resource: Resource): void {
    const cfn = this.cfn;
    const tables = this.links(resource, [cfn ? 'RouteTableId' : 'route_table_id']);
    const props = resource.properties;
    if (!props) return;
    for (const link of tables) {
      const key = this.tableKey(link);
      if (key)
        this.addRoute(
          resource,
          props,
          key,
          [],
          cfn
            ? {
                cidr: 'DestinationCidrBlock',
                ipv6: 'DestinationIpv6CidrBlock',
                prefixList: 'DestinationPrefixListId',
              }
            : {
                cidr: 'destination_cidr_block',
                ipv6: 'destination_ipv6_cidr_block',
                prefixList: 'destination_prefix_list_id',
              },
        );
    }
  }

  /** A subnet's explicit route table. */
  protected readRouteTableAssociation(resource: Resource): void {
    const cfn = this.cfn;
    const table = this.links(resource, [cfn ? 'RouteTableId' : 'route_table_id'])
      .map((l) => this.tableKey(l))
      .find((k) => k);
    const subnet = this.firstLink(resource, [cfn ? 'SubnetId' : 'subnet_id']);
    if (table && subnet && this.subnets.has(subnet.id))
      this.explicitTable.set(subnet.id, { table, association: resource, node: subnet.node });
  }

  /** Terraform `aws_main_route_table_association`: the table that replaces the main one. */
  protected readMainRouteTableAssociation(resource: Resource): void {
    const vpc = this.firstLink(resource, ['vpc_id']);
    const table = this.links(resource, ['route_table_id'])
      .map((l) => this.tableKey(l))
      .find((k) => k);
    if (vpc && table) this.mainOverride.set(vpc.id, table);
  }

  /** An internet gateway attached to a VPC. */
  protected readGatewayAttachment(resource: Resource): void {
    const cfn = this.cfn;
    const vpc = this.firstLink(resource, [cfn ? 'VpcId' : 'vpc_id']);
    const gateway =
      this.firstLink(resource, [cfn ? 'InternetGatewayId' : 'internet_gateway_id']) ??
      this.firstLink(resource, [cfn ? 'VpnGatewayId' : 'vpn_gateway_id']);
    const fact = gateway && this.gateways.get(gateway.id);
    if (vpc && fact?.kind === 'igw') push(this.internetGatewaysByVpc, vpc.id, fact);
  }

  protected addRoute(
    resource: Resource,
    node: MapNode,
    table: string,
    base: Path,
    keys: { cidr: string; ipv6: string; prefixList: string },
  ): void {
    const fact = this.routeTables.get(table);
    if (!fact) return;
    let destination: RouteFact['destination'] = {
      cidr: undefined,
      node: undefined,
      via: [],
      prefixList: false,
    };
    for (const key of [keys.cidr, keys.ipv6]) {
      const path = [...base, key];
      const values = this.values(resource, path);
      if (values.every((p) => p.value === NO_VALUE)) continue;
      const p = values.find((v) => typeof v.value === 'string' && parseCidr(v.value)) ?? values[0]!;
      destination = {
        cidr: typeof p.value === 'string' ? parseCidr(p.value) : undefined,
        node: at(resource.properties, path),
        via: p.via,
        prefixList: false,
      };
      break;
    }
    if (
      !destination.node &&
      this.values(resource, [...base, keys.prefixList]).some((p) => p.value !== NO_VALUE)
    )
      destination = {
        cidr: undefined,
        node: at(resource.properties, [...base, keys.prefixList]),
        via: [],
        prefixList: true,
      };
    fact.routes.push({ resource, node, table, destination, target: this.routeTarget(resource, base) });
  }

  protected routeTarget(resource: Resource, base: Path): RouteFact['target'] {
    const cfn = this.cfn;
    const inline = base.length > 0;
    const targets: [string, TargetKind][] = cfn
      ? [
          ['GatewayId', 'unknown'],
          ['NatGatewayId', 'nat'],
          ['EgressOnlyInternetGatewayId', 'eigw'],
          ['TransitGatewayId', 'transit'],
          ['VpcPeeringConnectionId', 'peering'],
          ['InstanceId', 'instance'],
          ['NetworkInterfaceId', 'eni'],
          ['VpcEndpointId', 'endpoint'],
          ['CarrierGatewayId', 'other'],
          ['LocalGatewayId', 'other'],
          ['CoreNetworkArn', 'other'],
        ]
      : [
          ['gateway_id', 'unknown'],
          ['nat_gateway_id', 'nat'],
          [inline ? 'egress_only_gateway_id' : 'egress_only_gateway_id', 'eigw'],
          ['transit_gateway_id', 'transit'],
          ['vpc_peering_connection_id', 'peering'],
          ['instance_id', 'instance'],
          ['network_interface_id', 'eni'],
          ['vpc_endpoint_id', 'endpoint'],
          ['carrier_gateway_id', 'other'],
          ['local_gateway_id', 'other'],
          ['core_network_arn', 'other'],
        ];
    for (const [key, kind] of targets) {
      const path = [...base, key];
      const values = this.values(resource, path);
      const node = at(resource.properties, path);
      // Plans: an id only known after apply is unknown, not absent (values() tells them apart).
      if (values.every((p) => p.value === NO_VALUE)) continue;
      const link = this.links(resource, path)[0];
      const gateway = link && this.gateways.get(link.id);
      const via = link?.via ?? values[0]?.via ?? [];
      if (kind !== 'unknown') return { kind, id: link?.id, node, via };
      // GatewayId: an internet gateway, a virtual private gateway, or `local`.
      if (gateway)
        return { kind: gateway.kind === 'vgw' ? 'vgw' : gateway.kind, id: gateway.resource.id, node, via };
      const literal = values.map((p) => p.value).find((v): v is string => typeof v === 'string');
      if (literal === 'local') return { kind: 'local', node, via };
      if (literal?.startsWith('igw-')) return { kind: 'igw', node, via };
      if (literal?.startsWith('vgw-')) return { kind: 'vgw', node, via };
      return { kind: 'unknown', id: link?.id, node, via };
    }
    return { kind: 'unknown', node: undefined, via: [] };
  }

  /** The route table key a reference names (a table, aws_default_route_table, a VPC's main table attribute). */
  protected tableKey(link: Link): string | undefined {
    const alias = this.tableAliases.get(link.id);
    if (alias) return alias;
    if (this.routeTables.has(link.id)) return link.id;
    if (
      this.vpcs.has(link.id) &&
      (link.attribute === 'main_route_table_id' || link.attribute === 'default_route_table_id')
    )
      return link.id + MAIN;
    return undefined;
  }

  protected indexRouting(): void {
    for (const [id, subnet] of this.subnets) if (subnet.vpc) push(this.subnetsByVpc, subnet.vpc, id);
    for (const [key, table] of this.routeTables) if (table.vpc) push(this.tablesByVpc, table.vpc, key);
  }

  subnetsOf(vpc: string): SubnetFact[] {
    return (this.subnetsByVpc.get(vpc) ?? []).map((id) => this.subnets.get(id)!);
  }

  routeTablesOf(vpc: string): RouteTableFact[] {
    return (this.tablesByVpc.get(vpc) ?? []).map((k) => this.routeTables.get(k)!);
  }

  /** The VPC's main route table (Terraform may replace it; CloudFormation's is the pseudo table). */
  mainTableOf(vpc: string): RouteTableFact | undefined {
    return this.routeTables.get(this.mainOverride.get(vpc) ?? vpc + MAIN);
  }

  /** The route table a subnet uses: its explicit association, else its VPC's main table. */
  routeTableOf(subnet: string): RouteTableOf | undefined {
    const explicit = this.explicitTable.get(subnet);
    if (explicit) {
      const table = this.routeTables.get(explicit.table);
      if (table) return { table, association: explicit.association, node: explicit.node };
    }
    const vpc = this.subnets.get(subnet)?.vpc;
    const main = vpc ? this.mainTableOf(vpc) : undefined;
    return main ? { table: main, association: undefined, node: undefined } : undefined;
  }

  /** Subnets (in the document) whose route table is `table`. */
  subnetsUsing(table: RouteTableFact): SubnetFact[] {
    if (!this.subnetsByTable) {
      this.subnetsByTable = new Map();
      for (const [id, subnet] of this.subnets) {
        const key = this.routeTableOf(id)?.table.key;
        if (key) push(this.subnetsByTable, key, subnet);
      }
    }
    return this.subnetsByTable.get(table.key) ?? [];
  }

  /** Routes of a table to the whole internet (0.0.0.0/0 or ::/0) of an IP version. */
  defaultRoutes(table: RouteTableFact, version: 4 | 6): RouteFact[] {
    return table.routes.filter(
      (r) => r.destination.cidr?.version === version && r.destination.cidr.prefix === 0,
    );
  }

  /** The route that sends the whole internet of a version to an internet gateway. */
  internetRoute(table: RouteTableFact, version: 4 | 6): RouteFact | undefined {
    return this.defaultRoutes(table, version).find((r) => r.target.kind === 'igw');
  }

  /** The route that sends 0.0.0.0/0 to a (public) NAT gateway. */
  natRoute(table: RouteTableFact): RouteFact | undefined {
    return this.defaultRoutes(table, 4).find(
      (r) => r.target.kind === 'nat' && !(r.target.id && this.gateways.get(r.target.id)?.privateNat),
    );
  }

  /** True when some route of the table cannot be read (unknown destination or target). */
  hasUnknownRoutes(table: RouteTableFact): boolean {
    return table.routes.some(
      (r) => (!r.destination.cidr && !r.destination.prefixList) || r.target.kind === 'unknown',
    );
  }

  /** A subnet is public when its route table sends 0.0.0.0/0 (or ::/0) to an internet gateway. */
  isPublicSubnet(subnet: string, version: 4 | 6 = 4): boolean {
    const table = this.routeTableOf(subnet)?.table;
    return table ? this.internetRoute(table, version) !== undefined : false;
  }

  /** Internet gateways attached to a VPC. */
  internetGatewaysOf(vpc: string): GatewayFact[] {
    return this.internetGatewaysByVpc.get(vpc) ?? [];
  }
}

// The graph's vocabulary: the facts it holds about each kind of node (VPCs, subnets, route
// tables and routes, gateways, network ACLs, workloads, load balancers, endpoints, flow logs)
// and the links between them. Built by `networkGraph.ts`, read by rules and the network map.

import type { Resource } from '../../model/document';
import type { MapNode, Node } from '../../parse/tree';
import type { Via } from '../../resolve/values';
import type { Cidr } from '../cidr';
import type { Protocol } from '../securityGroups';

/** A step into properties: a key, or an index into a list (index 0 of a single block is the block). */
export type Path = (string | number)[];

/** A reference from one resource to another. */
export interface Link {
  /** The referenced resource's id (logical id / address). */
  id: string;
  /** `GroupId`, `default_route_table_id` ... when the reference names one. */
  attribute?: string;
  /** Where the reference is written (the use). */
  node: Node;
  via: Via[];
}

/** A boolean setting with the format's default for absent. */
export interface Flag {
  /** true when some possibility is true; false when all are false; undefined when unknown. */
  value: boolean | undefined;
  /** True when the property is written (not the default). */
  explicit: boolean;
  node: Node | undefined;
  via: Via[];
  /** True when only some possibilities (a condition branch, an allowed value) give `value`. */
  conditional: boolean;
}

export type GatewayKind = 'igw' | 'nat' | 'eigw' | 'vgw';

export interface GatewayFact {
  resource: Resource;
  kind: GatewayKind;
  /** NAT gateways: the subnet they sit in. */
  subnet?: string;
  /** NAT gateways: `private` NAT gateways do not reach the internet. */
  privateNat?: boolean;
}

export type TargetKind =
  | 'igw'
  | 'nat'
  | 'eigw'
  | 'vgw'
  | 'local'
  | 'transit'
  | 'peering'
  | 'instance'
  | 'eni'
  | 'endpoint'
  | 'other'
  | 'unknown';

export interface RouteFact {
  /** The route resource, or the route table holding an inline route. */
  resource: Resource;
  /** The route's own map (resource properties or inline block). */
  node: MapNode;
  table: string;
  destination: { cidr: Cidr | undefined; node: Node | undefined; via: Via[]; prefixList: boolean };
  target: { kind: TargetKind; id?: string; node: Node | undefined; via: Via[] };
}

export interface RouteTableFact {
  /** Resource id, or `<vpc id>#main` for a VPC's main table. */
  key: string;
  resource: Resource | undefined;
  vpc: string | undefined;
  routes: RouteFact[];
  /** True for a VPC's main table (pseudo, or named by aws_main_route_table_association). */
  main: boolean;
  /** The value that names this table in a fix (a reference). */
  ref: { id: string; attribute?: string } | undefined;
}

export interface SubnetFact {
  resource: Resource;
  vpc: string | undefined;
  mapPublicIp: Flag;
  assignIpv6: Flag;
}

export interface RouteTableOf {
  table: RouteTableFact;
  /** The association resource, when explicit. */
  association: Resource | undefined;
  /** Where the association names the subnet. */
  node: Node | undefined;
}

export interface NaclEntryFact {
  /** The entry resource, or the ACL holding an inline entry. */
  resource: Resource;
  node: MapNode;
  egress: boolean | undefined;
  number: number | undefined;
  action: 'allow' | 'deny' | undefined;
  /** undefined when unknown. */
  protocol: Protocol | undefined;
  from: number;
  to: number;
  cidr: Cidr | undefined;
  cidrNode: Node | undefined;
  /** True when some value could not be known. */
  unknown: boolean;
}

export interface NaclFact {
  key: string;
  resource: Resource | undefined;
  vpc: string | undefined;
  /** The VPC's default ACL: implicit (allows all) unless Terraform manages it. */
  isDefault: boolean;
  /** Terraform aws_default_network_acl, or any custom ACL: only the declared entries apply. */
  declared: boolean;
  entries: NaclEntryFact[];
}

export type WorkloadKind =
  | 'instance'
  | 'launch-template'
  | 'launch-configuration'
  | 'asg'
  | 'eni'
  | 'ecs-service'
  | 'eks-nodegroup'
  | 'lambda';

export interface ComputeFact {
  resource: Resource;
  kind: WorkloadKind;
  subnets: Link[];
  securityGroups: Link[];
  launchTemplate: Link | undefined;
  launchConfiguration: Link | undefined;
  /** Explicit public IPv4 setting of this resource (first network interface / top level). */
  publicIp: Flag;
  /** Explicit IPv6 addresses (count > 0 or addresses). */
  ipv6: Flag;
  /** Network interfaces attached by reference (instance → ENI). */
  interfaces: Link[];
}

export interface ListenerFact {
  resource: Resource;
  port: number | undefined;
  node: Node | undefined;
}

export interface LoadBalancerFact {
  resource: Resource;
  classic: boolean;
  type: string | undefined;
  /** Scheme internet-facing (CFN default) / internal = false (TF default). */
  internetFacing: Flag;
  subnets: Link[];
  securityGroups: Link[];
  listeners: ListenerFact[];
}

export interface EndpointFact {
  resource: Resource;
  vpc: string | undefined;
  /** The service part of the name (`s3`, `ecr.api`), undefined when unknown. */
  service: string | undefined;
  serviceNode: Node | undefined;
  /** `Gateway` (default), `Interface`, `GatewayLoadBalancer`; undefined when unknown. */
  type: string | undefined;
  routeTables: string[];
  routeTableList: Node | undefined;
  subnets: string[];
}

export interface FlowLogFact {
  resource: Resource;
  targets: Link[];
  /** True when the target could not be linked (a literal id, a parameter). */
  unknownTarget: boolean;
}

export interface PublicIp {
  value: boolean | undefined;
  reason: 'explicit' | 'launch-template' | 'launch-configuration' | 'eip' | 'subnet';
  /** The resource whose setting decides (the instance, its template, the EIP, the subnet). */
  resource: Resource;
  node: Node | undefined;
  via: Via[];
  conditional?: boolean;
}

// The network graph of one document: VPCs, subnets, route tables and their associations,
// routes, internet / NAT / egress-only gateways, security groups, network ACLs, instances,
// launch templates and configurations, auto-scaling groups, load balancers, VPC endpoints and
// flow logs, linked by the references between them. Built once per document version
// (facts.memo) in two linear passes: read every resource of a known type, then index the links.
//
// How references are followed:
//   CFN  Ref, Fn::GetAtt, Fn::Sub, Fn::If (both branches) ... through resolve(): ResourceRef.
//   TF   "${aws_vpc.main.id}" through resolve(): ResourceRef (attribute kept).
//   PLAN resource references are resolved to values there, and the ids of resources to be
//        created are unknown. Links come from the plan's configuration
//        (`configuration.root_module.resources[].expressions.<attr>.references`, child modules
//        through module_calls, addresses relative to the module) and, for resources that exist
//        already, from known `id` / `arn` values. A plan cannot show references made through
//        module outputs, `for_each` / `count` keys (all instances are linked) or data sources.
//
// The main route table. A subnet without an explicit association uses its VPC's main route
// table. CloudFormation cannot name or change the main table (it has only the local route
// unless changed outside the stack), so such a subnet is private here. Terraform can:
// `aws_default_route_table` (default_route_table_id = aws_vpc.x.default_route_table_id),
// `aws_route` on `aws_vpc.x.main_route_table_id`, and `aws_main_route_table_association`
// (which replaces the main table). Each VPC gets a pseudo table keyed `<vpc id>#main`.
//
// The default network ACL. A subnet without an explicit association uses the VPC's default
// ACL, which allows all traffic; CloudFormation cannot change it. Terraform's
// `aws_default_network_acl` takes it over and keeps only the rules it declares.

import type { Facts } from '.';
import type { Resource, TemplateDocument } from '../model/document';
import { isUnknownInPlan } from '../model/document';
import type { MapNode, Node } from '../parse/tree';
import { get, items, scalarString, toPlain } from '../parse/tree';
import type { Possibility, Value, Via } from '../resolve/values';
import { NO_VALUE, ResourceRef, UNKNOWN, resolve, resolveItems } from '../resolve/values';
import type { Cidr } from './cidr';
import { parseCidr } from './cidr';
import type { Protocol } from './securityGroups';
import { protocolOf } from './securityGroups';
import { booleanText } from '../model/booleans';

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

const TYPES: Record<string, string> = {
  'AWS::EC2::VPC': 'vpc',
  aws_vpc: 'vpc',
  'AWS::EC2::Subnet': 'subnet',
  aws_subnet: 'subnet',
  'AWS::EC2::RouteTable': 'route-table',
  aws_route_table: 'route-table',
  aws_default_route_table: 'default-route-table',
  'AWS::EC2::Route': 'route',
  aws_route: 'route',
  'AWS::EC2::SubnetRouteTableAssociation': 'rt-association',
  aws_route_table_association: 'rt-association',
  aws_main_route_table_association: 'main-rt-association',
  'AWS::EC2::InternetGateway': 'igw',
  aws_internet_gateway: 'igw',
  'AWS::EC2::VPCGatewayAttachment': 'gw-attachment',
  aws_internet_gateway_attachment: 'gw-attachment',
  aws_vpn_gateway_attachment: 'gw-attachment',
  'AWS::EC2::VPNGateway': 'vgw',
  aws_vpn_gateway: 'vgw',
  'AWS::EC2::NatGateway': 'nat',
  aws_nat_gateway: 'nat',
  'AWS::EC2::EgressOnlyInternetGateway': 'eigw',
  aws_egress_only_internet_gateway: 'eigw',
  'AWS::EC2::NetworkAcl': 'nacl',
  aws_network_acl: 'nacl',
  aws_default_network_acl: 'default-nacl',
  'AWS::EC2::NetworkAclEntry': 'nacl-entry',
  aws_network_acl_rule: 'nacl-entry',
  'AWS::EC2::SubnetNetworkAclAssociation': 'nacl-association',
  aws_network_acl_association: 'nacl-association',
  'AWS::EC2::Instance': 'instance',
  aws_instance: 'instance',
  'AWS::EC2::LaunchTemplate': 'launch-template',
  aws_launch_template: 'launch-template',
  'AWS::AutoScaling::LaunchConfiguration': 'launch-configuration',
  aws_launch_configuration: 'launch-configuration',
  'AWS::AutoScaling::AutoScalingGroup': 'asg',
  aws_autoscaling_group: 'asg',
  'AWS::EC2::NetworkInterface': 'eni',
  aws_network_interface: 'eni',
  'AWS::EC2::EIP': 'eip',
  aws_eip: 'eip',
  'AWS::EC2::EIPAssociation': 'eip-association',
  aws_eip_association: 'eip-association',
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 'lb',
  aws_lb: 'lb',
  aws_alb: 'lb',
  'AWS::ElasticLoadBalancing::LoadBalancer': 'elb',
  aws_elb: 'elb',
  'AWS::ElasticLoadBalancingV2::Listener': 'listener',
  aws_lb_listener: 'listener',
  aws_alb_listener: 'listener',
  'AWS::EC2::VPCEndpoint': 'endpoint',
  aws_vpc_endpoint: 'endpoint',
  aws_vpc_endpoint_route_table_association: 'endpoint-rt',
  aws_vpc_endpoint_subnet_association: 'endpoint-subnet',
  'AWS::EC2::FlowLog': 'flow-log',
  aws_flow_log: 'flow-log',
  'AWS::EC2::SecurityGroup': 'sg',
  aws_security_group: 'sg',
  aws_default_security_group: 'sg',
  'AWS::ECS::Service': 'ecs-service',
  aws_ecs_service: 'ecs-service',
  'AWS::EKS::Nodegroup': 'eks-nodegroup',
  aws_eks_node_group: 'eks-nodegroup',
  'AWS::Lambda::Function': 'lambda',
  aws_lambda_function: 'lambda',
  'AWS::RDS::DBSubnetGroup': 'db-subnet-group',
  aws_db_subnet_group: 'db-subnet-group',
};

/** The graph kind of a resource type (`vpc`, `subnet`, `igw`, ...), undefined for others. */
export function kindOf(type: string): string | undefined {
  return TYPES[type];
}

export function networkGraph(facts: Facts): NetworkGraph {
  return facts.memo('network-graph', (doc) => new NetworkGraph(doc));
}

const MAIN = '#main';
const NACL_DEFAULT = '#default-nacl';

export class NetworkGraph {
  readonly vpcs = new Map<string, Resource>();
  readonly subnets = new Map<string, SubnetFact>();
  readonly routeTables = new Map<string, RouteTableFact>();
  readonly gateways = new Map<string, GatewayFact>();
  readonly nacls = new Map<string, NaclFact>();
  readonly computes = new Map<string, ComputeFact>();
  readonly loadBalancers = new Map<string, LoadBalancerFact>();
  readonly endpoints: EndpointFact[] = [];
  readonly flowLogs: FlowLogFact[] = [];
  readonly dbSubnetGroups = new Map<string, Link[]>();

  private readonly subnetsByVpc = new Map<string, string[]>();
  private readonly tablesByVpc = new Map<string, string[]>();
  private readonly explicitTable = new Map<string, { table: string; association: Resource; node: Node }>();
  private readonly mainOverride = new Map<string, string>();
  private readonly internetGatewaysByVpc = new Map<string, GatewayFact[]>();
  private readonly naclBySubnet = new Map<string, { nacl: string; resource: Resource; node: Node }>();
  private readonly eipsByTarget = new Map<string, Resource[]>();
  private readonly endpointsByVpc = new Map<string, EndpointFact[]>();
  private readonly flowLogsByTarget = new Map<string, FlowLogFact[]>();
  private readonly usersBySecurityGroup = new Map<string, ComputeFact[]>();
  private readonly lbsBySecurityGroup = new Map<string, LoadBalancerFact[]>();
  private readonly tableAliases = new Map<string, string>();
  private readonly plan: PlanIndex | undefined;

  constructor(readonly doc: TemplateDocument) {
    this.plan = doc.format === 'plan' ? new PlanIndex(doc) : undefined;
    const later: (() => void)[] = [];
    // Pass 1: the nodes.
    for (const resource of doc.resources) {
      switch (TYPES[resource.type]) {
        case 'vpc':
          this.vpcs.set(resource.id, resource);
          this.ensureMain(resource.id);
          break;
        case 'subnet':
          this.readSubnet(resource);
          break;
        case 'route-table':
          this.routeTables.set(resource.id, {
            key: resource.id,
            resource,
            vpc: this.firstLink(resource, [this.k('VpcId', 'vpc_id')])?.id,
            routes: [],
            main: false,
            ref: { id: resource.id },
          });
          break;
        case 'igw':
        case 'vgw':
        case 'eigw':
        case 'nat':
          this.readGateway(resource);
          break;
        case 'nacl':
          this.readNacl(resource);
          break;
        case 'instance':
        case 'launch-template':
        case 'launch-configuration':
        case 'asg':
        case 'eni':
        case 'ecs-service':
        case 'eks-nodegroup':
        case 'lambda':
          this.readCompute(resource);
          break;
        case 'lb':
        case 'elb':
          this.readLoadBalancer(resource);
          break;
        case 'db-subnet-group':
          this.dbSubnetGroups.set(resource.id, this.links(resource, [this.k('SubnetIds', 'subnet_ids')]));
          break;
        default:
          // Edges (routes, associations, entries, listeners ...) need the nodes first.
          later.push(() => this.readEdge(resource));
      }
    }
    // aws_default_route_table / aws_default_network_acl after the VPCs they name.
    for (const resource of doc.resources) {
      if (TYPES[resource.type] === 'default-route-table') this.readDefaultRouteTable(resource);
      else if (TYPES[resource.type] === 'default-nacl') this.readNacl(resource);
    }
    for (const resource of doc.resources)
      if (TYPES[resource.type] === 'route-table') this.readInlineRoutes(resource);
    // Pass 2: the edges.
    for (const read of later) read();
    this.index();
  }

  // ---------- reading values ----------

  /** CFN or TF spelling of a key, by format. */
  private k(cfn: string, tf: string): string {
    return this.doc.format === 'cfn' ? cfn : tf;
  }

  private get cfn(): boolean {
    return this.doc.format === 'cfn';
  }

  /** The possible values of a property (plans: unknown when `after_unknown` says so; "" is absent). */
  values(resource: Resource, path: Path): Possibility[] {
    if (this.plan && isUnknownInPlan(resource, path)) {
      // Computed because the configuration does not set it: the provider's default applies.
      const expressions = this.plan.expressions(resource);
      if (expressions && !at(expressions, path)) return [{ value: NO_VALUE, via: [] }];
      return [{ value: UNKNOWN, via: [] }];
    }
    const node = at(resource.properties, path);
    if (!node) return [{ value: NO_VALUE, via: [] }];
    if (this.plan) {
      const plain = toPlain(node) as Value;
      return [{ value: plain === '' || plain === null ? NO_VALUE : plain, via: [] }];
    }
    return resolve(this.doc, node);
  }

  /** The first known string value of a property. */
  string(resource: Resource, path: Path): string | undefined {
    for (const p of this.values(resource, path))
      if (typeof p.value === 'string' || typeof p.value === 'number') return String(p.value);
    return undefined;
  }

  /** A boolean property with a default for absent. */
  flag(resource: Resource, path: Path, absent: boolean | undefined): Flag {
    const node = at(resource.properties, path);
    const possibilities = this.values(resource, path);
    const bools = possibilities.map((p) => (p.value === NO_VALUE ? absent : toBool(p.value)));
    const explicit = possibilities.some((p) => p.value !== NO_VALUE);
    const firstTrue = bools.indexOf(true);
    if (firstTrue >= 0) {
      const via = possibilities[firstTrue]!.via;
      return {
        value: true,
        explicit,
        node,
        via,
        conditional: bools.some((b) => b !== true) || via.some((v) => v.kind !== 'parameter-default'),
      };
    }
    if (bools.length && bools.every((b) => b === false))
      return { value: false, explicit, node, via: possibilities[0]!.via, conditional: false };
    return { value: undefined, explicit, node, via: [], conditional: false };
  }

  /** References written at a property path (list items each keep their own node). */
  links(resource: Resource, path: Path): Link[] {
    const node = at(resource.properties, path);
    const out: Link[] = [];
    if (this.plan) {
      this.plan.links(resource, path, node, out);
      return dedupe(out);
    }
    if (!node) return out;
    for (const item of resolveItems(this.doc, node))
      for (const p of item.possibilities) collectRefs(p.value, item.node, p.via, out);
    return dedupe(out).filter((l) => this.doc.resourcesById.has(l.id));
  }

  firstLink(resource: Resource, path: Path): Link | undefined {
    return this.links(resource, path)[0];
  }

  /**
   * True when every value of a property names something that exists before this document is
   * deployed: a literal id (`vpc-0abc...`), `Fn::ImportValue`, a Terraform data source.
   */
  private namesExisting(resource: Resource, path: Path): boolean {
    const node = at(resource.properties, path);
    if (!node) return false;
    if (this.plan) return typeof toPlain(node) === 'string' && toPlain(node) !== '';
    if (
      this.cfn &&
      node.kind === 'map' &&
      node.entries.length === 1 &&
      node.entries[0]!.key.value === 'Fn::ImportValue'
    )
      return true;
    const text = scalarString(node);
    if (!this.cfn && text !== undefined && /^\$\{data\.[\w-]+\.[\w-]+\.id\}$/.test(text)) return true;
    const values = this.values(resource, path);
    return values.length > 0 && values.every((p) => typeof p.value === 'string' && p.value !== '');
  }

  /** True when a property is written but none of its values links to a resource in the document. */
  private unlinked(resource: Resource, path: Path): boolean {
    const node = at(resource.properties, path);
    if (!node) return false;
    return this.links(resource, path).length === 0;
  }

  // ---------- pass 1 ----------

  private ensureMain(vpc: string): void {
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

  private readSubnet(resource: Resource): void {
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

  private readGateway(resource: Resource): void {
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

  private readDefaultRouteTable(resource: Resource): void {
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

  private readInlineRoutes(resource: Resource, key = resource.id): void {
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

  private readNacl(resource: Resource): void {
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

  private readCompute(resource: Resource): void {
    const kind = TYPES[resource.type] as WorkloadKind;
    const cfn = this.cfn;
    const fact: ComputeFact = {
      resource,
      kind,
      subnets: [],
      securityGroups: [],
      launchTemplate: undefined,
      launchConfiguration: undefined,
      publicIp: this.noFlag(),
      ipv6: this.noFlag(),
      interfaces: [],
    };
    switch (kind) {
      case 'instance': {
        fact.subnets = this.links(resource, [cfn ? 'SubnetId' : 'subnet_id']);
        fact.securityGroups = [
          ...this.links(resource, [cfn ? 'SecurityGroupIds' : 'vpc_security_group_ids']),
          ...this.links(resource, [cfn ? 'SecurityGroups' : 'security_groups']),
        ];
        const interfacesKey = cfn ? 'NetworkInterfaces' : 'network_interface';
        const interfaces = items(at(resource.properties, [interfacesKey]));
        interfaces.forEach((_, i) => {
          const device = this.string(resource, [interfacesKey, i, cfn ? 'DeviceIndex' : 'device_index']);
          if (device !== undefined && device !== '0') return;
          if (cfn) {
            fact.subnets.push(...this.links(resource, [interfacesKey, i, 'SubnetId']));
            fact.securityGroups.push(...this.links(resource, [interfacesKey, i, 'GroupSet']));
            fact.publicIp = this.flag(resource, [interfacesKey, i, 'AssociatePublicIpAddress'], undefined);
            fact.ipv6 = this.countFlag(
              resource,
              [interfacesKey, i, 'Ipv6AddressCount'],
              [interfacesKey, i, 'Ipv6Addresses'],
            );
          }
          fact.interfaces.push(
            ...this.links(resource, [interfacesKey, i, cfn ? 'NetworkInterfaceId' : 'network_interface_id']),
          );
        });
        if (!cfn) {
          fact.publicIp = this.flag(resource, ['associate_public_ip_address'], undefined);
          fact.ipv6 = this.countFlag(resource, ['ipv6_address_count'], ['ipv6_addresses']);
        } else if (!fact.ipv6.value) {
          fact.ipv6 = this.countFlag(resource, ['Ipv6AddressCount'], ['Ipv6Addresses']);
        }
        fact.launchTemplate = cfn
          ? (this.firstLink(resource, ['LaunchTemplate', 'LaunchTemplateId']) ??
            this.firstLink(resource, ['LaunchTemplate', 'LaunchTemplateName']))
          : (this.firstLink(resource, ['launch_template', 0, 'id']) ??
            this.firstLink(resource, ['launch_template', 0, 'name']));
        break;
      }
      case 'launch-template': {
        const data: Path = cfn ? ['LaunchTemplateData'] : [];
        fact.securityGroups = [
          ...this.links(resource, [...data, cfn ? 'SecurityGroupIds' : 'vpc_security_group_ids']),
          ...this.links(resource, [...data, cfn ? 'SecurityGroups' : 'security_group_names']),
        ];
        const key = cfn ? 'NetworkInterfaces' : 'network_interfaces';
        items(at(resource.properties, [...data, key])).forEach((_, i) => {
          const device = this.string(resource, [...data, key, i, cfn ? 'DeviceIndex' : 'device_index']);
          if (device !== undefined && device !== '0') return;
          fact.subnets.push(...this.links(resource, [...data, key, i, cfn ? 'SubnetId' : 'subnet_id']));
          fact.securityGroups.push(
            ...this.links(resource, [...data, key, i, cfn ? 'Groups' : 'security_groups']),
          );
          fact.publicIp = this.flag(
            resource,
            [...data, key, i, cfn ? 'AssociatePublicIpAddress' : 'associate_public_ip_address'],
            undefined,
          );
          fact.ipv6 = this.countFlag(
            resource,
            [...data, key, i, cfn ? 'Ipv6AddressCount' : 'ipv6_address_count'],
            [...data, key, i, cfn ? 'Ipv6Addresses' : 'ipv6_addresses'],
          );
        });
        break;
      }
      case 'launch-configuration':
        fact.securityGroups = this.links(resource, [cfn ? 'SecurityGroups' : 'security_groups']);
        fact.publicIp = this.flag(
          resource,
          [cfn ? 'AssociatePublicIpAddress' : 'associate_public_ip_address'],
          undefined,
        );
        break;
      case 'asg': {
        fact.subnets = this.links(resource, [cfn ? 'VPCZoneIdentifier' : 'vpc_zone_identifier']);
        fact.launchConfiguration = this.firstLink(resource, [
          cfn ? 'LaunchConfigurationName' : 'launch_configuration',
        ]);
        fact.launchTemplate = cfn
          ? (this.firstLink(resource, ['LaunchTemplate', 'LaunchTemplateId']) ??
            this.firstLink(resource, ['LaunchTemplate', 'LaunchTemplateName']) ??
            this.firstLink(resource, [
              'MixedInstancesPolicy',
              'LaunchTemplate',
              'LaunchTemplateSpecification',
              'LaunchTemplateId',
            ]) ??
            this.firstLink(resource, [
              'MixedInstancesPolicy',
              'LaunchTemplate',
              'LaunchTemplateSpecification',
              'LaunchTemplateName',
            ]))
          : (this.firstLink(resource, ['launch_template', 0, 'id']) ??
            this.firstLink(resource, ['launch_template', 0, 'name']) ??
            this.firstLink(resource, [
              'mixed_instances_policy',
              0,
              'launch_template',
              0,
              'launch_template_specification',
              0,
              'launch_template_id',
            ]) ??
            this.firstLink(resource, [
              'mixed_instances_policy',
              0,
              'launch_template',
              0,
              'launch_template_specification',
              0,
              'launch_template_name',
            ]));
        break;
      }
      case 'eni':
        fact.subnets = this.links(resource, [cfn ? 'SubnetId' : 'subnet_id']);
        fact.securityGroups = this.links(resource, [cfn ? 'GroupSet' : 'security_groups']);
        break;
      case 'ecs-service': {
        const base: Path = cfn
          ? ['NetworkConfiguration', 'AwsvpcConfiguration']
          : ['network_configuration', 0];
        fact.subnets = this.links(resource, [...base, cfn ? 'Subnets' : 'subnets']);
        fact.securityGroups = this.links(resource, [...base, cfn ? 'SecurityGroups' : 'security_groups']);
        if (cfn) {
          const assign = this.values(resource, [...base, 'AssignPublicIp']);
          fact.publicIp = this.flagFrom(at(resource.properties, [...base, 'AssignPublicIp']), assign, (v) =>
            v === 'ENABLED' ? true : v === 'DISABLED' ? false : undefined,
          );
        } else fact.publicIp = this.flag(resource, [...base, 'assign_public_ip'], false);
        break;
      }
      case 'eks-nodegroup':
        fact.subnets = this.links(resource, [cfn ? 'Subnets' : 'subnet_ids']);
        break;
      case 'lambda':
        fact.subnets = this.links(
          resource,
          cfn ? ['VpcConfig', 'SubnetIds'] : ['vpc_config', 0, 'subnet_ids'],
        );
        fact.securityGroups = this.links(
          resource,
          cfn ? ['VpcConfig', 'SecurityGroupIds'] : ['vpc_config', 0, 'security_group_ids'],
        );
        break;
    }
    this.computes.set(resource.id, fact);
  }

  private noFlag(): Flag {
    return { value: undefined, explicit: false, node: undefined, via: [], conditional: false };
  }

  /** A flag from arbitrary values (ECS `AssignPublicIp: ENABLED`). */
  private flagFrom(
    node: Node | undefined,
    possibilities: Possibility[],
    map: (v: string) => boolean | undefined,
  ): Flag {
    if (!node) return { value: false, explicit: false, node, via: [], conditional: false };
    const bools = possibilities.map((p) =>
      typeof p.value === 'string' ? map(p.value) : p.value === NO_VALUE ? false : undefined,
    );
    const i = bools.indexOf(true);
    if (i >= 0) {
      const via = possibilities[i]!.via;
      return {
        value: true,
        explicit: true,
        node,
        via,
        conditional: bools.some((b) => b !== true) || via.some((v) => v.kind !== 'parameter-default'),
      };
    }
    if (bools.every((b) => b === false))
      return { value: false, explicit: true, node, via: [], conditional: false };
    return { value: undefined, explicit: true, node, via: [], conditional: false };
  }

  /** IPv6: a count above zero or a list of addresses. */
  private countFlag(resource: Resource, countPath: Path, listPath: Path): Flag {
    const countNode = at(resource.properties, countPath);
    if (countNode) {
      const counts = this.values(resource, countPath);
      const known = counts.map((p) =>
        typeof p.value === 'number' || typeof p.value === 'string' ? Number(p.value) : NaN,
      );
      if (known.some((n) => n > 0))
        return { value: true, explicit: true, node: countNode, via: counts[0]!.via, conditional: false };
      if (known.every((n) => n === 0))
        return { value: false, explicit: true, node: countNode, via: [], conditional: false };
      return { value: undefined, explicit: true, node: countNode, via: [], conditional: false };
    }
    const listNode = at(resource.properties, listPath);
    if (listNode && items(listNode).length)
      return { value: true, explicit: true, node: listNode, via: [], conditional: false };
    return this.noFlag();
  }

  private readLoadBalancer(resource: Resource): void {
    const classic = TYPES[resource.type] === 'elb';
    const cfn = this.cfn;
    let internetFacing: Flag;
    if (cfn) {
      const node = at(resource.properties, ['Scheme']);
      internetFacing = this.flagFrom(node, this.values(resource, ['Scheme']), (v) =>
        v === 'internet-facing' ? true : v === 'internal' ? false : undefined,
      );
      if (!node) internetFacing = { ...internetFacing, value: true };
    } else {
      const internal = this.flag(resource, ['internal'], false);
      internetFacing = {
        ...internal,
        value: internal.value === undefined ? undefined : !internal.value,
      };
      // "can be internal" does not make it internet-facing; "can be external" does.
      if (internal.value === true && internal.conditional) internetFacing.value = true;
    }
    const subnets = [...this.links(resource, [cfn ? 'Subnets' : 'subnets'])];
    const mappingKey = cfn ? 'SubnetMappings' : 'subnet_mapping';
    items(at(resource.properties, [mappingKey])).forEach((_, i) =>
      subnets.push(...this.links(resource, [mappingKey, i, cfn ? 'SubnetId' : 'subnet_id'])),
    );
    const fact: LoadBalancerFact = {
      resource,
      classic,
      type: classic
        ? 'classic'
        : (this.string(resource, [cfn ? 'Type' : 'load_balancer_type']) ?? 'application'),
      internetFacing,
      subnets,
      securityGroups: this.links(resource, [cfn ? 'SecurityGroups' : 'security_groups']),
      listeners: [],
    };
    if (classic) {
      const key = cfn ? 'Listeners' : 'listener';
      items(at(resource.properties, [key])).forEach((_, i) => {
        const portPath: Path = [key, i, cfn ? 'LoadBalancerPort' : 'lb_port'];
        fact.listeners.push({
          resource,
          port: toPort(this.string(resource, portPath)),
          node: at(resource.properties, portPath),
        });
      });
    }
    this.loadBalancers.set(resource.id, fact);
  }

  // ---------- pass 2: edges ----------

  private readEdge(resource: Resource): void {
    const cfn = this.cfn;
    switch (TYPES[resource.type]) {
      case 'route': {
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
        return;
      }
      case 'rt-association': {
        const table = this.links(resource, [cfn ? 'RouteTableId' : 'route_table_id'])
          .map((l) => this.tableKey(l))
          .find((k) => k);
        const subnet = this.firstLink(resource, [cfn ? 'SubnetId' : 'subnet_id']);
        if (table && subnet && this.subnets.has(subnet.id))
          this.explicitTable.set(subnet.id, { table, association: resource, node: subnet.node });
        return;
      }
      case 'main-rt-association': {
        const vpc = this.firstLink(resource, ['vpc_id']);
        const table = this.links(resource, ['route_table_id'])
          .map((l) => this.tableKey(l))
          .find((k) => k);
        if (vpc && table) this.mainOverride.set(vpc.id, table);
        return;
      }
      case 'gw-attachment': {
        const vpc = this.firstLink(resource, [cfn ? 'VpcId' : 'vpc_id']);
        const gateway =
          this.firstLink(resource, [cfn ? 'InternetGatewayId' : 'internet_gateway_id']) ??
          this.firstLink(resource, [cfn ? 'VpnGatewayId' : 'vpn_gateway_id']);
        const fact = gateway && this.gateways.get(gateway.id);
        if (vpc && fact?.kind === 'igw') push(this.internetGatewaysByVpc, vpc.id, fact);
        return;
      }
      case 'nacl-entry': {
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
        return;
      }
      case 'nacl-association': {
        const nacl = this.links(resource, [cfn ? 'NetworkAclId' : 'network_acl_id'])
          .map((l) => this.tableAliases.get(l.id) ?? l.id)
          .find((k) => this.nacls.has(k));
        const subnet = this.firstLink(resource, [cfn ? 'SubnetId' : 'subnet_id']);
        if (nacl && subnet) this.naclBySubnet.set(subnet.id, { nacl, resource, node: subnet.node });
        return;
      }
      case 'eip': {
        for (const link of this.links(resource, [cfn ? 'InstanceId' : 'instance']))
          push(this.eipsByTarget, link.id, resource);
        for (const link of this.links(resource, [cfn ? 'NetworkInterfaceId' : 'network_interface']))
          push(this.eipsByTarget, link.id, resource);
        return;
      }
      case 'eip-association': {
        for (const link of this.links(resource, [cfn ? 'InstanceId' : 'instance_id']))
          push(this.eipsByTarget, link.id, resource);
        for (const link of this.links(resource, [cfn ? 'NetworkInterfaceId' : 'network_interface_id']))
          push(this.eipsByTarget, link.id, resource);
        return;
      }
      case 'listener': {
        const lb = this.firstLink(resource, [cfn ? 'LoadBalancerArn' : 'load_balancer_arn']);
        const fact = lb && this.loadBalancers.get(lb.id);
        if (fact) {
          const portPath = [cfn ? 'Port' : 'port'];
          fact.listeners.push({
            resource,
            port: toPort(this.string(resource, portPath)),
            node: at(resource.properties, portPath),
          });
        }
        return;
      }
      case 'endpoint':
        this.readEndpoint(resource);
        return;
      case 'endpoint-rt':
      case 'endpoint-subnet': {
        const endpoint = this.firstLink(resource, ['vpc_endpoint_id']);
        if (!endpoint) return;
        const fact = this.pendingEndpointEdges;
        fact.push({ endpoint: endpoint.id, resource });
        return;
      }
      case 'flow-log': {
        const keys = cfn
          ? ['ResourceId']
          : ['vpc_id', 'subnet_id', 'eni_id', 'transit_gateway_id', 'transit_gateway_attachment_id'];
        const targets = keys.flatMap((key) => this.links(resource, [key]));
        // A target that is not linked may still be a VPC of this document when its value cannot be
        // known (a parameter without default, a variable). A flow log without any target covers
        // nothing, and a literal id, an import or a data source names a VPC that exists already:
        // neither may provide the flow log of a VPC this document creates.
        const unknownTarget = keys.some(
          (key) =>
            (this.unlinked(resource, [key]) && !this.namesExisting(resource, [key])) ||
            (!!this.plan && isUnknownInPlan(resource, [key]) && !this.links(resource, [key]).length),
        );
        this.flowLogs.push({ resource, targets, unknownTarget });
        return;
      }
    }
  }

  private readonly pendingEndpointEdges: { endpoint: string; resource: Resource }[] = [];

  private readEndpoint(resource: Resource): void {
    const cfn = this.cfn;
    const serviceNode = at(resource.properties, [cfn ? 'ServiceName' : 'service_name']);
    const typeValues = this.values(resource, [cfn ? 'VpcEndpointType' : 'vpc_endpoint_type']);
    const types = typeValues.map((p) =>
      p.value === NO_VALUE ? 'Gateway' : typeof p.value === 'string' ? p.value : undefined,
    );
    const fact: EndpointFact = {
      resource,
      vpc: this.firstLink(resource, [cfn ? 'VpcId' : 'vpc_id'])?.id,
      service: this.serviceOf(resource, serviceNode),
      serviceNode,
      type: types.every((t) => t === types[0]) ? types[0] : undefined,
      routeTables: this.links(resource, [cfn ? 'RouteTableIds' : 'route_table_ids'])
        .map((l) => this.tableKey(l))
        .filter((k): k is string => k !== undefined),
      routeTableList: at(resource.properties, [cfn ? 'RouteTableIds' : 'route_table_ids']),
      subnets: this.links(resource, [cfn ? 'SubnetIds' : 'subnet_ids']).map((l) => l.id),
    };
    this.endpoints.push(fact);
  }

  /** `s3` from `com.amazonaws.us-east-1.s3`, `!Sub 'com.amazonaws.${AWS::Region}.s3'`, `com.amazonaws.${var.region}.s3`. */
  private serviceOf(resource: Resource, node: Node | undefined): string | undefined {
    if (!node) return undefined;
    const known = this.string(resource, [this.cfn ? 'ServiceName' : 'service_name']);
    const text = known ?? rawText(node);
    if (text === undefined) return undefined;
    const m = /^(?:com\.amazonaws|aws\.[a-z]+|cn\.com\.amazonaws)\.(?:\$\{[^}]*\}|[a-z0-9-]+)\.(.+)$/.exec(
      text,
    );
    if (!m || m[1]!.includes('${')) return undefined;
    return m[1];
  }

  private addRoute(
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

  private routeTarget(resource: Resource, base: Path): RouteFact['target'] {
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

  /** The route table key a reference names (a table, aws_default_route_table, a VPC's main table attribute). */
  private tableKey(link: Link): string | undefined {
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

  // ---------- indexes ----------

  private index(): void {
    for (const [id, subnet] of this.subnets) if (subnet.vpc) push(this.subnetsByVpc, subnet.vpc, id);
    for (const [key, table] of this.routeTables) if (table.vpc) push(this.tablesByVpc, table.vpc, key);
    // Terraform aws_network_acl subnet_ids / aws_default_network_acl subnet_ids.
    for (const nacl of this.nacls.values()) {
      if (!nacl.resource || this.cfn) continue;
      for (const subnet of this.links(nacl.resource, ['subnet_ids']))
        this.naclBySubnet.set(subnet.id, { nacl: nacl.key, resource: nacl.resource, node: subnet.node });
    }
    for (const e of this.endpoints) if (e.vpc) push(this.endpointsByVpc, e.vpc, e);
    const byId = new Map(this.endpoints.map((e) => [e.resource.id, e]));
    for (const edge of this.pendingEndpointEdges) {
      const endpoint = byId.get(edge.endpoint);
      if (!endpoint) continue;
      if (TYPES[edge.resource.type] === 'endpoint-rt') {
        const key = this.links(edge.resource, ['route_table_id'])
          .map((l) => this.tableKey(l))
          .find((k) => k);
        if (key) endpoint.routeTables.push(key);
      } else {
        const subnet = this.firstLink(edge.resource, ['subnet_id']);
        if (subnet) endpoint.subnets.push(subnet.id);
      }
    }
    for (const log of this.flowLogs) for (const t of log.targets) push(this.flowLogsByTarget, t.id, log);
    for (const compute of this.computes.values()) {
      if (compute.kind !== 'instance' && compute.kind !== 'asg') continue;
      for (const sg of this.securityGroupsOf(compute)) push(this.usersBySecurityGroup, sg.id, compute);
    }
    for (const lb of this.loadBalancers.values())
      for (const sg of lb.securityGroups) push(this.lbsBySecurityGroup, sg.id, lb);
  }

  // ---------- queries ----------

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

  private subnetsByTable: Map<string, SubnetFact[]> | undefined;

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

  endpointsOf(vpc: string): EndpointFact[] {
    return this.endpointsByVpc.get(vpc) ?? [];
  }

  flowLogsOf(id: string): FlowLogFact[] {
    return this.flowLogsByTarget.get(id) ?? [];
  }

  /** Elastic IPs on an instance or network interface. */
  elasticIpsOf(id: string): Resource[] {
    return this.eipsByTarget.get(id) ?? [];
  }

  /** The security groups a workload uses: its own, else its launch template's / configuration's / interfaces'. */
  securityGroupsOf(compute: ComputeFact): Link[] {
    const own = [...compute.securityGroups];
    for (const eni of compute.interfaces) own.push(...(this.computes.get(eni.id)?.securityGroups ?? []));
    if (own.length) return own;
    const template = compute.launchTemplate && this.computes.get(compute.launchTemplate.id);
    if (template) return template.securityGroups;
    const configuration = compute.launchConfiguration && this.computes.get(compute.launchConfiguration.id);
    return configuration?.securityGroups ?? [];
  }

  /** The subnets a workload runs in (its own, its interfaces', else its launch template's). */
  subnetsOfCompute(compute: ComputeFact): Link[] {
    const own = [...compute.subnets];
    for (const eni of compute.interfaces) own.push(...(this.computes.get(eni.id)?.subnets ?? []));
    if (own.length) return own;
    const template = compute.launchTemplate && this.computes.get(compute.launchTemplate.id);
    return template?.subnets ?? [];
  }

  /** Instances and auto-scaling groups that use a security group. */
  workloadsUsing(securityGroup: string): ComputeFact[] {
    return this.usersBySecurityGroup.get(securityGroup) ?? [];
  }

  loadBalancersUsing(securityGroup: string): LoadBalancerFact[] {
    return this.lbsBySecurityGroup.get(securityGroup) ?? [];
  }

  /**
   * Whether an instance (or an auto-scaling group's instances) in a subnet gets a public IPv4
   * address, and why: an explicit setting (the instance, its launch template / configuration),
   * an Elastic IP, or the subnet's MapPublicIpOnLaunch.
   */
  publicIpv4(compute: ComputeFact, subnet: string | undefined): PublicIp {
    if (compute.kind === 'instance') {
      const eips = [compute.resource.id, ...compute.interfaces.map((l) => l.id)].flatMap((id) =>
        this.elasticIpsOf(id),
      );
      if (eips.length)
        return { value: true, reason: 'eip', resource: eips[0]!, node: eips[0]!.keyNode, via: [] };
    }
    const explicit: [Flag, Resource, PublicIp['reason']][] = [
      [compute.publicIp, compute.resource, 'explicit'],
    ];
    const template = compute.launchTemplate && this.computes.get(compute.launchTemplate.id);
    if (template) explicit.push([template.publicIp, template.resource, 'launch-template']);
    const configuration = compute.launchConfiguration && this.computes.get(compute.launchConfiguration.id);
    if (configuration)
      explicit.push([configuration.publicIp, configuration.resource, 'launch-configuration']);
    for (const [flag, resource, reason] of explicit) {
      if (!flag.explicit) continue;
      if (flag.value === undefined) return { value: undefined, reason, resource, node: flag.node, via: [] };
      return {
        value: flag.value,
        reason,
        resource,
        node: flag.node,
        via: flag.via,
        conditional: flag.conditional,
      };
    }
    const subnetFact = subnet ? this.subnets.get(subnet) : undefined;
    if (!subnetFact)
      return { value: undefined, reason: 'subnet', resource: compute.resource, node: undefined, via: [] };
    const map = subnetFact.mapPublicIp;
    return {
      value: map.value,
      reason: 'subnet',
      resource: subnetFact.resource,
      node: map.node ?? subnetFact.resource.keyNode,
      via: map.via,
      conditional: map.conditional,
    };
  }

  /** Whether the workload gets an IPv6 address in the subnet (explicit count, or the subnet's AssignIpv6AddressOnCreation). */
  ipv6Of(compute: ComputeFact, subnet: string | undefined): PublicIp {
    const template = compute.launchTemplate && this.computes.get(compute.launchTemplate.id);
    for (const [flag, resource] of [
      [compute.ipv6, compute.resource],
      [template?.ipv6, template?.resource],
    ] as const) {
      if (flag?.explicit && resource)
        return { value: flag.value, reason: 'explicit', resource, node: flag.node, via: flag.via };
    }
    const subnetFact = subnet ? this.subnets.get(subnet) : undefined;
    if (!subnetFact)
      return { value: undefined, reason: 'subnet', resource: compute.resource, node: undefined, via: [] };
    const flag = subnetFact.assignIpv6;
    return {
      value: flag.value,
      reason: 'subnet',
      resource: subnetFact.resource,
      node: flag.node ?? subnetFact.resource.keyNode,
      via: flag.via,
    };
  }

  /** The configuration `expressions` of a plan resource (undefined elsewhere). */
  planExpressions(resource: Resource): MapNode | undefined {
    return this.plan?.expressions(resource);
  }
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

// ---------- plans ----------

/** Links in a plan: configuration references and known ids. */
class PlanIndex {
  private readonly expressionsByAddress = new Map<string, MapNode>();
  private readonly instancesByBase = new Map<string, string[]>();
  private readonly idsByValue = new Map<string, string>();

  constructor(private readonly doc: TemplateDocument) {
    const configuration = get(doc.root, 'configuration');
    this.readModule(get(configuration, 'root_module'), '');
    for (const resource of doc.resources) {
      push(this.instancesByBase, resource.id.replace(/\[[^\]]*\]$/, ''), resource.id);
      for (const key of ['id', 'arn']) {
        const value = scalarString(get(resource.properties, key));
        if (value) this.idsByValue.set(value, resource.id);
      }
    }
  }

  private readModule(module: Node | undefined, prefix: string): void {
    for (const resource of items(get(module, 'resources'))) {
      const address = scalarString(get(resource, 'address'));
      const expressions = get(resource, 'expressions');
      if (address && expressions?.kind === 'map' && scalarString(get(resource, 'mode')) !== 'data')
        this.expressionsByAddress.set(prefix + address, expressions);
    }
    const calls = get(module, 'module_calls');
    if (calls?.kind === 'map')
      for (const call of calls.entries)
        this.readModule(get(call.value, 'module'), `${prefix}module.${call.key.value}.`);
  }

  expressions(resource: Resource): MapNode | undefined {
    return this.expressionsByAddress.get(resource.id.replace(/\[[^\]]*\]/g, ''));
  }

  links(resource: Resource, path: Path, node: Node | undefined, out: Link[]): void {
    const expression = at(this.expressions(resource), path);
    const references = items(get(expression, 'references'))
      .map((n) => scalarString(n))
      .filter((s): s is string => s !== undefined);
    const prefix = modulePrefix(resource.id);
    const specific = new Set<string>();
    for (const reference of references) {
      const m = /^([a-z][a-z0-9_]*\.[A-Za-z0-9_-]+)(\[[^\]]*\])?(?:\.(.+))?$/.exec(reference);
      if (!m || /^(var|local|data|module|each|count|path|self|terraform)\./.test(reference)) continue;
      const base = prefix + m[1]!;
      const attribute = m[3];
      if (m[2]) {
        const id = base + m[2];
        if (this.doc.resourcesById.has(id)) {
          specific.add(base);
          out.push({ id, attribute, node: node ?? resource.keyNode, via: [] });
        }
        continue;
      }
      if (specific.has(base)) continue;
      for (const id of this.instancesByBase.get(base) ?? [])
        out.push({ id, attribute, node: node ?? resource.keyNode, via: [] });
    }
    // Resources that exist already: their ids are known values.
    if (node)
      for (const item of items(node)) {
        const value = scalarString(item);
        const id = value ? this.idsByValue.get(value) : undefined;
        if (id && id !== resource.id) out.push({ id, node: item, via: [] });
      }
  }
}

function modulePrefix(address: string): string {
  const m = /^(.*?)[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?$/.exec(address);
  return m ? m[1]! : '';
}

// ---------- helpers ----------

/** The node at a path: string steps on a single-item list (a Terraform block) step into the item. */
export function at(node: Node | undefined, path: Path): Node | undefined {
  let current = node;
  for (const step of path) {
    if (!current) return undefined;
    if (typeof step === 'number') {
      if (current.kind === 'seq') current = current.items[step];
      else current = step === 0 && current.kind === 'map' ? current : undefined;
    } else {
      if (current.kind === 'seq') current = current.items.length === 1 ? current.items[0] : undefined;
      current = get(current, step);
    }
  }
  return current;
}

function collectRefs(value: Value, node: Node, via: Via[], out: Link[]): void {
  if (value instanceof ResourceRef)
    out.push({ id: value.id, attribute: value.attribute || undefined, node, via });
  else if (Array.isArray(value)) for (const v of value) collectRefs(v, node, via, out);
}

function dedupe(links: Link[]): Link[] {
  const seen = new Set<string>();
  return links.filter((l) => {
    const key = `${l.id}\u0000${l.node.start}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function toBool(value: Value): boolean | undefined {
  if (value === true || value === false) return value;
  if (typeof value === 'string') return booleanText(value); // YAML 1.1 yes/no/on/off too
  return undefined;
}

function toPort(text: string | undefined): number | undefined {
  if (text === undefined || !/^-?\d+$/.test(text.trim())) return undefined;
  return Number(text);
}

/**
 * The text a value is written with, for names that embed an unknown (the region): a scalar,
 * an Fn::Sub template, an Fn::Join of scalars (`${}` for the rest).
 */
export function rawText(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  if (node.kind === 'scalar') return node.value === null ? undefined : String(node.value);
  if (node.kind === 'map' && node.entries.length === 1) {
    const entry = node.entries[0]!;
    if (entry.key.value === 'Fn::Sub') {
      const template = entry.value.kind === 'seq' ? entry.value.items[0] : entry.value;
      return scalarString(template);
    }
    if (entry.key.value === 'Fn::Join') {
      const [delimiter, list] = items(entry.value);
      if (list?.kind !== 'seq') return undefined;
      return list.items
        .map((i) => (i.kind === 'scalar' ? String(i.value) : '${}'))
        .join(scalarString(delimiter) ?? '');
    }
  }
  return undefined;
}

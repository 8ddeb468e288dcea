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
// The graph is built in layers, one file per concept, each seeing the ones below it:
// `reader.ts` (property values and links) → `routing.ts` (VPCs, subnets, route tables, routes,
// gateways) → `nacls.ts` → `workloads.ts` (instances and other compute, public addresses) →
// `loadBalancers.ts` → `endpoints.ts` → `flowLogs.ts` → this file, which reads every resource
// and indexes the links. The facts' shapes are in `types.ts`.

import type { Facts } from '..';
import type { Resource, TemplateDocument } from '../../model/document';
import { FlowLogGraph } from './flowLogs';
import { TYPES } from './kinds';

export function networkGraph(facts: Facts): NetworkGraph {
  return facts.memo('network-graph', (doc) => new NetworkGraph(doc));
}

export class NetworkGraph extends FlowLogGraph {
  constructor(doc: TemplateDocument) {
    super(doc);
    const later: (() => void)[] = [];
    // Pass 1: the nodes.
    for (const resource of doc.resources) {
      switch (TYPES[resource.type]) {
        case 'vpc':
          this.vpcs.set(resource.id, resource);
          this.ensureMain(resource.id);
          this.ensureDefaultNacl(resource.id);
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

  // ---------- pass 2: edges ----------

  private readEdge(resource: Resource): void {
    switch (TYPES[resource.type]) {
      case 'route':
        return this.readRoute(resource);
      case 'rt-association':
        return this.readRouteTableAssociation(resource);
      case 'main-rt-association':
        return this.readMainRouteTableAssociation(resource);
      case 'gw-attachment':
        return this.readGatewayAttachment(resource);
      case 'nacl-entry':
        return this.readNaclEntry(resource);
      case 'nacl-association':
        return this.readNaclAssociation(resource);
      case 'eip':
        return this.readElasticIp(resource);
      case 'eip-association':
        return this.readElasticIpAssociation(resource);
      case 'listener':
        return this.readListener(resource);
      case 'endpoint':
        return this.readEndpoint(resource);
      case 'endpoint-rt':
      case 'endpoint-subnet':
        return this.readEndpointAssociation(resource);
      case 'flow-log':
        return this.readFlowLog(resource);
    }
  }

  // ---------- indexes ----------

  private index(): void {
    this.indexRouting();
    this.indexNacls();
    this.indexEndpoints();
    this.indexFlowLogs();
    this.indexWorkloads();
    this.indexLoadBalancers();
  }
}

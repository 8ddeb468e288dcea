// VPC endpoints: the service they reach (read from the name, region left unknown), their type,
// route tables (gateway endpoints) and subnets (interface endpoints), Terraform's separate
// association resources included.

import type { Resource } from '../../model/document';
import type { Node } from '../../parse/tree';
import { NO_VALUE } from '../../resolve/values';
import { TYPES } from './kinds';
import { LoadBalancerGraph } from './loadBalancers';
import { at, push, rawText } from './properties';
import type { EndpointFact } from './types';

export abstract class EndpointGraph extends LoadBalancerGraph {
  readonly endpoints: EndpointFact[] = [];

  private readonly endpointsByVpc = new Map<string, EndpointFact[]>();
  private readonly pendingEndpointEdges: { endpoint: string; resource: Resource }[] = [];

  protected readEndpoint(resource: Resource): void {
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

  /** Terraform `aws_vpc_endpoint_route_table_association` / `aws_vpc_endpoint_subnet_association`, linked once every endpoint is read. */
  protected readEndpointAssociation(resource: Resource): void {
    const endpoint = this.firstLink(resource, ['vpc_endpoint_id']);
    if (!endpoint) return;
    const fact = this.pendingEndpointEdges;
    fact.push({ endpoint: endpoint.id, resource });
  }

  protected indexEndpoints(): void {
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
  }

  endpointsOf(vpc: string): EndpointFact[] {
    return this.endpointsByVpc.get(vpc) ?? [];
  }
}

// Load balancers (Application / Network / Gateway, and Classic): scheme, subnets, security
// groups and listener ports, and which load balancers use a security group.

import type { Resource } from '../../model/document';
import { items } from '../../parse/tree';
import { TYPES } from './kinds';
import { at, push, toPort } from './properties';
import type { Flag, LoadBalancerFact, Path } from './types';
import { WorkloadGraph } from './workloads';

export abstract class LoadBalancerGraph extends WorkloadGraph {
  readonly loadBalancers = new Map<string, LoadBalancerFact>();

  private readonly lbsBySecurityGroup = new Map<string, LoadBalancerFact[]>();

  protected readLoadBalancer(resource: Resource): void {
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

  /** An ELBv2 listener (`AWS::ElasticLoadBalancingV2::Listener`, `aws_lb_listener`) on its load balancer. */
  protected readListener(resource: Resource): void {
    const cfn = this.cfn;
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
  }

  protected indexLoadBalancers(): void {
    for (const lb of this.loadBalancers.values())
      for (const sg of lb.securityGroups) push(this.lbsBySecurityGroup, sg.id, lb);
  }

  loadBalancersUsing(securityGroup: string): LoadBalancerFact[] {
    return this.lbsBySecurityGroup.get(securityGroup) ?? [];
  }
}

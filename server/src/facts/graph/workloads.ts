// Workloads: instances, launch templates and configurations, auto-scaling groups, network
// interfaces, ECS services, EKS node groups, Lambda functions in a VPC, database subnet groups;
// the subnets and security groups each uses (its own, its interfaces', else its template's),
// Elastic IPs, and whether it gets a public IPv4 or an IPv6 address and why.

import type { Resource } from '../../model/document';
import { items } from '../../parse/tree';
import { TYPES } from './kinds';
import { NaclGraph } from './nacls';
import { at, push } from './properties';
import type { ComputeFact, Flag, Link, Path, PublicIp, WorkloadKind } from './types';

export abstract class WorkloadGraph extends NaclGraph {
  readonly computes = new Map<string, ComputeFact>();
  readonly dbSubnetGroups = new Map<string, Link[]>();

  private readonly eipsByTarget = new Map<string, Resource[]>();
  private readonly usersBySecurityGroup = new Map<string, ComputeFact[]>();

  protected readCompute(resource: Resource): void {
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

  /** An Elastic IP on an instance or network interface. */
  protected readElasticIp(resource: Resource): void {
    const cfn = this.cfn;
    for (const link of this.links(resource, [cfn ? 'InstanceId' : 'instance']))
      push(this.eipsByTarget, link.id, resource);
    for (const link of this.links(resource, [cfn ? 'NetworkInterfaceId' : 'network_interface']))
      push(this.eipsByTarget, link.id, resource);
  }

  /** An Elastic IP associated with an instance or network interface. */
  protected readElasticIpAssociation(resource: Resource): void {
    const cfn = this.cfn;
    for (const link of this.links(resource, [cfn ? 'InstanceId' : 'instance_id']))
      push(this.eipsByTarget, link.id, resource);
    for (const link of this.links(resource, [cfn ? 'NetworkInterfaceId' : 'network_interface_id']))
      push(this.eipsByTarget, link.id, resource);
  }

  protected indexWorkloads(): void {
    for (const compute of this.computes.values()) {
      if (compute.kind !== 'instance' && compute.kind !== 'asg') continue;
      for (const sg of this.securityGroupsOf(compute)) push(this.usersBySecurityGroup, sg.id, compute);
    }
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
}

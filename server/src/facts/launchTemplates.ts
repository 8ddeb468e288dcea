// Launch templates and launch configurations, and who uses them: instances, Auto Scaling groups
// (directly or through a mixed-instances policy), EKS managed node groups, and ECS capacity
// providers over those groups. Also a simple, documented container-host heuristic used by the
// IMDS hop-limit rule.

import type { Resource, TemplateDocument } from '../model/document';
import type { Node } from '../parse/tree';
import { get, items, scalarString } from '../parse/tree';
import { resolve, ResourceRef } from '../resolve/values';
import type { Facts } from './index';

const TEMPLATE_TYPES = ['AWS::EC2::LaunchTemplate', 'aws_launch_template'];
const CONFIG_TYPES = ['AWS::AutoScaling::LaunchConfiguration', 'aws_launch_configuration'];

export interface LaunchTemplateFacts {
  /**
   * The launch template (or launch configuration) a resource launches from: the resource when
   * it is in this document, 'external' when it names one that is not, undefined when none.
   */
  templateOf(resource: Resource): Resource | 'external' | undefined;
  /** Resources that launch from a template / configuration, or are built on a group that does. */
  usersOf(resource: Resource): Resource[];
  /**
   * True when the resource looks like an ECS or EKS container host: its user data or image
   * names ECS/EKS (ECS_CLUSTER, /etc/eks/bootstrap.sh, nodeadm, an ECS/EKS-optimised AMI
   * parameter, Bottlerocket), or it is (or launches from) a template used by an EKS node group
   * or by an Auto Scaling group behind an ECS capacity provider.
   */
  isContainerHost(resource: Resource): boolean;
}

export function launchTemplates(facts: Facts): LaunchTemplateFacts {
  return facts.memo('launch-templates', derive);
}

/** The resource types that use a launch template, a configuration or an auto-scaling group. */
const USER_TYPES = new Set([
  'AWS::EC2::Instance',
  'AWS::AutoScaling::AutoScalingGroup',
  'AWS::EKS::Nodegroup',
  'aws_instance',
  'aws_autoscaling_group',
  'aws_eks_node_group',
  'AWS::ECS::CapacityProvider',
  'aws_ecs_capacity_provider',
]);

function derive(doc: TemplateDocument): LaunchTemplateFacts {
  const targetOf = new Map<Resource, Resource | 'external'>();
  const users = new Map<Resource, Resource[]>();
  const link = (user: Resource, target: Resource | 'external' | undefined) => {
    if (!target) return;
    if (!targetOf.has(user)) targetOf.set(user, target);
    if (target !== 'external') users.set(target, [...(users.get(target) ?? []), user]);
  };
  for (const resource of doc.resources) {
    // The type first: reading another resource's properties would make the fact depend on it.
    if (!USER_TYPES.has(resource.type)) continue;
    const p = resource.properties;
    switch (resource.type) {
      case 'AWS::EC2::Instance':
      case 'AWS::AutoScaling::AutoScalingGroup': {
        const spec = get(p, 'LaunchTemplate');
        link(resource, findTemplate(doc, get(spec, 'LaunchTemplateId'), get(spec, 'LaunchTemplateName')));
        const mixed = get(
          get(get(p, 'MixedInstancesPolicy'), 'LaunchTemplate'),
          'LaunchTemplateSpecification',
        );
        link(resource, findTemplate(doc, get(mixed, 'LaunchTemplateId'), get(mixed, 'LaunchTemplateName')));
        link(resource, findConfig(doc, get(p, 'LaunchConfigurationName')));
        break;
      }
      case 'AWS::EKS::Nodegroup': {
        const spec = get(p, 'LaunchTemplate');
        link(resource, findTemplate(doc, get(spec, 'Id'), get(spec, 'Name')));
        break;
      }
      case 'aws_instance':
      case 'aws_autoscaling_group':
      case 'aws_eks_node_group': {
        const spec = first(get(p, 'launch_template'));
        link(resource, findTemplate(doc, get(spec, 'id'), get(spec, 'name')));
        const mixed = first(
          get(
            first(get(first(get(p, 'mixed_instances_policy')), 'launch_template')),
            'launch_template_specification',
          ),
        );
        link(
          resource,
          findTemplate(doc, get(mixed, 'launch_template_id'), get(mixed, 'launch_template_name')),
        );
        link(resource, findConfig(doc, get(p, 'launch_configuration')));
        break;
      }
      case 'AWS::ECS::CapacityProvider':
        link(resource, findResource(doc, get(get(p, 'AutoScalingGroupProvider'), 'AutoScalingGroupArn')));
        break;
      case 'aws_ecs_capacity_provider':
        link(
          resource,
          findResource(doc, get(first(get(p, 'auto_scaling_group_provider')), 'auto_scaling_group_arn')),
        );
        break;
    }
  }
  const usersOf = (r: Resource) => users.get(r) ?? [];
  // Read when asked, not kept: what it reads is charged to the rule asking, and the fact is kept
  // from one version to the next (engine/incremental.ts) while the resources it read at
  // derivation are unchanged, so a remembered answer could be stale.
  const isContainerHost = (resource: Resource): boolean => {
    const template = targetOf.get(resource);
    return (
      looksLikeContainerHost(doc, resource) ||
      (template !== undefined && template !== 'external' && looksLikeContainerHost(doc, template)) ||
      containerUse(resource, usersOf, new Set())
    );
  };
  return {
    templateOf: (r) => targetOf.get(r),
    usersOf,
    isContainerHost,
  };
}

/** Used (through groups) by an EKS node group or an ECS capacity provider. */
function containerUse(
  resource: Resource,
  usersOf: (r: Resource) => Resource[],
  seen: Set<Resource>,
): boolean {
  if (seen.has(resource)) return false;
  seen.add(resource);
  return usersOf(resource).some(
    (u) =>
      [
        'AWS::EKS::Nodegroup',
        'aws_eks_node_group',
        'AWS::ECS::CapacityProvider',
        'aws_ecs_capacity_provider',
      ].includes(u.type) || containerUse(u, usersOf, seen),
  );
}

const CONTAINER_HINT =
  /ECS_CLUSTER|ecs\.config|\/etc\/eks\/bootstrap\.sh|nodeadm|bootstrap-eks|\/aws\/service\/(ecs|eks|bottlerocket)\/|amazon-eks-node|amzn2-ami-ecs|bottlerocket/i;

function looksLikeContainerHost(doc: TemplateDocument, resource: Resource): boolean {
  const p = resource.properties;
  const data = resource.type === 'AWS::EC2::LaunchTemplate' ? get(p, 'LaunchTemplateData') : p;
  const nodes = ['UserData', 'ImageId', 'user_data', 'user_data_base64', 'ami', 'image_id']
    .map((k) => get(data, k))
    .filter((n): n is Node => n !== undefined);
  return nodes.some((node) => {
    if (CONTAINER_HINT.test(doc.text.slice(node.start, node.end))) return true;
    return resolve(doc, node).some((p) => typeof p.value === 'string' && CONTAINER_HINT.test(p.value));
  });
}

function first(node: Node | undefined): Node | undefined {
  return node?.kind === 'seq' ? node.items[0] : node;
}

function findTemplate(doc: TemplateDocument, idNode: Node | undefined, nameNode: Node | undefined) {
  return findByRefOrName(doc, idNode ?? nameNode, TEMPLATE_TYPES, ['LaunchTemplateName', 'name']);
}

function findConfig(doc: TemplateDocument, node: Node | undefined) {
  return findByRefOrName(doc, node, CONFIG_TYPES, ['LaunchConfigurationName', 'name']);
}

function findResource(doc: TemplateDocument, node: Node | undefined): Resource | 'external' | undefined {
  if (!node) return undefined;
  for (const p of resolve(doc, node))
    if (p.value instanceof ResourceRef) {
      const target = doc.resourcesById.get(p.value.id);
      if (target) return target;
    }
  return 'external';
}

function findByRefOrName(
  doc: TemplateDocument,
  node: Node | undefined,
  types: string[],
  nameKeys: string[],
): Resource | 'external' | undefined {
  if (!node) return undefined;
  for (const p of resolve(doc, node)) {
    if (p.value instanceof ResourceRef) {
      const target = doc.resourcesById.get(p.value.id);
      if (target && types.includes(target.type)) return target;
    } else if (typeof p.value === 'string') {
      const name = p.value;
      const byName = doc.resources.find(
        (r) =>
          types.includes(r.type) &&
          nameKeys.some((k) => {
            const n = get(r.properties, k);
            return (
              n !== undefined && (scalarString(n) === name || resolve(doc, n).some((x) => x.value === name))
            );
          }),
      );
      if (byName) return byName;
    }
  }
  return items(node).length ? 'external' : undefined;
}

import type { NetworkGraph } from '../../facts/graph/networkGraph';
import type { ComputeFact, RouteTableFact } from '../../facts/graph/types';
import { networkGraph } from '../../facts/graph/networkGraph';
import { at, rawText } from '../../facts/graph/properties';
import type { FixOp, FixRecipe, NewValue } from '../../fixes/recipe';
import { setPathOp } from '../../fixes/recipe';
import { providedWherever, whenAbsent } from '../../model/cfn';
import type { Resource, TemplateDocument } from '../../model/document';
import { items } from '../../parse/tree';
import {
  freshName,
  gatewayEndpointOps,
  pascal,
  serviceName,
  snake,
  tfNameOf,
  tfRegion,
  accountOnlyPolicy,
} from '../connectivity/newResources';
import type { Rule } from '../types';
import docs from './rule.md?raw';

/** The order services are listed and inserted in. */
const ORDER = [
  'ecr.api',
  'ecr.dkr',
  'logs',
  'ssm',
  'ssmmessages',
  'ec2messages',
  'secretsmanager',
  'kms',
  'sts',
  'sqs',
  's3',
];
/** ECR keeps image layers in S3: without a NAT route, pulls need the S3 gateway endpoint too. */
const CONTAINERS = ['ecr.api', 'ecr.dkr', 'logs', 's3'];
const SSM = ['ssm', 'ssmmessages', 'ec2messages'];
const SSM_POLICY = /AmazonSSMManagedInstanceCore|AmazonEC2RoleforSSM/;

/** Services a Lambda function clearly calls when its environment names a resource of these types. */
const LAMBDA_SERVICES: Record<string, string> = {
  'AWS::SecretsManager::Secret': 'secretsmanager',
  aws_secretsmanager_secret: 'secretsmanager',
  'AWS::KMS::Key': 'kms',
  'AWS::KMS::Alias': 'kms',
  aws_kms_key: 'kms',
  aws_kms_alias: 'kms',
  'AWS::SQS::Queue': 'sqs',
  aws_sqs_queue: 'sqs',
  'AWS::IAM::Role': 'sts',
  aws_iam_role: 'sts',
};

/**
 * SAM policy templates (`Policies: [- SQSSendMessagePolicy: {QueueName: ...}]`) that grant the
 * calls of a service this rule knows endpoints for. The others (S3, DynamoDB, SNS, ...) grant
 * services it does not check for Lambda, or nothing network-related (`VPCAccessPolicy` lets
 * Lambda create its network interfaces; `SQSPollerPolicy` serves an SQS event source, which the
 * Lambda service polls from outside the VPC, not the function's code).
 */
const SAM_POLICY_TEMPLATES: Record<string, string> = {
  SQSSendMessagePolicy: 'sqs',
  AWSSecretsManagerGetSecretValuePolicy: 'secretsmanager',
  AWSSecretsManagerRotationPolicy: 'secretsmanager',
  KMSDecryptPolicy: 'kms',
  KMSEncryptPolicy: 'kms',
  SSMParameterReadPolicy: 'ssm',
  SSMParameterWithSlashPrefixReadPolicy: 'ssm',
};

interface Need {
  workload: ComputeFact;
  what: string;
  why: string;
  vpc: string;
  /** Its subnets (in the document) with no route out of the VPC. */
  subnets: string[];
  missing: string[];
  /** Of `missing`, the services whose only endpoints are under a condition the workload does not imply. */
  conditional: string[];
  /** The first such endpoint, for the message. */
  conditionalEndpoint: Resource | undefined;
}

export const interfaceEndpointMissing: Rule = {
  meta: {
    id: 'interface-endpoint-missing',
    summary: 'Workloads in isolated subnets call AWS services that have no interface endpoint',
    category: 'connectivity',
    severity: 'info',
    formats: ['cfn', 'tf', 'plan'],
    resourceTypes: [
      'AWS::ECS::Service',
      'AWS::EKS::Nodegroup',
      'AWS::EC2::Instance',
      'AWS::Lambda::Function',
      'AWS::Serverless::Function',
      'AWS::EC2::VPCEndpoint',
      'aws_ecs_service',
      'aws_eks_node_group',
      'aws_instance',
      'aws_lambda_function',
      'aws_vpc_endpoint',
    ],
    fixSafety: 'unsafe',
    references: {
      aws: [
        'https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html',
        'https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html',
        'https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html',
      ],
    },
  },
  docs,
  controls: [
    {
      keys: ['PrivateDnsEnabled', 'private_dns_enabled'],
      resourceTypes: ['AWS::EC2::VPCEndpoint', 'aws_vpc_endpoint'],
      markdown:
        "**Private DNS.** With `true`, the service's public name (`ecr.api.<region>.amazonaws.com`) resolves to the endpoint inside the VPC, so SDKs and agents use it without configuration. Needs the VPC's DNS support and DNS hostnames. Default `false`. [Interface endpoints](https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html)",
    },
  ],
  check({ doc, facts, report }) {
    const graph = networkGraph(facts);
    if (!graph.vpcs.size) return;
    const ssmRoles = ssmManagedRoles(doc, graph);
    const needs: Need[] = [];
    for (const workload of graph.computes.values()) {
      const need = needOf(doc, graph, workload, ssmRoles);
      if (need) needs.push(need);
    }
    const byVpc = new Map<string, Need[]>();
    for (const need of needs) {
      const list = byVpc.get(need.vpc);
      if (list) list.push(need);
      else byVpc.set(need.vpc, [need]);
    }
    for (const [vpcId, list] of byVpc) {
      const vpc = graph.vpcs.get(vpcId)!;
      // A service with a conditional endpoint gets no new one: where both exist, two endpoints with
      // private DNS for one service clash.
      const services = ORDER.filter((s) =>
        list.some((n) => n.missing.includes(s) && !n.conditional.includes(s)),
      );
      const subnets = [...new Set(list.flatMap((n) => n.subnets))];
      const ops =
        doc.format === 'plan' || !services.length
          ? undefined
          : endpointOps(doc, graph, vpc, services, subnets);
      const fixes: FixRecipe[] = ops
        ? [
            {
              title: `Add endpoints for ${services.join(', ')} to ${vpc.id} (private DNS, HTTPS from the VPC)`,
              safety: 'unsafe',
              ops,
            },
          ]
        : [];
      for (const need of list) {
        report({
          span: need.workload.resource.keyNode,
          resource: need.workload.resource,
          message: `${need.what} runs in ${need.subnets.length === 1 ? 'subnet' : 'subnets'} ${need.subnets.join(', ')} with no NAT or internet route, and VPC ${vpcId} has no endpoint for ${missingText(need)}: ${need.why}. ${need.conditionalEndpoint ? 'Add interface endpoints with private DNS that exist wherever the workload does.' : 'Add interface endpoints with private DNS.'}`,
          related: [
            ...need.subnets.map((s) => ({
              span: graph.subnets.get(s)!.resource.keyNode,
              message: `Subnet ${s} has no route out of the VPC`,
            })),
            ...(need.conditionalEndpoint
              ? [
                  {
                    span: need.conditionalEndpoint.condition!.node,
                    message: `Condition of endpoint ${need.conditionalEndpoint.id}`,
                  },
                ]
              : []),
          ],
          // Adding endpoints cannot remove this finding while a conditional one is missing.
          fixes: need.conditional.length ? [] : fixes,
        });
      }
    }
  },
};

/** "a and b", "a when condition C is false (E exists only when it is true)", "a, and none for b when ...". */
function missingText(need: Need): string {
  const absent = need.missing.filter((s) => !need.conditional.includes(s));
  if (!need.conditionalEndpoint) return listMissing(absent);
  const when = `${listMissing(need.conditional)} ${whenAbsent(need.conditionalEndpoint)}`;
  return absent.length ? `${listMissing(absent)}, and none for ${when}` : when;
}

function listMissing(services: string[]): string {
  const names = services.map((s) => (s === 's3' ? 's3 (gateway, for image layers)' : s));
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function needOf(
  doc: TemplateDocument,
  graph: NetworkGraph,
  workload: ComputeFact,
  ssmRoles: Set<string>,
): Need | undefined {
  const resource = workload.resource;
  let services: string[];
  let what: string;
  let why: string;
  switch (workload.kind) {
    case 'ecs-service':
      [services, what, why] = [
        CONTAINERS,
        `ECS service ${resource.id}`,
        'its tasks cannot pull images from ECR or send logs',
      ];
      break;
    case 'eks-nodegroup':
      [services, what, why] = [
        CONTAINERS,
        `EKS node group ${resource.id}`,
        'its nodes cannot pull images from ECR or send logs',
      ];
      break;
    case 'instance':
      if (!isSsmManaged(graph, resource, ssmRoles)) return undefined;
      [services, what, why] = [
        SSM,
        `Instance ${resource.id}`,
        'Systems Manager (Session Manager, patching) cannot reach it',
      ];
      break;
    case 'lambda':
      services = lambdaServices(doc, graph, resource);
      [what, why] = [`Lambda function ${resource.id}`, `its calls to ${services.join(', ')} time out`];
      break;
    default:
      return undefined;
  }
  if (!services.length) return undefined;
  // Isolated subnets: in the document, in a VPC of the document, with no default route at all.
  const isolated: string[] = [];
  let vpc: string | undefined;
  for (const link of graph.subnetsOfCompute(workload)) {
    const subnet = graph.subnets.get(link.id);
    const table = graph.routeTableOf(link.id)?.table;
    if (!subnet?.vpc || !table) return undefined;
    if (graph.hasUnknownRoutes(table)) return undefined;
    if (graph.defaultRoutes(table, 4).length) continue; // a way out (NAT, internet, transit ...)
    vpc ??= subnet.vpc;
    if (subnet.vpc !== vpc) return undefined;
    if (!isolated.includes(link.id)) isolated.push(link.id);
  }
  if (!vpc || !isolated.length) return undefined;
  const endpoints = graph.endpointsOf(vpc);
  if (endpoints.some((e) => e.service === undefined)) return undefined; // may be the missing one
  // An endpoint under a `Condition:` serves only the deployments where it exists.
  const consumers = [resource, ...(graph.vpcs.has(vpc) ? [graph.vpcs.get(vpc)!] : [])];
  const missing: string[] = [];
  const conditional: string[] = [];
  let conditionalEndpoint: Resource | undefined;
  for (const service of services) {
    const providers = endpoints.filter((e) => e.service === service).map((e) => e.resource);
    const verdict = providedWherever(providers, consumers, doc);
    if (verdict.provided) continue;
    missing.push(service);
    if (verdict.conditional) {
      conditional.push(service);
      conditionalEndpoint ??= verdict.conditional;
    }
  }
  if (!missing.length) return undefined;
  return { workload, what, why, vpc, subnets: isolated, missing, conditional, conditionalEndpoint };
}

/** Roles (ids) that carry the Systems Manager managed-instance policy. */
function ssmManagedRoles(doc: TemplateDocument, graph: NetworkGraph): Set<string> {
  const out = new Set<string>();
  for (const resource of doc.resources) {
    if (resource.type === 'AWS::IAM::Role' || resource.type === 'aws_iam_role') {
      const list = at(resource.properties, [
        resource.type === 'AWS::IAM::Role' ? 'ManagedPolicyArns' : 'managed_policy_arns',
      ]);
      if (items(list).some((n) => SSM_POLICY.test(rawText(n) ?? ''))) out.add(resource.id);
    } else if (resource.type === 'aws_iam_role_policy_attachment') {
      if (!SSM_POLICY.test(rawText(at(resource.properties, ['policy_arn'])) ?? '')) continue;
      for (const role of graph.links(resource, ['role'])) out.add(role.id);
    }
  }
  return out;
}

function isSsmManaged(graph: NetworkGraph, instance: Resource, roles: Set<string>): boolean {
  const cfn = instance.type === 'AWS::EC2::Instance';
  for (const profile of graph.links(instance, [cfn ? 'IamInstanceProfile' : 'iam_instance_profile'])) {
    const resource = graph.doc.resourcesById.get(profile.id);
    if (!resource) continue;
    const path = cfn ? ['Roles'] : ['role'];
    if (graph.links(resource, path).some((r) => roles.has(r.id))) return true;
  }
  return false;
}

/** Services whose resources the function's environment names. */
function lambdaServices(doc: TemplateDocument, graph: NetworkGraph, fn: Resource): string[] {
  const cfn = fn.type === 'AWS::Lambda::Function';
  const variables = at(fn.properties, cfn ? ['Environment', 'Variables'] : ['environment', 0, 'variables']);
  const found = new Set<string>();
  // SAM policy templates by name: the function is granted (and so calls) that service.
  if (fn.origin?.type === 'AWS::Serverless::Function')
    for (const item of items(at(fn.origin.properties, ['Policies']))) {
      const name = item.kind === 'map' && item.entries.length === 1 ? item.entries[0]!.key.value : undefined;
      const service = name ? SAM_POLICY_TEMPLATES[name] : undefined;
      if (service) found.add(service);
    }
  for (const entry of variables?.kind === 'map' ? variables.entries : []) {
    const path = cfn
      ? ['Environment', 'Variables', entry.key.value]
      : ['environment', 0, 'variables', entry.key.value];
    for (const link of graph.links(fn, path)) {
      const service = LAMBDA_SERVICES[doc.resourcesById.get(link.id)?.type ?? ''];
      if (service) found.add(service);
    }
  }
  return ORDER.filter((s) => found.has(s));
}

function endpointOps(
  doc: TemplateDocument,
  graph: NetworkGraph,
  vpc: Resource,
  services: string[],
  subnets: string[],
): FixOp[] | undefined {
  const cfn = doc.format === 'cfn';
  const ops: FixOp[] = [];
  const region = cfn ? { expression: '', ops: [] } : tfRegion(doc);
  ops.push(...region.ops);
  // Private DNS needs the VPC's DNS hostnames (default false) and DNS support (default true).
  const hostnames = graph.flag(vpc, [cfn ? 'EnableDnsHostnames' : 'enable_dns_hostnames'], false);
  const support = graph.flag(vpc, [cfn ? 'EnableDnsSupport' : 'enable_dns_support'], true);
  if (hostnames.value === undefined || support.value === undefined) return undefined;
  for (const [flag, key] of [
    [hostnames, cfn ? 'EnableDnsHostnames' : 'enable_dns_hostnames'],
    [support, cfn ? 'EnableDnsSupport' : 'enable_dns_support'],
  ] as const) {
    if (flag.value === true && !flag.conditional) continue;
    if (cfn) ops.push(setPathOp(vpc.node, ['Properties', key], true));
    else if (vpc.properties) ops.push({ op: 'set', map: vpc.properties, key, value: true });
    else return undefined;
  }
  const sgName = cfn ? `${vpc.id}EndpointSecurityGroup` : `${tfNameOf(vpc)}_endpoints`;
  const sgId = cfn ? sgName : `aws_security_group.${sgName}`;
  if (!doc.resourcesById.has(sgId)) {
    const description = 'HTTPS from the VPC to its interface endpoints';
    ops.push({
      op: 'addResource',
      name: sgName,
      spec: {
        cfn: {
          Type: 'AWS::EC2::SecurityGroup',
          Properties: {
            GroupDescription: description,
            VpcId: { $resource: vpc.id },
            SecurityGroupIngress: [
              {
                IpProtocol: 'tcp',
                FromPort: 443,
                ToPort: 443,
                CidrIp: { $resource: vpc.id, attribute: 'CidrBlock' },
              },
            ],
          },
        },
        tf: { type: 'aws_security_group', body: { description, vpc_id: { $resource: vpc.id } } },
      },
    });
    if (!cfn)
      ops.push({
        op: 'addResource',
        name: freshName(doc, `${sgName}_https`, 'aws_vpc_security_group_ingress_rule'),
        spec: {
          cfn: {},
          tf: {
            type: 'aws_vpc_security_group_ingress_rule',
            body: {
              security_group_id: { $resource: sgId },
              ip_protocol: 'tcp',
              from_port: 443,
              to_port: 443,
              cidr_ipv4: { $resource: vpc.id, attribute: 'cidr_block' },
            },
          },
        },
      });
  }
  const subnetRefs: NewValue[] = subnets.map((s) => ({ $resource: s }));
  if (services.includes('s3')) {
    const tables = [...new Set(subnets.map((s) => graph.routeTableOf(s)?.table))].filter(
      (t): t is RouteTableFact => t !== undefined,
    );
    const gateway = gatewayEndpointOps(doc, vpc, 's3', tables, region);
    if (!gateway) return undefined;
    ops.push(...gateway);
  }
  for (const service of services) {
    if (service === 's3') continue;
    ops.push({
      op: 'addResource',
      name: cfn
        ? freshName(doc, `${vpc.id}${pascal(service)}Endpoint`)
        : freshName(doc, `${tfNameOf(vpc)}_${snake(service)}`, 'aws_vpc_endpoint'),
      spec: {
        cfn: {
          Type: 'AWS::EC2::VPCEndpoint',
          Properties: {
            VpcId: { $resource: vpc.id },
            ServiceName: serviceName(doc, service, ''),
            VpcEndpointType: 'Interface',
            PrivateDnsEnabled: true,
            SubnetIds: subnetRefs,
            SecurityGroupIds: [{ $resource: sgId }],
            PolicyDocument: accountOnlyPolicy('cfn', vpc.id),
          },
        },
        tf: {
          type: 'aws_vpc_endpoint',
          body: {
            vpc_id: { $resource: vpc.id },
            service_name: serviceName(doc, service, region.expression),
            vpc_endpoint_type: 'Interface',
            private_dns_enabled: true,
            subnet_ids: subnetRefs,
            security_group_ids: [{ $resource: sgId }],
            policy: accountOnlyPolicy('tf', vpc.id),
          },
        },
      },
    });
  }
  return ops;
}

// The resources the "missing" connectivity rules insert (VPC endpoints, their security group,
// flow logs) in the document's own format: fresh names, service names with the region, route
// table references, an account-only endpoint policy.

import type { RouteTableFact } from '../../facts/graph/types';
import type { FixOp, NewValue, ResourceRefValue } from '../../fixes/recipe';
import type { Resource, TemplateDocument } from '../../model/document';

const PASCAL: Record<string, string> = {
  s3: 'S3',
  dynamodb: 'DynamoDb',
  'ecr.api': 'EcrApi',
  'ecr.dkr': 'EcrDkr',
  logs: 'Logs',
  ssm: 'Ssm',
  ssmmessages: 'SsmMessages',
  ec2messages: 'Ec2Messages',
  secretsmanager: 'SecretsManager',
  kms: 'Kms',
  sts: 'Sts',
  sqs: 'Sqs',
};

export function pascal(service: string): string {
  return (
    PASCAL[service] ?? service.replace(/(^|[^A-Za-z0-9])([a-z0-9])/g, (_, __, c: string) => c.toUpperCase())
  );
}

export function snake(service: string): string {
  return service.replace(/[^A-Za-z0-9]+/g, '_').toLowerCase();
}

/** The Terraform name part of a resource (`main` of `aws_vpc.main`). */
export function tfNameOf(resource: Resource): string {
  return resource.tfName ?? resource.id.split('.').pop()!;
}

/** A new resource name not used in the document: CFN logical id, or TF name under a type. */
export function freshName(doc: TemplateDocument, base: string, tfType?: string): string {
  const taken = (name: string) => doc.resourcesById.has(doc.format === 'cfn' ? name : `${tfType}.${name}`);
  if (!taken(base)) return base;
  for (let i = 2; ; i++) {
    const name = doc.format === 'cfn' ? `${base}${i}` : `${base}_${i}`;
    if (!taken(name)) return name;
  }
}

/**
 * The region in a Terraform endpoint service name: an existing `region` / `aws_region` variable,
 * else a new `region` variable (the simplest valid Terraform: no data source, no provider
 * lookup; whoever applies sets it once).
 */
export function tfRegion(doc: TemplateDocument): { expression: string; ops: FixOp[] } {
  for (const name of ['region', 'aws_region'])
    if (doc.parameters.has(name)) return { expression: `\${var.${name}}`, ops: [] };
  return {
    expression: '${var.region}',
    ops: [
      {
        op: 'addParameter',
        name: 'region',
        spec: {
          cfn: {},
          tf: { type: 'string', description: 'AWS region of the VPC, for VPC endpoint service names.' },
        },
      },
    ],
  };
}

export function serviceName(doc: TemplateDocument, service: string, region: string): NewValue {
  return doc.format === 'cfn'
    ? { $sub: `com.amazonaws.\${AWS::Region}.${service}` }
    : `com.amazonaws.${region}.${service}`;
}

export function refOf(table: RouteTableFact): ResourceRefValue | undefined {
  if (!table.ref) return undefined;
  return table.ref.attribute
    ? { $resource: table.ref.id, attribute: table.ref.attribute }
    : { $resource: table.ref.id };
}

/** The condition key that limits an endpoint to the account's own principals. */
export const ACCOUNT_KEY = 'aws:PrincipalAccount';

/**
 * An endpoint policy that lets only principals of this account through the endpoint (the
 * default policy allows anyone's principals). CloudFormation: an object with `!Ref
 * AWS::AccountId`; Terraform: a JSON string with the VPC's `owner_id`.
 */
export function accountOnlyPolicy(format: 'cfn' | 'tf', vpcId: string): NewValue {
  const who: NewValue = format === 'cfn' ? { Ref: 'AWS::AccountId' } : `\${${vpcId}.owner_id}`;
  const policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: '*',
        Action: '*',
        Resource: '*',
        Condition: { StringEquals: { [ACCOUNT_KEY]: who } },
      },
    ],
  };
  return format === 'cfn' ? policy : JSON.stringify(policy);
}

/** Ops that add a gateway endpoint for a service on route tables of a VPC. */
export function gatewayEndpointOps(
  doc: TemplateDocument,
  vpc: Resource,
  service: string,
  tables: RouteTableFact[],
  given?: { expression: string; ops: FixOp[] },
): FixOp[] | undefined {
  const refs = tables.map(refOf);
  if (refs.some((r) => r === undefined)) return undefined;
  // A caller that adds other endpoints too passes the region it already declared.
  const region = given ?? (doc.format === 'cfn' ? { expression: '', ops: [] } : tfRegion(doc));
  const name =
    doc.format === 'cfn'
      ? freshName(doc, `${vpc.id}${pascal(service)}Endpoint`)
      : freshName(doc, `${tfNameOf(vpc)}_${snake(service)}`, 'aws_vpc_endpoint');
  return [
    ...(given ? [] : region.ops),
    {
      op: 'addResource',
      name,
      spec: {
        cfn: {
          Type: 'AWS::EC2::VPCEndpoint',
          Properties: {
            VpcId: { $resource: vpc.id },
            ServiceName: serviceName(doc, service, ''),
            VpcEndpointType: 'Gateway',
            RouteTableIds: refs as NewValue[],
            PolicyDocument: accountOnlyPolicy('cfn', vpc.id),
          },
        },
        tf: {
          type: 'aws_vpc_endpoint',
          body: {
            vpc_id: { $resource: vpc.id },
            service_name: serviceName(doc, service, region.expression),
            vpc_endpoint_type: 'Gateway',
            route_table_ids: refs as NewValue[],
            policy: accountOnlyPolicy('tf', vpc.id),
          },
        },
      },
    },
  ];
}

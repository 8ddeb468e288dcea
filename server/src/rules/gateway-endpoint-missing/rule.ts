import type { EndpointFact, RouteFact, RouteTableFact } from '../../facts/graph/types';
import { networkGraph } from '../../facts/graph/networkGraph';
import type { FixRecipe, NewValue } from '../../fixes/recipe';
import type { Resource } from '../../model/document';
import { existsWherever, providedWherever, whenAbsent } from '../../model/cfn';
import type { RelatedInfo } from '../types';
import { gatewayEndpointOps, refOf } from '../connectivity/newResources';
import type { Rule } from '../types';
import docs from './rule.md?raw';

const DYNAMODB_TYPES = new Set(['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'aws_dynamodb_table']);

export const gatewayEndpointMissing: Rule = {
  meta: {
    id: 'gateway-endpoint-missing',
    summary:
      'Private subnets reach S3 (or DynamoDB) through a NAT gateway instead of a free gateway endpoint',
    category: 'connectivity',
    severity: 'info',
    formats: ['cfn', 'tf', 'plan'],
    resourceTypes: [
      'AWS::EC2::VPC',
      'AWS::EC2::RouteTable',
      'AWS::EC2::Route',
      'AWS::EC2::NatGateway',
      'AWS::EC2::VPCEndpoint',
      'aws_vpc',
      'aws_route_table',
      'aws_route',
      'aws_nat_gateway',
      'aws_vpc_endpoint',
      'aws_vpc_endpoint_route_table_association',
    ],
    fixSafety: 'unsafe',
    references: {
      aws: [
        'https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html',
        'https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-pricing.html',
      ],
    },
  },
  docs,
  controls: [
    {
      keys: ['VpcEndpointType', 'vpc_endpoint_type', 'RouteTableIds', 'route_table_ids'],
      resourceTypes: ['AWS::EC2::VPCEndpoint', 'aws_vpc_endpoint'],
      markdown:
        '**Gateway endpoints** (S3 and DynamoDB only) add a route for the service to the route tables you list, so traffic from those subnets stays on the AWS network and skips the NAT gateway. They cost nothing; NAT gateways charge per GB processed. The type defaults to `Gateway`. [Gateway endpoints](https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html)',
    },
  ],
  check({ doc, facts, report }) {
    const graph = networkGraph(facts);
    if (!graph.vpcs.size) return;
    const services = ['s3'];
    if (doc.resources.some((r) => DYNAMODB_TYPES.has(r.type))) services.push('dynamodb');
    for (const vpc of graph.vpcs.values()) {
      // Route tables that send private subnets' internet traffic through a NAT gateway.
      const natTables: { table: RouteTableFact; route: RouteFact }[] = [];
      for (const table of graph.routeTablesOf(vpc.id)) {
        const route = graph.natRoute(table);
        if (route && graph.subnetsUsing(table).length) natTables.push({ table, route });
      }
      if (!natTables.length) continue;
      const endpoints = graph.endpointsOf(vpc.id);
      // An endpoint whose service or type cannot be told may be the one that is missing.
      if (endpoints.some((e) => e.service === undefined || e.type === undefined)) continue;
      for (const service of services) {
        const mine = endpoints.filter((e) => e.service === service);
        const interfaces = mine.filter((e) => e.type === 'Interface').map((e) => e.resource);
        const gateways = mine.filter((e) => e.type === 'Gateway');
        // A table is covered by an interface endpoint (provided privately, at a price) or a gateway
        // endpoint on it, that exists wherever the VPC, the table and its NAT route do (an endpoint
        // under a `Condition:` covers only the deployments where it exists).
        // Tables with no endpoint in some deployments only because the one they have is
        // conditional, and tables with none at all.
        const conditional: { table: RouteTableFact; route: RouteFact; endpoint: Resource }[] = [];
        const missing = natTables.filter(({ table, route }) => {
          const consumers = [vpc, route.resource, ...(table.resource ? [table.resource] : [])];
          const providers = interfaces.concat(
            gateways.filter((e) => e.routeTables.includes(table.key)).map((e) => e.resource),
          );
          const verdict = providedWherever(providers, consumers, doc);
          if (verdict.provided) return false;
          if (verdict.conditional) conditional.push({ table, route, endpoint: verdict.conditional });
          return !verdict.conditional;
        });
        const name = service === 's3' ? 'S3' : 'DynamoDB';
        const first = conditional[0];
        if (first) {
          // Adding an endpoint (or a table to one) would give the table two S3 gateway endpoints
          // where the conditional one exists, which AWS refuses: no fix.
          report({
            span: vpc.keyNode,
            resource: vpc,
            message: `VPC ${vpc.id} has no ${name} gateway endpoint ${whenAbsent(first.endpoint)}: its private subnets then reach ${name} through a NAT gateway (${conditional.map((t) => tableName(t.table)).join(', ')}), which charges for every GB. Give the endpoint the condition of what it serves (or none), so that it exists wherever those route tables do.`,
            related: [
              ...natRelated(conditional),
              { span: first.endpoint.condition!.node, message: `Condition of endpoint ${first.endpoint.id}` },
            ],
          });
        }
        if (!missing.length) continue;
        const tables = missing.map((t) => tableName(t.table)).join(', ');
        const related = natRelated(missing);
        const existing = gateways.find((e) => existsWherever(e.resource, vpc, doc));
        if (existing) {
          report({
            span: existing.routeTableList ?? existing.resource.keyNode,
            resource: existing.resource,
            message: `${name} gateway endpoint ${existing.resource.id} is not attached to ${tables}, whose subnets reach ${name} through a NAT gateway. Add ${missing.length === 1 ? 'it' : 'them'} to the endpoint's route tables.`,
            related,
            fixes:
              doc.format === 'plan'
                ? []
                : attachFix(
                    existing,
                    missing.map((t) => t.table),
                  ),
          });
          continue;
        }
        const ops =
          doc.format === 'plan'
            ? undefined
            : gatewayEndpointOps(
                doc,
                vpc,
                service,
                missing.map((t) => t.table),
              );
        report({
          span: vpc.keyNode,
          resource: vpc,
          message: `VPC ${vpc.id} has no ${name} gateway endpoint: its private subnets reach ${name} through a NAT gateway (${tables}), which charges for every GB. Add a gateway endpoint for ${name} on ${missing.length === 1 ? 'that route table' : 'those route tables'}; it is free and keeps the traffic on the AWS network.`,
          related,
          fixes: ops
            ? [
                {
                  title: `Add ${service === 's3' ? 'an' : 'a'} ${name} gateway endpoint on ${tables}`,
                  safety: 'unsafe',
                  ops,
                },
              ]
            : [],
        });
      }
    }
  },
};

/** Each table's NAT route, as related information. */
function natRelated(tables: { table: RouteTableFact; route: RouteFact }[]): RelatedInfo[] {
  return tables.map(({ table, route }) => ({
    span:
      route.node === route.resource.properties
        ? route.resource.keyNode
        : (route.destination.node ?? route.node),
    message:
      `${route.destination.cidr?.text ?? '0.0.0.0/0'} goes to NAT gateway ${route.target.id ?? ''} in ${tableName(table)}`.replace(
        '  ',
        ' ',
      ),
  }));
}

function tableName(table: RouteTableFact): string {
  return table.resource?.id ?? `the main route table of ${table.vpc ?? 'the VPC'}`;
}

function attachFix(endpoint: EndpointFact, tables: RouteTableFact[]): FixRecipe[] {
  const refs = tables.map(refOf);
  if (refs.some((r) => r === undefined)) return [];
  const list = endpoint.routeTableList;
  const title = `Attach ${endpoint.resource.id} to ${tables.map(tableName).join(', ')}`;
  if (list?.kind === 'seq')
    return [
      { title, safety: 'unsafe', ops: refs.map((value) => ({ op: 'append', seq: list, value: value! })) },
    ];
  if (list || endpoint.routeTables.length) return []; // written otherwise (a parameter, association resources)
  const props = endpoint.resource.properties;
  if (!props) return [];
  const key = endpoint.resource.type === 'AWS::EC2::VPCEndpoint' ? 'RouteTableIds' : 'route_table_ids';
  return [{ title, safety: 'unsafe', ops: [{ op: 'set', map: props, key, value: refs as NewValue[] }] }];
}

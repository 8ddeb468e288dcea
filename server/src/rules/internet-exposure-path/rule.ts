import { networkGraph } from '../../facts/graph/networkGraph';
import { securityGroupRules } from '../../facts/securityGroups';
import type { Via } from '../../resolve/values';
import {
  claimedByAdminRule,
  describeOpen,
  evidence,
  exposedServices,
  internetSources,
  listServices,
  peersOf,
  verb,
} from '../exposure/openToInternet';
import type { ExposurePath, Hop } from '../exposure/paths';
import { drawPaths, exposurePaths, hopsRelated, summarize } from '../exposure/paths';
import type { Rule } from '../types';
import docs from './rule.md?raw';

const MAX_PATHS = 5;

export const internetExposurePath: Rule = {
  meta: {
    id: 'internet-exposure-path',
    summary: 'A complete path from the internet to an admin or sensitive port',
    category: 'public',
    severity: 'error',
    formats: ['cfn', 'tf', 'plan'],
    resourceTypes: [
      'AWS::EC2::SecurityGroup',
      'AWS::EC2::SecurityGroupIngress',
      'AWS::EC2::InternetGateway',
      'AWS::EC2::Route',
      'AWS::EC2::RouteTable',
      'AWS::EC2::Subnet',
      'AWS::EC2::Instance',
      'AWS::AutoScaling::AutoScalingGroup',
      'AWS::ElasticLoadBalancingV2::LoadBalancer',
      'AWS::ElasticLoadBalancing::LoadBalancer',
      'AWS::EC2::NetworkAcl',
      'aws_security_group',
      'aws_security_group_rule',
      'aws_vpc_security_group_ingress_rule',
      'aws_internet_gateway',
      'aws_route',
      'aws_route_table',
      'aws_subnet',
      'aws_instance',
      'aws_autoscaling_group',
      'aws_lb',
      'aws_elb',
      'aws_network_acl',
    ],
    fixSafety: 'none',
    doesNotReport:
      'Paths with a missing or unknown hop, NAT-only subnets, ports without a listener, ACL-denied traffic; SSH/RDP that their own rules report with the path',
    references: {
      aws: [
        'https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html',
        'https://docs.aws.amazon.com/vpc/latest/userguide/infrastructure-security.html',
      ],
      cwe: ['CWE-284'],
    },
  },
  docs,
  check({ doc, facts, settings, report }) {
    const rules = securityGroupRules(facts);
    const graph = networkGraph(facts);
    // Nothing can complete a path without an internet route in the document.
    if (![...graph.routeTables.values()].some((t) => t.routes.some((r) => r.target.kind === 'igw'))) return;
    for (const rule of rules) {
      if (rule.direction !== 'ingress') continue;
      // Plans: a standalone rule names its group by a computed id; the configuration links it.
      const group =
        rule.groupId ??
        graph.firstLink(rule.resource, ['security_group_id'])?.id ??
        graph.firstLink(rule.resource, ['GroupId'])?.id;
      if (!group) continue;
      const opens = internetSources(rule, peersOf(rule, rules), settings);
      if (!opens.length) continue;
      for (const open of opens) {
        for (const range of rule.ranges) {
          // SSH and RDP on their own ranges are one finding of ssh- / rdp-open-to-internet, with the path.
          const services = exposedServices(range, settings, { admin: true }).filter(
            (s) => !claimedByAdminRule(s, range, settings),
          );
          const paths = exposurePaths(graph, group, services, open.cidr.version).slice(0, MAX_PATHS);
          if (!paths.length) continue;
          const first = paths[0]!;
          const ruleHop: Hop = {
            span: rule.node,
            text: `Security group ${group} lets ${listServices(first.services)} in from ${open.cidr.text}`,
          };
          const all = paths.map((path) => ({ path, hops: [...path.hops, ruleHop] }));
          const conditional = verb(open, range) === 'can be' || paths.some((p) => conditionalVia(p.via));
          const others = paths.length > 1 ? ` (and ${describeOthers(paths.slice(1))})` : '';
          report({
            span: open.source.node,
            resource: rule.resource,
            message: `${listServices(first.services)} on ${first.targetLabel}${others} ${conditional ? 'can be' : 'is'} reachable from the internet: ${summarize(first.hops)} → this rule (${describeOpen(open)}). Allow the port only from known ranges (or use Session Manager), or move the workload to a private subnet without a public IP.`,
            related: [
              ...hopsRelated(all[0]!.hops),
              ...all.slice(1).flatMap(({ path, hops }) =>
                hopsRelated(hops.slice(0, -1)).map((r) => ({
                  ...r,
                  message: `${path.targetLabel}: ${r.message}`,
                })),
              ),
              ...evidence(open, range),
            ],
            hover: drawPaths(doc, all),
          });
          break; // one finding per open source
        }
      }
    }
  },
};

function conditionalVia(via: Via[]): boolean {
  return via.some((v) => v.kind !== 'parameter-default');
}

function describeOthers(paths: ExposurePath[]): string {
  const names = paths.map((p) => p.targetLabel);
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

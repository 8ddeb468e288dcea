import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Facts } from '..';
import { loadDocument } from '../../model/load';
import { lines } from '../../testing/ruleTester';
import { naclVerdict } from '../../rules/exposure/paths';
import type { NetworkGraph } from './networkGraph';
import { networkGraph } from './networkGraph';
import { rawText } from './properties';

const FIXTURES = join(__dirname, '../../../../test-fixtures');

function graphOf(file: string, code: string): NetworkGraph {
  const doc = loadDocument(file, code)!;
  return networkGraph(new Facts(doc));
}

function fixture(path: string): NetworkGraph {
  return graphOf(path, readFileSync(join(FIXTURES, path), 'utf8'));
}

const SSH = { name: 'SSH', protocol: 'tcp' as const, from: 22, to: 22 };

describe('network graph: the same VPC in CloudFormation, Terraform and a plan', () => {
  const cases: [string, Record<string, string>][] = [
    [
      'cfn-yaml/network-public-private.yaml',
      {
        vpc: 'Vpc',
        public: 'PublicSubnet',
        private: 'PrivateSubnet',
        publicTable: 'PublicRouteTable',
        privateTable: 'PrivateRouteTable',
        igw: 'InternetGateway',
        nat: 'NatGateway',
        bastion: 'Bastion',
        bastionSg: 'BastionSecurityGroup',
        app: 'AppServer',
      },
    ],
    [
      'terraform-json/network-public-private.tf.json',
      {
        vpc: 'aws_vpc.main',
        public: 'aws_subnet.public',
        private: 'aws_subnet.private',
        publicTable: 'aws_route_table.public',
        privateTable: 'aws_route_table.private',
        igw: 'aws_internet_gateway.main',
        nat: 'aws_nat_gateway.main',
        bastion: 'aws_instance.bastion',
        bastionSg: 'aws_security_group.bastion',
        app: 'aws_instance.app',
      },
    ],
  ];
  cases.push(['terraform-plan/network-public-private.json', cases[1]![1]]);
  for (const [path, ids] of cases) {
    describe(path, () => {
      const graph = fixture(path);
      it('links subnets, route tables and gateways', () => {
        expect(graph.subnetsOf(ids.vpc!).map((s) => s.resource.id)).toEqual([ids.public, ids.private]);
        expect(graph.routeTableOf(ids.public!)?.table.key).toBe(ids.publicTable);
        expect(graph.routeTableOf(ids.private!)?.table.key).toBe(ids.privateTable);
        expect(graph.internetGatewaysOf(ids.vpc!).map((g) => g.resource.id)).toEqual([ids.igw]);
        expect(graph.isPublicSubnet(ids.public!)).toBe(true);
        expect(graph.isPublicSubnet(ids.private!)).toBe(false);
        const privateTable = graph.routeTables.get(ids.privateTable!)!;
        expect(graph.natRoute(privateTable)?.target.id).toBe(ids.nat);
        expect(graph.internetRoute(privateTable, 4)).toBeUndefined();
        expect(graph.subnetsUsing(privateTable).map((s) => s.resource.id)).toEqual([ids.private]);
      });
      it('knows who gets a public IP and which groups they use', () => {
        const bastion = graph.computes.get(ids.bastion!)!;
        const ip = graph.publicIpv4(bastion, ids.public!);
        expect([ip.value, ip.reason, ip.resource.id]).toEqual([true, 'subnet', ids.public]);
        const app = graph.computes.get(ids.app!)!;
        expect(graph.publicIpv4(app, ids.private!).value).toBe(false);
        expect(graph.securityGroupsOf(bastion).map((l) => l.id)).toEqual([ids.bastionSg]);
        expect(graph.workloadsUsing(ids.bastionSg!).map((w) => w.resource.id)).toEqual([ids.bastion]);
      });
      it('falls back to the default network ACL (allows all)', () => {
        expect(naclVerdict(graph, ids.public!, SSH, 4).verdict).toBe('allow');
      });
    });
  }
});

describe('network graph: details', () => {
  it('CFN: an unassociated subnet uses the main table, which has only the local route', () => {
    const graph = graphOf(
      'template.yaml',
      lines(
        'Resources:',
        '  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}',
        '  Subnet: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24}}',
      ),
    );
    const table = graph.routeTableOf('Subnet')!;
    expect([table.table.key, table.table.main, table.association, table.table.routes]).toEqual([
      'Vpc#main',
      true,
      undefined,
      [],
    ]);
    expect(graph.isPublicSubnet('Subnet')).toBe(false);
  });

  it('TF: aws_default_route_table and aws_route on main_route_table_id are the main table', () => {
    const graph = graphOf(
      'main.tf.json',
      JSON.stringify({
        resource: {
          aws_vpc: { main: { cidr_block: '10.0.0.0/16' } },
          aws_internet_gateway: { gw: { vpc_id: '${aws_vpc.main.id}' } },
          aws_default_route_table: {
            main: {
              default_route_table_id: '${aws_vpc.main.default_route_table_id}',
              route: [{ cidr_block: '0.0.0.0/0', gateway_id: '${aws_internet_gateway.gw.id}' }],
            },
          },
          aws_route: {
            v6: {
              route_table_id: '${aws_vpc.main.main_route_table_id}',
              destination_ipv6_cidr_block: '::/0',
              gateway_id: '${aws_internet_gateway.gw.id}',
            },
          },
          aws_subnet: { a: { vpc_id: '${aws_vpc.main.id}', cidr_block: '10.0.0.0/24' } },
        },
      }),
    );
    const table = graph.routeTableOf('aws_subnet.a')!.table;
    expect(table.key).toBe('aws_vpc.main#main');
    expect(table.ref).toEqual({ id: 'aws_default_route_table.main' });
    expect(graph.isPublicSubnet('aws_subnet.a', 4)).toBe(true);
    expect(graph.isPublicSubnet('aws_subnet.a', 6)).toBe(true);
  });

  it('TF: aws_main_route_table_association replaces the main table', () => {
    const graph = graphOf(
      'main.tf.json',
      JSON.stringify({
        resource: {
          aws_vpc: { main: { cidr_block: '10.0.0.0/16' } },
          aws_route_table: { custom: { vpc_id: '${aws_vpc.main.id}' } },
          aws_main_route_table_association: {
            m: { vpc_id: '${aws_vpc.main.id}', route_table_id: '${aws_route_table.custom.id}' },
          },
          aws_subnet: { a: { vpc_id: '${aws_vpc.main.id}', cidr_block: '10.0.0.0/24' } },
        },
      }),
    );
    expect(graph.routeTableOf('aws_subnet.a')!.table.key).toBe('aws_route_table.custom');
  });

  it('public IPs: explicit interface setting, launch template, Elastic IP', () => {
    const graph = graphOf(
      'template.yaml',
      lines(
        'Resources:',
        '  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}',
        '  Subnet: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24, MapPublicIpOnLaunch: true}}',
        '  Off:',
        '    Type: AWS::EC2::Instance',
        '    Properties:',
        '      NetworkInterfaces:',
        '        - {DeviceIndex: "0", SubnetId: !Ref Subnet, AssociatePublicIpAddress: false}',
        '  Template:',
        '    Type: AWS::EC2::LaunchTemplate',
        '    Properties:',
        '      LaunchTemplateData:',
        '        NetworkInterfaces: [{DeviceIndex: 0, AssociatePublicIpAddress: true, Groups: [!Ref Sg]}]',
        '  Sg: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: x, VpcId: !Ref Vpc}}',
        '  Group:',
        '    Type: AWS::AutoScaling::AutoScalingGroup',
        '    Properties:',
        '      MinSize: "1"',
        '      MaxSize: "1"',
        '      VPCZoneIdentifier: [!Ref Subnet]',
        '      LaunchTemplate: {LaunchTemplateId: !Ref Template, Version: !GetAtt Template.LatestVersionNumber}',
        '  WithEip: {Type: AWS::EC2::Instance, Properties: {SubnetId: !Ref Subnet}}',
        '  Eip: {Type: AWS::EC2::EIP, Properties: {InstanceId: !Ref WithEip}}',
      ),
    );
    const off = graph.computes.get('Off')!;
    expect(graph.subnetsOfCompute(off).map((l) => l.id)).toEqual(['Subnet']);
    expect(graph.publicIpv4(off, 'Subnet')).toMatchObject({ value: false, reason: 'explicit' });
    const group = graph.computes.get('Group')!;
    expect(graph.publicIpv4(group, 'Subnet')).toMatchObject({ value: true, reason: 'launch-template' });
    expect(graph.securityGroupsOf(group).map((l) => l.id)).toEqual(['Sg']);
    expect(graph.workloadsUsing('Sg').map((w) => w.resource.id)).toEqual(['Group']);
    expect(graph.publicIpv4(graph.computes.get('WithEip')!, 'Subnet')).toMatchObject({
      value: true,
      reason: 'eip',
    });
  });

  it('load balancers: scheme defaults, subnets, groups and listeners', () => {
    const graph = graphOf(
      'template.yaml',
      lines(
        'Resources:',
        '  Sg: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: x}}',
        '  A: {Type: AWS::EC2::Subnet, Properties: {VpcId: vpc-1, CidrBlock: 10.0.0.0/24}}',
        '  Lb:',
        '    Type: AWS::ElasticLoadBalancingV2::LoadBalancer',
        '    Properties:',
        '      SubnetMappings: [{SubnetId: !Ref A}]',
        '      SecurityGroups: [!GetAtt Sg.GroupId]',
        '  Internal: {Type: AWS::ElasticLoadBalancingV2::LoadBalancer, Properties: {Scheme: internal}}',
        '  Listener: {Type: AWS::ElasticLoadBalancingV2::Listener, Properties: {LoadBalancerArn: !Ref Lb, Port: 22}}',
      ),
    );
    const lb = graph.loadBalancers.get('Lb')!;
    expect([lb.internetFacing.value, lb.subnets.map((l) => l.id), lb.listeners.map((l) => l.port)]).toEqual([
      true,
      ['A'],
      [22],
    ]);
    expect(graph.loadBalancersUsing('Sg').map((l) => l.resource.id)).toEqual(['Lb']);
    expect(graph.loadBalancers.get('Internal')!.internetFacing.value).toBe(false);
  });

  it('network ACLs: lowest number first, whole-internet entries decide, implicit deny', () => {
    const acl = (entries: string[]) =>
      graphOf(
        'template.yaml',
        lines(
          'Resources:',
          '  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}',
          '  Subnet: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24}}',
          '  Acl: {Type: AWS::EC2::NetworkAcl, Properties: {VpcId: !Ref Vpc}}',
          '  Assoc: {Type: AWS::EC2::SubnetNetworkAclAssociation, Properties: {SubnetId: !Ref Subnet, NetworkAclId: !Ref Acl}}',
          ...entries.map(
            (e, i) =>
              `  E${i}: {Type: AWS::EC2::NetworkAclEntry, Properties: {NetworkAclId: !Ref Acl, ${e}}}`,
          ),
        ),
      );
    const verdict = (entries: string[]) => naclVerdict(acl(entries), 'Subnet', SSH, 4).verdict;
    expect(verdict([])).toBe('deny');
    expect(
      verdict([
        'RuleNumber: 200, Protocol: -1, RuleAction: allow, CidrBlock: 0.0.0.0/0',
        'RuleNumber: 100, Protocol: 6, RuleAction: deny, CidrBlock: 0.0.0.0/0, PortRange: {From: 22, To: 22}',
      ]),
    ).toBe('deny');
    expect(
      verdict([
        'RuleNumber: 100, Protocol: 6, RuleAction: deny, CidrBlock: 203.0.113.0/24, PortRange: {From: 22, To: 22}',
        'RuleNumber: 200, Protocol: -1, RuleAction: allow, CidrBlock: 0.0.0.0/0',
      ]),
    ).toBe('allow');
    expect(
      verdict(['RuleNumber: 100, Protocol: -1, RuleAction: allow, CidrBlock: 0.0.0.0/0, Egress: true']),
    ).toBe('deny');
    expect(
      verdict(['RuleNumber: !Ref AWS::NoValue, Protocol: -1, RuleAction: allow, CidrBlock: 0.0.0.0/0']),
    ).toBe('unknown');
  });

  it('endpoints: service names through Fn::Sub and Terraform interpolation, default type Gateway', () => {
    const cfn = graphOf(
      'template.yaml',
      lines(
        'Resources:',
        '  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}',
        "  S3: {Type: AWS::EC2::VPCEndpoint, Properties: {VpcId: !Ref Vpc, ServiceName: !Sub 'com.amazonaws.${AWS::Region}.s3'}}",
        '  Ecr:',
        '    Type: AWS::EC2::VPCEndpoint',
        '    Properties:',
        '      VpcId: !Ref Vpc',
        '      VpcEndpointType: Interface',
        "      ServiceName: !Join ['', [com.amazonaws., !Ref AWS::Region, .ecr.api]]",
        '  Other: {Type: AWS::EC2::VPCEndpoint, Properties: {VpcId: !Ref Vpc, ServiceName: !Ref Name}}',
      ),
    );
    expect(cfn.endpointsOf('Vpc').map((e) => [e.service, e.type])).toEqual([
      ['s3', 'Gateway'],
      ['ecr.api', 'Interface'],
      [undefined, 'Gateway'],
    ]);
    const tf = graphOf(
      'main.tf.json',
      JSON.stringify({
        resource: {
          aws_vpc: { main: { cidr_block: '10.0.0.0/16' } },
          aws_route_table: { private: { vpc_id: '${aws_vpc.main.id}' } },
          aws_vpc_endpoint: {
            s3: { vpc_id: '${aws_vpc.main.id}', service_name: 'com.amazonaws.${var.region}.s3' },
          },
          aws_vpc_endpoint_route_table_association: {
            a: {
              vpc_endpoint_id: '${aws_vpc_endpoint.s3.id}',
              route_table_id: '${aws_route_table.private.id}',
            },
          },
        },
      }),
    );
    expect(tf.endpointsOf('aws_vpc.main').map((e) => [e.service, e.routeTables])).toEqual([
      ['s3', ['aws_route_table.private']],
    ]);
  });

  it('plans: links through configuration references, child modules and known ids', () => {
    const plan = {
      format_version: '1.2',
      planned_values: {
        root_module: {
          resources: [
            {
              address: 'aws_flow_log.old',
              mode: 'managed',
              type: 'aws_flow_log',
              name: 'old',
              values: { vpc_id: 'vpc-0abc' },
            },
          ],
          child_modules: [
            {
              address: 'module.net',
              resources: [
                {
                  address: 'module.net.aws_vpc.this[0]',
                  mode: 'managed',
                  type: 'aws_vpc',
                  name: 'this',
                  index: 0,
                  values: { cidr_block: '10.0.0.0/16' },
                },
                {
                  address: 'module.net.aws_subnet.a',
                  mode: 'managed',
                  type: 'aws_subnet',
                  name: 'a',
                  values: { cidr_block: '10.0.0.0/24' },
                },
                {
                  address: 'module.net.aws_vpc.existing',
                  mode: 'managed',
                  type: 'aws_vpc',
                  name: 'existing',
                  values: { id: 'vpc-0abc', cidr_block: '10.1.0.0/16' },
                },
              ],
            },
          ],
        },
      },
      resource_changes: [
        { address: 'module.net.aws_subnet.a', change: { after_unknown: { vpc_id: true, id: true } } },
      ],
      configuration: {
        root_module: {
          module_calls: {
            net: {
              module: {
                resources: [
                  {
                    address: 'aws_subnet.a',
                    mode: 'managed',
                    type: 'aws_subnet',
                    name: 'a',
                    expressions: {
                      vpc_id: { references: ['aws_vpc.this[0].id', 'aws_vpc.this[0]', 'aws_vpc.this'] },
                    },
                  },
                ],
              },
            },
          },
        },
      },
    };
    const graph = graphOf('plan.json', JSON.stringify(plan));
    expect(graph.subnets.get('module.net.aws_subnet.a')?.vpc).toBe('module.net.aws_vpc.this[0]');
    expect(graph.flowLogsOf('module.net.aws_vpc.existing').map((l) => l.resource.id)).toEqual([
      'aws_flow_log.old',
    ]);
  });

  it('rawText: scalars, Fn::Sub templates and Fn::Join', () => {
    const doc = loadDocument(
      'template.yaml',
      lines(
        'AWSTemplateFormatVersion: "2010-09-09"',
        'A: !Sub "x.${AWS::Region}.y"',
        'B: !Join ["", [a., !Ref R, .b]]',
        'C: plain',
      ),
    )!;
    const root = doc.root!;
    const value = (k: string) =>
      root.kind === 'map' ? root.entries.find((e) => e.key.value === k)?.value : undefined;
    expect([rawText(value('A')), rawText(value('B')), rawText(value('C'))]).toEqual([
      'x.${AWS::Region}.y',
      'a.${}.b',
      'plain',
    ]);
  });
});

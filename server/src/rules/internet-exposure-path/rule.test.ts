import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { defaultSettings, mergeSettings } from '../../engine/settings';
import { lines, ruleTester, run } from '../../testing/ruleTester';
import { internetExposurePath } from './rule';

const FIXTURES = join(__dirname, '../../../../test-fixtures');
const fixture = (path: string) => readFileSync(join(FIXTURES, path), 'utf8');

/** A VPC with an internet gateway, a public subnet (its route table sends 0.0.0.0/0 to the gateway) and a private one behind NAT. */
const NETWORK = [
  'Resources:',
  '  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}',
  '  Igw: {Type: AWS::EC2::InternetGateway}',
  '  Attach: {Type: AWS::EC2::VPCGatewayAttachment, Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw}}',
  '  Public: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24}}',
  '  Private: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}}',
  '  PublicRt: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}',
  '  ToIgw: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref PublicRt, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw}}',
  '  PublicAssoc: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref Public, RouteTableId: !Ref PublicRt}}',
  '  Eip: {Type: AWS::EC2::EIP, Properties: {Domain: vpc}}',
  '  Nat: {Type: AWS::EC2::NatGateway, Properties: {SubnetId: !Ref Public, AllocationId: !GetAtt Eip.AllocationId}}',
  '  PrivateRt: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}',
  '  ToNat: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref PrivateRt, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat}}',
  '  PrivateAssoc: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref Private, RouteTableId: !Ref PrivateRt}}',
  '  Sg:',
  '    Type: AWS::EC2::SecurityGroup',
  '    Properties:',
  '      GroupDescription: admin',
  '      VpcId: !Ref Vpc',
  '      SecurityGroupIngress:',
  '        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}',
];

const instance = (...props: string[]) =>
  lines(
    ...NETWORK,
    '  Host:',
    '    Type: AWS::EC2::Instance',
    '    Properties:',
    ...props.map((p) => `      ${p}`),
  );

const cfnJson = `{
  "Resources": {
    "Vpc": { "Type": "AWS::EC2::VPC", "Properties": { "CidrBlock": "10.0.0.0/16" } },
    "Igw": { "Type": "AWS::EC2::InternetGateway" },
    "Attach": { "Type": "AWS::EC2::VPCGatewayAttachment", "Properties": { "VpcId": { "Ref": "Vpc" }, "InternetGatewayId": { "Ref": "Igw" } } },
    "Public": { "Type": "AWS::EC2::Subnet", "Properties": { "VpcId": { "Ref": "Vpc" }, "CidrBlock": "10.0.0.0/24" } },
    "Rt": { "Type": "AWS::EC2::RouteTable", "Properties": { "VpcId": { "Ref": "Vpc" } } },
    "Default": { "Type": "AWS::EC2::Route", "Properties": { "RouteTableId": { "Ref": "Rt" }, "DestinationCidrBlock": "0.0.0.0/0", "GatewayId": { "Ref": "Igw" } } },
    "Assoc": { "Type": "AWS::EC2::SubnetRouteTableAssociation", "Properties": { "SubnetId": { "Ref": "Public" }, "RouteTableId": { "Ref": "Rt" } } },
    "Sg": {
      "Type": "AWS::EC2::SecurityGroup",
      "Properties": {
        "GroupDescription": "rdp",
        "VpcId": { "Ref": "Vpc" },
        "SecurityGroupIngress": [{ "IpProtocol": "tcp", "FromPort": 3389, "ToPort": 3389, "CidrIp": "0.0.0.0/0" }]
      }
    },
    "Host": {
      "Type": "AWS::EC2::Instance",
      "Properties": {
        "ImageId": "ami-12345678",
        "NetworkInterfaces": [{ "DeviceIndex": "0", "SubnetId": { "Ref": "Public" }, "AssociatePublicIpAddress": true, "GroupSet": [{ "Ref": "Sg" }] }]
      }
    }
  }
}
`;

const CFN_HOPS = [
  'Hop 1: Internet gateway InternetGateway',
  'Hop 2: Route 0.0.0.0/0 to InternetGateway in route table PublicRouteTable',
  'Hop 3: Subnet PublicSubnet (public: PublicSubnetRoutes associates it with route table PublicRouteTable)',
  'Hop 4: Instance Bastion in PublicSubnet',
  'Hop 5: Public IP: subnet PublicSubnet sets MapPublicIpOnLaunch',
  'Hop 6: Security group BastionSecurityGroup lets SSH (TCP 22) in from 0.0.0.0/0',
];

const TF_HOPS = [
  'Hop 1: Internet gateway aws_internet_gateway.main',
  'Hop 2: Route 0.0.0.0/0 to aws_internet_gateway.main in route table aws_route_table.public',
  'Hop 3: Subnet aws_subnet.public (public: aws_route_table_association.public associates it with route table aws_route_table.public)',
  'Hop 4: Instance aws_instance.bastion in aws_subnet.public',
  'Hop 5: Public IP: subnet aws_subnet.public sets map_public_ip_on_launch',
  'Hop 6: Security group aws_security_group.bastion lets SSH (TCP 22) in from 0.0.0.0/0',
];

const ADMIN_OFF = { rules: { 'ssh-open-to-internet': 'off', 'rdp-open-to-internet': 'off' } } as const;

ruleTester(internetExposurePath, {
  valid: [
    {
      name: 'SSH on its own range is one finding of ssh-open-to-internet (with the path), not also this rule',
      file: 'template.yaml',
      code: fixture('cfn-yaml/network-public-private.yaml'),
    },
    {
      name: 'the instance is in the private subnet (route through NAT, no public IP)',
      file: 'template.yaml',
      code: instance('ImageId: ami-12345678', 'SubnetId: !Ref Private', 'SecurityGroupIds: [!Ref Sg]'),
    },
    {
      name: 'public subnet, but no public IP (subnet does not map one, none associated)',
      file: 'template.yaml',
      code: instance('ImageId: ami-12345678', 'SubnetId: !Ref Public', 'SecurityGroupIds: [!Ref Sg]'),
    },
    {
      name: 'an explicit AssociatePublicIpAddress: false beats nothing; the rule allows a private range only',
      file: 'template.yaml',
      code: instance(
        'ImageId: ami-12345678',
        'NetworkInterfaces:',
        '  - {DeviceIndex: "0", SubnetId: !Ref Public, AssociatePublicIpAddress: false, GroupSet: [!Ref Sg]}',
      ),
    },
    {
      name: 'a network ACL denies SSH from the internet before allowing everything',
      file: 'template.yaml',
      code: lines(
        ...NETWORK,
        '  Acl: {Type: AWS::EC2::NetworkAcl, Properties: {VpcId: !Ref Vpc}}',
        '  AclAssoc: {Type: AWS::EC2::SubnetNetworkAclAssociation, Properties: {SubnetId: !Ref Public, NetworkAclId: !Ref Acl}}',
        '  DenySsh: {Type: AWS::EC2::NetworkAclEntry, Properties: {NetworkAclId: !Ref Acl, RuleNumber: 90, Protocol: 6, RuleAction: deny, CidrBlock: 0.0.0.0/0, PortRange: {From: 22, To: 22}}}',
        '  AllowAll: {Type: AWS::EC2::NetworkAclEntry, Properties: {NetworkAclId: !Ref Acl, RuleNumber: 100, Protocol: -1, RuleAction: allow, CidrBlock: 0.0.0.0/0}}',
        '  Host: {Type: AWS::EC2::Instance, Properties: {ImageId: ami-1, NetworkInterfaces: [{DeviceIndex: 0, SubnetId: !Ref Public, AssociatePublicIpAddress: true, GroupSet: [!Ref Sg]}]}}',
      ),
    },
    {
      name: 'an internet-facing load balancer whose listeners do not include the open port',
      file: 'template.yaml',
      code: lines(
        ...NETWORK,
        '  Lb: {Type: AWS::ElasticLoadBalancingV2::LoadBalancer, Properties: {Subnets: [!Ref Public], SecurityGroups: [!Ref Sg]}}',
        '  Http: {Type: AWS::ElasticLoadBalancingV2::Listener, Properties: {LoadBalancerArn: !Ref Lb, Port: 80, Protocol: HTTP}}',
      ),
    },
    {
      name: 'no internet gateway in the template (the bench pattern)',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}',
        '  A: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, MapPublicIpOnLaunch: true}}',
        '  Sg: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: x, SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}]}}',
        '  Host: {Type: AWS::EC2::Instance, Properties: {ImageId: ami-1, SubnetId: !Ref A, SecurityGroupIds: [!Ref Sg]}}',
      ),
    },
    {
      name: 'web ports only',
      file: 'template.yaml',
      code: lines(
        ...NETWORK.slice(0, -1),
        '        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}',
        '  Host: {Type: AWS::EC2::Instance, Properties: {ImageId: ami-1, NetworkInterfaces: [{DeviceIndex: 0, SubnetId: !Ref Public, AssociatePublicIpAddress: true, GroupSet: [!Ref Sg]}]}}',
      ),
    },
    {
      name: 'CFN JSON: the route table has no route to the internet gateway',
      file: 'template.json',
      code: cfnJson.replace(/\n {4}"Default": [^\n]*/, ''),
    },
    {
      name: 'Terraform: the private instance only',
      file: 'main.tf.json',
      code: fixture('terraform-json/network-public-private.tf.json').replace(
        '"subnet_id": "${aws_subnet.public.id}",\n        "vpc_security_group_ids": ["${aws_security_group.bastion.id}"]',
        '"subnet_id": "${aws_subnet.private.id}",\n        "vpc_security_group_ids": ["${aws_security_group.bastion.id}"]',
      ),
    },
    {
      name: 'plan: the subnet does not map public IPs',
      file: 'plan.json',
      code: fixture('terraform-plan/network-public-private.json').replace(
        '"map_public_ip_on_launch": true',
        '"map_public_ip_on_launch": false',
      ),
    },
  ],
  invalid: [
    {
      name: 'CFN YAML fixture: public bastion reported with every hop, the app server behind NAT is not',
      // SSH / RDP alone are reported by their own rules when those are on.
      settings: ADMIN_OFF,
      file: 'template.yaml',
      code: fixture('cfn-yaml/network-public-private.yaml'),
      errors: [
        {
          text: '0.0.0.0/0',
          line: 82,
          severity: 'error',
          message:
            'SSH (TCP 22) on instance Bastion is reachable from the internet: internet gateway InternetGateway → route 0.0.0.0/0 in PublicRouteTable → public subnet PublicSubnet → instance Bastion with a public IP → this rule (0.0.0.0/0). Allow the port only from known ranges (or use Session Manager), or move the workload to a private subnet without a public IP.',
          related: CFN_HOPS,
          fixes: [],
        },
      ],
    },
    {
      name: 'CFN JSON: RDP to an instance with an explicit public IP',
      // SSH / RDP alone are reported by their own rules when those are on.
      settings: ADMIN_OFF,
      file: 'template.json',
      code: cfnJson,
      errors: [
        {
          text: '"0.0.0.0/0"',
          line: 15,
          message:
            /^RDP \(TCP 3389\) on instance Host is reachable from the internet: internet gateway Igw → route 0\.0\.0\.0\/0 in Rt → public subnet Public → instance Host with a public IP → this rule/,
          related: [
            'Hop 1: Internet gateway Igw',
            'Hop 2: Route 0.0.0.0/0 to Igw in route table Rt',
            'Hop 3: Subnet Public (public: Assoc associates it with route table Rt)',
            'Hop 4: Instance Host in Public',
            'Hop 5: Public IP: Host associates one',
            'Hop 6: Security group Sg lets RDP (TCP 3389) in from 0.0.0.0/0',
          ],
          fixes: [],
        },
      ],
    },
    {
      name: 'Terraform JSON fixture',
      // SSH / RDP alone are reported by their own rules when those are on.
      settings: ADMIN_OFF,
      file: 'main.tf.json',
      code: fixture('terraform-json/network-public-private.tf.json'),
      errors: [
        {
          text: '"0.0.0.0/0"',
          line: 82,
          message: /^SSH \(TCP 22\) on instance aws_instance\.bastion is reachable from the internet/,
          related: TF_HOPS,
          fixes: [],
        },
      ],
    },
    {
      name: 'plan fixture: links come from the configuration references',
      // SSH / RDP alone are reported by their own rules when those are on.
      settings: ADMIN_OFF,
      file: 'plan.json',
      code: fixture('terraform-plan/network-public-private.json'),
      errors: [
        {
          text: '"0.0.0.0/0"',
          line: 140,
          message: /^SSH \(TCP 22\) on instance aws_instance\.bastion is reachable from the internet/,
          related: TF_HOPS,
          fixes: [],
        },
      ],
    },
    {
      name: 'internet-facing load balancer (the default scheme) with a listener on the open port',
      // SSH / RDP alone are reported by their own rules when those are on.
      settings: ADMIN_OFF,
      file: 'template.yaml',
      code: lines(
        ...NETWORK,
        '  Lb: {Type: AWS::ElasticLoadBalancingV2::LoadBalancer, Properties: {Type: network, Subnets: [!Ref Public], SecurityGroups: [!Ref Sg]}}',
        '  Tcp22: {Type: AWS::ElasticLoadBalancingV2::Listener, Properties: {LoadBalancerArn: !Ref Lb, Port: 22, Protocol: TCP}}',
      ),
      errors: [
        {
          text: '0.0.0.0/0',
          line: 21,
          message:
            /^SSH \(TCP 22\) on internet-facing load balancer Lb is reachable from the internet: internet gateway Igw → route 0\.0\.0\.0\/0 in PublicRt → public subnet Public → internet-facing load balancer Lb → listener on port 22 → this rule/,
          related: [
            'Hop 1: Internet gateway Igw',
            'Hop 2: Route 0.0.0.0/0 to Igw in route table PublicRt',
            'Hop 3: Subnet Public (public: PublicAssoc associates it with route table PublicRt)',
            'Hop 4: Internet-facing load balancer Lb in Public',
            'Hop 5: Listener Tcp22 on port 22',
            'Hop 6: Security group Sg lets SSH (TCP 22) in from 0.0.0.0/0',
          ],
          fixes: [],
        },
      ],
    },
    {
      name: 'Auto Scaling group from a launch template with a public IP, all traffic open, a parameter default',
      file: 'template.yaml',
      code: lines(
        'Parameters:',
        '  Open: {Type: String, Default: 0.0.0.0/0}',
        ...NETWORK.slice(0, -1),
        '        - {IpProtocol: "-1", CidrIp: !Ref Open}',
        '  Lt:',
        '    Type: AWS::EC2::LaunchTemplate',
        '    Properties:',
        '      LaunchTemplateData:',
        '        NetworkInterfaces: [{DeviceIndex: 0, AssociatePublicIpAddress: true, Groups: [!Ref Sg]}]',
        '  Asg:',
        '    Type: AWS::AutoScaling::AutoScalingGroup',
        '    Properties:',
        '      MinSize: "1"',
        '      MaxSize: "2"',
        '      VPCZoneIdentifier: [!Ref Private, !Ref Public]',
        '      LaunchTemplate: {LaunchTemplateId: !Ref Lt, Version: "1"}',
      ),
      errors: [
        {
          text: '!Ref Open',
          line: 23,
          message:
            /^SSH \(TCP 22\), RDP \(TCP 3389\), FTP \(TCP 20-21\) and \d+ more on Auto Scaling group Asg is reachable from the internet: .* → Auto Scaling group Asg with a public IP → this rule \(0\.0\.0\.0\/0 \(the default of Open\)\)\./,
          related: [
            'Hop 1: Internet gateway Igw',
            'Hop 2: Route 0.0.0.0/0 to Igw in route table PublicRt',
            'Hop 3: Subnet Public (public: PublicAssoc associates it with route table PublicRt)',
            'Hop 4: Auto Scaling group Asg launches instances into Public',
            'Hop 5: Public IP: launch template Lt associates one',
            'Hop 6: Security group Sg lets SSH (TCP 22), RDP (TCP 3389), FTP (TCP 20-21) and 28 more in from 0.0.0.0/0',
            'Default of Open',
          ],
          fixes: [],
        },
      ],
    },
    {
      name: 'IPv6: ::/0 to the internet gateway, an address from the subnet, SSH open to ::/0',
      // SSH / RDP alone are reported by their own rules when those are on.
      settings: ADMIN_OFF,
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}',
        '  Igw: {Type: AWS::EC2::InternetGateway}',
        '  Sub6: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24, AssignIpv6AddressOnCreation: true}}',
        '  Rt: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}',
        '  V6: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref Rt, DestinationIpv6CidrBlock: "::/0", GatewayId: !Ref Igw}}',
        '  A: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref Sub6, RouteTableId: !Ref Rt}}',
        '  Sg: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: x, SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIpv6: "::/0"}]}}',
        '  Host: {Type: AWS::EC2::Instance, Properties: {ImageId: ami-1, SubnetId: !Ref Sub6, SecurityGroupIds: [!Ref Sg]}}',
      ),
      errors: [
        {
          text: '"::/0"',
          line: 8,
          message:
            /^SSH \(TCP 22\) on instance Host is reachable from the internet: internet gateway Igw → route ::\/0 in Rt → public subnet Sub6 → instance Host with an IPv6 address → this rule \(::\/0\)/,
          related: [
            'Hop 1: Internet gateway Igw',
            'Hop 2: Route ::/0 to Igw in route table Rt',
            'Hop 3: Subnet Sub6 (public: A associates it with route table Rt)',
            'Hop 4: Instance Host in Sub6',
            'Hop 5: IPv6 address: subnet Sub6 sets AssignIpv6AddressOnCreation',
            'Hop 6: Security group Sg lets SSH (TCP 22) in from ::/0',
          ],
          fixes: [],
        },
      ],
    },
  ],
});

it('hover draws the path', () => {
  const code = fixture('cfn-yaml/network-public-private.yaml');
  const [finding] = run(
    { file: 'template.yaml', code },
    [internetExposurePath],
    mergeSettings(defaultSettings(), ADMIN_OFF),
  );
  expect(finding?.hover).toBe(
    [
      '**Path from the internet to instance Bastion** (SSH (TCP 22))',
      '',
      '```text',
      'internet',
      '  → Internet gateway InternetGateway (line 15)',
      '  → Route 0.0.0.0/0 to InternetGateway in route table PublicRouteTable (line 37)',
      '  → Subnet PublicSubnet (public: PublicSubnetRoutes associates it with route table PublicRouteTable) (line 22)',
      '  → Instance Bastion in PublicSubnet (line 83)',
      '  → Public IP: subnet PublicSubnet sets MapPublicIpOnLaunch (line 27)',
      '  → Security group BastionSecurityGroup lets SSH (TCP 22) in from 0.0.0.0/0 (line 79)',
      '```',
    ].join('\n'),
  );
});

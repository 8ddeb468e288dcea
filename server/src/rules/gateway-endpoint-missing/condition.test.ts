import { lines, ruleTester } from '../../testing/ruleTester';
import { gatewayEndpointMissing } from './rule';

// Resource `Condition:`: an endpoint under a condition only serves the deployments where it exists.
const HEAD = [
  'Parameters:',
  '  Env: {Type: String, Default: dev}',
  'Conditions:',
  '  IsProd: !Equals [!Ref Env, prod]',
  '  NotProd: !Not [!Condition IsProd]',
];
const NAT_VPC = [
  'Resources:',
  '  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}',
  '  Private: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}}',
  '  Nat: {Type: AWS::EC2::NatGateway, Properties: {SubnetId: subnet-123, AllocationId: eipalloc-123}}',
  '  Rt: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}',
  '  ToNat: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref Rt, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat}}',
  '  Assoc: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref Private, RouteTableId: !Ref Rt}}',
];
const endpoint = (id: string, condition: string) =>
  `  ${id}: {Type: AWS::EC2::VPCEndpoint, Condition: ${condition}, Properties: {VpcId: !Ref Vpc, ServiceName: com.amazonaws.eu-west-1.s3, RouteTableIds: [!Ref Rt]}}`;

const conditionalEndpoint = lines(...HEAD, ...NAT_VPC, endpoint('S3', 'IsProd'));

const mixed = lines(
  ...HEAD,
  ...NAT_VPC,
  endpoint('S3', 'IsProd'),
  '  Private2: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24}}',
  '  Rt2: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}',
  '  ToNat2: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref Rt2, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat}}',
  '  Assoc2: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref Private2, RouteTableId: !Ref Rt2}}',
);

const json = `{
  "Conditions": { "IsProd": { "Fn::Equals": [{ "Ref": "AWS::Region" }, "eu-west-1"] } },
  "Resources": {
    "Vpc": { "Type": "AWS::EC2::VPC", "Properties": { "CidrBlock": "10.0.0.0/16" } },
    "Private": { "Type": "AWS::EC2::Subnet", "Properties": { "VpcId": { "Ref": "Vpc" }, "CidrBlock": "10.0.1.0/24" } },
    "Nat": { "Type": "AWS::EC2::NatGateway", "Properties": { "SubnetId": "subnet-123", "AllocationId": "eipalloc-123" } },
    "Rt": { "Type": "AWS::EC2::RouteTable", "Properties": { "VpcId": { "Ref": "Vpc" } } },
    "ToNat": { "Type": "AWS::EC2::Route", "Properties": { "RouteTableId": { "Ref": "Rt" }, "DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": { "Ref": "Nat" } } },
    "Assoc": { "Type": "AWS::EC2::SubnetRouteTableAssociation", "Properties": { "SubnetId": { "Ref": "Private" }, "RouteTableId": { "Ref": "Rt" } } },
    "S3": {
      "Type": "AWS::EC2::VPCEndpoint",
      "Condition": "IsProd",
      "Properties": { "VpcId": { "Ref": "Vpc" }, "ServiceName": "com.amazonaws.eu-west-1.s3", "RouteTableIds": [{ "Ref": "Rt" }] }
    }
  }
}
`;

const message = (tables: string) =>
  `VPC Vpc has no S3 gateway endpoint when condition IsProd is false (S3 exists only when it is true): its private subnets then reach S3 through a NAT gateway (${tables}), which charges for every GB. Give the endpoint the condition of what it serves (or none), so that it exists wherever those route tables do.`;

ruleTester(gatewayEndpointMissing, {
  valid: [
    {
      name: 'an endpoint under the condition of the NAT route serves every deployment that has the route',
      file: 'template.yaml',
      code: conditionalEndpoint.replace(
        '  ToNat: {Type: AWS::EC2::Route, Properties:',
        '  ToNat: {Type: AWS::EC2::Route, Condition: IsProd, Properties:',
      ),
    },
    {
      name: 'an endpoint under the condition of the VPC',
      file: 'template.yaml',
      code: conditionalEndpoint.replace(
        '  Vpc: {Type: AWS::EC2::VPC, Properties:',
        '  Vpc: {Type: AWS::EC2::VPC, Condition: IsProd, Properties:',
      ),
    },
    {
      name: 'two endpoints under complementary conditions (C and Fn::Not C) cover every deployment',
      file: 'template.yaml',
      code: lines(...HEAD, ...NAT_VPC, endpoint('S3', 'IsProd'), endpoint('S3Dev', 'NotProd')),
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: a conditional gateway endpoint does not serve the other branch (no fix: two S3 endpoints on one table)',
      file: 'template.yaml',
      code: conditionalEndpoint,
      errors: [
        {
          text: 'Vpc',
          line: 7,
          severity: 'info',
          message: message('Rt'),
          related: ['0.0.0.0/0 goes to NAT gateway Nat in Rt', 'Condition of endpoint S3'],
          fixes: [],
        },
      ],
    },
    {
      name: 'CFN YAML: a conditional interface endpoint does not serve the other branch either',
      file: 'template.yaml',
      code: lines(
        ...HEAD,
        ...NAT_VPC,
        '  S3: {Type: AWS::EC2::VPCEndpoint, Condition: IsProd, Properties: {VpcId: !Ref Vpc, VpcEndpointType: Interface, ServiceName: com.amazonaws.eu-west-1.s3, SubnetIds: [!Ref Private]}}',
      ),
      errors: [
        {
          text: 'Vpc',
          line: 7,
          message: message('Rt'),
          related: ['0.0.0.0/0 goes to NAT gateway Nat in Rt', 'Condition of endpoint S3'],
          fixes: [],
        },
      ],
    },
    {
      name: 'CFN YAML: one table served by a conditional endpoint, another by none: two findings, a fix for the second',
      file: 'template.yaml',
      code: mixed,
      errors: [
        {
          text: 'Vpc',
          line: 7,
          message: message('Rt'),
          related: ['0.0.0.0/0 goes to NAT gateway Nat in Rt', 'Condition of endpoint S3'],
          fixes: [],
        },
        {
          text: 'Vpc',
          line: 7,
          message:
            'VPC Vpc has no S3 gateway endpoint: its private subnets reach S3 through a NAT gateway (Rt2), which charges for every GB. Add a gateway endpoint for S3 on that route table; it is free and keeps the traffic on the AWS network.',
          related: ['0.0.0.0/0 goes to NAT gateway Nat in Rt2'],
          fixes: [
            {
              title: 'Add an S3 gateway endpoint on Rt2',
              output:
                mixed +
                lines(
                  '  VpcS3Endpoint:',
                  '    Type: AWS::EC2::VPCEndpoint',
                  '    Properties:',
                  '      VpcId: !Ref Vpc',
                  "      ServiceName: !Sub 'com.amazonaws.${AWS::Region}.s3'",
                  '      VpcEndpointType: Gateway',
                  '      RouteTableIds:',
                  '        - !Ref Rt2',
                  '      PolicyDocument:',
                  "        Version: '2012-10-17'",
                  '        Statement:',
                  '          - Effect: Allow',
                  "            Principal: '*'",
                  "            Action: '*'",
                  "            Resource: '*'",
                  '            Condition:',
                  '              StringEquals:',
                  '                aws:PrincipalAccount: !Ref AWS::AccountId',
                ),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN JSON: a conditional gateway endpoint',
      file: 'template.json',
      code: json,
      errors: [
        {
          text: '"Vpc"',
          line: 4,
          message: message('Rt'),
          related: ['0.0.0.0/0 goes to NAT gateway Nat in Rt', 'Condition of endpoint S3'],
          fixes: [],
        },
      ],
    },
  ],
});

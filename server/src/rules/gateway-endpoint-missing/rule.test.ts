import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { defaultSettings } from '../../engine/settings';
import { applyFix, lines, ruleTester, run } from '../../testing/ruleTester';
import { gatewayEndpointMissing } from './rule';

const FIXTURES = join(__dirname, '../../../../test-fixtures');
const fixture = (path: string) => readFileSync(join(FIXTURES, path), 'utf8');

const cfnYaml = fixture('cfn-yaml/network-public-private.yaml');
const tfJson = fixture('terraform-json/network-public-private.tf.json');
const plan = fixture('terraform-plan/network-public-private.json');

const NAT_VPC = [
  'Resources:',
  '  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}',
  '  Private: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}}',
  '  Nat: {Type: AWS::EC2::NatGateway, Properties: {SubnetId: subnet-123, AllocationId: eipalloc-123}}',
  '  Rt: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}',
  '  ToNat: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref Rt, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat}}',
  '  Assoc: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref Private, RouteTableId: !Ref Rt}}',
];

const cfnJson = `{
  "Resources": {
    "Vpc": { "Type": "AWS::EC2::VPC", "Properties": { "CidrBlock": "10.0.0.0/16" } },
    "Private": { "Type": "AWS::EC2::Subnet", "Properties": { "VpcId": { "Ref": "Vpc" }, "CidrBlock": "10.0.1.0/24" } },
    "Nat": { "Type": "AWS::EC2::NatGateway", "Properties": { "SubnetId": "subnet-123", "AllocationId": "eipalloc-123" } },
    "Rt": { "Type": "AWS::EC2::RouteTable", "Properties": { "VpcId": { "Ref": "Vpc" } } },
    "ToNat": { "Type": "AWS::EC2::Route", "Properties": { "RouteTableId": { "Ref": "Rt" }, "DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": { "Ref": "Nat" } } },
    "Assoc": { "Type": "AWS::EC2::SubnetRouteTableAssociation", "Properties": { "SubnetId": { "Ref": "Private" }, "RouteTableId": { "Ref": "Rt" } } }
  }
}
`;

/** The account-only policy the endpoint fixes add (vpc-endpoint-policy-unrestricted's own fix). */
const POLICY_YAML = [
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
];
const policyTf = (vpc: string) =>
  `"policy": "{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[{\\"Effect\\":\\"Allow\\",\\"Principal\\":\\"*\\",\\"Action\\":\\"*\\",\\"Resource\\":\\"*\\",\\"Condition\\":{\\"StringEquals\\":{\\"aws:PrincipalAccount\\":\\"\${${vpc}.owner_id}\\"}}}]}"`;

const MSG =
  'VPC Vpc has no S3 gateway endpoint: its private subnets reach S3 through a NAT gateway (PrivateRouteTable), which charges for every GB. Add a gateway endpoint for S3 on that route table; it is free and keeps the traffic on the AWS network.';

ruleTester(gatewayEndpointMissing, {
  valid: [
    {
      name: 'CFN: S3 and DynamoDB gateway endpoints on the NAT route table (fixture)',
      file: 'template.yaml',
      code: fixture('cfn-yaml/vpc-endpoints.yaml'),
    },
    {
      name: 'CFN: isolated subnets (no NAT route)',
      file: 'template.yaml',
      code: fixture('cfn-yaml/vpc-isolated-workloads.yaml'),
    },
    {
      name: 'an S3 interface endpoint provides private access too',
      file: 'template.yaml',
      code: lines(
        ...NAT_VPC,
        "  S3: {Type: AWS::EC2::VPCEndpoint, Properties: {VpcId: !Ref Vpc, VpcEndpointType: Interface, ServiceName: !Sub 'com.amazonaws.${AWS::Region}.s3', SubnetIds: [!Ref Private]}}",
      ),
    },
    {
      name: 'an endpoint whose service cannot be told may be the S3 one',
      file: 'template.yaml',
      code: lines(
        'Parameters:',
        '  Service: {Type: String}',
        ...NAT_VPC,
        '  E: {Type: AWS::EC2::VPCEndpoint, Properties: {VpcId: !Ref Vpc, ServiceName: !Ref Service, RouteTableIds: [!Ref Rt]}}',
      ),
    },
    {
      name: 'a NAT route table no subnet uses',
      file: 'template.yaml',
      code: lines(...NAT_VPC.slice(0, -1)),
    },
    {
      name: 'a VPC defined elsewhere',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Rt: {Type: AWS::EC2::RouteTable, Properties: {VpcId: vpc-123}}',
        '  ToNat: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref Rt, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: nat-123}}',
        '  Assoc: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: subnet-1, RouteTableId: !Ref Rt}}',
      ),
    },
    {
      name: 'CFN JSON with the endpoint',
      file: 'template.json',
      code: cfnJson.replace(
        '\n  }\n}',
        ',\n    "S3": { "Type": "AWS::EC2::VPCEndpoint", "Properties": { "VpcId": { "Ref": "Vpc" }, "ServiceName": "com.amazonaws.eu-west-1.s3", "RouteTableIds": [{ "Ref": "Rt" }] } }\n  }\n}',
      ),
    },
    {
      name: 'Terraform: endpoint attached by aws_vpc_endpoint_route_table_association',
      file: 'main.tf.json',
      code: tfJson.replace(
        '    "aws_security_group": {',
        `    "aws_vpc_endpoint": {
      "s3": {
        "vpc_id": "\${aws_vpc.main.id}",
        "service_name": "com.amazonaws.\${var.region}.s3"
      }
    },
    "aws_vpc_endpoint_route_table_association": {
      "private_s3": {
        "vpc_endpoint_id": "\${aws_vpc_endpoint.s3.id}",
        "route_table_id": "\${aws_route_table.private.id}"
      }
    },
    "aws_security_group": {`,
      ),
    },
    {
      name: 'plan: the NAT route table has an S3 endpoint (linked through the configuration)',
      file: 'plan.json',
      code: plan
        .replace(
          '"resources": [\n',
          '"resources": [\n{"address": "aws_vpc_endpoint.s3", "mode": "managed", "type": "aws_vpc_endpoint", "name": "s3", "values": {"service_name": "com.amazonaws.us-east-1.s3", "vpc_endpoint_type": "Gateway"}},\n',
        )
        .replace(
          /("configuration": \{[\s\S]*?"resources": \[\n)/,
          '$1{"address": "aws_vpc_endpoint.s3", "mode": "managed", "type": "aws_vpc_endpoint", "name": "s3", "expressions": {"vpc_id": {"references": ["aws_vpc.main.id", "aws_vpc.main"]}, "route_table_ids": {"references": ["aws_route_table.private.id", "aws_route_table.private"]}}},\n',
        ),
    },
  ],
  invalid: [
    {
      name: 'CFN YAML fixture: private subnet behind NAT, no endpoint',
      file: 'template.yaml',
      code: cfnYaml,
      errors: [
        {
          text: 'Vpc',
          line: 9,
          severity: 'info',
          message: MSG,
          related: ['0.0.0.0/0 goes to NAT gateway NatGateway in PrivateRouteTable'],
          fixes: [
            {
              title: 'Add an S3 gateway endpoint on PrivateRouteTable',
              output:
                cfnYaml +
                lines(
                  '  VpcS3Endpoint:',
                  '    Type: AWS::EC2::VPCEndpoint',
                  '    Properties:',
                  '      VpcId: !Ref Vpc',
                  "      ServiceName: !Sub 'com.amazonaws.${AWS::Region}.s3'",
                  '      VpcEndpointType: Gateway',
                  '      RouteTableIds:',
                  '        - !Ref PrivateRouteTable',
                  ...POLICY_YAML,
                ),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN JSON',
      file: 'template.json',
      code: cfnJson,
      errors: [
        {
          text: '"Vpc"',
          line: 3,
          message: /^VPC Vpc has no S3 gateway endpoint/,
          fixes: [
            {
              title: 'Add an S3 gateway endpoint on Rt',
              output: cfnJson.replace(
                '\n  }\n}',
                `,
    "VpcS3Endpoint": {
      "Type": "AWS::EC2::VPCEndpoint",
      "Properties": {
        "VpcId": { "Ref": "Vpc" },
        "ServiceName": { "Fn::Sub": "com.amazonaws.\${AWS::Region}.s3" },
        "VpcEndpointType": "Gateway",
        "RouteTableIds": [{ "Ref": "Rt" }],
        "PolicyDocument": {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Effect": "Allow",
              "Principal": "*",
              "Action": "*",
              "Resource": "*",
              "Condition": {
                "StringEquals": { "aws:PrincipalAccount": { "Ref": "AWS::AccountId" } }
              }
            }
          ]
        }
      }
    }
  }
}`,
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'Terraform JSON fixture: the endpoint and a region variable',
      file: 'main.tf.json',
      code: tfJson,
      errors: [
        {
          text: '"main"',
          line: 9,
          message:
            /^VPC aws_vpc\.main has no S3 gateway endpoint: its private subnets reach S3 through a NAT gateway \(aws_route_table\.private\)/,
          fixes: [
            {
              title: 'Add an S3 gateway endpoint on aws_route_table.private',
              output: tfJson
                .replace(
                  '      "type": "string"\n    }\n  },',
                  '      "type": "string"\n    },\n    "region": {\n      "type": "string",\n      "description": "AWS region of the VPC, for VPC endpoint service names."\n    }\n  },',
                )
                .replace(
                  '    }\n  }\n}\n',
                  `    },
    "aws_vpc_endpoint": {
      "main_s3": {
        "vpc_id": "\${aws_vpc.main.id}",
        "service_name": "com.amazonaws.\${var.region}.s3",
        "vpc_endpoint_type": "Gateway",
        "route_table_ids": ["\${aws_route_table.private.id}"],
        ${policyTf('aws_vpc.main')}
      }
    }
  }
}
`,
                ),
            },
          ],
        },
      ],
    },
    {
      name: 'Terraform: an existing region variable is reused, endpoints added to an existing type block',
      file: 'main.tf.json',
      code: `{
  "variable": { "aws_region": { "type": "string" } },
  "resource": {
    "aws_vpc": { "main": { "cidr_block": "10.0.0.0/16" } },
    "aws_subnet": { "private": { "vpc_id": "\${aws_vpc.main.id}", "cidr_block": "10.0.1.0/24" } },
    "aws_default_route_table": {
      "main": {
        "default_route_table_id": "\${aws_vpc.main.default_route_table_id}",
        "route": [{ "cidr_block": "0.0.0.0/0", "nat_gateway_id": "nat-0123" }]
      }
    },
    "aws_vpc_endpoint": {
      "ssm": { "vpc_id": "\${aws_vpc.main.id}", "service_name": "com.amazonaws.\${var.aws_region}.ssm", "vpc_endpoint_type": "Interface" }
    }
  }
}
`,
      errors: [
        {
          text: '"main"',
          line: 4,
          message: /through a NAT gateway \(aws_default_route_table\.main\)/,
          fixes: [
            {
              title: 'Add an S3 gateway endpoint on aws_default_route_table.main',
              output: `{
  "variable": { "aws_region": { "type": "string" } },
  "resource": {
    "aws_vpc": { "main": { "cidr_block": "10.0.0.0/16" } },
    "aws_subnet": { "private": { "vpc_id": "\${aws_vpc.main.id}", "cidr_block": "10.0.1.0/24" } },
    "aws_default_route_table": {
      "main": {
        "default_route_table_id": "\${aws_vpc.main.default_route_table_id}",
        "route": [{ "cidr_block": "0.0.0.0/0", "nat_gateway_id": "nat-0123" }]
      }
    },
    "aws_vpc_endpoint": {
      "ssm": { "vpc_id": "\${aws_vpc.main.id}", "service_name": "com.amazonaws.\${var.aws_region}.ssm", "vpc_endpoint_type": "Interface" },
      "main_s3": {
        "vpc_id": "\${aws_vpc.main.id}",
        "service_name": "com.amazonaws.\${var.aws_region}.s3",
        "vpc_endpoint_type": "Gateway",
        "route_table_ids": ["\${aws_default_route_table.main.id}"],
        ${policyTf('aws_vpc.main')}
      }
    }
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'plan fixture (no fixes: plans are generated)',
      file: 'plan.json',
      code: plan,
      errors: [
        {
          text: '"aws_vpc.main"',
          line: 8,
          message: /^VPC aws_vpc\.main has no S3 gateway endpoint/,
          fixes: [],
        },
      ],
    },
    {
      name: 'an S3 endpoint that misses a NAT route table; DynamoDB in the document',
      file: 'template.yaml',
      code: lines(
        ...NAT_VPC,
        '  Other: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24}}',
        '  Rt2: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}',
        '  ToNat2: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref Rt2, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat}}',
        '  Assoc2: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref Other, RouteTableId: !Ref Rt2}}',
        '  S3:',
        '    Type: AWS::EC2::VPCEndpoint',
        '    Properties:',
        '      VpcId: !Ref Vpc',
        '      ServiceName: com.amazonaws.eu-west-1.s3',
        '      RouteTableIds:',
        '        - !Ref Rt',
        '  Table: {Type: AWS::DynamoDB::Table, Properties: {KeySchema: [{AttributeName: pk, KeyType: HASH}]}}',
      ),
      errors: [
        {
          text: 'Vpc',
          line: 2,
          message:
            'VPC Vpc has no DynamoDB gateway endpoint: its private subnets reach DynamoDB through a NAT gateway (Rt, Rt2), which charges for every GB. Add a gateway endpoint for DynamoDB on those route tables; it is free and keeps the traffic on the AWS network.',
          fixes: [
            {
              title: 'Add a DynamoDB gateway endpoint on Rt, Rt2',
              output: lines(
                ...NAT_VPC,
                '  Other: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24}}',
                '  Rt2: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}',
                '  ToNat2: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref Rt2, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat}}',
                '  Assoc2: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref Other, RouteTableId: !Ref Rt2}}',
                '  S3:',
                '    Type: AWS::EC2::VPCEndpoint',
                '    Properties:',
                '      VpcId: !Ref Vpc',
                '      ServiceName: com.amazonaws.eu-west-1.s3',
                '      RouteTableIds:',
                '        - !Ref Rt',
                '  Table: {Type: AWS::DynamoDB::Table, Properties: {KeySchema: [{AttributeName: pk, KeyType: HASH}]}}',
                '  VpcDynamoDbEndpoint:',
                '    Type: AWS::EC2::VPCEndpoint',
                '    Properties:',
                '      VpcId: !Ref Vpc',
                "      ServiceName: !Sub 'com.amazonaws.${AWS::Region}.dynamodb'",
                '      VpcEndpointType: Gateway',
                '      RouteTableIds:',
                '        - !Ref Rt',
                '        - !Ref Rt2',
                ...POLICY_YAML,
              ),
            },
          ],
        },
        {
          text: '- !Ref Rt',
          line: 18,
          message:
            "S3 gateway endpoint S3 is not attached to Rt2, whose subnets reach S3 through a NAT gateway. Add it to the endpoint's route tables.",
          fixes: [
            {
              title: 'Attach S3 to Rt2',
              output: lines(
                ...NAT_VPC,
                '  Other: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24}}',
                '  Rt2: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}',
                '  ToNat2: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref Rt2, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat}}',
                '  Assoc2: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref Other, RouteTableId: !Ref Rt2}}',
                '  S3:',
                '    Type: AWS::EC2::VPCEndpoint',
                '    Properties:',
                '      VpcId: !Ref Vpc',
                '      ServiceName: com.amazonaws.eu-west-1.s3',
                '      RouteTableIds:',
                '        - !Ref Rt',
                '        - !Ref Rt2',
                '  Table: {Type: AWS::DynamoDB::Table, Properties: {KeySchema: [{AttributeName: pk, KeyType: HASH}]}}',
              ),
            },
          ],
        },
      ],
    },
  ],
});

it('after the fix the VPC has no finding left', () => {
  for (const [file, code] of [
    ['template.yaml', cfnYaml],
    ['template.json', cfnJson],
    ['main.tf.json', tfJson],
  ] as const) {
    const [finding] = run({ file, code }, [gatewayEndpointMissing], defaultSettings());
    const fixed = applyFix(file, code, finding!, 0);
    expect(run({ file, code: fixed }, [gatewayEndpointMissing], defaultSettings())).toEqual([]);
  }
});

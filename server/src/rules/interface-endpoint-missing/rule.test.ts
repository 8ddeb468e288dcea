import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lines, ruleTester } from '../../testing/ruleTester';
import { interfaceEndpointMissing } from './rule';

const FIXTURES = join(__dirname, '../../../../test-fixtures');
const fixture = (path: string) => readFileSync(join(FIXTURES, path), 'utf8');

const cfnYaml = fixture('cfn-yaml/vpc-isolated-workloads.yaml');
const tfJson = fixture('terraform-json/vpc-isolated-workloads.tf.json');

/** The account-only policy every inserted endpoint gets (vpc-endpoint-policy-unrestricted's own fix). */
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
const POLICY_JSON = `"PolicyDocument": {
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
        }`;
const POLICY_TF = `"policy": "{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[{\\"Effect\\":\\"Allow\\",\\"Principal\\":\\"*\\",\\"Action\\":\\"*\\",\\"Resource\\":\\"*\\",\\"Condition\\":{\\"StringEquals\\":{\\"aws:PrincipalAccount\\":\\"\${aws_vpc.main.owner_id}\\"}}}]}"`;

/** The YAML of an interface endpoint the fix inserts. */
const yamlEndpoint = (name: string, service: string, subnets: string[]) => [
  `  ${name}:`,
  '    Type: AWS::EC2::VPCEndpoint',
  '    Properties:',
  '      VpcId: !Ref Vpc',
  `      ServiceName: !Sub 'com.amazonaws.\${AWS::Region}.${service}'`,
  '      VpcEndpointType: Interface',
  '      PrivateDnsEnabled: true',
  '      SubnetIds:',
  ...subnets.map((s) => `        - !Ref ${s}`),
  '      SecurityGroupIds:',
  '        - !Ref VpcEndpointSecurityGroup',
  ...POLICY_YAML,
];

const YAML_GROUP = [
  '  VpcEndpointSecurityGroup:',
  '    Type: AWS::EC2::SecurityGroup',
  '    Properties:',
  '      GroupDescription: HTTPS from the VPC to its interface endpoints',
  '      VpcId: !Ref Vpc',
  '      SecurityGroupIngress:',
  '        - IpProtocol: tcp',
  '          FromPort: 443',
  '          ToPort: 443',
  '          CidrIp: !GetAtt Vpc.CidrBlock',
];

const ISOLATED = ['IsolatedSubnetA', 'IsolatedSubnetB'];
const cfnFixed =
  cfnYaml.replace(
    '      EnableDnsSupport: true\n',
    '      EnableDnsSupport: true\n      EnableDnsHostnames: true\n',
  ) +
  lines(
    ...YAML_GROUP,
    '  VpcS3Endpoint:',
    '    Type: AWS::EC2::VPCEndpoint',
    '    Properties:',
    '      VpcId: !Ref Vpc',
    "      ServiceName: !Sub 'com.amazonaws.${AWS::Region}.s3'",
    '      VpcEndpointType: Gateway',
    '      RouteTableIds:',
    '        - !Ref IsolatedRouteTable',
    ...POLICY_YAML,
    ...yamlEndpoint('VpcEcrApiEndpoint', 'ecr.api', ISOLATED),
    ...yamlEndpoint('VpcEcrDkrEndpoint', 'ecr.dkr', ISOLATED),
    ...yamlEndpoint('VpcLogsEndpoint', 'logs', ISOLATED),
    ...yamlEndpoint('VpcSsmEndpoint', 'ssm', ISOLATED),
    ...yamlEndpoint('VpcSsmMessagesEndpoint', 'ssmmessages', ISOLATED),
    ...yamlEndpoint('VpcEc2MessagesEndpoint', 'ec2messages', ISOLATED),
    ...yamlEndpoint('VpcSecretsManagerEndpoint', 'secretsmanager', ISOLATED),
  );
const CFN_FIX = {
  title:
    'Add endpoints for ecr.api, ecr.dkr, logs, ssm, ssmmessages, ec2messages, secretsmanager, s3 to Vpc (private DNS, HTTPS from the VPC)',
  output: cfnFixed,
};

const jsonEndpoint = (name: string, service: string) => `    "${name}": {
      "Type": "AWS::EC2::VPCEndpoint",
      "Properties": {
        "VpcId": { "Ref": "Vpc" },
        "ServiceName": { "Fn::Sub": "com.amazonaws.\${AWS::Region}.${service}" },
        "VpcEndpointType": "Interface",
        "PrivateDnsEnabled": true,
        "SubnetIds": [{ "Ref": "Private" }],
        "SecurityGroupIds": [{ "Ref": "VpcEndpointSecurityGroup" }],
        ${POLICY_JSON}
      }
    }`;

const cfnJson = `{
  "Resources": {
    "Vpc": { "Type": "AWS::EC2::VPC", "Properties": { "CidrBlock": "10.0.0.0/16", "EnableDnsHostnames": true } },
    "Private": { "Type": "AWS::EC2::Subnet", "Properties": { "VpcId": { "Ref": "Vpc" }, "CidrBlock": "10.0.1.0/24" } },
    "Queue": { "Type": "AWS::SQS::Queue" },
    "Fn": {
      "Type": "AWS::Lambda::Function",
      "Properties": {
        "VpcConfig": { "SubnetIds": [{ "Ref": "Private" }], "SecurityGroupIds": ["sg-1"] },
        "Environment": { "Variables": { "QUEUE_URL": { "Ref": "Queue" }, "STAGE": "prod" } }
      }
    }
  }
}
`;

const plan = `{
  "format_version": "1.2",
  "planned_values": {"root_module": {"resources": [
    {"address": "aws_vpc.main", "mode": "managed", "type": "aws_vpc", "name": "main", "values": {"cidr_block": "10.0.0.0/16"}},
    {"address": "aws_subnet.a", "mode": "managed", "type": "aws_subnet", "name": "a", "values": {"cidr_block": "10.0.1.0/24"}},
    {"address": "aws_eks_node_group.nodes", "mode": "managed", "type": "aws_eks_node_group", "name": "nodes", "values": {"node_group_name": "nodes"}}
  ]}},
  "configuration": {"root_module": {"resources": [
    {"address": "aws_vpc.main", "mode": "managed", "type": "aws_vpc", "name": "main", "expressions": {}},
    {"address": "aws_subnet.a", "mode": "managed", "type": "aws_subnet", "name": "a",
     "expressions": {"vpc_id": {"references": ["aws_vpc.main.id", "aws_vpc.main"]}}},
    {"address": "aws_eks_node_group.nodes", "mode": "managed", "type": "aws_eks_node_group", "name": "nodes",
     "expressions": {"subnet_ids": {"references": ["aws_subnet.a.id", "aws_subnet.a"]}}}
  ]}}
}
`;

const tfEndpoint = (name: string, service: string) => `      "main_${name}": {
        "vpc_id": "\${aws_vpc.main.id}",
        "service_name": "com.amazonaws.\${var.region}.${service}",
        "vpc_endpoint_type": "Interface",
        "private_dns_enabled": true,
        "subnet_ids": ["\${aws_subnet.a.id}"],
        "security_group_ids": ["\${aws_security_group.main_endpoints.id}"],
        ${POLICY_TF}
      }`;

ruleTester(interfaceEndpointMissing, {
  valid: [
    {
      name: 'the workloads have a NAT route',
      file: 'template.yaml',
      code: cfnYaml.replace(
        '  IsolatedSubnetARoutes:',
        '  ToNat:\n    Type: AWS::EC2::Route\n    Properties:\n      RouteTableId: !Ref IsolatedRouteTable\n      DestinationCidrBlock: 0.0.0.0/0\n      NatGatewayId: nat-0123\n  IsolatedSubnetARoutes:',
      ),
    },
    {
      name: 'an instance without the SSM policy, a function with plain variables, subnets defined elsewhere',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}',
        '  A: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}}',
        '  Host: {Type: AWS::EC2::Instance, Properties: {ImageId: ami-1, SubnetId: !Ref A}}',
        '  Fn: {Type: AWS::Lambda::Function, Properties: {VpcConfig: {SubnetIds: [!Ref A]}, Environment: {Variables: {STAGE: prod}}}}',
        '  Svc: {Type: AWS::ECS::Service, Properties: {NetworkConfiguration: {AwsvpcConfiguration: {Subnets: [subnet-0123]}}}}',
      ),
    },
    {
      name: 'an endpoint whose service cannot be told may provide it',
      file: 'template.yaml',
      code: lines(
        'Parameters:',
        '  Service: {Type: String}',
        'Resources:',
        '  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}',
        '  A: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}}',
        '  E: {Type: AWS::EC2::VPCEndpoint, Properties: {VpcId: !Ref Vpc, ServiceName: !Ref Service, VpcEndpointType: Interface}}',
        '  Svc: {Type: AWS::ECS::Service, Properties: {NetworkConfiguration: {AwsvpcConfiguration: {Subnets: [!Ref A]}}}}',
      ),
    },
    {
      name: 'CFN JSON: the queue endpoint exists',
      file: 'template.json',
      code: cfnJson.replace(
        '    "Queue": { "Type": "AWS::SQS::Queue" },',
        '    "Queue": { "Type": "AWS::SQS::Queue" },\n    "Sqs": { "Type": "AWS::EC2::VPCEndpoint", "Properties": { "VpcId": { "Ref": "Vpc" }, "VpcEndpointType": "Interface", "ServiceName": "com.amazonaws.eu-west-1.sqs" } },',
      ),
    },
    {
      name: 'Terraform: every endpoint present',
      file: 'main.tf.json',
      code: tfJson.replace(
        '    "aws_ecs_service": {',
        `    "aws_vpc_endpoint": {
      "s3": { "vpc_id": "\${aws_vpc.main.id}", "service_name": "com.amazonaws.\${var.region}.s3" },
      "ecr_api": { "vpc_id": "\${aws_vpc.main.id}", "service_name": "com.amazonaws.\${var.region}.ecr.api", "vpc_endpoint_type": "Interface" },
      "ecr_dkr": { "vpc_id": "\${aws_vpc.main.id}", "service_name": "com.amazonaws.\${var.region}.ecr.dkr", "vpc_endpoint_type": "Interface" },
      "logs": { "vpc_id": "\${aws_vpc.main.id}", "service_name": "com.amazonaws.\${var.region}.logs", "vpc_endpoint_type": "Interface" }
    },
    "aws_ecs_service": {`,
      ),
    },
    {
      name: 'plan: the subnet is not in the plan',
      file: 'plan.json',
      code: plan.replace(
        '"references": ["aws_subnet.a.id", "aws_subnet.a"]',
        '"constant_value": ["subnet-0123"]',
      ),
    },
  ],
  invalid: [
    {
      name: 'CFN YAML fixture: an ECS service, an SSM-managed instance and a function with a secret share one fix',
      file: 'template.yaml',
      code: cfnYaml,
      errors: [
        {
          text: 'Service',
          line: 57,
          severity: 'info',
          message:
            'ECS service Service runs in subnets IsolatedSubnetA, IsolatedSubnetB with no NAT or internet route, and VPC Vpc has no endpoint for ecr.api, ecr.dkr, logs and s3 (gateway, for image layers): its tasks cannot pull images from ECR or send logs. Add interface endpoints with private DNS.',
          related: [
            'Subnet IsolatedSubnetA has no route out of the VPC',
            'Subnet IsolatedSubnetB has no route out of the VPC',
          ],
          fixes: [CFN_FIX],
        },
        {
          text: 'Worker',
          line: 88,
          message:
            'Instance Worker runs in subnet IsolatedSubnetA with no NAT or internet route, and VPC Vpc has no endpoint for ssm, ssmmessages and ec2messages: Systems Manager (Session Manager, patching) cannot reach it. Add interface endpoints with private DNS.',
          fixes: [CFN_FIX],
        },
        {
          text: 'Function',
          line: 111,
          message:
            'Lambda function Function runs in subnet IsolatedSubnetB with no NAT or internet route, and VPC Vpc has no endpoint for secretsmanager: its calls to secretsmanager time out. Add interface endpoints with private DNS.',
          fixes: [CFN_FIX],
        },
      ],
    },
    {
      name: 'CFN JSON: a function that reads a queue (the subnet uses the main route table)',
      file: 'template.json',
      code: cfnJson,
      errors: [
        {
          text: '"Fn"',
          line: 6,
          message:
            /^Lambda function Fn runs in subnet Private with no NAT or internet route, and VPC Vpc has no endpoint for sqs/,
          fixes: [
            {
              title: 'Add endpoints for sqs to Vpc (private DNS, HTTPS from the VPC)',
              output: cfnJson.replace(
                '\n  }\n}',
                `,
    "VpcEndpointSecurityGroup": {
      "Type": "AWS::EC2::SecurityGroup",
      "Properties": {
        "GroupDescription": "HTTPS from the VPC to its interface endpoints",
        "VpcId": { "Ref": "Vpc" },
        "SecurityGroupIngress": [
          {
            "IpProtocol": "tcp",
            "FromPort": 443,
            "ToPort": 443,
            "CidrIp": { "Fn::GetAtt": ["Vpc", "CidrBlock"] }
          }
        ]
      }
    },
${jsonEndpoint('VpcSqsEndpoint', 'sqs')}
  }
}`,
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'Terraform JSON fixture: region variable, DNS hostnames, a group with its rule, endpoints in one type block',
      file: 'main.tf.json',
      code: tfJson,
      errors: [
        {
          text: '"app"',
          line: 26,
          message:
            /^ECS service aws_ecs_service\.app runs in subnet aws_subnet\.a with no NAT or internet route/,
          fixes: [
            {
              title:
                'Add endpoints for ecr.api, ecr.dkr, logs, s3 to aws_vpc.main (private DNS, HTTPS from the VPC)',
              output: tfJson
                .replace(
                  '{\n  "resource": {',
                  '{\n  "variable": {\n    "region": {\n      "type": "string",\n      "description": "AWS region of the VPC, for VPC endpoint service names."\n    }\n  },\n  "resource": {',
                )
                .replace(
                  '"cidr_block": "10.0.0.0/16"\n',
                  '"cidr_block": "10.0.0.0/16",\n        "enable_dns_hostnames": true\n',
                )
                .replace(
                  '\n    }\n  }\n}\n',
                  `
    },
    "aws_security_group": {
      "main_endpoints": {
        "description": "HTTPS from the VPC to its interface endpoints",
        "vpc_id": "\${aws_vpc.main.id}"
      }
    },
    "aws_vpc_security_group_ingress_rule": {
      "main_endpoints_https": {
        "security_group_id": "\${aws_security_group.main_endpoints.id}",
        "ip_protocol": "tcp",
        "from_port": 443,
        "to_port": 443,
        "cidr_ipv4": "\${aws_vpc.main.cidr_block}"
      }
    },
    "aws_vpc_endpoint": {
      "main_s3": {
        "vpc_id": "\${aws_vpc.main.id}",
        "service_name": "com.amazonaws.\${var.region}.s3",
        "vpc_endpoint_type": "Gateway",
        "route_table_ids": ["\${aws_route_table.isolated.id}"],
        ${POLICY_TF}
      },
${tfEndpoint('ecr_api', 'ecr.api')},
${tfEndpoint('ecr_dkr', 'ecr.dkr')},
${tfEndpoint('logs', 'logs')}
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
      name: 'plan: an EKS node group (no fixes)',
      file: 'plan.json',
      code: plan,
      errors: [
        {
          text: '"aws_eks_node_group.nodes"',
          line: 6,
          message:
            /^EKS node group aws_eks_node_group\.nodes runs in subnet aws_subnet\.a with no NAT or internet route/,
          fixes: [],
        },
      ],
    },
  ],
});

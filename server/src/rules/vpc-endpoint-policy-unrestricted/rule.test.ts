import { lines, ruleTester } from '../../testing/ruleTester';
import { vpcEndpointPolicyUnrestricted } from './rule';

const absentYaml = lines(
  'Resources:',
  '  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}',
  '  S3:',
  '    Type: AWS::EC2::VPCEndpoint',
  '    Properties:',
  '      VpcId: !Ref Vpc',
  '      ServiceName: com.amazonaws.eu-west-1.s3',
);

const openYaml = lines(
  'Resources:',
  '  S3:',
  '    Type: AWS::EC2::VPCEndpoint',
  '    Properties:',
  '      VpcId: vpc-1',
  '      ServiceName: com.amazonaws.eu-west-1.s3',
  '      PolicyDocument:',
  '        Statement:',
  '          - Effect: Allow',
  "            Principal: '*'",
  "            Action: 's3:*'",
  "            Resource: '*'",
);

const cfnJson = `{
  "Resources": {
    "Ssm": {
      "Type": "AWS::EC2::VPCEndpoint",
      "Properties": {
        "VpcId": "vpc-1",
        "ServiceName": "com.amazonaws.eu-west-1.ssm",
        "VpcEndpointType": "Interface",
        "PolicyDocument": {
          "Statement": [{ "Effect": "Allow", "Principal": { "AWS": "*" }, "Action": "*", "Resource": "*" }]
        }
      }
    }
  }
}
`;

const tfJson = `{
  "resource": {
    "aws_vpc": { "main": { "cidr_block": "10.0.0.0/16" } },
    "aws_vpc_endpoint": {
      "s3": {
        "vpc_id": "\${aws_vpc.main.id}",
        "service_name": "com.amazonaws.eu-west-1.s3",
        "policy": "{\\"Statement\\": [{\\"Effect\\": \\"Allow\\", \\"Principal\\": \\"*\\", \\"Action\\": \\"*\\", \\"Resource\\": \\"*\\"}]}"
      },
      "dynamodb": {
        "vpc_id": "\${aws_vpc.main.id}",
        "service_name": "com.amazonaws.eu-west-1.dynamodb"
      }
    }
  }
}
`;

const plan = `{
  "format_version": "1.2",
  "planned_values": {"root_module": {"resources": [
    {"address": "aws_vpc_endpoint.s3", "mode": "managed", "type": "aws_vpc_endpoint", "name": "s3",
     "values": {"service_name": "com.amazonaws.eu-west-1.s3", "vpc_endpoint_type": "Gateway"}}
  ]}},
  "resource_changes": [{"address": "aws_vpc_endpoint.s3", "change": {"after_unknown": {"policy": true, "id": true}}}],
  "configuration": {"root_module": {"resources": [
    {"address": "aws_vpc_endpoint.s3", "mode": "managed", "type": "aws_vpc_endpoint", "name": "s3",
     "expressions": {"service_name": {"constant_value": "com.amazonaws.eu-west-1.s3"}}}
  ]}}
}
`;

const policyFile = `{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*" }
  ]
}
`;

ruleTester(vpcEndpointPolicyUnrestricted, {
  valid: [
    {
      name: 'restricted to the account; restricted to named resources; a Deny',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  S3:',
        '    Type: AWS::EC2::VPCEndpoint',
        '    Properties:',
        '      VpcId: vpc-1',
        '      ServiceName: com.amazonaws.eu-west-1.s3',
        '      PolicyDocument:',
        '        Statement:',
        "          - {Effect: Allow, Principal: '*', Action: '*', Resource: '*', Condition: {StringEquals: {'aws:PrincipalAccount': '111122223333'}}}",
        "          - {Effect: Allow, Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::my-bucket/*'}",
        "          - {Effect: Deny, Principal: '*', Action: '*', Resource: '*'}",
      ),
    },
    {
      name: 'CFN YAML: Allow "*" confined by a Deny unless the caller is in the organization',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  S3:',
        '    Type: AWS::EC2::VPCEndpoint',
        '    Properties:',
        '      VpcId: vpc-1',
        '      ServiceName: com.amazonaws.eu-west-1.s3',
        '      PolicyDocument:',
        '        Statement:',
        '          - Effect: Allow',
        "            Principal: '*'",
        "            Action: 's3:*'",
        "            Resource: '*'",
        '          - Effect: Deny',
        "            Principal: '*'",
        "            Action: '*'",
        "            Resource: '*'",
        '            Condition:',
        '              StringNotEquals: {aws:PrincipalOrgID: o-a1b2c3d4e5}',
      ),
    },
    {
      name: 'CFN YAML: the data-perimeter endpoint policy (aws:ResourceOrgID and aws:PrincipalOrgID)',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  S3:',
        '    Type: AWS::EC2::VPCEndpoint',
        '    Properties:',
        '      VpcId: vpc-1',
        '      ServiceName: com.amazonaws.eu-west-1.s3',
        '      PolicyDocument:',
        "        Version: '2012-10-17'",
        '        Statement:',
        '          - Sid: AllowRequestsToOrgResources',
        '            Effect: Allow',
        "            Principal: '*'",
        "            Action: '*'",
        "            Resource: '*'",
        '            Condition:',
        '              StringEquals:',
        '                aws:ResourceOrgID: o-a1b2c3d4e5',
      ),
    },
    {
      name: "TF JSON: an endpoint policy limited to the account's resources (aws:ResourceAccount)",
      file: 'main.tf.json',
      code:
        JSON.stringify(
          {
            resource: {
              aws_vpc_endpoint: {
                s3: {
                  vpc_id: 'vpc-1',
                  service_name: 'com.amazonaws.eu-west-1.s3',
                  policy: JSON.stringify({
                    Version: '2012-10-17',
                    Statement: [
                      {
                        Effect: 'Allow',
                        Principal: '*',
                        Action: 's3:*',
                        Resource: '*',
                        Condition: {
                          StringEquals: {
                            'aws:ResourceAccount': '${data.aws_caller_identity.current.account_id}',
                          },
                        },
                      },
                    ],
                  }),
                },
              },
            },
          },
          null,
          2,
        ) + '\n',
    },
    {
      name: 'Gateway Load Balancer endpoints take no policy',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  G: {Type: AWS::EC2::VPCEndpoint, Properties: {VpcId: vpc-1, VpcEndpointType: GatewayLoadBalancer, ServiceName: svc}}',
      ),
    },
    {
      name: 'CFN JSON with an org condition',
      file: 'template.json',
      code: cfnJson.replace(
        '"Resource": "*" }',
        '"Resource": "*", "Condition": { "StringEquals": { "aws:PrincipalOrgID": "o-abc123" } } }',
      ),
    },
    {
      name: 'Terraform: aws_vpc_endpoint_policy restricts the endpoint',
      file: 'main.tf.json',
      code: `{"resource": {
  "aws_vpc_endpoint": {"s3": {"vpc_id": "vpc-1", "service_name": "com.amazonaws.eu-west-1.s3"}},
  "aws_vpc_endpoint_policy": {"s3": {"vpc_endpoint_id": "\${aws_vpc_endpoint.s3.id}", "policy": "{\\"Statement\\": [{\\"Effect\\": \\"Allow\\", \\"Principal\\": \\"*\\", \\"Action\\": \\"*\\", \\"Resource\\": \\"arn:aws:s3:::mine/*\\"}]}"}}
}}
`,
    },
    {
      name: 'plan: the configuration sets a policy',
      file: 'plan.json',
      code: plan.replace(
        '"expressions": {',
        '"expressions": {"policy": {"references": ["data.aws_iam_policy_document.s3.json"]}, ',
      ),
    },
    {
      name: 'a standalone policy file not named as an endpoint policy',
      file: 'bucket-policy.json',
      code: policyFile,
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: no policy',
      file: 'template.yaml',
      code: absentYaml,
      errors: [
        {
          text: 'S3',
          line: 3,
          severity: 'info',
          message:
            "VPC endpoint S3 has no policy, so the default applies: full access for any principal to any resource of the service, including other accounts' resources. Add a policy restricted to your account (aws:PrincipalAccount) or organization.",
          fixes: [
            {
              title: 'Add a policy that allows only principals of this account (aws:PrincipalAccount)',
              output: lines(
                ...absentYaml.split('\n').slice(0, -1),
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
      name: 'CFN YAML: Principal * on every resource',
      file: 'template.yaml',
      code: openYaml,
      errors: [
        {
          text: "'*'",
          line: 10,
          message:
            'VPC endpoint S3 lets any principal (Principal "*") use it for any resource, with no condition: credentials of any AWS account work through it, including to move data out. Restrict it to your account (aws:PrincipalAccount) or organization, or to your own resources.',
          fixes: [
            {
              title: 'Allow only principals of this account (aws:PrincipalAccount)',
              output: lines(
                ...openYaml.split('\n').slice(0, -1),
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
      name: 'CFN JSON: {"AWS": "*"}',
      file: 'template.json',
      code: cfnJson,
      errors: [
        {
          text: '"*"',
          line: 10,
          fixes: [
            {
              title: 'Allow only principals of this account (aws:PrincipalAccount)',
              output: cfnJson.replace(
                '"Resource": "*" }',
                '"Resource": "*", "Condition": { "StringEquals": { "aws:PrincipalAccount": { "Ref": "AWS::AccountId" } } } }',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'Terraform JSON: an open policy string and an endpoint without policy (the VPC owner account)',
      file: 'main.tf.json',
      code: tfJson,
      errors: [
        {
          text: '\\"*\\"',
          line: 8,
          fixes: [
            {
              title: 'Allow only principals of this account (aws:PrincipalAccount)',
              output: tfJson.replace(
                '\\"Resource\\": \\"*\\"}',
                '\\"Resource\\": \\"*\\", \\"Condition\\": {\\"StringEquals\\": {\\"aws:PrincipalAccount\\": \\"${aws_vpc.main.owner_id}\\"}}}',
              ),
            },
          ],
        },
        {
          text: '"dynamodb"',
          line: 10,
          fixes: [
            {
              title: 'Add a policy that allows only principals of this account (aws:PrincipalAccount)',
              output: tfJson.replace(
                '"service_name": "com.amazonaws.eu-west-1.dynamodb"\n',
                '"service_name": "com.amazonaws.eu-west-1.dynamodb",\n        "policy": "{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[{\\"Effect\\":\\"Allow\\",\\"Principal\\":\\"*\\",\\"Action\\":\\"*\\",\\"Resource\\":\\"*\\",\\"Condition\\":{\\"StringEquals\\":{\\"aws:PrincipalAccount\\":\\"${aws_vpc.main.owner_id}\\"}}}]}"\n',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'plan: no policy in the configuration (no fixes)',
      file: 'plan.json',
      code: plan,
      errors: [{ text: '"aws_vpc_endpoint.s3"', line: 4, fixes: [] }],
    },
    {
      name: 'IAM: a standalone endpoint policy file (no fixes: the account is not known)',
      file: 'vpce-s3-policy.json',
      code: policyFile,
      errors: [{ text: '"*"', line: 4, message: /^This endpoint policy lets any principal/, fixes: [] }],
    },
  ],
});

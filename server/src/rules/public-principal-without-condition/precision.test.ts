// Precision (issue 14): realistic resource policies that are not public by AWS semantics, in
// every format, and findings that name the statement and say why its conditions do not restrict.

import { lines, ruleTester } from '../../testing/ruleTester';
import { publicPrincipalWithoutCondition } from './rule';

const json = (value: object): string => JSON.stringify(value, null, 2) + '\n';

const tf = (type: string, attribute: string, value: object, extra: object = {}): string =>
  json({ resource: { [type]: { this: { ...extra, [attribute]: JSON.stringify(value) } } } });

const plan = (type: string, value: object): string =>
  json({
    format_version: '1.2',
    planned_values: {
      root_module: {
        resources: [
          {
            address: `${type}.this`,
            mode: 'managed',
            type,
            name: 'this',
            values: { policy: JSON.stringify(value) },
          },
        ],
      },
    },
  });

/** The documented private API policy: Allow "*" to invoke, Deny unless through the endpoint. */
const privateApi = (resource: string): object => ({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: resource },
    {
      Effect: 'Deny',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: 'execute-api:/*',
      Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-0a1b2c3d4e5f67890' } },
    },
  ],
});

const functionUrl = (condition: object): object => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'FunctionURLAllowPublicAccess',
      Effect: 'Allow',
      Principal: '*',
      Action: 'lambda:InvokeFunctionUrl',
      Resource: 'arn:aws:lambda:eu-west-1:111122223333:function:orders',
      Condition: { StringEquals: condition },
    },
  ],
});

const blocklistApi = (fixed: boolean): object => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: 'execute-api:/*',
      ...(fixed ? { Condition: { StringEquals: { 'aws:PrincipalOrgID': '${var.organization_id}' } } } : {}),
    },
    {
      Effect: 'Deny',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: 'execute-api:/*',
      Condition: { IpAddress: { 'aws:SourceIp': ['198.51.100.0/24'] } },
    },
  ],
});

const openDomain = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 'es:*',
      Resource: 'arn:aws:es:eu-west-1:111122223333:domain/logs/*',
    },
  ] as object[],
};

const vpcDomain = [
  'Resources:',
  '  Logs:',
  '    Type: AWS::OpenSearchService::Domain',
  '    Properties:',
  '      VPCOptions:',
  '        SubnetIds: [subnet-1]',
  '        SecurityGroupIds: [sg-1]',
  '      AccessPolicies:',
  "        Version: '2012-10-17'",
  '        Statement:',
  '          - Effect: Allow',
  "            Principal: {AWS: '*'}",
  "            Action: 'es:*'",
  '            Resource: !Sub arn:aws:es:${AWS::Region}:${AWS::AccountId}:domain/logs/*',
];

ruleTester(publicPrincipalWithoutCondition, {
  valid: [
    {
      name: 'CFN YAML: private API Gateway API (Allow "*", Deny unless aws:SourceVpce)',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Api:',
        '    Type: AWS::ApiGateway::RestApi',
        '    Properties:',
        '      Name: orders',
        '      EndpointConfiguration: {Types: [PRIVATE]}',
        '      Policy:',
        "        Version: '2012-10-17'",
        '        Statement:',
        '          - Effect: Allow',
        "            Principal: '*'",
        '            Action: execute-api:Invoke',
        '            Resource: execute-api:/*',
        '          - Effect: Deny',
        "            Principal: '*'",
        '            Action: execute-api:Invoke',
        '            Resource: execute-api:/*',
        '            Condition:',
        '              StringNotEquals:',
        '                aws:SourceVpce: !Ref ApiEndpoint',
      ),
    },
    {
      name: 'CFN YAML: KMS key policy for a service through kms:ViaService and kms:CallerAccount',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Key:',
        '    Type: AWS::KMS::Key',
        '    Properties:',
        '      KeyPolicy:',
        "        Version: '2012-10-17'",
        '        Statement:',
        '          - Sid: AllowAdmins',
        '            Effect: Allow',
        '            Principal: {AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}',
        "            Action: 'kms:*'",
        "            Resource: '*'",
        '          - Sid: AllowViaSecretsManager',
        '            Effect: Allow',
        "            Principal: {AWS: '*'}",
        '            Action: [kms:Decrypt, kms:GenerateDataKey*, kms:DescribeKey]',
        "            Resource: '*'",
        '            Condition:',
        '              StringEquals:',
        '                kms:CallerAccount: !Ref AWS::AccountId',
        '                kms:ViaService: !Sub secretsmanager.${AWS::Region}.amazonaws.com',
      ),
    },
    {
      name: "CFN JSON: a bucket policy that delegates access control to the account's access points",
      file: 'template.json',
      code: json({
        Resources: {
          Policy: {
            Type: 'AWS::S3::BucketPolicy',
            Properties: {
              Bucket: { Ref: 'Bucket' },
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Principal: { AWS: '*' },
                    Action: '*',
                    Resource: [{ 'Fn::GetAtt': ['Bucket', 'Arn'] }, { 'Fn::Sub': '${Bucket.Arn}/*' }],
                    Condition: { StringEquals: { 's3:DataAccessPointAccount': { Ref: 'AWS::AccountId' } } },
                  },
                ],
              },
            },
          },
        },
      }),
    },
    {
      name: 'TF JSON: aws_api_gateway_rest_api_policy with the private API pattern',
      file: 'main.tf.json',
      code: tf('aws_api_gateway_rest_api_policy', 'policy', privateApi('execute-api:/*/*/*'), {
        rest_api_id: '${aws_api_gateway_rest_api.orders.id}',
      }),
    },
    {
      name: 'TF JSON: an SNS topic policy for S3 events pinned with aws:SourceArn and aws:SourceAccount',
      file: 'main.tf.json',
      code: tf('aws_sns_topic_policy', 'policy', {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: 'SNS:Publish',
            Resource: '${aws_sns_topic.events.arn}',
            Condition: {
              ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::example-uploads' },
              StringEquals: { 'aws:SourceAccount': '111122223333' },
            },
          },
        ],
      }),
    },
    {
      name: 'plan: a KMS key policy restricted by kms:CallerAccount',
      file: 'plan.json',
      code: plan('aws_kms_key_policy', {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: ['kms:Encrypt', 'kms:Decrypt'],
            Resource: '*',
            Condition: {
              StringEquals: {
                'kms:CallerAccount': '111122223333',
                'kms:ViaService': 'ebs.eu-west-1.amazonaws.com',
              },
            },
          },
        ],
      }),
    },
    {
      name: 'standalone: a Lambda function URL policy for IAM-authenticated callers',
      file: 'function-url-policy.json',
      code: json({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: '*',
            Action: 'lambda:InvokeFunctionUrl',
            Resource: 'arn:aws:lambda:eu-west-1:111122223333:function:orders',
            Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } },
          },
        ],
      }),
    },
    {
      name: 'standalone: a private API whose Allow names the full ARN and whose Deny uses the short form',
      file: 'api-policy.json',
      code: json(privateApi('arn:aws:execute-api:eu-west-1:111122223333:a1b2c3d4e5/prod/GET/orders')),
    },
    {
      name: 'standalone: a queue policy whose Deny applies unless the organization, with an AWS service exception',
      file: 'queue-policy.json',
      code: json({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'Consumers',
            Effect: 'Allow',
            Principal: '*',
            Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'],
            Resource: 'arn:aws:sqs:eu-west-1:111122223333:jobs',
          },
          {
            Sid: 'OnlyOrganization',
            Effect: 'Deny',
            Principal: '*',
            Action: 'sqs:*',
            Resource: 'arn:aws:sqs:eu-west-1:111122223333:jobs',
            Condition: {
              StringNotEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' },
              BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
            },
          },
        ],
      }),
    },
    {
      name: 'CFN YAML: an OpenSearch domain with fine-grained access control and an open access policy (the documented setup)',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Search:',
        '    Type: AWS::OpenSearchService::Domain',
        '    Properties:',
        '      AdvancedSecurityOptions:',
        '        Enabled: true',
        '        InternalUserDatabaseEnabled: true',
        '      AccessPolicies:',
        "        Version: '2012-10-17'",
        '        Statement:',
        '          - Effect: Allow',
        "            Principal: {AWS: '*'}",
        "            Action: 'es:ESHttp*'",
        '            Resource: !Sub arn:aws:es:${AWS::Region}:${AWS::AccountId}:domain/search/*',
      ),
    },
    {
      name: 'TF JSON: the same with advanced_security_options',
      file: 'main.tf.json',
      code: json({
        resource: {
          aws_opensearch_domain: {
            search: {
              domain_name: 'search',
              advanced_security_options: [{ enabled: true, internal_user_database_enabled: true }],
              access_policies: JSON.stringify(openDomain),
            },
          },
        },
      }),
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: an open access policy on a VPC domain is a warning: reachable from the VPC, unsigned',
      file: 'template.yaml',
      code: lines(...vpcDomain),
      errors: [
        {
          text: "'*'",
          line: 12,
          severity: 'warning',
          message:
            'Statement 1 allows everyone (Principal "*") to es:*, but the domain is in a VPC (VPCOptions): it is reachable from anything that can route to the VPC, and callers there need not sign requests, so its security groups are the only control. Name the principals, or add a condition on aws:PrincipalAccount, to require signed requests from your accounts.',
          fixes: [
            {
              title:
                'Allow only principals of your organization (aws:PrincipalOrgID = new parameter OrganizationId)',
              output: lines(
                'Parameters:',
                '  OrganizationId:',
                '    Type: String',
                '    Description: AWS Organizations id (o-...) whose principals may use this resource.',
                "    AllowedPattern: '^o-[a-z0-9]{10,32}$'",
                ...vpcDomain,
                '            Condition:',
                '              StringEquals:',
                '                aws:PrincipalOrgID: !Ref OrganizationId',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'TF JSON: the same with vpc_options',
      file: 'main.tf.json',
      code: json({
        resource: {
          aws_opensearch_domain: {
            logs: {
              domain_name: 'logs',
              vpc_options: [{ subnet_ids: ['subnet-1'], security_group_ids: ['sg-1'] }],
              access_policies: JSON.stringify(openDomain),
            },
          },
        },
      }),
      errors: [
        {
          text: '\\"*\\"',
          line: 16,
          severity: 'warning',
          message:
            /^Statement 1 allows everyone \(Principal "\*"\) to es:\*, but the domain is in a VPC \(vpc_options\)/,
          fixes: [
            {
              title:
                'Allow only principals of your organization (aws:PrincipalOrgID = new variable organization_id)',
              output: json({
                variable: {
                  organization_id: {
                    type: 'string',
                    description: 'AWS Organizations id (o-...) whose principals may use this resource.',
                  },
                },
                resource: {
                  aws_opensearch_domain: {
                    logs: {
                      domain_name: 'logs',
                      vpc_options: [{ subnet_ids: ['subnet-1'], security_group_ids: ['sg-1'] }],
                      access_policies: JSON.stringify({
                        Version: '2012-10-17',
                        Statement: [
                          {
                            ...(openDomain.Statement[0] as object),
                            Condition: { StringEquals: { 'aws:PrincipalOrgID': '${var.organization_id}' } },
                          },
                        ],
                      }),
                    },
                  },
                },
              }),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN YAML: a KMS key policy pinned only by kms:ViaService is open to every account using that service',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Key:',
        '    Type: AWS::KMS::Key',
        '    Properties:',
        '      KeyPolicy:',
        "        Version: '2012-10-17'",
        '        Statement:',
        '          - Sid: ViaS3',
        '            Effect: Allow',
        "            Principal: {AWS: '*'}",
        '            Action: kms:Decrypt',
        "            Resource: '*'",
        '            Condition:',
        '              StringEquals:',
        '                kms:ViaService: !Sub s3.${AWS::Region}.amazonaws.com',
      ),
      errors: [
        {
          text: "'*'",
          line: 10,
          message:
            'Statement "ViaS3" allows everyone (Principal "*") to kms:Decrypt: anyone (any AWS account, and anonymous callers where the service allows them) can use it. Its conditions do not restrict the caller: kms:ViaService limits the caller to requests made through the listed AWS services, not to an account: pair it with kms:CallerAccount. Restrict it with a condition on aws:PrincipalOrgID, aws:PrincipalAccount, aws:SourceVpce or aws:SourceArn, or name the principals.',
          fixes: [
            {
              title:
                'Allow only principals of your organization (aws:PrincipalOrgID = new parameter OrganizationId)',
              output: lines(
                'Parameters:',
                '  OrganizationId:',
                '    Type: String',
                '    Description: AWS Organizations id (o-...) whose principals may use this resource.',
                "    AllowedPattern: '^o-[a-z0-9]{10,32}$'",
                'Resources:',
                '  Key:',
                '    Type: AWS::KMS::Key',
                '    Properties:',
                '      KeyPolicy:',
                "        Version: '2012-10-17'",
                '        Statement:',
                '          - Sid: ViaS3',
                '            Effect: Allow',
                "            Principal: {AWS: '*'}",
                '            Action: kms:Decrypt',
                "            Resource: '*'",
                '            Condition:',
                '              StringEquals:',
                '                kms:ViaService: !Sub s3.${AWS::Region}.amazonaws.com',
                '                aws:PrincipalOrgID: !Ref OrganizationId',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'standalone: a function URL policy for auth type NONE is public',
      file: 'function-url-policy.json',
      code: json(functionUrl({ 'lambda:FunctionUrlAuthType': 'NONE' })),
      errors: [
        {
          text: '"*"',
          line: 7,
          message:
            'Statement "FunctionURLAllowPublicAccess" allows everyone (Principal "*") to lambda:InvokeFunctionUrl: anyone (any AWS account, and anonymous callers where the service allows them) can use it. Its conditions do not restrict the caller: lambda:FunctionUrlAuthType "NONE" does not restrict the caller (only AWS_IAM does). Restrict it with a condition on aws:PrincipalOrgID, aws:PrincipalAccount, aws:SourceVpce or aws:SourceArn, or name the principals.',
          fixes: [
            {
              title:
                'Allow only principals of your organization (aws:PrincipalOrgID, replace the placeholder o-xxxxxxxxxx)',
              output: json(
                functionUrl({ 'lambda:FunctionUrlAuthType': 'NONE', 'aws:PrincipalOrgID': 'o-xxxxxxxxxx' }),
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'TF JSON: a Deny of listed addresses (a blocklist) does not confine an API open to everyone',
      file: 'main.tf.json',
      code: tf('aws_api_gateway_rest_api_policy', 'policy', blocklistApi(false), {
        rest_api_id: '${aws_api_gateway_rest_api.orders.id}',
      }),
      errors: [
        {
          text: '\\"*\\"',
          line: 6,
          message:
            'Statement 1 allows everyone (Principal "*") to execute-api:Invoke: anyone (any AWS account, and anonymous callers where the service allows them) can use it. It has no condition on the caller or network, and no Deny in the policy confines it. Restrict it with a condition on aws:SourceVpce, aws:SourceVpc or aws:SourceIp (or a Deny unless one of them matches), or name the principals.',
          fixes: [
            {
              title:
                'Allow only principals of your organization (aws:PrincipalOrgID = new variable organization_id)',
              output: json({
                variable: {
                  organization_id: {
                    type: 'string',
                    description: 'AWS Organizations id (o-...) whose principals may use this resource.',
                  },
                },
                resource: {
                  aws_api_gateway_rest_api_policy: {
                    this: {
                      rest_api_id: '${aws_api_gateway_rest_api.orders.id}',
                      policy: JSON.stringify(blocklistApi(true)),
                    },
                  },
                },
              }),
            },
          ],
        },
      ],
    },
    {
      name: 'plan: kms:ViaService alone does not pin the account',
      file: 'plan.json',
      code: plan('aws_kms_key_policy', {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ViaS3',
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: 'kms:Decrypt',
            Resource: '*',
            Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
          },
        ],
      }),
      errors: [
        {
          text: '\\"*\\"',
          line: 12,
          message:
            'Statement "ViaS3" allows everyone (Principal "*") to kms:Decrypt: anyone (any AWS account, and anonymous callers where the service allows them) can use it. Its conditions do not restrict the caller: kms:ViaService limits the caller to requests made through the listed AWS services, not to an account: pair it with kms:CallerAccount. Restrict it with a condition on aws:PrincipalOrgID, aws:PrincipalAccount, aws:SourceVpce or aws:SourceArn, or name the principals.',
          fixes: [],
        },
      ],
    },
    {
      name: 'plan: a private API Deny with StringNotEqualsIfExists does not confine the Allow',
      file: 'plan.json',
      code: plan('aws_api_gateway_rest_api_policy', {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
          {
            Effect: 'Deny',
            Principal: '*',
            Action: 'execute-api:Invoke',
            Resource: 'execute-api:/*',
            Condition: { StringNotEqualsIfExists: { 'aws:SourceVpce': 'vpce-1' } },
          },
        ],
      }),
      errors: [
        {
          text: '\\"*\\"',
          line: 12,
          message:
            'Statement 1 allows everyone (Principal "*") to execute-api:Invoke: anyone (any AWS account, and anonymous callers where the service allows them) can use it. It has no condition on the caller or network, and no Deny in the policy confines it. Restrict it with a condition on aws:SourceVpce, aws:SourceVpc or aws:SourceIp (or a Deny unless one of them matches), or name the principals.',
          fixes: [],
        },
      ],
    },
    {
      name: 'plan: a Lambda function URL with auth type NONE is public',
      file: 'plan.json',
      code: plan('aws_lambda_function_url_policy', {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'FunctionURLAllowPublicAccess',
            Effect: 'Allow',
            Principal: '*',
            Action: 'lambda:InvokeFunctionUrl',
            Resource: 'arn:aws:lambda:eu-west-1:111122223333:function:orders',
            Condition: {
              StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' },
              Bool: { 'aws:SecureTransport': 'true' },
            },
          },
        ],
      }),
      errors: [
        {
          text: '\\"*\\"',
          line: 12,
          message:
            'Statement "FunctionURLAllowPublicAccess" allows everyone (Principal "*") to lambda:InvokeFunctionUrl: anyone (any AWS account, and anonymous callers where the service allows them) can use it. Its conditions do not restrict the caller: lambda:FunctionUrlAuthType "NONE" does not restrict the caller (only AWS_IAM does); aws:SecureTransport does not limit who calls or from where. Restrict it with a condition on aws:PrincipalOrgID, aws:PrincipalAccount, aws:SourceVpce or aws:SourceArn, or name the principals.',
          fixes: [],
        },
      ],
    },
  ],
});

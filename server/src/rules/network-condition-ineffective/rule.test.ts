import { lines, ruleTester } from '../../testing/ruleTester';
import { networkConditionIneffective } from './rule';

const policy = (statements: object[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2) + '\n';

const tf = (type: string, attribute: string, value: object, extra: object = {}): string =>
  JSON.stringify(
    { resource: { [type]: { this: { ...extra, [attribute]: JSON.stringify(value) } } } },
    null,
    2,
  ) + '\n';

const plan = (type: string, value: object): string =>
  JSON.stringify(
    {
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
    },
    null,
    2,
  ) + '\n';

const read = {
  Effect: 'Allow',
  Principal: '*',
  Action: 's3:GetObject',
  Resource: 'arn:aws:s3:::example/*',
};

const denyOutsideEndpoint = {
  Sid: 'OnlyThroughEndpoint',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: ['arn:aws:s3:::example', 'arn:aws:s3:::example/*'],
};

ruleTester(networkConditionIneffective, {
  valid: [
    {
      name: 'conditions that do what they say',
      file: 'policy.json',
      code: policy([
        { ...read, Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } },
        { ...read, Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32'] } } },
        { ...read, Condition: { 'ForAnyValue:StringLike': { 'aws:CalledVia': 'athena.amazonaws.com' } } },
        { ...read, Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'env'] } } },
        { ...read, Condition: { NotIpAddress: { 'aws:VpcSourceIp': '10.0.0.0/8' } } },
        {
          ...denyOutsideEndpoint,
          Condition: {
            StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' },
            BoolIfExists: { 'aws:PrincipalIsAWSService': 'false', 'aws:ViaAWSService': 'false' },
          },
        },
      ]),
    },
    {
      name: 'CloudFormation YAML: a Deny with one service exception',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  BucketPolicy:',
        '    Type: AWS::S3::BucketPolicy',
        '    Properties:',
        '      Bucket: example',
        '      PolicyDocument:',
        "        Version: '2012-10-17'",
        '        Statement:',
        '          - Effect: Deny',
        "            Principal: '*'",
        "            Action: 's3:*'",
        "            Resource: 'arn:aws:s3:::example/*'",
        '            Condition:',
        '              StringNotEqualsIfExists:',
        '                aws:SourceVpc: !Ref VpcId',
        '              Bool:',
        "                aws:ViaAWSService: 'false'",
        'Parameters:',
        '  VpcId:',
        '    Type: String',
      ),
    },
    {
      name: 'CloudFormation JSON: public ranges in aws:SourceIp',
      file: 'template.json',
      code:
        JSON.stringify(
          {
            Resources: {
              BucketPolicy: {
                Type: 'AWS::S3::BucketPolicy',
                Properties: {
                  Bucket: 'example',
                  PolicyDocument: {
                    Version: '2012-10-17',
                    Statement: [{ ...read, Condition: { IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } } }],
                  },
                },
              },
            },
          },
          null,
          2,
        ) + '\n',
    },
    {
      name: 'Terraform JSON: an unknown value is not a finding',
      file: 'main.tf.json',
      code: tf('aws_s3_bucket_policy', 'policy', {
        Version: '2012-10-17',
        Statement: [{ ...read, Condition: { IpAddress: { 'aws:SourceIp': '${var.office_cidr}' } } }],
      }),
    },
    {
      name: 'plan',
      file: 'plan.json',
      code: plan('aws_s3_bucket_policy', {
        Version: '2012-10-17',
        Statement: [{ ...read, Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } }],
      }),
    },
  ],
  invalid: [
    {
      name: 'standalone: ForAllValues:StringEquals on aws:SourceVpce lets every request without an endpoint through',
      file: 'policy.json',
      code: policy([
        { ...read, Condition: { 'ForAllValues:StringEquals': { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } },
      ]),
      errors: [
        {
          text: '"ForAllValues:StringEquals"',
          line: 10,
          message:
            'Statement 1: ForAllValues:StringEquals on aws:SourceVpce, which has a single value per request: ForAllValues: is also true when the request has no aws:SourceVpce at all (every request that does not come through a VPC endpoint), so the Allow lets those requests through. Use StringEquals.',
          fixes: [
            {
              title: 'Change ForAllValues:StringEquals to StringEquals',
              output: policy([
                { ...read, Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } },
              ]),
            },
          ],
        },
      ],
    },
    {
      name: 'standalone: string operators on aws:SourceIp, NotIpAddress with a private range',
      file: 'policy.json',
      code: policy([
        { ...read, Condition: { StringEquals: { 'aws:SourceIp': ['203.0.113.0/24', '198.51.100.7'] } } },
        {
          ...read,
          Effect: 'Deny',
          Condition: { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '203.0.113.0/24'] } },
        },
        { ...read, Condition: { StringLike: { 'aws:SourceIp': '203.0.113.*' } } },
      ]),
      errors: [
        {
          text: '"aws:SourceIp"',
          line: 11,
          message:
            'Statement 1: StringEquals compares aws:SourceIp as text, so CIDR ranges such as 203.0.113.0/24 never match and wildcards match by characters, not by network. Use IpAddress.',
          fixes: [
            {
              title: 'Change StringEquals to IpAddress',
              output: policy([
                { ...read, Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '198.51.100.7'] } } },
                {
                  ...read,
                  Effect: 'Deny',
                  Condition: { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '203.0.113.0/24'] } },
                },
                { ...read, Condition: { StringLike: { 'aws:SourceIp': '203.0.113.*' } } },
              ]),
            },
          ],
        },
        {
          text: '"10.0.0.0/8"',
          line: 26,
          message:
            'Statement 2: 10.0.0.0/8 is a private range, but aws:SourceIp only ever carries public addresses: requests from a VPC through an endpoint have no aws:SourceIp (they carry aws:VpcSourceIp), and requests through a NAT or internet gateway carry its public address. So this NotIpAddress matches every request. Use aws:VpcSourceIp with aws:SourceVpc for private addresses.',
          fixes: [],
        },
        {
          text: '"aws:SourceIp"',
          line: 39,
          message: /^Statement 3: StringLike compares aws:SourceIp as text/,
          fixes: [],
        },
      ],
    },
    {
      name: 'CloudFormation YAML: Deny without a service exception, private ranges, ForAnyValue on a single-valued key',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  BucketPolicy:',
        '    Type: AWS::S3::BucketPolicy',
        '    Properties:',
        '      Bucket: example',
        '      PolicyDocument:',
        "        Version: '2012-10-17'",
        '        Statement:',
        '          - Sid: OnlyThroughEndpoint',
        '            Effect: Deny',
        "            Principal: '*'",
        "            Action: 's3:*'",
        '            Resource:',
        '              - arn:aws:s3:::example',
        '              - arn:aws:s3:::example/*',
        '            Condition:',
        '              StringNotEquals:',
        '                aws:SourceVpce: vpce-1a2b3c4d',
        '          - Sid: Office',
        '            Effect: Allow',
        '            Principal: { AWS: arn:aws:iam::111122223333:root }',
        '            Action: s3:GetObject',
        '            Resource: arn:aws:s3:::example/*',
        '            Condition:',
        '              IpAddress:',
        '                aws:SourceIp: [10.0.0.0/8, 172.16.0.0/12]',
        '              ForAnyValue:StringEquals:',
        "                aws:PrincipalAccount: '111122223333'",
      ),
      errors: [
        {
          text: 'aws:SourceVpce',
          line: 18,
          message:
            'Statement "OnlyThroughEndpoint" denies every request that does not come through the listed endpoint, including requests AWS services make for you (CloudTrail or Config delivering logs, replication, services using forward access sessions): those never carry aws:SourceVpce. Add an exception: "BoolIfExists": {"aws:PrincipalIsAWSService": "false", "aws:ViaAWSService": "false"}.',
          fixes: [
            {
              title: 'Exempt requests made by AWS services (aws:PrincipalIsAWSService, aws:ViaAWSService)',
              output: lines(
                'Resources:',
                '  BucketPolicy:',
                '    Type: AWS::S3::BucketPolicy',
                '    Properties:',
                '      Bucket: example',
                '      PolicyDocument:',
                "        Version: '2012-10-17'",
                '        Statement:',
                '          - Sid: OnlyThroughEndpoint',
                '            Effect: Deny',
                "            Principal: '*'",
                "            Action: 's3:*'",
                '            Resource:',
                '              - arn:aws:s3:::example',
                '              - arn:aws:s3:::example/*',
                '            Condition:',
                '              StringNotEquals:',
                '                aws:SourceVpce: vpce-1a2b3c4d',
                '              BoolIfExists:',
                "                aws:PrincipalIsAWSService: 'false'",
                "                aws:ViaAWSService: 'false'",
                '          - Sid: Office',
                '            Effect: Allow',
                '            Principal: { AWS: arn:aws:iam::111122223333:root }',
                '            Action: s3:GetObject',
                '            Resource: arn:aws:s3:::example/*',
                '            Condition:',
                '              IpAddress:',
                '                aws:SourceIp: [10.0.0.0/8, 172.16.0.0/12]',
                '              ForAnyValue:StringEquals:',
                "                aws:PrincipalAccount: '111122223333'",
              ),
            },
          ],
        },
        ...['10.0.0.0/8', '172.16.0.0/12'].map((text) => ({
          text,
          line: 26,
          message: new RegExp(
            `^Statement "Office": ${text.replace(/\./g, '\\.')} is a private range, but aws:SourceIp only ever carries public addresses`,
          ),
          fixes: [
            {
              title: 'Compare the private address instead (aws:VpcSourceIp)',
              output: lines(
                'Resources:',
                '  BucketPolicy:',
                '    Type: AWS::S3::BucketPolicy',
                '    Properties:',
                '      Bucket: example',
                '      PolicyDocument:',
                "        Version: '2012-10-17'",
                '        Statement:',
                '          - Sid: OnlyThroughEndpoint',
                '            Effect: Deny',
                "            Principal: '*'",
                "            Action: 's3:*'",
                '            Resource:',
                '              - arn:aws:s3:::example',
                '              - arn:aws:s3:::example/*',
                '            Condition:',
                '              StringNotEquals:',
                '                aws:SourceVpce: vpce-1a2b3c4d',
                '          - Sid: Office',
                '            Effect: Allow',
                '            Principal: { AWS: arn:aws:iam::111122223333:root }',
                '            Action: s3:GetObject',
                '            Resource: arn:aws:s3:::example/*',
                '            Condition:',
                '              IpAddress:',
                '                aws:VpcSourceIp: [10.0.0.0/8, 172.16.0.0/12]',
                '              ForAnyValue:StringEquals:',
                "                aws:PrincipalAccount: '111122223333'",
              ),
            },
          ],
        })),
      ],
    },
    {
      name: 'CloudFormation YAML: a private range from a parameter default is reported at the use, without a fix',
      file: 'template.yaml',
      code: lines(
        'Parameters:',
        '  OfficeCidr:',
        '    Type: String',
        '    Default: 192.168.0.0/16',
        'Resources:',
        '  Key:',
        '    Type: AWS::KMS::Key',
        '    Properties:',
        '      KeyPolicy:',
        "        Version: '2012-10-17'",
        '        Statement:',
        '          - Effect: Allow',
        "            Principal: { AWS: '111122223333' }",
        '            Action: kms:Decrypt',
        "            Resource: '*'",
        '            Condition:',
        '              IpAddress:',
        '                aws:SourceIp: !Ref OfficeCidr',
      ),
      errors: [
        {
          text: '!Ref OfficeCidr',
          line: 18,
          message: /^Statement 1: 192\.168\.0\.0\/16 \(the default of OfficeCidr\) is a private range/,
          related: ['Default of OfficeCidr'],
          fixes: [],
        },
      ],
    },
    {
      name: 'CloudFormation JSON: ForAllValues on aws:SourceVpc',
      file: 'template.json',
      code: lines(
        '{',
        '  "Resources": {',
        '    "QueuePolicy": {',
        '      "Type": "AWS::SQS::QueuePolicy",',
        '      "Properties": {',
        '        "Queues": ["q"],',
        '        "PolicyDocument": {',
        '          "Version": "2012-10-17",',
        '          "Statement": [{',
        '            "Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": "*",',
        '            "Condition": { "ForAllValues:StringEquals": { "aws:SourceVpc": "vpc-1" } }',
        '          }]',
        '        }',
        '      }',
        '    }',
        '  }',
        '}',
      ),
      errors: [
        {
          text: '"ForAllValues:StringEquals"',
          line: 11,
          fixes: [
            {
              title: 'Change ForAllValues:StringEquals to StringEquals',
              output: lines(
                '{',
                '  "Resources": {',
                '    "QueuePolicy": {',
                '      "Type": "AWS::SQS::QueuePolicy",',
                '      "Properties": {',
                '        "Queues": ["q"],',
                '        "PolicyDocument": {',
                '          "Version": "2012-10-17",',
                '          "Statement": [{',
                '            "Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": "*",',
                '            "Condition": { "StringEquals": { "aws:SourceVpc": "vpc-1" } }',
                '          }]',
                '        }',
                '      }',
                '    }',
                '  }',
                '}',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'Terraform JSON: ranges and fixes inside the policy string',
      file: 'main.tf.json',
      code: tf(
        'aws_s3_bucket_policy',
        'policy',
        {
          Version: '2012-10-17',
          Statement: [
            { ...read, Condition: { 'ForAllValues:StringEquals': { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } },
            { ...denyOutsideEndpoint, Condition: { StringNotEquals: { 'aws:SourceVpc': 'vpc-1' } } },
          ],
        },
        { bucket: 'example' },
      ),
      errors: [
        {
          text: '\\"ForAllValues:StringEquals\\"',
          line: 6,
          fixes: [
            {
              title: 'Change ForAllValues:StringEquals to StringEquals',
              output: tf(
                'aws_s3_bucket_policy',
                'policy',
                {
                  Version: '2012-10-17',
                  Statement: [
                    { ...read, Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } },
                    { ...denyOutsideEndpoint, Condition: { StringNotEquals: { 'aws:SourceVpc': 'vpc-1' } } },
                  ],
                },
                { bucket: 'example' },
              ),
            },
          ],
        },
        {
          text: '\\"aws:SourceVpc\\"',
          line: 6,
          message:
            /^Statement "OnlyThroughEndpoint" denies every request that does not come through the listed VPC/,
          fixes: [
            {
              title: 'Exempt requests made by AWS services (aws:PrincipalIsAWSService, aws:ViaAWSService)',
              output: tf(
                'aws_s3_bucket_policy',
                'policy',
                {
                  Version: '2012-10-17',
                  Statement: [
                    {
                      ...read,
                      Condition: { 'ForAllValues:StringEquals': { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
                    },
                    {
                      ...denyOutsideEndpoint,
                      Condition: {
                        StringNotEquals: { 'aws:SourceVpc': 'vpc-1' },
                        BoolIfExists: { 'aws:PrincipalIsAWSService': 'false', 'aws:ViaAWSService': 'false' },
                      },
                    },
                  ],
                },
                { bucket: 'example' },
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'plan: reported inside the string, never fixed',
      file: 'plan.json',
      code: plan('aws_s3_bucket_policy', {
        Version: '2012-10-17',
        Statement: [{ ...read, Condition: { 'ForAllValues:StringEquals': { 'aws:SourceVpce': 'vpce-1' } } }],
      }),
      errors: [{ text: '\\"ForAllValues:StringEquals\\"', line: 12, fixes: [] }],
    },
  ],
});

import { lines, ruleTester } from '../../testing/ruleTester';
import { servicePubliclyAccessible } from './rule';

const cfnYaml = lines(
  'Resources:',
  '  Broker:',
  '    Type: AWS::AmazonMQ::Broker',
  '    Properties:',
  '      EngineType: ACTIVEMQ',
  '      PubliclyAccessible: true',
  '  Kafka:',
  '    Type: AWS::MSK::Cluster',
  '    Properties:',
  '      BrokerNodeGroupInfo:',
  '        ConnectivityInfo:',
  '          PublicAccess:',
  '            Type: SERVICE_PROVIDED_EIPS',
  '  Search:',
  '    Type: AWS::OpenSearchService::Domain',
  '    Properties:',
  '      EngineVersion: OpenSearch_2.13',
  '  Notebook:',
  '    Type: AWS::SageMaker::NotebookInstance',
  '    Properties:',
  '      InstanceType: ml.t3.medium',
  '      SubnetId: subnet-1',
  '  Url:',
  '    Type: AWS::Lambda::Url',
  '    Properties:',
  '      TargetFunctionArn: arn:aws:lambda:eu-west-1:111122223333:function:f',
  '      AuthType: NONE',
);

const privateYaml = lines(
  'Resources:',
  '  Broker: {Type: AWS::AmazonMQ::Broker, Properties: {EngineType: ACTIVEMQ, PubliclyAccessible: false}}',
  '  Kafka: {Type: AWS::MSK::Cluster, Properties: {BrokerNodeGroupInfo: {ConnectivityInfo: {PublicAccess: {Type: DISABLED}}}}}',
  '  Search: {Type: AWS::OpenSearchService::Domain, Properties: {VPCOptions: {SubnetIds: [subnet-1]}}}',
  '  Notebook: {Type: AWS::SageMaker::NotebookInstance, Properties: {InstanceType: ml.t3.medium, SubnetId: subnet-1, DirectInternetAccess: Disabled}}',
  '  Url: {Type: AWS::Lambda::Url, Properties: {TargetFunctionArn: f, AuthType: AWS_IAM}}',
);

const cfnJson = `{
  "Resources": {
    "Notebook": {
      "Type": "AWS::SageMaker::NotebookInstance",
      "Properties": { "InstanceType": "ml.t3.medium" }
    }
  }
}
`;

const tfJson = `{
  "resource": {
    "aws_mq_broker": { "b": { "broker_name": "b", "publicly_accessible": true } },
    "aws_msk_cluster": {
      "k": {
        "cluster_name": "k",
        "broker_node_group_info": {
          "connectivity_info": { "public_access": { "type": "SERVICE_PROVIDED_EIPS" } }
        }
      }
    },
    "aws_opensearch_domain": { "s": { "domain_name": "s" } },
    "aws_sagemaker_notebook_instance": { "n": { "name": "n", "instance_type": "ml.t3.medium", "subnet_id": "subnet-1" } },
    "aws_lambda_function_url": { "u": { "function_name": "f", "authorization_type": "NONE" } }
  }
}
`;

const plan = `{
  "format_version": "1.2",
  "planned_values": {"root_module": {"resources": [
    {"address": "aws_opensearch_domain.s", "mode": "managed", "type": "aws_opensearch_domain", "name": "s",
     "values": {"domain_name": "s", "vpc_options": []}},
    {"address": "aws_opensearch_domain.p", "mode": "managed", "type": "aws_opensearch_domain", "name": "p",
     "values": {"domain_name": "p", "vpc_options": [{"subnet_ids": ["subnet-1"]}]}}
  ]}}
}
`;

const SEARCH_WHY =
  'the domain gets a public endpoint, guarded only by its access policy. Create it in a VPC (VPCOptions with subnets and security groups); that replaces the domain.';

ruleTester(servicePubliclyAccessible, {
  valid: [
    { name: 'all private', file: 'template.yaml', code: privateYaml },
    {
      name: 'unknown values are not findings',
      file: 'template.yaml',
      code: lines(
        'Parameters:',
        '  Auth: {Type: String}',
        'Resources:',
        '  Url: {Type: AWS::Lambda::Url, Properties: {TargetFunctionArn: f, AuthType: !Ref Auth}}',
      ),
    },
    {
      name: 'CFN JSON notebook without internet access',
      file: 'template.json',
      code: cfnJson.replace(
        '"ml.t3.medium" }',
        '"ml.t3.medium", "SubnetId": "subnet-1", "DirectInternetAccess": "Disabled" }',
      ),
    },
    {
      name: 'Terraform defaults: MQ and MSK private; explicit safe values',
      file: 'main.tf.json',
      code: `{"resource": {
  "aws_mq_broker": {"b": {"broker_name": "b"}},
  "aws_opensearch_domain": {"s": {"domain_name": "s", "vpc_options": {"subnet_ids": ["subnet-1"]}}},
  "aws_sagemaker_notebook_instance": {"n": {"name": "n", "direct_internet_access": "Disabled", "subnet_id": "subnet-1"}},
  "aws_lambda_function_url": {"u": {"function_name": "f", "authorization_type": "AWS_IAM"}}
}}
`,
    },
    {
      name: 'plan: a domain in a VPC',
      file: 'plan.json',
      code: plan.replace('"vpc_options": []', '"vpc_options": [{"subnet_ids": ["subnet-2"]}]'),
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: every service',
      file: 'template.yaml',
      code: cfnYaml,
      errors: [
        {
          text: 'true',
          line: 6,
          severity: 'warning',
          message:
            'Amazon MQ broker Broker is open to the internet (PubliclyAccessible: true): the broker gets public endpoints reachable from the internet (it cannot be made private later without replacing it). Set it to false and reach the broker from inside the VPC.',
          fixes: [
            {
              title: 'Set PubliclyAccessible to false',
              output: cfnYaml.replace('PubliclyAccessible: true', 'PubliclyAccessible: false'),
            },
          ],
        },
        {
          text: 'SERVICE_PROVIDED_EIPS',
          line: 13,
          message: /^MSK cluster Kafka is open to the internet \(PublicAccess Type: SERVICE_PROVIDED_EIPS\)/,
          fixes: [
            {
              title: 'Set Type to DISABLED',
              output: cfnYaml.replace('Type: SERVICE_PROVIDED_EIPS', 'Type: DISABLED'),
            },
          ],
        },
        {
          text: 'Search',
          line: 14,
          message: `OpenSearch domain Search is open to the internet (no VPCOptions): ${SEARCH_WHY}`,
          fixes: [],
        },
        {
          text: 'Notebook',
          line: 18,
          message:
            /^SageMaker notebook instance Notebook is open to the internet \(DirectInternetAccess not set: Enabled by default\)/,
          fixes: [
            {
              title: 'Set DirectInternetAccess to Disabled',
              output: cfnYaml.replace(
                '      SubnetId: subnet-1\n',
                '      SubnetId: subnet-1\n      DirectInternetAccess: Disabled\n',
              ),
            },
          ],
        },
        {
          text: 'NONE',
          line: 27,
          message:
            /^Lambda function URL Url is open to the internet \(AuthType: NONE\): anyone on the internet/,
          fixes: [
            {
              title: 'Set AuthType to AWS_IAM',
              output: cfnYaml.replace('AuthType: NONE', 'AuthType: AWS_IAM'),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN JSON: a notebook without a subnet (no fix: Disabled needs one)',
      file: 'template.json',
      code: cfnJson,
      errors: [{ text: '"Notebook"', line: 3, fixes: [] }],
    },
    {
      name: 'Terraform JSON',
      file: 'main.tf.json',
      code: tfJson,
      errors: [
        {
          text: 'true',
          line: 3,
          fixes: [
            {
              title: 'Set publicly_accessible to false',
              output: tfJson.replace('"publicly_accessible": true', '"publicly_accessible": false'),
            },
          ],
        },
        {
          text: '"SERVICE_PROVIDED_EIPS"',
          line: 8,
          fixes: [
            {
              title: 'Set type to DISABLED',
              output: tfJson.replace('"SERVICE_PROVIDED_EIPS"', '"DISABLED"'),
            },
          ],
        },
        {
          text: '"s"',
          line: 12,
          message: /^OpenSearch domain aws_opensearch_domain\.s is open to the internet \(no vpc_options\)/,
          fixes: [],
        },
        {
          text: '"n"',
          line: 13,
          fixes: [
            {
              title: 'Set direct_internet_access to Disabled',
              output: tfJson.replace(
                '"subnet_id": "subnet-1" }',
                '"subnet_id": "subnet-1", "direct_internet_access": "Disabled" }',
              ),
            },
          ],
        },
        {
          text: '"NONE"',
          line: 14,
          fixes: [
            { title: 'Set authorization_type to AWS_IAM', output: tfJson.replace('"NONE"', '"AWS_IAM"') },
          ],
        },
      ],
    },
    {
      name: 'plan: a domain without VPC options (no fixes)',
      file: 'plan.json',
      code: plan,
      errors: [
        {
          text: '[]',
          line: 5,
          message: /^OpenSearch domain aws_opensearch_domain\.s is open to the internet/,
          fixes: [],
        },
      ],
    },
  ],
});

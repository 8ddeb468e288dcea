import { lines, ruleTester } from '../../testing/ruleTester';
import { interfaceEndpointMissing } from './rule';

// Resource `Condition:`: an interface endpoint under a condition only serves the deployments where it exists.
const HEAD = [
  'Parameters:',
  '  Env: {Type: String, Default: dev}',
  'Conditions:',
  '  IsProd: !Equals [!Ref Env, prod]',
  '  NotProd: !Not [!Condition IsProd]',
  'Resources:',
  '  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16, EnableDnsHostnames: true}}',
  '  Private: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}}',
  '  Queue: {Type: AWS::SQS::Queue}',
  '  Key: {Type: AWS::KMS::Key}',
];
const FN =
  '  Fn: {Type: AWS::Lambda::Function, Properties: {VpcConfig: {SubnetIds: [!Ref Private]}, Environment: {Variables: {QUEUE_URL: !Ref Queue}}}}';
const endpoint = (id: string, service: string, condition: string) =>
  `  ${id}: {Type: AWS::EC2::VPCEndpoint, Condition: ${condition}, Properties: {VpcId: !Ref Vpc, VpcEndpointType: Interface, ServiceName: com.amazonaws.eu-west-1.${service}}}`;

const yaml = lines(...HEAD, FN, endpoint('Sqs', 'sqs', 'IsProd'));

const json = `{
  "Conditions": { "IsProd": { "Fn::Equals": [{ "Ref": "AWS::Region" }, "eu-west-1"] } },
  "Resources": {
    "Vpc": { "Type": "AWS::EC2::VPC", "Properties": { "CidrBlock": "10.0.0.0/16", "EnableDnsHostnames": true } },
    "Private": { "Type": "AWS::EC2::Subnet", "Properties": { "VpcId": { "Ref": "Vpc" }, "CidrBlock": "10.0.1.0/24" } },
    "Queue": { "Type": "AWS::SQS::Queue" },
    "Sqs": {
      "Type": "AWS::EC2::VPCEndpoint",
      "Condition": "IsProd",
      "Properties": { "VpcId": { "Ref": "Vpc" }, "VpcEndpointType": "Interface", "ServiceName": "com.amazonaws.eu-west-1.sqs" }
    },
    "Fn": {
      "Type": "AWS::Lambda::Function",
      "Properties": {
        "VpcConfig": { "SubnetIds": [{ "Ref": "Private" }] },
        "Environment": { "Variables": { "QUEUE_URL": { "Ref": "Queue" } } }
      }
    }
  }
}
`;

const MESSAGE =
  'Lambda function Fn runs in subnet Private with no NAT or internet route, and VPC Vpc has no endpoint for sqs when condition IsProd is false (Sqs exists only when it is true): its calls to sqs time out. Add interface endpoints with private DNS that exist wherever the workload does.';

ruleTester(interfaceEndpointMissing, {
  valid: [
    {
      name: 'a function under the endpoint’s condition',
      file: 'template.yaml',
      code: lines(
        ...HEAD,
        FN.replace('Type: AWS::Lambda::Function,', 'Type: AWS::Lambda::Function, Condition: IsProd,'),
        endpoint('Sqs', 'sqs', 'IsProd'),
      ),
    },
    {
      name: 'endpoints under complementary conditions',
      file: 'template.yaml',
      code: lines(...HEAD, FN, endpoint('Sqs', 'sqs', 'IsProd'), endpoint('SqsDev', 'sqs', 'NotProd')),
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: a conditional endpoint does not serve the other branch (no fix: two endpoints with private DNS clash)',
      file: 'template.yaml',
      code: yaml,
      errors: [
        {
          text: 'Fn',
          line: 11,
          severity: 'info',
          message: MESSAGE,
          related: ['Subnet Private has no route out of the VPC', 'Condition of endpoint Sqs'],
          fixes: [],
        },
      ],
    },
    {
      name: 'CFN YAML: a missing service and a conditional one; no fix (adding kms alone leaves the finding)',
      file: 'template.yaml',
      code: yaml.replace('{QUEUE_URL: !Ref Queue}', '{QUEUE_URL: !Ref Queue, KEY: !Ref Key}'),
      errors: [
        {
          text: 'Fn',
          line: 11,
          message:
            'Lambda function Fn runs in subnet Private with no NAT or internet route, and VPC Vpc has no endpoint for kms, and none for sqs when condition IsProd is false (Sqs exists only when it is true): its calls to kms, sqs time out. Add interface endpoints with private DNS that exist wherever the workload does.',
          related: ['Subnet Private has no route out of the VPC', 'Condition of endpoint Sqs'],
          fixes: [],
        },
      ],
    },
    {
      name: 'CFN JSON: a conditional endpoint',
      file: 'template.json',
      code: json,
      errors: [
        {
          text: '"Fn"',
          line: 12,
          message: MESSAGE,
          related: ['Subnet Private has no route out of the VPC', 'Condition of endpoint Sqs'],
          fixes: [],
        },
      ],
    },
  ],
});

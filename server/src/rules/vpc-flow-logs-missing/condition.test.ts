import { lines, ruleTester } from '../../testing/ruleTester';
import { vpcFlowLogsMissing } from './rule';

// Resource `Condition:`: a conditional flow log only logs the deployments where it exists.
const conditionalLog = lines(
  'Parameters:',
  '  Env: {Type: String, Default: dev}',
  'Conditions:',
  '  IsProd: !Equals [!Ref Env, prod]',
  'Resources:',
  '  Vpc:',
  '    Type: AWS::EC2::VPC',
  '    Properties: {CidrBlock: 10.0.0.0/16}',
  '  Log:',
  '    Type: AWS::EC2::FlowLog',
  '    Condition: IsProd',
  '    Properties: {ResourceId: !Ref Vpc, ResourceType: VPC, TrafficType: ALL, LogDestinationType: s3, LogDestination: arn:aws:s3:::logs}',
);

const FLOW_LOG = lines(
  '  VpcFlowLog:',
  '    Type: AWS::EC2::FlowLog',
  '    Properties:',
  '      ResourceId: !Ref Vpc',
  '      ResourceType: VPC',
  '      TrafficType: ALL',
  '      LogDestinationType: s3',
  '      LogDestination: !Ref FlowLogDestinationArn',
);
const DESCRIPTION =
  'ARN of the S3 bucket (optionally with a folder) that receives VPC flow logs, for example arn:aws:s3:::my-flow-logs.';

const conditionalJson = `{
  "Conditions": { "IsProd": { "Fn::Equals": [{ "Ref": "AWS::Region" }, "eu-west-1"] } },
  "Resources": {
    "Vpc": { "Type": "AWS::EC2::VPC", "Condition": "IsProd", "Properties": { "CidrBlock": "10.0.0.0/16" } }
  }
}
`;

ruleTester(vpcFlowLogsMissing, {
  valid: [
    {
      name: 'a VPC whose condition implies that of the flow log (Fn::And including it) is covered',
      file: 'template.yaml',
      code: conditionalLog
        .replace(
          '  IsProd: !Equals [!Ref Env, prod]\n',
          '  IsProd: !Equals [!Ref Env, prod]\n  IsProdEu: !And [!Condition IsProd, !Equals [!Ref AWS::Region, eu-west-1]]\n',
        )
        .replace('    Type: AWS::EC2::VPC\n', '    Type: AWS::EC2::VPC\n    Condition: IsProdEu\n'),
    },
    {
      name: 'a flow log under the same condition as its VPC covers it',
      file: 'template.yaml',
      code: conditionalLog.replace(
        '    Type: AWS::EC2::VPC\n',
        '    Type: AWS::EC2::VPC\n    Condition: IsProd\n',
      ),
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: a conditional flow log does not cover the other branch',
      file: 'template.yaml',
      code: conditionalLog,
      errors: [
        {
          text: 'Vpc',
          line: 6,
          message:
            'VPC Vpc has no flow log when condition IsProd is false (Log exists only when it is true): its accepted and rejected traffic is then not recorded anywhere. Add a flow log with TrafficType ALL that exists wherever the VPC does.',
          related: ['Condition of flow log Log'],
          fixes: [
            {
              title: 'Add a flow log for Vpc (all traffic to a new S3 destination parameter)',
              output:
                conditionalLog.replace(
                  '  Env: {Type: String, Default: dev}\n',
                  `  Env: {Type: String, Default: dev}\n  FlowLogDestinationArn:\n    Type: String\n    Description: '${DESCRIPTION}'\n`,
                ) + FLOW_LOG,
            },
          ],
        },
      ],
    },
    {
      name: 'CFN JSON: a finding on a conditional resource says when it holds',
      file: 'template.json',
      code: conditionalJson,
      errors: [
        {
          text: '"Vpc"',
          line: 4,
          message:
            'VPC Vpc has no flow log: its accepted and rejected traffic is not recorded anywhere. Add a flow log with TrafficType ALL (only when IsProd is true: Vpc has Condition IsProd).',
          related: ['Vpc exists only when condition IsProd is true'],
          fixes: [
            {
              title: 'Add a flow log for Vpc (all traffic to a new S3 destination parameter)',
              output: `{
  "Conditions": { "IsProd": { "Fn::Equals": [{ "Ref": "AWS::Region" }, "eu-west-1"] } },
  "Parameters": {
    "FlowLogDestinationArn": {
      "Type": "String",
      "Description": "${DESCRIPTION}"
    }
  },
  "Resources": {
    "Vpc": { "Type": "AWS::EC2::VPC", "Condition": "IsProd", "Properties": { "CidrBlock": "10.0.0.0/16" } },
    "VpcFlowLog": {
      "Type": "AWS::EC2::FlowLog",
      "Condition": "IsProd",
      "Properties": {
        "ResourceId": { "Ref": "Vpc" },
        "ResourceType": "VPC",
        "TrafficType": "ALL",
        "LogDestinationType": "s3",
        "LogDestination": { "Ref": "FlowLogDestinationArn" }
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
  ],
});

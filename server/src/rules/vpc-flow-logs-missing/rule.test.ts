import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lines, ruleTester } from '../../testing/ruleTester';
import { vpcFlowLogsMissing } from './rule';

const FIXTURES = join(__dirname, '../../../../test-fixtures');
const fixture = (path: string) => readFileSync(join(FIXTURES, path), 'utf8');

const cfnJson = `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "Vpc": {
      "Type": "AWS::EC2::VPC",
      "Properties": {
        "CidrBlock": "10.0.0.0/16"
      }
    }
  }
}
`;

const tfJson = `{
  "resource": {
    "aws_vpc": {
      "main": {
        "cidr_block": "10.0.0.0/16"
      }
    }
  }
}
`;

const plan = `{
  "format_version": "1.2",
  "planned_values": {"root_module": {"resources": [
    {"address": "aws_vpc.main", "mode": "managed", "type": "aws_vpc", "name": "main", "values": {"cidr_block": "10.0.0.0/16"}}
  ]}},
  "configuration": {"root_module": {"resources": [
    {"address": "aws_vpc.main", "mode": "managed", "type": "aws_vpc", "name": "main", "expressions": {"cidr_block": {"constant_value": "10.0.0.0/16"}}}
  ]}}
}
`;

const DESCRIPTION =
  'ARN of the S3 bucket (optionally with a folder) that receives VPC flow logs, for example arn:aws:s3:::my-flow-logs.';

ruleTester(vpcFlowLogsMissing, {
  valid: [
    {
      name: 'CFN fixture with a VPC flow log',
      file: 'template.yaml',
      code: fixture('cfn-yaml/vpc-endpoints.yaml'),
    },
    {
      name: 'no VPC in the document',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Subnet: {Type: AWS::EC2::Subnet, Properties: {VpcId: vpc-123, CidrBlock: 10.0.0.0/24}}',
      ),
    },
    {
      name: 'a flow log whose target is a parameter may be this one',
      file: 'template.yaml',
      code: lines(
        'Parameters:',
        '  Target: {Type: String}',
        'Resources:',
        '  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}',
        '  Log: {Type: AWS::EC2::FlowLog, Properties: {ResourceId: !Ref Target, ResourceType: VPC, TrafficType: ALL}}',
      ),
    },
    {
      name: 'CFN JSON with a flow log',
      file: 'template.json',
      code: cfnJson.replace(
        '\n  }\n}',
        ',\n    "Log": { "Type": "AWS::EC2::FlowLog", "Properties": { "ResourceId": { "Ref": "Vpc" }, "ResourceType": "VPC", "TrafficType": "REJECT" } }\n  }\n}',
      ),
    },
    {
      name: 'Terraform aws_flow_log on the VPC',
      file: 'main.tf.json',
      code: tfJson.replace(
        '\n  }\n}',
        ',\n    "aws_flow_log": { "main": { "vpc_id": "${aws_vpc.main.id}", "traffic_type": "ALL", "log_destination": "arn:aws:s3:::logs" } }\n  }\n}',
      ),
    },
    {
      name: 'plan: the flow log names the VPC through the configuration',
      file: 'plan.json',
      code: plan
        .replace(
          '"values": {"cidr_block": "10.0.0.0/16"}}\n',
          '"values": {"cidr_block": "10.0.0.0/16"}},\n    {"address": "aws_flow_log.main", "mode": "managed", "type": "aws_flow_log", "name": "main", "values": {"traffic_type": "ALL"}}\n',
        )
        .replace(
          '"expressions": {"cidr_block": {"constant_value": "10.0.0.0/16"}}}\n',
          '"expressions": {"cidr_block": {"constant_value": "10.0.0.0/16"}}},\n    {"address": "aws_flow_log.main", "mode": "managed", "type": "aws_flow_log", "name": "main", "expressions": {"vpc_id": {"references": ["aws_vpc.main.id", "aws_vpc.main"]}}}\n',
        ),
    },
    {
      name: 'Terraform: a flow log on a variable may be this VPC',
      file: 'main.tf.json',
      code: tfJson.replace(
        '\n  }\n}',
        ',\n    "aws_flow_log": { "shared": { "vpc_id": "${var.vpc_id}", "traffic_type": "ALL", "log_destination": "arn:aws:s3:::logs" } }\n  }\n}',
      ),
    },
  ],
  invalid: [
    {
      name: 'CFN YAML fixture: a new parameter and flow log',
      file: 'template.yaml',
      code: fixture('cfn-yaml/network-public-private.yaml'),
      errors: [
        {
          text: 'Vpc',
          line: 9,
          severity: 'warning',
          message:
            'VPC Vpc has no flow log: its accepted and rejected traffic is not recorded anywhere. Add a flow log with TrafficType ALL.',
          fixes: [
            {
              title: 'Add a flow log for Vpc (all traffic to a new S3 destination parameter)',
              output:
                fixture('cfn-yaml/network-public-private.yaml').replace(
                  '    Type: AWS::EC2::Image::Id\n',
                  `    Type: AWS::EC2::Image::Id\n  FlowLogDestinationArn:\n    Type: String\n    Description: '${DESCRIPTION}'\n`,
                ) +
                lines(
                  '  VpcFlowLog:',
                  '    Type: AWS::EC2::FlowLog',
                  '    Properties:',
                  '      ResourceId: !Ref Vpc',
                  '      ResourceType: VPC',
                  '      TrafficType: ALL',
                  '      LogDestinationType: s3',
                  '      LogDestination: !Ref FlowLogDestinationArn',
                ),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN YAML: only a subnet has a flow log; no Parameters section yet',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}',
        '  Subnet: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24}}',
        '  SubnetLog: {Type: AWS::EC2::FlowLog, Properties: {ResourceId: !Ref Subnet, ResourceType: Subnet, TrafficType: ALL}}',
      ),
      errors: [
        {
          text: 'Vpc',
          line: 2,
          fixes: [
            {
              title: 'Add a flow log for Vpc (all traffic to a new S3 destination parameter)',
              output: lines(
                'Parameters:',
                '  FlowLogDestinationArn:',
                '    Type: String',
                `    Description: '${DESCRIPTION}'`,
                'Resources:',
                '  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}',
                '  Subnet: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24}}',
                '  SubnetLog: {Type: AWS::EC2::FlowLog, Properties: {ResourceId: !Ref Subnet, ResourceType: Subnet, TrafficType: ALL}}',
                '  VpcFlowLog:',
                '    Type: AWS::EC2::FlowLog',
                '    Properties:',
                '      ResourceId: !Ref Vpc',
                '      ResourceType: VPC',
                '      TrafficType: ALL',
                '      LogDestinationType: s3',
                '      LogDestination: !Ref FlowLogDestinationArn',
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
          line: 4,
          fixes: [
            {
              title: 'Add a flow log for Vpc (all traffic to a new S3 destination parameter)',
              output: `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Parameters": {
    "FlowLogDestinationArn": {
      "Type": "String",
      "Description": "${DESCRIPTION}"
    }
  },
  "Resources": {
    "Vpc": {
      "Type": "AWS::EC2::VPC",
      "Properties": {
        "CidrBlock": "10.0.0.0/16"
      }
    },
    "VpcFlowLog": {
      "Type": "AWS::EC2::FlowLog",
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
    {
      name: 'Terraform JSON: a variable and aws_flow_log',
      file: 'main.tf.json',
      code: tfJson,
      errors: [
        {
          text: '"main"',
          line: 4,
          message: /^VPC aws_vpc\.main has no flow log/,
          fixes: [
            {
              title: 'Add a flow log for aws_vpc.main (all traffic to a new S3 destination parameter)',
              output: `{
  "variable": {
    "flow_log_destination_arn": {
      "type": "string",
      "description": "${DESCRIPTION}"
    }
  },
  "resource": {
    "aws_vpc": {
      "main": {
        "cidr_block": "10.0.0.0/16"
      }
    },
    "aws_flow_log": {
      "main": {
        "vpc_id": "\${aws_vpc.main.id}",
        "traffic_type": "ALL",
        "log_destination_type": "s3",
        "log_destination": "\${var.flow_log_destination_arn}"
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
      name: 'plan (no fixes)',
      file: 'plan.json',
      code: plan,
      errors: [{ text: '"aws_vpc.main"', line: 4, message: /^VPC aws_vpc\.main has no flow log/, fixes: [] }],
    },
    {
      name: 'CFN YAML: a flow log without ResourceId covers nothing',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}',
        '  Log: {Type: AWS::EC2::FlowLog, Properties: {ResourceType: VPC, TrafficType: ALL}}',
      ),
      errors: [
        {
          text: 'Vpc',
          line: 2,
          fixes: [
            {
              title: 'Add a flow log for Vpc (all traffic to a new S3 destination parameter)',
              output: lines(
                'Parameters:',
                '  FlowLogDestinationArn:',
                '    Type: String',
                `    Description: '${DESCRIPTION}'`,
                'Resources:',
                '  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}',
                '  Log: {Type: AWS::EC2::FlowLog, Properties: {ResourceType: VPC, TrafficType: ALL}}',
                '  VpcFlowLog:',
                '    Type: AWS::EC2::FlowLog',
                '    Properties:',
                '      ResourceId: !Ref Vpc',
                '      ResourceType: VPC',
                '      TrafficType: ALL',
                '      LogDestinationType: s3',
                '      LogDestination: !Ref FlowLogDestinationArn',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN YAML: a flow log on an imported VPC is for another VPC',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}',
        '  Log: {Type: AWS::EC2::FlowLog, Properties: {ResourceId: !ImportValue network-VpcId, ResourceType: VPC, TrafficType: ALL}}',
      ),
      errors: [
        {
          text: 'Vpc',
          line: 2,
          fixes: [
            {
              title: 'Add a flow log for Vpc (all traffic to a new S3 destination parameter)',
              output: lines(
                'Parameters:',
                '  FlowLogDestinationArn:',
                '    Type: String',
                `    Description: '${DESCRIPTION}'`,
                'Resources:',
                '  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}',
                '  Log: {Type: AWS::EC2::FlowLog, Properties: {ResourceId: !ImportValue network-VpcId, ResourceType: VPC, TrafficType: ALL}}',
                '  VpcFlowLog:',
                '    Type: AWS::EC2::FlowLog',
                '    Properties:',
                '      ResourceId: !Ref Vpc',
                '      ResourceType: VPC',
                '      TrafficType: ALL',
                '      LogDestinationType: s3',
                '      LogDestination: !Ref FlowLogDestinationArn',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN JSON: a flow log on a literal VPC id is for a VPC that exists already',
      file: 'template.json',
      code: cfnJson.replace(
        '\n  }\n}',
        ',\n    "Log": { "Type": "AWS::EC2::FlowLog", "Properties": { "ResourceId": "vpc-0a1b2c3d4e5f60718", "ResourceType": "VPC", "TrafficType": "ALL" } }\n  }\n}',
      ),
      errors: [
        {
          text: '"Vpc"',
          line: 4,
          fixes: [
            {
              title: 'Add a flow log for Vpc (all traffic to a new S3 destination parameter)',
              output: `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Parameters": {
    "FlowLogDestinationArn": {
      "Type": "String",
      "Description": "${DESCRIPTION}"
    }
  },
  "Resources": {
    "Vpc": {
      "Type": "AWS::EC2::VPC",
      "Properties": {
        "CidrBlock": "10.0.0.0/16"
      }
    },
    "Log": { "Type": "AWS::EC2::FlowLog", "Properties": { "ResourceId": "vpc-0a1b2c3d4e5f60718", "ResourceType": "VPC", "TrafficType": "ALL" } },
    "VpcFlowLog": {
      "Type": "AWS::EC2::FlowLog",
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
    {
      name: 'Terraform JSON: a flow log on a data source VPC is for another VPC',
      file: 'main.tf.json',
      code: tfJson.replace(
        '\n  }\n}',
        ',\n    "aws_flow_log": { "shared": { "vpc_id": "${data.aws_vpc.shared.id}", "traffic_type": "ALL", "log_destination": "arn:aws:s3:::logs" } }\n  }\n}',
      ),
      errors: [
        {
          text: '"main"',
          line: 4,
          fixes: [
            {
              title: 'Add a flow log for aws_vpc.main (all traffic to a new S3 destination parameter)',
              output: `{
  "variable": {
    "flow_log_destination_arn": {
      "type": "string",
      "description": "${DESCRIPTION}"
    }
  },
  "resource": {
    "aws_vpc": {
      "main": {
        "cidr_block": "10.0.0.0/16"
      }
    },
    "aws_flow_log": { "shared": { "vpc_id": "\${data.aws_vpc.shared.id}", "traffic_type": "ALL", "log_destination": "arn:aws:s3:::logs" }, "main": { "vpc_id": "\${aws_vpc.main.id}", "traffic_type": "ALL", "log_destination_type": "s3", "log_destination": "\${var.flow_log_destination_arn}" } }
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'plan: a flow log on an existing VPC id is for another VPC',
      file: 'plan.json',
      code: plan.replace(
        '"values": {"cidr_block": "10.0.0.0/16"}}\n',
        '"values": {"cidr_block": "10.0.0.0/16"}},\n    {"address": "aws_flow_log.shared", "mode": "managed", "type": "aws_flow_log", "name": "shared", "values": {"traffic_type": "ALL", "vpc_id": "vpc-0a1b2c3d4e5f60718"}}\n',
      ),
      errors: [{ text: '"aws_vpc.main"', line: 4, message: /^VPC aws_vpc\.main has no flow log/, fixes: [] }],
    },
  ],
});

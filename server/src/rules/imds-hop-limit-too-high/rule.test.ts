import { lines, ruleTester } from '../../testing/ruleTester';
import { imdsHopLimitTooHigh } from './rule';

const highYaml = lines(
  'Resources:',
  '  Web:',
  '    Type: AWS::EC2::Instance',
  '    Properties:',
  '      MetadataOptions:',
  '        HttpTokens: required',
  '        HttpPutResponseHopLimit: 5',
  '  Lc:',
  '    Type: AWS::AutoScaling::LaunchConfiguration',
  '    Properties:',
  '      ImageId: ami-1',
  '      MetadataOptions: {HttpTokens: required, HttpPutResponseHopLimit: 2}',
);

const eksJson = `{
  "Resources": {
    "NodeLt": {
      "Type": "AWS::EC2::LaunchTemplate",
      "Properties": {
        "LaunchTemplateData": {
          "MetadataOptions": { "HttpTokens": "required", "HttpPutResponseHopLimit": 3 }
        }
      }
    },
    "Nodes": {
      "Type": "AWS::EKS::Nodegroup",
      "Properties": {
        "ClusterName": "c",
        "NodeRole": "arn:aws:iam::123456789012:role/node",
        "Subnets": ["subnet-1"],
        "LaunchTemplate": { "Id": { "Ref": "NodeLt" } }
      }
    }
  }
}
`;

const tfJson = `{
  "resource": {
    "aws_launch_template": {
      "web": {
        "image_id": "ami-1",
        "metadata_options": {
          "http_tokens": "required",
          "http_put_response_hop_limit": 4
        }
      }
    }
  }
}
`;

const plan = `{
  "format_version": "1.2",
  "planned_values": {
    "root_module": {
      "resources": [
        {
          "address": "aws_instance.web",
          "mode": "managed",
          "type": "aws_instance",
          "name": "web",
          "values": {
            "metadata_options": [{ "http_endpoint": "enabled", "http_tokens": "required", "http_put_response_hop_limit": 2 }]
          }
        }
      ]
    }
  }
}
`;

ruleTester(imdsHopLimitTooHigh, {
  valid: [
    {
      name: 'hop limit 1, absent (default 1), endpoint disabled',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  A:',
        '    Type: AWS::EC2::Instance',
        '    Properties:',
        '      MetadataOptions: {HttpTokens: required, HttpPutResponseHopLimit: 1}',
        '  B:',
        '    Type: AWS::EC2::Instance',
        '    Properties:',
        '      MetadataOptions: {HttpTokens: required}',
        '  C:',
        '    Type: AWS::EC2::Instance',
        '    Properties:',
        '      MetadataOptions: {HttpEndpoint: disabled, HttpPutResponseHopLimit: 5}',
      ),
    },
    {
      name: '2 on container hosts: EKS node group template, ECS user data, ECS-optimised AMI parameter, capacity provider',
      file: 'template.yaml',
      code: lines(
        'Parameters:',
        '  EcsAmi:',
        '    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
        '    Default: /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id',
        'Resources:',
        '  NodeLt:',
        '    Type: AWS::EC2::LaunchTemplate',
        '    Properties:',
        '      LaunchTemplateData:',
        '        MetadataOptions: {HttpTokens: required, HttpPutResponseHopLimit: 2}',
        '  Nodes:',
        '    Type: AWS::EKS::Nodegroup',
        '    Properties:',
        '      ClusterName: c',
        '      NodeRole: arn:aws:iam::123456789012:role/node',
        '      Subnets: [subnet-1]',
        '      LaunchTemplate: {Id: !Ref NodeLt, Version: !GetAtt NodeLt.LatestVersionNumber}',
        '  EcsHost:',
        '    Type: AWS::EC2::Instance',
        '    Properties:',
        '      ImageId: !Ref EcsAmi',
        '      MetadataOptions: {HttpTokens: required, HttpPutResponseHopLimit: 2}',
        '  EcsLt:',
        '    Type: AWS::EC2::LaunchTemplate',
        '    Properties:',
        '      LaunchTemplateData:',
        '        UserData:',
        '          Fn::Base64: !Sub |',
        '            #!/bin/bash',
        '            echo ECS_CLUSTER=${AWS::StackName} >> /etc/ecs/ecs.config',
        '        MetadataOptions: {HttpTokens: required, HttpPutResponseHopLimit: 2}',
        '  PlainLt:',
        '    Type: AWS::EC2::LaunchTemplate',
        '    Properties:',
        '      LaunchTemplateData:',
        '        MetadataOptions: {HttpTokens: required, HttpPutResponseHopLimit: 2}',
        '  Asg:',
        '    Type: AWS::AutoScaling::AutoScalingGroup',
        '    Properties:',
        '      MinSize: "1"',
        '      MaxSize: "2"',
        '      LaunchTemplate: {LaunchTemplateId: !Ref PlainLt, Version: "1"}',
        '  Provider:',
        '    Type: AWS::ECS::CapacityProvider',
        '    Properties:',
        '      AutoScalingGroupProvider:',
        '        AutoScalingGroupArn: !Ref Asg',
      ),
    },
    {
      name: 'TF: 2 with EKS bootstrap user data',
      file: 'main.tf.json',
      code: `{"resource": {"aws_launch_template": {"nodes": {
  "user_data": "#!/bin/bash\\n/etc/eks/bootstrap.sh my-cluster\\n",
  "metadata_options": {"http_tokens": "required", "http_put_response_hop_limit": 2}}}}}
`,
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: 5 (warning) and 2 on a plain host (info), block and flow maps',
      file: 'template.yaml',
      code: highYaml,
      errors: [
        {
          text: '5',
          line: 7,
          severity: 'warning',
          message:
            "The IMDS hop limit is 5 on instance Web: the session token survives that many network hops, so containers, proxies or forwarded requests beyond the host can obtain the role's credentials. Use 1, or 2 on container hosts.",
          fixes: [
            {
              title: 'Set HttpPutResponseHopLimit to 1',
              output: highYaml.replace('HttpPutResponseHopLimit: 5', 'HttpPutResponseHopLimit: 1'),
            },
          ],
        },
        {
          text: '2',
          line: 12,
          severity: 'info',
          message:
            /^The IMDS hop limit is 2 on launch configuration Lc, which does not look like a container host/,
          fixes: [
            {
              title: 'Set HttpPutResponseHopLimit to 1',
              output: highYaml.replace('HttpPutResponseHopLimit: 2}', 'HttpPutResponseHopLimit: 1}'),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN JSON: 3 on an EKS node group template is lowered to 2',
      file: 'template.json',
      code: eksJson,
      errors: [
        {
          text: '3',
          line: 7,
          severity: 'warning',
          message: /^The IMDS hop limit is 3 on launch template NodeLt/,
          fixes: [
            {
              title: 'Set HttpPutResponseHopLimit to 2',
              output: eksJson.replace('"HttpPutResponseHopLimit": 3', '"HttpPutResponseHopLimit": 2'),
            },
          ],
        },
      ],
    },
    {
      name: 'TF JSON: 4',
      file: 'main.tf.json',
      code: tfJson,
      errors: [
        {
          text: '4',
          line: 8,
          severity: 'warning',
          message: /^The IMDS hop limit is 4 on launch template aws_launch_template\.web/,
          fixes: [
            {
              title: 'Set http_put_response_hop_limit to 1',
              output: tfJson.replace('"http_put_response_hop_limit": 4', '"http_put_response_hop_limit": 1'),
            },
          ],
        },
      ],
    },
    {
      name: 'plan: 2 on a plain instance (info, no fixes)',
      file: 'plan.json',
      code: plan,
      errors: [
        {
          text: '2',
          line: 12,
          severity: 'info',
          message: /^The IMDS hop limit is 2 on instance aws_instance\.web/,
          fixes: [],
        },
      ],
    },
  ],
});

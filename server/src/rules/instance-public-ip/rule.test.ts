import { lines, ruleTester } from '../../testing/ruleTester';
import { instancePublicIp } from './rule';

const SUBNETS = [
  'Resources:',
  '  Mapping: {Type: AWS::EC2::Subnet, Properties: {VpcId: vpc-1, CidrBlock: 10.0.0.0/24, MapPublicIpOnLaunch: true}}',
  '  Plain: {Type: AWS::EC2::Subnet, Properties: {VpcId: vpc-1, CidrBlock: 10.0.1.0/24}}',
];

const explicitYaml = lines(
  'Resources:',
  '  Web:',
  '    Type: AWS::EC2::Instance',
  '    Properties:',
  '      ImageId: ami-12345678',
  '      NetworkInterfaces:',
  '        - DeviceIndex: "0"',
  '          SubnetId: subnet-123',
  '          AssociatePublicIpAddress: true',
);

const cfnJson = `{
  "Resources": {
    "Config": {
      "Type": "AWS::AutoScaling::LaunchConfiguration",
      "Properties": { "ImageId": "ami-12345678", "InstanceType": "t3.micro", "AssociatePublicIpAddress": true }
    }
  }
}
`;

const tfJson = `{
  "resource": {
    "aws_subnet": {
      "public": { "vpc_id": "vpc-1", "cidr_block": "10.0.0.0/24", "map_public_ip_on_launch": true }
    },
    "aws_instance": {
      "web": { "ami": "ami-1", "instance_type": "t3.micro", "subnet_id": "\${aws_subnet.public.id}" },
      "explicit": { "ami": "ami-1", "instance_type": "t3.micro", "associate_public_ip_address": true }
    },
    "aws_ecs_service": {
      "app": {
        "name": "app",
        "network_configuration": { "subnets": ["subnet-1"], "assign_public_ip": true }
      }
    }
  }
}
`;

const plan = `{
  "format_version": "1.2",
  "planned_values": {"root_module": {"resources": [
    {"address": "aws_launch_template.lt", "mode": "managed", "type": "aws_launch_template", "name": "lt",
     "values": {"image_id": "ami-1", "network_interfaces": [{"device_index": 0, "associate_public_ip_address": "true"}]}}
  ]}}
}
`;

ruleTester(instancePublicIp, {
  valid: [
    {
      name: 'explicit false',
      file: 'template.yaml',
      code: explicitYaml.replace('AssociatePublicIpAddress: true', 'AssociatePublicIpAddress: false'),
    },
    {
      name: 'a subnet that does not map public IPs; a mapping subnet overridden by the interface',
      file: 'template.yaml',
      code: lines(
        ...SUBNETS,
        '  A: {Type: AWS::EC2::Instance, Properties: {ImageId: ami-1, SubnetId: !Ref Plain}}',
        '  B: {Type: AWS::EC2::Instance, Properties: {ImageId: ami-1, NetworkInterfaces: [{DeviceIndex: 0, SubnetId: !Ref Mapping, AssociatePublicIpAddress: false}]}}',
        '  Svc: {Type: AWS::ECS::Service, Properties: {NetworkConfiguration: {AwsvpcConfiguration: {AssignPublicIp: DISABLED, Subnets: [!Ref Mapping]}}}}',
      ),
    },
    {
      name: 'an Auto Scaling group whose launch template says false',
      file: 'template.yaml',
      code: lines(
        ...SUBNETS,
        '  Lt: {Type: AWS::EC2::LaunchTemplate, Properties: {LaunchTemplateData: {NetworkInterfaces: [{DeviceIndex: 0, AssociatePublicIpAddress: false}]}}}',
        '  Asg: {Type: AWS::AutoScaling::AutoScalingGroup, Properties: {MinSize: "1", MaxSize: "1", VPCZoneIdentifier: [!Ref Mapping], LaunchTemplate: {LaunchTemplateId: !Ref Lt, Version: "1"}}}',
      ),
    },
    {
      name: 'CFN JSON false',
      file: 'template.json',
      code: cfnJson.replace('"AssociatePublicIpAddress": true', '"AssociatePublicIpAddress": false'),
    },
    {
      name: 'Terraform: explicit false beats the subnet; ECS without a public IP',
      file: 'main.tf.json',
      code: tfJson
        .replace(
          '"subnet_id": "${aws_subnet.public.id}"',
          '"subnet_id": "${aws_subnet.public.id}", "associate_public_ip_address": false',
        )
        .replace('"associate_public_ip_address": true', '"associate_public_ip_address": false')
        .replace('"assign_public_ip": true', '"assign_public_ip": false'),
    },
    {
      name: 'plan: false',
      file: 'plan.json',
      code: plan.replace('"associate_public_ip_address": "true"', '"associate_public_ip_address": "false"'),
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: explicit on the instance interface',
      file: 'template.yaml',
      code: explicitYaml,
      errors: [
        {
          text: 'true',
          line: 9,
          severity: 'warning',
          message:
            'Instance Web gives the instance a public IP (AssociatePublicIpAddress: true). Keep workloads in private subnets without public addresses and reach them through a load balancer, Session Manager or a VPN.',
          fixes: [
            {
              title: 'Set AssociatePublicIpAddress to false',
              output: explicitYaml.replace(
                'AssociatePublicIpAddress: true',
                'AssociatePublicIpAddress: false',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN YAML: inherited from the subnet, launch template, launch configuration, ECS service and task set',
      file: 'template.yaml',
      code: lines(
        ...SUBNETS,
        '  Inherits: {Type: AWS::EC2::Instance, Properties: {ImageId: ami-1, SubnetId: !Ref Mapping}}',
        '  Lt: {Type: AWS::EC2::LaunchTemplate, Properties: {LaunchTemplateData: {NetworkInterfaces: [{DeviceIndex: 0, AssociatePublicIpAddress: true}]}}}',
        '  Lc: {Type: AWS::AutoScaling::LaunchConfiguration, Properties: {ImageId: ami-1, InstanceType: t3.micro}}',
        '  Asg: {Type: AWS::AutoScaling::AutoScalingGroup, Properties: {MinSize: "1", MaxSize: "1", VPCZoneIdentifier: [!Ref Plain, !Ref Mapping], LaunchConfigurationName: !Ref Lc}}',
        '  Svc: {Type: AWS::ECS::Service, Properties: {NetworkConfiguration: {AwsvpcConfiguration: {AssignPublicIp: ENABLED, Subnets: [!Ref Plain]}}}}',
        '  Set: {Type: AWS::ECS::TaskSet, Properties: {Cluster: c, Service: s, TaskDefinition: t, NetworkConfiguration: {AwsVpcConfiguration: {AssignPublicIp: ENABLED, Subnets: [subnet-1]}}}}',
      ),
      errors: [
        {
          text: '!Ref Mapping',
          line: 4,
          message:
            'Instance Inherits gets a public IP from subnet Mapping (MapPublicIpOnLaunch: true). Set AssociatePublicIpAddress to false in NetworkInterfaces, or turn off MapPublicIpOnLaunch on the subnet.',
          related: ['MapPublicIpOnLaunch of Mapping'],
          fixes: [],
        },
        {
          text: 'true',
          line: 5,
          message:
            /^Launch template Lt gives every instance launched from it a public IP \(AssociatePublicIpAddress: true\)/,
          fixes: [
            {
              title: 'Set AssociatePublicIpAddress to false',
              output: lines(
                ...SUBNETS,
                '  Inherits: {Type: AWS::EC2::Instance, Properties: {ImageId: ami-1, SubnetId: !Ref Mapping}}',
                '  Lt: {Type: AWS::EC2::LaunchTemplate, Properties: {LaunchTemplateData: {NetworkInterfaces: [{DeviceIndex: 0, AssociatePublicIpAddress: false}]}}}',
                '  Lc: {Type: AWS::AutoScaling::LaunchConfiguration, Properties: {ImageId: ami-1, InstanceType: t3.micro}}',
                '  Asg: {Type: AWS::AutoScaling::AutoScalingGroup, Properties: {MinSize: "1", MaxSize: "1", VPCZoneIdentifier: [!Ref Plain, !Ref Mapping], LaunchConfigurationName: !Ref Lc}}',
                '  Svc: {Type: AWS::ECS::Service, Properties: {NetworkConfiguration: {AwsvpcConfiguration: {AssignPublicIp: ENABLED, Subnets: [!Ref Plain]}}}}',
                '  Set: {Type: AWS::ECS::TaskSet, Properties: {Cluster: c, Service: s, TaskDefinition: t, NetworkConfiguration: {AwsVpcConfiguration: {AssignPublicIp: ENABLED, Subnets: [subnet-1]}}}}',
              ),
            },
          ],
        },
        {
          text: '!Ref Mapping',
          line: 7,
          message:
            'Auto Scaling group Asg launches instances with a public IP into subnet Mapping (MapPublicIpOnLaunch: true). Set AssociatePublicIpAddress to false on launch configuration Lc, or turn off MapPublicIpOnLaunch on the subnet.',
          fixes: [
            {
              title: 'Set AssociatePublicIpAddress to false on Lc',
              output: lines(
                ...SUBNETS,
                '  Inherits: {Type: AWS::EC2::Instance, Properties: {ImageId: ami-1, SubnetId: !Ref Mapping}}',
                '  Lt: {Type: AWS::EC2::LaunchTemplate, Properties: {LaunchTemplateData: {NetworkInterfaces: [{DeviceIndex: 0, AssociatePublicIpAddress: true}]}}}',
                '  Lc: {Type: AWS::AutoScaling::LaunchConfiguration, Properties: {ImageId: ami-1, InstanceType: t3.micro, AssociatePublicIpAddress: false}}',
                '  Asg: {Type: AWS::AutoScaling::AutoScalingGroup, Properties: {MinSize: "1", MaxSize: "1", VPCZoneIdentifier: [!Ref Plain, !Ref Mapping], LaunchConfigurationName: !Ref Lc}}',
                '  Svc: {Type: AWS::ECS::Service, Properties: {NetworkConfiguration: {AwsvpcConfiguration: {AssignPublicIp: ENABLED, Subnets: [!Ref Plain]}}}}',
                '  Set: {Type: AWS::ECS::TaskSet, Properties: {Cluster: c, Service: s, TaskDefinition: t, NetworkConfiguration: {AwsVpcConfiguration: {AssignPublicIp: ENABLED, Subnets: [subnet-1]}}}}',
              ),
            },
          ],
        },
        {
          text: 'ENABLED',
          line: 8,
          message: /^ECS service Svc gives each task a public IP \(AssignPublicIp: ENABLED\)/,
          fixes: [
            {
              title: 'Set AssignPublicIp to DISABLED',
              output: lines(
                ...SUBNETS,
                '  Inherits: {Type: AWS::EC2::Instance, Properties: {ImageId: ami-1, SubnetId: !Ref Mapping}}',
                '  Lt: {Type: AWS::EC2::LaunchTemplate, Properties: {LaunchTemplateData: {NetworkInterfaces: [{DeviceIndex: 0, AssociatePublicIpAddress: true}]}}}',
                '  Lc: {Type: AWS::AutoScaling::LaunchConfiguration, Properties: {ImageId: ami-1, InstanceType: t3.micro}}',
                '  Asg: {Type: AWS::AutoScaling::AutoScalingGroup, Properties: {MinSize: "1", MaxSize: "1", VPCZoneIdentifier: [!Ref Plain, !Ref Mapping], LaunchConfigurationName: !Ref Lc}}',
                '  Svc: {Type: AWS::ECS::Service, Properties: {NetworkConfiguration: {AwsvpcConfiguration: {AssignPublicIp: DISABLED, Subnets: [!Ref Plain]}}}}',
                '  Set: {Type: AWS::ECS::TaskSet, Properties: {Cluster: c, Service: s, TaskDefinition: t, NetworkConfiguration: {AwsVpcConfiguration: {AssignPublicIp: ENABLED, Subnets: [subnet-1]}}}}',
              ),
            },
          ],
        },
        {
          text: 'ENABLED',
          line: 9,
          message: /^ECS task set Set gives each task a public IP \(AssignPublicIp: ENABLED\)/,
          fixes: [
            {
              title: 'Set AssignPublicIp to DISABLED',
              output: lines(
                ...SUBNETS,
                '  Inherits: {Type: AWS::EC2::Instance, Properties: {ImageId: ami-1, SubnetId: !Ref Mapping}}',
                '  Lt: {Type: AWS::EC2::LaunchTemplate, Properties: {LaunchTemplateData: {NetworkInterfaces: [{DeviceIndex: 0, AssociatePublicIpAddress: true}]}}}',
                '  Lc: {Type: AWS::AutoScaling::LaunchConfiguration, Properties: {ImageId: ami-1, InstanceType: t3.micro}}',
                '  Asg: {Type: AWS::AutoScaling::AutoScalingGroup, Properties: {MinSize: "1", MaxSize: "1", VPCZoneIdentifier: [!Ref Plain, !Ref Mapping], LaunchConfigurationName: !Ref Lc}}',
                '  Svc: {Type: AWS::ECS::Service, Properties: {NetworkConfiguration: {AwsvpcConfiguration: {AssignPublicIp: ENABLED, Subnets: [!Ref Plain]}}}}',
                '  Set: {Type: AWS::ECS::TaskSet, Properties: {Cluster: c, Service: s, TaskDefinition: t, NetworkConfiguration: {AwsVpcConfiguration: {AssignPublicIp: DISABLED, Subnets: [subnet-1]}}}}',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN JSON: launch configuration',
      file: 'template.json',
      code: cfnJson,
      errors: [
        {
          text: 'true',
          line: 5,
          message: /^Launch configuration Config gives every instance launched from it a public IP/,
          fixes: [
            {
              title: 'Set AssociatePublicIpAddress to false',
              output: cfnJson.replace(
                '"AssociatePublicIpAddress": true',
                '"AssociatePublicIpAddress": false',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'Terraform JSON: inherited, explicit, ECS',
      file: 'main.tf.json',
      code: tfJson,
      errors: [
        {
          text: '"${aws_subnet.public.id}"',
          line: 7,
          message:
            'Instance aws_instance.web gets a public IP from subnet aws_subnet.public (map_public_ip_on_launch: true). Set associate_public_ip_address to false, or turn off map_public_ip_on_launch on the subnet.',
          fixes: [
            {
              title: 'Set associate_public_ip_address to false on aws_instance.web',
              output: tfJson.replace(
                '"subnet_id": "${aws_subnet.public.id}" }',
                '"subnet_id": "${aws_subnet.public.id}", "associate_public_ip_address": false }',
              ),
            },
          ],
        },
        {
          text: 'true',
          line: 8,
          message:
            /^Instance aws_instance\.explicit gives the instance a public IP \(associate_public_ip_address: true\)/,
          fixes: [
            {
              title: 'Set associate_public_ip_address to false',
              output: tfJson.replace(
                '"associate_public_ip_address": true',
                '"associate_public_ip_address": false',
              ),
            },
          ],
        },
        {
          text: 'true',
          line: 13,
          message: /^ECS service aws_ecs_service\.app gives each task a public IP \(assign_public_ip: true\)/,
          fixes: [
            {
              title: 'Set assign_public_ip to false',
              output: tfJson.replace('"assign_public_ip": true', '"assign_public_ip": false'),
            },
          ],
        },
      ],
    },
    {
      name: 'plan: launch template (no fixes)',
      file: 'plan.json',
      code: plan,
      errors: [
        {
          text: '"true"',
          line: 5,
          message: /^Launch template aws_launch_template\.lt gives every instance/,
          fixes: [],
        },
      ],
    },
  ],
});

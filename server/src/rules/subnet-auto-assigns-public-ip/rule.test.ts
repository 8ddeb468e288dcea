import { lines, ruleTester } from '../../testing/ruleTester';
import { subnetAutoAssignsPublicIp } from './rule';

const cfnYaml = lines(
  'Resources:',
  '  Public:',
  '    Type: AWS::EC2::Subnet',
  '    Properties:',
  '      VpcId: vpc-123',
  '      CidrBlock: 10.0.0.0/24',
  '      MapPublicIpOnLaunch: true',
);

const cfnJson = `{
  "Resources": {
    "Public": {
      "Type": "AWS::EC2::Subnet",
      "Properties": { "VpcId": "vpc-123", "CidrBlock": "10.0.0.0/24", "MapPublicIpOnLaunch": "true" }
    }
  }
}
`;

const tfJson = `{
  "variable": { "public": { "type": "bool", "default": true } },
  "resource": {
    "aws_subnet": {
      "public": { "vpc_id": "vpc-123", "cidr_block": "10.0.0.0/24", "map_public_ip_on_launch": "\${var.public}" }
    }
  }
}
`;

const plan = `{
  "format_version": "1.2",
  "planned_values": {"root_module": {"resources": [
    {"address": "aws_subnet.public", "mode": "managed", "type": "aws_subnet", "name": "public",
     "values": {"cidr_block": "10.0.0.0/24", "map_public_ip_on_launch": true}}
  ]}}
}
`;

ruleTester(subnetAutoAssignsPublicIp, {
  valid: [
    {
      name: 'false',
      file: 'template.yaml',
      code: cfnYaml.replace('MapPublicIpOnLaunch: true', 'MapPublicIpOnLaunch: false'),
    },
    {
      name: 'absent (default false)',
      file: 'template.yaml',
      code: cfnYaml.replace('      MapPublicIpOnLaunch: true\n', ''),
    },
    { name: 'CFN JSON false', file: 'template.json', code: cfnJson.replace('"true"', 'false') },
    {
      name: 'Terraform variable default false',
      file: 'main.tf.json',
      code: tfJson.replace('"default": true', '"default": false'),
    },
    {
      name: 'plan false',
      file: 'plan.json',
      code: plan.replace('"map_public_ip_on_launch": true', '"map_public_ip_on_launch": false'),
    },
  ],
  invalid: [
    {
      name: 'CFN YAML',
      file: 'template.yaml',
      code: cfnYaml,
      errors: [
        {
          text: 'true',
          line: 7,
          severity: 'info',
          message:
            'Subnet Public gives every instance launched in it a public IP (MapPublicIpOnLaunch: true). Turn it off and give public addresses only to what must be reachable, ideally a load balancer.',
          fixes: [
            {
              title: 'Set MapPublicIpOnLaunch to false',
              output: cfnYaml.replace('MapPublicIpOnLaunch: true', 'MapPublicIpOnLaunch: false'),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN YAML: one branch of a condition',
      file: 'template.yaml',
      code: lines(
        'Conditions:',
        '  Dev: !Equals [!Ref AWS::Region, eu-west-1]',
        'Resources:',
        '  Public: {Type: AWS::EC2::Subnet, Properties: {VpcId: vpc-1, CidrBlock: 10.0.0.0/24, MapPublicIpOnLaunch: !If [Dev, true, false]}}',
      ),
      errors: [
        {
          text: '!If [Dev, true, false]',
          line: 4,
          message:
            /^Subnet Public can give every instance launched in it a public IP \(MapPublicIpOnLaunch: true, through condition Dev being true\)/,
          related: ['Value when condition Dev is true'],
          fixes: [
            {
              title: 'Set MapPublicIpOnLaunch to false',
              output: lines(
                'Conditions:',
                '  Dev: !Equals [!Ref AWS::Region, eu-west-1]',
                'Resources:',
                '  Public: {Type: AWS::EC2::Subnet, Properties: {VpcId: vpc-1, CidrBlock: 10.0.0.0/24, MapPublicIpOnLaunch: false}}',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN JSON: the string "true"',
      file: 'template.json',
      code: cfnJson,
      errors: [
        {
          text: '"true"',
          line: 5,
          fixes: [{ title: 'Set MapPublicIpOnLaunch to false', output: cfnJson.replace('"true"', 'false') }],
        },
      ],
    },
    {
      name: 'Terraform JSON: through a variable default',
      file: 'main.tf.json',
      code: tfJson,
      errors: [
        {
          text: '"${var.public}"',
          line: 5,
          message:
            /^Subnet aws_subnet\.public gives every instance launched in it a public IP \(map_public_ip_on_launch: true, through the default of public\)/,
          related: ['Default of public'],
          fixes: [
            {
              title: 'Set map_public_ip_on_launch to false',
              output: tfJson.replace('"${var.public}"', 'false'),
            },
          ],
        },
      ],
    },
    {
      name: 'plan (no fixes)',
      file: 'plan.json',
      code: plan,
      errors: [{ text: 'true', line: 5, fixes: [] }],
    },
  ],
});

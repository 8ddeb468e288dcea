import { lines, ruleTester } from '../../testing/ruleTester';
import { eksEndpointOpenToInternet } from './rule';

const TAIL = (k: string) =>
  ` Turn on the private endpoint and limit ${k} to the ranges your operators and CI use, or turn the public endpoint off.`;
const DESC = 'CIDR ranges allowed to reach the public EKS API endpoint; never 0.0.0.0/0.';
const CFN_PARAM = `Parameters:\n  EksPublicAccessCidrs:\n    Type: CommaDelimitedList\n    Description: '${DESC}'\n`;

const absentYaml = lines(
  'Resources:',
  '  Cluster:',
  '    Type: AWS::EKS::Cluster',
  '    Properties:',
  '      RoleArn: arn:aws:iam::123456789012:role/eks',
  '      ResourcesVpcConfig:',
  '        SubnetIds: [subnet-1, subnet-2]',
);

const explicitYaml = lines(
  'Resources:',
  '  Cluster:',
  '    Type: AWS::EKS::Cluster',
  '    Properties:',
  '      RoleArn: arn:aws:iam::123456789012:role/eks',
  '      ResourcesVpcConfig:',
  '        SubnetIds: [subnet-1, subnet-2]',
  '        EndpointPublicAccess: true',
  '        EndpointPrivateAccess: false',
);

const listYaml = lines(
  'Resources:',
  '  Cluster:',
  '    Type: AWS::EKS::Cluster',
  '    Properties:',
  '      RoleArn: arn:aws:iam::123456789012:role/eks',
  '      ResourcesVpcConfig:',
  '        SubnetIds: [subnet-1, subnet-2]',
  '        PublicAccessCidrs:',
  '          - 203.0.113.0/24',
  '          - ::/0',
);

const paramYaml = lines(
  'Parameters:',
  '  ApiCidrs:',
  '    Type: CommaDelimitedList',
  '    Default: "203.0.113.0/24,0.0.0.0/0"',
  'Resources:',
  '  Cluster:',
  '    Type: AWS::EKS::Cluster',
  '    Properties:',
  '      RoleArn: arn:aws:iam::123456789012:role/eks',
  '      ResourcesVpcConfig:',
  '        SubnetIds: [subnet-1, subnet-2]',
  '        PublicAccessCidrs: !Ref ApiCidrs',
);

const cfnJson = `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Conditions": { "Open": { "Fn::Equals": [{ "Ref": "AWS::Region" }, "us-east-1"] } },
  "Resources": {
    "Cluster": {
      "Type": "AWS::EKS::Cluster",
      "Properties": {
        "RoleArn": "arn:aws:iam::123456789012:role/eks",
        "ResourcesVpcConfig": {
          "SubnetIds": ["subnet-1"],
          "EndpointPublicAccess": { "Fn::If": ["Open", true, false] },
          "PublicAccessCidrs": ["0.0.0.0/0"]
        }
      }
    }
  }
}
`;

const tfJson = `{
  "resource": {
    "aws_eks_cluster": {
      "main": {
        "name": "main",
        "role_arn": "arn:aws:iam::123456789012:role/eks",
        "vpc_config": {
          "subnet_ids": ["subnet-1", "subnet-2"]
        }
      },
      "two": {
        "name": "two",
        "role_arn": "arn:aws:iam::123456789012:role/eks",
        "vpc_config": [
          {
            "subnet_ids": ["subnet-1"],
            "endpoint_public_access": true,
            "public_access_cidrs": ["0.0.0.0/0"]
          }
        ]
      }
    }
  }
}
`;

const TF_VAR = `{\n  "variable": {\n    "eks_public_access_cidrs": {\n      "type": "list(string)",\n      "description": "${DESC}"\n    }\n  },\n  "resource"`;

const plan = `{
  "format_version": "1.2",
  "planned_values": {
    "root_module": {
      "resources": [
        {
          "address": "aws_eks_cluster.main",
          "mode": "managed",
          "type": "aws_eks_cluster",
          "name": "main",
          "values": {
            "name": "main",
            "vpc_config": [
              { "endpoint_private_access": false, "endpoint_public_access": true, "public_access_cidrs": ["0.0.0.0/0"], "subnet_ids": ["subnet-1"] }
            ]
          }
        }
      ]
    }
  }
}
`;

const emptyYaml = lines(
  'Resources:',
  '  Cluster:',
  '    Type: AWS::EKS::Cluster',
  '    Properties:',
  '      RoleArn: arn:aws:iam::123456789012:role/eks',
  '      ResourcesVpcConfig:',
  '        SubnetIds: [subnet-1, subnet-2]',
  '        EndpointPublicAccess: true',
  '        PublicAccessCidrs: []',
);

const emptyTf = `{
  "resource": {
    "aws_eks_cluster": {
      "main": {
        "name": "main",
        "role_arn": "arn:aws:iam::123456789012:role/eks",
        "vpc_config": {
          "subnet_ids": ["subnet-1"],
          "endpoint_public_access": true,
          "public_access_cidrs": []
        }
      }
    }
  }
}
`;

ruleTester(eksEndpointOpenToInternet, {
  valid: [
    {
      name: 'public endpoint off; public endpoint limited to a range; trusted range',
      file: 'template.yaml',
      settings: { trustedCidrs: ['198.51.100.0/24'] },
      code: lines(
        'Resources:',
        '  Private:',
        '    Type: AWS::EKS::Cluster',
        '    Properties:',
        '      ResourcesVpcConfig:',
        '        SubnetIds: [subnet-1]',
        '        EndpointPublicAccess: false',
        '        EndpointPrivateAccess: true',
        '  Limited:',
        '    Type: AWS::EKS::Cluster',
        '    Properties:',
        '      ResourcesVpcConfig:',
        '        SubnetIds: [subnet-1]',
        '        PublicAccessCidrs: [203.0.113.0/24]',
        '  Trusted:',
        '    Type: AWS::EKS::Cluster',
        '    Properties:',
        '      ResourcesVpcConfig:',
        '        SubnetIds: [subnet-1]',
        '        PublicAccessCidrs: [198.51.100.0/24]',
      ),
    },
    {
      name: 'unknown values are never findings by themselves',
      file: 'template.yaml',
      code: lines(
        'Parameters:',
        '  Public:',
        '    Type: String',
        '  Cidrs:',
        '    Type: CommaDelimitedList',
        'Resources:',
        '  A:',
        '    Type: AWS::EKS::Cluster',
        '    Properties:',
        '      ResourcesVpcConfig:',
        '        EndpointPublicAccess: !Ref Public',
        '  B:',
        '    Type: AWS::EKS::Cluster',
        '    Properties:',
        '      ResourcesVpcConfig:',
        '        PublicAccessCidrs: !Ref Cidrs',
      ),
    },
    {
      name: 'TF: public endpoint off',
      file: 'main.tf.json',
      code: `{"resource": {"aws_eks_cluster": {"a": {"vpc_config": {"subnet_ids": ["s"], "endpoint_public_access": false}}}}}
`,
    },
    {
      name: 'plan: ranges known only after apply',
      file: 'plan.json',
      code: `{"format_version": "1.2", "planned_values": {"root_module": {"resources": [
  {"address": "aws_eks_cluster.a", "mode": "managed", "type": "aws_eks_cluster", "name": "a",
   "values": {"vpc_config": [{"endpoint_public_access": true, "subnet_ids": ["s"]}]}}]}},
 "resource_changes": [{"address": "aws_eks_cluster.a", "change": {"after_unknown": {"vpc_config": [{"public_access_cidrs": true}]}}}]}
`,
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: nothing set means public and open (reported on the logical id)',
      file: 'template.yaml',
      code: absentYaml,
      errors: [
        {
          text: 'Cluster',
          line: 2,
          message: `The EKS API endpoint of Cluster is public and open to the internet: neither EndpointPublicAccess nor PublicAccessCidrs is set, and PublicAccessCidrs defaults to 0.0.0.0/0.${TAIL('PublicAccessCidrs')}`,
          severity: 'warning',
          fixes: [
            {
              title:
                'Enable the private endpoint and allow the public endpoint only from a new parameter EksPublicAccessCidrs',
              output:
                CFN_PARAM +
                absentYaml.replace(
                  '[subnet-1, subnet-2]\n',
                  '[subnet-1, subnet-2]\n        EndpointPrivateAccess: true\n        PublicAccessCidrs: !Ref EksPublicAccessCidrs\n',
                ),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN YAML: public explicitly, ranges absent',
      file: 'template.yaml',
      code: explicitYaml,
      errors: [
        {
          text: 'true',
          line: 8,
          message: `The EKS API endpoint of Cluster is public and open to the internet: EndpointPublicAccess is true, and PublicAccessCidrs defaults to 0.0.0.0/0.${TAIL('PublicAccessCidrs')}`,
          fixes: [
            {
              title:
                'Enable the private endpoint and allow the public endpoint only from a new parameter EksPublicAccessCidrs',
              output:
                CFN_PARAM +
                explicitYaml.replace(
                  'EndpointPrivateAccess: false\n',
                  'EndpointPrivateAccess: true\n        PublicAccessCidrs: !Ref EksPublicAccessCidrs\n',
                ),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN YAML: an open IPv6 range in the list',
      file: 'template.yaml',
      code: listYaml,
      errors: [
        {
          text: '::/0',
          line: 10,
          message: `The EKS API endpoint of Cluster (EndpointPublicAccess is not set: public by default) is public and open to the internet: PublicAccessCidrs includes ::/0.${TAIL('PublicAccessCidrs')}`,
          fixes: [
            {
              title:
                'Enable the private endpoint and allow the public endpoint only from a new parameter EksPublicAccessCidrs',
              output:
                CFN_PARAM +
                listYaml.replace(
                  '        PublicAccessCidrs:\n          - 203.0.113.0/24\n          - ::/0\n',
                  '        PublicAccessCidrs: !Ref EksPublicAccessCidrs\n        EndpointPrivateAccess: true\n',
                ),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN YAML: a CommaDelimitedList default, reported at the use',
      file: 'template.yaml',
      code: paramYaml,
      errors: [
        {
          text: '!Ref ApiCidrs',
          line: 12,
          message: /PublicAccessCidrs includes 0\.0\.0\.0\/0 \(the default of ApiCidrs\)\./,
          related: ['Default of ApiCidrs'],
          fixes: [
            {
              title: 'Enable the private endpoint and remove the open default of ApiCidrs',
              output: paramYaml
                .replace('    Default: "203.0.113.0/24,0.0.0.0/0"\n', '')
                .replace('!Ref ApiCidrs\n', '!Ref ApiCidrs\n        EndpointPrivateAccess: true\n'),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN JSON: public in one branch of Fn::If',
      file: 'template.json',
      code: cfnJson,
      errors: [
        {
          text: '"0.0.0.0/0"',
          line: 12,
          message:
            /^The EKS API endpoint of Cluster can be public and open to the internet: PublicAccessCidrs includes 0\.0\.0\.0\/0\./,
          fixes: [
            {
              title:
                'Enable the private endpoint and allow the public endpoint only from a new parameter EksPublicAccessCidrs',
              output: cfnJson
                .replace(
                  '  "Resources"',
                  `  "Parameters": {\n    "EksPublicAccessCidrs": {\n      "Type": "CommaDelimitedList",\n      "Description": "${DESC}"\n    }\n  },\n  "Resources"`,
                )
                .replace(
                  '"PublicAccessCidrs": ["0.0.0.0/0"]',
                  '"PublicAccessCidrs": { "Ref": "EksPublicAccessCidrs" },\n          "EndpointPrivateAccess": true',
                ),
            },
          ],
        },
      ],
    },
    {
      name: 'TF JSON: defaults, and an explicit open range in a block list',
      file: 'main.tf.json',
      code: tfJson,
      errors: [
        {
          text: '"main"',
          line: 4,
          message: `The EKS API endpoint of aws_eks_cluster.main is public and open to the internet: neither endpoint_public_access nor public_access_cidrs is set, and public_access_cidrs defaults to 0.0.0.0/0.${TAIL('public_access_cidrs')}`,
          fixes: [
            {
              title:
                'Enable the private endpoint and allow the public endpoint only from a new parameter eks_public_access_cidrs',
              output: tfJson
                .replace('{\n  "resource"', TF_VAR)
                .replace(
                  '"subnet_ids": ["subnet-1", "subnet-2"]\n',
                  '"subnet_ids": ["subnet-1", "subnet-2"],\n          "endpoint_private_access": true,\n          "public_access_cidrs": "${var.eks_public_access_cidrs}"\n',
                ),
            },
          ],
        },
        {
          text: '"0.0.0.0/0"',
          line: 18,
          message: `The EKS API endpoint of aws_eks_cluster.two is public and open to the internet: public_access_cidrs includes 0.0.0.0/0.${TAIL('public_access_cidrs')}`,
          fixes: [
            {
              title:
                'Enable the private endpoint and allow the public endpoint only from a new parameter eks_public_access_cidrs',
              output: tfJson
                .replace('{\n  "resource"', TF_VAR)
                .replace(
                  '"public_access_cidrs": ["0.0.0.0/0"]',
                  '"public_access_cidrs": "${var.eks_public_access_cidrs}",\n            "endpoint_private_access": true',
                ),
            },
          ],
        },
      ],
    },
    {
      name: 'plan (no fixes)',
      file: 'plan.json',
      code: plan,
      errors: [
        {
          text: '"0.0.0.0/0"',
          line: 14,
          message:
            /^The EKS API endpoint of aws_eks_cluster\.main is public and open to the internet: public_access_cidrs includes 0\.0\.0\.0\/0\./,
          fixes: [],
        },
      ],
    },
    {
      name: 'CFN YAML: an empty PublicAccessCidrs is not sent, and EKS applies 0.0.0.0/0',
      file: 'template.yaml',
      code: emptyYaml,
      errors: [
        {
          text: '[]',
          line: 9,
          message:
            "The EKS API endpoint of Cluster is public and open to the internet: PublicAccessCidrs is empty, and an empty list means EKS's default 0.0.0.0/0. Turn on the private endpoint and limit PublicAccessCidrs to the ranges your operators and CI use, or turn the public endpoint off.",
          fixes: [
            {
              title:
                'Enable the private endpoint and allow the public endpoint only from a new parameter EksPublicAccessCidrs',
              output: lines(
                'Parameters:',
                '  EksPublicAccessCidrs:',
                '    Type: CommaDelimitedList',
                "    Description: 'CIDR ranges allowed to reach the public EKS API endpoint; never 0.0.0.0/0.'",
                ...emptyYaml
                  .replace(
                    'PublicAccessCidrs: []',
                    'PublicAccessCidrs: !Ref EksPublicAccessCidrs\n        EndpointPrivateAccess: true',
                  )
                  .split('\n')
                  .slice(0, -1),
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'TF JSON: public_access_cidrs = [] is open',
      file: 'main.tf.json',
      code: emptyTf,
      errors: [
        {
          text: '[]',
          line: 10,
          message:
            /^The EKS API endpoint of aws_eks_cluster\.main is public and open to the internet: public_access_cidrs is empty/,
          fixes: [
            {
              title:
                'Enable the private endpoint and allow the public endpoint only from a new parameter eks_public_access_cidrs',
              output: emptyTf
                .replace('{\n  "resource"', TF_VAR)
                .replace(
                  '"public_access_cidrs": []',
                  '"public_access_cidrs": "${var.eks_public_access_cidrs}",\n          "endpoint_private_access": true',
                ),
            },
          ],
        },
      ],
    },
    {
      name: 'plan: an empty public_access_cidrs list',
      file: 'plan.json',
      code: `{"format_version": "1.2", "planned_values": {"root_module": {"resources": [
  {"address": "aws_eks_cluster.main", "mode": "managed", "type": "aws_eks_cluster", "name": "main",
   "values": {"name": "main", "vpc_config": [{"endpoint_public_access": true, "public_access_cidrs": []}]}}
]}}}
`,
      errors: [
        {
          text: '[]',
          line: 3,
          message:
            /^The EKS API endpoint of aws_eks_cluster\.main is public and open to the internet: public_access_cidrs is empty/,
          fixes: [],
        },
      ],
    },
  ],
});

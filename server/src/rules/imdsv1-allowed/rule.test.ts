import { lines, ruleTester } from '../../testing/ruleTester';
import { imdsv1Allowed } from './rule';

const explicitYaml = lines(
  'AWSTemplateFormatVersion: "2010-09-09"',
  'Resources:',
  '  Web:',
  '    Type: AWS::EC2::Instance',
  '    Properties:',
  '      ImageId: ami-12345678',
  '      MetadataOptions:',
  '        HttpEndpoint: enabled',
  '        HttpTokens: optional',
);

const absentYaml = lines(
  'Resources:',
  '  Web:',
  '    Type: AWS::EC2::Instance',
  '    Properties:',
  '      ImageId: ami-12345678',
  '      InstanceType: t3.micro',
  '  Lc:',
  '    Type: AWS::AutoScaling::LaunchConfiguration',
  '    Properties:',
  '      ImageId: ami-12345678',
  '      MetadataOptions: {HttpEndpoint: enabled}',
);

const templateJson = `{
  "Resources": {
    "Lt": {
      "Type": "AWS::EC2::LaunchTemplate",
      "Properties": {
        "LaunchTemplateData": {
          "ImageId": "ami-12345678"
        }
      }
    }
  }
}
`;

const tfJson = `{
  "resource": {
    "aws_instance": {
      "web": {
        "ami": "ami-12345678",
        "metadata_options": [
          {
            "http_tokens": "optional"
          }
        ]
      }
    },
    "aws_launch_template": {
      "lt": {
        "image_id": "ami-12345678"
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
            "ami": "ami-12345678",
            "metadata_options": [
              { "http_endpoint": "enabled", "http_tokens": "optional", "http_put_response_hop_limit": 1 }
            ]
          }
        }
      ]
    }
  }
}
`;

const paramYaml = lines(
  'Parameters:',
  '  Tokens:',
  '    Type: String',
  '    Default: optional',
  '    AllowedValues: [optional, required]',
  'Resources:',
  '  Web:',
  '    Type: AWS::EC2::Instance',
  '    Properties:',
  '      MetadataOptions:',
  '        HttpTokens: !Ref Tokens',
);

const notebookYaml = lines(
  'Resources:',
  '  Nb:',
  '    Type: AWS::SageMaker::NotebookInstance',
  '    Properties:',
  '      InstanceType: ml.t3.medium',
  '      RoleArn: arn:aws:iam::123456789012:role/sm',
  '      InstanceMetadataServiceConfiguration:',
  '        MinimumInstanceMetadataServiceVersion: "1"',
);

const notebookTf = `{
  "resource": {
    "aws_sagemaker_notebook_instance": {
      "nb": {
        "name": "nb",
        "role_arn": "arn:aws:iam::123456789012:role/sm",
        "instance_type": "ml.t3.medium"
      }
    }
  }
}
`;

const overrideYaml = lines(
  'Resources:',
  '  Lt:',
  '    Type: AWS::EC2::LaunchTemplate',
  '    Properties:',
  '      LaunchTemplateData:',
  '        MetadataOptions:',
  '          HttpTokens: required',
  '  Web:',
  '    Type: AWS::EC2::Instance',
  '    Properties:',
  '      LaunchTemplate:',
  '        LaunchTemplateId: !Ref Lt',
  '        Version: !GetAtt Lt.LatestVersionNumber',
  '      MetadataOptions:',
  '        HttpTokens: optional',
);

const AL2023 = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64';

const al2Yaml = lines(
  'Parameters:',
  '  LatestAmiId:',
  "    Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>'",
  '    Default: /aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2',
  'Resources:',
  '  Web:',
  '    Type: AWS::EC2::Instance',
  '    Properties:',
  '      ImageId: !Ref LatestAmiId',
  '      InstanceType: t3.micro',
);

const selfAmiTf = `{
  "data": {
    "aws_ami": {
      "al2023": {
        "most_recent": true,
        "owners": ["self"],
        "filter": [{ "name": "name", "values": ["al2023-ami-*"] }]
      }
    }
  },
  "resource": {
    "aws_instance": {
      "web": {
        "ami": "\${data.aws_ami.al2023.id}",
        "instance_type": "t3.micro"
      }
    }
  }
}
`;

ruleTester(imdsv1Allowed, {
  valid: [
    {
      name: 'required tokens on instance, launch template and launch configuration',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Web:',
        '    Type: AWS::EC2::Instance',
        '    Properties:',
        '      MetadataOptions: {HttpTokens: required, HttpPutResponseHopLimit: 1}',
        '  Lt:',
        '    Type: AWS::EC2::LaunchTemplate',
        '    Properties:',
        '      LaunchTemplateData:',
        '        MetadataOptions:',
        '          HttpTokens: required',
        '  Lc:',
        '    Type: AWS::AutoScaling::LaunchConfiguration',
        '    Properties:',
        '      ImageId: ami-1',
        '      MetadataOptions:',
        '        HttpTokens: required',
      ),
    },
    {
      name: 'instance inherits required tokens from its launch template (CFN, by id and by name)',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Lt:',
        '    Type: AWS::EC2::LaunchTemplate',
        '    Properties:',
        '      LaunchTemplateName: web-lt',
        '      LaunchTemplateData:',
        '        MetadataOptions:',
        '          HttpTokens: required',
        '  Web:',
        '    Type: AWS::EC2::Instance',
        '    Properties:',
        '      LaunchTemplate:',
        '        LaunchTemplateId: !Ref Lt',
        '        Version: !GetAtt Lt.LatestVersionNumber',
        '  Web2:',
        '    Type: AWS::EC2::Instance',
        '    Properties:',
        '      LaunchTemplate: {LaunchTemplateName: web-lt, Version: "1"}',
        '  External:',
        '    Type: AWS::EC2::Instance',
        '    Properties:',
        '      LaunchTemplate: {LaunchTemplateId: lt-0123456789abcdef0, Version: "3"}',
      ),
    },
    {
      name: 'TF instance inherits from launch_template id',
      file: 'main.tf.json',
      code: `{"resource": {
  "aws_launch_template": {"lt": {"image_id": "ami-1", "metadata_options": {"http_tokens": "required"}}},
  "aws_instance": {"web": {"launch_template": {"id": "\${aws_launch_template.lt.id}", "version": "$Latest"}}}
}}
`,
    },
    {
      name: 'HttpEndpoint disabled passes, also when inherited from the template',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Off:',
        '    Type: AWS::EC2::Instance',
        '    Properties:',
        '      MetadataOptions:',
        '        HttpEndpoint: disabled',
        '        HttpTokens: optional',
        '  Lt:',
        '    Type: AWS::EC2::LaunchTemplate',
        '    Properties:',
        '      LaunchTemplateData:',
        '        MetadataOptions: {HttpEndpoint: disabled}',
        '  Web:',
        '    Type: AWS::EC2::Instance',
        '    Properties:',
        '      LaunchTemplate: {LaunchTemplateId: !Ref Lt, Version: "1"}',
        '      MetadataOptions: {HttpTokens: optional}',
      ),
    },
    {
      name: 'unknown values are never findings',
      file: 'template.yaml',
      code: lines(
        'Parameters:',
        '  Tokens:',
        '    Type: String',
        'Resources:',
        '  Web:',
        '    Type: AWS::EC2::Instance',
        '    Properties:',
        '      MetadataOptions:',
        '        HttpTokens: !Ref Tokens',
      ),
    },
    {
      name: 'plan: metadata options computed at apply',
      file: 'plan.json',
      code: `{"format_version": "1.2", "planned_values": {"root_module": {"resources": [
  {"address": "aws_instance.a", "mode": "managed", "type": "aws_instance", "name": "a", "values": {"ami": "ami-1"}}]}},
 "resource_changes": [{"address": "aws_instance.a", "change": {"after_unknown": {"metadata_options": true}}}]}
`,
    },
    {
      name: 'SageMaker notebook on IMDSv2',
      file: 'template.yaml',
      code: notebookYaml.replace('"1"', '"2"'),
    },
    {
      name: 'CFN YAML: Amazon Linux 2023 from an SSM parameter default and from {{resolve:ssm}} launch with tokens required',
      file: 'template.yaml',
      code: lines(
        'Parameters:',
        '  LatestAmiId:',
        "    Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>'",
        `    Default: ${AL2023}`,
        'Resources:',
        '  Web:',
        '    Type: AWS::EC2::Instance',
        '    Properties:',
        '      ImageId: !Ref LatestAmiId',
        '      InstanceType: t3.micro',
        '  Fleet:',
        '    Type: AWS::EC2::LaunchTemplate',
        '    Properties:',
        '      LaunchTemplateData:',
        "        ImageId: '{{resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64}}'",
        '        InstanceType: t4g.small',
        '  Legacy:',
        '    Type: AWS::AutoScaling::LaunchConfiguration',
        '    Properties:',
        '      ImageId: !Ref LatestAmiId',
        '      InstanceType: t3.micro',
      ),
    },
    {
      name: 'CFN JSON: {{resolve:ssm}} of an AL2023 parameter',
      file: 'template.json',
      code: `{
  "Resources": {
    "Web": {
      "Type": "AWS::EC2::Instance",
      "Properties": { "ImageId": "{{resolve:ssm:${AL2023}}}", "InstanceType": "t3.micro" }
    }
  }
}
`,
    },
    {
      name: 'TF JSON: data aws_ssm_parameter and Amazon-owned data aws_ami naming al2023, resolve:ssm in image_id',
      file: 'main.tf.json',
      code: `{
  "data": {
    "aws_ssm_parameter": { "al2023": { "name": "${AL2023}" } },
    "aws_ami": {
      "al2023": {
        "most_recent": true,
        "owners": ["amazon"],
        "filter": [{ "name": "name", "values": ["al2023-ami-2023.*-x86_64"] }, { "name": "architecture", "values": ["x86_64"] }]
      }
    }
  },
  "resource": {
    "aws_instance": {
      "web": { "ami": "\${data.aws_ssm_parameter.al2023.value}", "instance_type": "t3.micro" },
      "api": { "ami": "\${data.aws_ami.al2023.id}", "instance_type": "t3.micro" }
    },
    "aws_launch_template": {
      "fleet": { "image_id": "resolve:ssm:${AL2023}", "instance_type": "t3.micro" }
    }
  }
}
`,
    },
    {
      name: 'plan: the AMI comes from a data aws_ssm_parameter naming al2023',
      file: 'plan.json',
      code: `{
  "format_version": "1.2",
  "planned_values": {"root_module": {"resources": [
    {"address": "aws_instance.web", "mode": "managed", "type": "aws_instance", "name": "web", "values": {"ami": "ami-0f3c7d07486cad139", "instance_type": "t3.micro"}}
  ]}},
  "configuration": {"root_module": {"resources": [
    {"address": "aws_instance.web", "mode": "managed", "type": "aws_instance", "name": "web", "expressions": {"ami": {"references": ["data.aws_ssm_parameter.al2023.value", "data.aws_ssm_parameter.al2023"]}}},
    {"address": "data.aws_ssm_parameter.al2023", "mode": "data", "type": "aws_ssm_parameter", "name": "al2023", "expressions": {"name": {"constant_value": "${AL2023}"}}}
  ]}}
}
`,
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: an Amazon Linux 2 parameter default: the warning names the AMI',
      file: 'template.yaml',
      code: al2Yaml,
      errors: [
        {
          text: 'Web',
          line: 6,
          severity: 'warning',
          message:
            'IMDSv2 is not enforced by this template: instance Web does not set MetadataOptions.HttpTokens, so whether IMDSv1 is available depends on the AMI (ImageId from parameter LatestAmiId) and the account default: AMIs registered with ImdsSupport v2.0, such as Amazon Linux 2023, require tokens; others allow IMDSv1. Set HttpTokens to required.',
          related: ['The AMI decides the IMDS default when HttpTokens is not set.'],
          fixes: [
            {
              title: 'Set HttpTokens to required (IMDSv2 only)',
              output: al2Yaml + '      MetadataOptions:\n        HttpTokens: required\n',
            },
          ],
        },
      ],
    },
    {
      name: 'TF JSON: a data aws_ami owned by this account may be any image',
      file: 'main.tf.json',
      code: selfAmiTf,
      errors: [
        {
          text: '"web"',
          line: 13,
          severity: 'warning',
          message: /depends on the AMI \(ami data\.aws_ami\.al2023\)/,
          related: ['The AMI decides the IMDS default when http_tokens is not set.'],
          fixes: [
            {
              title: 'Set http_tokens to required (IMDSv2 only)',
              output: selfAmiTf.replace(
                '"instance_type": "t3.micro"\n',
                '"instance_type": "t3.micro",\n        "metadata_options": { "http_tokens": "required" }\n',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN YAML explicit optional (error, on the value)',
      file: 'template.yaml',
      code: explicitYaml,
      errors: [
        {
          text: 'optional',
          line: 9,
          severity: 'error',
          message:
            "IMDSv1 is allowed on instance Web: HttpTokens is optional, so any process or server-side request forgery that reaches the metadata service can read the role's credentials with a plain GET. Set HttpTokens to required.",
          fixes: [
            {
              title: 'Set HttpTokens to required (IMDSv2 only)',
              output: explicitYaml.replace('HttpTokens: optional', 'HttpTokens: required'),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN YAML absent (warning on the logical id) and a flow map without HttpTokens',
      file: 'template.yaml',
      code: absentYaml,
      errors: [
        {
          text: 'Web',
          line: 2,
          severity: 'warning',
          message:
            'IMDSv2 is not enforced by this template: instance Web does not set MetadataOptions.HttpTokens, so whether IMDSv1 is available depends on the AMI (ImageId ami-12345678) and the account default: AMIs registered with ImdsSupport v2.0, such as Amazon Linux 2023, require tokens; others allow IMDSv1. Set HttpTokens to required.',
          fixes: [
            {
              title: 'Set HttpTokens to required (IMDSv2 only)',
              output: absentYaml.replace(
                '      InstanceType: t3.micro\n',
                '      InstanceType: t3.micro\n      MetadataOptions:\n        HttpTokens: required\n',
              ),
            },
          ],
        },
        {
          text: 'MetadataOptions',
          line: 11,
          severity: 'warning',
          message: /^IMDSv2 is not enforced by this template: launch configuration Lc does not set/,
          fixes: [
            {
              title: 'Set HttpTokens to required (IMDSv2 only)',
              output: absentYaml.replace(
                '{HttpEndpoint: enabled}',
                '{HttpEndpoint: enabled, HttpTokens: required}',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN JSON launch template without metadata options',
      file: 'template.json',
      code: templateJson,
      errors: [
        {
          text: '"Lt"',
          line: 3,
          severity: 'warning',
          message:
            /^IMDSv2 is not enforced by this template: launch template Lt does not set MetadataOptions\.HttpTokens/,
          fixes: [
            {
              title: 'Set HttpTokens to required (IMDSv2 only)',
              output: templateJson.replace(
                '"ImageId": "ami-12345678"',
                '"ImageId": "ami-12345678",\n          "MetadataOptions": { "HttpTokens": "required" }',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'TF JSON: block list with optional, launch template without the block',
      file: 'main.tf.json',
      code: tfJson,
      errors: [
        {
          text: '"optional"',
          line: 8,
          severity: 'error',
          message: /^IMDSv1 is allowed on instance aws_instance\.web: http_tokens is optional/,
          fixes: [
            {
              title: 'Set http_tokens to required (IMDSv2 only)',
              output: tfJson.replace('"http_tokens": "optional"', '"http_tokens": "required"'),
            },
          ],
        },
        {
          text: '"lt"',
          line: 14,
          severity: 'warning',
          message:
            'IMDSv2 is not enforced by this template: launch template aws_launch_template.lt does not set metadata_options.http_tokens, so whether IMDSv1 is available depends on the AMI (image_id ami-12345678) and the account default: AMIs registered with ImdsSupport v2.0, such as Amazon Linux 2023, require tokens; others allow IMDSv1. Set http_tokens to required.',
          fixes: [
            {
              title: 'Set http_tokens to required (IMDSv2 only)',
              output: tfJson.replace(
                '"image_id": "ami-12345678"',
                '"image_id": "ami-12345678",\n        "metadata_options": { "http_tokens": "required" }',
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
      errors: [{ text: '"optional"', line: 14, severity: 'error', message: /^IMDSv1 is allowed/, fixes: [] }],
    },
    {
      name: 'parameter default optional: reported at the use, with the parameter as evidence',
      file: 'template.yaml',
      code: paramYaml,
      errors: [
        {
          text: '!Ref Tokens',
          line: 11,
          message:
            /^IMDSv1 can be allowed on instance Web: HttpTokens can be optional \(the default of Tokens\)/,
          related: ['Default of Tokens'],
          fixes: [
            {
              title: 'Set HttpTokens to required (IMDSv2 only)',
              output: paramYaml.replace('HttpTokens: !Ref Tokens', 'HttpTokens: required'),
            },
          ],
        },
      ],
    },
    {
      name: 'an instance overriding its template with optional tokens',
      file: 'template.yaml',
      code: overrideYaml,
      errors: [
        {
          text: 'optional',
          line: 15,
          message: /^IMDSv1 is allowed on instance Web/,
          fixes: [
            {
              title: 'Set HttpTokens to required (IMDSv2 only)',
              output: overrideYaml.replace('HttpTokens: optional', 'HttpTokens: required'),
            },
          ],
        },
      ],
    },
    {
      name: 'SageMaker notebook with minimum version 1 (CFN)',
      file: 'template.yaml',
      code: notebookYaml,
      errors: [
        {
          text: '"1"',
          line: 8,
          severity: 'error',
          message: /^IMDSv1 is allowed on notebook instance Nb: MinimumInstanceMetadataServiceVersion is 1/,
          fixes: [
            {
              title: 'Set MinimumInstanceMetadataServiceVersion to 2 (IMDSv2 only)',
              output: notebookYaml.replace('"1"', "'2'"),
            },
          ],
        },
      ],
    },
    {
      name: 'SageMaker notebook without the setting (TF)',
      file: 'main.tf.json',
      code: notebookTf,
      errors: [
        {
          text: '"nb"',
          line: 4,
          severity: 'warning',
          message:
            'IMDSv2 is not enforced by this template: notebook instance aws_sagemaker_notebook_instance.nb does not set instance_metadata_service_configuration.minimum_instance_metadata_service_version, which defaults to 1 (IMDSv1 allowed). Set it to 2.',
          fixes: [
            {
              title: 'Set minimum_instance_metadata_service_version to 2 (IMDSv2 only)',
              output: notebookTf.replace(
                '"instance_type": "ml.t3.medium"',
                '"instance_type": "ml.t3.medium",\n        "instance_metadata_service_configuration": { "minimum_instance_metadata_service_version": "2" }',
              ),
            },
          ],
        },
      ],
    },
  ],
});

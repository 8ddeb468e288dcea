import { lines, ruleTester } from '../../testing/ruleTester';
import { interfaceEndpointMissing } from './rule';

// SAM: a function in a VPC (VpcConfig of its own or from Globals) is read as the Lambda function
// the transform writes; policy templates by name say which services it calls.
const yaml = lines(
  'Transform: AWS::Serverless-2016-10-31',
  'Globals:',
  '  Function:',
  '    VpcConfig:',
  '      SubnetIds: [!Ref Private]',
  '      SecurityGroupIds: [sg-1]',
  'Resources:',
  '  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16, EnableDnsHostnames: true}}',
  '  Private: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}}',
  '  Fn:',
  '    Type: AWS::Serverless::Function',
  '    Properties:',
  '      Handler: app.handler',
  '      Runtime: python3.12',
  '      Policies:',
  '        - VPCAccessPolicy: {}',
  '        - SQSSendMessagePolicy: {QueueName: orders}',
);

const json = `{
  "Transform": "AWS::Serverless-2016-10-31",
  "Resources": {
    "Vpc": { "Type": "AWS::EC2::VPC", "Properties": { "CidrBlock": "10.0.0.0/16", "EnableDnsHostnames": true } },
    "Private": { "Type": "AWS::EC2::Subnet", "Properties": { "VpcId": { "Ref": "Vpc" }, "CidrBlock": "10.0.1.0/24" } },
    "Fn": {
      "Type": "AWS::Serverless::Function",
      "Properties": {
        "Handler": "app.handler",
        "Runtime": "python3.12",
        "VpcConfig": { "SubnetIds": [{ "Ref": "Private" }], "SecurityGroupIds": ["sg-1"] },
        "Policies": [{ "AWSSecretsManagerGetSecretValuePolicy": { "SecretArn": "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db" } }]
      }
    }
  }
}
`;

const POLICY_YAML = [
  '      PolicyDocument:',
  "        Version: '2012-10-17'",
  '        Statement:',
  '          - Effect: Allow',
  "            Principal: '*'",
  "            Action: '*'",
  "            Resource: '*'",
  '            Condition:',
  '              StringEquals:',
  '                aws:PrincipalAccount: !Ref AWS::AccountId',
];

ruleTester(interfaceEndpointMissing, {
  valid: [
    {
      name: 'a SAM function in a VPC whose policies name no service the rule checks',
      file: 'template.yaml',
      code: yaml.replace('        - SQSSendMessagePolicy: {QueueName: orders}\n', ''),
    },
    {
      name: 'SQSPollerPolicy: the Lambda service polls an SQS event source from outside the VPC',
      file: 'template.yaml',
      code: yaml.replace('SQSSendMessagePolicy: {QueueName: orders}', 'SQSPollerPolicy: {QueueName: orders}'),
    },
    {
      name: 'a SAM function outside a VPC',
      file: 'template.yaml',
      code: yaml.replace(
        '    VpcConfig:\n      SubnetIds: [!Ref Private]\n      SecurityGroupIds: [sg-1]\n',
        '    Timeout: 10\n',
      ),
    },
    {
      name: 'a SAM function without the SAM transform is not read',
      file: 'template.yaml',
      code: yaml.replace('Transform: AWS::Serverless-2016-10-31\n', ''),
    },
  ],
  invalid: [
    {
      name: 'SAM YAML: VpcConfig from Globals, SQSSendMessagePolicy',
      file: 'template.yaml',
      code: yaml,
      errors: [
        {
          text: 'Fn',
          line: 10,
          severity: 'info',
          message:
            'Lambda function Fn runs in subnet Private with no NAT or internet route, and VPC Vpc has no endpoint for sqs: its calls to sqs time out. Add interface endpoints with private DNS.',
          related: ['Subnet Private has no route out of the VPC'],
          fixes: [
            {
              title: 'Add endpoints for sqs to Vpc (private DNS, HTTPS from the VPC)',
              output:
                yaml +
                lines(
                  '  VpcEndpointSecurityGroup:',
                  '    Type: AWS::EC2::SecurityGroup',
                  '    Properties:',
                  '      GroupDescription: HTTPS from the VPC to its interface endpoints',
                  '      VpcId: !Ref Vpc',
                  '      SecurityGroupIngress:',
                  '        - IpProtocol: tcp',
                  '          FromPort: 443',
                  '          ToPort: 443',
                  '          CidrIp: !GetAtt Vpc.CidrBlock',
                  '  VpcSqsEndpoint:',
                  '    Type: AWS::EC2::VPCEndpoint',
                  '    Properties:',
                  '      VpcId: !Ref Vpc',
                  "      ServiceName: !Sub 'com.amazonaws.${AWS::Region}.sqs'",
                  '      VpcEndpointType: Interface',
                  '      PrivateDnsEnabled: true',
                  '      SubnetIds:',
                  '        - !Ref Private',
                  '      SecurityGroupIds:',
                  '        - !Ref VpcEndpointSecurityGroup',
                  ...POLICY_YAML,
                ),
            },
          ],
        },
      ],
    },
    {
      name: 'SAM JSON: own VpcConfig, AWSSecretsManagerGetSecretValuePolicy',
      file: 'template.json',
      code: json,
      errors: [
        {
          text: '"Fn"',
          line: 6,
          message:
            'Lambda function Fn runs in subnet Private with no NAT or internet route, and VPC Vpc has no endpoint for secretsmanager: its calls to secretsmanager time out. Add interface endpoints with private DNS.',
          fixes: [
            {
              title: 'Add endpoints for secretsmanager to Vpc (private DNS, HTTPS from the VPC)',
              output: json.replace(
                '\n    }\n  }\n}\n',
                `
    },
    "VpcEndpointSecurityGroup": {
      "Type": "AWS::EC2::SecurityGroup",
      "Properties": {
        "GroupDescription": "HTTPS from the VPC to its interface endpoints",
        "VpcId": { "Ref": "Vpc" },
        "SecurityGroupIngress": [
          {
            "IpProtocol": "tcp",
            "FromPort": 443,
            "ToPort": 443,
            "CidrIp": { "Fn::GetAtt": ["Vpc", "CidrBlock"] }
          }
        ]
      }
    },
    "VpcSecretsManagerEndpoint": {
      "Type": "AWS::EC2::VPCEndpoint",
      "Properties": {
        "VpcId": { "Ref": "Vpc" },
        "ServiceName": { "Fn::Sub": "com.amazonaws.\${AWS::Region}.secretsmanager" },
        "VpcEndpointType": "Interface",
        "PrivateDnsEnabled": true,
        "SubnetIds": [{ "Ref": "Private" }],
        "SecurityGroupIds": [{ "Ref": "VpcEndpointSecurityGroup" }],
        "PolicyDocument": {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Effect": "Allow",
              "Principal": "*",
              "Action": "*",
              "Resource": "*",
              "Condition": {
                "StringEquals": { "aws:PrincipalAccount": { "Ref": "AWS::AccountId" } }
              }
            }
          ]
        }
      }
    }
  }
}
`,
              ),
            },
          ],
        },
      ],
    },
  ],
});

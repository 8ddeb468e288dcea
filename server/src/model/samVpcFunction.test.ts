import { sshOpenToInternet } from '../rules/ssh-open-to-internet/rule';
import { lines, ruleTester } from '../testing/ruleTester';

// A SAM function in a VPC is read as the Lambda function SAM writes: a security group it alone
// uses is reachable only from what routes to the VPC (a warning, not an error).
const yaml = lines(
  'Transform: AWS::Serverless-2016-10-31',
  'Resources:',
  '  Sg:',
  '    Type: AWS::EC2::SecurityGroup',
  '    Properties:',
  '      GroupDescription: functions',
  '      VpcId: vpc-123',
  '      SecurityGroupIngress:',
  '        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}',
  '  Fn:',
  '    Type: AWS::Serverless::Function',
  '    Properties:',
  '      Handler: app.handler',
  '      Runtime: python3.12',
  '      VpcConfig:',
  '        SubnetIds: [subnet-1]',
  '        SecurityGroupIds: [!Ref Sg]',
);

const json = `{
  "Transform": "AWS::Serverless-2016-10-31",
  "Globals": { "Function": { "VpcConfig": { "SubnetIds": ["subnet-1"], "SecurityGroupIds": [{ "Ref": "Sg" }] } } },
  "Resources": {
    "Sg": {
      "Type": "AWS::EC2::SecurityGroup",
      "Properties": {
        "GroupDescription": "functions",
        "VpcId": "vpc-123",
        "SecurityGroupIngress": [{ "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0" }]
      }
    },
    "Fn": { "Type": "AWS::Serverless::Function", "Properties": { "Handler": "app.handler", "Runtime": "python3.12" } }
  }
}
`;

const PARAMETER_YAML = lines(
  'Parameters:',
  '  AllowedSshCidr:',
  '    Type: String',
  "    Description: 'CIDR range allowed to reach SSH; choose a narrow range, never 0.0.0.0/0.'",
);
const PARAMETER_JSON =
  '  "Parameters": {\n    "AllowedSshCidr": {\n      "Type": "String",\n      "Description": "CIDR range allowed to reach SSH; choose a narrow range, never 0.0.0.0/0."\n    }\n  },\n';

const MESSAGE =
  'SSH (TCP port 22) is open to 0.0.0.0/0, but the security group is attached only to resources without a public address (Fn): reachable from anything that can route to the VPC (peered VPCs, VPN, Direct Connect, Transit Gateway), not from the internet. Allow SSH only from the ranges that need it.';
const RELATED = ['Fn uses this security group: a Lambda function in a VPC has only private addresses.'];

ruleTester(sshOpenToInternet, {
  valid: [],
  invalid: [
    {
      name: 'SAM YAML: the function’s own VpcConfig',
      file: 'template.yaml',
      code: yaml,
      errors: [
        {
          text: '0.0.0.0/0',
          line: 9,
          severity: 'warning',
          message: MESSAGE,
          related: RELATED,
          fixes: [
            {
              title: 'Allow SSH only from a new parameter AllowedSshCidr',
              output: yaml
                .replace('Resources:\n', () => `${PARAMETER_YAML}Resources:\n`)
                .replace('CidrIp: 0.0.0.0/0}', 'CidrIp: !Ref AllowedSshCidr}'),
            },
            {
              title: 'Remove this rule',
              output: yaml.replace(/SecurityGroupIngress:\n.*\n/, 'SecurityGroupIngress: []\n'),
            },
          ],
        },
      ],
    },
    {
      name: 'SAM JSON: VpcConfig from Globals',
      file: 'template.json',
      code: json,
      errors: [
        {
          text: '"0.0.0.0/0"',
          line: 10,
          severity: 'warning',
          message: MESSAGE,
          related: RELATED,
          fixes: [
            {
              title: 'Allow SSH only from a new parameter AllowedSshCidr',
              output: json
                .replace('  "Resources": {\n', (m) => PARAMETER_JSON + m)
                .replace('"CidrIp": "0.0.0.0/0"', '"CidrIp": { "Ref": "AllowedSshCidr" }'),
            },
            {
              title: 'Remove this rule',
              output: json.replace(/"SecurityGroupIngress": \[.*\]/, '"SecurityGroupIngress": []'),
            },
          ],
        },
      ],
    },
  ],
});

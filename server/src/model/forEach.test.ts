import { servicePubliclyAccessible } from '../rules/service-publicly-accessible/rule';
import { sshOpenToInternet } from '../rules/ssh-open-to-internet/rule';
import { lines, ruleTester } from '../testing/ruleTester';

// Fn::ForEach (AWS::LanguageExtensions) expanded in the model: findings on the fragment or on
// the collection element that produced them; fixes edit the fragment or the element.

const ports = lines(
  'Transform: AWS::LanguageExtensions',
  'Resources:',
  '  Fn::ForEach::Ports:',
  '    - Port',
  '    - [22, 443]',
  '    - Ingress${Port}:',
  '        Type: AWS::EC2::SecurityGroupIngress',
  '        Properties:',
  '          GroupId: sg-1',
  '          IpProtocol: tcp',
  '          FromPort: !Ref Port',
  '          ToPort: !Ref Port',
  '          CidrIp: 0.0.0.0/0',
);

const samLoop = lines(
  'Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]',
  'Parameters:',
  '  Names: {Type: CommaDelimitedList, Default: "orders,billing"}',
  'Resources:',
  '  Fn::ForEach::Functions:',
  '    - Name',
  '    - !Ref Names',
  "    - '&{Name}Function':",
  '        Type: AWS::Serverless::Function',
  '        Properties:',
  "          FunctionName: !Sub '${Name}-fn'",
  '          FunctionUrlConfig:',
  '            AuthType: NONE',
);

const urlsJson = `{
  "Transform": "AWS::LanguageExtensions",
  "Resources": {
    "Fn::ForEach::Urls": [
      "Auth",
      ["AWS_IAM", "NONE"],
      {
        "Url\${Auth}": {
          "Type": "AWS::Lambda::Url",
          "Properties": { "TargetFunctionArn": "f", "AuthType": { "Ref": "Auth" } }
        }
      }
    ]
  }
}
`;

const URL_WHY =
  'anyone on the internet who has the URL can invoke the function, unauthenticated. Use AWS_IAM (sign requests), or check callers in the function and accept the risk explicitly.';

ruleTester(sshOpenToInternet, {
  valid: [
    {
      name: 'without the AWS::LanguageExtensions transform, Fn::ForEach is not expanded',
      file: 'template.yaml',
      code: ports.replace('Transform: AWS::LanguageExtensions\n', ''),
    },
    {
      name: 'a loop over web ports only',
      file: 'template.yaml',
      code: ports.replace('[22, 443]', '[80, 443]'),
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: the copy for port 22 is open to the internet; the fix edits the fragment',
      file: 'template.yaml',
      code: ports,
      errors: [
        {
          text: '0.0.0.0/0',
          line: 13,
          fixes: [
            {
              title: 'Allow SSH only from a new parameter AllowedSshCidr',
              output: ports
                .replace(
                  'Resources:\n',
                  "Parameters:\n  AllowedSshCidr:\n    Type: String\n    Description: 'CIDR range allowed to reach SSH; choose a narrow range, never 0.0.0.0/0.'\nResources:\n",
                )
                .replace('CidrIp: 0.0.0.0/0', 'CidrIp: !Ref AllowedSshCidr'),
            },
          ],
        },
      ],
    },
  ],
});

ruleTester(servicePubliclyAccessible, {
  valid: [
    {
      name: 'a loop whose every element is safe',
      file: 'template.json',
      code: urlsJson.replace('["AWS_IAM", "NONE"]', '["AWS_IAM"]'),
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: a SAM function in a loop over a list parameter, one finding per copy on the fragment',
      file: 'template.yaml',
      code: samLoop,
      errors: [
        {
          text: 'NONE',
          line: 13,
          message: `Lambda function URL ordersFunction is open to the internet (AuthType: NONE): ${URL_WHY}`,
          fixes: [
            {
              title: 'Set AuthType to AWS_IAM',
              output: samLoop.replace('AuthType: NONE', 'AuthType: AWS_IAM'),
            },
          ],
        },
        {
          text: 'NONE',
          line: 13,
          message: `Lambda function URL billingFunction is open to the internet (AuthType: NONE): ${URL_WHY}`,
          fixes: [
            {
              title: 'Set AuthType to AWS_IAM',
              output: samLoop.replace('AuthType: NONE', 'AuthType: AWS_IAM'),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN JSON: the finding is on the collection element; no fix, since AWS_IAM is already an element (two resources would get one id)',
      file: 'template.json',
      code: urlsJson,
      errors: [
        {
          text: '"NONE"',
          line: 6,
          message: `Lambda function URL UrlNONE is open to the internet (AuthType: NONE): ${URL_WHY}`,
          fixes: [],
        },
      ],
    },
    {
      name: 'CFN JSON: a collection element that can be fixed in place',
      file: 'template.json',
      code: urlsJson.replace('["AWS_IAM", "NONE"]', '["NONE"]'),
      errors: [
        {
          text: '"NONE"',
          line: 6,
          message: `Lambda function URL UrlNONE is open to the internet (AuthType: NONE): ${URL_WHY}`,
          fixes: [
            {
              title: 'Set AuthType to AWS_IAM',
              output: urlsJson.replace('["AWS_IAM", "NONE"]', '["AWS_IAM"]'),
            },
          ],
        },
      ],
    },
  ],
});

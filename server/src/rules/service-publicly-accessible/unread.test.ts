import { lines, ruleTester } from '../../testing/ruleTester';
import { servicePubliclyAccessible } from './rule';

// Lambda function URL permissions and OpenSearch Serverless network policies.
const cfnYaml = lines(
  'Resources:',
  '  UrlPermission:',
  '    Type: AWS::Lambda::Permission',
  '    Properties:',
  '      FunctionName: !Ref Fn',
  '      Action: lambda:InvokeFunctionUrl',
  '      Principal: "*"',
  '      FunctionUrlAuthType: NONE',
  '  Network:',
  '    Type: AWS::OpenSearchServerless::SecurityPolicy',
  '    Properties:',
  '      Name: logs-network',
  '      Type: network',
  '      Policy: >-',
  '        [{"Rules":[{"ResourceType":"collection","Resource":["collection/logs"]}],"AllowFromPublic":true}]',
);

const cfnJson = `{
  "Resources": {
    "Network": {
      "Type": "AWS::OpenSearchServerless::SecurityPolicy",
      "Properties": {
        "Name": "logs-network",
        "Type": "network",
        "Policy": "[{\\"Rules\\":[{\\"ResourceType\\":\\"dashboard\\",\\"Resource\\":[\\"collection/logs\\"]}],\\"AllowFromPublic\\":true}]"
      }
    },
    "UrlPermission": {
      "Type": "AWS::Lambda::Permission",
      "Properties": { "FunctionName": "f", "Action": "lambda:InvokeFunctionUrl", "Principal": "*", "FunctionUrlAuthType": "NONE" }
    }
  }
}
`;

const tfJson = `{
  "resource": {
    "aws_lambda_permission": {
      "url": { "function_name": "f", "action": "lambda:InvokeFunctionUrl", "principal": "*", "function_url_auth_type": "NONE" }
    },
    "aws_opensearchserverless_security_policy": {
      "net": {
        "name": "net",
        "type": "network",
        "policy": "[{\\"Rules\\":[{\\"ResourceType\\":\\"collection\\",\\"Resource\\":[\\"collection/logs\\"]}],\\"AllowFromPublic\\":true}]"
      }
    }
  }
}
`;

const PERMISSION =
  'this function URL permission lets anyone on the internet invoke the function through its URL, unauthenticated. Use AuthType AWS_IAM on the URL and FunctionUrlAuthType AWS_IAM here, with the callers as principals.';
const COLLECTION =
  'the OpenSearch Serverless collections (or dashboards) it covers get endpoints reachable from the internet, guarded only by data access policies. Allow access from VPC endpoints (SourceVPCEs) instead.';

ruleTester(servicePubliclyAccessible, {
  valid: [
    {
      name: 'IAM-auth URL permission, a URL permission for one account, a VPC-endpoint network policy, an encryption policy',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        "  A: {Type: AWS::Lambda::Permission, Properties: {FunctionName: f, Action: lambda:InvokeFunctionUrl, Principal: '*', FunctionUrlAuthType: AWS_IAM}}",
        "  B: {Type: AWS::Lambda::Permission, Properties: {FunctionName: f, Action: lambda:InvokeFunctionUrl, Principal: '111122223333', FunctionUrlAuthType: NONE}}",
        '  C:',
        '    Type: AWS::OpenSearchServerless::SecurityPolicy',
        '    Properties:',
        '      Type: network',
        '      Policy: \'[{"Rules":[{"ResourceType":"collection","Resource":["collection/logs"]}],"AllowFromPublic":false,"SourceVPCEs":["vpce-1"]}]\'',
        '  D:',
        '    Type: AWS::OpenSearchServerless::SecurityPolicy',
        '    Properties:',
        '      Type: encryption',
        '      Policy: \'{"Rules":[{"ResourceType":"collection","Resource":["collection/logs"]}],"AWSOwnedKey":true,"AllowFromPublic":true}\'',
      ),
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: a public URL permission and a public network policy',
      file: 'template.yaml',
      code: cfnYaml,
      errors: [
        {
          text: 'NONE',
          line: 8,
          message: `Lambda permission UrlPermission is open to the internet (FunctionUrlAuthType: NONE, Principal: *): ${PERMISSION}`,
          fixes: [],
        },
        {
          text: '>-\n        [{"Rules":[{"ResourceType":"collection","Resource":["collection/logs"]}],"AllowFromPublic":true}]\n',
          line: 14,
          message: `OpenSearch Serverless network policy Network is open to the internet (AllowFromPublic: true): ${COLLECTION}`,
          fixes: [],
        },
      ],
    },
    {
      name: 'CFN JSON',
      file: 'template.json',
      code: cfnJson,
      errors: [
        {
          text: '"[{\\"Rules\\":[{\\"ResourceType\\":\\"dashboard\\",\\"Resource\\":[\\"collection/logs\\"]}],\\"AllowFromPublic\\":true}]"',
          line: 8,
          message: `OpenSearch Serverless network policy Network is open to the internet (AllowFromPublic: true): ${COLLECTION}`,
          fixes: [],
        },
        {
          text: '"NONE"',
          line: 13,
          message: `Lambda permission UrlPermission is open to the internet (FunctionUrlAuthType: NONE, Principal: *): ${PERMISSION}`,
          fixes: [],
        },
      ],
    },
    {
      name: 'Terraform JSON',
      file: 'main.tf.json',
      code: tfJson,
      errors: [
        {
          text: '"NONE"',
          line: 4,
          message: `Lambda permission aws_lambda_permission.url is open to the internet (function_url_auth_type: NONE, principal: *): ${PERMISSION}`,
          fixes: [],
        },
        {
          text: '"[{\\"Rules\\":[{\\"ResourceType\\":\\"collection\\",\\"Resource\\":[\\"collection/logs\\"]}],\\"AllowFromPublic\\":true}]"',
          line: 10,
          message: `OpenSearch Serverless network policy aws_opensearchserverless_security_policy.net is open to the internet (AllowFromPublic: true): ${COLLECTION}`,
          fixes: [],
        },
      ],
    },
  ],
});

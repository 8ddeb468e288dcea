import { lines, ruleTester } from '../../testing/ruleTester';
import { servicePubliclyAccessible } from './rule';

// SAM: a function's FunctionUrlConfig is read as the AWS::Lambda::Url the transform generates;
// findings and fixes land on the SAM property.
const samYaml = lines(
  'Transform: AWS::Serverless-2016-10-31',
  'Resources:',
  '  Fn:',
  '    Type: AWS::Serverless::Function',
  '    Properties:',
  '      Runtime: python3.12',
  '      Handler: app.handler',
  '      FunctionUrlConfig:',
  '        AuthType: NONE',
);

const samGlobalsYaml = lines(
  'Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]',
  'Globals:',
  '  Function:',
  '    FunctionUrlConfig: {AuthType: NONE}',
  'Resources:',
  '  A: {Type: AWS::Serverless::Function, Properties: {Runtime: python3.12}}',
  '  B:',
  '    Type: AWS::Serverless::Function',
  '    Properties:',
  '      FunctionUrlConfig: {AuthType: AWS_IAM}',
);

const samJson = `{
  "Transform": "AWS::Serverless-2016-10-31",
  "Resources": {
    "Fn": {
      "Type": "AWS::Serverless::Function",
      "Properties": { "Runtime": "nodejs20.x", "FunctionUrlConfig": { "AuthType": "NONE", "InvokeMode": "BUFFERED" } }
    }
  }
}
`;

const URL_WHY =
  'anyone on the internet who has the URL can invoke the function, unauthenticated. Use AWS_IAM (sign requests), or check callers in the function and accept the risk explicitly.';

ruleTester(servicePubliclyAccessible, {
  valid: [
    {
      name: 'SAM function URL with IAM auth',
      file: 'template.yaml',
      code: samYaml.replace('AuthType: NONE', 'AuthType: AWS_IAM'),
    },
    {
      name: 'without the SAM transform, AWS::Serverless::Function is not expanded',
      file: 'template.yaml',
      code: samYaml.replace('Transform: AWS::Serverless-2016-10-31\n', ''),
    },
  ],
  invalid: [
    {
      name: 'SAM YAML: FunctionUrlConfig AuthType NONE',
      file: 'template.yaml',
      code: samYaml,
      errors: [
        {
          text: 'NONE',
          line: 9,
          message: `Lambda function URL Fn is open to the internet (AuthType: NONE): ${URL_WHY}`,
          fixes: [
            {
              title: 'Set AuthType to AWS_IAM',
              output: samYaml.replace('AuthType: NONE', 'AuthType: AWS_IAM'),
            },
          ],
        },
      ],
    },
    {
      name: 'SAM YAML: FunctionUrlConfig from Globals (a function with its own config is not affected)',
      file: 'template.yaml',
      code: samGlobalsYaml,
      errors: [
        {
          text: 'NONE',
          line: 4,
          message: `Lambda function URL A is open to the internet (AuthType: NONE): ${URL_WHY}`,
          fixes: [
            {
              title: 'Set AuthType to AWS_IAM',
              output: samGlobalsYaml.replace('{AuthType: NONE}', '{AuthType: AWS_IAM}'),
            },
          ],
        },
      ],
    },
    {
      name: 'SAM JSON: FunctionUrlConfig AuthType NONE',
      file: 'template.json',
      code: samJson,
      errors: [
        {
          text: '"NONE"',
          line: 6,
          message: `Lambda function URL Fn is open to the internet (AuthType: NONE): ${URL_WHY}`,
          fixes: [
            {
              title: 'Set AuthType to AWS_IAM',
              output: samJson.replace('"AuthType": "NONE"', '"AuthType": "AWS_IAM"'),
            },
          ],
        },
      ],
    },
  ],
});

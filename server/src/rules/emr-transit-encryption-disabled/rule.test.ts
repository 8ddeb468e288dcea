import { lines, ruleTester } from '../../testing/ruleTester';
import { emrTransitEncryptionDisabled } from './rule';

const cfnYaml = lines(
  'Resources:',
  '  EmrSecurity:',
  '    Type: AWS::EMR::SecurityConfiguration',
  '    Properties:',
  '      SecurityConfiguration:',
  '        EncryptionConfiguration:',
  '          EnableInTransitEncryption: false',
  '          EnableAtRestEncryption: true',
);

const cfnJson = `{
  "Resources": {
    "EmrSecurity": {
      "Type": "AWS::EMR::SecurityConfiguration",
      "Properties": {
        "SecurityConfiguration": { "AuthenticationConfiguration": {} }
      }
    }
  }
}
`;

const tfJson = `{
  "resource": {
    "aws_emr_security_configuration": {
      "sc": {
        "name": "sc",
        "configuration": "{\\"EncryptionConfiguration\\": {\\"EnableInTransitEncryption\\": false, \\"EnableAtRestEncryption\\": true}}"
      }
    }
  }
}
`;

const WHY =
  'traffic between cluster nodes (HDFS blocks, Spark shuffle, Presto) and to the applications crosses the network in plaintext. Set EnableInTransitEncryption to true with a TLSCertificateConfiguration.';

ruleTester(emrTransitEncryptionDisabled, {
  valid: [
    {
      name: 'in-transit encryption on',
      file: 'template.yaml',
      code: cfnYaml.replace('EnableInTransitEncryption: false', 'EnableInTransitEncryption: true'),
    },
    {
      name: 'a configuration from a parameter cannot be read',
      file: 'template.yaml',
      code: lines(
        'Parameters:',
        '  Config: {Type: String}',
        'Resources:',
        '  EmrSecurity: {Type: AWS::EMR::SecurityConfiguration, Properties: {SecurityConfiguration: !Ref Config}}',
      ),
    },
    {
      name: 'Terraform JSON string with encryption on',
      file: 'main.tf.json',
      code: tfJson.replace('\\"EnableInTransitEncryption\\": false', '\\"EnableInTransitEncryption\\": true'),
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: EnableInTransitEncryption false',
      file: 'template.yaml',
      code: cfnYaml,
      errors: [
        {
          text: 'false',
          line: 7,
          message: `EMR security configuration EmrSecurity leaves in-transit encryption off (EnableInTransitEncryption: false): ${WHY}`,
          fixes: [],
        },
      ],
    },
    {
      name: 'CFN JSON: no EncryptionConfiguration at all',
      file: 'template.json',
      code: cfnJson,
      errors: [
        {
          text: '{ "AuthenticationConfiguration": {} }',
          line: 6,
          message: `EMR security configuration EmrSecurity leaves in-transit encryption off (no EnableInTransitEncryption (off by default)): ${WHY}`,
          fixes: [],
        },
      ],
    },
    {
      name: 'Terraform JSON: configuration as a JSON string',
      file: 'main.tf.json',
      code: tfJson,
      errors: [
        {
          text: '"{\\"EncryptionConfiguration\\": {\\"EnableInTransitEncryption\\": false, \\"EnableAtRestEncryption\\": true}}"',
          line: 6,
          message: `EMR security configuration aws_emr_security_configuration.sc leaves in-transit encryption off (EnableInTransitEncryption: false): ${WHY}`,
          fixes: [],
        },
      ],
    },
  ],
});

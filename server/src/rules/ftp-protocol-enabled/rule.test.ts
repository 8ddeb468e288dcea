import { lines, ruleTester } from '../../testing/ruleTester';
import { ftpProtocolEnabled } from './rule';

const yaml = lines(
  'Resources:',
  '  Mixed:',
  '    Type: AWS::Transfer::Server',
  '    Properties:',
  '      Protocols:',
  '        - SFTP',
  '        - FTP',
  '  FtpOnly:',
  '    Type: AWS::Transfer::Server',
  '    Properties:',
  '      Protocols: [FTP]',
);

const json = `{
  "Resources": {
    "Server": {
      "Type": "AWS::Transfer::Server",
      "Properties": { "Protocols": ["FTP", "FTPS"], "Certificate": "arn:aws:acm:us-east-1:123456789012:certificate/1" }
    }
  }
}
`;

const tf = `{
  "resource": {
    "aws_transfer_server": {
      "ftp": {
        "endpoint_type": "VPC",
        "protocols": ["FTP"]
      }
    }
  }
}
`;

ruleTester(ftpProtocolEnabled, {
  valid: [
    {
      name: 'SFTP, FTPS, absent (defaults to SFTP)',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  A:',
        '    Type: AWS::Transfer::Server',
        '    Properties: {Protocols: [SFTP, FTPS]}',
        '  B:',
        '    Type: AWS::Transfer::Server',
        '    Properties: {EndpointType: PUBLIC}',
      ),
    },
    {
      name: 'TF SFTP',
      file: 'main.tf.json',
      code: `{"resource": {"aws_transfer_server": {"a": {"protocols": ["SFTP"]}}}}
`,
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: FTP beside SFTP (removed), FTP alone (replaced)',
      file: 'template.yaml',
      code: yaml,
      errors: [
        {
          text: 'FTP',
          line: 7,
          severity: 'warning',
          message:
            'Transfer Family server Mixed accepts plain FTP: user names, passwords and files cross the network in cleartext. Use SFTP or FTPS instead.',
          fixes: [{ title: 'Remove FTP from the protocols', output: yaml.replace('        - FTP\n', '') }],
        },
        {
          text: 'FTP',
          line: 11,
          message: /^Transfer Family server FtpOnly accepts plain FTP/,
          fixes: [
            { title: 'Replace FTP with SFTP', output: yaml.replace('Protocols: [FTP]', 'Protocols: [SFTP]') },
          ],
        },
      ],
    },
    {
      name: 'CFN JSON',
      file: 'template.json',
      code: json,
      errors: [
        {
          text: '"FTP"',
          line: 5,
          message: /accepts plain FTP/,
          fixes: [
            { title: 'Remove FTP from the protocols', output: json.replace('["FTP", "FTPS"]', '["FTPS"]') },
          ],
        },
      ],
    },
    {
      name: 'TF JSON',
      file: 'main.tf.json',
      code: tf,
      errors: [
        {
          text: '"FTP"',
          line: 6,
          message: /^Transfer Family server aws_transfer_server\.ftp accepts plain FTP/,
          fixes: [{ title: 'Replace FTP with SFTP', output: tf.replace('["FTP"]', '["SFTP"]') }],
        },
      ],
    },
  ],
});

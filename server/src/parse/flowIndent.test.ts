import { describe, expect, it } from 'vitest';
import { sshOpenToInternet } from '../rules/ssh-open-to-internet/rule';
import { lines, ruleTester } from '../testing/ruleTester';
import { flattenFlowCollections } from './flowIndent';
import { parseYaml } from './yaml';

// A flow collection indented less than its key: accepted by CloudFormation and cfn-lint (PyYAML).
const template = lines(
  'Resources:',
  '  Sg:',
  '    Type: AWS::EC2::SecurityGroup',
  '    Properties:',
  '      GroupDescription: web',
  '      SecurityGroupIngress: [',
  '    {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}, # admin',
  '    {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}',
  '  ]',
);

describe('flow collections indented less than their key', () => {
  it('are read without a syntax error, with ranges in the original text', () => {
    const parsed = parseYaml(template);
    expect(parsed.problems).toEqual([]);
    const flat = flattenFlowCollections(template)!;
    expect(flat.length).toBe(template.length);
    expect(flat.split('\n').length).toBe(7); // the collection's four lines became one
  });

  it('leave quoted brackets and complete one-line collections alone', () => {
    expect(flattenFlowCollections(lines("a: '[not'", 'b: [1, 2]', 'c: "{x"'))).toBeUndefined();
  });
});

ruleTester(sshOpenToInternet, {
  valid: [],
  invalid: [
    {
      name: 'CFN YAML: a finding inside the under-indented flow sequence, fixed in place',
      file: 'template.yaml',
      code: template,
      errors: [
        {
          text: '0.0.0.0/0',
          line: 7,
          fixes: [
            {
              title: 'Allow SSH only from a new parameter AllowedSshCidr',
              output:
                "Parameters:\n  AllowedSshCidr:\n    Type: String\n    Description: 'CIDR range allowed to reach SSH; choose a narrow range, never 0.0.0.0/0.'\n" +
                template.replace('ToPort: 22, CidrIp: 0.0.0.0/0', 'ToPort: 22, CidrIp: !Ref AllowedSshCidr'),
            },
            {
              title: 'Remove this rule',
              output: template.replace(
                '    {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}, # admin\n',
                '',
              ),
            },
          ],
        },
      ],
    },
  ],
});

import { lines, ruleTester } from '../../testing/ruleTester';
import { efsTransitEncryptionDisabled } from './rule';

const yaml = lines(
  'Resources:',
  '  Task:',
  '    Type: AWS::ECS::TaskDefinition',
  '    Properties:',
  '      Volumes:',
  '        - Name: shared',
  '          EFSVolumeConfiguration:',
  '            FilesystemId: fs-12345678',
  '        - Name: cache',
  '          EFSVolumeConfiguration: {FilesystemId: fs-2, TransitEncryption: DISABLED}',
  '        - Name: scratch',
  '          Host: {}',
);

const json = `{
  "Resources": {
    "Task": {
      "Type": "AWS::ECS::TaskDefinition",
      "Properties": {
        "Volumes": [
          { "Name": "shared", "EFSVolumeConfiguration": { "FilesystemId": "fs-1" } }
        ]
      }
    }
  }
}
`;

const tf = `{
  "resource": {
    "aws_ecs_task_definition": {
      "app": {
        "family": "app",
        "volume": [
          {
            "name": "shared",
            "efs_volume_configuration": {
              "file_system_id": "\${aws_efs_file_system.shared.id}",
              "transit_encryption": "DISABLED"
            }
          }
        ]
      }
    }
  }
}
`;

ruleTester(efsTransitEncryptionDisabled, {
  valid: [
    {
      name: 'ENABLED, host volumes, TF enabled',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Task:',
        '    Type: AWS::ECS::TaskDefinition',
        '    Properties:',
        '      Volumes:',
        '        - {Name: a, EFSVolumeConfiguration: {FilesystemId: fs-1, TransitEncryption: ENABLED}}',
        '        - {Name: b, Host: {SourcePath: /tmp}}',
      ),
    },
    {
      name: 'TF enabled',
      file: 'main.tf.json',
      code: `{"resource": {"aws_ecs_task_definition": {"a": {"volume": {"name": "a", "efs_volume_configuration": {"file_system_id": "fs-1", "transit_encryption": "ENABLED"}}}}}}
`,
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: absent (block) and DISABLED (flow)',
      file: 'template.yaml',
      code: yaml,
      errors: [
        {
          text: 'EFSVolumeConfiguration',
          line: 7,
          severity: 'warning',
          message:
            'Task definition Task mounts EFS volume shared without TransitEncryption (default DISABLED): file contents cross the network in plaintext. Set TransitEncryption to ENABLED.',
          fixes: [
            {
              title: 'Set TransitEncryption to ENABLED',
              output: yaml.replace(
                '            FilesystemId: fs-12345678\n',
                '            FilesystemId: fs-12345678\n            TransitEncryption: ENABLED\n',
              ),
            },
          ],
        },
        {
          text: 'DISABLED',
          line: 10,
          message:
            /^Task definition Task mounts EFS volume cache without TLS \(TransitEncryption: DISABLED\)/,
          fixes: [
            {
              title: 'Set TransitEncryption to ENABLED',
              output: yaml.replace('TransitEncryption: DISABLED', 'TransitEncryption: ENABLED'),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN JSON: absent',
      file: 'template.json',
      code: json,
      errors: [
        {
          text: '"EFSVolumeConfiguration"',
          line: 7,
          message: /^Task definition Task mounts EFS volume shared without TransitEncryption/,
          fixes: [
            {
              title: 'Set TransitEncryption to ENABLED',
              output: json.replace(
                '{ "FilesystemId": "fs-1" }',
                '{ "FilesystemId": "fs-1", "TransitEncryption": "ENABLED" }',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'TF JSON: DISABLED',
      file: 'main.tf.json',
      code: tf,
      errors: [
        {
          text: '"DISABLED"',
          line: 11,
          message: /^Task definition aws_ecs_task_definition\.app mounts EFS volume shared without TLS/,
          fixes: [
            { title: 'Set transit_encryption to ENABLED', output: tf.replace('"DISABLED"', '"ENABLED"') },
          ],
        },
      ],
    },
  ],
});

import { ruleTester } from '../../testing/ruleTester';
import { defaultSecurityGroupHasRules } from './rule';

const tfJson = `{
  "resource": {
    "aws_default_security_group": {
      "default": {
        "vpc_id": "\${aws_vpc.main.id}",
        "ingress": [
          { "protocol": "-1", "self": true, "from_port": 0, "to_port": 0 }
        ],
        "egress": [
          { "protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"] },
          { "protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["10.0.0.0/8"] }
        ]
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
          "address": "aws_default_security_group.default",
          "mode": "managed",
          "type": "aws_default_security_group",
          "name": "default",
          "values": {
            "egress": [],
            "ingress": [
              { "protocol": "-1", "self": true, "from_port": 0, "to_port": 0, "cidr_blocks": [] }
            ]
          }
        }
      ]
    }
  }
}
`;

const MSG = (n: string, dir: string) =>
  `The default security group aws_default_security_group.default has ${n}. Instances and interfaces launched without a security group land in it, and AWS recommends it allow no traffic (Security Hub EC2.2): remove the ${dir} blocks and give workloads their own security groups.`;

ruleTester(defaultSecurityGroupHasRules, {
  valid: [
    {
      name: 'no blocks, empty blocks: Terraform strips every rule',
      file: 'main.tf.json',
      code: `{"resource": {"aws_default_security_group": {
  "a": {"vpc_id": "vpc-1"},
  "b": {"vpc_id": "vpc-2", "ingress": [], "egress": []}
}}}
`,
    },
    {
      name: 'an ordinary security group with rules',
      file: 'main.tf.json',
      code: `{"resource": {"aws_security_group": {"a": {"ingress": [{"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["10.0.0.0/8"]}]}}}}
`,
    },
    {
      name: 'plan without rules',
      file: 'plan.json',
      code: `{"format_version": "1.2", "planned_values": {"root_module": {"resources": [
  {"address": "aws_default_security_group.d", "mode": "managed", "type": "aws_default_security_group", "name": "d", "values": {"ingress": [], "egress": []}}]}}}
`,
    },
  ],
  invalid: [
    {
      name: 'TF JSON: an ingress self rule and two egress rules',
      file: 'main.tf.json',
      code: tfJson,
      errors: [
        {
          text: '"ingress"',
          line: 6,
          message: MSG('an ingress rule', 'ingress'),
          severity: 'warning',
          fixes: [
            {
              title: 'Remove the ingress rules of the default security group',
              output: tfJson.replace(/ {8}"ingress": \[\n.*\n {8}\],\n/, ''),
            },
          ],
        },
        {
          text: '"egress"',
          line: 9,
          message: MSG('2 egress rules', 'egress'),
          fixes: [
            {
              title: 'Remove the egress rules of the default security group',
              output: tfJson.replace(/,\n {8}"egress": \[\n.*\n.*\n {8}\]/, ''),
            },
          ],
        },
      ],
    },
    {
      name: 'plan (no fixes)',
      file: 'plan.json',
      code: plan,
      errors: [{ text: '"ingress"', line: 13, message: MSG('an ingress rule', 'ingress'), fixes: [] }],
    },
  ],
});

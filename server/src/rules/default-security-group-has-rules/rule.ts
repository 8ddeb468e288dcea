import { entryOf, items } from '../../parse/tree';
import { DEFAULT_SECURITY_GROUP_CONTROLS } from '../exposure/controls';
import type { Rule } from '../types';
import docs from './rule.md?raw';

export const defaultSecurityGroupHasRules: Rule = {
  meta: {
    id: 'default-security-group-has-rules',
    summary: "The VPC's default security group allows traffic",
    category: 'exposure',
    severity: 'warning',
    formats: ['tf', 'plan'],
    resourceTypes: ['aws_default_security_group'],
    fixSafety: 'unsafe',
    references: {
      aws: [
        'https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html',
        'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-2',
      ],
      cwe: ['CWE-284'],
      checkov: ['CKV2_AWS_12'],
      securityHub: ['EC2.2'],
    },
  },
  docs,
  controls: DEFAULT_SECURITY_GROUP_CONTROLS,
  check({ doc, report }) {
    for (const resource of doc.resources) {
      if (resource.type !== 'aws_default_security_group' || !resource.properties) continue;
      for (const direction of ['ingress', 'egress'] as const) {
        const entry = entryOf(resource.properties, direction);
        const blocks = items(entry?.value).filter((b) => b.kind === 'map');
        if (!entry || !blocks.length) continue;
        const count = blocks.length === 1 ? `an ${direction} rule` : `${blocks.length} ${direction} rules`;
        report({
          span: entry.key,
          resource,
          message: `The default security group ${resource.id} has ${count}. Instances and interfaces launched without a security group land in it, and AWS recommends it allow no traffic (Security Hub EC2.2): remove the ${direction} blocks and give workloads their own security groups.`,
          fixes:
            doc.format === 'plan'
              ? []
              : [
                  {
                    title: `Remove the ${direction} rules of the default security group`,
                    safety: 'unsafe',
                    ops: [{ op: 'removeKey', map: resource.properties, key: direction }],
                  },
                ],
        });
      }
    }
  },
};

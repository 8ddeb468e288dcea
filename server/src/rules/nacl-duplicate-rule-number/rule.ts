import type { NaclEntry } from '../../facts/networkAcls';
import { networkAclEntries } from '../../facts/networkAcls';
import type { FixRecipe } from '../../fixes/recipe';
import { get, scalarString } from '../../parse/tree';
import { NACL_CONTROLS } from '../exposure/controls';
import type { Rule } from '../types';
import docs from './rule.md?raw';

/** The highest rule number AWS accepts (32767 is the implicit deny-all). */
const MAX_RULE_NUMBER = 32766;

export const naclDuplicateRuleNumber: Rule = {
  meta: {
    id: 'nacl-duplicate-rule-number',
    summary: 'Two entries of one network ACL with the same rule number and direction',
    category: 'exposure',
    severity: 'error',
    formats: ['cfn', 'tf'],
    resourceTypes: [
      'AWS::EC2::NetworkAclEntry',
      'aws_network_acl',
      'aws_default_network_acl',
      'aws_network_acl_rule',
    ],
    fixSafety: 'unsafe',
    references: {
      aws: [
        'https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html',
        'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-networkaclentry.html',
      ],
    },
  },
  docs,
  controls: NACL_CONTROLS,
  check({ doc, facts, report }) {
    const groups = new Map<string, NaclEntry[]>();
    for (const entry of networkAclEntries(facts)) {
      if (entry.acl === undefined || entry.egress === undefined || entry.number === undefined) continue;
      const key = `${entry.acl}\u0000${entry.egress}`;
      groups.set(key, [...(groups.get(key) ?? []), entry]);
    }
    for (const entries of groups.values()) {
      const used = new Set(entries.map((e) => e.number!));
      const ordered = [...entries].sort((a, b) => a.node.start - b.node.start);
      ordered.forEach((entry, i) => {
        const first = ordered.slice(0, i).find((o) => o.number === entry.number && together(o, entry));
        if (!first || !entry.numberNode) return;
        const direction = entry.egress ? 'outbound' : 'inbound';
        const fixes: FixRecipe[] = [];
        let free = entry.number! + 1;
        while (used.has(free)) free++;
        if (doc.format !== 'plan' && free <= MAX_RULE_NUMBER && entry.numberNode.kind === 'scalar') {
          const value = typeof entry.numberNode.value === 'string' ? String(free) : free;
          fixes.push({
            title: `Renumber this entry to ${free} (the next free number)`,
            safety: 'unsafe',
            ops: [{ op: 'replace', node: entry.numberNode, value }],
          });
        }
        report({
          span: entry.numberNode,
          resource: entry.resource,
          message: `Rule number ${entry.number} is used twice among the ${direction} entries of network ACL ${entry.acl}: the deployment fails. Give each entry its own number (entries are evaluated lowest number first).`,
          related: first.numberNode
            ? [{ span: first.numberNode, message: `Rule number ${entry.number} is also used here` }]
            : [],
          fixes,
        });
      });
    }
  },
};

/** Both entries can exist at once (CloudFormation conditions may make them exclusive). */
function together(a: NaclEntry, b: NaclEntry): boolean {
  const ca = scalarString(get(a.resource.node, 'Condition'));
  const cb = scalarString(get(b.resource.node, 'Condition'));
  return ca === undefined || cb === undefined || ca === cb;
}

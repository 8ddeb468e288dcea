import { restriction, statementName } from '../../policy/conditions';
import { policies } from '../../policy/extract';
import type { Rule } from '../types';
import docs from './rule.md?raw';

export const allowWithNotPrincipal: Rule = {
  meta: {
    id: 'allow-with-not-principal',
    summary: 'An Allow statement with NotPrincipal grants access to everyone not listed',
    category: 'policy',
    severity: 'warning',
    formats: ['cfn', 'tf', 'plan', 'iam'],
    resourceTypes: ['*'],
    fixSafety: 'none',
    doesNotReport:
      'Deny with NotPrincipal; an Allow whose conditions restrict the caller (aws:PrincipalOrgID, aws:SourceVpce ...) to a known set',
    references: {
      aws: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html'],
      cwe: ['CWE-732'],
    },
  },
  docs,
  check({ doc, facts, report }) {
    for (const policy of policies(facts)) {
      // In identity policies NotPrincipal is invalid altogether (iam-policy-invalid).
      if (policy.kind === 'identity') continue;
      for (const statement of policy.statements) {
        if (statement.effect !== 'Allow') continue;
        const notPrincipal = statement.entries.get('NotPrincipal');
        if (!notPrincipal) continue;
        // "Everyone except these" narrowed by a condition on the caller is not the whole world.
        if (restriction(doc, policy, statement).restricted) continue;
        report({
          span: notPrincipal.key,
          resource: policy.resource,
          message: `${statementName(statement)} uses Allow with NotPrincipal: it grants access to every principal except the ones listed, including other accounts and anonymous callers. Name who is allowed in Principal instead.`,
        });
      }
    }
  },
};

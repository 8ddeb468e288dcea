// Lambda permissions (`AWS::Lambda::Permission`, `aws_lambda_permission`) are one statement of
// the function's resource policy written as properties: `Principal: "*"` with no SourceArn,
// SourceAccount or PrincipalOrgID lets any AWS account invoke the function. A function URL
// permission with `FunctionUrlAuthType: NONE` is service-publicly-accessible's (the URL is
// public by design then), not reported here.

import type { FixRecipe } from '../../fixes/recipe';
import { setPathOp } from '../../fixes/recipe';
import type { Resource, TemplateDocument } from '../../model/document';
import { viaEvidence } from '../../resolve/values';
import { because, findBad, prop, text, verbOf } from '../../resolve/properties';
import type { FindingInput } from '../types';

export const LAMBDA_PERMISSION_TYPES = ['AWS::Lambda::Permission', 'aws_lambda_permission'];

const KEYS = {
  cfn: {
    principal: 'Principal',
    restricting: ['SourceArn', 'SourceAccount', 'PrincipalOrgID'],
    authType: 'FunctionUrlAuthType',
    org: 'PrincipalOrgID',
    param: 'OrganizationId',
  },
  tf: {
    principal: 'principal',
    restricting: ['source_arn', 'source_account', 'principal_org_id'],
    authType: 'function_url_auth_type',
    org: 'principal_org_id',
    param: 'organization_id',
  },
};

export function checkLambdaPermissions(doc: TemplateDocument, report: (finding: FindingInput) => void): void {
  for (const resource of doc.resources) {
    if (!LAMBDA_PERMISSION_TYPES.includes(resource.type)) continue;
    const k = resource.type.startsWith('AWS::') ? KEYS.cfn : KEYS.tf;
    const star = findBad(prop(doc, resource.properties, k.principal), (v) => text(v) === '*');
    if (!star) continue;
    if (k.restricting.some((key) => prop(doc, resource.properties, key))) continue;
    if (findBad(prop(doc, resource.properties, k.authType), (v) => text(v) === 'NONE')) continue;
    report({
      span: star.node,
      resource,
      message: `Lambda permission ${resource.id} ${verbOf(star) === 'is' ? 'allows' : 'can allow'} everyone (Principal "*")${because(star.via)} with no ${k.restricting.join(', ')}: any AWS account can invoke the function. Restrict it with ${k.org} (your organization), ${k.restricting[1]} or ${k.restricting[0]}, or name the principal.`,
      related: viaEvidence(star.via),
      fixes: () => fixes(doc, resource, k),
    });
  }
}

function fixes(doc: TemplateDocument, resource: Resource, k: (typeof KEYS)['cfn']): FixRecipe[] {
  if (doc.format === 'plan') return [];
  const cfn = doc.format === 'cfn';
  const description = 'AWS Organizations id (o-...) whose principals may use this resource.';
  return [
    {
      title: `Allow only principals of your organization (${k.org} = new ${cfn ? 'parameter' : 'variable'} ${k.param})`,
      safety: 'unsafe',
      ops: [
        {
          op: 'addParameter',
          name: k.param,
          spec: {
            cfn: { Type: 'String', Description: description, AllowedPattern: '^o-[a-z0-9]{10,32}$' },
            tf: { type: 'string', description },
          },
        },
        cfn
          ? setPathOp(resource.node, ['Properties', k.org], { $param: k.param })
          : resource.properties
            ? { op: 'set', map: resource.properties, key: k.org, value: { $param: k.param } }
            : setPathOp(resource.node, [k.org], { $param: k.param }),
      ],
    },
  ];
}

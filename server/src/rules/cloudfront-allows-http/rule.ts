import { viaEvidence } from '../../resolve/values';
import { CLOUDFRONT_TYPES, distributions } from '../../facts/cloudfront';
import { because, findBad, isOneOf, verbOf } from '../../resolve/properties';
import { fixes } from '../../fixes/setProperty';
import { CLOUDFRONT_CONTROLS } from '../transport/controls';
import type { Rule } from '../types';
import docs from './rule.md?raw';

export const cloudfrontAllowsHttp: Rule = {
  meta: {
    id: 'cloudfront-allows-http',
    summary: 'A CloudFront cache behaviour serves viewers over plain HTTP',
    category: 'transport',
    severity: 'error',
    formats: ['cfn', 'tf', 'plan'],
    resourceTypes: CLOUDFRONT_TYPES,
    fixSafety: 'safe',
    references: {
      aws: [
        'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-viewers-to-cloudfront.html',
        'https://docs.aws.amazon.com/securityhub/latest/userguide/cloudfront-controls.html#cloudfront-3',
      ],
      cwe: ['CWE-319'],
      checkov: ['CKV_AWS_34'],
      securityHub: ['CloudFront.3'],
    },
  },
  docs,
  controls: CLOUDFRONT_CONTROLS,
  check({ doc, report }) {
    for (const d of distributions(doc)) {
      for (const b of d.behaviours) {
        const hit = findBad(b.viewerPolicy, (v) => isOneOf(v, 'allow-all'));
        if (!hit) continue;
        report({
          span: hit.node,
          resource: d.resource,
          message: `The viewer protocol policy of ${b.label} of distribution ${d.resource.id} ${verbOf(hit)} allow-all${because(hit.via)}: viewers can fetch content over plain HTTP, where it can be read and changed on the way. Set ${d.names.viewerPolicy} to redirect-to-https (or https-only).`,
          related: viaEvidence(hit.via),
          fixes: fixes(doc, {
            title: `Set ${d.names.viewerPolicy} to redirect-to-https`,
            safety: 'safe',
            ops: [{ op: 'replace', node: hit.node, value: 'redirect-to-https' }],
          }),
        });
      }
    }
  },
};

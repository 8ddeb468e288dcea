import { CLOUDFRONT_TYPES, distributions } from '../../facts/cloudfront';
import { block, bool, findBad, prop, unknownInPlan } from '../../resolve/properties';
import { CLOUDFRONT_CONTROLS } from '../transport/controls';
import type { Rule } from '../types';
import docs from './rule.md?raw';

export const cloudfrontDefaultCertificate: Rule = {
  meta: {
    id: 'cloudfront-default-certificate',
    summary: 'A CloudFront distribution uses the default *.cloudfront.net certificate (TLS floor TLSv1)',
    category: 'transport',
    severity: 'info',
    formats: ['cfn', 'tf'],
    resourceTypes: CLOUDFRONT_TYPES,
    fixSafety: 'none',
    references: {
      aws: [
        'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html',
        'https://docs.aws.amazon.com/securityhub/latest/userguide/cloudfront-controls.html#cloudfront-7',
      ],
      cwe: ['CWE-326'],
      securityHub: ['CloudFront.7'],
    },
  },
  docs,
  controls: CLOUDFRONT_CONTROLS,
  check({ doc, report }) {
    for (const d of distributions(doc)) {
      if (!d.config) continue;
      const message = `Distribution ${d.resource.id} uses the default *.cloudfront.net certificate, which always accepts TLSv1 whatever MinimumProtocolVersion says. To raise the TLS floor, serve it on your own domain with an ACM certificate (in us-east-1) and MinimumProtocolVersion TLSv1.2_2021 or newer.`;
      const certificate = block(d.config, d.names.certificate);
      if (!certificate) {
        // CloudFormation: no ViewerCertificate means the default certificate (Terraform requires the block).
        if (d.cfn && !unknownInPlan(d.resource, [d.names.certificate]))
          report({ span: d.anchor, resource: d.resource, message });
        continue;
      }
      const hit = findBad(prop(doc, certificate, d.names.defaultCertificate), (v) => bool(v) === true);
      if (!hit) continue;
      report({
        span: hit.node,
        resource: d.resource,
        message: hit.partial ? message.replace(' uses the ', ' can use the ') : message,
      });
    }
  },
};

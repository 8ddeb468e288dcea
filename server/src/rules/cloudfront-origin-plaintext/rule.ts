import { viaEvidence } from '../../resolve/values';
import { get } from '../../parse/tree';
import { resolveItems } from '../../resolve/values';
import { CLOUDFRONT_TYPES, distributions } from '../../facts/cloudfront';
import { because, findBad, isOneOf, known, prop, text, verbOf } from '../../resolve/properties';
import { fixes } from '../../fixes/setProperty';
import { CLOUDFRONT_CONTROLS } from '../transport/controls';
import type { Rule } from '../types';
import docs from './rule.md?raw';

const OLD = ['SSLv3', 'TLSv1', 'TLSv1.1'];

export const cloudfrontOriginPlaintext: Rule = {
  meta: {
    id: 'cloudfront-origin-plaintext',
    summary: 'CloudFront talks to a custom origin over HTTP or an outdated SSL/TLS version',
    category: 'transport',
    severity: 'warning',
    formats: ['cfn', 'tf', 'plan'],
    resourceTypes: CLOUDFRONT_TYPES,
    fixSafety: 'unsafe',
    references: {
      aws: [
        'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-cloudfront-to-custom-origin.html',
        'https://docs.aws.amazon.com/securityhub/latest/userguide/cloudfront-controls.html#cloudfront-9',
      ],
      cwe: ['CWE-319', 'CWE-326'],
      securityHub: ['CloudFront.9', 'CloudFront.10'],
    },
  },
  docs,
  controls: CLOUDFRONT_CONTROLS,
  check({ doc, report }) {
    for (const d of distributions(doc)) {
      const { names, resource } = d;
      for (const origin of d.origins) {
        if (!origin.custom) continue;
        const originName = origin.ids[0] ? `origin ${origin.ids[0]}` : 'a custom origin';
        const policy = prop(doc, origin.custom, names.originPolicy);
        const toHttps = policy && {
          title: `Set ${names.originPolicy} to https-only`,
          safety: 'unsafe' as const,
          ops: [{ op: 'replace' as const, node: policy.node, value: 'https-only' }],
        };
        const httpOnly = findBad(policy, (v) => isOneOf(v, 'http-only'));
        if (httpOnly) {
          const website = origin.domains.some((d) => /\.s3-website[.-]/.test(d));
          report({
            span: httpOnly.node,
            resource,
            message: website
              ? `CloudFront reaches ${originName} of distribution ${resource.id} over plain HTTP (http-only${because(httpOnly.via)}): S3 website endpoints only speak HTTP, so serve the bucket through an S3 REST origin with origin access control instead.`
              : `CloudFront ${verbOf(httpOnly) === 'is' ? 'reaches' : 'can reach'} ${originName} of distribution ${resource.id} over plain HTTP (http-only${because(httpOnly.via)}): the hop from the edge to the origin crosses the internet unencrypted. Set ${names.originPolicy} to https-only.`,
            related: viaEvidence(httpOnly.via),
            fixes: website ? [] : fixes(doc, toHttps),
          });
        } else {
          const matchViewer = findBad(policy, (v) => isOneOf(v, 'match-viewer'));
          const plainBehaviour = d.behaviours.find(
            (b) =>
              (b.origins.length === 0 ||
                origin.ids.length === 0 ||
                b.origins.some((o) => origin.ids.includes(o))) &&
              b.viewerPolicy !== undefined &&
              known(b.viewerPolicy).some((v) => isOneOf(v.value, 'allow-all')),
          );
          if (matchViewer && plainBehaviour) {
            report({
              span: matchViewer.node,
              resource,
              message: `CloudFront ${verbOf(matchViewer) === 'is' ? 'forwards' : 'can forward'} HTTP requests to ${originName} of distribution ${resource.id} in plaintext: the origin policy is match-viewer${because(matchViewer.via)} and ${plainBehaviour.label} allows HTTP. Set ${names.originPolicy} to https-only.`,
              related: viaEvidence(matchViewer.via),
              fixes: fixes(doc, toHttps),
            });
          }
        }
        const protocolsNode = get(origin.custom, names.originSsl);
        for (const item of resolveItems(doc, protocolsNode)) {
          const old = item.possibilities.find((p) => OLD.some((o) => isOneOf(p.value, o)));
          if (!old) continue;
          report({
            span: item.node,
            resource,
            message: `CloudFront may connect to ${originName} of distribution ${resource.id} with ${text(old.value)}${because(old.via)}, a broken or deprecated protocol. Allow only TLSv1.2 in ${names.originSsl}.`,
            related: viaEvidence(old.via),
            fixes: fixes(
              doc,
              protocolsNode && {
                title: `Set ${names.originSsl} to [TLSv1.2]`,
                safety: 'unsafe',
                ops: [{ op: 'replace', node: protocolsNode, value: ['TLSv1.2'] }],
              },
            ),
          });
          break; // one finding per origin; the fix replaces the whole list
        }
      }
    }
  },
};

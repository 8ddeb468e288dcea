import { viaEvidence } from '../../resolve/values';
import { toPlain } from '../../parse/tree';
import type { NewValue } from '../../fixes/recipe';
import { because, block, bool, findBad, keyOf, prop, unknownInPlan, verbOf } from '../../resolve/properties';
import { fixes, setOnResource } from '../../fixes/setProperty';
import { CLOUDSEARCH_SECURE_POLICY, SEARCH_SECURE_POLICY } from '../../facts/tlsPolicies';
import { CLOUDSEARCH_TYPES, SEARCH_CONTROLS, SEARCH_TYPES } from '../transport/controls';

const TYPES = [...SEARCH_TYPES, ...CLOUDSEARCH_TYPES];
import type { Rule } from '../types';
import docs from './rule.md?raw';

export const searchHttpsNotEnforced: Rule = {
  meta: {
    id: 'search-https-not-enforced',
    summary: 'An OpenSearch, Elasticsearch or CloudSearch domain accepts plain HTTP',
    category: 'transport',
    severity: 'warning',
    formats: ['cfn', 'tf', 'plan'],
    resourceTypes: TYPES,
    fixSafety: 'safe',
    references: {
      aws: [
        'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/infrastructure-security.html',
        'https://docs.aws.amazon.com/securityhub/latest/userguide/opensearch-controls.html#opensearch-8',
      ],
      cwe: ['CWE-319'],
      checkov: ['CKV_AWS_83'],
      securityHub: ['ES.8', 'Opensearch.8'],
    },
  },
  docs,
  controls: SEARCH_CONTROLS,
  check({ doc, report }) {
    for (const resource of doc.resources) {
      if (!TYPES.includes(resource.type)) continue;
      const cfn = resource.type.startsWith('AWS::');
      const cloudSearch = CLOUDSEARCH_TYPES.includes(resource.type);
      const k = cfn
        ? { options: 'DomainEndpointOptions', enforce: 'EnforceHTTPS', policy: 'TLSSecurityPolicy' }
        : {
            options: cloudSearch ? 'endpoint_options' : 'domain_endpoint_options',
            enforce: 'enforce_https',
            policy: 'tls_security_policy',
          };
      const securePolicy = cloudSearch ? CLOUDSEARCH_SECURE_POLICY : SEARCH_SECURE_POLICY;
      const options = block(resource.properties, k.options);
      const title = `Set ${k.enforce} to true with ${securePolicy}`;
      const secure: { [key: string]: NewValue } = { [k.enforce]: true, [k.policy]: securePolicy };
      if (!options) {
        if (unknownInPlan(resource, [k.options])) continue;
        report({
          span: resource.keyNode,
          resource,
          message: `Domain ${resource.id} has no ${k.options}, so HTTPS is not enforced (the default): clients can send queries, documents and credentials over plain HTTP. Set ${k.enforce} to true with a TLS 1.2 policy.`,
          fixes: fixes(doc, { title, safety: 'safe', ops: [setOnResource(resource, [k.options], secure)] }),
        });
        continue;
      }
      const enforce = prop(doc, options, k.enforce);
      const hasPolicy = prop(doc, options, k.policy) !== undefined;
      if (!enforce) {
        // Terraform's provider enforces HTTPS when the block is written without enforce_https.
        if (!cfn || unknownInPlan(resource, [k.options, k.enforce])) continue;
        report({
          span: keyOf(resource.properties, k.options) ?? resource.keyNode,
          resource,
          message: `Domain ${resource.id} does not set ${k.options}.${k.enforce}, so HTTPS is not enforced (the default): clients can send queries, documents and credentials over plain HTTP. Set ${k.enforce} to true.`,
          fixes: fixes(doc, {
            title: hasPolicy ? `Set ${k.enforce} to true` : title,
            safety: 'safe',
            ops: hasPolicy
              ? [{ op: 'set', map: options, key: k.enforce, value: true }]
              : [
                  {
                    op: 'replace',
                    node: options,
                    value: { ...(toPlain(options) as object), ...secure } as NewValue,
                  },
                ],
          }),
        });
        continue;
      }
      const hit = findBad(enforce, (v) => bool(v) === false);
      if (!hit) continue;
      report({
        span: hit.node,
        resource,
        message: `HTTPS ${verbOf(hit)} not enforced on domain ${resource.id} (${k.enforce}: false${because(hit.via)}): clients can send queries, documents and credentials over plain HTTP. Set ${k.enforce} to true.`,
        related: viaEvidence(hit.via),
        fixes: fixes(doc, {
          title: hasPolicy ? `Set ${k.enforce} to true` : title,
          safety: 'safe',
          ops: [
            { op: 'replace', node: hit.node, value: true },
            ...(hasPolicy ? [] : [{ op: 'set' as const, map: options, key: k.policy, value: securePolicy }]),
          ],
        }),
      });
    }
  },
};

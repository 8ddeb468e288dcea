import { viaEvidence } from '../../resolve/values';
import { because, block, bool, findBad, keyOf, prop, unknownInPlan, verbOf } from '../../resolve/properties';
import { fixes, setOnResource } from '../../fixes/setProperty';
import { SEARCH_CONTROLS, SEARCH_TYPES } from '../transport/controls';
import type { Rule } from '../types';
import docs from './rule.md?raw';

export const searchNodeToNodeEncryptionDisabled: Rule = {
  meta: {
    id: 'search-node-to-node-encryption-disabled',
    summary: 'The nodes of an OpenSearch or Elasticsearch domain talk to each other in plaintext',
    category: 'transport',
    severity: 'warning',
    formats: ['cfn', 'tf', 'plan'],
    resourceTypes: SEARCH_TYPES,
    fixSafety: 'unsafe',
    references: {
      aws: [
        'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ntn.html',
        'https://docs.aws.amazon.com/securityhub/latest/userguide/opensearch-controls.html#opensearch-3',
      ],
      cwe: ['CWE-319'],
      checkov: ['CKV_AWS_6'],
      securityHub: ['ES.3', 'Opensearch.3'],
    },
  },
  docs,
  controls: SEARCH_CONTROLS,
  check({ doc, report }) {
    for (const resource of doc.resources) {
      if (!SEARCH_TYPES.includes(resource.type)) continue;
      const cfn = resource.type.startsWith('AWS::');
      const k = cfn
        ? { options: 'NodeToNodeEncryptionOptions', enabled: 'Enabled' }
        : { options: 'node_to_node_encryption', enabled: 'enabled' };
      const fix = fixes(doc, {
        title: `Set ${k.options}.${k.enabled} to true`,
        safety: 'unsafe',
        ops: [setOnResource(resource, [k.options, k.enabled], true)],
      });
      const options = block(resource.properties, k.options);
      const enabled = prop(doc, options, k.enabled);
      if (!enabled) {
        if (unknownInPlan(resource, [k.options, k.enabled]) || unknownInPlan(resource, [k.options])) continue;
        report({
          span: keyOf(resource.properties, k.options) ?? resource.keyNode,
          resource,
          message: `Domain ${resource.id} does not enable node-to-node encryption (off by default): data moving between its nodes, including replicas and search results, is sent in plaintext. Set ${k.options}.${k.enabled} to true.`,
          fixes: fix,
        });
        continue;
      }
      const hit = findBad(enabled, (v) => bool(v) === false);
      if (!hit) continue;
      report({
        span: hit.node,
        resource,
        message: `Node-to-node encryption ${verbOf(hit)} off on domain ${resource.id}${because(hit.via)}: data moving between its nodes, including replicas and search results, is sent in plaintext. Set ${k.options}.${k.enabled} to true.`,
        related: viaEvidence(hit.via),
        fixes: fix,
      });
    }
  },
};

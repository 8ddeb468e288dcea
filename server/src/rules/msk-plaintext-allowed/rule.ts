import { viaEvidence } from '../../resolve/values';
import { because, block, bool, findBad, isOneOf, prop, text, verbOf } from '../../resolve/properties';
import { fixes } from '../../fixes/setProperty';
import { MSK_CONTROLS } from '../transport/controls';
import type { Rule } from '../types';
import docs from './rule.md?raw';

const TYPES = ['AWS::MSK::Cluster', 'aws_msk_cluster'];

export const mskPlaintextAllowed: Rule = {
  meta: {
    id: 'msk-plaintext-allowed',
    summary: 'An MSK (Kafka) cluster accepts plaintext client or broker traffic',
    category: 'transport',
    severity: 'warning',
    formats: ['cfn', 'tf', 'plan'],
    resourceTypes: TYPES,
    fixSafety: 'unsafe',
    references: {
      aws: [
        'https://docs.aws.amazon.com/msk/latest/developerguide/msk-encryption.html',
        'https://docs.aws.amazon.com/securityhub/latest/userguide/msk-controls.html#msk-1',
      ],
      cwe: ['CWE-319'],
      checkov: ['CKV_AWS_81'],
      securityHub: ['MSK.1'],
    },
  },
  docs,
  controls: MSK_CONTROLS,
  check({ doc, report }) {
    for (const resource of doc.resources) {
      if (!TYPES.includes(resource.type)) continue;
      const cfn = resource.type === 'AWS::MSK::Cluster';
      const k = cfn
        ? {
            info: 'EncryptionInfo',
            transit: 'EncryptionInTransit',
            client: 'ClientBroker',
            cluster: 'InCluster',
          }
        : {
            info: 'encryption_info',
            transit: 'encryption_in_transit',
            client: 'client_broker',
            cluster: 'in_cluster',
          };
      // Absent settings are secure: ClientBroker defaults to TLS and InCluster to true.
      const transit = block(block(resource.properties, k.info), k.transit);
      const client = findBad(prop(doc, transit, k.client), (v) => isOneOf(v, 'TLS_PLAINTEXT', 'PLAINTEXT'));
      if (client) {
        const value = text(client.value)!;
        report({
          span: client.node,
          resource,
          message: `MSK cluster ${resource.id} ${verbOf(client) === 'is' ? 'accepts' : 'can accept'} plaintext client connections (${k.client}: ${value}${because(client.via)}): messages and SASL/SCRAM credentials can cross the network unencrypted. Set ${k.client} to TLS.`,
          related: viaEvidence(client.via),
          fixes: fixes(doc, {
            title: `Set ${k.client} to TLS`,
            safety: 'unsafe',
            ops: [{ op: 'replace', node: client.node, value: 'TLS' }],
          }),
        });
      }
      const inCluster = findBad(prop(doc, transit, k.cluster), (v) => bool(v) === false);
      if (inCluster) {
        report({
          span: inCluster.node,
          resource,
          message: `The brokers of MSK cluster ${resource.id} ${verbOf(inCluster) === 'is' ? 'replicate' : 'can replicate'} data between themselves in plaintext (${k.cluster}: false${because(inCluster.via)}). Set ${k.cluster} to true.`,
          related: viaEvidence(inCluster.via),
          fixes: fixes(doc, {
            title: `Set ${k.cluster} to true`,
            safety: 'unsafe',
            ops: [{ op: 'replace', node: inCluster.node, value: true }],
          }),
        });
      }
    }
  },
};

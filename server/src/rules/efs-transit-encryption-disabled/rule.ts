import { viaEvidence } from '../../resolve/values';
import {
  because,
  block,
  blocks,
  findBad,
  isOneOf,
  keyOf,
  knownTexts,
  prop,
  verbOf,
} from '../../resolve/properties';
import { fixes } from '../../fixes/setProperty';
import { EFS_CONTROLS } from '../transport/controls';
import type { Rule } from '../types';
import docs from './rule.md?raw';

const TYPES = ['AWS::ECS::TaskDefinition', 'aws_ecs_task_definition'];

export const efsTransitEncryptionDisabled: Rule = {
  meta: {
    id: 'efs-transit-encryption-disabled',
    summary: 'An ECS task mounts an EFS volume without TLS',
    category: 'transport',
    severity: 'warning',
    formats: ['cfn', 'tf'],
    resourceTypes: TYPES,
    fixSafety: 'safe',
    references: {
      aws: ['https://docs.aws.amazon.com/AmazonECS/latest/developerguide/efs-volumes.html'],
      cwe: ['CWE-319'],
      checkov: ['CKV_AWS_97'],
    },
  },
  docs,
  controls: EFS_CONTROLS,
  check({ doc, report }) {
    for (const resource of doc.resources) {
      if (!TYPES.includes(resource.type)) continue;
      const cfn = resource.type.startsWith('AWS::');
      const k = cfn
        ? { volumes: 'Volumes', name: 'Name', efs: 'EFSVolumeConfiguration', transit: 'TransitEncryption' }
        : { volumes: 'volume', name: 'name', efs: 'efs_volume_configuration', transit: 'transit_encryption' };
      for (const volume of blocks(resource.properties, k.volumes)) {
        const efs = block(volume, k.efs);
        if (!efs) continue;
        const name = knownTexts(doc, volume, k.name)[0];
        const label = name ? `volume ${name}` : 'an EFS volume';
        const title = `Set ${k.transit} to ENABLED`;
        const transit = prop(doc, efs, k.transit);
        if (!transit) {
          report({
            span: keyOf(volume, k.efs) ?? resource.keyNode,
            resource,
            message: `Task definition ${resource.id} mounts EFS ${label} without ${k.transit} (default DISABLED): file contents cross the network in plaintext. Set ${k.transit} to ENABLED.`,
            fixes: fixes(doc, {
              title,
              safety: 'safe',
              ops: [{ op: 'set', map: efs, key: k.transit, value: 'ENABLED' }],
            }),
          });
          continue;
        }
        const hit = findBad(transit, (v) => isOneOf(v, 'DISABLED'));
        if (!hit) continue;
        report({
          span: hit.node,
          resource,
          message: `Task definition ${resource.id} ${verbOf(hit) === 'is' ? 'mounts' : 'can mount'} EFS ${label} without TLS (${k.transit}: DISABLED${because(hit.via)}): file contents cross the network in plaintext. Set ${k.transit} to ENABLED.`,
          related: viaEvidence(hit.via),
          fixes: fixes(doc, {
            title,
            safety: 'safe',
            ops: [{ op: 'replace', node: hit.node, value: 'ENABLED' }],
          }),
        });
      }
    }
  },
};

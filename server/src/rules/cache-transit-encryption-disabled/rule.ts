import { viaEvidence } from '../../resolve/values';
import type { NewValue } from '../../fixes/recipe';
import type { Resource, TemplateDocument } from '../../model/document';
import type { Value } from '../../resolve/values';
import type { FindingInput, Rule } from '../types';
import { because, bool, findBad, isOneOf, prop, text, unknownInPlan, verbOf } from '../../resolve/properties';
import { fixes, setOnResource } from '../../fixes/setProperty';
import { CACHE_CONTROLS } from '../transport/controls';
import docs from './rule.md?raw';

interface Setting {
  kind: string;
  key: string;
  /** True when the value leaves traffic in plaintext. */
  bad: (value: Value) => boolean;
  /** The property's default is plaintext (report when absent). */
  absentIsBad: boolean;
  secure: NewValue;
  mode?: string;
}

const SETTINGS: Record<string, Setting> = {
  'AWS::ElastiCache::ReplicationGroup': elastiCache(
    'replication group',
    'TransitEncryptionEnabled',
    'TransitEncryptionMode',
  ),
  'AWS::ElastiCache::CacheCluster': elastiCache('cache cluster', 'TransitEncryptionEnabled'),
  aws_elasticache_replication_group: elastiCache(
    'replication group',
    'transit_encryption_enabled',
    'transit_encryption_mode',
  ),
  aws_elasticache_cluster: elastiCache('cache cluster', 'transit_encryption_enabled'),
  'AWS::MemoryDB::Cluster': {
    kind: 'MemoryDB cluster',
    key: 'TLSEnabled',
    bad: (v) => bool(v) === false,
    absentIsBad: false,
    secure: true,
  },
  aws_memorydb_cluster: {
    kind: 'MemoryDB cluster',
    key: 'tls_enabled',
    bad: (v) => bool(v) === false,
    absentIsBad: false,
    secure: true,
  },
  'AWS::DAX::Cluster': dax('ClusterEndpointEncryptionType'),
  aws_dax_cluster: dax('cluster_endpoint_encryption_type'),
};

function elastiCache(kind: string, key: string, mode?: string): Setting {
  return {
    kind: `ElastiCache ${kind}`,
    key,
    bad: (v) => bool(v) === false,
    absentIsBad: true,
    secure: true,
    mode,
  };
}

function dax(key: string): Setting {
  return { kind: 'DAX cluster', key, bad: (v) => isOneOf(v, 'NONE'), absentIsBad: true, secure: 'TLS' };
}

export const cacheTransitEncryptionDisabled: Rule = {
  meta: {
    id: 'cache-transit-encryption-disabled',
    summary: 'A cache (ElastiCache, MemoryDB, DAX) accepts plaintext connections',
    category: 'transport',
    severity: 'warning',
    formats: ['cfn', 'tf', 'plan'],
    resourceTypes: Object.keys(SETTINGS),
    fixSafety: 'unsafe',
    doesNotReport:
      'Serverless ElastiCache and AppSync API caches (always encrypted in transit, whatever TransitEncryptionEnabled says); MemoryDB clusters without TLSEnabled (on by default)',
    references: {
      aws: [
        'https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption.html',
        'https://docs.aws.amazon.com/securityhub/latest/userguide/elasticache-controls.html#elasticache-5',
      ],
      cwe: ['CWE-319'],
      checkov: ['CKV_AWS_30', 'CKV_AWS_47'],
      securityHub: ['ElastiCache.5', 'DynamoDB.7'],
    },
  },
  docs,
  controls: CACHE_CONTROLS,
  check({ doc, report }) {
    for (const resource of doc.resources) {
      const setting = SETTINGS[resource.type];
      if (!setting) continue;
      // A Terraform cluster that joins a replication group takes the group's settings.
      if (
        resource.type === 'aws_elasticache_cluster' &&
        prop(doc, resource.properties, 'replication_group_id')
      )
        continue;
      checkResource(doc, resource, setting, report);
    }
  },
};

function checkResource(
  doc: TemplateDocument,
  resource: Resource,
  s: Setting,
  report: (f: FindingInput) => void,
): void {
  const value = prop(doc, resource.properties, s.key);
  const setSecure = (title: string, key = s.key, to: NewValue = s.secure) =>
    fixes(doc, { title, safety: 'unsafe', ops: [setOnResource(resource, [key], to)] });
  const title = `Set ${s.key} to ${String(s.secure)}`;
  if (!value) {
    if (!s.absentIsBad || unknownInPlan(resource, [s.key])) return;
    report({
      span: resource.keyNode,
      resource,
      message: `${s.kind} ${resource.id} does not set ${s.key}, which defaults to ${s.secure === true ? 'false' : 'NONE'}: clients talk to it in plaintext. Set ${s.key} to ${String(s.secure)}.`,
      fixes: setSecure(title),
    });
    return;
  }
  const hit = findBad(value, s.bad);
  if (hit) {
    report({
      span: hit.node,
      resource,
      message: `Transit encryption of ${s.kind} ${resource.id} ${verbOf(hit)} off (${s.key}: ${text(hit.value) ?? String(hit.value)}${because(hit.via)}): clients talk to it in plaintext. Set ${s.key} to ${String(s.secure)}.`,
      related: viaEvidence(hit.via),
      fixes: setSecure(title),
    });
    return;
  }
  if (!s.mode) return;
  const preferred = findBad(prop(doc, resource.properties, s.mode), (v) => isOneOf(v, 'preferred'));
  if (!preferred) return;
  report({
    span: preferred.node,
    resource,
    message: `Transit encryption of ${s.kind} ${resource.id} ${verbOf(preferred)} in preferred mode${because(preferred.via)}: the cache still accepts plaintext connections. Set ${s.mode} to required once every client uses TLS.`,
    related: viaEvidence(preferred.via),
    fixes: fixes(doc, {
      title: `Set ${s.mode} to required`,
      safety: 'unsafe',
      ops: [{ op: 'replace', node: preferred.node, value: 'required' }],
    }),
  });
}

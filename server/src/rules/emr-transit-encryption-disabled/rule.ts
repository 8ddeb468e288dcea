import type { Resource, TemplateDocument } from '../../model/document';
import type { Node } from '../../parse/tree';
import { get } from '../../parse/tree';
import type { Possibility, Value } from '../../resolve/values';
import { describeVia, NO_VALUE, resolve, UNKNOWN, viaEvidence } from '../../resolve/values';
import { bool } from '../../resolve/properties';
import type { Rule } from '../types';
import docs from './rule.md?raw';

const TYPES: Record<string, string> = {
  'AWS::EMR::SecurityConfiguration': 'SecurityConfiguration',
  aws_emr_security_configuration: 'configuration',
};

export const emrTransitEncryptionDisabled: Rule = {
  meta: {
    id: 'emr-transit-encryption-disabled',
    summary: 'An EMR security configuration leaves in-transit encryption off',
    category: 'transport',
    severity: 'warning',
    formats: ['cfn', 'tf', 'plan'],
    resourceTypes: Object.keys(TYPES),
    fixSafety: 'none',
    doesNotReport:
      'configurations written as values that cannot be read (a parameter, a Terraform expression); clusters without a security configuration',
    references: {
      aws: [
        'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-encryption-enable.html',
        'https://docs.aws.amazon.com/config/latest/developerguide/emr-security-configuration-encryption-transit.html',
      ],
      cwe: ['CWE-319'],
    },
  },
  docs,
  controls: [
    {
      keys: ['EnableInTransitEncryption'],
      resourceTypes: Object.keys(TYPES),
      markdown:
        '**EnableInTransitEncryption.** Turns on TLS between the nodes of clusters that use this security configuration (HDFS, Spark, shuffle, Presto, ...). Default: `false`. Needs `InTransitEncryptionConfiguration.TLSCertificateConfiguration` (PEM certificates in S3 or a custom provider). [Encryption options](https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-data-encryption-options.html)',
    },
  ],
  check({ doc, report }) {
    for (const resource of doc.resources) {
      const key = TYPES[resource.type];
      if (!key) continue;
      const configNode = get(resource.properties, key);
      if (!configNode) continue;
      for (const p of resolve(doc, configNode)) {
        const verdict = inTransit(p.value);
        if (verdict.enabled !== false) continue;
        reportOff(doc, resource, configNode, verdict.explicit, p, report);
        break;
      }
    }
  },
};

/** `EncryptionConfiguration.EnableInTransitEncryption` of a configuration (object or JSON text). */
function inTransit(value: Value): { enabled: boolean | undefined; explicit: boolean } {
  let config: unknown = value;
  if (value === UNKNOWN || value === NO_VALUE) return { enabled: undefined, explicit: false };
  if (typeof value === 'string') {
    try {
      config = JSON.parse(value);
    } catch {
      return { enabled: undefined, explicit: false };
    }
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    return { enabled: undefined, explicit: false };
  const encryption = (config as Record<string, unknown>).EncryptionConfiguration;
  if (encryption === undefined) return { enabled: false, explicit: false };
  if (typeof encryption !== 'object' || encryption === null) return { enabled: undefined, explicit: false };
  const flag = (encryption as Record<string, unknown>).EnableInTransitEncryption;
  if (flag === undefined) return { enabled: false, explicit: false };
  const b = typeof flag === 'boolean' || typeof flag === 'string' ? bool(flag) : undefined;
  return { enabled: b, explicit: true };
}

function reportOff(
  doc: TemplateDocument,
  resource: Resource,
  configNode: Node,
  explicit: boolean,
  p: Possibility,
  report: Parameters<Rule['check']>[0]['report'],
): void {
  // In a YAML/JSON map the flag has its own node; in a JSON string, the string is the place.
  const flagNode = get(get(configNode, 'EncryptionConfiguration'), 'EnableInTransitEncryption');
  const what = explicit
    ? 'EnableInTransitEncryption: false'
    : 'no EnableInTransitEncryption (off by default)';
  report({
    span: flagNode ?? configNode,
    resource,
    message: `EMR security configuration ${resource.id} leaves in-transit encryption off (${what}${describeVia(p.via) ? `, through ${describeVia(p.via)}` : ''}): traffic between cluster nodes (HDFS blocks, Spark shuffle, Presto) and to the applications crosses the network in plaintext. Set EnableInTransitEncryption to true with a TLSCertificateConfiguration.`,
    related: viaEvidence(p.via),
  });
}

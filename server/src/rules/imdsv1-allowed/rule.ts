import { viaEvidence } from '../../resolve/values';
import { endpointOff, IMDS_RESOURCE_TYPES, imageOf, imdsHosts, inherited, option } from '../../facts/imds';
import {
  because,
  block,
  findBad,
  isOneOf,
  keyOf,
  prop,
  text,
  unknownInPlan,
  verbOf,
} from '../../resolve/properties';
import { fixes, setOnResource } from '../../fixes/setProperty';
import { IMDS_CONTROLS } from '../transport/controls';
import type { Rule } from '../types';
import docs from './rule.md?raw';

const NOTEBOOK_TYPES = ['AWS::SageMaker::NotebookInstance', 'aws_sagemaker_notebook_instance'];

export const imdsv1Allowed: Rule = {
  meta: {
    id: 'imdsv1-allowed',
    summary: 'The instance metadata service accepts IMDSv1 (no session token required)',
    category: 'imds',
    severity: 'error',
    formats: ['cfn', 'tf', 'plan'],
    resourceTypes: [...IMDS_RESOURCE_TYPES, ...NOTEBOOK_TYPES],
    fixSafety: 'safe',
    doesNotReport:
      'A disabled endpoint, options inherited from a launch template, and a missing HttpTokens when the image is Amazon Linux 2023 (SSM al2023 paths, Amazon-owned al2023 aws_ami lookups), whose AMIs require tokens by default',
    references: {
      aws: [
        'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-options.html',
        'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html',
        'https://docs.aws.amazon.com/linux/al2023/ug/imdsv2.html',
        'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-8',
      ],
      cwe: ['CWE-918', 'CWE-522'],
      checkov: ['CKV_AWS_79'],
      securityHub: ['EC2.8', 'AutoScaling.3'],
    },
  },
  docs,
  controls: IMDS_CONTROLS,
  check({ doc, facts, report }) {
    for (const host of imdsHosts(doc, facts)) {
      if (endpointOff(doc, host)) continue;
      const { resource, names } = host;
      const tokens = option(doc, host, 'tokens');
      const fixTitle = `Set ${names.tokens} to required (IMDSv2 only)`;
      if (tokens) {
        const hit = findBad(tokens, (v) => isOneOf(v, 'optional'));
        if (!hit) continue;
        const verb = verbOf(hit);
        report({
          span: hit.node,
          resource,
          message: `IMDSv1 ${verb} allowed on ${host.kind} ${resource.id}: ${names.tokens} ${verb} optional${because(hit.via)}, so any process or server-side request forgery that reaches the metadata service can read the role's credentials with a plain GET. Set ${names.tokens} to required.`,
          related: viaEvidence(hit.via),
          fixes: fixes(doc, {
            title: fixTitle,
            safety: 'safe',
            ops: [{ op: 'replace', node: hit.node, value: 'required' }],
          }),
        });
        continue;
      }
      if (inherited(host, 'tokens')) continue;
      // The default comes from the image: an AMI registered with ImdsSupport v2.0 (every Amazon
      // Linux 2023 AMI) launches with tokens required.
      const image = imageOf(doc, host);
      if (image.requiresTokens) continue;
      report({
        span: host.anchor,
        resource,
        severity: 'warning',
        message: `IMDSv2 is not enforced by this template: ${host.kind} ${resource.id} does not set ${names.options}.${names.tokens}, so whether IMDSv1 is available depends on the AMI (${image.label ?? 'not known here'}) and the account default: AMIs registered with ImdsSupport v2.0, such as Amazon Linux 2023, require tokens; others allow IMDSv1. Set ${names.tokens} to required.`,
        related: image.node
          ? [
              {
                span: image.node,
                message: `The AMI decides the IMDS default when ${names.tokens} is not set.`,
              },
            ]
          : [],
        fixes: fixes(doc, {
          title: fixTitle,
          safety: 'safe',
          ops: [setOnResource(resource, [...host.path, names.tokens], 'required')],
        }),
      });
    }

    for (const resource of doc.resources) {
      if (!NOTEBOOK_TYPES.includes(resource.type)) continue;
      const cfn = resource.type.startsWith('AWS::');
      const config = cfn ? 'InstanceMetadataServiceConfiguration' : 'instance_metadata_service_configuration';
      const key = cfn ? 'MinimumInstanceMetadataServiceVersion' : 'minimum_instance_metadata_service_version';
      const settings = block(resource.properties, config);
      const version = prop(doc, settings, key);
      const title = `Set ${key} to 2 (IMDSv2 only)`;
      if (version) {
        const hit = findBad(version, (v) => text(v)?.trim() === '1');
        if (!hit) continue;
        const verb = verbOf(hit);
        report({
          span: hit.node,
          resource,
          message: `IMDSv1 ${verb} allowed on notebook instance ${resource.id}: ${key} ${verb} 1${because(hit.via)}, so code in the notebook that can be made to fetch a URL can read the execution role's credentials. Set it to 2.`,
          related: viaEvidence(hit.via),
          fixes: fixes(doc, { title, safety: 'safe', ops: [{ op: 'replace', node: hit.node, value: '2' }] }),
        });
        continue;
      }
      if (unknownInPlan(resource, [config, key]) || unknownInPlan(resource, [config])) continue;
      report({
        span: keyOf(resource.properties, config) ?? resource.keyNode,
        resource,
        severity: 'warning',
        message: `IMDSv2 is not enforced by this template: notebook instance ${resource.id} does not set ${config}.${key}, which defaults to 1 (IMDSv1 allowed). Set it to 2.`,
        fixes: fixes(doc, { title, safety: 'safe', ops: [setOnResource(resource, [config, key], '2')] }),
      });
    }
  },
};

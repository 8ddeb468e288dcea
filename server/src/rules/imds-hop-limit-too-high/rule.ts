import { viaEvidence } from '../../resolve/values';
import { launchTemplates } from '../../facts/launchTemplates';
import { endpointOff, IMDS_RESOURCE_TYPES, imdsHosts, option } from '../../facts/imds';
import { because, findBad, num, verbOf } from '../../resolve/properties';
import { fixes } from '../../fixes/setProperty';
import { IMDS_CONTROLS } from '../transport/controls';
import type { Rule } from '../types';
import docs from './rule.md?raw';

export const imdsHopLimitTooHigh: Rule = {
  meta: {
    id: 'imds-hop-limit-too-high',
    summary: 'The IMDSv2 token hop limit lets metadata responses travel beyond the host',
    category: 'imds',
    severity: 'warning',
    formats: ['cfn', 'tf', 'plan'],
    resourceTypes: [...IMDS_RESOURCE_TYPES, 'AWS::EKS::Nodegroup', 'aws_eks_node_group'],
    fixSafety: 'unsafe',
    doesNotReport:
      'An absent hop limit (1, or 2 on AMIs registered with ImdsSupport v2.0 such as Amazon Linux 2023), a disabled endpoint, and 2 on container hosts (ECS, EKS, Bottlerocket), which need it',
    references: {
      aws: [
        'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html#imds-considerations',
        'https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html',
      ],
      cwe: ['CWE-918'],
      checkov: ['CKV_AWS_341'],
    },
  },
  docs,
  controls: IMDS_CONTROLS,
  check({ doc, facts, report }) {
    const templates = launchTemplates(facts);
    for (const host of imdsHosts(doc, facts)) {
      if (endpointOff(doc, host)) continue;
      const hop = option(doc, host, 'hopLimit');
      if (!hop) continue; // default 1
      const { resource, names } = host;
      const container = templates.isContainerHost(resource);
      const setTo = (n: number) => ({
        title: `Set ${names.hopLimit} to ${n}`,
        safety: 'unsafe' as const,
        ops: [{ op: 'replace' as const, node: hop.node, value: n }],
      });
      const high = findBad(hop, (v) => (num(v) ?? 0) >= 3);
      if (high) {
        const verb = verbOf(high);
        report({
          span: high.node,
          resource,
          message: `The IMDS hop limit ${verb} ${num(high.value)}${because(high.via)} on ${host.kind} ${resource.id}: the session token survives that many network hops, so containers, proxies or forwarded requests beyond the host can obtain the role's credentials. Use 1, or 2 on container hosts.`,
          related: viaEvidence(high.via),
          fixes: fixes(doc, container ? setTo(2) : setTo(1)),
        });
        continue;
      }
      if (container) continue;
      const two = findBad(hop, (v) => num(v) === 2);
      if (!two) continue;
      const verb = verbOf(two);
      report({
        span: two.node,
        resource,
        severity: 'info',
        message: `The IMDS hop limit ${verb} 2${because(two.via)} on ${host.kind} ${resource.id}, which does not look like a container host (no EKS node group or ECS capacity provider uses it, and its user data does not join ECS or EKS): 1 keeps forwarded requests away from the instance role. Use 1 unless containers on this host need IMDS.`,
        related: viaEvidence(two.via),
        fixes: fixes(doc, setTo(1)),
      });
    }
  },
};

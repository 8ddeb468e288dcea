import { setPathOp } from '../../fixes/recipe';
import type { FixOp, FixRecipe } from '../../fixes/recipe';
import type { Resource, TemplateDocument } from '../../model/document';
import { isUnknownInPlan } from '../../model/document';
import type { MapNode, Node } from '../../parse/tree';
import { get, items } from '../../parse/tree';
import { NO_VALUE, resolve, resolveItems } from '../../resolve/values';
import { EKS_CONTROLS } from '../exposure/controls';
import type { OpenSource } from '../exposure/openToInternet';
import { describeOpen, evidence, internetSourcesOf, parameterName } from '../exposure/openToInternet';
import type { Rule } from '../types';
import docs from './rule.md?raw';

export const eksEndpointOpenToInternet: Rule = {
  meta: {
    id: 'eks-endpoint-open-to-internet',
    summary: 'EKS cluster API endpoint public and open to the whole internet',
    category: 'exposure',
    severity: 'warning',
    formats: ['cfn', 'tf', 'plan'],
    resourceTypes: ['AWS::EKS::Cluster', 'aws_eks_cluster'],
    fixSafety: 'unsafe',
    doesNotReport:
      'A disabled public endpoint, public access limited to narrower ranges (even public ones), trusted ranges, values unknown until deploy; an empty range list is reported (EKS then applies 0.0.0.0/0)',
    references: {
      aws: [
        'https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html',
        'https://docs.aws.amazon.com/securityhub/latest/userguide/eks-controls.html#eks-1',
      ],
      cwe: ['CWE-284'],
      checkov: ['CKV_AWS_38', 'CKV_AWS_39'],
      securityHub: ['EKS.1'],
    },
  },
  docs,
  controls: EKS_CONTROLS,
  check({ doc, settings, report }) {
    for (const resource of doc.resources) {
      const cfn = resource.type === 'AWS::EKS::Cluster';
      if (!cfn && resource.type !== 'aws_eks_cluster') continue;
      const keys = cfn ? CFN_KEYS : TF_KEYS;
      const configNode = get(resource.properties, keys.config);
      const config = items(configNode)[0];
      const publicNode = get(config, keys.public);
      // Absent means public (AWS's default); an unknown value is never a finding by itself.
      const publicValues = resolve(doc, publicNode).map((p) => p.value);
      const isPublic = publicValues.some((v) => v === true || v === 'true' || v === NO_VALUE);
      if (!isPublic || (doc.format === 'plan' && isUnknownInPlan(resource, [keys.config, 0, keys.public])))
        continue;
      const maybePrivate = publicValues.some((v) => v !== true && v !== 'true' && v !== NO_VALUE);
      const publicVia = publicNode ? '' : ` (${keys.public} is not set: public by default)`;
      const cidrsNode = get(config, keys.cidrs);
      if (!cidrsNode) {
        if (doc.format === 'plan' && isUnknownInPlan(resource, [keys.config, 0, keys.cidrs])) continue;
        report({
          span: publicNode ?? resource.keyNode,
          resource,
          message: `The EKS API endpoint of ${resource.id} ${maybePrivate ? 'can be' : 'is'} public and open to the internet: ${publicNode ? `${keys.public} is true` : `neither ${keys.public} nor ${keys.cidrs} is set`}, and ${keys.cidrs} defaults to 0.0.0.0/0. Turn on the private endpoint and limit ${keys.cidrs} to the ranges your operators and CI use, or turn the public endpoint off.`,
          fixes: fixes(doc, resource, config, undefined),
        });
        continue;
      }
      const sources = resolveItems(doc, cidrsNode).map((i) => ({
        node: i.node,
        possibilities: i.possibilities,
        ...(cidrsNode.kind === 'seq' ? { list: cidrsNode } : {}),
      }));
      if (
        !sources.length &&
        resolve(doc, cidrsNode).some((p) => Array.isArray(p.value) || p.value === NO_VALUE)
      ) {
        // An empty list is not sent to the EKS API, which then applies its default, 0.0.0.0/0.
        report({
          span: cidrsNode,
          resource,
          message: `The EKS API endpoint of ${resource.id}${publicVia} ${maybePrivate ? 'can be' : 'is'} public and open to the internet: ${keys.cidrs} is empty, and an empty list means EKS's default 0.0.0.0/0. Turn on the private endpoint and limit ${keys.cidrs} to the ranges your operators and CI use, or turn the public endpoint off.`,
          fixes: fixes(doc, resource, config, undefined),
        });
        continue;
      }
      for (const open of internetSourcesOf(sources, [], settings)) {
        const conditional =
          maybePrivate || open.partial || open.via.some((v) => v.kind !== 'parameter-default');
        report({
          span: open.source.node,
          resource,
          message: `The EKS API endpoint of ${resource.id}${publicVia} ${conditional ? 'can be' : 'is'} public and open to the internet: ${keys.cidrs} includes ${describeOpen(open)}. Turn on the private endpoint and limit ${keys.cidrs} to the ranges your operators and CI use, or turn the public endpoint off.`,
          related: evidence(open),
          fixes: fixes(doc, resource, config, open),
        });
      }
    }
  },
};

const CFN_KEYS = {
  config: 'ResourcesVpcConfig',
  public: 'EndpointPublicAccess',
  private: 'EndpointPrivateAccess',
  cidrs: 'PublicAccessCidrs',
};
const TF_KEYS = {
  config: 'vpc_config',
  public: 'endpoint_public_access',
  private: 'endpoint_private_access',
  cidrs: 'public_access_cidrs',
};

function fixes(
  doc: TemplateDocument,
  resource: Resource,
  config: Node | undefined,
  open: OpenSource | undefined,
): FixRecipe[] {
  if (doc.format === 'plan') return [];
  const cfn = doc.format === 'cfn';
  const keys = cfn ? CFN_KEYS : TF_KEYS;
  const name = parameterName(doc, 'EksPublicAccessCidrs');
  const ops: FixOp[] = [];
  const fromDefault = open?.via.find((v) => v.kind === 'parameter-default');
  if (open && (open.via.length || open.together)) {
    // The open range is a parameter's default (or one of several values): remove that default.
    if (fromDefault?.kind !== 'parameter-default' || !fromDefault.parameter.default) return [];
    const body =
      !cfn && fromDefault.parameter.node.kind === 'seq'
        ? fromDefault.parameter.node.items[0]
        : fromDefault.parameter.node;
    if (body?.kind !== 'map') return [];
    ops.push({ op: 'removeKey', map: body, key: cfn ? 'Default' : 'default' });
  } else {
    const description = 'CIDR ranges allowed to reach the public EKS API endpoint; never 0.0.0.0/0.';
    ops.push({
      op: 'addParameter',
      name,
      spec: {
        cfn: { Type: 'CommaDelimitedList', Description: description },
        tf: { type: 'list(string)', description },
      },
    });
  }
  const privateValue: { [key: string]: boolean } = { [keys.private]: true };
  if (config?.kind === 'map') {
    ops.push({ op: 'set', map: config, key: keys.private, value: true });
    if (!fromDefault) ops.push({ op: 'set', map: config, key: keys.cidrs, value: { $param: name } });
  } else {
    const map: MapNode = cfn ? resource.node : resource.properties!;
    const path = cfn ? ['Properties', keys.config] : [keys.config];
    ops.push(setPathOp(map, path, { ...privateValue, [keys.cidrs]: { $param: name } }));
  }
  return [
    {
      title: fromDefault
        ? `Enable the private endpoint and remove the open default of ${fromDefault.kind === 'parameter-default' ? fromDefault.parameter.name : name}`
        : `Enable the private endpoint and allow the public endpoint only from a new parameter ${name}`,
      safety: 'unsafe',
      ops,
    },
  ];
}

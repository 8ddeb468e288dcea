import { networkGraph } from '../../facts/graph/networkGraph';
import { viaEvidence } from '../../resolve/values';
import type { Resource, TemplateDocument } from '../../model/document';
import type { MapNode, Node } from '../../parse/tree';
import { get } from '../../parse/tree';
import { resolve, ResourceRef } from '../../resolve/values';
import {
  because,
  block,
  blocks,
  findBad,
  isOneOf,
  known,
  prop,
  text,
  verbOf,
} from '../../resolve/properties';
import { fixes } from '../../fixes/setProperty';
import { LISTENER_CONTROLS } from '../transport/controls';
import type { Rule } from '../types';
import { checkClassicListeners, CLASSIC_TYPES } from './classic';
import docs from './rule.md?raw';

const TYPES = ['AWS::ElasticLoadBalancingV2::Listener', 'aws_lb_listener', 'aws_alb_listener'];

export const httpListenerNotRedirected: Rule = {
  meta: {
    id: 'http-listener-not-redirected',
    summary:
      'An Application Load Balancer HTTP listener serves traffic instead of redirecting to HTTPS, or a Classic Load Balancer (which cannot redirect) has an HTTP listener',
    category: 'transport',
    severity: 'error',
    formats: ['cfn', 'tf', 'plan'],
    resourceTypes: [...TYPES, ...CLASSIC_TYPES],
    fixSafety: 'unsafe',
    doesNotReport:
      'Redirects to HTTPS, fixed responses without a body, NLB and GWLB listeners, listener rules; on an internal load balancer it is a warning, not an error',
    references: {
      aws: [
        'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#redirect-actions',
        'https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html#elb-1',
      ],
      cwe: ['CWE-319'],
      checkov: ['CKV_AWS_2'],
      cfnNag: ['W56'],
      securityHub: ['ELB.1'],
    },
  },
  docs,
  controls: LISTENER_CONTROLS,
  check({ doc, facts, report }) {
    checkClassicListeners(doc, report);
    const graph = networkGraph(facts);
    const internalLbOf = new Map<Resource, Resource>();
    for (const lb of graph.loadBalancers.values())
      if (lb.internetFacing.value === false && !lb.internetFacing.conditional)
        for (const listener of lb.listeners) internalLbOf.set(listener.resource, lb.resource);
    for (const resource of doc.resources) {
      if (!TYPES.includes(resource.type)) continue;
      const cfn = resource.type.startsWith('AWS::');
      const k = cfn ? CFN : TF;
      const protocol = prop(doc, resource.properties, k.protocol);
      let span: Node = resource.keyNode;
      let how = '';
      let verb = 'is';
      let related = viaEvidence([]);
      if (protocol) {
        const hit = findBad(protocol, (v) => isOneOf(v, 'HTTP'));
        if (!hit) continue;
        span = hit.node;
        verb = verbOf(hit);
        how = because(hit.via);
        related = viaEvidence(hit.via);
      } else if (cfn || !onApplicationLoadBalancer(doc, resource)) {
        continue; // CloudFormation requires the protocol; Terraform defaults to HTTP on an ALB
      } else {
        how = ' (Terraform defaults protocol to HTTP on an Application Load Balancer)';
      }
      const actionsNode = get(resource.properties, k.actions);
      const served = serves(doc, blocks(resource.properties, k.actions), k);
      if (!served) continue;
      const internalLb = internalLbOf.get(resource);
      report({
        span,
        resource,
        // An internal load balancer has only private addresses: the plaintext stays inside the VPC
        // and the networks connected to it. Still plaintext, but not across the internet.
        ...(internalLb ? { severity: 'warning' as const } : {}),
        message: internalLb
          ? `Listener ${resource.id} ${verb} HTTP${how} and its default action ${served} instead of redirecting to HTTPS, on internal load balancer ${internalLb.id}: requests and responses cross the VPC (and the networks connected to it) in plaintext. Make the default action a redirect to HTTPS (port 443, HTTP_301) and serve content from an HTTPS listener.`
          : `Listener ${resource.id} ${verb} HTTP${how} and its default action ${served} instead of redirecting to HTTPS: requests and responses cross the network in plaintext. Make the default action a redirect to HTTPS (port 443, HTTP_301) and serve content from an HTTPS listener.`,
        related: internalLb
          ? [
              ...related,
              {
                span: internalLb.keyNode,
                message: `${internalLb.id} is internal: it has only private addresses.`,
              },
            ]
          : related,
        // Built when asked for (code actions), not for each of hundreds of listeners per keystroke.
        fixes: () =>
          fixes(
            doc,
            actionsNode && {
              title: 'Replace the default action with a redirect to HTTPS (443, HTTP_301)',
              safety: 'unsafe',
              ops: [
                {
                  op: 'replace',
                  node: actionsNode,
                  value: [
                    cfn
                      ? {
                          Type: 'redirect',
                          RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' },
                        }
                      : {
                          type: 'redirect',
                          redirect: { port: '443', protocol: 'HTTPS', status_code: 'HTTP_301' },
                        },
                  ],
                },
              ],
            },
          ),
      });
    }
  },
};

const CFN = {
  protocol: 'Protocol',
  actions: 'DefaultActions',
  type: 'Type',
  redirect: 'RedirectConfig',
  fixed: 'FixedResponseConfig',
  body: 'MessageBody',
  lb: 'LoadBalancerArn',
};
const TF = {
  protocol: 'protocol',
  actions: 'default_action',
  type: 'type',
  redirect: 'redirect',
  fixed: 'fixed_response',
  body: 'message_body',
  lb: 'load_balancer_arn',
};

/** What the default actions do instead of redirecting to HTTPS ("forwards requests"), or undefined. */
function serves(doc: TemplateDocument, actions: MapNode[], k: typeof CFN): string | undefined {
  const typed = actions.map((a) => ({ a, type: knownText(doc, a, k.type)?.toLowerCase() }));
  const redirects = typed.filter((t) => t.type === 'redirect');
  if (
    redirects.some((t) => {
      const p = prop(doc, block(t.a, k.redirect), k.protocol);
      return p !== undefined && known(p).length > 0 && known(p).every((v) => isOneOf(v.value, 'HTTPS'));
    })
  )
    return undefined;
  if (typed.some((t) => t.type === 'forward')) return 'forwards requests';
  if (redirects.some((t) => redirectKeepsHttp(doc, t.a, k))) return 'redirects without switching to HTTPS';
  if (
    typed.some(
      (t) => t.type === 'fixed-response' && (knownText(doc, block(t.a, k.fixed), k.body) ?? '').trim() !== '',
    )
  )
    return 'answers with content';
  return undefined;
}

function redirectKeepsHttp(doc: TemplateDocument, action: MapNode, k: typeof CFN): boolean {
  const p = prop(doc, block(action, k.redirect), k.protocol);
  // Absent: "#{protocol}", the request's own protocol (HTTP on this listener).
  return !p || known(p).some((v) => isOneOf(v.value, 'HTTP', '#{protocol}'));
}

function knownText(doc: TemplateDocument, map: MapNode | undefined, key: string): string | undefined {
  const p = prop(doc, map, key);
  return p
    ? known(p)
        .map((v) => text(v.value))
        .find((t) => t !== undefined)
    : undefined;
}

/** Terraform: the listener's load balancer is in this document and is an Application Load Balancer. */
function onApplicationLoadBalancer(doc: TemplateDocument, listener: Resource): boolean {
  const arn = get(listener.properties, 'load_balancer_arn');
  for (const p of resolve(doc, arn)) {
    if (!(p.value instanceof ResourceRef)) continue;
    const lb = doc.resourcesById.get(p.value.id);
    if (!lb || (lb.type !== 'aws_lb' && lb.type !== 'aws_alb')) continue;
    const type = prop(doc, lb.properties, 'load_balancer_type');
    return !type || known(type).every((v) => isOneOf(v.value, 'application'));
  }
  return false;
}

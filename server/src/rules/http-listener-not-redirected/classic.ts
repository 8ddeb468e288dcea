// Classic Load Balancers (`AWS::ElasticLoadBalancing::LoadBalancer`, `aws_elb`) cannot redirect:
// an HTTP listener serves plaintext, whatever the instances behind it do. Reported on the
// listener's protocol; no fix (HTTPS needs a certificate only the user can name). An internal
// Classic Load Balancer is a warning, as for Application Load Balancers.

import type { Resource, TemplateDocument } from '../../model/document';
import { viaEvidence } from '../../resolve/values';
import { because, blocks, bool, findBad, isOneOf, known, prop, text, verbOf } from '../../resolve/properties';
import type { FindingInput } from '../types';

export const CLASSIC_TYPES = ['AWS::ElasticLoadBalancing::LoadBalancer', 'aws_elb'];

const CFN = { listeners: 'Listeners', protocol: 'Protocol', port: 'LoadBalancerPort' };
const TF = { listeners: 'listener', protocol: 'lb_protocol', port: 'lb_port' };

export function checkClassicListeners(doc: TemplateDocument, report: (finding: FindingInput) => void): void {
  for (const resource of doc.resources) {
    if (!CLASSIC_TYPES.includes(resource.type)) continue;
    const k = resource.type.startsWith('AWS::') ? CFN : TF;
    const internal = isInternal(doc, resource);
    for (const listener of blocks(resource.properties, k.listeners)) {
      const hit = findBad(prop(doc, listener, k.protocol), (v) => isOneOf(v, 'HTTP'));
      if (!hit) continue;
      const port = prop(doc, listener, k.port);
      const portText = port ? known(port).map((v) => text(v.value))[0] : undefined;
      const where = portText ? ` on port ${portText}` : '';
      report({
        span: hit.node,
        resource,
        ...(internal ? { severity: 'warning' as const } : {}),
        message: `Listener${where} of ${internal ? 'internal ' : ''}Classic Load Balancer ${resource.id} ${verbOf(hit)} HTTP${because(hit.via)}: a Classic Load Balancer cannot redirect to HTTPS, so requests and responses cross ${internal ? 'the VPC (and the networks connected to it)' : 'the network'} in plaintext. Serve HTTPS (an HTTPS listener with a certificate) and remove the HTTP listener, or use an Application Load Balancer, which can redirect.`,
        related: viaEvidence(hit.via),
      });
    }
  }
}

/** `Scheme: internal` (CFN) / `internal = true` (Terraform), known in every case. */
function isInternal(doc: TemplateDocument, resource: Resource): boolean {
  const cfn = resource.type.startsWith('AWS::');
  const p = prop(doc, resource.properties, cfn ? 'Scheme' : 'internal');
  if (!p) return false;
  const values = known(p);
  return (
    values.length === p.possibilities.length &&
    values.every((v) => (cfn ? isOneOf(v.value, 'internal') : bool(v.value) === true))
  );
}

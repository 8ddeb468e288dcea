// CloudFront distributions in every format: the distribution config, its cache behaviours
// (default and ordered) and its origins, with CloudFormation and Terraform names.

import type { Resource, TemplateDocument } from '../model/document';
import type { MapNode, Node } from '../parse/tree';
import type { Prop } from '../resolve/properties';
import { block, blocks, keyOf, knownTexts, prop } from '../resolve/properties';

export const CLOUDFRONT_TYPES = ['AWS::CloudFront::Distribution', 'aws_cloudfront_distribution'];

export interface Behaviour {
  map: MapNode;
  /** "the default cache behaviour", "the cache behaviour for /api/*". */
  label: string;
  /** The origin ids it targets (empty when unknown). */
  origins: string[];
  viewerPolicy: Prop | undefined;
}

export interface Origin {
  map: MapNode;
  ids: string[];
  domains: string[];
  custom: MapNode | undefined;
}

export interface Distribution {
  resource: Resource;
  cfn: boolean;
  /** CFN DistributionConfig; TF: the resource body. */
  config: MapNode | undefined;
  /** Where to point for something absent from the config. */
  anchor: Node;
  behaviours: Behaviour[];
  origins: Origin[];
  names: typeof CFN;
}

const CFN = {
  viewerPolicy: 'ViewerProtocolPolicy',
  certificate: 'ViewerCertificate',
  defaultCertificate: 'CloudFrontDefaultCertificate',
  originPolicy: 'OriginProtocolPolicy',
  originSsl: 'OriginSSLProtocols',
};
const TF: typeof CFN = {
  viewerPolicy: 'viewer_protocol_policy',
  certificate: 'viewer_certificate',
  defaultCertificate: 'cloudfront_default_certificate',
  originPolicy: 'origin_protocol_policy',
  originSsl: 'origin_ssl_protocols',
};

export function distributions(doc: TemplateDocument): Distribution[] {
  return doc.resources
    .filter((r) => CLOUDFRONT_TYPES.includes(r.type))
    .map((resource) => {
      const cfn = resource.type.startsWith('AWS::');
      const names = cfn ? CFN : TF;
      const config = cfn ? block(resource.properties, 'DistributionConfig') : resource.properties;
      const behaviour = (map: MapNode, label: string): Behaviour => ({
        map,
        label,
        origins: knownTexts(doc, map, cfn ? 'TargetOriginId' : 'target_origin_id'),
        viewerPolicy: prop(doc, map, names.viewerPolicy),
      });
      const behaviours: Behaviour[] = [];
      const def = block(config, cfn ? 'DefaultCacheBehavior' : 'default_cache_behavior');
      if (def) behaviours.push(behaviour(def, 'the default cache behaviour'));
      for (const ordered of blocks(config, cfn ? 'CacheBehaviors' : 'ordered_cache_behavior')) {
        const path = knownTexts(doc, ordered, cfn ? 'PathPattern' : 'path_pattern')[0];
        behaviours.push(
          behaviour(ordered, path ? `the cache behaviour for ${path}` : 'an ordered cache behaviour'),
        );
      }
      const origins = blocks(config, cfn ? 'Origins' : 'origin').map((map) => ({
        map,
        ids: knownTexts(doc, map, cfn ? 'Id' : 'origin_id'),
        domains: knownTexts(doc, map, cfn ? 'DomainName' : 'domain_name'),
        custom: block(map, cfn ? 'CustomOriginConfig' : 'custom_origin_config'),
      }));
      const anchor = (cfn ? keyOf(resource.properties, 'DistributionConfig') : undefined) ?? resource.keyNode;
      return { resource, cfn, config, anchor, behaviours, origins, names };
    });
}

// Where instance metadata options live, per resource and format, for the two IMDS rules:
// instances, launch templates (under LaunchTemplateData) and launch configurations. An
// instance that launches from a template takes every option it does not set itself from the
// template; the template is checked on its own, so such options are never reported twice.

import type { Facts } from '../../facts';
import { launchTemplates } from '../../facts/launchTemplates';
import type { Resource, TemplateDocument } from '../../model/document';
import type { MapNode, Node } from '../../parse/tree';
import type { Prop } from './props';
import { block, isOneOf, keyOf, known, prop, unknownInPlan } from './props';

export interface ImdsHost {
  resource: Resource;
  kind: 'instance' | 'launch template' | 'launch configuration';
  /** Path from the resource's properties to the metadata options map. */
  path: string[];
  options: MapNode | undefined;
  /** Where a finding about an absent option points: the options key, else the resource key. */
  anchor: Node;
  /** For instances: the template they launch from (options they do not set come from it). */
  template: Resource | 'external' | undefined;
  names: { options: string; tokens: string; endpoint: string; hopLimit: string };
}

const CFN_NAMES = {
  options: 'MetadataOptions',
  tokens: 'HttpTokens',
  endpoint: 'HttpEndpoint',
  hopLimit: 'HttpPutResponseHopLimit',
};
const TF_NAMES = {
  options: 'metadata_options',
  tokens: 'http_tokens',
  endpoint: 'http_endpoint',
  hopLimit: 'http_put_response_hop_limit',
};

const KINDS: Record<string, ImdsHost['kind']> = {
  'AWS::EC2::Instance': 'instance',
  'AWS::EC2::LaunchTemplate': 'launch template',
  'AWS::AutoScaling::LaunchConfiguration': 'launch configuration',
  aws_instance: 'instance',
  aws_launch_template: 'launch template',
  aws_launch_configuration: 'launch configuration',
};

export const IMDS_RESOURCE_TYPES = Object.keys(KINDS);

export function imdsHosts(doc: TemplateDocument, facts: Facts): ImdsHost[] {
  const templates = launchTemplates(facts);
  const out: ImdsHost[] = [];
  for (const resource of doc.resources) {
    const kind = KINDS[resource.type];
    if (!kind) continue;
    const cfn = resource.type.startsWith('AWS::');
    const names = cfn ? CFN_NAMES : TF_NAMES;
    const path =
      resource.type === 'AWS::EC2::LaunchTemplate' ? ['LaunchTemplateData', names.options] : [names.options];
    const parent = path.length === 2 ? block(resource.properties, path[0]!) : resource.properties;
    const options = block(parent, names.options);
    out.push({
      resource,
      kind,
      path,
      options,
      anchor: keyOf(parent, names.options) ?? resource.keyNode,
      template: kind === 'instance' ? templates.templateOf(resource) : undefined,
      names,
    });
  }
  return out;
}

/** An option the host sets itself; undefined when absent. */
export function option(
  doc: TemplateDocument,
  host: ImdsHost,
  key: keyof ImdsHost['names'],
): Prop | undefined {
  return prop(doc, host.options, host.names[key]);
}

/**
 * True when the option is not set here but comes from elsewhere or cannot be known: an
 * instance's launch template, or a plan that computes it at apply.
 */
export function inherited(host: ImdsHost, key: keyof ImdsHost['names']): boolean {
  if (host.template !== undefined) return true;
  const unknownPath = [...host.path, host.names[key]];
  return unknownInPlan(host.resource, unknownPath) || unknownInPlan(host.resource, host.path);
}

/**
 * True when the metadata endpoint is (or may be) off: `HttpEndpoint: disabled` in every known
 * case, or a value that cannot be known. An instance that does not set it takes its launch
 * template's. Then no token or hop-limit finding is made.
 */
export function endpointOff(doc: TemplateDocument, host: ImdsHost): boolean {
  let endpoint = option(doc, host, 'endpoint');
  if (!endpoint && host.template !== undefined && host.template !== 'external') {
    const cfn = host.template.type.startsWith('AWS::');
    const data = cfn ? block(host.template.properties, 'LaunchTemplateData') : host.template.properties;
    endpoint = prop(doc, block(data, host.names.options), host.names.endpoint);
  }
  if (!endpoint) return false;
  const values = known(endpoint);
  return values.length === 0 || values.every((v) => isOneOf(v.value, 'disabled'));
}

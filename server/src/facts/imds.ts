// Where instance metadata options live, per resource and format, for the two IMDS rules:
// instances, launch templates (under LaunchTemplateData) and launch configurations. An
// instance that launches from a template takes every option it does not set itself from the
// template; the template is checked on its own, so such options are never reported twice.

import type { Facts } from '.';
import { launchTemplates } from './launchTemplates';
import type { Resource, TemplateDocument } from '../model/document';
import type { MapNode, Node } from '../parse/tree';
import { get, items, scalarString } from '../parse/tree';
import { resolve } from '../resolve/values';
import type { Prop } from '../resolve/properties';
import { block, isOneOf, keyOf, known, prop, unknownInPlan } from '../resolve/properties';

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

/** What the image of a host says about IMDSv2. */
export interface ImageFact {
  /** The image property (`ImageId`, `ami`, `image_id`), undefined when absent. */
  node: Node | undefined;
  /** How to name the image in a message (`ImageId ami-0abc...`, `ami data.aws_ami.al2023`). */
  label: string | undefined;
  /** True when the image is known to be registered with ImdsSupport v2.0 (Amazon Linux 2023). */
  requiresTokens: boolean;
}

/** SSM public parameters of Amazon Linux 2023 images (all of them are registered with ImdsSupport v2.0). */
const AL2023_SSM = /\/aws\/service\/ami-amazon-linux-latest\/al2023-/;
/** Amazon's owner id for Amazon Linux images, and its alias. */
const AMAZON_OWNERS = ['amazon', '137112412989'];

/**
 * The image a host launches: `ImageId` (CFN instance, launch configuration, launch template data),
 * `ami` (TF instance), `image_id` (TF launch template / configuration). An instance that launches
 * from a template without its own image takes the template's.
 */
export function imageOf(doc: TemplateDocument, host: ImdsHost): ImageFact {
  const cfn = host.resource.type.startsWith('AWS::');
  const key = cfn ? 'ImageId' : host.resource.type === 'aws_instance' ? 'ami' : 'image_id';
  const parent =
    host.resource.type === 'AWS::EC2::LaunchTemplate'
      ? block(host.resource.properties, 'LaunchTemplateData')
      : host.resource.properties;
  let node = get(parent, key);
  let owner: Resource = host.resource;
  if (!node && host.template && host.template !== 'external') {
    const data = cfn ? block(host.template.properties, 'LaunchTemplateData') : host.template.properties;
    node = get(data, cfn ? 'ImageId' : 'image_id');
    owner = host.template;
  }
  if (!node) return { node, label: undefined, requiresTokens: false };
  const raw = scalarString(node);
  const ref = node.kind === 'map' && node.entries.length === 1 ? node.entries[0]! : undefined;
  const refName = ref && ref.key.value === 'Ref' ? scalarString(ref.value) : undefined;
  const label = `${key} ${raw ?? (refName ? `from parameter ${refName}` : `of ${owner.id}`)}`;
  if (doc.format === 'plan') return { node, label, requiresTokens: planImageIsAl2023(doc, owner, key) };
  const values = resolve(doc, node)
    .map((p) => p.value)
    .filter((v): v is string => typeof v === 'string');
  if (values.length && values.every((v) => AL2023_SSM.test(v))) return { node, label, requiresTokens: true };
  // Terraform data sources: ${data.aws_ssm_parameter.x.value}, ${data.aws_ami.x.id}.
  const dataRef = raw && /^\$\{data\.(aws_ssm_parameter|aws_ami)\.([\w-]+)\.(\w+)\}$/.exec(raw.trim());
  if (dataRef) {
    const source = get(get(get(doc.root, 'data'), dataRef[1]!), dataRef[2]!);
    const body = items(source)[0];
    const requiresTokens =
      dataRef[1] === 'aws_ssm_parameter'
        ? AL2023_SSM.test(scalarString(get(body, 'name')) ?? '')
        : amiFilterIsAl2023(
            items(get(body, 'filter')).map((f) => ({
              name: scalarString(get(f, 'name')),
              values: items(get(f, 'values')).map((v) => scalarString(v) ?? ''),
            })),
            items(get(body, 'owners')).map((o) => scalarString(o) ?? ''),
          );
    return { node, label: `${key} data.${dataRef[1]}.${dataRef[2]}`, requiresTokens };
  }
  return { node, label, requiresTokens: false };
}

/** A `data "aws_ami"` lookup that can only find Amazon's Amazon Linux 2023 images. */
function amiFilterIsAl2023(
  filters: { name: string | undefined; values: string[] }[],
  owners: string[],
): boolean {
  const names = filters.filter((f) => f.name === 'name');
  if (!names.length || !names.every((f) => f.values.length && f.values.every((v) => /^al2023-ami-/.test(v))))
    return false;
  return owners.length > 0 && owners.every((o) => AMAZON_OWNERS.includes(o));
}

/** Plans: the image attribute's configuration references a data source that names AL2023. */
function planImageIsAl2023(doc: TemplateDocument, resource: Resource, key: string): boolean {
  const config = items(get(get(get(doc.root, 'configuration'), 'root_module'), 'resources'));
  const byAddress = new Map(config.map((r) => [scalarString(get(r, 'address')) ?? '', r]));
  const entry = byAddress.get(resource.id);
  for (const ref of items(get(get(get(entry, 'expressions'), key), 'references'))) {
    const m = /^data\.(aws_ssm_parameter|aws_ami)\.([\w-]+)/.exec(scalarString(ref) ?? '');
    if (!m) continue;
    const expressions = get(byAddress.get(`data.${m[1]}.${m[2]}`), 'expressions');
    const constant = (n: Node | undefined) => scalarString(get(n, 'constant_value'));
    if (m[1] === 'aws_ssm_parameter') return AL2023_SSM.test(constant(get(expressions, 'name')) ?? '');
    const listOf = (n: Node | undefined) => items(get(n, 'constant_value')).map((v) => scalarString(v) ?? '');
    return amiFilterIsAl2023(
      items(get(expressions, 'filter')).map((f) => ({
        name: constant(get(f, 'name')),
        values: listOf(get(f, 'values')),
      })),
      listOf(get(expressions, 'owners')),
    );
  }
  return false;
}

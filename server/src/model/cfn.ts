// CloudFormation as people write it: resource `Condition:`, and the SAM transform read the way
// it expands serverless resources (without running it). Derived resources are plain model
// resources whose nodes are the nodes the user wrote, so rules need no SAM knowledge and their
// findings and fixes land on the SAM property. Linear in the template size.

import type { FixRecipe } from '../fixes/recipe';
import type { Entry, MapNode, Node, ScalarNode, SeqNode } from '../parse/tree';
import { entryOf, get, items, scalarString } from '../parse/tree';
import type { Resource, TemplateDocument } from './document';
import { expandForEach, expandPropertyLoops, hasLanguageExtensions } from './forEach';

/** A resource's `Condition: Name`, when it names a condition. */
export function resourceCondition(node: Node): Resource['condition'] {
  const condition = get(node, 'Condition');
  if (condition?.kind !== 'scalar' || typeof condition.value !== 'string' || !condition.value)
    return undefined;
  return { name: condition.value, node: condition };
}

/** Adds the resources the template's transforms generate (Fn::ForEach, then SAM), after the written ones. */
export function expandCloudFormation(doc: TemplateDocument): void {
  expandForEach(doc, (id, keyNode, node) => {
    const type = scalarString(get(node, 'Type'));
    if (!type) return undefined;
    const properties = get(node, 'Properties');
    return {
      id,
      type,
      keyNode,
      node,
      properties: properties?.kind === 'map' ? properties : undefined,
      metadata: get(node, 'Metadata'),
      condition: resourceCondition(node),
    };
  });
  const written = doc.resources.length;
  // Loops inside resource properties (Fn::ForEach is allowed there too).
  if (hasLanguageExtensions(doc.root))
    for (const resource of doc.resources)
      if (resource.properties) resource.properties = expandPropertyLoops(doc, resource.properties);
  if (!hasSamTransform(doc.root)) return;
  const globals = get(doc.root, 'Globals');
  for (let i = 0; i < written; i++) {
    const resource = doc.resources[i]!;
    switch (resource.type) {
      case 'AWS::Serverless::Function':
        expandFunction(doc, resource, get(globals, 'Function'));
        break;
      case 'AWS::Serverless::Api':
        expandDomain(doc, resource, get(globals, 'Api'), 'AWS::ApiGateway::DomainName');
        expandResourcePolicy(doc, resource, get(globals, 'Api'));
        break;
      case 'AWS::Serverless::HttpApi':
        expandDomain(doc, resource, get(globals, 'HttpApi'), 'AWS::ApiGatewayV2::DomainName');
        break;
    }
  }
  expandImplicitApis(doc, written, globals);
}

/**
 * A function event of type `Api` without `RestApiId` (`HttpApi` without `ApiId`) makes SAM
 * create the implicit `ServerlessRestApi` (`ServerlessHttpApi`), configured by `Globals: Api:`
 * (`Globals: HttpApi:`) alone. It is modelled as a SAM API with no properties of its own, keyed
 * on the first such event, so what it derives (domain, resource policy) lands on the Globals
 * properties the user wrote, and anything about the API itself on the event.
 */
function expandImplicitApis(doc: TemplateDocument, written: number, globals: Node | undefined): void {
  const implicit: { type: string; id: string; event: ScalarNode | undefined; fn: Resource | undefined }[] = [
    { type: 'AWS::Serverless::Api', id: 'ServerlessRestApi', event: undefined, fn: undefined },
    { type: 'AWS::Serverless::HttpApi', id: 'ServerlessHttpApi', event: undefined, fn: undefined },
  ];
  // Api events with a resource policy of their own (`Auth.ResourcePolicy`), and the API they are on.
  const eventPolicies: { auth: Entry; api: Resource | 'implicit' | undefined; fn: Resource }[] = [];
  const apis = new Map<string, Resource>();
  for (let i = 0; i < written; i++) {
    const r = doc.resources[i]!;
    if (r.type === 'AWS::Serverless::Api' && !apis.has(r.id)) apis.set(r.id, r);
  }
  for (let i = 0; i < written; i++) {
    const fn = doc.resources[i]!;
    if (fn.type !== 'AWS::Serverless::Function') continue;
    const events = get(fn.properties, 'Events');
    if (events?.kind !== 'map') continue;
    for (const event of events.entries) {
      const type = scalarString(get(event.value, 'Type'));
      const properties = get(event.value, 'Properties');
      const restApiId = get(properties, 'RestApiId');
      const api =
        type === 'Api' && !restApiId
          ? implicit[0]!
          : type === 'HttpApi' && !get(properties, 'ApiId')
            ? implicit[1]!
            : undefined;
      if (api && !api.event) [api.event, api.fn] = [event.key, fn];
      const auth = type === 'Api' ? entryOf(properties, 'Auth') : undefined;
      if (auth && get(auth.value, 'ResourcePolicy'))
        eventPolicies.push({ auth, api: restApiId ? referencedApi(apis, restApiId) : 'implicit', fn });
    }
  }
  let implicitRest: Resource | undefined;
  for (const { type, id, event, fn } of implicit) {
    // A resource the user named ServerlessRestApi would clash with the implicit one (SAM fails).
    if (!event || !fn || doc.resources.some((r) => r.id === id)) continue;
    const api: Resource = {
      id,
      type,
      keyNode: event,
      node: syntheticMap('Type', { ...event, value: type }),
      properties: undefined,
      origin: fn,
    };
    doc.resources.push(api);
    if (type === 'AWS::Serverless::Api') {
      implicitRest = api;
      expandDomain(doc, api, get(globals, 'Api'), 'AWS::ApiGateway::DomainName');
      expandResourcePolicy(doc, api, get(globals, 'Api'));
    } else expandDomain(doc, api, get(globals, 'HttpApi'), 'AWS::ApiGatewayV2::DomainName');
  }
  // SAM adds an event's custom statements to the policy of the API the event is on.
  for (const { auth, api, fn } of eventPolicies) {
    const target = api === 'implicit' ? implicitRest : api;
    if (target) derivePolicy(doc, target, auth, get(globals, 'Api'), fn);
  }
}

/** The `AWS::Serverless::Api` of this document that `RestApiId: !Ref X` names. */
function referencedApi(apis: Map<string, Resource>, node: Node): Resource | undefined {
  const ref = node.kind === 'map' && node.entries.length === 1 ? node.entries[0] : undefined;
  if (ref?.key.value !== 'Ref') return undefined;
  return apis.get(scalarString(ref.value) ?? '');
}

/**
 * The endpoint type of a REST API (`EDGE`, `REGIONAL`, `PRIVATE`) and the node that says it:
 * CloudFormation `EndpointConfiguration.Types`, SAM `EndpointConfiguration` (a string, or `Type`;
 * from Globals when the API has none, and for the implicit API), Terraform
 * `endpoint_configuration.types`. Undefined when absent (EDGE) or not a literal.
 */
export function restApiEndpointType(
  doc: TemplateDocument,
  api: Resource,
): { type: string; node: Node } | undefined {
  let resource = api;
  if (resource.type === 'aws_api_gateway_rest_api_policy') {
    // `rest_api_id = aws_api_gateway_rest_api.x.id`: the API the policy is attached to.
    const id = /^\$\{\s*(aws_api_gateway_rest_api\.[\w-]+)\.id\s*\}$/.exec(
      scalarString(get(resource.properties, 'rest_api_id')) ?? '',
    )?.[1];
    const target = id ? doc.resourcesById.get(id) : undefined;
    if (!target) return undefined;
    resource = target;
  }
  let node: Node | undefined;
  switch (resource.type) {
    case 'AWS::ApiGateway::RestApi': {
      const config = get(resource.properties, 'EndpointConfiguration');
      // Derived from SAM: the SAM shape (a string, or `Type`) that derivePolicy copied.
      node = resource.origin
        ? config?.kind === 'map'
          ? get(config, 'Type')
          : config
        : items(get(config, 'Types'))[0];
      break;
    }
    case 'AWS::Serverless::Api': {
      const globals = get(get(doc.root, 'Globals'), 'Api');
      const config = samProperty(resource, globals, 'EndpointConfiguration')?.value;
      node = config?.kind === 'map' ? get(config, 'Type') : config;
      break;
    }
    case 'aws_api_gateway_rest_api': {
      let block = get(resource.properties, 'endpoint_configuration');
      if (block?.kind === 'seq') block = block.items[0];
      node = items(get(block, 'types'))[0];
      break;
    }
  }
  const type = scalarString(node);
  return node && type ? { type: type.toUpperCase(), node } : undefined;
}

function hasSamTransform(root: Node | undefined): boolean {
  const transform = get(root, 'Transform');
  const names = transform?.kind === 'seq' ? transform.items : transform ? [transform] : [];
  return names.some((n) => scalarString(n) === 'AWS::Serverless-2016-10-31');
}

/** The entry of `key` in the resource's Properties, else in its Globals section (SAM merges them). */
function samProperty(resource: Resource, globals: Node | undefined, key: string): Entry | undefined {
  return entryOf(resource.properties, key) ?? entryOf(globals, key);
}

/** A map that is not in the text: `key` → `value`, spanning the value (edits never touch it). */
function syntheticMap(key: string, value: Node): MapNode {
  const keyNode = {
    kind: 'scalar',
    value: key,
    style: 'plain',
    start: value.start,
    end: value.start,
  } as const;
  return {
    kind: 'map',
    style: value.kind === 'scalar' ? 'block' : value.style === 'json' ? 'json' : 'block',
    start: value.start,
    end: value.end,
    entries: [{ key: keyNode as ScalarNode & { value: string }, value, start: value.start, end: value.end }],
  };
}

function syntheticSeq(item: Node): SeqNode {
  return {
    kind: 'seq',
    style: item.kind === 'map' && item.style === 'json' ? 'json' : 'block',
    start: item.start,
    end: item.end,
    items: [item],
  };
}

/**
 * A resource the model derives from `origin`, under its id (or `id`: a function event's policy
 * belongs to its API but is written in the function, which stays the origin, so an edit of the
 * function is an edit of what it derives).
 */
function derive(
  doc: TemplateDocument,
  origin: Resource,
  type: string,
  keyNode: ScalarNode,
  properties: MapNode,
  id = origin.id,
): void {
  doc.resources.push({
    id,
    type,
    keyNode,
    // `Properties` of the derived resource is the user's map, so `setPathOp(node, ['Properties', k])` writes there.
    node: syntheticMap('Properties', properties),
    properties,
    condition: origin.condition,
    origin,
  });
}

const ALLOW_LISTS = [
  'AwsAccountWhitelist',
  'IpRangeWhitelist',
  'SourceVpcWhitelist',
  'IntrinsicVpcWhitelist',
  'IntrinsicVpceWhitelist',
];

/**
 * `Auth.ResourcePolicy.CustomStatements` of a REST API become the statements of the
 * `AWS::ApiGateway::RestApi` policy SAM writes, so the policy rules read them where they are.
 * (The statements SAM generates from IpRangeWhitelist, SourceVpcWhitelist and the like are not
 * modelled: they only restrict.)
 */
function expandResourcePolicy(doc: TemplateDocument, api: Resource, globals: Node | undefined): void {
  const auth = samProperty(api, globals, 'Auth');
  if (auth) derivePolicy(doc, api, auth, globals, api);
}

/** The REST API policy that the custom statements of `Auth.ResourcePolicy` (API or event) make. */
function derivePolicy(
  doc: TemplateDocument,
  api: Resource,
  auth: Entry,
  globals: Node | undefined,
  origin: Resource,
): void {
  const policy = get(auth.value, 'ResourcePolicy');
  const statements = get(policy, 'CustomStatements');
  if (statements?.kind !== 'seq' && statements?.kind !== 'map') return;
  // With an allow-list, SAM adds statements of its own that may confine the custom ones (a Deny
  // unless the request matches): in doubt, the custom statements count as restricted.
  if (ALLOW_LISTS.some((key) => get(policy, key) !== undefined)) return;
  const list = statements.kind === 'seq' ? statements : syntheticSeq(statements);
  const properties = syntheticMap('Policy', syntheticMap('Statement', list));
  // The API's EndpointConfiguration (SAM shape) goes along, for what reads the endpoint type.
  const endpoint = samProperty(api, globals, 'EndpointConfiguration');
  if (endpoint) properties.entries.push(endpoint);
  derive(doc, origin, 'AWS::ApiGateway::RestApi', auth.key, properties, api.id);
}

/**
 * `FunctionUrlConfig` becomes an `AWS::Lambda::Url` whose properties are the config itself
 * (AuthType, Cors, InvokeMode). A function in a VPC (`VpcConfig`, its own or from Globals) becomes
 * an `AWS::Lambda::Function` with the same `VpcConfig` and `Environment` (as written, the
 * function's own else Globals'), so the network graph sees where it runs and what it calls.
 */
function expandFunction(doc: TemplateDocument, fn: Resource, globals: Node | undefined): void {
  const url = samProperty(fn, globals, 'FunctionUrlConfig');
  if (url?.value.kind === 'map') derive(doc, fn, 'AWS::Lambda::Url', url.key, url.value);
  const vpc = samProperty(fn, globals, 'VpcConfig');
  if (vpc?.value.kind !== 'map') return;
  const environment = samProperty(fn, globals, 'Environment');
  const span = fn.properties ?? vpc.value;
  const properties: MapNode = {
    kind: 'map',
    style: span.kind === 'map' && span.style === 'json' ? 'json' : 'block',
    start: span.start,
    end: span.end,
    entries: environment ? [vpc, environment] : [vpc],
  };
  derive(doc, fn, 'AWS::Lambda::Function', fn.keyNode, properties);
}

/**
 * `Domain` of a REST API becomes an `AWS::ApiGateway::DomainName` with the same keys
 * (DomainName, CertificateArn, SecurityPolicy); of an HTTP API, an `AWS::ApiGatewayV2::DomainName`
 * whose single `DomainNameConfigurations` entry is the Domain map (SAM copies SecurityPolicy there).
 */
function expandDomain(doc: TemplateDocument, api: Resource, globals: Node | undefined, type: string): void {
  const domain = samProperty(api, globals, 'Domain');
  if (domain?.value.kind !== 'map') return;
  const properties =
    type === 'AWS::ApiGateway::DomainName'
      ? domain.value
      : syntheticMap('DomainNameConfigurations', syntheticSeq(domain.value));
  derive(doc, api, type, domain.key, properties);
}

/**
 * A finding on a resource under a `Condition:` holds only in the deployments where the
 * condition is true: the sentence that says so and the evidence, like findings that rest on one
 * `Fn::If` branch.
 */
export function conditionScope(
  resource: Resource | undefined,
): { note: string; related: { span: ScalarNode; message: string } } | undefined {
  const condition = resource?.condition;
  if (!resource || !condition) return undefined;
  return {
    note: ` (only when ${condition.name} is true: ${resource.id} has Condition ${condition.name})`,
    related: {
      span: condition.node,
      message: `${resource.id} exists only when condition ${condition.name} is true`,
    },
  };
}

/**
 * True when `provider` exists in every deployment where `consumer` does: it has no condition,
 * or the consumer's condition implies it (the same one, or an `Fn::And` that includes it, at any
 * depth). A conditional flow log, endpoint or deny does not provide for the other branch.
 */
export function existsWherever(provider: Resource, consumer: Resource, doc?: TemplateDocument): boolean {
  const needed = provider.condition?.name;
  if (!needed) return true;
  const have = consumer.condition?.name;
  return have !== undefined && implies(doc, have, needed, 0);
}

/**
 * Whether the providers together exist wherever the consumer does: one of them exists wherever
 * one of the consumers does (a consumer chain, e.g. VPC, route table and route, exists only where
 * all of them do), or two of them are under complementary conditions (`C` and `Fn::Not [C]`).
 * `conditional` is the first provider that exists only in some of those deployments, for the
 * message ("when condition C is false").
 */
export function providedWherever(
  providers: readonly Resource[],
  consumers: readonly Resource[],
  doc: TemplateDocument,
): { provided: boolean; conditional: Resource | undefined } {
  const provided =
    providers.some((p) => consumers.some((c) => existsWherever(p, c, doc))) ||
    providers.some((a) => providers.some((b) => complementary(doc, a, b)));
  return { provided, conditional: provided ? undefined : providers.find((p) => p.condition) };
}

/** `b`'s condition is `Fn::Not [Condition: a's]` (or the other way round). */
function complementary(doc: TemplateDocument, a: Resource, b: Resource): boolean {
  const [x, y] = [a.condition?.name, b.condition?.name];
  if (!x || !y) return false;
  const negates = (not: string, of: string) => {
    const definition = doc.conditions.get(not);
    const entry =
      definition?.kind === 'map' && definition.entries.length === 1 ? definition.entries[0] : undefined;
    if (entry?.key.value !== 'Fn::Not') return false;
    const [inner] = items(entry.value);
    return scalarString(get(inner, 'Condition')) === of;
  };
  return negates(x, y) || negates(y, x);
}

/** "when condition C is false (P exists only when it is true)", for findings about what a conditional provider leaves out. */
export function whenAbsent(provider: Resource): string {
  const name = provider.condition?.name ?? '';
  return `when condition ${name} is false (${provider.id} exists only when it is true)`;
}

function implies(doc: TemplateDocument | undefined, have: string, needed: string, depth: number): boolean {
  if (have === needed) return true;
  if (!doc || depth > 16) return false;
  const definition = doc.conditions.get(have);
  const and =
    definition?.kind === 'map' && definition.entries.length === 1 ? definition.entries[0] : undefined;
  if (and?.key.value !== 'Fn::And') return false;
  return items(and.value).some((part) => {
    const name = scalarString(get(part, 'Condition'));
    return name !== undefined && implies(doc, name, needed, depth + 1);
  });
}

/**
 * Fixes that cannot be written for a derived resource: removing it (it has no entry of its own
 * in the file), or setting a loop's collection element to the value of another element (two
 * resources would get the same logical id).
 */
export function fixFitsResource(recipe: FixRecipe, resource: Resource | undefined): boolean {
  if (!resource || (!resource.origin && !resource.loop)) return true;
  const elements = resource.loop?.elements ?? [];
  return recipe.ops.every((op) => {
    if (op.op === 'removeResource') return op.id !== resource.id;
    if (op.op !== 'replace') return true;
    const target = elements.find((e) => e.start === op.node.start && e.end === op.node.end);
    return !target || !elements.some((e) => e !== target && String(e.value) === String(op.value));
  });
}

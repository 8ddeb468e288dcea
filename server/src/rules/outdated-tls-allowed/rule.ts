import { viaEvidence } from '../../resolve/values';
import type { FixRecipe } from '../../fixes/recipe';
import type { Resource, TemplateDocument } from '../../model/document';
import type { MapNode, Node } from '../../parse/tree';
import { get } from '../../parse/tree';
import { knownStrings, resolve, resolveItems, ResourceRef } from '../../resolve/values';
import type { Hit, Prop } from '../../resolve/properties';
import {
  because,
  block,
  blocks,
  bool,
  findBad,
  isOneOf,
  keyOf,
  known,
  knownTexts,
  prop,
  text,
  unknownInPlan,
  verbOf,
} from '../../resolve/properties';
import { fixes, setAt, setOnResource } from '../../fixes/setProperty';
import type { TlsPolicy } from '../../facts/tlsPolicies';
import {
  allowsBelow12,
  API_GATEWAY_SECURE_POLICY,
  CLASSIC_ELB_SECURE_POLICY,
  CLOUDFRONT_SECURE_VERSION,
  CLOUDSEARCH_DEFAULT_POLICY,
  CLOUDSEARCH_SECURE_POLICY,
  ELB_DEFAULT_POLICY,
  parseTlsPolicy,
  SEARCH_SECURE_POLICY,
  secureElbPolicy,
  tlsLabel,
} from '../../facts/tlsPolicies';
import { TLS_POLICY_CONTROLS } from '../transport/controls';
import type { FindingInput, Rule } from '../types';
import docs from './rule.md?raw';

type Report = (finding: FindingInput) => void;

export const outdatedTlsAllowed: Rule = {
  meta: {
    id: 'outdated-tls-allowed',
    summary: 'An endpoint accepts TLS versions below 1.2',
    category: 'transport',
    severity: 'warning',
    formats: ['cfn', 'tf', 'plan'],
    resourceTypes: [
      'AWS::ElasticLoadBalancingV2::Listener',
      'AWS::ElasticLoadBalancing::LoadBalancer',
      'AWS::ApiGateway::DomainName',
      'AWS::ApiGatewayV2::DomainName',
      'AWS::Serverless::Api',
      'AWS::Serverless::HttpApi',
      'AWS::OpenSearchService::Domain',
      'AWS::Elasticsearch::Domain',
      'AWS::CloudFront::Distribution',
      'AWS::CloudSearch::Domain',
      'aws_lb_listener',
      'aws_alb_listener',
      'aws_elb',
      'aws_load_balancer_policy',
      'aws_lb_ssl_negotiation_policy',
      'aws_api_gateway_domain_name',
      'aws_apigatewayv2_domain_name',
      'aws_opensearch_domain',
      'aws_elasticsearch_domain',
      'aws_cloudfront_distribution',
      'aws_cloudsearch_domain',
    ],
    fixSafety: 'safe',
    references: {
      aws: [
        'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html',
        'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-custom-domain-tls-version.html',
        'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html',
      ],
      cwe: ['CWE-326', 'CWE-327'],
      checkov: ['CKV_AWS_103', 'CKV_AWS_206', 'CKV_AWS_228', 'CKV_AWS_174'],
      securityHub: ['ELB.17', 'ES.8', 'Opensearch.8', 'CloudFront.7'],
    },
  },
  docs,
  controls: TLS_POLICY_CONTROLS,
  check({ doc, report }) {
    for (const resource of doc.resources) {
      switch (resource.type) {
        case 'AWS::ElasticLoadBalancingV2::Listener':
        case 'aws_lb_listener':
        case 'aws_alb_listener':
          checkListener(doc, resource, report);
          break;
        case 'AWS::ElasticLoadBalancing::LoadBalancer':
          checkClassicCfn(doc, resource, report);
          break;
        case 'aws_elb':
          checkClassicTfListeners(doc, resource, report);
          break;
        case 'aws_load_balancer_policy':
          if (
            knownTexts(doc, resource.properties, 'policy_type_name').some((t) =>
              isOneOf(t, 'SSLNegotiationPolicyType'),
            )
          )
            checkNegotiationAttributes(
              doc,
              resource,
              blocks(resource.properties, 'policy_attribute'),
              'name',
              'value',
              report,
            );
          break;
        case 'aws_lb_ssl_negotiation_policy':
          checkNegotiationAttributes(
            doc,
            resource,
            blocks(resource.properties, 'attribute'),
            'name',
            'value',
            report,
          );
          break;
        case 'AWS::ApiGateway::DomainName':
        case 'aws_api_gateway_domain_name':
          checkApiGateway(doc, resource, resource.properties, true, report);
          break;
        case 'AWS::ApiGatewayV2::DomainName':
          for (const config of blocks(resource.properties, 'DomainNameConfigurations'))
            checkApiGateway(doc, resource, config, false, report);
          break;
        case 'aws_apigatewayv2_domain_name':
          checkApiGateway(
            doc,
            resource,
            block(resource.properties, 'domain_name_configuration'),
            false,
            report,
          );
          break;
        case 'AWS::OpenSearchService::Domain':
        case 'AWS::Elasticsearch::Domain':
        case 'aws_opensearch_domain':
        case 'aws_elasticsearch_domain':
          checkSearch(doc, resource, report);
          break;
        case 'AWS::CloudFront::Distribution':
        case 'aws_cloudfront_distribution':
          checkCloudFront(doc, resource, report);
          break;
        case 'AWS::CloudSearch::Domain':
        case 'aws_cloudsearch_domain':
          checkCloudSearch(doc, resource, report);
          break;
      }
    }
  },
};

/** A finding on an explicit policy name whose minimum is below TLS 1.2. */
function reportPolicy(
  doc: TemplateDocument,
  resource: Resource,
  what: string,
  p: Prop | undefined,
  fixTo: (policy: TlsPolicy) => string,
  report: Report,
  key: string,
): boolean {
  const hit: Hit | undefined = findBad(p, (v) => allowsBelow12(parseTlsPolicy(text(v) ?? '')));
  if (!hit) return false;
  const policy = parseTlsPolicy(text(hit.value)!)!;
  const target = fixTo(policy);
  report({
    span: hit.node,
    resource,
    message: `${what} ${verbOf(hit)} ${text(hit.value)}${because(hit.via)}, which accepts ${tlsLabel(policy.min)}: clients can be downgraded to a deprecated protocol. Use ${target} (TLS 1.2 and newer).`,
    related: viaEvidence(hit.via),
    fixes: fixes(doc, {
      title: `Set ${key} to ${target}`,
      safety: 'safe',
      ops: [{ op: 'replace', node: hit.node, value: target }],
    }),
  });
  return true;
}

function checkListener(doc: TemplateDocument, resource: Resource, report: Report): void {
  const cfn = resource.type.startsWith('AWS::');
  const protocol = findBad(prop(doc, resource.properties, cfn ? 'Protocol' : 'protocol'), (v) =>
    isOneOf(v, 'HTTPS', 'TLS'),
  );
  if (!protocol) return;
  const key = cfn ? 'SslPolicy' : 'ssl_policy';
  const policy = prop(doc, resource.properties, key);
  if (policy) {
    reportPolicy(
      doc,
      resource,
      `The security policy of listener ${resource.id}`,
      policy,
      secureElbPolicy,
      report,
      key,
    );
    return;
  }
  if (unknownInPlan(resource, [key])) return;
  const target = secureElbPolicy(undefined);
  report({
    span: protocol.node,
    resource,
    message: `${text(protocol.value)} listener ${resource.id} has no ${key}, so it gets ${ELB_DEFAULT_POLICY}, which accepts TLS 1.0 and 1.1. Set ${key} to ${target}.`,
    related: viaEvidence(protocol.via),
    fixes: fixes(doc, {
      title: `Set ${key} to ${target}`,
      safety: 'safe',
      ops: [setOnResource(resource, [key], target)],
    }),
  });
}

const OLD_PROTOCOLS = ['Protocol-SSLv2', 'Protocol-SSLv3', 'Protocol-TLSv1', 'Protocol-TLSv1.1'];

/** Classic ELB SSL negotiation policy attributes: a reference policy or protocols switched on. */
function checkNegotiationAttributes(
  doc: TemplateDocument,
  resource: Resource,
  attributes: MapNode[],
  nameKey: string,
  valueKey: string,
  report: Report,
): void {
  for (const attribute of attributes) {
    const name = knownTexts(doc, attribute, nameKey)[0];
    const value = prop(doc, attribute, valueKey);
    if (!name || !value) continue;
    if (name.toLowerCase() === 'reference-security-policy') {
      reportPolicy(
        doc,
        resource,
        `The reference security policy of Classic Load Balancer ${resource.id}`,
        value,
        () => CLASSIC_ELB_SECURE_POLICY,
        report,
        'Reference-Security-Policy',
      );
    } else if (OLD_PROTOCOLS.some((p) => p.toLowerCase() === name.toLowerCase())) {
      const hit = findBad(value, (v) => bool(v) === true);
      if (!hit) continue;
      report({
        span: hit.node,
        resource,
        message: `Classic Load Balancer ${resource.id} ${verbOf(hit) === 'is' ? 'enables' : 'can enable'} ${name.replace(/^Protocol-/, '')}${because(hit.via)}: clients can negotiate a deprecated protocol. Turn it off and reference ${CLASSIC_ELB_SECURE_POLICY}.`,
        related: viaEvidence(hit.via),
        fixes: fixes(doc, {
          title: `Turn ${name} off`,
          safety: 'safe',
          ops: [{ op: 'replace', node: hit.node, value: 'false' }],
        }),
      });
    }
  }
}

function checkClassicCfn(doc: TemplateDocument, resource: Resource, report: Report): void {
  const sslPolicies = new Set<string>();
  for (const policy of blocks(resource.properties, 'Policies')) {
    if (!knownTexts(doc, policy, 'PolicyType').some((t) => isOneOf(t, 'SSLNegotiationPolicyType'))) continue;
    for (const n of knownStrings(resolve(doc, get(policy, 'PolicyName')))) sslPolicies.add(n);
    checkNegotiationAttributes(doc, resource, blocks(policy, 'Attributes'), 'Name', 'Value', report);
  }
  for (const listener of blocks(resource.properties, 'Listeners')) {
    const protocol = findBad(prop(doc, listener, 'Protocol'), (v) => isOneOf(v, 'HTTPS', 'SSL'));
    if (!protocol) continue;
    const names = resolveItems(doc, get(listener, 'PolicyNames')).map((i) => knownStrings(i.possibilities));
    if (names.some((n) => n.length === 0)) continue; // a name we cannot know
    if (names.flat().some((n) => sslPolicies.has(n))) continue;
    report({
      span: protocol.node,
      resource,
      message: `${text(protocol.value)} listener of Classic Load Balancer ${resource.id} has no SSL negotiation policy, so it gets ${ELB_DEFAULT_POLICY}, which accepts TLS 1.0 and 1.1. Add an SSLNegotiationPolicyType policy referencing ${CLASSIC_ELB_SECURE_POLICY} to the listener's PolicyNames.`,
      related: viaEvidence(protocol.via),
    });
  }
}

function checkClassicTfListeners(doc: TemplateDocument, elb: Resource, report: Report): void {
  const name = knownStrings(resolve(doc, get(elb.properties, 'name')));
  const refersToElb = (node: Node | undefined) =>
    resolve(doc, node).some(
      (p) =>
        (p.value instanceof ResourceRef && p.value.id === elb.id) ||
        (typeof p.value === 'string' && name.includes(p.value)),
    );
  const covered = doc.resources.some(
    (r) =>
      (r.type === 'aws_lb_ssl_negotiation_policy' && refersToElb(get(r.properties, 'load_balancer'))) ||
      (r.type === 'aws_load_balancer_listener_policy' &&
        refersToElb(get(r.properties, 'load_balancer_name'))),
  );
  if (covered) return;
  for (const listener of blocks(elb.properties, 'listener')) {
    const protocol = findBad(prop(doc, listener, 'lb_protocol'), (v) => isOneOf(v, 'HTTPS', 'SSL'));
    if (!protocol) continue;
    report({
      span: protocol.node,
      resource: elb,
      message: `${text(protocol.value)} listener of Classic Load Balancer ${elb.id} has no SSL negotiation policy in this configuration, so it gets ${ELB_DEFAULT_POLICY}, which accepts TLS 1.0 and 1.1. Attach an aws_load_balancer_policy referencing ${CLASSIC_ELB_SECURE_POLICY} with aws_load_balancer_listener_policy.`,
      related: viaEvidence(protocol.via),
    });
  }
}

function checkApiGateway(
  doc: TemplateDocument,
  resource: Resource,
  map: MapNode | undefined,
  restDefault: boolean,
  report: Report,
): void {
  if (!map) return;
  const key = resource.type.startsWith('AWS::') ? 'SecurityPolicy' : 'security_policy';
  const policy = prop(doc, map, key);
  if (policy) {
    reportPolicy(
      doc,
      resource,
      `The security policy of API Gateway domain ${resource.id}`,
      policy,
      () => API_GATEWAY_SECURE_POLICY,
      report,
      key,
    );
    return;
  }
  if (!restDefault || unknownInPlan(resource, [key])) return;
  report({
    span: resource.keyNode,
    resource,
    message: `API Gateway domain ${resource.id} does not set ${key}: REST API custom domains without one have been created with TLS_1_0, which accepts TLS 1.0. Set ${key} to ${API_GATEWAY_SECURE_POLICY} explicitly.`,
    fixes: fixes(doc, {
      title: `Set ${key} to ${API_GATEWAY_SECURE_POLICY}`,
      safety: 'safe',
      ops: [setAt(map, [key], API_GATEWAY_SECURE_POLICY)],
    }),
  });
}

function checkSearch(doc: TemplateDocument, resource: Resource, report: Report): void {
  const cfn = resource.type.startsWith('AWS::');
  const options = block(resource.properties, cfn ? 'DomainEndpointOptions' : 'domain_endpoint_options');
  const key = cfn ? 'TLSSecurityPolicy' : 'tls_security_policy';
  reportPolicy(
    doc,
    resource,
    `The TLS security policy of domain ${resource.id}`,
    prop(doc, options, key),
    () => SEARCH_SECURE_POLICY,
    report,
    key,
  );
}

/**
 * CloudSearch: an explicit TLS 1.0 policy, or endpoint options without a policy (the default is
 * Policy-Min-TLS-1-0-2019-07). Without endpoint options at all, search-https-not-enforced
 * reports the domain and its fix sets both.
 */
function checkCloudSearch(doc: TemplateDocument, resource: Resource, report: Report): void {
  const cfn = resource.type.startsWith('AWS::');
  const optionsKey = cfn ? 'DomainEndpointOptions' : 'endpoint_options';
  const options = block(resource.properties, optionsKey);
  if (!options) return;
  const key = cfn ? 'TLSSecurityPolicy' : 'tls_security_policy';
  const policy = prop(doc, options, key);
  if (policy) {
    reportPolicy(
      doc,
      resource,
      `The TLS security policy of CloudSearch domain ${resource.id}`,
      policy,
      () => CLOUDSEARCH_SECURE_POLICY,
      report,
      key,
    );
    return;
  }
  if (unknownInPlan(resource, [optionsKey, key])) return;
  report({
    span: keyOf(resource.properties, optionsKey) ?? resource.keyNode,
    resource,
    message: `CloudSearch domain ${resource.id} does not set ${key}, so it gets ${CLOUDSEARCH_DEFAULT_POLICY}, which accepts TLS 1.0 and 1.1. Set ${key} to ${CLOUDSEARCH_SECURE_POLICY}.`,
    fixes: fixes(doc, {
      title: `Set ${key} to ${CLOUDSEARCH_SECURE_POLICY}`,
      safety: 'safe',
      ops: [setAt(options, [key], CLOUDSEARCH_SECURE_POLICY)],
    }),
  });
}

function checkCloudFront(doc: TemplateDocument, resource: Resource, report: Report): void {
  const cfn = resource.type.startsWith('AWS::');
  const config = cfn ? block(resource.properties, 'DistributionConfig') : resource.properties;
  const certKey = cfn ? 'ViewerCertificate' : 'viewer_certificate';
  const cert = block(config, certKey);
  if (!cert) return;
  const k = cfn
    ? {
        acm: 'AcmCertificateArn',
        iam: 'IamCertificateId',
        def: 'CloudFrontDefaultCertificate',
        min: 'MinimumProtocolVersion',
      }
    : {
        acm: 'acm_certificate_arn',
        iam: 'iam_certificate_id',
        def: 'cloudfront_default_certificate',
        min: 'minimum_protocol_version',
      };
  const custom = prop(doc, cert, k.acm) ?? prop(doc, cert, k.iam);
  const isDefault = prop(doc, cert, k.def);
  if (!custom || (isDefault && known(isDefault).some((v) => bool(v.value) === true))) return;
  const version = prop(doc, cert, k.min);
  const fix = (ops: FixRecipe['ops']): FixRecipe => ({
    title: `Set ${k.min} to ${CLOUDFRONT_SECURE_VERSION}`,
    safety: 'safe',
    ops,
  });
  if (version) {
    reportPolicy(
      doc,
      resource,
      `The minimum protocol version of distribution ${resource.id} (custom certificate)`,
      version,
      () => CLOUDFRONT_SECURE_VERSION,
      report,
      k.min,
    );
    return;
  }
  if (unknownInPlan(resource, [certKey, k.min])) return;
  report({
    span: keyOf(config, certKey) ?? resource.keyNode,
    resource,
    message: `Distribution ${resource.id} has a custom certificate but no ${k.min}, which defaults to TLSv1 (TLS 1.0). Set ${k.min} to ${CLOUDFRONT_SECURE_VERSION} or newer.`,
    fixes: fixes(doc, fix([setAt(cert, [k.min], CLOUDFRONT_SECURE_VERSION)])),
  });
}

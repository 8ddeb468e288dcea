import { describe, expect, it } from 'vitest';
import { loadDocument } from '../../model/load';
import { controlHover } from '../../service/controls';
import { lines } from '../../testing/ruleTester';

function hoverOn(file: string, code: string, key: string): string | undefined {
  const doc = loadDocument(file, code)!;
  return controlHover(doc, code.indexOf(key) + 1)?.markdown;
}

describe('hover on the controls of the IMDS and transport rules', () => {
  const yaml = lines(
    'Resources:',
    '  Web:',
    '    Type: AWS::EC2::Instance',
    '    Properties:',
    '      MetadataOptions:',
    '        HttpTokens: required',
    '        HttpPutResponseHopLimit: 1',
    '  Listener:',
    '    Type: AWS::ElasticLoadBalancingV2::Listener',
    '    Properties:',
    '      Protocol: HTTPS',
    '      SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06',
    '      DefaultActions: []',
    '  Cdn:',
    '    Type: AWS::CloudFront::Distribution',
    '    Properties:',
    '      DistributionConfig:',
    '        DefaultCacheBehavior: {ViewerProtocolPolicy: redirect-to-https}',
    '        ViewerCertificate: {MinimumProtocolVersion: TLSv1.2_2021}',
    '  Cache:',
    '    Type: AWS::ElastiCache::ReplicationGroup',
    '    Properties: {TransitEncryptionEnabled: true}',
    '  Search:',
    '    Type: AWS::OpenSearchService::Domain',
    '    Properties: {DomainEndpointOptions: {EnforceHTTPS: true}}',
    '  Kafka:',
    '    Type: AWS::MSK::Cluster',
    '    Properties: {EncryptionInfo: {EncryptionInTransit: {ClientBroker: TLS}}}',
  );

  it.each([
    ['MetadataOptions', /instance metadata service/],
    ['HttpTokens', /IMDSv2.*PUT/s],
    ['HttpPutResponseHopLimit', /hop/],
    ['Protocol:', /terminate TLS at the load balancer/],
    ['SslPolicy', /ELBSecurityPolicy-2016-08/],
    ['DefaultActions', /redirect/],
    ['ViewerProtocolPolicy', /redirect-to-https/],
    ['MinimumProtocolVersion', /TLSv1\.2_2021/],
    ['TransitEncryptionEnabled', /Default: `false`/],
    ['DomainEndpointOptions', /EnforceHTTPS/],
    ['EncryptionInTransit', /ClientBroker/],
  ])('%s', (key, expected) => {
    expect(hoverOn('template.yaml', yaml, key)).toMatch(expected);
  });

  it('Terraform spellings', () => {
    const tf = `{"resource": {"aws_instance": {"web": {"metadata_options": {"http_tokens": "required"}}}}}`;
    expect(hoverOn('main.tf.json', tf, 'http_tokens')).toMatch(/IMDSv1/);
  });
});

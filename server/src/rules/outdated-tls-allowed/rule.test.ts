import { lines, ruleTester } from '../../testing/ruleTester';
import { outdatedTlsAllowed } from './rule';

const listenersYaml = lines(
  'Resources:',
  '  NoPolicy:',
  '    Type: AWS::ElasticLoadBalancingV2::Listener',
  '    Properties:',
  '      LoadBalancerArn: !Ref Alb',
  '      Port: 443',
  '      Protocol: HTTPS',
  '      DefaultActions: [{Type: forward, TargetGroupArn: !Ref Targets}]',
  '  Tls13Min10:',
  '    Type: AWS::ElasticLoadBalancingV2::Listener',
  '    Properties:',
  '      Protocol: HTTPS',
  '      SslPolicy: ELBSecurityPolicy-TLS13-1-0-2021-06',
  '  Tls13Min11:',
  '    Type: AWS::ElasticLoadBalancingV2::Listener',
  '    Properties: {Protocol: TLS, SslPolicy: ELBSecurityPolicy-TLS13-1-1-2021-06}',
  '  Fips:',
  '    Type: AWS::ElasticLoadBalancingV2::Listener',
  '    Properties:',
  '      Protocol: HTTPS',
  '      SslPolicy: ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04',
);

const domainsJson = `{
  "Resources": {
    "RestDomain": {
      "Type": "AWS::ApiGateway::DomainName",
      "Properties": {
        "DomainName": "api.example.com",
        "RegionalCertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/1"
      }
    },
    "HttpDomain": {
      "Type": "AWS::ApiGatewayV2::DomainName",
      "Properties": {
        "DomainName": "v2.example.com",
        "DomainNameConfigurations": [
          { "CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/2", "SecurityPolicy": "TLS_1_0" }
        ]
      }
    },
    "Search": {
      "Type": "AWS::OpenSearchService::Domain",
      "Properties": {
        "DomainEndpointOptions": {
          "EnforceHTTPS": true,
          "TLSSecurityPolicy": "Policy-Min-TLS-1-0-2019-07"
        }
      }
    }
  }
}
`;

const classicYaml = lines(
  'Resources:',
  '  Clb:',
  '    Type: AWS::ElasticLoadBalancing::LoadBalancer',
  '    Properties:',
  '      Listeners:',
  '        - LoadBalancerPort: "443"',
  '          InstancePort: "80"',
  '          Protocol: HTTPS',
  '          SSLCertificateId: arn:aws:acm:us-east-1:123456789012:certificate/1',
  '          PolicyNames: [TlsPolicy]',
  '        - LoadBalancerPort: "8443"',
  '          InstancePort: "80"',
  '          Protocol: SSL',
  '          SSLCertificateId: arn:aws:acm:us-east-1:123456789012:certificate/1',
  '      Policies:',
  '        - PolicyName: TlsPolicy',
  '          PolicyType: SSLNegotiationPolicyType',
  '          Attributes:',
  '            - Name: Reference-Security-Policy',
  '              Value: ELBSecurityPolicy-2016-08',
  '            - Name: Protocol-TLSv1',
  '              Value: "true"',
);

const cloudFrontYaml = lines(
  'Resources:',
  '  Cdn:',
  '    Type: AWS::CloudFront::Distribution',
  '    Properties:',
  '      DistributionConfig:',
  '        Enabled: true',
  '        ViewerCertificate:',
  '          AcmCertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/1',
  '          SslSupportMethod: sni-only',
  '          MinimumProtocolVersion: TLSv1.1_2016',
);

const tfJson = `{
  "resource": {
    "aws_lb_listener": {
      "https": {
        "load_balancer_arn": "\${aws_lb.web.arn}",
        "port": 443,
        "protocol": "HTTPS",
        "ssl_policy": "ELBSecurityPolicy-TLS-1-1-2017-01",
        "certificate_arn": "\${aws_acm_certificate.web.arn}"
      }
    },
    "aws_cloudfront_distribution": {
      "cdn": {
        "enabled": true,
        "viewer_certificate": {
          "acm_certificate_arn": "\${aws_acm_certificate.cdn.arn}",
          "ssl_support_method": "sni-only"
        }
      }
    },
    "aws_api_gateway_domain_name": {
      "api": {
        "domain_name": "api.example.com",
        "security_policy": "TLS_1_0"
      }
    },
    "aws_elb": {
      "classic": {
        "name": "classic",
        "listener": [
          { "lb_port": 443, "lb_protocol": "https", "instance_port": 80, "instance_protocol": "http", "ssl_certificate_id": "arn:aws:acm:us-east-1:123456789012:certificate/1" }
        ]
      }
    }
  }
}
`;

const plan = `{
  "format_version": "1.2",
  "planned_values": {
    "root_module": {
      "resources": [
        {
          "address": "aws_lb_listener.https",
          "mode": "managed",
          "type": "aws_lb_listener",
          "name": "https",
          "values": { "port": 443, "protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-2016-08" }
        }
      ]
    }
  }
}
`;

ruleTester(outdatedTlsAllowed, {
  valid: [
    {
      name: 'TLS 1.2+ policies, post-quantum names, HTTP and TCP listeners, unknown names',
      file: 'template.yaml',
      code: lines(
        'Parameters:',
        '  Policy:',
        '    Type: String',
        'Resources:',
        '  A:',
        '    Type: AWS::ElasticLoadBalancingV2::Listener',
        '    Properties: {Protocol: HTTPS, SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06}',
        '  B:',
        '    Type: AWS::ElasticLoadBalancingV2::Listener',
        '    Properties: {Protocol: HTTPS, SslPolicy: ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09}',
        '  C:',
        '    Type: AWS::ElasticLoadBalancingV2::Listener',
        '    Properties: {Protocol: TLS, SslPolicy: ELBSecurityPolicy-TLS13-1-3-PQ-2025-09}',
        '  D:',
        '    Type: AWS::ElasticLoadBalancingV2::Listener',
        '    Properties: {Protocol: HTTP}',
        '  E:',
        '    Type: AWS::ElasticLoadBalancingV2::Listener',
        '    Properties: {Protocol: TCP}',
        '  F:',
        '    Type: AWS::ElasticLoadBalancingV2::Listener',
        '    Properties: {Protocol: HTTPS, SslPolicy: !Ref Policy}',
        '  G:',
        '    Type: AWS::ElasticLoadBalancingV2::Listener',
        '    Properties: {Protocol: HTTPS, SslPolicy: ELBSecurityPolicy-Custom-Name}',
        '  Api:',
        '    Type: AWS::ApiGateway::DomainName',
        '    Properties: {DomainName: api.example.com, SecurityPolicy: SecurityPolicy_TLS13_1_3_2025_09}',
        '  ApiV2:',
        '    Type: AWS::ApiGatewayV2::DomainName',
        '    Properties:',
        '      DomainName: v2.example.com',
        '      DomainNameConfigurations: [{CertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/2}]',
        '  Search:',
        '    Type: AWS::Elasticsearch::Domain',
        '    Properties:',
        '      DomainEndpointOptions: {EnforceHTTPS: true, TLSSecurityPolicy: Policy-Min-TLS-1-2-PFS-2023-10}',
      ),
    },
    {
      name: 'CloudFront: new TLSv1.2_2025 and TLSv1.3_2025, and the default certificate (another rule)',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  A:',
        '    Type: AWS::CloudFront::Distribution',
        '    Properties:',
        '      DistributionConfig:',
        '        ViewerCertificate: {AcmCertificateArn: arn:aws:acm:us-east-1:1:certificate/1, MinimumProtocolVersion: TLSv1.2_2025}',
        '  B:',
        '    Type: AWS::CloudFront::Distribution',
        '    Properties:',
        '      DistributionConfig:',
        '        ViewerCertificate: {AcmCertificateArn: arn:aws:acm:us-east-1:1:certificate/1, MinimumProtocolVersion: TLSv1.3_2025}',
        '  C:',
        '    Type: AWS::CloudFront::Distribution',
        '    Properties:',
        '      DistributionConfig:',
        '        ViewerCertificate: {CloudFrontDefaultCertificate: true, MinimumProtocolVersion: TLSv1}',
      ),
    },
    {
      name: 'TF classic ELB with a negotiation policy',
      file: 'main.tf.json',
      code: `{"resource": {
  "aws_elb": {"classic": {"name": "classic", "listener": [{"lb_port": 443, "lb_protocol": "https", "instance_port": 80, "instance_protocol": "http"}]}},
  "aws_lb_ssl_negotiation_policy": {"tls": {"name": "tls", "load_balancer": "\${aws_elb.classic.id}", "lb_port": 443,
    "attribute": [{"name": "Reference-Security-Policy", "value": "ELBSecurityPolicy-TLS-1-2-2017-01"}]}}
}}
`,
    },
  ],
  invalid: [
    {
      name: 'CFN YAML listeners: no SslPolicy, TLS13-1-0, TLS13-1-1 (flow), FIPS kept',
      file: 'template.yaml',
      code: listenersYaml,
      errors: [
        {
          text: 'HTTPS',
          line: 7,
          severity: 'warning',
          message:
            'HTTPS listener NoPolicy has no SslPolicy, so it gets ELBSecurityPolicy-2016-08, which accepts TLS 1.0 and 1.1. Set SslPolicy to ELBSecurityPolicy-TLS13-1-2-2021-06.',
          fixes: [
            {
              title: 'Set SslPolicy to ELBSecurityPolicy-TLS13-1-2-2021-06',
              output: listenersYaml.replace(
                '      DefaultActions: [{Type: forward, TargetGroupArn: !Ref Targets}]\n',
                '      DefaultActions: [{Type: forward, TargetGroupArn: !Ref Targets}]\n      SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06\n',
              ),
            },
          ],
        },
        {
          text: 'ELBSecurityPolicy-TLS13-1-0-2021-06',
          line: 13,
          message:
            'The security policy of listener Tls13Min10 is ELBSecurityPolicy-TLS13-1-0-2021-06, which accepts TLS 1.0: clients can be downgraded to a deprecated protocol. Use ELBSecurityPolicy-TLS13-1-2-2021-06 (TLS 1.2 and newer).',
          fixes: [
            {
              title: 'Set SslPolicy to ELBSecurityPolicy-TLS13-1-2-2021-06',
              output: listenersYaml.replace(
                'ELBSecurityPolicy-TLS13-1-0-2021-06',
                'ELBSecurityPolicy-TLS13-1-2-2021-06',
              ),
            },
          ],
        },
        {
          text: 'ELBSecurityPolicy-TLS13-1-1-2021-06',
          line: 16,
          message: /accepts TLS 1\.1/,
          fixes: [
            {
              title: 'Set SslPolicy to ELBSecurityPolicy-TLS13-1-2-2021-06',
              output: listenersYaml.replace(
                'ELBSecurityPolicy-TLS13-1-1-2021-06',
                'ELBSecurityPolicy-TLS13-1-2-2021-06',
              ),
            },
          ],
        },
        {
          text: 'ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04',
          line: 21,
          message: /Use ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04/,
          fixes: [
            {
              title: 'Set SslPolicy to ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04',
              output: listenersYaml.replace(
                'ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04',
                'ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN JSON: REST domain without SecurityPolicy, v2 domain TLS_1_0, OpenSearch TLS 1.0 policy',
      file: 'template.json',
      code: domainsJson,
      errors: [
        {
          text: '"RestDomain"',
          line: 3,
          message:
            'API Gateway domain RestDomain does not set SecurityPolicy: REST API custom domains without one have been created with TLS_1_0, which accepts TLS 1.0. Set SecurityPolicy to TLS_1_2 explicitly.',
          fixes: [
            {
              title: 'Set SecurityPolicy to TLS_1_2',
              output: domainsJson.replace(
                '"RegionalCertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/1"',
                '"RegionalCertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/1",\n        "SecurityPolicy": "TLS_1_2"',
              ),
            },
          ],
        },
        {
          text: '"TLS_1_0"',
          line: 15,
          message: /^The security policy of API Gateway domain HttpDomain is TLS_1_0, which accepts TLS 1\.0/,
          fixes: [
            { title: 'Set SecurityPolicy to TLS_1_2', output: domainsJson.replace('"TLS_1_0"', '"TLS_1_2"') },
          ],
        },
        {
          text: '"Policy-Min-TLS-1-0-2019-07"',
          line: 24,
          message:
            /^The TLS security policy of domain Search is Policy-Min-TLS-1-0-2019-07, which accepts TLS 1\.0/,
          fixes: [
            {
              title: 'Set TLSSecurityPolicy to Policy-Min-TLS-1-2-PFS-2023-10',
              output: domainsJson.replace('"Policy-Min-TLS-1-0-2019-07"', '"Policy-Min-TLS-1-2-PFS-2023-10"'),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN YAML Classic Load Balancer: reference policy, TLSv1 switched on, SSL listener without a policy',
      file: 'template.yaml',
      code: classicYaml,
      errors: [
        {
          text: 'SSL',
          line: 13,
          message:
            /^SSL listener of Classic Load Balancer Clb has no SSL negotiation policy, so it gets ELBSecurityPolicy-2016-08/,
          fixes: [],
        },
        {
          text: 'ELBSecurityPolicy-2016-08',
          line: 20,
          message:
            'The reference security policy of Classic Load Balancer Clb is ELBSecurityPolicy-2016-08, which accepts TLS 1.0: clients can be downgraded to a deprecated protocol. Use ELBSecurityPolicy-TLS-1-2-2017-01 (TLS 1.2 and newer).',
          fixes: [
            {
              title: 'Set Reference-Security-Policy to ELBSecurityPolicy-TLS-1-2-2017-01',
              output: classicYaml.replace(
                'Value: ELBSecurityPolicy-2016-08',
                'Value: ELBSecurityPolicy-TLS-1-2-2017-01',
              ),
            },
          ],
        },
        {
          text: '"true"',
          line: 22,
          message: /^Classic Load Balancer Clb enables TLSv1: clients can negotiate a deprecated protocol/,
          fixes: [
            {
              title: 'Turn Protocol-TLSv1 off',
              output: classicYaml.replace('Value: "true"', "Value: 'false'"),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN YAML CloudFront custom certificate on TLSv1.1_2016',
      file: 'template.yaml',
      code: cloudFrontYaml,
      errors: [
        {
          text: 'TLSv1.1_2016',
          line: 10,
          message:
            'The minimum protocol version of distribution Cdn (custom certificate) is TLSv1.1_2016, which accepts TLS 1.1: clients can be downgraded to a deprecated protocol. Use TLSv1.2_2021 (TLS 1.2 and newer).',
          fixes: [
            {
              title: 'Set MinimumProtocolVersion to TLSv1.2_2021',
              output: cloudFrontYaml.replace('TLSv1.1_2016', 'TLSv1.2_2021'),
            },
          ],
        },
      ],
    },
    {
      name: 'TF JSON: listener TLS-1-1, CloudFront custom certificate without a minimum, API domain TLS_1_0, classic ELB',
      file: 'main.tf.json',
      code: tfJson,
      errors: [
        {
          text: '"ELBSecurityPolicy-TLS-1-1-2017-01"',
          line: 8,
          message:
            /^The security policy of listener aws_lb_listener\.https is ELBSecurityPolicy-TLS-1-1-2017-01, which accepts TLS 1\.1/,
          fixes: [
            {
              title: 'Set ssl_policy to ELBSecurityPolicy-TLS13-1-2-2021-06',
              output: tfJson.replace(
                '"ELBSecurityPolicy-TLS-1-1-2017-01"',
                '"ELBSecurityPolicy-TLS13-1-2-2021-06"',
              ),
            },
          ],
        },
        {
          text: '"viewer_certificate"',
          line: 15,
          message:
            'Distribution aws_cloudfront_distribution.cdn has a custom certificate but no minimum_protocol_version, which defaults to TLSv1 (TLS 1.0). Set minimum_protocol_version to TLSv1.2_2021 or newer.',
          fixes: [
            {
              title: 'Set minimum_protocol_version to TLSv1.2_2021',
              output: tfJson.replace(
                '"ssl_support_method": "sni-only"',
                '"ssl_support_method": "sni-only",\n          "minimum_protocol_version": "TLSv1.2_2021"',
              ),
            },
          ],
        },
        {
          text: '"TLS_1_0"',
          line: 24,
          message: /^The security policy of API Gateway domain aws_api_gateway_domain_name\.api is TLS_1_0/,
          fixes: [
            { title: 'Set security_policy to TLS_1_2', output: tfJson.replace('"TLS_1_0"', '"TLS_1_2"') },
          ],
        },
        {
          text: '"https"',
          line: 31,
          message:
            /^https listener of Classic Load Balancer aws_elb\.classic has no SSL negotiation policy in this configuration/,
          fixes: [],
        },
      ],
    },
    {
      name: 'plan (no fixes)',
      file: 'plan.json',
      code: plan,
      errors: [
        {
          text: '"ELBSecurityPolicy-2016-08"',
          line: 11,
          message:
            /^The security policy of listener aws_lb_listener\.https is ELBSecurityPolicy-2016-08, which accepts TLS 1\.0/,
          fixes: [],
        },
      ],
    },
  ],
});

import { lines, ruleTester } from '../../testing/ruleTester';
import { cloudfrontOriginPlaintext } from './rule';

const yaml = lines(
  'Resources:',
  '  Cdn:',
  '    Type: AWS::CloudFront::Distribution',
  '    Properties:',
  '      DistributionConfig:',
  '        Origins:',
  '          - Id: app',
  '            DomainName: app.example.com',
  '            CustomOriginConfig:',
  '              OriginProtocolPolicy: http-only',
  '          - Id: api',
  '            DomainName: api.example.com',
  '            CustomOriginConfig:',
  '              OriginProtocolPolicy: match-viewer',
  '              OriginSSLProtocols: [TLSv1, TLSv1.1, TLSv1.2]',
  '          - Id: site',
  '            DomainName: site.s3-website-us-east-1.amazonaws.com',
  '            CustomOriginConfig: {OriginProtocolPolicy: http-only}',
  '        DefaultCacheBehavior: {TargetOriginId: app, ViewerProtocolPolicy: redirect-to-https}',
  '        CacheBehaviors:',
  '          - {PathPattern: /api/*, TargetOriginId: api, ViewerProtocolPolicy: allow-all}',
);

const json = `{
  "Resources": {
    "Cdn": {
      "Type": "AWS::CloudFront::Distribution",
      "Properties": {
        "DistributionConfig": {
          "Origins": [
            {
              "Id": "app",
              "DomainName": "app.example.com",
              "CustomOriginConfig": {
                "OriginProtocolPolicy": "https-only",
                "OriginSSLProtocols": ["SSLv3", "TLSv1.2"]
              }
            }
          ],
          "DefaultCacheBehavior": { "TargetOriginId": "app", "ViewerProtocolPolicy": "https-only" }
        }
      }
    }
  }
}
`;

const tf = `{
  "resource": {
    "aws_cloudfront_distribution": {
      "cdn": {
        "origin": [
          {
            "origin_id": "app",
            "domain_name": "app.example.com",
            "custom_origin_config": {
              "http_port": 80,
              "https_port": 443,
              "origin_protocol_policy": "http-only",
              "origin_ssl_protocols": ["TLSv1.2"]
            }
          }
        ],
        "default_cache_behavior": { "target_origin_id": "app", "viewer_protocol_policy": "redirect-to-https" }
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
          "address": "aws_cloudfront_distribution.cdn",
          "mode": "managed",
          "type": "aws_cloudfront_distribution",
          "name": "cdn",
          "values": {
            "origin": [{ "origin_id": "app", "domain_name": "app.example.com",
              "custom_origin_config": [{ "origin_protocol_policy": "https-only", "origin_ssl_protocols": ["TLSv1.1", "TLSv1.2"] }] }]
          }
        }
      ]
    }
  }
}
`;

ruleTester(cloudfrontOriginPlaintext, {
  valid: [
    {
      name: 'https-only TLSv1.2, S3 REST origin, match-viewer behind HTTPS-only behaviours',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Cdn:',
        '    Type: AWS::CloudFront::Distribution',
        '    Properties:',
        '      DistributionConfig:',
        '        Origins:',
        '          - {Id: a, DomainName: a.example.com, CustomOriginConfig: {OriginProtocolPolicy: https-only, OriginSSLProtocols: [TLSv1.2]}}',
        '          - {Id: b, DomainName: b.s3.amazonaws.com, S3OriginConfig: {}}',
        '          - {Id: c, DomainName: c.example.com, CustomOriginConfig: {OriginProtocolPolicy: match-viewer}}',
        '        DefaultCacheBehavior: {TargetOriginId: c, ViewerProtocolPolicy: redirect-to-https}',
        '        CacheBehaviors:',
        '          - {PathPattern: /a/*, TargetOriginId: a, ViewerProtocolPolicy: allow-all}',
      ),
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: http-only, match-viewer with an HTTP behaviour, old protocols, S3 website (no fix)',
      file: 'template.yaml',
      code: yaml,
      errors: [
        {
          text: 'http-only',
          line: 10,
          severity: 'warning',
          message:
            'CloudFront reaches origin app of distribution Cdn over plain HTTP (http-only): the hop from the edge to the origin crosses the internet unencrypted. Set OriginProtocolPolicy to https-only.',
          fixes: [
            {
              title: 'Set OriginProtocolPolicy to https-only',
              output: yaml.replace('OriginProtocolPolicy: http-only\n', 'OriginProtocolPolicy: https-only\n'),
            },
          ],
        },
        {
          text: 'match-viewer',
          line: 14,
          message:
            'CloudFront forwards HTTP requests to origin api of distribution Cdn in plaintext: the origin policy is match-viewer and the cache behaviour for /api/* allows HTTP. Set OriginProtocolPolicy to https-only.',
          fixes: [
            {
              title: 'Set OriginProtocolPolicy to https-only',
              output: yaml.replace('OriginProtocolPolicy: match-viewer', 'OriginProtocolPolicy: https-only'),
            },
          ],
        },
        {
          text: 'TLSv1',
          line: 15,
          message:
            'CloudFront may connect to origin api of distribution Cdn with TLSv1, a broken or deprecated protocol. Allow only TLSv1.2 in OriginSSLProtocols.',
          fixes: [
            {
              title: 'Set OriginSSLProtocols to [TLSv1.2]',
              output: yaml.replace('[TLSv1, TLSv1.1, TLSv1.2]', '[TLSv1.2]'),
            },
          ],
        },
        {
          text: 'http-only',
          line: 18,
          message:
            /^CloudFront reaches origin site of distribution Cdn over plain HTTP \(http-only\): S3 website endpoints only speak HTTP/,
          fixes: [],
        },
      ],
    },
    {
      name: 'CFN JSON: SSLv3 in the origin protocols',
      file: 'template.json',
      code: json,
      errors: [
        {
          text: '"SSLv3"',
          line: 13,
          message: /with SSLv3/,
          fixes: [
            {
              title: 'Set OriginSSLProtocols to [TLSv1.2]',
              output: json.replace('["SSLv3", "TLSv1.2"]', '["TLSv1.2"]'),
            },
          ],
        },
      ],
    },
    {
      name: 'TF JSON: http-only',
      file: 'main.tf.json',
      code: tf,
      errors: [
        {
          text: '"http-only"',
          line: 12,
          message:
            /^CloudFront reaches origin app of distribution aws_cloudfront_distribution\.cdn over plain HTTP/,
          fixes: [
            {
              title: 'Set origin_protocol_policy to https-only',
              output: tf.replace('"http-only"', '"https-only"'),
            },
          ],
        },
      ],
    },
    {
      name: 'plan: TLSv1.1 (no fixes)',
      file: 'plan.json',
      code: plan,
      errors: [{ text: '"TLSv1.1"', line: 13, message: /with TLSv1\.1/, fixes: [] }],
    },
  ],
});

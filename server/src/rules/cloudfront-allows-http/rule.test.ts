import { lines, ruleTester } from '../../testing/ruleTester';
import { cloudfrontAllowsHttp } from './rule';

const yaml = lines(
  'Resources:',
  '  Cdn:',
  '    Type: AWS::CloudFront::Distribution',
  '    Properties:',
  '      DistributionConfig:',
  '        Enabled: true',
  '        DefaultCacheBehavior:',
  '          TargetOriginId: site',
  '          ViewerProtocolPolicy: allow-all',
  '        CacheBehaviors:',
  '          - {PathPattern: /api/*, TargetOriginId: api, ViewerProtocolPolicy: https-only}',
  '          - {PathPattern: /img/*, TargetOriginId: site, ViewerProtocolPolicy: allow-all}',
);

const json = `{
  "Resources": {
    "Cdn": {
      "Type": "AWS::CloudFront::Distribution",
      "Properties": {
        "DistributionConfig": {
          "DefaultCacheBehavior": { "TargetOriginId": "site", "ViewerProtocolPolicy": "redirect-to-https" },
          "CacheBehaviors": [
            { "PathPattern": "/legacy/*", "TargetOriginId": "site", "ViewerProtocolPolicy": "allow-all" }
          ]
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
        "enabled": true,
        "default_cache_behavior": {
          "target_origin_id": "site",
          "viewer_protocol_policy": "allow-all"
        },
        "ordered_cache_behavior": [
          { "path_pattern": "/a/*", "target_origin_id": "site", "viewer_protocol_policy": "redirect-to-https" },
          { "path_pattern": "/b/*", "target_origin_id": "site", "viewer_protocol_policy": "allow-all" }
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
          "address": "aws_cloudfront_distribution.cdn",
          "mode": "managed",
          "type": "aws_cloudfront_distribution",
          "name": "cdn",
          "values": {
            "default_cache_behavior": [{ "target_origin_id": "site", "viewer_protocol_policy": "allow-all" }],
            "ordered_cache_behavior": []
          }
        }
      ]
    }
  }
}
`;

const conditional = lines(
  'Parameters:',
  '  Env:',
  '    Type: String',
  '    Default: prod',
  'Conditions:',
  '  IsDev: !Equals [!Ref Env, dev]',
  'Resources:',
  '  Cdn:',
  '    Type: AWS::CloudFront::Distribution',
  '    Properties:',
  '      DistributionConfig:',
  '        DefaultCacheBehavior:',
  '          TargetOriginId: site',
  '          ViewerProtocolPolicy: !If [IsDev, allow-all, redirect-to-https]',
);

ruleTester(cloudfrontAllowsHttp, {
  valid: [
    {
      name: 'redirect-to-https, https-only and unknown values',
      file: 'template.yaml',
      code: lines(
        'Parameters:',
        '  Policy:',
        '    Type: String',
        'Resources:',
        '  Cdn:',
        '    Type: AWS::CloudFront::Distribution',
        '    Properties:',
        '      DistributionConfig:',
        '        DefaultCacheBehavior: {TargetOriginId: site, ViewerProtocolPolicy: redirect-to-https}',
        '        CacheBehaviors:',
        '          - {PathPattern: /a/*, TargetOriginId: site, ViewerProtocolPolicy: https-only}',
        '          - {PathPattern: /b/*, TargetOriginId: site, ViewerProtocolPolicy: !Ref Policy}',
      ),
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: default (block) and one ordered behaviour (flow)',
      file: 'template.yaml',
      code: yaml,
      errors: [
        {
          text: 'allow-all',
          line: 9,
          severity: 'error',
          message:
            'The viewer protocol policy of the default cache behaviour of distribution Cdn is allow-all: viewers can fetch content over plain HTTP, where it can be read and changed on the way. Set ViewerProtocolPolicy to redirect-to-https (or https-only).',
          fixes: [
            {
              title: 'Set ViewerProtocolPolicy to redirect-to-https',
              output: yaml.replace(
                'ViewerProtocolPolicy: allow-all\n',
                'ViewerProtocolPolicy: redirect-to-https\n',
              ),
            },
          ],
        },
        {
          text: 'allow-all',
          line: 12,
          message:
            /^The viewer protocol policy of the cache behaviour for \/img\/\* of distribution Cdn is allow-all/,
          fixes: [
            {
              title: 'Set ViewerProtocolPolicy to redirect-to-https',
              output: yaml.replace(
                'ViewerProtocolPolicy: allow-all}',
                'ViewerProtocolPolicy: redirect-to-https}',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN JSON: an ordered behaviour only',
      file: 'template.json',
      code: json,
      errors: [
        {
          text: '"allow-all"',
          line: 9,
          message: /cache behaviour for \/legacy\/\*/,
          fixes: [
            {
              title: 'Set ViewerProtocolPolicy to redirect-to-https',
              output: json.replace('"allow-all"', '"redirect-to-https"'),
            },
          ],
        },
      ],
    },
    {
      name: 'TF JSON: default_cache_behavior and ordered_cache_behavior',
      file: 'main.tf.json',
      code: tf,
      errors: [
        {
          text: '"allow-all"',
          line: 8,
          message:
            /^The viewer protocol policy of the default cache behaviour of distribution aws_cloudfront_distribution\.cdn is allow-all/,
          fixes: [
            {
              title: 'Set viewer_protocol_policy to redirect-to-https',
              output: tf.replace(
                '"viewer_protocol_policy": "allow-all"\n',
                '"viewer_protocol_policy": "redirect-to-https"\n',
              ),
            },
          ],
        },
        {
          text: '"allow-all"',
          line: 12,
          message: /cache behaviour for \/b\/\*/,
          fixes: [
            {
              title: 'Set viewer_protocol_policy to redirect-to-https',
              output: tf.replace(
                '"viewer_protocol_policy": "allow-all" }',
                '"viewer_protocol_policy": "redirect-to-https" }',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'plan (no fixes)',
      file: 'plan.json',
      code: plan,
      errors: [{ text: '"allow-all"', line: 12, message: /is allow-all/, fixes: [] }],
    },
    {
      name: 'a condition branch: "can be", with the branch as evidence',
      file: 'template.yaml',
      code: conditional,
      errors: [
        {
          text: '!If [IsDev, allow-all, redirect-to-https]',
          line: 14,
          message:
            /^The viewer protocol policy of the default cache behaviour of distribution Cdn can be allow-all \(when condition IsDev is true\)/,
          related: ['Value when condition IsDev is true'],
          fixes: [
            {
              title: 'Set ViewerProtocolPolicy to redirect-to-https',
              output: conditional.replace('!If [IsDev, allow-all, redirect-to-https]', 'redirect-to-https'),
            },
          ],
        },
      ],
    },
  ],
});

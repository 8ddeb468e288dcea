import { lines, ruleTester } from '../../testing/ruleTester';
import { cloudfrontDefaultCertificate } from './rule';

const MESSAGE =
  'Distribution Cdn uses the default *.cloudfront.net certificate, which always accepts TLSv1 whatever MinimumProtocolVersion says. To raise the TLS floor, serve it on your own domain with an ACM certificate (in us-east-1) and MinimumProtocolVersion TLSv1.2_2021 or newer.';

ruleTester(cloudfrontDefaultCertificate, {
  valid: [
    {
      name: 'custom ACM certificate',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Cdn:',
        '    Type: AWS::CloudFront::Distribution',
        '    Properties:',
        '      DistributionConfig:',
        '        ViewerCertificate: {AcmCertificateArn: arn:aws:acm:us-east-1:1:certificate/1, SslSupportMethod: sni-only}',
      ),
    },
    {
      name: 'TF custom certificate',
      file: 'main.tf.json',
      code: `{"resource": {"aws_cloudfront_distribution": {"cdn": {"viewer_certificate": {"acm_certificate_arn": "\${aws_acm_certificate.c.arn}", "ssl_support_method": "sni-only", "minimum_protocol_version": "TLSv1.2_2021"}}}}}
`,
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: CloudFrontDefaultCertificate true, and no ViewerCertificate at all',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Cdn:',
        '    Type: AWS::CloudFront::Distribution',
        '    Properties:',
        '      DistributionConfig:',
        '        Enabled: true',
        '        ViewerCertificate:',
        '          CloudFrontDefaultCertificate: true',
        '  Cdn2:',
        '    Type: AWS::CloudFront::Distribution',
        '    Properties:',
        '      DistributionConfig:',
        '        Enabled: true',
      ),
      errors: [
        { text: 'true', line: 8, severity: 'info', message: MESSAGE, fixes: [] },
        {
          text: 'DistributionConfig',
          line: 12,
          severity: 'info',
          message: MESSAGE.replace('Cdn ', 'Cdn2 '),
          fixes: [],
        },
      ],
    },
    {
      name: 'CFN JSON',
      file: 'template.json',
      code: `{
  "Resources": {
    "Cdn": {
      "Type": "AWS::CloudFront::Distribution",
      "Properties": {
        "DistributionConfig": {
          "Enabled": true,
          "ViewerCertificate": { "CloudFrontDefaultCertificate": "true" }
        }
      }
    }
  }
}
`,
      errors: [{ text: '"true"', line: 8, message: MESSAGE, fixes: [] }],
    },
    {
      name: 'TF JSON',
      file: 'main.tf.json',
      code: `{
  "resource": {
    "aws_cloudfront_distribution": {
      "cdn": {
        "enabled": true,
        "viewer_certificate": [{ "cloudfront_default_certificate": true }]
      }
    }
  }
}
`,
      errors: [
        {
          text: 'true',
          line: 6,
          message:
            /^Distribution aws_cloudfront_distribution\.cdn uses the default \*\.cloudfront\.net certificate/,
          fixes: [],
        },
      ],
    },
  ],
});

import { lines, ruleTester } from '../../testing/ruleTester';
import { httpListenerNotRedirected } from './rule';

// Classic Load Balancers cannot redirect: every HTTP listener serves plaintext.
const cfnYaml = lines(
  'Resources:',
  '  Classic:',
  '    Type: AWS::ElasticLoadBalancing::LoadBalancer',
  '    Properties:',
  '      Listeners:',
  '        - {LoadBalancerPort: "80", InstancePort: "80", Protocol: HTTP}',
  '        - {LoadBalancerPort: "443", InstancePort: "80", Protocol: HTTPS, SSLCertificateId: arn:aws:acm:eu-west-1:111122223333:certificate/abc}',
);

const cfnJson = `{
  "Resources": {
    "Classic": {
      "Type": "AWS::ElasticLoadBalancing::LoadBalancer",
      "Properties": {
        "Scheme": "internal",
        "Listeners": [{ "LoadBalancerPort": "80", "InstancePort": "8080", "Protocol": "HTTP" }]
      }
    }
  }
}
`;

const tfJson = `{
  "resource": {
    "aws_elb": {
      "web": {
        "availability_zones": ["eu-west-1a"],
        "listener": [
          { "lb_port": 80, "lb_protocol": "http", "instance_port": 8000, "instance_protocol": "http" },
          { "lb_port": 443, "lb_protocol": "https", "instance_port": 8000, "instance_protocol": "http", "ssl_certificate_id": "arn:aws:acm:eu-west-1:111122223333:certificate/abc" }
        ]
      }
    }
  }
}
`;

const ADVICE =
  'Serve HTTPS (an HTTPS listener with a certificate) and remove the HTTP listener, or use an Application Load Balancer, which can redirect.';

ruleTester(httpListenerNotRedirected, {
  valid: [
    {
      name: 'HTTPS, SSL and TCP listeners',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Classic:',
        '    Type: AWS::ElasticLoadBalancing::LoadBalancer',
        '    Properties:',
        '      Listeners:',
        '        - {LoadBalancerPort: "443", InstancePort: "80", Protocol: HTTPS, SSLCertificateId: c}',
        '        - {LoadBalancerPort: "8443", InstancePort: "80", Protocol: SSL, SSLCertificateId: c}',
        '        - {LoadBalancerPort: "5432", InstancePort: "5432", Protocol: TCP}',
      ),
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: an HTTP listener next to an HTTPS one',
      file: 'template.yaml',
      code: cfnYaml,
      errors: [
        {
          text: 'HTTP',
          line: 6,
          severity: 'error',
          message: `Listener on port 80 of Classic Load Balancer Classic is HTTP: a Classic Load Balancer cannot redirect to HTTPS, so requests and responses cross the network in plaintext. ${ADVICE}`,
          fixes: [],
        },
      ],
    },
    {
      name: 'CFN JSON: an internal Classic Load Balancer is a warning',
      file: 'template.json',
      code: cfnJson,
      errors: [
        {
          text: '"HTTP"',
          line: 7,
          severity: 'warning',
          message: `Listener on port 80 of internal Classic Load Balancer Classic is HTTP: a Classic Load Balancer cannot redirect to HTTPS, so requests and responses cross the VPC (and the networks connected to it) in plaintext. ${ADVICE}`,
          fixes: [],
        },
      ],
    },
    {
      name: 'Terraform JSON: aws_elb listener blocks',
      file: 'main.tf.json',
      code: tfJson,
      errors: [
        {
          text: '"http"',
          line: 7,
          severity: 'error',
          message: `Listener on port 80 of Classic Load Balancer aws_elb.web is HTTP: a Classic Load Balancer cannot redirect to HTTPS, so requests and responses cross the network in plaintext. ${ADVICE}`,
          fixes: [],
        },
      ],
    },
  ],
});

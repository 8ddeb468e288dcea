import { lines, ruleTester } from '../../testing/ruleTester';
import { httpListenerNotRedirected } from './rule';

const forwardYaml = lines(
  'Resources:',
  '  HttpListener:',
  '    Type: AWS::ElasticLoadBalancingV2::Listener',
  '    Properties:',
  '      LoadBalancerArn: !Ref Alb',
  '      Port: 80',
  '      Protocol: HTTP',
  '      DefaultActions:',
  '        - Type: forward',
  '          TargetGroupArn: !Ref Targets',
  '      Tags: []',
);

const fixedJson = `{
  "Resources": {
    "HttpListener": {
      "Type": "AWS::ElasticLoadBalancingV2::Listener",
      "Properties": {
        "LoadBalancerArn": { "Ref": "Alb" },
        "Port": 80,
        "Protocol": "HTTP",
        "DefaultActions": [
          {
            "Type": "fixed-response",
            "FixedResponseConfig": { "StatusCode": "200", "ContentType": "text/html", "MessageBody": "<h1>Welcome</h1>" }
          }
        ]
      }
    }
  }
}
`;

const tfJson = `{
  "resource": {
    "aws_lb": {
      "web": { "name": "web", "internal": false }
    },
    "aws_lb_listener": {
      "http": {
        "load_balancer_arn": "\${aws_lb.web.arn}",
        "port": 80,
        "default_action": [
          { "type": "forward", "target_group_arn": "\${aws_lb_target_group.web.arn}" }
        ]
      },
      "keeps_http": {
        "load_balancer_arn": "\${aws_lb.web.arn}",
        "port": 8080,
        "protocol": "HTTP",
        "default_action": {
          "type": "redirect",
          "redirect": { "port": "80", "status_code": "HTTP_302" }
        }
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
          "address": "aws_lb_listener.http",
          "mode": "managed",
          "type": "aws_lb_listener",
          "name": "http",
          "values": {
            "port": 80,
            "protocol": "HTTP",
            "default_action": [{ "type": "forward", "target_group_arn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/t/1" }]
          }
        }
      ]
    }
  }
}
`;

const REDIRECT_YAML = lines(
  '      DefaultActions:',
  '        - Type: redirect',
  '          RedirectConfig:',
  '            Protocol: HTTPS',
  "            Port: '443'",
  '            StatusCode: HTTP_301',
);

const internalYaml = lines(
  'Resources:',
  '  InternalAlb:',
  '    Type: AWS::ElasticLoadBalancingV2::LoadBalancer',
  '    Properties:',
  '      Scheme: internal',
  '      Subnets: [subnet-0a, subnet-0b]',
  '  HttpListener:',
  '    Type: AWS::ElasticLoadBalancingV2::Listener',
  '    Properties:',
  '      LoadBalancerArn: !Ref InternalAlb',
  '      Port: 80',
  '      Protocol: HTTP',
  '      DefaultActions:',
  '        - Type: forward',
  '          TargetGroupArn: !Ref Targets',
);

const internalJson = `{
  "Resources": {
    "InternalAlb": {
      "Type": "AWS::ElasticLoadBalancingV2::LoadBalancer",
      "Properties": { "Scheme": "internal", "Subnets": ["subnet-0a", "subnet-0b"] }
    },
    "HttpListener": {
      "Type": "AWS::ElasticLoadBalancingV2::Listener",
      "Properties": {
        "LoadBalancerArn": { "Ref": "InternalAlb" },
        "Port": 80,
        "Protocol": "HTTP",
        "DefaultActions": [{ "Type": "forward", "TargetGroupArn": { "Ref": "Targets" } }]
      }
    }
  }
}
`;

const internalTf = tfJson.replace('"internal": false', '"internal": true');

const internalPlan = `{
  "format_version": "1.2",
  "planned_values": {
    "root_module": {
      "resources": [
        { "address": "aws_lb.web", "mode": "managed", "type": "aws_lb", "name": "web", "values": { "name": "web", "internal": true, "load_balancer_type": "application" } },
        {
          "address": "aws_lb_listener.http",
          "mode": "managed",
          "type": "aws_lb_listener",
          "name": "http",
          "values": {
            "port": 80,
            "protocol": "HTTP",
            "default_action": [{ "type": "forward", "target_group_arn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/t/1" }]
          }
        }
      ]
    }
  },
  "configuration": {
    "root_module": {
      "resources": [
        { "address": "aws_lb.web", "mode": "managed", "type": "aws_lb", "name": "web", "expressions": { "internal": { "constant_value": true } } },
        { "address": "aws_lb_listener.http", "mode": "managed", "type": "aws_lb_listener", "name": "http", "expressions": { "load_balancer_arn": { "references": ["aws_lb.web.arn", "aws_lb.web"] } } }
      ]
    }
  }
}
`;

const INTERNAL_RELATED = (lb: string) => [`${lb} is internal: it has only private addresses.`];

ruleTester(httpListenerNotRedirected, {
  valid: [
    {
      name: 'HTTP redirected to HTTPS, HTTPS forwarding, NLB TCP, bare 404',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Redirect:',
        '    Type: AWS::ElasticLoadBalancingV2::Listener',
        '    Properties:',
        '      LoadBalancerArn: !Ref Alb',
        '      Port: 80',
        '      Protocol: HTTP',
        '      DefaultActions:',
        '        - Type: redirect',
        '          RedirectConfig: {Protocol: HTTPS, Port: "443", StatusCode: HTTP_301}',
        '  Https:',
        '    Type: AWS::ElasticLoadBalancingV2::Listener',
        '    Properties:',
        '      LoadBalancerArn: !Ref Alb',
        '      Port: 443',
        '      Protocol: HTTPS',
        '      SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06',
        '      DefaultActions: [{Type: forward, TargetGroupArn: !Ref Targets}]',
        '  NlbTcp:',
        '    Type: AWS::ElasticLoadBalancingV2::Listener',
        '    Properties:',
        '      LoadBalancerArn: !Ref Nlb',
        '      Port: 80',
        '      Protocol: TCP',
        '      DefaultActions: [{Type: forward, TargetGroupArn: !Ref Targets}]',
        '  NotFound:',
        '    Type: AWS::ElasticLoadBalancingV2::Listener',
        '    Properties:',
        '      LoadBalancerArn: !Ref Alb',
        '      Port: 8080',
        '      Protocol: HTTP',
        '      DefaultActions: [{Type: fixed-response, FixedResponseConfig: {StatusCode: "404"}}]',
      ),
    },
    {
      name: 'TF: no protocol on a network load balancer, or on a load balancer from elsewhere',
      file: 'main.tf.json',
      code: `{"resource": {
  "aws_lb": {"nlb": {"load_balancer_type": "network"}},
  "aws_lb_listener": {
    "tcp": {"load_balancer_arn": "\${aws_lb.nlb.arn}", "port": 80, "default_action": {"type": "forward"}},
    "other": {"load_balancer_arn": "\${var.lb_arn}", "port": 80, "default_action": {"type": "forward"}},
    "redirect": {"load_balancer_arn": "\${var.lb_arn}", "protocol": "HTTP", "port": 80,
      "default_action": {"type": "redirect", "redirect": {"port": "443", "protocol": "HTTPS", "status_code": "HTTP_301"}}}
  }
}}
`,
    },
  ],
  invalid: [
    {
      name: 'CFN YAML forward',
      file: 'template.yaml',
      code: forwardYaml,
      errors: [
        {
          text: 'HTTP',
          line: 7,
          severity: 'error',
          message:
            'Listener HttpListener is HTTP and its default action forwards requests instead of redirecting to HTTPS: requests and responses cross the network in plaintext. Make the default action a redirect to HTTPS (port 443, HTTP_301) and serve content from an HTTPS listener.',
          fixes: [
            {
              title: 'Replace the default action with a redirect to HTTPS (443, HTTP_301)',
              output: forwardYaml.replace(
                '      DefaultActions:\n        - Type: forward\n          TargetGroupArn: !Ref Targets\n',
                REDIRECT_YAML,
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN JSON fixed response with content',
      file: 'template.json',
      code: fixedJson,
      errors: [
        {
          text: '"HTTP"',
          line: 8,
          message:
            /^Listener HttpListener is HTTP and its default action answers with content instead of redirecting/,
          fixes: [
            {
              title: 'Replace the default action with a redirect to HTTPS (443, HTTP_301)',
              output: fixedJson.replace(
                /\[\n {10}\{[\s\S]*?\n {10}\}\n {8}\]/,
                '[\n          {\n            "Type": "redirect",\n            "RedirectConfig": {\n              "Protocol": "HTTPS",\n              "Port": "443",\n              "StatusCode": "HTTP_301"\n            }\n          }\n        ]',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'TF JSON: protocol absent on an ALB (defaults to HTTP), and a redirect that keeps HTTP',
      file: 'main.tf.json',
      code: tfJson,
      errors: [
        {
          text: '"http"',
          line: 7,
          message:
            'Listener aws_lb_listener.http is HTTP (Terraform defaults protocol to HTTP on an Application Load Balancer) and its default action forwards requests instead of redirecting to HTTPS: requests and responses cross the network in plaintext. Make the default action a redirect to HTTPS (port 443, HTTP_301) and serve content from an HTTPS listener.',
          fixes: [
            {
              title: 'Replace the default action with a redirect to HTTPS (443, HTTP_301)',
              output: tfJson.replace(
                '[\n          { "type": "forward", "target_group_arn": "${aws_lb_target_group.web.arn}" }\n        ]',
                '[\n          {\n            "type": "redirect",\n            "redirect": {\n              "port": "443",\n              "protocol": "HTTPS",\n              "status_code": "HTTP_301"\n            }\n          }\n        ]',
              ),
            },
          ],
        },
        {
          text: '"HTTP"',
          line: 17,
          message:
            /^Listener aws_lb_listener\.keeps_http is HTTP and its default action redirects without switching to HTTPS/,
          fixes: [
            {
              title: 'Replace the default action with a redirect to HTTPS (443, HTTP_301)',
              output: tfJson.replace(
                '{\n          "type": "redirect",\n          "redirect": { "port": "80", "status_code": "HTTP_302" }\n        }',
                '[\n          {\n            "type": "redirect",\n            "redirect": {\n              "port": "443",\n              "protocol": "HTTPS",\n              "status_code": "HTTP_301"\n            }\n          }\n        ]',
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
      errors: [{ text: '"HTTP"', line: 13, message: /^Listener aws_lb_listener\.http is HTTP/, fixes: [] }],
    },
    {
      name: 'CFN YAML: HTTP on an internal load balancer is a warning',
      file: 'template.yaml',
      code: internalYaml,
      errors: [
        {
          text: 'HTTP',
          line: 12,
          severity: 'warning',
          message:
            'Listener HttpListener is HTTP and its default action forwards requests instead of redirecting to HTTPS, on internal load balancer InternalAlb: requests and responses cross the VPC (and the networks connected to it) in plaintext. Make the default action a redirect to HTTPS (port 443, HTTP_301) and serve content from an HTTPS listener.',
          related: INTERNAL_RELATED('InternalAlb'),
          fixes: [
            {
              title: 'Replace the default action with a redirect to HTTPS (443, HTTP_301)',
              output: internalYaml.replace(
                lines(
                  '      DefaultActions:',
                  '        - Type: forward',
                  '          TargetGroupArn: !Ref Targets',
                ),
                REDIRECT_YAML,
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'CFN JSON: HTTP on an internal load balancer is a warning',
      file: 'template.json',
      code: internalJson,
      errors: [
        {
          text: '"HTTP"',
          line: 12,
          severity: 'warning',
          message: /on internal load balancer InternalAlb: requests and responses cross the VPC/,
          related: INTERNAL_RELATED('InternalAlb'),
          fixes: [
            {
              title: 'Replace the default action with a redirect to HTTPS (443, HTTP_301)',
              output: internalJson.replace(
                '[{ "Type": "forward", "TargetGroupArn": { "Ref": "Targets" } }]',
                '[\n          {\n            "Type": "redirect",\n            "RedirectConfig": {\n              "Protocol": "HTTPS",\n              "Port": "443",\n              "StatusCode": "HTTP_301"\n            }\n          }\n        ]',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'TF JSON: internal = true makes both findings warnings',
      file: 'main.tf.json',
      code: internalTf,
      errors: [
        {
          text: '"http"',
          line: 7,
          severity: 'warning',
          message: /on internal load balancer aws_lb\.web:/,
          related: INTERNAL_RELATED('aws_lb.web'),
          fixes: [
            {
              title: 'Replace the default action with a redirect to HTTPS (443, HTTP_301)',
              output: internalTf.replace(
                '[\n          { "type": "forward", "target_group_arn": "${aws_lb_target_group.web.arn}" }\n        ]',
                '[\n          {\n            "type": "redirect",\n            "redirect": {\n              "port": "443",\n              "protocol": "HTTPS",\n              "status_code": "HTTP_301"\n            }\n          }\n        ]',
              ),
            },
          ],
        },
        {
          text: '"HTTP"',
          line: 17,
          severity: 'warning',
          message: /on internal load balancer aws_lb\.web:/,
          related: INTERNAL_RELATED('aws_lb.web'),
          fixes: [
            {
              title: 'Replace the default action with a redirect to HTTPS (443, HTTP_301)',
              output: internalTf.replace(
                '{\n          "type": "redirect",\n          "redirect": { "port": "80", "status_code": "HTTP_302" }\n        }',
                '[\n          {\n            "type": "redirect",\n            "redirect": {\n              "port": "443",\n              "protocol": "HTTPS",\n              "status_code": "HTTP_301"\n            }\n          }\n        ]',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'plan: internal load balancer linked through the configuration',
      file: 'plan.json',
      code: internalPlan,
      errors: [
        {
          text: '"HTTP"',
          line: 14,
          severity: 'warning',
          message: /on internal load balancer aws_lb\.web:/,
          fixes: [],
        },
      ],
    },
  ],
});

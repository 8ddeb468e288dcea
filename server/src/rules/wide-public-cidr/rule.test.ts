import { lines, ruleTester } from '../../testing/ruleTester';
import { widePublicCidr } from './rule';

const TAIL = ' Narrow it to the addresses that need access, or reference a security group.';

ruleTester(widePublicCidr, {
  valid: [
    {
      name: 'the internet itself (/0, /1 pairs) is the other rules job; narrower public ranges are fine',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Sg:',
        '    Type: AWS::EC2::SecurityGroup',
        '    Properties:',
        '      GroupDescription: x',
        '      SecurityGroupIngress:',
        '        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}',
        '        - {IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: 0.0.0.0/1}',
        '        - {IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: 128.0.0.0/1}',
        '        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 52.0.0.0/9}',
        '        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 203.0.112.0/23}',
      ),
    },
    {
      name: 'private, CGNAT and trusted ranges; web and other ports',
      file: 'template.yaml',
      settings: { trustedCidrs: ['44.0.0.0/8'] },
      code: lines(
        'Resources:',
        '  Sg:',
        '    Type: AWS::EC2::SecurityGroup',
        '    Properties:',
        '      GroupDescription: x',
        '      SecurityGroupIngress:',
        '        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 10.0.0.0/8}',
        '        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 100.64.0.0/10}',
        '        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIpv6: fc00::/7}',
        '        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 44.0.0.0/8}',
        '        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 3.0.0.0/8}',
        '        - {IpProtocol: tcp, FromPort: 8080, ToPort: 8080, CidrIp: 3.0.0.0/8}',
        '        - {IpProtocol: udp, FromPort: 22, ToPort: 22, CidrIp: 3.0.0.0/8}',
        '        - {IpProtocol: icmp, FromPort: 22, ToPort: 0, CidrIp: 3.0.0.0/8}',
      ),
    },
  ],
  invalid: [
    {
      name: 'CFN YAML: SSH from a /8, all traffic from a /1, several sensitive ports from a /4',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  Sg:',
        '    Type: AWS::EC2::SecurityGroup',
        '    Properties:',
        '      GroupDescription: x',
        '      SecurityGroupIngress:',
        '        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 52.0.0.0/8}',
        '        - {IpProtocol: "-1", CidrIp: 128.0.0.0/1}',
        '        - {IpProtocol: tcp, FromPort: 3306, ToPort: 5432, CidrIp: 16.0.0.0/4}',
        '        - {IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIpv6: "2000::/3"}',
      ),
      errors: [
        {
          text: '52.0.0.0/8',
          line: 7,
          message: `SSH (TCP 22) is open to a very wide public range: 52.0.0.0/8, 16,777,216 addresses.${TAIL}`,
          severity: 'warning',
          fixes: [],
        },
        {
          text: '128.0.0.0/1',
          line: 8,
          message: `All traffic (SSH, RDP and database ports included) is open to a very wide public range: 128.0.0.0/1, 2,147,483,648 addresses.${TAIL}`,
          fixes: [],
        },
        {
          text: '16.0.0.0/4',
          line: 9,
          message: `RDP (TCP 3389), MySQL (TCP 3306) and PostgreSQL (TCP 5432) are open to a very wide public range: 16.0.0.0/4, 268,435,456 addresses.${TAIL}`,
          fixes: [],
        },
        {
          text: '"2000::/3"',
          line: 10,
          message: `RDP (TCP 3389) is open to a very wide public range: 2000::/3, 2^125 addresses.${TAIL}`,
          fixes: [],
        },
      ],
    },
    {
      name: 'CFN JSON through a parameter default',
      file: 'template.json',
      code: `{
  "Parameters": { "Office": { "Type": "String", "Default": "81.0.0.0/8" } },
  "Resources": {
    "Sg": { "Type": "AWS::EC2::SecurityGroup", "Properties": { "GroupDescription": "x",
      "SecurityGroupIngress": [{ "IpProtocol": "tcp", "FromPort": 1433, "ToPort": 1433, "CidrIp": { "Ref": "Office" } }] } }
  }
}
`,
      errors: [
        {
          text: '{ "Ref": "Office" }',
          line: 5,
          message: `SQL Server (TCP 1433) is open to a very wide public range: 81.0.0.0/8 (the default of Office), 16,777,216 addresses.${TAIL}`,
          related: ['Default of Office'],
          fixes: [],
        },
      ],
    },
    {
      name: 'TF JSON',
      file: 'main.tf.json',
      code: `{"resource": {"aws_security_group": {"a": {"ingress": [
  {"protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["10.0.0.0/8", "31.0.0.0/8"]}
]}}}}
`,
      errors: [
        {
          text: '"31.0.0.0/8"',
          line: 2,
          message: `SSH (TCP 22) is open to a very wide public range: 31.0.0.0/8, 16,777,216 addresses.${TAIL}`,
          fixes: [],
        },
      ],
    },
    {
      name: 'plan',
      file: 'plan.json',
      code: `{"format_version": "1.2", "planned_values": {"root_module": {"resources": [
  {"address": "aws_security_group_rule.a", "mode": "managed", "type": "aws_security_group_rule", "name": "a",
   "values": {"type": "ingress", "protocol": "tcp", "from_port": 6379, "to_port": 6379, "cidr_blocks": ["64.0.0.0/2"], "security_group_id": "sg-1"}}]}}}
`,
      errors: [
        {
          text: '"64.0.0.0/2"',
          line: 3,
          message: `Redis (TCP 6379) is open to a very wide public range: 64.0.0.0/2, 1,073,741,824 addresses.${TAIL}`,
          fixes: [],
        },
      ],
    },
    {
      name: 'CFN YAML: on a group used only by a private ElastiCache cluster it is info',
      file: 'template.yaml',
      code: lines(
        'Resources:',
        '  CacheSg: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: cache, VpcId: vpc-0abc, SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 6379, ToPort: 6379, CidrIp: 31.0.0.0/8}]}}',
        '  Cache: {Type: AWS::ElastiCache::ReplicationGroup, Properties: {ReplicationGroupDescription: cache, Engine: redis, CacheNodeType: cache.t4g.small, SecurityGroupIds: [!GetAtt CacheSg.GroupId]}}',
      ),
      errors: [
        {
          text: '31.0.0.0/8',
          line: 2,
          severity: 'info',
          message:
            'Redis (TCP 6379) is open to a very wide public range: 31.0.0.0/8, 16,777,216 addresses, but the security group is attached only to resources without a public address (Cache): reachable from anything that can route to the VPC, not from the internet. Narrow it to the addresses that need access, or reference a security group.',
          related: ['Cache uses this security group: ElastiCache nodes have only private addresses.'],
          fixes: [],
        },
      ],
    },
  ],
});

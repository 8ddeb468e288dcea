import { searchHttpsNotEnforced } from '../rules/search-https-not-enforced/rule';
import { servicePubliclyAccessible } from '../rules/service-publicly-accessible/rule';
import { lines, ruleTester } from '../testing/ruleTester';

// YAML 1.1 booleans, as CloudFormation reads them, where a property is boolean.
const broker = lines(
  'Resources:',
  '  Broker:',
  '    Type: AWS::AmazonMQ::Broker',
  '    Properties:',
  '      EngineType: ACTIVEMQ',
  '      PubliclyAccessible: Yes',
);

const search = lines(
  'Resources:',
  '  Search:',
  '    Type: AWS::OpenSearchService::Domain',
  '    Properties:',
  '      VPCOptions: {SubnetIds: [subnet-1]}',
  '      DomainEndpointOptions:',
  '        EnforceHTTPS: off',
  '        TLSSecurityPolicy: Policy-Min-TLS-1-2-PFS-2023-10',
);

ruleTester(servicePubliclyAccessible, {
  valid: [
    { name: 'NO is false', file: 'template.yaml', code: broker.replace('Yes', 'NO') },
    {
      name: 'y is not a boolean for CloudFormation (nor for cfn-lint): unknown, no finding',
      file: 'template.yaml',
      code: broker.replace('Yes', 'y'),
    },
  ],
  invalid: [
    {
      name: 'PubliclyAccessible: Yes is true',
      file: 'template.yaml',
      code: broker,
      errors: [
        {
          text: 'Yes',
          line: 6,
          message: /^Amazon MQ broker Broker is open to the internet \(PubliclyAccessible: true\)/,
          fixes: [
            {
              title: 'Set PubliclyAccessible to false',
              output: broker.replace('PubliclyAccessible: Yes', 'PubliclyAccessible: false'),
            },
          ],
        },
      ],
    },
  ],
});

ruleTester(searchHttpsNotEnforced, {
  valid: [{ name: 'EnforceHTTPS: ON is true', file: 'template.yaml', code: search.replace('off', 'ON') }],
  invalid: [
    {
      name: 'EnforceHTTPS: off is false',
      file: 'template.yaml',
      code: search,
      errors: [
        {
          text: 'off',
          line: 7,
          message:
            'HTTPS is not enforced on domain Search (EnforceHTTPS: false): clients can send queries, documents and credentials over plain HTTP. Set EnforceHTTPS to true.',
          fixes: [
            {
              title: 'Set EnforceHTTPS to true',
              output: search.replace('EnforceHTTPS: off', 'EnforceHTTPS: true'),
            },
          ],
        },
      ],
    },
  ],
});

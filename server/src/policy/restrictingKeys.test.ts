// The keys that restrict a "*" principal (issue 14, root cause 5), and how IAM evaluates the
// conditions that use them (root cause 6): one table, every row a policy that must or must not
// count as restricted.

import { describe, expect, it } from 'vitest';
import { loadDocument } from '../model/load';
import { catalog } from './catalog';
import { confiningDeny, restriction } from './conditions';
import { extractPolicies } from './extract';
import { RESTRICTING_KEYS } from './restrictingKeys';

function restricted(condition: object | undefined, extra: object[] = []): boolean {
  const allow = {
    Effect: 'Allow',
    Principal: '*',
    Action: 'kms:Decrypt',
    Resource: '*',
    ...(condition ? { Condition: condition } : {}),
  };
  const text = JSON.stringify({ Version: '2012-10-17', Statement: [allow, ...extra] });
  const doc = loadDocument('policy.json', text)!;
  const policy = extractPolicies(doc)[0]!;
  const statement = policy.statements[0]!;
  return (
    restriction(doc, policy, statement).restricted || confiningDeny(doc, policy, statement) !== undefined
  );
}

describe('restricting keys', () => {
  it('each key has an AWS reference and is a key IAM knows', () => {
    for (const k of RESTRICTING_KEYS) {
      expect(k.reference, k.key).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
      expect(k.restricts.length, k.key).toBeGreaterThan(5);
      if (k.key !== 'aws:SourceOwner') expect(catalog().conditionKey(k.key), k.key).toBeDefined();
    }
  });

  const rows: [string, object | undefined, boolean][] = [
    ['no condition', undefined, false],
    ['aws:PrincipalOrgID', { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }, true],
    [
      'aws:PrincipalOrgPaths with ForAnyValue:StringLike',
      { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*' } },
      true,
    ],
    ['aws:PrincipalAccount', { StringEquals: { 'aws:PrincipalAccount': '111122223333' } }, true],
    ['aws:SourceVpce', { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } }, true],
    ['aws:SourceVpc', { StringEquals: { 'aws:SourceVpc': 'vpc-1a2b3c4d' } }, true],
    ['aws:SourceIp, public range', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, true],
    ['aws:SourceIp, 0.0.0.0/0', { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }, false],
    ['aws:SourceArn', { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:111122223333:topic' } }, true],
    ['aws:SourceAccount', { StringEquals: { 'aws:SourceAccount': '111122223333' } }, true],
    ['kms:CallerAccount', { StringEquals: { 'kms:CallerAccount': '111122223333' } }, true],
    [
      'kms:ViaService alone does not pin the account',
      { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
      false,
    ],
    [
      'kms:ViaService with kms:CallerAccount',
      {
        StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com', 'kms:CallerAccount': '111122223333' },
      },
      true,
    ],
    ['s3:DataAccessPointAccount', { StringEquals: { 's3:DataAccessPointAccount': '111122223333' } }, true],
    [
      's3:DataAccessPointArn',
      { ArnEquals: { 's3:DataAccessPointArn': 'arn:aws:s3:eu-west-1:111122223333:accesspoint/app' } },
      true,
    ],
    [
      'lambda:FunctionUrlAuthType AWS_IAM',
      { StringEquals: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } },
      true,
    ],
    [
      'lambda:FunctionUrlAuthType NONE (a public function URL)',
      { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } },
      false,
    ],
    ['aws:PrincipalIsAWSService true', { Bool: { 'aws:PrincipalIsAWSService': 'true' } }, true],
    ['aws:PrincipalIsAWSService false', { Bool: { 'aws:PrincipalIsAWSService': 'false' } }, false],
    ['a key that does not name the caller', { Bool: { 'aws:SecureTransport': 'true' } }, false],
    [
      'keys are ANDed: one restricting key is enough',
      { Bool: { 'aws:SecureTransport': 'true' }, StringEquals: { 'aws:SourceVpce': 'vpce-1' } },
      true,
    ],
    ['values are ORed: a "*" value opens it', { StringLike: { 'aws:SourceVpce': ['vpce-1', '*'] } }, false],
    ['"vpce-*" matches any endpoint, in any account', { StringLike: { 'aws:SourceVpce': 'vpce-*' } }, false],
    ['"o-*" matches any organization', { StringLike: { 'aws:PrincipalOrgID': 'o-*' } }, false],
    [
      '"arn:aws:iam::*:*" matches any principal',
      { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:*' } },
      false,
    ],
    [
      'a role name in any account does not restrict',
      { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/deployer' } },
      false,
    ],
    [
      'a role name in your account restricts',
      { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/deploy*' } },
      true,
    ],
    [
      'a topic in any account does not restrict',
      { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:*:uploads' } },
      false,
    ],
    [
      'a bucket ARN (no account segment) restricts',
      { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::example-uploads' } },
      true,
    ],
    [
      'a bucket ARN with wildcard region and account restricts (bucket names are global)',
      { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:*:*:example-uploads' } },
      true,
    ],
    [
      'a pattern that pins the endpoint restricts',
      { StringLike: { 'aws:SourceVpce': 'vpce-0a1b2c3d*' } },
      true,
    ],
    [
      'IfExists also matches requests without the key',
      { StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-1' } },
      false,
    ],
    [
      'ForAllValues: also matches requests without the key',
      { 'ForAllValues:StringEquals': { 'aws:SourceVpce': 'vpce-1' } },
      false,
    ],
    [
      'ForAnyValue: on a single-valued key behaves like the plain operator',
      { 'ForAnyValue:StringEquals': { 'aws:SourceVpce': 'vpce-1' } },
      true,
    ],
    [
      'a negated operator in an Allow lets everyone else in',
      { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } },
      false,
    ],
    ['Null false only asks for the key to be present', { Null: { 'aws:SourceVpce': 'false' } }, false],
  ];
  for (const [name, condition, expected] of rows)
    it(`${expected ? 'restricts' : 'does not restrict'}: ${name}`, () => {
      expect(restricted(condition)).toBe(expected);
    });

  const deny = (condition?: object, extra: object = {}): object => ({
    Effect: 'Deny',
    Principal: '*',
    Action: 'kms:*',
    Resource: '*',
    ...(condition ? { Condition: condition } : {}),
    ...extra,
  });
  const denyRows: [string, object, boolean][] = [
    [
      'Deny unless aws:SourceVpce (StringNotEquals)',
      deny({ StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } }),
      true,
    ],
    [
      'Deny unless aws:SourceVpc, with an AWS service exception',
      deny({
        StringNotEquals: { 'aws:SourceVpc': 'vpc-1' },
        BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
      }),
      true,
    ],
    [
      'Deny unless the organization or the endpoint',
      deny({ StringNotEquals: { 'aws:PrincipalOrgID': 'o-1', 'aws:SourceVpce': 'vpce-1' } }),
      true,
    ],
    [
      'Deny unless NotIpAddress aws:SourceIp',
      deny({ NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }),
      true,
    ],
    ['Deny when Null aws:SourceVpce', deny({ Null: { 'aws:SourceVpce': 'true' } }), true],
    ['Deny with no condition', deny(), true],
    [
      'Deny with StringNotEqualsIfExists lets requests without the key through',
      deny({ StringNotEqualsIfExists: { 'aws:SourceVpce': 'vpce-1' } }),
      false,
    ],
    [
      'Deny of a blocklist (IpAddress) is not a restriction',
      deny({ IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } }),
      false,
    ],
    [
      'Deny ANDed with a non-restricting key only denies part of the requests',
      deny({ StringNotEquals: { 'aws:SourceVpce': 'vpce-1' }, Bool: { 'aws:SecureTransport': 'false' } }),
      false,
    ],
    [
      'Deny that covers other actions only',
      deny({ StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } }, { Action: 'kms:Encrypt' }),
      false,
    ],
    [
      'Deny for a named principal',
      deny(
        { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } },
        { Principal: { AWS: 'arn:aws:iam::111122223333:root' } },
      ),
      false,
    ],
    [
      'Deny unless any endpoint (StringNotLike "vpce-*") leaves every endpoint in',
      deny({ StringNotLike: { 'aws:SourceVpce': 'vpce-*' } }),
      false,
    ],
    [
      'Deny with NotAction that leaves the action covered',
      deny(
        { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } },
        { Action: undefined, NotAction: 'kms:Encrypt' },
      ),
      true,
    ],
  ];
  for (const [name, statement, expected] of denyRows)
    it(`${expected ? 'confines' : 'does not confine'}: ${name}`, () => {
      expect(restricted(undefined, [statement])).toBe(expected);
    });
});

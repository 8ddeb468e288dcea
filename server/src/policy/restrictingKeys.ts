// Condition keys that restrict who can use a statement whose principal is "*": each pins the
// caller's account, organization, identity, network path or the resource it acts for. Kept as
// data with the AWS reference that says so; covered by restrictingKeys.test.ts.

export interface RestrictingKey {
  key: string;
  /** What a positive condition on the key limits the caller to. */
  restricts: string;
  /** The AWS documentation that defines the key. */
  reference: string;
  /** Only these values restrict (case-insensitive); others leave the statement open. */
  values?: readonly string[];
  /** Restricts only together with this key in the same statement (it does not pin the account alone). */
  with?: string;
}

const GLOBAL = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html';

export const RESTRICTING_KEYS: readonly RestrictingKey[] = [
  {
    key: 'aws:PrincipalOrgID',
    restricts: 'principals of an AWS organization',
    reference: `${GLOBAL}#condition-keys-principalorgid`,
  },
  {
    key: 'aws:PrincipalOrgPaths',
    restricts: 'principals of organizational units',
    reference: `${GLOBAL}#condition-keys-principalorgpaths`,
  },
  {
    key: 'aws:PrincipalAccount',
    restricts: 'principals of the listed accounts',
    reference: `${GLOBAL}#condition-keys-principalaccount`,
  },
  {
    key: 'aws:PrincipalArn',
    restricts: 'the listed principals',
    reference: `${GLOBAL}#condition-keys-principalarn`,
  },
  { key: 'aws:userid', restricts: 'the listed principal ids', reference: `${GLOBAL}#condition-keys-userid` },
  {
    key: 'aws:PrincipalIsAWSService',
    restricts: 'AWS service principals',
    reference: `${GLOBAL}#condition-keys-principalisawsservice`,
    values: ['true'],
  },
  {
    key: 'aws:PrincipalServiceName',
    restricts: 'the listed AWS service principals',
    reference: `${GLOBAL}#condition-keys-principalservicename`,
  },
  {
    key: 'aws:SourceVpce',
    restricts: 'requests through the listed VPC endpoints',
    reference: `${GLOBAL}#condition-keys-sourcevpce`,
  },
  {
    key: 'aws:SourceVpc',
    restricts: 'requests from the listed VPCs',
    reference: `${GLOBAL}#condition-keys-sourcevpc`,
  },
  {
    key: 'aws:SourceVpcArn',
    restricts: 'requests from the listed VPCs',
    reference: `${GLOBAL}#condition-keys-sourcevpcarn`,
  },
  {
    key: 'aws:SourceIp',
    restricts: 'requests from the listed public addresses',
    reference: `${GLOBAL}#condition-keys-sourceip`,
  },
  {
    key: 'aws:VpcSourceIp',
    restricts: 'requests from the listed VPC addresses',
    reference: `${GLOBAL}#condition-keys-vpcsourceip`,
  },
  {
    key: 'aws:SourceAccount',
    restricts: 'a service acting for resources of the listed accounts',
    reference: `${GLOBAL}#condition-keys-sourceaccount`,
  },
  {
    key: 'aws:SourceArn',
    restricts: 'a service acting for the listed resources',
    reference: `${GLOBAL}#condition-keys-sourcearn`,
  },
  {
    key: 'aws:SourceOrgID',
    restricts: 'a service acting for resources of an organization',
    reference: `${GLOBAL}#condition-keys-sourceorgid`,
  },
  {
    key: 'aws:SourceOrgPaths',
    restricts: 'a service acting for resources of organizational units',
    reference: `${GLOBAL}#condition-keys-sourceorgpaths`,
  },
  {
    key: 'aws:SourceOwner',
    restricts: 'a service acting for resources of the listed accounts',
    reference: 'https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html',
  },
  {
    key: 'kms:CallerAccount',
    restricts: 'principals of the listed accounts',
    reference:
      'https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-caller-account',
  },
  {
    key: 'kms:ViaService',
    restricts: 'requests made through the listed AWS services',
    reference:
      'https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service',
    with: 'kms:CallerAccount',
  },
  {
    key: 's3:DataAccessPointAccount',
    restricts: 'requests through access points of the listed accounts',
    reference:
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html#access-points-delegating-control',
  },
  {
    key: 's3:DataAccessPointArn',
    restricts: 'requests through the listed access points',
    reference:
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html#access-points-condition-keys',
  },
  {
    key: 'lambda:FunctionUrlAuthType',
    restricts: 'IAM-authenticated calls to the function URL',
    reference: 'https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html',
    values: ['AWS_IAM'],
  },
];

const BY_KEY = new Map(RESTRICTING_KEYS.map((k) => [k.key.toLowerCase(), k]));

export function restrictingKey(key: string): RestrictingKey | undefined {
  return BY_KEY.get(key.toLowerCase());
}

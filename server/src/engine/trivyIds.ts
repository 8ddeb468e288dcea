// trivy's (formerly tfsec's) check ids -> our rule ids, for `#trivy:ignore:<id>` and
// `#tfsec:ignore:<id>` comments in Terraform. Only checks whose meaning matches one of our rules
// are listed; a suppression with an id that is not here is left to trivy. Both spellings are
// accepted: the current `aws-ec2-*` names and the earlier `aws-vpc-*` ones, and the AVD ids
// confirmed in trivy's docs and issues (AVD-AWS-0104 public egress, AVD-AWS-0107 public ingress).
// https://aquasecurity.github.io/trivy/latest/docs/scanner/misconfiguration/#skipping-resources-by-inline-comments

const EXPOSURE = [
  'ssh-open-to-internet',
  'rdp-open-to-internet',
  'all-ports-open-to-internet',
  'sensitive-port-open-to-internet',
  'port-open-to-internet',
  'wide-public-cidr',
];

const TABLE: Record<string, string[]> = {
  'aws-ec2-no-public-ingress-sgr': EXPOSURE,
  'aws-vpc-no-public-ingress-sgr': EXPOSURE,
  'aws-vpc-no-public-ingress-sg': EXPOSURE,
  'avd-aws-0107': EXPOSURE,
  'aws-ec2-no-public-egress-sgr': ['egress-open-to-internet'],
  'aws-vpc-no-public-egress-sgr': ['egress-open-to-internet'],
  'avd-aws-0104': ['egress-open-to-internet'],
  'aws-ec2-no-public-ingress-acl': ['nacl-open-to-internet'],
  'aws-vpc-no-public-ingress-acl': ['nacl-open-to-internet'],
  'aws-ec2-enforce-http-token-imds': ['imdsv1-allowed'],
  'aws-ec2-enforce-launch-config-http-token-imds': ['imdsv1-allowed'],
  'aws-ec2-no-public-ip-subnet': ['subnet-auto-assigns-public-ip'],
  'aws-ec2-require-vpc-flow-logs-for-all-vpcs': ['vpc-flow-logs-missing'],
  'aws-elb-http-not-used': ['http-listener-not-redirected'],
  'aws-elb-use-secure-tls-policy': ['outdated-tls-allowed'],
  'aws-cloudfront-use-secure-tls-policy': ['outdated-tls-allowed'],
  'aws-elastic-search-use-secure-tls-policy': ['outdated-tls-allowed'],
  'aws-api-gateway-use-secure-tls-policy': ['outdated-tls-allowed'],
  'aws-cloudfront-enforce-https': ['cloudfront-allows-http'],
  'aws-rds-no-public-db-access': ['database-publicly-accessible'],
  'aws-eks-no-public-cluster-access': ['eks-endpoint-open-to-internet'],
  'aws-eks-no-public-cluster-access-to-cidr': ['eks-endpoint-open-to-internet'],
  'aws-elasticache-enable-in-transit-encryption': ['cache-transit-encryption-disabled'],
  'aws-elastic-search-enforce-https': ['search-https-not-enforced'],
  'aws-elastic-search-enable-in-transit-encryption': ['search-node-to-node-encryption-disabled'],
  'aws-msk-enable-in-transit-encryption': ['msk-plaintext-allowed'],
};

/** Our rule ids for a trivy / tfsec check id (any case); undefined when it maps to none. */
export function rulesForTrivyId(id: string): Set<string> | undefined {
  const rules = TABLE[id.toLowerCase()];
  return rules ? new Set(rules) : undefined;
}

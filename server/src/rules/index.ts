// The rule registry. Add a rule: create its folder (npm run new-rule <id>) and list it here.

import { sshOpenToInternet } from './ssh-open-to-internet/rule';
import { allPortsOpenToInternet } from './all-ports-open-to-internet/rule';
import { defaultSecurityGroupHasRules } from './default-security-group-has-rules/rule';
import { egressOpenToInternet } from './egress-open-to-internet/rule';
import { eksEndpointOpenToInternet } from './eks-endpoint-open-to-internet/rule';
import { naclDuplicateRuleNumber } from './nacl-duplicate-rule-number/rule';
import { naclOpenToInternet } from './nacl-open-to-internet/rule';
import { portOpenToInternet } from './port-open-to-internet/rule';
import { rdpOpenToInternet } from './rdp-open-to-internet/rule';
import { sensitivePortOpenToInternet } from './sensitive-port-open-to-internet/rule';
import { widePublicCidr } from './wide-public-cidr/rule';
import { iamPolicyInvalid } from './iam-policy-invalid/rule';
import { publicPrincipalWithoutCondition } from './public-principal-without-condition/rule';
import { networkConditionIneffective } from './network-condition-ineffective/rule';
import { allowWithNotPrincipal } from './allow-with-not-principal/rule';
import { imdsv1Allowed } from './imdsv1-allowed/rule';
import { imdsHopLimitTooHigh } from './imds-hop-limit-too-high/rule';
import { httpListenerNotRedirected } from './http-listener-not-redirected/rule';
import { outdatedTlsAllowed } from './outdated-tls-allowed/rule';
import { cloudfrontAllowsHttp } from './cloudfront-allows-http/rule';
import { cloudfrontDefaultCertificate } from './cloudfront-default-certificate/rule';
import { cloudfrontOriginPlaintext } from './cloudfront-origin-plaintext/rule';
import { cacheTransitEncryptionDisabled } from './cache-transit-encryption-disabled/rule';
import { searchHttpsNotEnforced } from './search-https-not-enforced/rule';
import { searchNodeToNodeEncryptionDisabled } from './search-node-to-node-encryption-disabled/rule';
import { mskPlaintextAllowed } from './msk-plaintext-allowed/rule';
import { databaseTlsNotEnforced } from './database-tls-not-enforced/rule';
import { s3SecureTransportNotEnforced } from './s3-secure-transport-not-enforced/rule';
import { efsTransitEncryptionDisabled } from './efs-transit-encryption-disabled/rule';
import { ftpProtocolEnabled } from './ftp-protocol-enabled/rule';
import { databasePubliclyAccessible } from './database-publicly-accessible/rule';
import { servicePubliclyAccessible } from './service-publicly-accessible/rule';
import { instancePublicIp } from './instance-public-ip/rule';
import { subnetAutoAssignsPublicIp } from './subnet-auto-assigns-public-ip/rule';
import { internetExposurePath } from './internet-exposure-path/rule';
import { gatewayEndpointMissing } from './gateway-endpoint-missing/rule';
import { interfaceEndpointMissing } from './interface-endpoint-missing/rule';
import { vpcEndpointPolicyUnrestricted } from './vpc-endpoint-policy-unrestricted/rule';
import { vpcFlowLogsMissing } from './vpc-flow-logs-missing/rule';
import { emrTransitEncryptionDisabled } from './emr-transit-encryption-disabled/rule';
import type { Rule } from './types';

export const ALL_RULES: readonly Rule[] = [
  emrTransitEncryptionDisabled,
  sshOpenToInternet,
  rdpOpenToInternet,
  allPortsOpenToInternet,
  sensitivePortOpenToInternet,
  portOpenToInternet,
  widePublicCidr,
  egressOpenToInternet,
  defaultSecurityGroupHasRules,
  naclOpenToInternet,
  naclDuplicateRuleNumber,
  eksEndpointOpenToInternet,
  imdsv1Allowed,
  imdsHopLimitTooHigh,
  httpListenerNotRedirected,
  outdatedTlsAllowed,
  cloudfrontAllowsHttp,
  cloudfrontDefaultCertificate,
  cloudfrontOriginPlaintext,
  cacheTransitEncryptionDisabled,
  searchHttpsNotEnforced,
  searchNodeToNodeEncryptionDisabled,
  mskPlaintextAllowed,
  databaseTlsNotEnforced,
  s3SecureTransportNotEnforced,
  efsTransitEncryptionDisabled,
  ftpProtocolEnabled,
  databasePubliclyAccessible,
  servicePubliclyAccessible,
  instancePublicIp,
  subnetAutoAssignsPublicIp,
  internetExposurePath,
  gatewayEndpointMissing,
  interfaceEndpointMissing,
  vpcEndpointPolicyUnrestricted,
  vpcFlowLogsMissing,
  iamPolicyInvalid,
  publicPrincipalWithoutCondition,
  networkConditionIneffective,
  allowWithNotPrincipal,
];

const byId = new Map(ALL_RULES.map((r) => [r.meta.id, r]));

export function ruleById(id: string): Rule | undefined {
  return byId.get(id);
}

// TLS policy names -> the lowest protocol version they accept. AWS keeps adding policies
// (`ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09`, `TLSv1.2_2025`, `SecurityPolicy_TLS13_1_3_2025_09`),
// so versions are read from the name by pattern, never from a list. A name no pattern knows is
// unknown (undefined): never a finding.

export interface TlsPolicy {
  /** The lowest protocol accepted: 0 for SSLv3, else 1.0, 1.1, 1.2, 1.3. */
  min: number;
  /** A FIPS policy (the fix keeps FIPS). */
  fips: boolean;
  /** A post-quantum hybrid key-exchange policy. */
  pq: boolean;
}

const SSL3 = 0;

/** "SSLv3", "TLS 1.0" ... for messages. */
export function tlsLabel(min: number): string {
  return min === SSL3 ? 'SSLv3' : `TLS ${min.toFixed(1)}`;
}

/** True when the policy accepts a protocol below TLS 1.2. */
export function allowsBelow12(policy: TlsPolicy | undefined): boolean {
  return policy !== undefined && policy.min < 1.2;
}

export function parseTlsPolicy(name: string): TlsPolicy | undefined {
  const text = name.trim();
  if (!text) return undefined;
  const fips = /(^|[-_])FIPS([-_]|$)/i.test(text);
  const pq = /(^|[-_])PQ([-_]|$)/i.test(text);
  const min = minimumOf(text);
  return min === undefined ? undefined : { min, fips, pq };
}

function minimumOf(text: string): number | undefined {
  let m: RegExpExecArray | null;
  // CloudFront: SSLv3, TLSv1, TLSv1_2016, TLSv1.1_2016, TLSv1.2_2018/2019/2021/2025, TLSv1.3_2025.
  if (/^SSLv3$/i.test(text)) return SSL3;
  if ((m = /^TLSv1(?:\.(\d))?(?:_\d{4})?$/i.exec(text))) return 1 + Number(m[1] ?? 0) / 10;
  // OpenSearch: Policy-Min-TLS-1-0-2019-07, Policy-Min-TLS-1-2-PFS-2023-10.
  if ((m = /^Policy-Min-TLS-1-(\d)(?:-|$)/i.exec(text))) return 1 + Number(m[1]) / 10;
  // API Gateway legacy (TLS_1_0, TLS_1_2) and enhanced (SecurityPolicy_TLS13_1_3_2025_09,
  // SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09, SecurityPolicy_TLS13_2025_EDGE, SecurityPolicy_TLS12_2018_EDGE).
  if ((m = /^TLS_1_(\d)$/i.exec(text))) return 1 + Number(m[1]) / 10;
  if (/^SecurityPolicy_/i.test(text)) {
    if ((m = /_TLS1[23]_1_(\d)(?:_|$)/i.exec(text))) return 1 + Number(m[1]) / 10;
    if (/_TLS13(?:_|$)/i.test(text)) return 1.3;
    if (/_TLS12(?:_|$)/i.test(text)) return 1.2;
    return undefined;
  }
  // Elastic Load Balancing: ELBSecurityPolicy-TLS13-1-2-2021-06, ELBSecurityPolicy-TLS-1-1-2017-01,
  // ELBSecurityPolicy-FS-1-2-Res-2020-10, ELBSecurityPolicy-2016-08, ELBSecurityPolicy-FS-2018-06.
  const elb = /^ELBSecurityPolicy-(.+)$/i.exec(text)?.[1];
  if (elb !== undefined) {
    if ((m = /^(?:TLS13|TLS|FS)-1-(\d)(?:-|$)/i.exec(elb))) return 1 + Number(m[1]) / 10;
    if ((m = /^(?:FS-)?(\d{4})-(\d{2})$/.exec(elb))) {
      // The 2011-08 and 2014-01 policies still enable SSLv3 (POODLE); later dated ones start at TLS 1.0.
      const date = Number(m[1]) * 100 + Number(m[2]);
      return date <= 201401 ? SSL3 : 1.0;
    }
  }
  return undefined;
}

/** The ELBv2 policy to move to: TLS 1.2 minimum with TLS 1.3, keeping FIPS when it was used. */
export function secureElbPolicy(current: TlsPolicy | undefined): string {
  return current?.fips ? 'ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04' : 'ELBSecurityPolicy-TLS13-1-2-2021-06';
}

/** Classic Load Balancers have no TLS 1.3 policies; this is their TLS 1.2 reference policy. */
export const CLASSIC_ELB_SECURE_POLICY = 'ELBSecurityPolicy-TLS-1-2-2017-01';
export const ELB_DEFAULT_POLICY = 'ELBSecurityPolicy-2016-08';
export const API_GATEWAY_SECURE_POLICY = 'TLS_1_2';
export const SEARCH_SECURE_POLICY = 'Policy-Min-TLS-1-2-PFS-2023-10';
/** CloudSearch offers only Policy-Min-TLS-1-0-2019-07 (its default) and this one. */
export const CLOUDSEARCH_SECURE_POLICY = 'Policy-Min-TLS-1-2-2019-07';
export const CLOUDSEARCH_DEFAULT_POLICY = 'Policy-Min-TLS-1-0-2019-07';
export const CLOUDFRONT_SECURE_VERSION = 'TLSv1.2_2021';

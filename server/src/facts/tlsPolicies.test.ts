import { describe, expect, it } from 'vitest';
import { allowsBelow12, parseTlsPolicy, secureElbPolicy, tlsLabel } from './tlsPolicies';

// [name, minimum (0 = SSLv3), fips, pq]; undefined minimum = unknown name.
const TABLE: [string, number | undefined, boolean?, boolean?][] = [
  // ELBv2 / Classic
  ['ELBSecurityPolicy-2016-08', 1.0],
  ['ELBSecurityPolicy-2015-05', 1.0],
  ['ELBSecurityPolicy-2015-03', 1.0],
  ['ELBSecurityPolicy-2014-10', 1.0],
  ['ELBSecurityPolicy-2014-01', 0],
  ['ELBSecurityPolicy-2011-08', 0],
  ['ELBSecurityPolicy-TLS-1-0-2015-04', 1.0],
  ['ELBSecurityPolicy-TLS-1-1-2017-01', 1.1],
  ['ELBSecurityPolicy-TLS-1-2-2017-01', 1.2],
  ['ELBSecurityPolicy-TLS-1-2-Ext-2018-06', 1.2],
  ['ELBSecurityPolicy-FS-2018-06', 1.0],
  ['ELBSecurityPolicy-FS-1-1-2019-08', 1.1],
  ['ELBSecurityPolicy-FS-1-2-2019-08', 1.2],
  ['ELBSecurityPolicy-FS-1-2-Res-2020-10', 1.2],
  ['ELBSecurityPolicy-TLS13-1-0-2021-06', 1.0],
  ['ELBSecurityPolicy-TLS13-1-1-2021-06', 1.1],
  ['ELBSecurityPolicy-TLS13-1-2-2021-06', 1.2],
  ['ELBSecurityPolicy-TLS13-1-2-Res-2021-06', 1.2],
  ['ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06', 1.2],
  ['ELBSecurityPolicy-TLS13-1-3-2021-06', 1.3],
  ['ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04', 1.0, true],
  ['ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04', 1.2, true],
  ['ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09', 1.2, false, true],
  ['ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09', 1.2, true, true],
  ['ELBSecurityPolicy-TLS13-1-3-PQ-2025-09', 1.3, false, true],
  ['ELBSecurityPolicy-TLS13-1-0-PQ-2025-09', 1.0, false, true],
  ['elbsecuritypolicy-tls13-1-1-2021-06', 1.1],
  // API Gateway
  ['TLS_1_0', 1.0],
  ['TLS_1_2', 1.2],
  ['SecurityPolicy_TLS13_1_3_2025_09', 1.3],
  ['SecurityPolicy_TLS13_1_3_FIPS_2025_09', 1.3, true],
  ['SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09', 1.2, false, true],
  ['SecurityPolicy_TLS13_1_2_2021_06', 1.2],
  ['SecurityPolicy_TLS13_2025_EDGE', 1.3],
  ['SecurityPolicy_TLS12_PFS_2025_EDGE', 1.2],
  ['SecurityPolicy_TLS12_2018_EDGE', 1.2],
  // OpenSearch / Elasticsearch
  ['Policy-Min-TLS-1-0-2019-07', 1.0],
  ['Policy-Min-TLS-1-2-2019-07', 1.2],
  ['Policy-Min-TLS-1-2-PFS-2023-10', 1.2],
  // CloudFront
  ['SSLv3', 0],
  ['TLSv1', 1.0],
  ['TLSv1_2016', 1.0],
  ['TLSv1.1_2016', 1.1],
  ['TLSv1.1', 1.1],
  ['TLSv1.2', 1.2],
  ['TLSv1.2_2018', 1.2],
  ['TLSv1.2_2019', 1.2],
  ['TLSv1.2_2021', 1.2],
  ['TLSv1.2_2025', 1.2],
  ['TLSv1.3_2025', 1.3],
  // Unknown: never a finding
  ['ELBSecurityPolicy-Custom', undefined],
  ['MyCustomPolicy', undefined],
  ['', undefined],
  ['SecurityPolicy_Unknown', undefined],
  ['TLSv2', undefined],
];

describe('parseTlsPolicy', () => {
  it.each(TABLE)('%s', (name, min, fips = false, pq = false) => {
    const parsed = parseTlsPolicy(name);
    if (min === undefined) expect(parsed).toBeUndefined();
    else expect(parsed).toEqual({ min, fips, pq });
  });

  it('below 1.2, labels and the fix policy', () => {
    expect(allowsBelow12(parseTlsPolicy('TLSv1.2_2025'))).toBe(false);
    expect(allowsBelow12(parseTlsPolicy('TLSv1.1_2016'))).toBe(true);
    expect(allowsBelow12(undefined)).toBe(false);
    expect(tlsLabel(0)).toBe('SSLv3');
    expect(tlsLabel(1)).toBe('TLS 1.0');
    expect(tlsLabel(1.1)).toBe('TLS 1.1');
    expect(secureElbPolicy(parseTlsPolicy('ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04'))).toBe(
      'ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04',
    );
    expect(secureElbPolicy(parseTlsPolicy('ELBSecurityPolicy-2016-08'))).toBe(
      'ELBSecurityPolicy-TLS13-1-2-2021-06',
    );
  });
});

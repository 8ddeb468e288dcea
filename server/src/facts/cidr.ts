// CIDRs compared numerically (RULES.md §0): IPv4 and IPv6, host bits normalised, any prefix of
// length 0 is the whole internet, and a set of ranges can cover it together.

export interface Cidr {
  version: 4 | 6;
  /** First address of the range. */
  first: bigint;
  /** Last address of the range. */
  last: bigint;
  prefix: number;
  text: string;
}

const V4_BITS = 32n;
const V6_BITS = 128n;

export function parseCidr(text: string): Cidr | undefined {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const address = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const prefixText = slash < 0 ? undefined : trimmed.slice(slash + 1);
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  if (address.includes(':')) {
    const value = parseIpv6(address);
    if (value === undefined) return undefined;
    const prefix = prefixText === undefined ? 128 : Number(prefixText);
    if (prefix > 128) return undefined;
    return range(6, value, prefix, V6_BITS, trimmed);
  }
  const value = parseIpv4(address);
  if (value === undefined) return undefined;
  const prefix = prefixText === undefined ? 32 : Number(prefixText);
  if (prefix > 32) return undefined;
  return range(4, value, prefix, V4_BITS, trimmed);
}

function range(version: 4 | 6, value: bigint, prefix: number, bits: bigint, text: string): Cidr {
  const hostBits = bits - BigInt(prefix);
  const mask = (1n << hostBits) - 1n;
  const first = value & ~mask & ((1n << bits) - 1n);
  return { version, first, last: first | mask, prefix, text };
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  let address = text;
  // An embedded IPv4 tail (::ffff:1.2.3.4).
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  let tail: bigint[] = [];
  if (v4) {
    const value = parseIpv4(v4[1]!);
    if (value === undefined) return undefined;
    tail = [value >> 16n, value & 0xffffn];
    address = address.slice(0, -v4[1]!.length) + '0:0';
  }
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const groups =
    halves.length === 2
      ? [...head, ...Array(Math.max(0, 8 - head.length - rest.length)).fill('0'), ...rest]
      : head;
  if (groups.length !== 8) return undefined;
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  if (tail.length) value = ((value >> 32n) << 32n) | (tail[0]! << 16n) | tail[1]!;
  return value;
}

export function isWholeInternet(cidr: Cidr): boolean {
  return cidr.prefix === 0;
}

export function contains(outer: Cidr, inner: Cidr): boolean {
  return outer.version === inner.version && outer.first <= inner.first && inner.last <= outer.last;
}

const PRIVATE = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10', // CGNAT
  '169.254.0.0/16', // link-local
  '127.0.0.0/8',
  'fc00::/7', // ULA
  'fe80::/10', // link-local
  '::1/128',
].map((c) => parseCidr(c)!);

/** A range entirely inside private, shared or link-local space. */
export function isPrivate(cidr: Cidr): boolean {
  return PRIVATE.some((p) => contains(p, cidr));
}

/** A range entirely inside one of the trusted ranges. */
export function isTrusted(cidr: Cidr, trusted: readonly Cidr[]): boolean {
  return trusted.some((t) => contains(t, cidr));
}

/** True when the ranges together cover every address of their version. */
export function coverAll(cidrs: readonly Cidr[], version: 4 | 6): boolean {
  const max = (1n << (version === 4 ? V4_BITS : V6_BITS)) - 1n;
  const sorted = cidrs
    .filter((c) => c.version === version)
    .sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  let next = 0n;
  for (const c of sorted) {
    if (c.first > next) return false;
    if (c.last + 1n > next) next = c.last + 1n;
    if (next > max) return true;
  }
  return false;
}

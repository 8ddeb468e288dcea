// The IAM policy language: element names, condition operators and the key types they compare,
// and "did you mean" for misspellings. Facts from the IAM JSON policy reference.

export const POLICY_ELEMENTS = ['Version', 'Id', 'Statement'] as const;
export const STATEMENT_ELEMENTS = [
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
] as const;
export const PRINCIPAL_TYPES = ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const;
export const VERSIONS = ['2012-10-17', '2008-10-17'] as const;

export type OperatorFamily = 'String' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'Ip' | 'Arn' | 'Null';

interface BaseOperator {
  family: OperatorFamily;
  negated: boolean;
}

export const BASE_OPERATORS: Record<string, BaseOperator> = {
  StringEquals: { family: 'String', negated: false },
  StringNotEquals: { family: 'String', negated: true },
  StringEqualsIgnoreCase: { family: 'String', negated: false },
  StringNotEqualsIgnoreCase: { family: 'String', negated: true },
  StringLike: { family: 'String', negated: false },
  StringNotLike: { family: 'String', negated: true },
  NumericEquals: { family: 'Numeric', negated: false },
  NumericNotEquals: { family: 'Numeric', negated: true },
  NumericLessThan: { family: 'Numeric', negated: false },
  NumericLessThanEquals: { family: 'Numeric', negated: false },
  NumericGreaterThan: { family: 'Numeric', negated: false },
  NumericGreaterThanEquals: { family: 'Numeric', negated: false },
  DateEquals: { family: 'Date', negated: false },
  DateNotEquals: { family: 'Date', negated: true },
  DateLessThan: { family: 'Date', negated: false },
  DateLessThanEquals: { family: 'Date', negated: false },
  DateGreaterThan: { family: 'Date', negated: false },
  DateGreaterThanEquals: { family: 'Date', negated: false },
  Bool: { family: 'Bool', negated: false },
  BinaryEquals: { family: 'Binary', negated: false },
  IpAddress: { family: 'Ip', negated: false },
  NotIpAddress: { family: 'Ip', negated: true },
  ArnEquals: { family: 'Arn', negated: false },
  ArnLike: { family: 'Arn', negated: false },
  ArnNotEquals: { family: 'Arn', negated: true },
  ArnNotLike: { family: 'Arn', negated: true },
  Null: { family: 'Null', negated: false },
};

export interface Operator {
  /** As written. */
  text: string;
  /** The base operator as AWS spells it (StringEquals). */
  base: string;
  family: OperatorFamily;
  negated: boolean;
  ifExists: boolean;
  set: 'ForAllValues' | 'ForAnyValue' | undefined;
}

const BASE_BY_LOWER = new Map(Object.keys(BASE_OPERATORS).map((k) => [k.toLowerCase(), k]));

/** Parses `ForAnyValue:StringEqualsIfExists`; undefined when the operator is not one IAM knows. */
export function parseOperator(text: string): Operator | undefined {
  let rest = text;
  let set: Operator['set'];
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const prefix = rest.slice(0, colon).toLowerCase();
    if (prefix === 'forallvalues') set = 'ForAllValues';
    else if (prefix === 'foranyvalue') set = 'ForAnyValue';
    else return undefined;
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  if (rest.toLowerCase().endsWith('ifexists') && rest.length > 8) {
    ifExists = true;
    rest = rest.slice(0, -8);
  }
  const base = BASE_BY_LOWER.get(rest.toLowerCase());
  if (!base) return undefined;
  if (base === 'Null' && (ifExists || set)) return undefined;
  const info = BASE_OPERATORS[base]!;
  return { text, base, family: info.family, negated: info.negated, ifExists, set };
}

/** Every operator spelling, for "did you mean" and completion. */
export function allOperators(): string[] {
  const out: string[] = [];
  for (const base of Object.keys(BASE_OPERATORS)) {
    out.push(base);
    if (base === 'Null') continue;
    out.push(`${base}IfExists`);
  }
  return out;
}

/** The operator with its set prefix, as AWS spells it. */
export function spell(op: Pick<Operator, 'base' | 'ifExists' | 'set'>): string {
  return `${op.set ? `${op.set}:` : ''}${op.base}${op.ifExists ? 'IfExists' : ''}`;
}

/**
 * Whether an operator family can compare a key of this type (String, ARN, Numeric, Date, Bool,
 * IPAddress, Binary). Only clear mismatches are false (an address compared as text, a number
 * compared to an ARN); string operators on ARN or Bool keys and numeric operators on dates
 * (epoch seconds) work in IAM, and String keys may hold anything.
 */
export function compatible(family: OperatorFamily, keyType: string): boolean {
  switch (family) {
    case 'Null':
    case 'Binary':
      return true;
    case 'Ip':
      return keyType === 'IPAddress';
    case 'String':
      return keyType !== 'IPAddress';
    case 'Numeric':
    case 'Date':
      return keyType !== 'IPAddress' && keyType !== 'ARN' && keyType !== 'Bool';
    case 'Bool':
      return keyType === 'Bool' || keyType === 'String';
    case 'Arn':
      return keyType === 'ARN' || keyType === 'String';
  }
}

/** The operator family that compares a key type. */
export function familyFor(keyType: string): string {
  switch (keyType) {
    case 'IPAddress':
      return 'IpAddress / NotIpAddress';
    case 'Numeric':
      return 'Numeric…';
    case 'Date':
      return 'Date…';
    case 'Bool':
      return 'Bool';
    case 'ARN':
      return 'Arn… or String…';
    default:
      return 'String…';
  }
}

/** Levenshtein distance, bounded: returns max + 1 as soon as it is exceeded. */
export function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = new Array<number>(b.length + 1);
  let current = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}

/**
 * The one candidate nearest to a misspelt word (case-insensitive), when it is close enough:
 * at most 1 edit for short words, 2 for longer, 3 for long ones. Ties give no answer.
 */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  const max = lower.length <= 4 ? 1 : lower.length <= 10 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = max + 1;
  let tie = false;
  for (const candidate of candidates) {
    const d = distance(lower, candidate.toLowerCase(), max);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
      tie = false;
    } else if (d === bestDistance && best !== undefined && best.toLowerCase() !== candidate.toLowerCase())
      tie = true;
  }
  return best !== undefined && bestDistance <= max && !tie ? best : undefined;
}

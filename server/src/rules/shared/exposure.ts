// Shared by the "open to the internet" rules: which CIDR sources of a security-group rule are
// the whole internet (alone, or together with other ranges of the same group and ports), the
// wording of what a finding rests on (a parameter default, a condition branch), and the two
// fixes every such rule offers (restrict to a new parameter; remove the rule).

import type { Settings } from '../../engine/settings';
import type { Cidr } from '../../facts/cidr';
import { coverAll, isTrusted, parseCidr } from '../../facts/cidr';
import type { CidrSource, PortRange, SecurityGroupRule } from '../../facts/securityGroups';
import type { FixOp, FixRecipe } from '../../fixes/recipe';
import type { TemplateDocument } from '../../model/document';
import type { Via } from '../../resolve/values';
import type { RelatedInfo } from '../types';

export interface OpenSource {
  source: CidrSource;
  cidr: Cidr;
  via: Via[];
  /** Set when no single range is the internet but this one and these others cover it together. */
  together?: Cidr[];
  /** True when only some possibilities (a branch, an allowed value) are open. */
  partial: boolean;
}

const trustedCache = new WeakMap<Settings, Cidr[]>();

function trustedOf(settings: Settings): Cidr[] {
  let trusted = trustedCache.get(settings);
  if (!trusted) {
    trusted = settings.trustedCidrs
      .map((t) => parseCidr(t))
      .filter((c): c is Cidr => c !== undefined && c.prefix > 0);
    trustedCache.set(settings, trusted);
  }
  return trusted;
}

/**
 * The sources of `rule` that open it to the whole internet. `peers` are the rules of the same
 * group and direction, used for ranges that cover the internet only together.
 */
export function internetSources(
  rule: SecurityGroupRule,
  peers: SecurityGroupRule[],
  settings: Settings,
): OpenSource[] {
  const trusted = trustedOf(settings);
  const out: OpenSource[] = [];
  for (const source of rule.cidrs) {
    const cidrs = source.possibilities.map((p) => ({
      p,
      cidr: typeof p.value === 'string' ? parseCidr(p.value) : undefined,
    }));
    const open = cidrs.filter((c) => c.cidr && c.cidr.prefix === 0 && !isTrusted(c.cidr, trusted));
    if (open.length) {
      const first = open[0]!;
      out.push({ source, cidr: first.cidr!, via: first.p.via, partial: open.length < cidrs.length });
    }
  }
  if (out.length) return out;
  // Ranges that cover the internet only together (0.0.0.0/1 + 128.0.0.0/1), within the same
  // group, direction and port range.
  const samePorts = (other: SecurityGroupRule) => sameRanges(other.ranges, rule.ranges);
  const pool: { source: CidrSource; cidr: Cidr; via: Via[]; mine: boolean }[] = [];
  for (const r of [rule, ...peers.filter((p) => p !== rule && samePorts(p))]) {
    for (const source of r.cidrs) {
      if (source.possibilities.length !== 1) continue;
      const p = source.possibilities[0]!;
      const cidr = typeof p.value === 'string' ? parseCidr(p.value) : undefined;
      if (cidr && !isTrusted(cidr, trusted)) pool.push({ source, cidr, via: p.via, mine: r === rule });
    }
  }
  for (const version of [4, 6] as const) {
    const ranges = pool.filter((e) => e.cidr.version === version);
    if (
      ranges.length > 1 &&
      coverAll(
        ranges.map((e) => e.cidr),
        version,
      )
    ) {
      for (const e of ranges.filter((x) => x.mine)) {
        out.push({
          source: e.source,
          cidr: e.cidr,
          via: e.via,
          partial: false,
          together: ranges.filter((x) => x !== e).map((x) => x.cidr),
        });
      }
    }
  }
  return out;
}

function sameRanges(a: PortRange[], b: PortRange[]): boolean {
  return (
    a.length === b.length &&
    a.every((r, i) => r.protocol === b[i]!.protocol && r.from === b[i]!.from && r.to === b[i]!.to)
  );
}

/** Rules of the same group and direction (for ranges that cover the internet together). */
export function peersOf(rule: SecurityGroupRule, all: SecurityGroupRule[]): SecurityGroupRule[] {
  if (!rule.groupId) return [rule];
  return all.filter((r) => r.groupId === rule.groupId && r.direction === rule.direction);
}

/** "0.0.0.0/0", "0.0.0.0/0 (the default of parameter SshCidr)", "0.0.0.0/1, which with 128.0.0.0/1 covers ...". */
export function describeOpen(open: OpenSource): string {
  let text = open.cidr.text;
  const how = describeViaShort(open.via);
  if (how) text += ` (${how})`;
  if (open.together?.length)
    text += `, which together with ${open.together.map((c) => c.text).join(', ')} covers every address`;
  return text;
}

function describeViaShort(via: Via[]): string {
  return via
    .map((v) =>
      v.kind === 'parameter-default'
        ? `the default of ${v.parameter.name}`
        : v.kind === 'allowed-value'
          ? `an allowed value of ${v.parameter.name}`
          : `when condition ${v.condition} is ${v.branch}`,
    )
    .join(', ');
}

/** "is" or "can be", depending on whether the finding rests on one branch or allowed value. */
export function verb(open: OpenSource, range: PortRange): string {
  const conditional = open.partial || [...open.via, ...range.via].some((v) => v.kind !== 'parameter-default');
  return conditional ? 'can be' : 'is';
}

/** Related information: the parameter whose default (or allowed value) is open, the condition branch. */
export function evidence(open: OpenSource, range?: PortRange): RelatedInfo[] {
  const out: RelatedInfo[] = [];
  for (const v of [...open.via, ...(range?.via ?? [])]) {
    if (v.kind === 'parameter-default' && v.parameter.default) {
      out.push({ span: v.parameter.default, message: `Default of ${v.parameter.name}` });
    } else if (v.kind === 'allowed-value') {
      out.push({ span: v.node, message: `Allowed value of ${v.parameter.name}` });
    } else if (v.kind === 'condition') {
      out.push({ span: v.node, message: `Value when condition ${v.condition} is ${v.branch}` });
    }
  }
  return out;
}

/**
 * The fixes of an open ingress source. `param` names the new parameter (CFN, PascalCase) and
 * its Terraform variable is derived (snake_case).
 */
export function restrictFixes(
  doc: TemplateDocument,
  rule: SecurityGroupRule,
  open: OpenSource,
  param: string,
  what: string,
): FixRecipe[] {
  if (doc.format === 'plan') return []; // plans are generated; fix the configuration instead
  const fixes: FixRecipe[] = [];
  const name =
    doc.format === 'cfn'
      ? open.cidr.version === 6
        ? `${param}Ipv6`
        : param
      : snake(open.cidr.version === 6 ? `${param}Ipv6` : param);
  const fromDefault = open.via.find((v) => v.kind === 'parameter-default');
  if (fromDefault && fromDefault.kind === 'parameter-default' && fromDefault.parameter.default) {
    const parameterBody = fromDefault.parameter.node;
    const body = doc.format === 'tf' && parameterBody.kind === 'seq' ? parameterBody.items[0] : parameterBody;
    if (body?.kind === 'map') {
      fixes.push({
        title: `Remove the open default of ${fromDefault.parameter.name} (deployers must choose the allowed range)`,
        safety: 'unsafe',
        ops: [{ op: 'removeKey', map: body, key: doc.format === 'cfn' ? 'Default' : 'default' }],
      });
    }
  } else if (open.via.length === 0 && !open.together) {
    const description = `CIDR range allowed to reach ${what}; choose a narrow range, never 0.0.0.0/0.`;
    fixes.push({
      title: `Allow ${what} only from a new parameter ${name}`,
      safety: 'unsafe',
      ops: [
        {
          op: 'addParameter',
          name,
          spec: { cfn: { Type: 'String', Description: description }, tf: { type: 'string', description } },
        },
        { op: 'replace', node: open.source.node, value: { $param: name } },
      ],
    });
  }
  fixes.push(removeRuleFix(rule, open));
  return fixes;
}

function removeRuleFix(rule: SecurityGroupRule, open: OpenSource): FixRecipe {
  const list = open.source.list;
  if (list && list.items.length > 1 && list.items.includes(open.source.node)) {
    return {
      title: `Remove ${open.cidr.text} from this rule`,
      safety: 'unsafe',
      ops: [{ op: 'removeItem', seq: list, item: open.source.node }],
    };
  }
  let op: FixOp;
  switch (rule.location.kind) {
    case 'item':
      op = { op: 'removeItem', seq: rule.location.seq, item: rule.location.item };
      break;
    case 'block':
      op = { op: 'removeKey', map: rule.location.map, key: rule.location.key };
      break;
    case 'resource':
      return {
        title: `Remove the rule ${rule.resource.id}`,
        safety: 'unsafe',
        ops: [{ op: 'removeResource', id: rule.resource.id }],
      };
  }
  return { title: 'Remove this rule', safety: 'unsafe', ops: [op] };
}

function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

import type { Cidr } from '../../facts/cidr';
import { parseCidr } from '../../facts/cidr';
import type { NaclEntry } from '../../facts/networkAcls';
import { networkAclEntries } from '../../facts/networkAcls';
import type { PortRange } from '../../facts/securityGroups';
import { isAllPorts } from '../../facts/securityGroups';
import type { FixRecipe } from '../../fixes/recipe';
import type { TemplateDocument } from '../../model/document';
import { NACL_CONTROLS } from '../exposure/controls';
import type { ExposedService, OpenSource } from '../exposure/openToInternet';
import {
  describeOpen,
  evidence,
  exposedServices,
  internetSourcesOf,
  listServices,
  parameterFix,
  verb,
} from '../exposure/openToInternet';
import type { Rule } from '../types';
import docs from './rule.md?raw';

export const naclOpenToInternet: Rule = {
  meta: {
    id: 'nacl-open-to-internet',
    summary: 'A network ACL entry that lets SSH, RDP, a sensitive port or all traffic in from the internet',
    category: 'exposure',
    severity: 'warning',
    formats: ['cfn', 'tf', 'plan'],
    resourceTypes: [
      'AWS::EC2::NetworkAclEntry',
      'aws_network_acl',
      'aws_default_network_acl',
      'aws_network_acl_rule',
    ],
    fixSafety: 'unsafe',
    references: {
      aws: [
        'https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html',
        'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-21',
      ],
      cwe: ['CWE-284'],
      checkov: ['CKV_AWS_229', 'CKV_AWS_230', 'CKV_AWS_231', 'CKV_AWS_232'],
      securityHub: ['EC2.21'],
    },
  },
  docs,
  controls: NACL_CONTROLS,
  check({ doc, facts, settings, report }) {
    const ingress = networkAclEntries(facts).filter((e) => e.egress === false);
    for (const entry of ingress) {
      if (!entry.actions.includes('allow')) continue;
      const siblings = ingress.filter(
        (o) =>
          o !== entry &&
          o.acl === entry.acl &&
          o.actions.includes('allow') &&
          sameRanges(o.ranges, entry.ranges),
      );
      const opens = internetSourcesOf(
        entry.cidrs,
        siblings.flatMap((o) => o.cidrs),
        settings,
      );
      if (!opens.length) continue;
      const denies = ingress.filter((d) => d !== entry && isDenyBefore(d, entry));
      for (const range of entry.ranges) {
        if (isEphemeral(range)) continue;
        const services = exposedServices(range, settings, { admin: true });
        if (!services.length) continue;
        for (const open of opens) {
          const remaining = services.filter((s) => !deniedBefore(s, open.cidr, denies));
          if (!remaining.length) continue;
          const all = isAllPorts(range);
          const traffic =
            range.protocol === 'all' ? 'all traffic' : `every ${range.protocol.toUpperCase()} port`;
          const can = verb(open, range) !== 'is' || entry.actions.length > 1;
          const head = `Network ACL entry ${entry.number ?? '(unknown number)'}${entry.acl ? ` of ${entry.acl}` : ''} ${can ? 'can let' : 'lets'}`;
          const tail = !all
            ? `${head} ${listServices(remaining)} in from the internet: ${describeOpen(open)}, and no lower-numbered deny blocks ${remaining.length > 1 ? 'them' : 'it'}.`
            : remaining.length === services.length
              ? `${head} ${traffic} in from the internet: ${describeOpen(open)}, and no lower-numbered deny blocks SSH, RDP or database ports.`
              : `${head} ${traffic} in from the internet: ${describeOpen(open)}; lower-numbered denies do not block ${listServices(remaining)}.`;
          report({
            span: open.source.node,
            resource: entry.resource,
            message: `${tail} Network ACLs are the second layer behind security groups: deny admin and database ports from the internet with a lower rule number, or narrow the range.`,
            related: evidence(open, range),
            fixes: fixes(doc, entry, open),
          });
        }
        break; // one finding per source
      }
    }
  },
};

/** An inbound range that starts at or above 1024 and runs to 65535: replies to outbound connections (NACLs are stateless). */
function isEphemeral(range: PortRange): boolean {
  return (range.protocol === 'tcp' || range.protocol === 'udp') && range.from >= 1024 && range.to === 65535;
}

/** `d` is a definite deny evaluated before `entry` in the same ACL (or one that may be the same). */
function isDenyBefore(d: NaclEntry, entry: NaclEntry): boolean {
  if (!d.actions.length || d.actions.some((a) => a !== 'deny')) return false;
  if (d.acl !== undefined && entry.acl !== undefined && d.acl !== entry.acl) return false;
  // An unknown number may come first: never report on a guess.
  return d.number === undefined || entry.number === undefined || d.number < entry.number;
}

/** Earlier denies block this service from every address of `cidr`. */
function deniedBefore(service: ExposedService, cidr: Cidr, denies: NaclEntry[]): boolean {
  const blocking: Cidr[] = [];
  for (const d of denies) {
    if (!d.ranges.length || !d.ranges.every((r) => coversService(r, service))) continue;
    for (const source of d.cidrs) {
      const parsed = source.possibilities.map((p) =>
        typeof p.value === 'string' ? parseCidr(p.value) : undefined,
      );
      // A deny whose range cannot be known might block everything: never report on a guess.
      if (parsed.some((c) => c === undefined)) return true;
      if (parsed.length === 1) blocking.push(parsed[0]!);
    }
  }
  return unionCovers(cidr, blocking);
}

function coversService(range: PortRange, service: ExposedService): boolean {
  if (range.protocol === 'all') return true;
  return range.protocol === service.protocol && range.from <= service.from && service.to <= range.to;
}

/** The ranges together contain every address of `target`. */
function unionCovers(target: Cidr, cidrs: Cidr[]): boolean {
  const sorted = cidrs
    .filter((c) => c.version === target.version && c.last >= target.first && c.first <= target.last)
    .sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  let next = target.first;
  for (const c of sorted) {
    if (c.first > next) return false;
    if (c.last + 1n > next) next = c.last + 1n;
    if (next > target.last) return true;
  }
  return false;
}

function sameRanges(a: PortRange[], b: PortRange[]): boolean {
  return (
    a.length === b.length &&
    a.every((r, i) => r.protocol === b[i]!.protocol && r.from === b[i]!.from && r.to === b[i]!.to)
  );
}

function fixes(doc: TemplateDocument, entry: NaclEntry, open: OpenSource): FixRecipe[] {
  if (doc.format === 'plan') return [];
  const out: FixRecipe[] = [];
  if (entry.actionNode?.kind === 'scalar' && typeof entry.actionNode.value === 'string')
    out.push({
      title: 'Change this entry to deny',
      safety: 'unsafe',
      ops: [{ op: 'replace', node: entry.actionNode, value: 'deny' }],
    });
  const restrict = parameterFix(doc, open, 'AllowedNaclCidr', 'this entry', {
    title: 'Allow this entry only from a new parameter {name}',
    description: 'CIDR range this network ACL entry lets in; choose a narrow range, never 0.0.0.0/0.',
  });
  if (restrict) out.push(restrict);
  return out;
}

// Suppressions, ours and other tools'. Ours:
//   CFN   Metadata: { iac-netsec: { ignore: [ { rule: <id>, reason: <text> } ] } }   (YAML and JSON)
//   YAML  # iac-netsec-ignore <id>: <reason>       on the line above the finding (or above the
//                                                   resource's logical id, for the whole resource)
//   TF    "//": "iac-netsec-ignore <id>: <reason>" inside the resource block (a string or a list)
// Other tools', mapped through each rule's `references` (cfnLint, cfnNag, checkov ids):
//   cfn-lint  Metadata.cfn-lint.config.ignore_checks: [ids]
//   cfn_nag   Metadata.cfn_nag.rules_to_suppress: [{ id, reason }]
//   checkov   Metadata.checkov.skip: [{ id, comment }]   and   # checkov:skip=<id>:<reason>
// A suppression of ours that names an unknown rule, has no reason (or still the placeholder the
// "Suppress" action writes), or misspells a key is itself reported (rule `suppression-invalid`)
// and suppresses nothing, because a silently ignored suppression is a lie. One of ours that
// suppresses nothing (wrong line, wrong rule, finding gone) is reported as `suppression-unused`,
// with a fix that removes it.

import { rulesForTrivyId } from './trivyIds';
import type { FixOp } from '../fixes/recipe';
import type { Resource, TemplateDocument } from '../model/document';
import type { MapNode, Node, SeqNode, Span } from '../parse/tree';
import { get, entryOf, items, scalarString } from '../parse/tree';
import { ALL_RULES } from '../rules';
import type { Finding } from './finding';

export const SUPPRESSION_INVALID = 'suppression-invalid';
export const SUPPRESSION_UNUSED = 'suppression-unused';

/** The reason the "Suppress" action writes, selected for the user to type over. */
export const REASON_PLACEHOLDER = 'REASON: why this is acceptable';

/** A reason that is no reason: the placeholder, or a stand-in such as TODO. */
export function isPlaceholderReason(reason: string): boolean {
  const text = reason.trim();
  return (
    text === REASON_PLACEHOLDER ||
    /^REASON\b/.test(text) ||
    /^(todo|tbd|fixme|xxx+|reason|why|\.\.\.|…|-+|<[^>]*>)$/i.test(text) ||
    /^(todo|tbd|fixme)\b\W*$/i.test(text)
  );
}

interface Suppression {
  /** Our rule ids this suppression covers. */
  rules: Set<string>;
  reason: string;
  by: string;
  /** Applies to findings of this resource, or to findings starting on this line. */
  resourceId?: string;
  line?: number;
  /** Ours only (other tools' suppressions may be used by those tools): where it is and how to remove it. */
  ours?: { span: Span; remove: FixOp[]; resource?: Resource };
}

export interface SuppressionSet {
  problems: Finding[];
  match(finding: Finding): { reason: string; by: string } | undefined;
  /** Our suppressions that matched no finding (after `match` ran on every finding) of an active rule. */
  unused(active: (ruleId: string) => boolean): Finding[];
}

const OUR_KEY = 'iac-netsec';
// `#` comments in YAML and HCL; HCL also has `//`.
const COMMENT = /^\s*(?:#|\/\/)\s*iac-netsec-ignore\b\s*(.*)$/;
const CHECKOV_COMMENT = /(?:#|\/\/)\s*checkov:skip=([A-Za-z0-9_]+)(?::(.*))?/;
// trivy / tfsec (Terraform): `#trivy:ignore:aws-ec2-no-public-ingress-sgr`, above a block or at the end of a line.
const TRIVY_COMMENT = /(?:#|\/\/)\s*(trivy|tfsec):ignore:([A-Za-z0-9_-]+)/;
/** Any of the markers above, anywhere in the text (the lines are read only when one is there). */
const ANY_MARKER = /iac-netsec-ignore|checkov:skip|trivy:ignore|tfsec:ignore/;

let externalIndex: Map<string, Set<string>> | undefined;

/** Other tools' ids -> our rule ids, from rule metadata. */
function externalIds(): Map<string, Set<string>> {
  if (externalIndex) return externalIndex;
  externalIndex = new Map();
  for (const rule of ALL_RULES) {
    const refs = rule.meta.references;
    for (const id of [...(refs.cfnLint ?? []), ...(refs.cfnNag ?? []), ...(refs.checkov ?? [])]) {
      const set = externalIndex.get(id) ?? new Set<string>();
      set.add(rule.meta.id);
      externalIndex.set(id, set);
    }
  }
  return externalIndex;
}

function knownRule(id: string): boolean {
  return ALL_RULES.some((r) => r.meta.id === id);
}

export function findSuppressions(doc: TemplateDocument): SuppressionSet {
  const suppressions: Suppression[] = [];
  const problems: Finding[] = [];
  const problem = (span: Span, message: string, resource?: Resource): void => {
    problems.push({
      ruleId: SUPPRESSION_INVALID,
      severity: 'warning',
      start: span.start,
      end: span.end,
      message,
      resourceId: resource?.id,
      related: [],
      fixes: [],
    });
  };

  for (const resource of doc.resources) {
    if (doc.format === 'cfn') readMetadata(resource, suppressions, problem);
    if (doc.format === 'tf') readTerraformComment(resource, suppressions, problem);
  }
  if (doc.syntax === 'yaml' || doc.syntax === 'hcl') readYamlComments(doc, suppressions, problem);

  const byResource = new Map<string, Suppression[]>();
  const byLine = new Map<number, Suppression[]>();
  for (const s of suppressions) {
    if (s.resourceId !== undefined) addTo(byResource, s.resourceId, s);
    if (s.line !== undefined) addTo(byLine, s.line, s);
  }
  const used = new Set<Suppression>();
  return {
    problems,
    match(finding) {
      // Runs for every finding on every keystroke: no lists built, and no line looked up
      // unless a suppression is by line (most documents have none at all).
      let hit: Suppression | undefined;
      const consider = (candidates: Suppression[] | undefined): void => {
        for (const s of candidates ?? []) {
          if (!s.rules.has(finding.ruleId)) continue;
          used.add(s);
          hit ??= s;
        }
      };
      if (finding.resourceId !== undefined) consider(byResource.get(finding.resourceId));
      if (byLine.size) consider(byLine.get(doc.lines.positionAt(finding.start).line));
      return hit ? { reason: hit.reason, by: hit.by } : undefined;
    },
    unused(active) {
      const out: Finding[] = [];
      for (const s of suppressions) {
        if (!s.ours || used.has(s)) continue;
        const id = [...s.rules][0]!;
        if (!active(id)) continue;
        const where =
          s.resourceId !== undefined
            ? `resource ${s.resourceId} has no ${id} finding`
            : `the line below has no ${id} finding`;
        out.push({
          ruleId: SUPPRESSION_UNUSED,
          severity: 'warning',
          start: s.ours.span.start,
          end: s.ours.span.end,
          message: `Unused suppression: ${where} (wrong line, wrong rule, or the finding is gone). Remove it, so that it cannot hide a future finding.`,
          resourceId: s.ours.resource?.id,
          related: [],
          fixes: [{ title: `Remove the unused suppression of ${id}`, safety: 'safe', ops: s.ours.remove }],
        });
      }
      return out;
    },
  };
}

type Problem = (span: Span, message: string, resource?: Resource) => void;

function addTo<K>(map: Map<K, Suppression[]>, key: K, s: Suppression): void {
  const list = map.get(key);
  if (list) list.push(s);
  else map.set(key, [s]);
}

function readMetadata(resource: Resource, out: Suppression[], problem: Problem): void {
  const metadata = resource.metadata;
  if (metadata?.kind !== 'map') return;
  for (const entry of metadata.entries) {
    const key = entry.key.value;
    if (key !== OUR_KEY && closeTo(key, OUR_KEY)) {
      problem(
        entry.key,
        `Unknown metadata key "${key}"; did you mean "${OUR_KEY}"? This suppression is ignored.`,
        resource,
      );
    }
  }
  const ours = entryOf(metadata, OUR_KEY);
  if (ours) {
    if (ours.value.kind !== 'map')
      problem(ours.value, `"${OUR_KEY}" metadata must be a map with an "ignore" list.`, resource);
    else {
      for (const entry of ours.value.entries) {
        if (entry.key.value !== 'ignore')
          problem(
            entry.key,
            `Unknown key "${entry.key.value}" in "${OUR_KEY}" metadata; expected "ignore".`,
            resource,
          );
      }
      const ignore = get(ours.value, 'ignore');
      for (const item of items(ignore)) {
        const rule = item.kind === 'map' ? get(item, 'rule') : item;
        const reason = item.kind === 'map' ? scalarString(get(item, 'reason')) : undefined;
        if (item.kind === 'map') {
          for (const e of item.entries)
            if (e.key.value !== 'rule' && e.key.value !== 'reason')
              problem(
                e.key,
                `Unknown key "${e.key.value}" in a suppression; expected "rule" and "reason".`,
                resource,
              );
        }
        addOurs(
          rule,
          reason,
          item,
          {
            resourceId: resource.id,
            by: 'metadata',
            remove: metadataRemoval(resource, metadata, ours.value, ignore, item),
          },
          out,
          problem,
          resource,
        );
      }
    }
  }
  const mapped = (ids: Node[], reasonOf: (n: Node) => string | undefined, by: string): void => {
    for (const idNode of ids) {
      const id = scalarString(idNode.kind === 'map' ? get(idNode, 'id') : idNode);
      if (!id) continue;
      const rules = externalIds().get(id);
      if (rules)
        out.push({
          rules,
          reason: reasonOf(idNode) ?? `${by} ${id}`,
          by: `${by} ${id}`,
          resourceId: resource.id,
        });
    }
  };
  mapped(items(get(get(get(metadata, 'cfn-lint'), 'config'), 'ignore_checks')), () => undefined, 'cfn-lint');
  mapped(
    items(get(get(metadata, 'cfn_nag'), 'rules_to_suppress')),
    (n) => scalarString(get(n, 'reason')),
    'cfn_nag',
  );
  mapped(items(get(get(metadata, 'checkov'), 'skip')), (n) => scalarString(get(n, 'comment')), 'checkov');
}

function addOurs(
  ruleNode: Node | undefined,
  reason: string | undefined,
  at: Span,
  where: { resourceId?: string; line?: number; by: string; remove: FixOp[] },
  out: Suppression[],
  problem: Problem,
  resource?: Resource,
): void {
  const id = scalarString(ruleNode);
  if (!id) {
    problem(at, 'A suppression needs a rule id.', resource);
    return;
  }
  if (!knownRule(id)) {
    const suggestion = ALL_RULES.map((r) => r.meta.id).find((r) => closeTo(r, id));
    problem(
      ruleNode ?? at,
      `Unknown rule "${id}" in a suppression${suggestion ? `; did you mean "${suggestion}"?` : '.'}`,
      resource,
    );
    return;
  }
  if (!reason || !reason.trim()) {
    problem(
      ruleNode ?? at,
      `The suppression of ${id} needs a reason; it is ignored until it has one.`,
      resource,
    );
    return;
  }
  if (isPlaceholderReason(reason)) {
    problem(
      ruleNode ?? at,
      `The suppression of ${id} still has a placeholder reason ("${reason.trim()}"): write why this finding is acceptable. It suppresses nothing until then.`,
      resource,
    );
    return;
  }
  const { remove, ...rest } = where;
  out.push({
    rules: new Set([id]),
    reason: reason.trim(),
    ...rest,
    ours: { span: { start: at.start, end: at.end }, remove, resource },
  });
}

function readTerraformComment(resource: Resource, out: Suppression[], problem: Problem): void {
  const comments = get(resource.node, '//');
  for (const node of items(comments)) {
    const text = scalarString(node);
    if (!text) continue;
    const m = /^\s*iac-netsec-ignore\b\s*(.*)$/.exec(text);
    if (!m) continue;
    const [id, reason] = splitIdReason(m[1]!);
    addOurs(
      id ? { ...node, kind: 'scalar', value: id, style: 'json' } : undefined,
      reason,
      node,
      {
        resourceId: resource.id,
        by: 'comment',
        remove:
          comments?.kind === 'seq' && comments.items.length > 1
            ? [{ op: 'removeItem', seq: comments, item: node }]
            : [{ op: 'removeKey', map: resource.node, key: '//' }],
      },
      out,
      problem,
      resource,
    );
  }
}

function readYamlComments(doc: TemplateDocument, out: Suppression[], problem: Problem): void {
  const text = doc.text;
  // Runs on every keystroke: one regular-expression pass over the text is about ten times faster
  // than four `includes` on a 20,000-line template, and most templates have no such comment.
  if (!ANY_MARKER.test(text)) return;
  const resourceByLine = new Map<number, Resource>();
  for (const r of doc.resources)
    // Resources of other files of a Terraform module sit past this text (unit/module.ts).
    if (r.keyNode.start <= text.length) resourceByLine.set(doc.lines.positionAt(r.keyNode.start).line, r);
  for (let line = 0; line < doc.lines.lineCount; line++) {
    const lineText = doc.lines.lineText(line);
    const ours = COMMENT.exec(lineText);
    const checkov = ours ? undefined : CHECKOV_COMMENT.exec(lineText);
    const trivy = ours || checkov || doc.format !== 'tf' ? undefined : TRIVY_COMMENT.exec(lineText);
    if (!ours && !checkov && !trivy) continue;
    // A comment after code on its line (`cidr_blocks = [...] #trivy:ignore:...`) is about that line.
    const inline = trivy !== undefined && trivy !== null && lineText.slice(0, trivy.index).trim() !== '';
    const target = inline ? line : nextContentLine(doc, line);
    const resource = resourceByLine.get(target);
    const where = resource ? { resourceId: resource.id } : { line: target };
    const marker = /#|\/\//.exec(lineText)?.index ?? 0;
    const start = doc.lines.lineStart(line) + marker;
    const span = { start, end: doc.lines.lineStart(line) + lineText.length };
    if (ours) {
      const [id, reason] = splitIdReason(ours[1]!);
      const idStart = start + lineText.slice(marker).indexOf(id || '\u0000');
      const idNode = id
        ? ({ kind: 'scalar', value: id, style: 'plain', start: idStart, end: idStart + id.length } as const)
        : undefined;
      const lineStart = doc.lines.lineStart(line);
      const remove: FixOp[] = [
        {
          op: 'text',
          start: lineStart,
          end: line + 1 < doc.lines.lineCount ? doc.lines.lineStart(line + 1) : lineStart + lineText.length,
          newText: '',
        },
      ];
      addOurs(idNode, reason, span, { ...where, by: 'comment', remove }, out, problem, resource);
    } else if (trivy) {
      const rules = rulesForTrivyId(trivy[2]!);
      if (rules)
        out.push({ rules, reason: `${trivy[1]} ${trivy[2]}`, by: `${trivy[1]} ${trivy[2]}`, ...where });
    } else if (checkov) {
      const rules = externalIds().get(checkov[1]!);
      if (rules)
        out.push({
          rules,
          reason: checkov[2]?.trim() || `checkov ${checkov[1]}`,
          by: `checkov ${checkov[1]}`,
          ...where,
        });
    }
  }
}

/** Remove one `ignore` item, and the containers it leaves empty. */
function metadataRemoval(
  resource: Resource,
  metadata: MapNode,
  ours: MapNode,
  ignore: Node | undefined,
  item: Node,
): FixOp[] {
  if (ignore?.kind === 'seq' && ignore.items.length > 1)
    return [{ op: 'removeItem', seq: ignore as SeqNode, item }];
  if (ours.entries.length > 1) return [{ op: 'removeKey', map: ours, key: 'ignore' }];
  if (metadata.entries.length > 1) return [{ op: 'removeKey', map: metadata, key: OUR_KEY }];
  return [{ op: 'removeKey', map: resource.node, key: 'Metadata' }];
}

function splitIdReason(text: string): [string, string | undefined] {
  const m = /^([A-Za-z0-9_-]+)\s*(?::\s*(.*))?$/.exec(text.trim());
  if (!m) return ['', undefined];
  return [m[1]!, m[2]];
}

function nextContentLine(doc: TemplateDocument, line: number): number {
  for (let l = line + 1; l < doc.lines.lineCount; l++) {
    const t = doc.lines.lineText(l).trim();
    if (t && !t.startsWith('#') && !t.startsWith('//')) return l;
  }
  return line + 1;
}

/** Edit distance at most 2 (typos), case-insensitive. */
export function closeTo(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return a !== b;
  if (Math.abs(x.length - y.length) > 2) return false;
  let previous = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[y.length]! <= 2;
}

/** The text of a new suppression for a resource, used by the "Suppress" code action. */
export { OUR_KEY as SUPPRESSION_METADATA_KEY };

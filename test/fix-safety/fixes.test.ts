// Fix safety: every quick-fix the product offers on every fixture is applied, and
//   - the result parses (no new syntax-error),
//   - the finding is gone and no new finding of any rule appears (multisets of rule + message),
//   - the edit is confined to what the fix says it changes: the resource the finding belongs to,
//     the parameters its evidence points at (a default removed), or additions of new
//     parameters / variables / resources (with the section header when there was none).
// Suppressions and "show documentation" are not fixes and are left out.

import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver-types';
import type { Finding } from '../../server/src/engine/finding';
import { defaultSettings } from '../../server/src/engine/settings';
import type { TemplateDocument } from '../../server/src/model/document';
import { loadDocument } from '../../server/src/model/load';
import type { Entry, Span } from '../../server/src/parse/tree';
import { entryOf, get, items } from '../../server/src/parse/tree';
import { IacService, type DiagnosticData } from '../../server/src/service/service';
import { dump, fixtures, languageIdOf } from '../robustness/support';

const SYNTAX = 'syntax-error';
const settings = defaultSettings();

/**
 * Deliberate exceptions, as `rule: fix title` prefixes with the reason. A fix listed here may
 * leave a new finding of the named rules. Only where the new finding is the right outcome.
 */
const ALLOWED_NEW_FINDINGS: Record<string, { rules: string[]; reason: string }> = {
  'iam-policy-invalid: Change to ': {
    rules: ['public-principal-without-condition', 'public-principal-with-weak-condition'],
    reason:
      'correcting a misspelt action makes the statement effective, and a statement that grants it to everyone is then reported: the finding was hidden by the typo, not made by the fix',
  },
  'iam-policy-invalid: Fix all iam-policy-invalid problems': {
    rules: ['public-principal-without-condition', 'public-principal-with-weak-condition'],
    reason: 'as above, for every misspelt action at once',
  },
  'sensitive-port-open-to-internet: Remove the rule ': {
    rules: ['wide-public-cidr'],
    reason:
      'removing one of two rules that cover the internet together (0.0.0.0/1 + 128.0.0.0/1) leaves the other, a /1, which is rightly reported as a very wide public range',
  },
  'ssh-open-to-internet: Remove the rule ': {
    rules: ['wide-public-cidr'],
    reason: 'as above, for SSH',
  },
  'subnet-auto-assigns-public-ip: Set MapPublicIpOnLaunch to false': {
    rules: ['ssh-open-to-internet', 'rdp-open-to-internet'],
    reason:
      'without a public IP the path from the internet ends: the SSH/RDP finding stays, but its message no longer names the path',
  },
  'subnet-auto-assigns-public-ip: Set map_public_ip_on_launch to false': {
    rules: ['ssh-open-to-internet', 'rdp-open-to-internet'],
    reason: 'as above, for Terraform',
  },
  'instance-public-ip: Set ': {
    rules: ['ssh-open-to-internet', 'rdp-open-to-internet'],
    reason: 'as above: the instance loses its public IP, and with it the path named in the SSH/RDP message',
  },
};

/**
 * New findings any fix may leave: a fix that removes a suppressed finding (tightening a range
 * that a suppression excused) leaves that suppression unused, and saying so is right.
 */
const ALWAYS_ALLOWED = new Set(['suppression-unused']);

/**
 * Fixes known to break the rules above, left to their rules' owners. Each is still applied and
 * must parse and stay confined; only the finding check is skipped. Delete an entry once fixed.
 */
const KNOWN_BUGS: Record<string, string> = {};

interface Region extends Span {
  why: string;
}

function key(d: Diagnostic): string {
  return `${String(d.code)}\u0000${d.message}`;
}

function multiset(diagnostics: Diagnostic[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of diagnostics) out.set(key(d), (out.get(key(d)) ?? 0) + 1);
  return out;
}

function isFix(action: CodeAction): boolean {
  return (
    action.kind === CodeActionKind.QuickFix &&
    action.edit !== undefined &&
    !/^Suppress /.test(action.title) &&
    !/^Show documentation/.test(action.title)
  );
}

/** Where the line holding `offset` ends, its line break included. */
function lineEndAfter(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

/** The span of a resource's entry (its key to its last line), or a parameter's. */
function entrySpan(text: string, keyStart: number, end: number): Span {
  return {
    start: text.lastIndexOf('\n', keyStart - 1) + 1,
    end: lineEndAfter(text, Math.max(keyStart, end - 1)),
  };
}

/** Regions an edit of this finding's fixes may touch in the original document. */
function allowedRegions(doc: TemplateDocument, finding: Finding, title: string): Region[] {
  const out: Region[] = [];
  // What the fix's title names: "Add endpoints ... to Vpc", "Remove the open default of SshCidr".
  const named = (id: string): boolean =>
    new RegExp(`(^|[^A-Za-z0-9_.:-])${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_:-])`).test(
      title,
    );
  for (const r of doc.resources)
    if (named(r.id))
      out.push({
        ...entrySpan(doc.text, r.keyNode.start, r.node.end),
        why: `resource ${r.id} (named in the title)`,
      });
  for (const p of doc.parameters.values())
    if (named(p.name))
      out.push({
        ...entrySpan(doc.text, p.keyNode.start, p.node.end),
        why: `parameter ${p.name} (named in the title)`,
      });
  const resource = finding.resourceId !== undefined ? doc.resourcesById.get(finding.resourceId) : undefined;
  // Resources the model derives from a written one (SAM): the properties they are made of, which
  // may live in the template's Globals.
  for (const r of doc.resources)
    if (r.origin && r.id === finding.resourceId)
      out.push({ ...entrySpan(doc.text, r.keyNode.start, r.node.end), why: `${r.type} of ${r.id} (SAM)` });
  if (resource) {
    // A plan's resource is an object in a list; a Terraform resource the block under its name.
    out.push({
      ...entrySpan(doc.text, resource.keyNode.start, resource.node.end),
      why: `resource ${resource.id}`,
    });
    if (resource.node.start < resource.keyNode.start)
      out.push({
        ...entrySpan(doc.text, resource.node.start, resource.node.end),
        why: `resource ${resource.id}`,
      });
    // Terraform: the type's block when this is its only resource (removing the resource removes it).
    const group = typeBlock(doc, resource.type);
    if (group && group.value.kind === 'map' && group.value.entries.length === 1)
      out.push({
        ...entrySpan(doc.text, group.key.start, group.end),
        why: `resource ${resource.id} (its type block)`,
      });
  } else {
    // No resource (a policy document): the top-level entry holding the finding.
    const root = doc.root;
    if (root?.kind === 'map') {
      for (const e of root.entries)
        if (e.start <= finding.start && finding.end <= e.end)
          out.push({ start: e.start, end: e.end, why: `section ${e.key.value}` });
    } else if (root) out.push({ start: root.start, end: root.end, why: 'document' });
  }
  // The flagged element itself, wherever it is written (a for_each or dynamic collection element
  // in a local or a variable default: model/terraformForEach.ts).
  out.push({ start: finding.start, end: finding.end, why: 'the flagged element' });
  // Parameters the evidence points at (a fix may remove an open default).
  for (const related of finding.related) {
    for (const p of doc.parameters.values()) {
      const span = entrySpan(doc.text, p.keyNode.start, p.node.end);
      if (span.start <= related.span.start && related.span.end <= span.end)
        out.push({ ...span, why: `parameter ${p.name}` });
    }
  }
  return out;
}

/** Terraform JSON: the `"aws_x": {...}` entry under `resource` holding resources of a type. */
function typeBlock(doc: TemplateDocument, type: string): Entry | undefined {
  if (doc.format !== 'tf' || doc.root?.kind !== 'map') return undefined;
  for (const block of items(get(doc.root, 'resource'))) {
    const entry = entryOf(block, type);
    if (entry) return entry;
  }
  return undefined;
}

/** Applied edits, and where each one's new text lies in the result. */
function apply(
  text: string,
  edits: TextEdit[],
  document: TextDocument,
): { text: string; inserted: Span[]; old: Span[] } {
  const spans = edits
    .map((e) => ({
      start: document.offsetAt(e.range.start),
      end: document.offsetAt(e.range.end),
      newText: e.newText,
    }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let last = 0;
  const inserted: Span[] = [];
  for (const s of spans) {
    expect(s.start, 'edits overlap').toBeGreaterThanOrEqual(last);
    out += text.slice(last, s.start);
    inserted.push({ start: out.length, end: out.length + s.newText.length });
    out += s.newText;
    last = s.end;
  }
  out += text.slice(last);
  return { text: out, inserted, old: spans };
}

/** Spans of parameters, variables and resources that exist after the fix and not before, with new top-level keys. */
function additions(before: TemplateDocument, after: TemplateDocument): Region[] {
  const out: Region[] = [];
  for (const [name, p] of after.parameters)
    if (!before.parameters.has(name))
      out.push({ ...entrySpan(after.text, p.keyNode.start, p.node.end), why: `new parameter ${name}` });
  for (const r of after.resources) {
    if (before.resourcesById.has(r.id)) continue;
    out.push({ ...entrySpan(after.text, r.keyNode.start, r.node.end), why: `new resource ${r.id}` });
    const group = typeBlock(after, r.type);
    if (group && !typeBlock(before, r.type))
      out.push({ ...entrySpan(after.text, group.key.start, group.key.end), why: `new type block ${r.type}` });
  }
  const oldKeys = new Set(before.root?.kind === 'map' ? before.root.entries.map((e) => e.key.value) : []);
  if (after.root?.kind === 'map')
    for (const e of after.root.entries)
      if (!oldKeys.has(e.key.value))
        out.push({ ...entrySpan(after.text, e.key.start, e.key.end), why: `new section ${e.key.value}` });
  return out;
}

const inside = (span: Span, regions: Span[]): boolean =>
  regions.some((r) => r.start <= span.start && span.end <= r.end);

/** Fixes applied over all fixtures. */
let total = 0;

describe('every quick-fix on every fixture', () => {
  for (const [file, text] of fixtures()) {
    it(file, () => {
      const uri = `file:///fixtures/${file}`;
      const languageId = languageIdOf(file);
      const service = new IacService();
      const document = TextDocument.create(uri, languageId, 1, text);
      const diagnostics = service.diagnostics(document, settings);
      const analysis = service.analysis(document, settings);
      if (!analysis) return;
      const before = multiset(diagnostics);
      const syntaxBefore = diagnostics.filter((d) => d.code === SYNTAX).map((d) => d.message);
      let tried = 0;
      for (const diagnostic of diagnostics) {
        if (diagnostic.code === SYNTAX) continue;
        const finding = analysis.findings[(diagnostic.data as DiagnosticData).index]!;
        const actions = service
          .codeActions(
            document,
            diagnostic.range,
            { diagnostics: [diagnostic], only: [CodeActionKind.QuickFix] },
            settings,
          )
          .filter(isFix);
        for (const action of actions) {
          tried++;
          const where = `${file}: "${action.title}" for ${String(diagnostic.code)} at line ${diagnostic.range.start.line + 1}`;
          const edits = action.edit?.changes?.[uri] ?? [];
          expect(Object.keys(action.edit?.changes ?? {}), `${where}: edits only this file`).toEqual([uri]);
          const applied = apply(text, edits, document);
          const fixedDoc = TextDocument.create(uri, languageId, 2, applied.text);
          const after = new IacService().diagnostics(fixedDoc, settings);

          // 1. It parses: no syntax error that was not there before.
          const syntaxAfter = after.filter((d) => d.code === SYNTAX).map((d) => d.message);
          const newSyntax = syntaxAfter.filter((m) => !syntaxBefore.includes(m));
          if (newSyntax.length)
            expect(
              newSyntax,
              `${where}: new syntax errors (fixed text in ${dump(file, applied.text)})`,
            ).toEqual([]);

          // 2. The finding is gone and nothing new appears. A "fix all" fixes every finding of its rule.
          const fixAll = /^Fix all /.test(action.title);
          const expected = new Map(before);
          if (fixAll) {
            for (const k of expected.keys())
              if (k.startsWith(`${String(diagnostic.code)}\u0000`)) expected.set(k, Infinity);
          } else {
            expected.set(key(diagnostic), (expected.get(key(diagnostic)) ?? 0) - 1);
          }
          const named = `${String(diagnostic.code)}: ${action.title}`;
          const exception = Object.entries(ALLOWED_NEW_FINDINGS).find(([prefix]) =>
            named.startsWith(prefix),
          )?.[1];
          const knownBug = Object.keys(KNOWN_BUGS).some((prefix) => named.startsWith(prefix));
          const unexpected: string[] = [];
          for (const [k, n] of multiset(after.filter((d) => d.code !== SYNTAX))) {
            if (exception?.rules.includes(k.split('\u0000')[0]!)) continue;
            if (ALWAYS_ALLOWED.has(k.split('\u0000')[0]!)) continue;
            if (n > (expected.get(k) ?? 0))
              unexpected.push(`${k.replace('\u0000', ': ')} (${n} after, ${before.get(k) ?? 0} before)`);
          }
          if (unexpected.length && !knownBug)
            expect(
              unexpected,
              `${where}: finding not gone, or new findings (fixed text in ${dump(file, applied.text)}):\n  ${unexpected.join('\n  ')}\n`,
            ).toEqual([]);
          if (fixAll) {
            const left = after.filter((d) => d.code === diagnostic.code).length;
            const had = diagnostics.filter((d) => d.code === diagnostic.code).length;
            expect(left, `${where}: fix-all fixed nothing`).toBeLessThan(had);
          }

          // 3. Confined: each edit inside the finding's resource or the parameters it rests on
          //    (a fix-all: any finding of the rule), or new text that only adds parameters/resources.
          const findings = fixAll
            ? analysis.findings.filter((f) => f.ruleId === finding.ruleId && !f.suppressed)
            : [finding];
          // A fix-all applies each finding's first fix: what those fixes' titles name.
          const regions = findings.flatMap((f) =>
            allowedRegions(analysis.doc, f, fixAll ? (f.fixes[0]?.title ?? '') : action.title),
          );
          const fixedModel = loadDocument(uri, applied.text, { languageId });
          const added = fixedModel ? additions(analysis.doc, fixedModel) : [];
          applied.old.forEach((span, i) => {
            // What an edit removes around a resource or item (separators, indentation) does not count.
            const removedText = text.slice(span.start, span.end);
            const core = {
              start: span.start + (removedText.length - removedText.trimStart().replace(/^,\s*/, '').length),
              end: span.end - (removedText.length - removedText.trimEnd().replace(/\s*,$/, '').length),
            };
            if (inside(core.start <= core.end ? core : span, regions)) return;
            const newText = applied.text.slice(applied.inserted[i]!.start, applied.inserted[i]!.end);
            const removed = text.slice(span.start, span.end);
            // Outside the resource: only insertions (or whitespace/punctuation) whose content is a new parameter or resource.
            const addsOnly =
              /^[\s,]*$/.test(removed) &&
              [...newText].every(
                (c, j) =>
                  /[\s,:{}[\]"]/.test(c) ||
                  inside(
                    { start: applied.inserted[i]!.start + j, end: applied.inserted[i]!.start + j + 1 },
                    added,
                  ),
              );
            expect(
              addsOnly,
              `${where}: edit ${JSON.stringify(removed)} -> ${JSON.stringify(newText)} at ${span.start} is outside ${regions.map((r) => `${r.why} [${r.start}, ${r.end})`).join(', ') || 'any allowed region'} and adds nothing new (${added.map((a) => a.why).join(', ')})`,
            ).toBe(true);
          });
        }
      }
      total += tried;
    });
  }
  it('tried the fixes (the fixtures have findings with fixes)', () => {
    expect(total).toBeGreaterThan(20);
  });
});

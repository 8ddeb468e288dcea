// Incremental analysis: after an edit, re-run only the rules whose inputs the edit changed.
//
// How a rule's inputs are known: while a rule runs (and while a fact it asks for is derived),
// every read of a resource's content (`node`, `properties`, `keyNode`, `metadata`, ...) is
// recorded against that resource's id, and so are reads of the document's root and of its line
// structure (messages that name a line). A fact's reads are charged to every rule that uses it.
// Nothing in the rules or facts knows about this: they read a view of the document whose
// resources record what is read (`trackedView`).
//
// Which inputs an edit changed: the text diff against the previous version. An edit that lies
// strictly inside one written resource (its key to its end) changes only that resource's model:
// a resource is a pure function of its own text and of the document's other sections
// (Parameters, Conditions, Globals, variables, ...), which the edit did not touch. Anything else
// (an edit between resources or in another section, a resource added, removed or renamed,
// other settings or rules, another file of the module) re-runs every rule. A syntax error
// confined to one resource (parse/yaml.ts re-parses only that region) is an edit of it.
//
// A rule that read none of the changed resources, and no line numbers when lines moved, gives
// what it gave before: its findings are reused with their offsets moved by the edit. Their fixes
// are not reused (a fix is built from the document it was found in): asking for them re-runs the
// rule once on the current version. test/engine/incremental.test.ts replays random edits and
// checks that the result always equals a fresh analysis.

import { diffTexts, type TextDiff } from '../parse/incremental';
import type { Resource, TemplateDocument } from '../model/document';
import type { Rule } from '../rules/types';
import type { Finding } from './finding';
import type { Settings } from './settings';

/** Pseudo-ids for reads that are not of one resource. */
export const READS_LINES = '\u0000lines';
export const READS_ROOT = '\u0000root';
/** A rule that used a fact: facts are derived over every resource of the document. */
export const READS_ALL = '\u0000all';
/** The reads of a rule that read every resource (it used a fact): any edit of a resource re-runs it. */
export const READS_EVERYTHING: ReadonlySet<string> = new Set([READS_ALL]);

/** Collects what is read while a rule runs or a fact is derived. */
export class ReadTracker {
  current: Set<string> | undefined;

  touch(id: string): void {
    this.current?.add(id);
  }

  /** Runs `fn` recording its reads into `reads` (none when undefined), not into the enclosing recorder. */
  record<T>(reads: Set<string> | undefined, fn: () => T): T {
    const outer = this.current;
    this.current = reads;
    try {
      return fn();
    } finally {
      this.current = outer;
    }
  }
}

/**
 * Every field of a resource, and whether reading it reads the resource's text (`id` and `type`
 * do not: rules look at every resource's type to pick theirs). A `Record` over all keys, so a
 * new field of `Resource` does not compile until it is listed here.
 */
const FIELDS: Record<keyof Resource, 'content' | 'plain' | 'resource'> = {
  id: 'plain',
  type: 'plain',
  tfName: 'plain',
  condition: 'plain',
  keyNode: 'content',
  node: 'content',
  properties: 'content',
  metadata: 'content',
  unknown: 'content',
  loop: 'content',
  instance: 'content',
  origin: 'resource',
};

/** A resource as rules see it under tracking: its fields, with reads of its content recorded. */
class ResourceView {
  constructor(
    readonly raw: Resource,
    readonly tracker: ReadTracker,
    readonly views: Map<Resource, Resource>,
  ) {}
}
for (const [key, kind] of Object.entries(FIELDS) as [keyof Resource, string][]) {
  Object.defineProperty(ResourceView.prototype, key, {
    enumerable: true,
    get(this: ResourceView): unknown {
      const value = this.raw[key];
      if (kind === 'content') this.tracker.touch(this.raw.id);
      else if (kind === 'resource' && value) return this.views.get(value as Resource) ?? value;
      return value;
    },
  });
}

/**
 * The document as rules see it under tracking: the same model, with resources that record reads
 * of their content, and `root`/`lines` that record theirs. Identity is kept inside the view
 * (`origin` points to the view of the origin), so maps keyed by resources still work.
 */
export function trackedView(doc: TemplateDocument, tracker: ReadTracker): TemplateDocument {
  const views = new Map<Resource, Resource>();
  const viewOf = (r: Resource): Resource => {
    let view = views.get(r);
    if (!view) {
      view = new ResourceView(r, tracker, views) as unknown as Resource;
      views.set(r, view);
    }
    return view;
  };
  const resources = doc.resources.map(viewOf);
  const resourcesById = new Map<string, Resource>();
  for (const [id, r] of doc.resourcesById) resourcesById.set(id, viewOf(r));
  const view: TemplateDocument = { ...doc, resources, resourcesById };
  Object.defineProperty(view, 'lines', {
    enumerable: true,
    get: () => {
      tracker.touch(READS_LINES);
      return doc.lines;
    },
  });
  Object.defineProperty(view, 'root', {
    enumerable: true,
    get: () => {
      tracker.touch(READS_ROOT);
      return doc.root;
    },
  });
  return view;
}

/** One rule's result on one version, and what it read. */
export interface RuleRun {
  findings: Finding[];
  reads: ReadonlySet<string>;
}

interface WrittenResource {
  id: string;
  type: string;
  start: number;
  end: number;
}

/** What the next version is compared with. */
interface Version {
  text: string;
  settings: Settings;
  rules: readonly Rule[];
  resources: WrittenResource[];
  runs: Map<string, RuleRun>;
}

/** What an edit changed, when it can be confined to resources. */
export interface EditScope {
  diff: TextDiff;
  /** Ids of the resources whose text changed. */
  changed: Set<string>;
  /** The edit added or removed line breaks: line numbers after it moved. */
  linesMoved: boolean;
  /** Length of the previous version's text (offsets beyond it belong to other files). */
  oldLength: number;
}

/** The previous version of one open document, kept to analyse the next one incrementally. */
export class IncrementalState {
  private last: Version | undefined;
  /** How many rule runs the last analysis reused (for tests and the benchmark). */
  lastReused = 0;

  /**
   * What changed since the previous version, or undefined when every rule must run (first
   * version, settings or rules changed, an edit outside any single resource, a resource added,
   * removed or renamed). A syntax error confined to one resource is an edit of that resource.
   */
  scope(doc: TemplateDocument, settings: Settings, rules: readonly Rule[]): EditScope | undefined {
    this.lastReused = 0;
    return this.editScope(doc, settings, rules);
  }

  private editScope(
    doc: TemplateDocument,
    settings: Settings,
    rules: readonly Rule[],
  ): EditScope | undefined {
    const last = this.last;
    if (!last || last.settings !== settings || last.rules !== rules) return undefined;
    const now = writtenResources(doc);
    if (now.length !== last.resources.length) return undefined;
    for (let i = 0; i < now.length; i++)
      if (now[i]!.id !== last.resources[i]!.id || now[i]!.type !== last.resources[i]!.type) return undefined;
    const diff = diffTexts(last.text, doc.text);
    if (diff.start === diff.oldEnd && diff.start === diff.newEnd) {
      return { diff, changed: new Set(), linesMoved: false, oldLength: last.text.length };
    }
    // The edit must lie inside one written resource (after its key's first character), before and after.
    // (Typing at the end of a resource's last value extends it: the end may grow.)
    const before = last.resources.find((r) => r.start < diff.start && diff.oldEnd <= r.end);
    if (!before) return undefined;
    const after = now.find((r) => r.id === before.id && r.start < diff.start && diff.newEnd <= r.end);
    if (!after) return undefined;
    const changed = new Set<string>();
    for (const r of last.resources) if (r.start <= diff.oldEnd && diff.start <= r.end) changed.add(r.id);
    const linesMoved =
      countBreaks(last.text, diff.start, diff.oldEnd) !== countBreaks(doc.text, diff.start, diff.newEnd);
    return { diff, changed, linesMoved, oldLength: last.text.length };
  }

  /** The previous version's run of a rule. */
  previous(ruleId: string): RuleRun | undefined {
    return this.last?.runs.get(ruleId);
  }

  /** True when the edit cannot have changed what a previous run gave. */
  unaffected(run: RuleRun, scope: EditScope): boolean {
    if (scope.linesMoved && run.reads.has(READS_LINES)) return false;
    if (scope.changed.size && (run.reads.has(READS_ROOT) || run.reads.has(READS_ALL))) return false;
    for (const id of scope.changed) if (run.reads.has(id)) return false;
    this.lastReused++;
    return true;
  }

  /** The next version is analysed from scratch (another file of its module changed). */
  reset(): void {
    this.last = undefined;
  }

  /** Remembers this version for the next one. */
  keep(doc: TemplateDocument, settings: Settings, rules: readonly Rule[], runs: Map<string, RuleRun>): void {
    this.last = { text: doc.text, settings, rules, resources: writtenResources(doc), runs };
  }
}

/** The resources as written in the document (derived resources count as the one they come from). */
function writtenResources(doc: TemplateDocument): WrittenResource[] {
  const out: WrittenResource[] = [];
  const limit = doc.text.length;
  for (const r of doc.resources) {
    const written = r.origin ?? r;
    const start = Math.min(written.keyNode.start, written.node.start);
    const end = Math.max(written.keyNode.end, written.node.end);
    // Resources of other files of a Terraform module lie past this document's text.
    if (start > limit) continue;
    out.push({ id: r.id, type: r.type, start, end });
  }
  return out;
}

function countBreaks(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', start); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** An offset of the previous version in the current one (offsets past the text are other files'). */
export function moveOffset(offset: number, scope: EditScope): number {
  const { diff } = scope;
  if (offset < diff.start || offset > scope.oldLength) return offset;
  return offset + (diff.newEnd - diff.oldEnd);
}

/**
 * A previous finding at its place in the current version. `fixes` is built on first use by
 * `rebuildFixes` (the rule runs again on the current version), never from the old document.
 */
export function movedFinding(
  finding: Finding,
  scope: EditScope,
  rebuildFixes: (moved: Finding) => Finding['fixes'],
): Finding {
  const moved: Finding = {
    ruleId: finding.ruleId,
    severity: finding.severity,
    start: moveOffset(finding.start, scope),
    end: moveOffset(finding.end, scope),
    message: finding.message,
    resourceId: finding.resourceId,
    related: finding.related.map((r) => ({
      ...r,
      span: { start: moveOffset(r.span.start, scope), end: moveOffset(r.span.end, scope) },
    })),
    fixes: [],
    hover: finding.hover,
  };
  if (finding.resourceId === undefined) delete moved.resourceId;
  if (finding.hover === undefined) delete moved.hover;
  let built: Finding['fixes'] | undefined;
  Object.defineProperty(moved, 'fixes', { enumerable: true, get: () => (built ??= rebuildFixes(moved)) });
  return moved;
}

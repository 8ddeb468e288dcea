// Incremental analysis: after an edit, re-run only the rules whose inputs the edit changed,
// and keep the facts it did not change.
//
// How inputs are known: rules and fact families run on a view of the model whose resources
// record every read of their content (`node`, `properties`, `keyNode`, `metadata`, ...), and so
// are reads of the document's root and of its line structure (messages that name a line). Each
// rule and each fact family is a slot of the `ReadTracker`; a read stamps the resource's view
// with the slot's current run (an array store, no sets), and a slot's use of a fact family is
// noted. Nothing in the rules or facts knows about this, except a fact that scans every resource
// but depends on few (`untracked`, `FactOptions.dependsOn` in facts/index.ts).
//
// Which inputs an edit changed: the text diff against the previous version. An edit that lies
// strictly inside one written resource (its key to its end) changes only that resource's model:
// a resource is a pure function of its own text and of the document's other sections
// (Parameters, Conditions, Globals, variables, ...), which the edit did not touch. Anything else
// (an edit between resources or in another section, a resource added, removed or renamed,
// other settings or rules, another file of the module) re-runs every rule. A syntax error
// confined to one resource (parse/yaml.ts re-parses only that region) is an edit of it.
//
// The resources the edit did not change keep their model objects (`reconcile`: the parser keeps
// their nodes and moves them), and with them their views and what was recorded on them. A fact
// family that read none of the changed resources (as they were), used only kept families, and
// whose `dependsOn` says no to them (as they were and as they are) is kept as it was. A rule that
// read none of the changed resources, no line numbers when lines moved, and used only kept
// families gives what it gave before: its findings are reused with their offsets moved by the
// edit. Their fixes are not reused (a fix is built from the document it was found in): asking for
// them re-runs the rule once on the current version. test/engine/incremental.test.ts replays
// random edits and checks that the result always equals a fresh analysis.

import type { FactOptions, FactRecorder, KeptFact } from '../facts';
import { UNTRACKED } from '../facts';
import { diffTexts, type TextDiff } from '../parse/incremental';
import type { Parameter, Resource, TemplateDocument } from '../model/document';
import type { Rule } from '../rules/types';
import type { Finding } from './finding';
import type { Settings } from './settings';

/**
 * What rules and fact families read, by slot (one per rule and per family, stable across
 * versions). A read stamps the resource's view with the reading slot's current run; a stamp from
 * an earlier run of the slot no longer counts.
 */
export class ReadTracker implements FactRecorder {
  /** The slot recording now; -1 when none (a fix being rebuilt, the model being viewed). */
  current = -1;
  private nextRun = 0;
  private readonly slots = new Map<string, number>();
  /** Per slot: its current run, whether it read line numbers / the root, the families it used. */
  readonly runs: number[] = [];
  readonly lines: boolean[] = [];
  readonly root: boolean[] = [];
  readonly facts: (Set<string> | undefined)[] = [];

  slot(name: string): number {
    let slot = this.slots.get(name);
    if (slot === undefined) {
      slot = this.slots.size;
      this.slots.set(name, slot);
    }
    return slot;
  }

  /** Runs `fn` as a new run of `slot`, recording its reads (not into the enclosing slot). */
  record<T>(slot: number, fn: () => T): T {
    const outer = this.current;
    this.current = slot;
    this.runs[slot] = ++this.nextRun;
    this.lines[slot] = false;
    this.root[slot] = false;
    this.facts[slot] = undefined;
    try {
      return fn();
    } finally {
      this.current = outer;
    }
  }

  touch(view: ResourceView): void {
    const slot = this.current;
    if (slot >= 0) (view.readBy ??= [])[slot] = this.runs[slot]!;
  }

  /** True when `slot`'s current run read the resource of this view. */
  read(slot: number, view: ResourceView): boolean {
    return view.readBy?.[slot] === this.runs[slot];
  }

  /** Per parameter name, per slot, the run that last read it. */
  private readonly parameterReads = new Map<string, number[]>();

  touchParameter(name: string): void {
    const slot = this.current;
    if (slot < 0) return;
    let reads = this.parameterReads.get(name);
    if (!reads) this.parameterReads.set(name, (reads = []));
    reads[slot] = this.runs[slot]!;
  }

  /** True when `slot`'s current run read the parameter. */
  readParameter(slot: number, name: string): boolean {
    return this.parameterReads.get(name)?.[slot] === this.runs[slot];
  }

  touchLines(): void {
    if (this.current >= 0) this.lines[this.current] = true;
  }

  touchRoot(): void {
    if (this.current >= 0) this.root[this.current] = true;
  }

  use(key: string): void {
    const slot = this.current;
    if (slot >= 0) (this.facts[slot] ??= new Set()).add(key);
  }

  derive<T>(key: string, derive: () => T): T {
    return this.record(this.slot(factSlot(key)), derive);
  }
}

function factSlot(key: string): string {
  return `fact\u0000${key}`;
}

export function ruleSlot(id: string): string {
  return `rule\u0000${id}`;
}

/**
 * Every field of a resource, and whether reading it reads the resource's text (`id` and `type`
 * do not: rules look at every resource's type to pick theirs). A `Record` over all keys, so a
 * new field of `Resource` does not compile until it is listed here.
 */
const FIELDS: Record<keyof Resource, 'content' | 'plain' | 'resource'> = {
  id: 'content',
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

/**
 * A resource as rules see it under tracking: its fields, with reads of its content recorded. It
 * lives as long as its resource is unchanged, across versions, with what was recorded on it.
 */
class ResourceView {
  /** Per slot, the run that last read this resource. */
  readBy: number[] | undefined;

  constructor(
    /** This version's resource (replaced when the view passes to the next version). */
    public raw: Resource,
    readonly tracker: ReadTracker,
    /** The views of the current version (for `origin`). */
    readonly views: { current: Map<Resource, ResourceView> },
  ) {}

  get [UNTRACKED](): Resource {
    return this.raw;
  }
}
for (const [key, kind] of Object.entries(FIELDS) as [keyof Resource, string][]) {
  Object.defineProperty(ResourceView.prototype, key, {
    enumerable: true,
    get(this: ResourceView): unknown {
      const value = this.raw[key];
      if (kind === 'content') this.tracker.touch(this);
      else if (kind === 'resource' && value) return this.views.current.get(value as Resource) ?? value;
      return value;
    },
  });
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
  /** Undefined when an edit of a parameter cannot be told apart (see `writtenParameters`). */
  parameters: WrittenResource[] | undefined;
  /** The model's resources, and their views. */
  doc: TemplateDocument;
  views: Resource[];
  /** Each rule's findings. */
  runs: Map<string, Finding[]>;
  facts: ReadonlyMap<string, KeptFact>;
}

/** What an edit changed, when it can be confined to resources. */
export interface EditScope {
  diff: TextDiff;
  /** Ids of the resources whose text changed. */
  changed: Set<string>;
  /** Names of the parameters (CloudFormation Parameters, Terraform variables) whose text changed. */
  changedParameters: Set<string>;
  /** The edit added or removed line breaks: line numbers after it moved. */
  linesMoved: boolean;
  /** Length of the previous version's text (offsets beyond it belong to other files). */
  oldLength: number;
}

/** The previous version of one open document, kept to analyse the next one incrementally. */
export class IncrementalState {
  readonly tracker = new ReadTracker();
  private last: Version | undefined;
  private readonly views: { current: Map<Resource, ResourceView> } = { current: new Map() };
  /** The document being analysed, and the one view of it rules and facts read (`viewOf`). */
  private current: TemplateDocument | undefined;
  private view: TemplateDocument | undefined;
  /** The previous version's views of the resources the edit changed (by `prepare`). */
  private changedViews: ResourceView[] = [];
  /** The families kept for the version being analysed (by `prepare`). */
  private keptFacts = new Map<string, KeptFact>();
  /** How many rule runs the last analysis reused (for tests and the benchmark). */
  lastReused = 0;
  /** The fact families the last analysis kept, and the rules it ran again (for tests). */
  lastKeptFacts: string[] = [];
  lastRun: string[] = [];

  /**
   * Prepares the analysis of a new version: what the edit changed (undefined when every rule
   * must run: first version, settings or rules changed, an edit outside any single resource, a
   * resource added, removed or renamed), the document as rules see it (its unchanged resources
   * the previous version's objects, viewed through recording views), and the fact families kept.
   */
  prepare(
    doc: TemplateDocument,
    settings: Settings,
    rules: readonly Rule[],
  ): { scope: EditScope | undefined; view: TemplateDocument; facts: ReadonlyMap<string, KeptFact> } {
    this.lastReused = 0;
    let scope = this.editScope(doc, settings, rules);
    this.changedViews = [];
    let complete = false;
    if (scope) {
      for (const r of this.last!.views)
        if (scope.changed.has(r.id)) this.changedViews.push(r as unknown as ResourceView);
      complete = this.reconcile(doc, scope);
      // A parameter can shape the model itself (`Fn::ForEach` over its default): an edit of one is
      // confined only when every resource came out the same.
      if (scope.changedParameters.size && !complete) scope = undefined;
    }
    const view = this.viewOf(doc, scope);
    // Kept facts hold the resources of the previous version: only when they are this version's too.
    this.keptFacts = scope && complete ? this.keepFacts(doc, scope) : new Map();
    this.lastKeptFacts = [...this.keptFacts.keys()];
    this.lastRun = [];
    return { scope, view, facts: this.keptFacts };
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
    const diff = diffTexts(last.text, doc.text);
    // Ids that differ: a resource renamed by this edit (typing its logical id or name), else none.
    const renamed: { from: string; to: string }[] = [];
    for (let i = 0; i < now.length; i++) {
      const [a, b] = [last.resources[i]!, now[i]!];
      if (a.type !== b.type) return undefined;
      if (a.id === b.id) continue;
      if (!(a.start < diff.start && diff.oldEnd <= a.end && b.start < diff.start && diff.newEnd <= b.end))
        return undefined;
      renamed.push({ from: a.id, to: b.id });
    }
    if (renamed.length) return this.renameScope(doc, diff, renamed);
    if (diff.start === diff.oldEnd && diff.start === diff.newEnd) {
      return {
        diff,
        changed: new Set(),
        changedParameters: new Set(),
        linesMoved: false,
        oldLength: last.text.length,
      };
    }
    const linesMoved =
      countBreaks(last.text, diff.start, diff.oldEnd) !== countBreaks(doc.text, diff.start, diff.newEnd);
    // The edit must lie inside one written resource (after its key's first character), before and after.
    // (Typing at the end of a resource's last value extends it: the end may grow.)
    const before = last.resources.find((r) => r.start < diff.start && diff.oldEnd <= r.end);
    if (before) {
      const after = now.find((r) => r.id === before.id && r.start < diff.start && diff.newEnd <= r.end);
      if (!after) return undefined;
      const changed = new Set<string>();
      for (const r of last.resources) if (r.start <= diff.oldEnd && diff.start <= r.end) changed.add(r.id);
      return { diff, changed, changedParameters: new Set(), linesMoved, oldLength: last.text.length };
    }
    // Or inside one parameter, the same way (its name unchanged, as every other one).
    const parameters = writtenParameters(doc);
    if (!parameters || !last.parameters || parameters.length !== last.parameters.length) return undefined;
    for (let i = 0; i < parameters.length; i++)
      if (parameters[i]!.id !== last.parameters[i]!.id) return undefined;
    const was = last.parameters.find((p) => p.start < diff.start && diff.oldEnd <= p.end);
    const is = was && parameters.find((p) => p.id === was.id && p.start < diff.start && diff.newEnd <= p.end);
    if (!is) return undefined;
    return {
      diff,
      changed: new Set(),
      changedParameters: new Set([is.id]),
      linesMoved,
      oldLength: last.text.length,
    };
  }

  /**
   * A resource renamed: it changed, and so did every resource that names it by its old or new
   * name (a reference that now resolves, or no longer does). Confined only when nothing else in
   * the document names either (Outputs, Conditions, parameters: every rule runs again then), and
   * never in a Terraform module read with other files or modules (they could name it).
   */
  private renameScope(
    doc: TemplateDocument,
    diff: TextDiff,
    renamed: { from: string; to: string }[],
  ): EditScope | undefined {
    const last = this.last!;
    if (doc.siblings?.length || doc.scopes?.length) return undefined;
    const names = [...new Set(renamed.flatMap((r) => [r.from, r.to]))];
    const mention = new RegExp(`(?<![\\w.:-])(?:${names.map(escapeRegExp).join('|')})(?![\\w-])`, 'g');
    const changed = new Set(names);
    for (const [text, resources] of [
      [last.text, last.resources],
      [doc.text, writtenResources(doc)],
    ] as const) {
      const sorted = [...resources].sort((a, b) => a.start - b.start);
      for (const m of text.matchAll(mention)) {
        const at = m.index;
        // The last resource starting at or before the mention (binary search), if it holds it.
        let low = 0;
        let high = sorted.length - 1;
        while (low < high) {
          const mid = (low + high + 1) >> 1;
          if (sorted[mid]!.start <= at) low = mid;
          else high = mid - 1;
        }
        const holder = sorted[low];
        // Outside the resources, everything is read whole: a mention there is not confined.
        if (!holder || holder.start > at || at >= holder.end) return undefined;
        // Resources derived from one written resource (loop copies) share its place: all of them.
        for (let i = low; i >= 0 && sorted[i]!.start === holder.start; i--) changed.add(sorted[i]!.id);
      }
    }
    const linesMoved =
      countBreaks(last.text, diff.start, diff.oldEnd) !== countBreaks(doc.text, diff.start, diff.newEnd);
    return { diff, changed, changedParameters: new Set(), linesMoved, oldLength: last.text.length };
  }

  /**
   * Puts the previous version's object in place of each resource the edit did not change: same
   * id and type and the very same nodes (the parser keeps an unchanged resource's nodes and
   * moves them), so facts kept from the previous version hold this version's resources.
   * Resources built anew per version (`for_each` instances, expanded loops) are not the same and
   * stay new.
   */
  private reconcile(doc: TemplateDocument, scope: EditScope): boolean {
    const previous = this.last!.doc.resources;
    if (previous.length !== doc.resources.length) return false;
    let complete = true;
    const kept = new Map<Resource, Resource>();
    for (let i = 0; i < doc.resources.length; i++) {
      const now = doc.resources[i]!;
      const before = previous[i]!;
      if (scope.changed.has(now.id)) continue;
      // The model kept the object itself (model/document.ts): nothing to put back.
      if (now === before) continue;
      if (!sameResource(now, before, kept)) {
        complete = false;
        continue;
      }
      kept.set(now, before);
      doc.resources[i] = before;
    }
    if (kept.size)
      for (const [id, resource] of doc.resourcesById) {
        const before = kept.get(resource);
        if (before) doc.resourcesById.set(id, before);
      }
    return complete;
  }

  /**
   * The document with every resource behind its recording view. Under an edit scope a resource
   * keeps the view it had (the same id, in the same place among the resources of that id), with
   * what was recorded on it, now showing this version's resource: a fact kept from the previous
   * version that holds a resource without having read it (a VPC it only lists) reads the current
   * one through it.
   */
  private viewOf(doc: TemplateDocument, scope: EditScope | undefined): TemplateDocument {
    const views = new Map<Resource, ResourceView>();
    this.views.current = views;
    const previous = scope ? byId(this.last!.views as unknown as ResourceView[]) : undefined;
    const taken = new Map<string, number>();
    const viewOf = (r: Resource): Resource => {
      let view = views.get(r);
      if (!view) {
        const place = taken.get(r.id) ?? 0;
        taken.set(r.id, place + 1);
        view = previous?.get(r.id)?.[place];
        if (view) view.raw = r;
        else view = new ResourceView(r, this.tracker, this.views);
        views.set(r, view);
      }
      return view as unknown as Resource;
    };
    const resources = doc.resources.map(viewOf);
    const resourcesById = new Map<string, Resource>();
    for (const [id, r] of doc.resourcesById) resourcesById.set(id, viewOf(r));
    // One view of the document for all versions, showing the current one: facts kept from a
    // previous version read the document they hold (resolving a value, looking up a resource) as
    // it is now. (`lines` and `root` are read through the accessors, which record the read.)
    this.current = doc;
    const view = (this.view ??= this.liveView());
    const now: Partial<TemplateDocument> = {
      ...doc,
      resources,
      resourcesById,
      parameters: new RecordingParameters(doc.parameters, this.tracker),
    };
    delete now.lines;
    delete now.root;
    const fields = view as unknown as Record<string, unknown>;
    for (const key of Object.keys(view))
      if (key !== 'lines' && key !== 'root' && !(key in now)) delete fields[key];
    Object.assign(view, now);
    return view;
  }

  private liveView(): TemplateDocument {
    const view = {} as TemplateDocument;
    const tracker = this.tracker;
    Object.defineProperty(view, 'lines', {
      enumerable: true,
      get: () => {
        tracker.touchLines();
        return this.current!.lines;
      },
    });
    Object.defineProperty(view, 'root', {
      enumerable: true,
      get: () => {
        tracker.touchRoot();
        return this.current!.root;
      },
    });
    return view;
  }

  /** The previous version's fact families that the edit cannot have changed. */
  private keepFacts(doc: TemplateDocument, scope: EditScope): Map<string, KeptFact> {
    const last = this.last!;
    const kept = new Map<string, KeptFact>();
    const textChanged = scope.diff.start !== scope.diff.oldEnd || scope.diff.start !== scope.diff.newEnd;
    const decided = new Map<string, boolean>();
    const keep = (key: string): boolean => {
      const known = decided.get(key);
      if (known !== undefined) return known;
      decided.set(key, false); // a cycle keeps nothing
      const fact = last.facts.get(key);
      const slot = this.tracker.slot(factSlot(key));
      const ok =
        fact !== undefined &&
        !(textChanged && !keepable(fact, doc)) &&
        !this.changedBy(slot, scope) &&
        !this.dependsOnChanged(fact.options, doc, last.doc, scope) &&
        [...(this.tracker.facts[slot] ?? [])].every(keep);
      decided.set(key, ok);
      return ok;
    };
    for (const [key, fact] of last.facts) if (keep(key)) kept.set(key, fact);
    return kept;
  }

  /** True when the slot's current run read something the edit changed. */
  private changedBy(slot: number, scope: EditScope): boolean {
    const t = this.tracker;
    if (scope.linesMoved && t.lines[slot]) return true;
    for (const name of scope.changedParameters) if (t.readParameter(slot, name)) return true;
    if (!scope.changed.size && !scope.changedParameters.size) return false;
    if (t.root[slot]) return true;
    for (const view of this.changedViews) if (t.read(slot, view)) return true;
    return false;
  }

  private dependsOnChanged(
    options: FactOptions | undefined,
    doc: TemplateDocument,
    before: TemplateDocument,
    scope: EditScope,
  ): boolean {
    const dependsOn = options?.dependsOn;
    if (!dependsOn || !scope.changed.size) return false;
    for (const [d, resources] of [
      [doc, doc.resources],
      [before, before.resources],
    ] as const)
      for (const r of resources) if (scope.changed.has(r.id) && dependsOn(r, d)) return true;
    return false;
  }

  /** The previous version's findings of a rule, when the edit cannot have changed them. */
  reusable(ruleId: string, scope: EditScope | undefined): Finding[] | undefined {
    const findings = this.last?.runs.get(ruleId);
    if (!findings || !scope) return undefined;
    const slot = this.tracker.slot(ruleSlot(ruleId));
    if (this.changedBy(slot, scope)) return undefined;
    for (const key of this.tracker.facts[slot] ?? []) if (!this.keptFacts.has(key)) return undefined;
    this.lastReused++;
    return findings;
  }

  /** The next version is analysed from scratch (another file of its module changed). */
  reset(): void {
    this.last = undefined;
    this.views.current = new Map();
  }

  /** Remembers this version for the next one. */
  keep(
    doc: TemplateDocument,
    view: TemplateDocument,
    settings: Settings,
    rules: readonly Rule[],
    runs: Map<string, Finding[]>,
    facts: ReadonlyMap<string, KeptFact>,
  ): void {
    this.last = {
      text: doc.text,
      settings,
      rules,
      resources: writtenResources(doc),
      parameters: writtenParameters(doc),
      doc,
      views: view.resources,
      runs,
      facts,
    };
  }
}

/**
 * The document's parameters, recording which are read: by name (`get`), or all of them (a walk).
 * `has` is not a read: every name is the same in both versions of an edit kept to one parameter.
 */
class RecordingParameters extends Map<string, Parameter> {
  constructor(
    parameters: Map<string, Parameter>,
    private readonly tracker: ReadTracker,
  ) {
    super(parameters);
  }

  override get(name: string): Parameter | undefined {
    this.tracker.touchParameter(name);
    return super.get(name);
  }

  private all(): void {
    for (const name of super.keys()) this.tracker.touchParameter(name);
  }

  override forEach(
    fn: (value: Parameter, key: string, map: Map<string, Parameter>) => void,
    self?: unknown,
  ): void {
    this.all();
    super.forEach(fn, self);
  }

  override entries(): MapIterator<[string, Parameter]> {
    this.all();
    return super.entries();
  }

  override values(): MapIterator<Parameter> {
    this.all();
    return super.values();
  }

  override [Symbol.iterator](): MapIterator<[string, Parameter]> {
    this.all();
    return super[Symbol.iterator]();
  }
}

/**
 * The parameters as written in the document (CloudFormation Parameters, Terraform variables), or
 * undefined when an edit of one cannot be kept to it: other formats, local modules (their
 * variables are read through scopes this view does not record).
 */
function writtenParameters(doc: TemplateDocument): WrittenResource[] | undefined {
  if ((doc.format !== 'cfn' && doc.format !== 'tf') || doc.scopes?.length) return undefined;
  const out: WrittenResource[] = [];
  const limit = doc.text.length;
  for (const p of doc.parameters.values()) {
    const start = Math.min(p.keyNode.start, p.node.start);
    const end = Math.max(p.keyNode.end, p.node.end);
    // Variables of other files of a Terraform module lie past this document's text.
    if (start > limit) continue;
    out.push({ id: p.name, type: '', start, end });
  }
  return out;
}

/** Whether a fact may be kept across a change of the text (`FactOptions.keep`). */
function keepable(fact: KeptFact, doc: TemplateDocument): boolean {
  const keep = fact.options?.keep;
  if (keep === undefined) return true;
  return keep !== false && (keep as (value: unknown, doc: TemplateDocument) => boolean)(fact.value, doc);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function byId(views: ResourceView[]): Map<string, ResourceView[]> {
  const out = new Map<string, ResourceView[]>();
  for (const view of views) {
    const list = out.get(view.raw.id);
    if (list) list.push(view);
    else out.set(view.raw.id, [view]);
  }
  return out;
}

/**
 * True when two versions of a resource are the same object but for the object itself: the same
 * fields, the same nodes. `origin` is the same when it was kept (`kept` maps this version's
 * objects to the previous ones).
 */
function sameResource(now: Resource, before: Resource, kept: Map<Resource, Resource>): boolean {
  if (now.instance || before.instance) return false;
  for (const key of Object.keys(FIELDS) as (keyof Resource)[]) {
    const a = now[key];
    const b = before[key];
    if (a === b) continue;
    if (key === 'origin') {
      if (a && kept.get(a as Resource) === b) continue;
      return false;
    }
    if (key === 'condition' && a && b) {
      const [x, y] = [a as Resource['condition'] & object, b as Resource['condition'] & object];
      if (x.name === y.name && x.node === y.node) continue;
      return false;
    }
    if (key === 'loop' && a && b) {
      const [x, y] = [a as Resource['loop'] & object, b as Resource['loop'] & object];
      if (
        x.key === y.key &&
        x.elements.length === y.elements.length &&
        x.elements.every((e, i) => e === y.elements[i])
      )
        continue;
      return false;
    }
    return false;
  }
  return true;
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

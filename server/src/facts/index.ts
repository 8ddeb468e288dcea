// Security facts, derived once per document version and shared by every rule.
// Each fact family lives in its own module and memoises itself here by key, so adding a
// family never touches this file: `facts.memo('sg-rules', () => derive(doc))`.
//
// Under incremental analysis (engine/incremental.ts) a family is derived on a view of the model
// that records which resources it read, and the next version keeps it when the edit changed none
// of them (`FactOptions` says when that is not enough).

import type { Resource, TemplateDocument } from '../model/document';

export interface FactOptions {
  /**
   * False (or a function saying false of the derived value): the fact is derived again after any
   * change of the text. For facts that hold offsets as numbers (not nodes, which the parser
   * moves), or that read resources lazily when asked and cache what they found.
   */
  keep?: false | ((value: never, doc: TemplateDocument) => boolean);
  /**
   * A resource the fact depends on although the derivation does not read it through the model
   * (it read it with `untracked`): true when a change of this resource can change the fact.
   * Asked of the changed resources, as they were and as they are.
   */
  dependsOn?: (resource: Resource, doc: TemplateDocument) => boolean;
}

/** What incremental analysis records about facts (engine/incremental.ts implements it). */
export interface FactRecorder {
  /** The rule (or family) running now uses this family. */
  use(key: string): void;
  /** Derives a family, recording what it reads. */
  derive<T>(key: string, derive: () => T): T;
}

/** A family kept from the previous version, with how it was derived. */
export interface KeptFact {
  value: unknown;
  options: FactOptions | undefined;
}

export class Facts {
  private readonly cache = new Map<string, KeptFact>();

  constructor(
    readonly doc: TemplateDocument,
    private readonly recorder?: FactRecorder,
    /** Families the previous version derived that this version's edit cannot have changed. */
    kept?: ReadonlyMap<string, KeptFact>,
  ) {
    if (kept) for (const [key, fact] of kept) this.cache.set(key, fact);
  }

  memo<T>(key: string, derive: (doc: TemplateDocument) => T, options?: FactOptions): T {
    this.recorder?.use(key);
    const cached = this.cache.get(key);
    if (cached) return cached.value as T;
    const value = this.recorder ? this.recorder.derive(key, () => derive(this.doc)) : derive(this.doc);
    this.cache.set(key, { value, options });
    return value;
  }

  /** The families derived or kept for this version (kept for the next one). */
  entries(): ReadonlyMap<string, KeptFact> {
    return this.cache;
  }
}

/** Views of resources that record reads (engine/incremental.ts) keep the resource under this key. */
export const UNTRACKED = Symbol('untracked resource');

/**
 * The resource itself, not the recording view of it: for a derivation that scans every resource
 * but depends only on some, and says which through `FactOptions.dependsOn`.
 */
export function untracked(resource: Resource): Resource {
  return (resource as { [UNTRACKED]?: Resource })[UNTRACKED] ?? resource;
}

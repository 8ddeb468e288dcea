// Security facts, derived once per document version and shared by every rule.
// Each fact family lives in its own module and memoises itself here by key, so adding a
// family never touches this file: `facts.memo('sg-rules', () => derive(doc))`.

import { READS_ALL, type ReadTracker } from '../engine/incremental';
import type { TemplateDocument } from '../model/document';

export class Facts {
  private readonly cache = new Map<string, unknown>();

  constructor(
    readonly doc: TemplateDocument,
    /** Under incremental analysis (engine/incremental.ts): records that a rule used a fact. */
    private readonly tracker?: ReadTracker,
  ) {}

  memo<T>(key: string, derive: (doc: TemplateDocument) => T): T {
    // Facts are derived over every resource of the document: a rule that uses one reads them all.
    // (Recording what each derivation reads would cost more than it saves.)
    this.tracker?.touch(READS_ALL);
    if (this.cache.has(key)) return this.cache.get(key) as T;
    const value = this.tracker ? this.tracker.record(undefined, () => derive(this.doc)) : derive(this.doc);
    this.cache.set(key, value);
    return value;
  }
}

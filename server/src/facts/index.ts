// Security facts, derived once per document version and shared by every rule.
// Each fact family lives in its own module and memoises itself here by key, so adding a
// family never touches this file: `facts.memo('sg-rules', () => derive(doc))`.

import type { ReadTracker } from '../engine/incremental';
import type { TemplateDocument } from '../model/document';

/** Under incremental analysis, a use of fact `key` is recorded as a read of `FACT + key`. */
const FACT = '\u0000fact:';

export class Facts {
  private readonly cache = new Map<string, unknown>();
  /** Under incremental analysis: what deriving each fact read (engine/incremental.ts). */
  private readonly reads = new Map<string, Set<string>>();

  constructor(
    readonly doc: TemplateDocument,
    private readonly tracker?: ReadTracker,
  ) {}

  memo<T>(key: string, derive: (doc: TemplateDocument) => T): T {
    const tracker = this.tracker;
    // Facts are asked for many times per rule: a use costs one recorded key, expanded once
    // when the rule ends (withFactReads).
    tracker?.touch(FACT + key);
    if (this.cache.has(key)) return this.cache.get(key) as T;
    let value: T;
    if (tracker) {
      const reads = new Set<string>();
      this.reads.set(key, reads);
      value = tracker.record(reads, () => derive(this.doc));
    } else value = derive(this.doc);
    this.cache.set(key, value);
    return value;
  }

  /** `reads` and what deriving each fact it names read (transitively), as a list of sets. */
  withFactReads(reads: Set<string>): Set<string>[] {
    const out: Set<string>[] = [reads];
    const seen = new Set<string>();
    for (let i = 0; i < out.length; i++)
      for (const id of out[i]!)
        if (id.startsWith(FACT) && !seen.has(id)) {
          seen.add(id);
          const inner = this.reads.get(id.slice(FACT.length));
          if (inner) out.push(inner);
        }
    return out;
  }
}

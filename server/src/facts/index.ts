// Security facts, derived once per document version and shared by every rule.
// Each fact family lives in its own module and memoises itself here by key, so adding a
// family never touches this file: `facts.memo('sg-rules', () => derive(doc))`.

import type { TemplateDocument } from '../model/document';

export class Facts {
  private readonly cache = new Map<string, unknown>();
  constructor(readonly doc: TemplateDocument) {}

  memo<T>(key: string, derive: (doc: TemplateDocument) => T): T {
    if (this.cache.has(key)) return this.cache.get(key) as T;
    const value = derive(this.doc);
    this.cache.set(key, value);
    return value;
  }
}

// Hover on the controls rules read (SecurityGroupIngress, MetadataOptions, SslPolicy ...):
// what the control does and its secure setting. The texts live with the rules (Rule.controls).

import type { Resource, TemplateDocument } from '../model/document';
import type { Entry, Node } from '../parse/tree';
import { ALL_RULES } from '../rules';
import type { ControlDoc } from '../rules/types';

let index: Map<string, ControlDoc[]> | undefined;

function controlsByKey(): Map<string, ControlDoc[]> {
  if (index) return index;
  index = new Map();
  for (const rule of ALL_RULES) {
    for (const control of rule.controls ?? []) {
      for (const key of control.keys) index.set(key, [...(index.get(key) ?? []), control]);
    }
  }
  return index;
}

export function controlHover(
  doc: TemplateDocument,
  offset: number,
): { markdown: string; start: number; end: number } | undefined {
  // Resources derived from a written one (SAM, Fn::ForEach) read the same text as their own type.
  const containing = doc.resources.filter((r) => r.node.start <= offset && offset <= r.node.end);
  const derived = containing.filter((r) => r.origin || r.loop);
  for (const resource of [...derived, ...containing.filter((r) => !r.origin && !r.loop)]) {
    const entry = keyAt(resource.node, offset);
    if (!entry) continue;
    const docs = (controlsByKey().get(entry.key.value) ?? []).filter((c) => appliesTo(c, resource));
    if (!docs.length) continue;
    const unique = [...new Set(docs.map((d) => d.markdown))];
    return { markdown: unique.join('\n\n---\n\n'), start: entry.key.start, end: entry.key.end };
  }
  return undefined;
}

function appliesTo(control: ControlDoc, resource: Resource): boolean {
  return !control.resourceTypes || control.resourceTypes.includes(resource.type);
}

/** The map entry whose key contains the offset, searched below a node. */
function keyAt(node: Node, offset: number): Entry | undefined {
  let current: Node | undefined = node;
  while (current) {
    let next: Node | undefined;
    if (current.kind === 'map') {
      for (const entry of current.entries) {
        if (entry.key.start <= offset && offset <= entry.key.end) return entry;
        if (entry.value.start <= offset && offset <= entry.value.end) next = entry.value;
      }
    } else if (current.kind === 'seq') {
      next = current.items.find((i) => i.start <= offset && offset <= i.end);
    }
    current = next;
  }
  return undefined;
}

// Reading the properties the graph is built from: the node at a path (Terraform blocks step
// into their single item), booleans (YAML 1.1 spellings too), port numbers, and the raw text of
// a name that embeds an unknown (the region); and the list-valued map the indexes use.

import type { Node } from '../../parse/tree';
import { items, scalarString, get } from '../../parse/tree';
import type { Value } from '../../resolve/values';
import { booleanText } from '../../model/booleans';
import type { Path } from './types';

/** The node at a path: string steps on a single-item list (a Terraform block) step into the item. */
export function at(node: Node | undefined, path: Path): Node | undefined {
  let current = node;
  for (const step of path) {
    if (!current) return undefined;
    if (typeof step === 'number') {
      if (current.kind === 'seq') current = current.items[step];
      else current = step === 0 && current.kind === 'map' ? current : undefined;
    } else {
      if (current.kind === 'seq') current = current.items.length === 1 ? current.items[0] : undefined;
      current = get(current, step);
    }
  }
  return current;
}

export function toBool(value: Value): boolean | undefined {
  if (value === true || value === false) return value;
  if (typeof value === 'string') return booleanText(value); // YAML 1.1 yes/no/on/off too
  return undefined;
}

export function toPort(text: string | undefined): number | undefined {
  if (text === undefined || !/^-?\d+$/.test(text.trim())) return undefined;
  return Number(text);
}

/**
 * The text a value is written with, for names that embed an unknown (the region): a scalar,
 * an Fn::Sub template, an Fn::Join of scalars (`${}` for the rest).
 */
export function rawText(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  if (node.kind === 'scalar') return node.value === null ? undefined : String(node.value);
  if (node.kind === 'map' && node.entries.length === 1) {
    const entry = node.entries[0]!;
    if (entry.key.value === 'Fn::Sub') {
      const template = entry.value.kind === 'seq' ? entry.value.items[0] : entry.value;
      return scalarString(template);
    }
    if (entry.key.value === 'Fn::Join') {
      const [delimiter, list] = items(entry.value);
      if (list?.kind !== 'seq') return undefined;
      return list.items
        .map((i) => (i.kind === 'scalar' ? String(i.value) : '${}'))
        .join(scalarString(delimiter) ?? '');
    }
  }
  return undefined;
}

export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

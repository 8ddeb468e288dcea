// Fix recipes: what a fix changes, described on the model. fixes/edits.ts turns them into
// minimal text edits that keep the document's style (YAML block/flow, indentation, quoting,
// comments, key order; JSON indentation). Rules only build recipes; they never write text.

import type { MapNode, Node, SeqNode } from '../parse/tree';
import { get } from '../parse/tree';
import type { FixSafety } from '../rules/types';

/** A value to write. Special objects render per format. */
export type NewValue =
  | string
  | number
  | boolean
  | null
  | NewValue[]
  | { [key: string]: NewValue }
  | ParamRef
  | ResourceRefValue
  | SubValue;

/** A reference to a parameter (CFN `!Ref Name`) or variable (TF `${var.name}`). */
export interface ParamRef {
  $param: string;
}

/** A reference to a resource: CFN `!Ref Id` / `!GetAtt Id.Attr`; TF `${type.name.attr}` (attr defaults to id). */
export interface ResourceRefValue {
  $resource: string;
  attribute?: string;
}

/** CFN `!Sub 'text'`; TF: the text as is (use `${...}` Terraform syntax in `tf`). */
export interface SubValue {
  $sub: string;
  tf?: string;
}

export interface ParameterSpec {
  /** CFN parameter body, e.g. { Type: 'String', Description: '...' }. */
  cfn: { [key: string]: NewValue };
  /** TF variable body, e.g. { type: 'string', description: '...' }. */
  tf: { [key: string]: NewValue };
}

export interface ResourceSpec {
  /** CFN: { Type, Properties }. */
  cfn: { [key: string]: NewValue };
  /** TF: resource type and body. */
  tf: { type: string; body: { [key: string]: NewValue } };
}

export type FixOp =
  /** Replace a node with a value. */
  | { op: 'replace'; node: Node; value: NewValue }
  /** Set a key in a map: replaces the value when the key exists, inserts it otherwise. */
  | { op: 'set'; map: MapNode; key: string; value: NewValue }
  /** Remove a map entry (by key) or a sequence item (by node). */
  | { op: 'removeKey'; map: MapNode; key: string }
  | { op: 'removeItem'; seq: SeqNode; item: Node }
  /** Append an item to a sequence. */
  | { op: 'append'; seq: SeqNode; value: NewValue }
  /** Declare a parameter (CFN Parameters) or variable (TF), unless one of that name exists. */
  | { op: 'addParameter'; name: string; spec: ParameterSpec }
  /** Add a resource (CFN Resources entry / TF resource block). `name` is the logical id or TF name. */
  | { op: 'addResource'; name: string; spec: ResourceSpec }
  /** Remove a whole resource (CFN Resources entry / TF resource block) by id or address. */
  | { op: 'removeResource'; id: string }
  /**
   * Raw text replacement, for places the model cannot describe (text inside a JSON string that
   * holds a policy in Terraform). The caller is responsible for escaping.
   */
  | { op: 'text'; start: number; end: number; newText: string };

export interface FixRecipe {
  title: string;
  safety: Exclude<FixSafety, 'none'>;
  ops: FixOp[];
}

export function isParamRef(value: unknown): value is ParamRef {
  return typeof value === 'object' && value !== null && '$param' in value;
}

export function isResourceRef(value: unknown): value is ResourceRefValue {
  return typeof value === 'object' && value !== null && '$resource' in value;
}

export function isSub(value: unknown): value is SubValue {
  return typeof value === 'object' && value !== null && '$sub' in value;
}

/**
 * A `set` op for a nested path, creating what is missing:
 * setPathOp(resource.node, ['Properties', 'MetadataOptions', 'HttpTokens'], 'required').
 */
export function setPathOp(map: MapNode, path: string[], value: NewValue): FixOp {
  let current = map;
  let i = 0;
  for (; i < path.length - 1; i++) {
    const next = get(current, path[i]!);
    if (next?.kind !== 'map') break;
    current = next;
  }
  const rest = path.slice(i + 1);
  const nested = rest.reduceRight<NewValue>((acc, k) => ({ [k]: acc }), value);
  return { op: 'set', map: current, key: path[i]!, value: nested };
}

// JSON text -> syntax tree (tree.ts), never throwing. Used for CloudFormation JSON, Terraform
// JSON, plans and policy documents. jsonc-parser recovers from errors, so the finished parts of
// a half-typed document still form a tree.

import { parseTree, printParseErrorCode, type ParseError, type Node as JsonNode } from 'jsonc-parser';
import type { Entry, Node, ParsedText, SyntaxProblem } from './tree';

const MAX_DEPTH = 2000;

export function parseJson(text: string, base = 0): ParsedText {
  const problems: SyntaxProblem[] = [];
  const depth = maxDepth(text);
  if (depth > MAX_DEPTH) {
    return {
      root: undefined,
      problems: [
        {
          start: base,
          end: base + 1,
          message: `JSON is nested ${depth} levels deep; more than ${MAX_DEPTH} is not read.`,
        },
      ],
    };
  }
  try {
    const errors: ParseError[] = [];
    const tree = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
    for (const error of errors) {
      problems.push({
        start: base + error.offset,
        end: base + error.offset + Math.max(error.length, 0),
        message: describe(error),
      });
    }
    return { root: tree ? convert(tree, base) : undefined, problems };
  } catch (error) {
    problems.push({ start: base, end: base + 1, message: `JSON could not be read: ${String(error)}` });
    return { root: undefined, problems };
  }
}

function describe(error: ParseError): string {
  const code = printParseErrorCode(error.error);
  const words = code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1) + '.';
}

function convert(node: JsonNode, base: number): Node {
  const start = base + node.offset;
  const end = start + node.length;
  switch (node.type) {
    case 'object': {
      const entries: Entry[] = [];
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (!keyNode || typeof keyNode.value !== 'string') continue;
        const key = {
          kind: 'scalar' as const,
          value: keyNode.value,
          style: 'json' as const,
          start: base + keyNode.offset,
          end: base + keyNode.offset + keyNode.length,
        };
        const value: Node = valueNode
          ? convert(valueNode, base)
          : { kind: 'scalar', value: null, style: 'json', start: key.end, end: key.end };
        entries.push({ key, value, start: key.start, end: Math.max(value.end, key.end) });
      }
      return { kind: 'map', entries, style: 'json', start, end };
    }
    case 'array':
      return {
        kind: 'seq',
        items: (node.children ?? []).map((c) => convert(c, base)),
        style: 'json',
        start,
        end,
      };
    case 'string':
    case 'number':
    case 'boolean':
    case 'null':
      return {
        kind: 'scalar',
        value: (node.value ?? null) as string | number | boolean | null,
        style: 'json',
        start,
        end,
      };
    default:
      return { kind: 'scalar', value: null, style: 'json', start, end };
  }
}

/** Deepest bracket nesting outside strings; a cheap guard against stack exhaustion. */
export function maxDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) max = depth;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

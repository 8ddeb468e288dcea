// Which kind of document a text is, from its name and content. Anything that is not a
// template, Terraform JSON, a plan or a policy gets no findings and no noise.

import type { Node } from './tree';
import { get } from './tree';

export type Format = 'cfn' | 'tf' | 'plan' | 'iam';
export type Syntax = 'yaml' | 'json' | 'hcl';

/** The syntax to parse a document with, from its name, language id and first character. */
export function syntaxOf(uri: string, text: string, languageId?: string): Syntax {
  if (isHclUri(uri) || languageId === 'terraform' || languageId === 'tf' || languageId === 'hcl')
    return 'hcl';
  if (languageId === 'json' || languageId === 'jsonc') return 'json';
  if (languageId === 'yaml') return 'yaml';
  const lower = uri.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  const first = text.trimStart()[0];
  return first === '{' || first === '[' ? 'json' : 'yaml';
}

/**
 * Cheap look at the raw text, used before parsing (to skip files that cannot be ours) and
 * as a fallback when the root did not parse.
 */
export function mayBeOurs(uri: string, text: string): boolean {
  if (uri.toLowerCase().endsWith('.tf.json') || isHclUri(uri)) return true;
  return /AWSTemplateFormatVersion|AWS::|"?format_version"?|"?Statement"?|"?resource"?\s*:|"?variable"?\s*:|"?provider"?\s*:/.test(
    text.slice(0, 200_000),
  );
}

/** Terraform's native syntax: `*.tf` (not `.tfvars`, which hold values, not configuration). */
export function isHclUri(uri: string): boolean {
  return /\.tf$/i.test(uri);
}

export function detectFormat(uri: string, root: Node | undefined, text: string): Format | undefined {
  if (uri.toLowerCase().endsWith('.tf.json') || isHclUri(uri)) return 'tf';
  if (root?.kind === 'map') {
    if (get(root, 'AWSTemplateFormatVersion')) return 'cfn';
    const resources = get(root, 'Resources');
    if (resources?.kind === 'map' && resources.entries.some((e) => isAwsType(get(e.value, 'Type'))))
      return 'cfn';
    if (get(root, 'format_version') && (get(root, 'planned_values') || get(root, 'resource_changes')))
      return 'plan';
    if (get(root, 'Statement') && get(root, 'Version')) return 'iam';
    if (
      ['resource', 'variable', 'provider', 'data', 'module', 'terraform'].some(
        (k) => get(root, k)?.kind === 'map',
      )
    )
      return uri.toLowerCase().endsWith('.json') ? 'tf' : undefined;
    if (
      get(root, 'Resources') &&
      /^AWSTemplateFormatVersion|Type:\s*['"]?AWS::|"Type"\s*:\s*"AWS::/m.test(text)
    )
      return 'cfn';
    return undefined;
  }
  // Nothing parsed at the root (a broken document): decide from the text, so the user still
  // gets syntax errors on what is clearly a template.
  if (/^\s*AWSTemplateFormatVersion\s*:|"AWSTemplateFormatVersion"\s*:/m.test(text)) return 'cfn';
  if (/"format_version"\s*:/.test(text) && /"(planned_values|resource_changes)"/.test(text)) return 'plan';
  if (/^\s*\{\s*"Version"\s*:/.test(text) && /"Statement"/.test(text)) return 'iam';
  return undefined;
}

function isAwsType(node: Node | undefined): boolean {
  return node?.kind === 'scalar' && typeof node.value === 'string' && node.value.startsWith('AWS::');
}

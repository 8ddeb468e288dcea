// Text -> model: choose the syntax, parse (never throws), detect the format, build the model.

import { detectFormat, mayBeOurs, syntaxOf } from '../parse/detect';
import { parseJson } from '../parse/json';
import { IncrementalYamlParser } from '../parse/yaml';
import type { TemplateDocument } from './document';
import { buildModel } from './document';

export interface LoadOptions {
  languageId?: string;
  /** Keeps parsed chunks between versions of one open document (editor); omit for one-shot. */
  yamlParser?: IncrementalYamlParser;
}

/** Returns undefined for documents that are not ours (ordinary YAML/JSON): no findings, no noise. */
export function loadDocument(
  uri: string,
  text: string,
  options: LoadOptions = {},
): TemplateDocument | undefined {
  if (!mayBeOurs(uri, text)) return undefined;
  const syntax = syntaxOf(uri, text, options.languageId);
  const parsed =
    syntax === 'json' ? parseJson(text) : (options.yamlParser ?? new IncrementalYamlParser()).parse(text);
  const format = detectFormat(uri, parsed.root, text);
  if (!format) return undefined;
  return buildModel({ uri, text, format, syntax, root: parsed.root, problems: parsed.problems });
}

// Text -> model: choose the syntax, parse (never throws), detect the format, build the model.

import { detectFormat, mayBeOurs, syntaxOf, type Syntax } from '../parse/detect';
import { IncrementalHclParser, parseHcl } from '../parse/hcl';
import { IncrementalJsonParser, parseJson } from '../parse/json';
import { IncrementalYamlParser } from '../parse/yaml';
import type { TemplateDocument } from './document';
import { buildModel } from './document';

export interface LoadOptions {
  languageId?: string;
  /** Keeps parsed chunks between versions of one open document (editor); omit for one-shot. */
  yamlParser?: IncrementalYamlParser;
  /** The same for JSON documents. */
  jsonParser?: IncrementalJsonParser;
  /** The same for HCL (`.tf`) documents. */
  hclParser?: IncrementalHclParser;
}

/** The incremental parsers of one open document (one per URI; only the newest version's tree is valid). */
export class DocumentParsers {
  readonly yaml = new IncrementalYamlParser();
  readonly json = new IncrementalJsonParser();
  readonly hcl = new IncrementalHclParser();

  /** Frees the HCL parser's wasm memory (call when the document closes). */
  dispose(): void {
    this.hcl.dispose();
  }
}

/** Returns undefined for documents that are not ours (ordinary YAML/JSON): no findings, no noise. */
export function loadDocument(
  uri: string,
  text: string,
  options: LoadOptions = {},
): TemplateDocument | undefined {
  if (!mayBeOurs(uri, text)) return undefined;
  const syntax = syntaxOf(uri, text, options.languageId);
  if (text.length > MAX_TEXT_LENGTH) return tooLarge(uri, text, syntax);
  const parsed =
    syntax === 'hcl'
      ? options.hclParser
        ? options.hclParser.parse(text)
        : parseHcl(text)
      : syntax === 'json'
        ? options.jsonParser
          ? options.jsonParser.parse(text)
          : parseJson(text)
        : (options.yamlParser ?? new IncrementalYamlParser()).parse(text);
  const format = detectFormat(uri, parsed.root, text);
  if (!format) return undefined;
  return buildModel({ uri, text, format, syntax, root: parsed.root, problems: parsed.problems });
}

/**
 * Longest text read, in characters. CloudFormation accepts templates up to 1 MB; beyond a few
 * MB, checking on every keystroke would cost seconds and hundreds of MB, so such files get one
 * problem saying so instead.
 */
export const MAX_TEXT_LENGTH = 4_000_000;

function tooLarge(uri: string, text: string, syntax: Syntax): TemplateDocument | undefined {
  const head = text.slice(0, 200_000);
  const format =
    detectFormat(uri, undefined, head) ?? (/\bAWS::[A-Za-z0-9]+::/.test(head) ? 'cfn' : undefined);
  if (!format) return undefined;
  const firstLine = text.search(/[\r\n]/);
  const megabytes = (text.length / 1_000_000).toFixed(1);
  return buildModel({
    uri,
    text,
    format,
    syntax,
    root: undefined,
    problems: [
      {
        start: 0,
        end: firstLine < 0 ? Math.min(text.length, 200) : Math.min(firstLine, 200),
        message: `The file has ${megabytes} million characters; iac-netsec reads files up to ${MAX_TEXT_LENGTH / 1_000_000} million, so it is not checked. Split it into smaller templates.`,
      },
    ],
  });
}

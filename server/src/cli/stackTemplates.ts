// The CLI's reader of nested stack templates (unit/stack.ts): a local `TemplateURL` relative to
// the parent, read from disk through io/readFile.ts (regular files inside the roots, size-limited).

import path from 'node:path';
import { decodeUtf8, readRegularFile } from '../io/readFile';
import { MAX_TEXT_LENGTH } from '../model/load';
import type { ReadTemplate } from '../unit/stack';
import type { FileJob } from './files';

export function readStackTemplate(roots: FileJob['roots']): ReadTemplate {
  return (from, relative) => {
    const absolute = path.resolve(path.dirname(from), relative);
    try {
      const bytes = readRegularFile(absolute, { roots, maxBytes: MAX_TEXT_LENGTH }).bytes;
      return { uri: absolute, text: decodeUtf8(bytes).text };
    } catch {
      // missing, not a regular file, outside the roots, too large: the child is not read
      return undefined;
    }
  };
}

// The child templates of a CloudFormation document's nested stacks, for the service
// (unit/stack.ts): open editors win over the disk; files on disk are read through io/readFile.ts
// (regular files only, inside the workspace, size-limited) and kept until their modification time
// or size changes. Remembers which templates each document's last analysis read, so the server
// can re-check the open parents of a template that changed (in an editor or on disk).

import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { StackTemplate, StackTemplatesProvider } from '../unit/stack';
import { diskStamp, DiskTexts } from './diskTexts';

export class StackFiles {
  private readonly disk: DiskTexts;
  /** Per document URI: the files (absolute paths) its last analysis asked for. */
  private readonly reads = new Map<string, string[]>();

  constructor(
    private readonly openDocuments: () => readonly TextDocument[],
    private readonly roots: () => readonly string[],
    log: (message: string) => void,
  ) {
    this.disk = new DiskTexts(roots, log, 'nested stack template');
  }

  readonly provider: StackTemplatesProvider = (uri) => {
    if (!uri.startsWith('file:')) return undefined;
    let session: string[] | undefined;
    return {
      readTemplate: (from, relative) => {
        if (!session) {
          session = [];
          this.reads.set(uri, session);
        }
        return this.read(from, relative, session);
      },
      signature: () => (this.reads.get(uri) ?? []).map((file) => `${file}:${this.stamp(file)}`).join('|'),
    };
  };

  /** The open documents whose last analysis read this file (absolute path) as a nested template. */
  parentsOf(file: string): string[] {
    const out: string[] = [];
    for (const [uri, files] of this.reads) if (files.includes(file)) out.push(uri);
    return out;
  }

  /** Forgets a closed document. */
  forget(uri: string): void {
    this.reads.delete(uri);
  }

  private read(fromUri: string, relative: string, session: string[]): StackTemplate | undefined {
    let from: string;
    try {
      from = path.resolve(fileURLToPath(fromUri));
    } catch {
      return undefined;
    }
    const file = path.resolve(path.dirname(from), relative);
    if (!session.includes(file)) session.push(file);
    const roots = this.roots();
    if (roots.length && !roots.some((r) => file === r || file.startsWith(r + path.sep))) return undefined;
    const uri = pathToFileURL(file).href;
    const document = this.open(file);
    if (document) return { uri: document.uri, text: document.getText() };
    const entry = this.disk.read(file);
    return entry.text === undefined ? undefined : { uri, text: entry.text };
  }

  private open(file: string): TextDocument | undefined {
    for (const document of this.openDocuments()) {
      if (!document.uri.startsWith('file:')) continue;
      try {
        if (path.resolve(fileURLToPath(document.uri)) === file) return document;
      } catch {
        // not a file URI we can map
      }
    }
    return undefined;
  }

  private stamp(file: string): string {
    const document = this.open(file);
    return document ? `@${document.version}` : diskStamp(file);
  }
}

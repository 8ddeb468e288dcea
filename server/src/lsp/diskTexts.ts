// Files the server reads besides the open documents (the other files of a Terraform module, the
// child templates of nested stacks): read through io/readFile.ts (regular files only, inside the
// workspace, size-limited) and kept until their modification time or size changes. A file that
// cannot be read is skipped and the reason logged once.

import { statSync } from 'node:fs';
import { FileReadError, readTextFile } from '../io/readFile';
import { MAX_TEXT_LENGTH } from '../model/load';

export interface DiskEntry {
  /** Modification time and size (`missing` when there is no such file). */
  stamp: string;
  /** Undefined when the file is missing or cannot be read. */
  text: string | undefined;
}

/** What a file on disk is now: its modification time and size, or `missing`. */
export function diskStamp(file: string): string {
  try {
    const stat = statSync(file);
    return `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return 'missing';
  }
}

export class DiskTexts {
  private readonly entries = new Map<string, DiskEntry>();
  private readonly logged = new Set<string>();

  constructor(
    private readonly roots: () => readonly string[],
    private readonly log: (message: string) => void,
    /** What the files are, for the log: `module file`, `nested stack template`. */
    private readonly what: string,
  ) {}

  read(file: string): DiskEntry {
    const stamp = diskStamp(file);
    if (stamp === 'missing') return { stamp, text: undefined };
    const cached = this.entries.get(file);
    if (cached && cached.stamp === stamp) return cached;
    let text: string | undefined;
    try {
      text = readTextFile(file, { roots: [...this.roots()], maxBytes: MAX_TEXT_LENGTH });
    } catch (error) {
      const reason = error instanceof FileReadError ? error.message : String(error);
      if (!this.logged.has(reason)) {
        this.logged.add(reason);
        this.log(`iac-netsec: ${this.what} skipped: ${reason}`);
      }
    }
    const entry = { stamp, text };
    this.entries.set(file, entry);
    return entry;
  }
}

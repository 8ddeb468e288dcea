// The other files of a Terraform document's folder, for the service (unit/module.ts): open
// editors win over the disk; files on disk are read through io/readFile.ts (regular files
// only, inside the workspace, size-limited) and kept until their modification time or size
// changes. Anything that cannot be read is skipped and logged once.

import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ModuleFilesProvider } from '../service/service';
import { MAX_MODULE_FILES, moduleFileKind, type ModuleFile } from '../unit/module';
import { diskStamp, DiskTexts } from './diskTexts';

export class ModuleFiles {
  private readonly disk: DiskTexts;
  /** Folder of a module → the folders of the local modules its analysis read (nested ones too). */
  private readonly calls = new Map<string, Set<string>>();

  constructor(
    private readonly openDocuments: () => readonly TextDocument[],
    private readonly roots: () => readonly string[],
    log: (message: string) => void,
  ) {
    this.disk = new DiskTexts(roots, log, 'module file');
  }

  readonly provider: ModuleFilesProvider = (uri) => this.filesOf(uri);

  /** True when a change to this file may change the analysis of open files in its folder. */
  static isModuleFile(file: string): boolean {
    return moduleFileKind(file) !== undefined;
  }

  /** The folders whose analysis read the local module in `dir` (directly or through other modules). */
  callersOf(dir: string): string[] {
    const out: string[] = [];
    for (const [caller, modules] of this.calls) if (modules.has(dir)) out.push(caller);
    return out;
  }

  private filesOf(uri: string): ReturnType<ModuleFilesProvider> {
    if (!uri.startsWith('file:')) return undefined;
    let file: string;
    try {
      file = path.resolve(fileURLToPath(uri));
    } catch {
      return undefined;
    }
    const dir = path.dirname(file);
    const open = new Map<string, TextDocument>();
    for (const document of this.openDocuments()) {
      if (!document.uri.startsWith('file:')) continue;
      try {
        const p = path.resolve(fileURLToPath(document.uri));
        if (path.dirname(p) === dir) open.set(path.basename(p), document);
      } catch {
        // not a file URI we can map
      }
    }
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => moduleFileKind(n) !== undefined);
    } catch {
      names = [];
    }
    for (const name of open.keys()) if (!names.includes(name)) names.push(name);
    names.sort();
    const files: ModuleFile[] = [];
    const stamps: string[] = [];
    for (const name of names.slice(0, MAX_MODULE_FILES)) {
      const full = path.join(dir, name);
      if (full === file) continue;
      const document = open.get(name);
      if (document) {
        files.push({ uri: document.uri, text: document.getText() });
        stamps.push(`${name}@${document.version}`);
        continue;
      }
      const entry = this.disk.read(full);
      if (entry.text === undefined) continue;
      files.push({ uri: pathToFileURL(full).href, text: entry.text });
      stamps.push(`${name}:${entry.stamp}`);
    }
    // The local modules this folder's analyses read: a change in their files changes the
    // signature, so the open files of this folder are analysed again (the signature is read
    // again after the analysis, when the modules it read are known).
    let called = this.calls.get(dir);
    if (!called) {
      called = new Set();
      this.calls.set(dir, called);
    }
    const modules = called;
    const own = stamps.join('|');
    const moduleStamps = (): string => [...modules].map((m) => this.folderStamp(m)).join('|');
    return {
      files,
      get signature(): string {
        return modules.size ? `${own}#${moduleStamps()}` : own;
      },
      readModule: (from, source) => {
        const read = this.readModule(from, source);
        if (read) modules.add(read.key);
        return read;
      },
    };
  }

  /** What the module files of a folder are now: open editors' versions, else size and time on disk. */
  private folderStamp(dir: string): string {
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => {
        const kind = moduleFileKind(n);
        return kind === 'hcl' || kind === 'json';
      });
    } catch {
      return `${dir}:missing`;
    }
    const open = new Map(this.openDocuments().map((d) => [d.uri, d]));
    const out: string[] = [];
    for (const name of names.sort().slice(0, MAX_MODULE_FILES)) {
      const full = path.join(dir, name);
      const document = open.get(pathToFileURL(full).href);
      if (document) {
        out.push(`${full}@${document.version}`);
        continue;
      }
      out.push(`${full}:${diskStamp(full)}`);
    }
    return out.join(',');
  }

  /** The module files of a local module's folder (`source` relative to the calling file), inside the workspace. */
  private readModule(fromUri: string, source: string): { key: string; files: ModuleFile[] } | undefined {
    let from: string;
    try {
      from = path.resolve(fileURLToPath(fromUri));
    } catch {
      return undefined;
    }
    const dir = path.resolve(path.dirname(from), source);
    const roots = this.roots();
    if (roots.length && !roots.some((r) => dir === r || dir.startsWith(r + path.sep))) return undefined;
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => {
        const kind = moduleFileKind(n);
        return kind === 'hcl' || kind === 'json';
      });
    } catch {
      return undefined;
    }
    const open = new Map(this.openDocuments().map((d) => [d.uri, d]));
    const files: ModuleFile[] = [];
    for (const name of names.sort().slice(0, MAX_MODULE_FILES)) {
      const full = path.join(dir, name);
      const uri = pathToFileURL(full).href;
      const document = open.get(uri);
      if (document) {
        files.push({ uri, text: document.getText() });
        continue;
      }
      const entry = this.disk.read(full);
      if (entry.text !== undefined) files.push({ uri, text: entry.text });
    }
    return { key: dir, files };
  }
}

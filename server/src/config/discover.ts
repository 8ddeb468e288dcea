// Where a file's `.iac-netsec.yaml` is: the nearest one walking up from the file's directory,
// stopping at the workspace folder or the repository root (a directory holding `.git`).
// The file system is passed in, so the language server and the CLI share the walk.

import path from 'node:path';
import { ancestorDirs, CONFIG_FILE_NAME } from './config';

export interface FileProbe {
  exists(file: string): boolean;
}

/** The config file that applies to files in `dir`, or undefined. */
export function findConfigFile(
  dir: string,
  probe: FileProbe,
  stopAt: readonly string[] = [],
): string | undefined {
  const stops = new Set(stopAt.map((s) => path.resolve(s)));
  for (const current of ancestorDirs(dir)) {
    const candidate = path.join(current, CONFIG_FILE_NAME);
    if (probe.exists(candidate)) return candidate;
    if (stops.has(current) || probe.exists(path.join(current, '.git'))) return undefined;
  }
  return undefined;
}

/**
 * Where a config file may really be (after resolving links), for `readRegularFile`'s `roots`:
 * the workspace folders that hold it, else the repository holding it (the nearest ancestor
 * with `.git`), else its own directory. A config linked to a file outside is not read.
 */
export function configRoots(
  file: string,
  probe: FileProbe,
  workspaceRoots: readonly string[] = [],
): string[] {
  const absolute = path.resolve(file);
  const holding = workspaceRoots
    .map((r) => path.resolve(r))
    .filter((r) => {
      const relative = path.relative(r, absolute);
      return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
    });
  if (holding.length) return holding;
  const dir = path.dirname(absolute);
  for (const current of ancestorDirs(dir)) if (probe.exists(path.join(current, '.git'))) return [current];
  return [dir];
}

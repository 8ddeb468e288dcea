// Which files `check` and `fix` read, and with which settings: directories are walked for
// .yaml/.yml/.json/.template/.tf files, skipping node_modules, .git, .terraform, what .gitignore files ignore
// and the config's `exclude` globs; files named on the command line are always read. Each file
// gets the settings of its nearest `.iac-netsec.yaml` (or of --config).
// Every file is read with `readRegularFile` (server/src/io/readFile.ts): FIFOs, devices and
// links to them are never opened for reading; in a walked directory, a link to a file outside
// that directory is skipped with a warning (and `fix` never writes through it).

import { existsSync, readdirSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { hasErrors, parseConfig, type ConfigProblem } from '../config/config';
import { configRoots, findConfigFile } from '../config/discover';
import { defaultSettings, mergeSettings, type Settings } from '../engine/settings';
import { FileReadError, MAX_CONFIG_BYTES, readTextFile, resolveRegularFile } from '../io/readFile';
import { LineIndex } from '../model/lines';
import { UsageError } from './args';

export const EXTENSIONS = ['.yaml', '.yml', '.json', '.template', '.tf'];
// `.terraform` holds downloaded providers and modules, not the user's configuration.
const ALWAYS_SKIPPED = new Set(['node_modules', '.git', '.terraform']);

export interface ConfigEntry {
  /** Key into the settings table (the config file's path, or "" for the defaults). */
  key: string;
  settings: Settings;
  /** The config's `exclude` globs, relative to `base`. */
  exclude?: Ignore;
  base: string;
}

export interface FileJob {
  absolute: string;
  display: string;
  settingsKey: string;
  /**
   * The walked directory the file was found in: it must really lie there (after resolving
   * links) to be read or written. Absent for a file named on the command line.
   */
  roots?: string[];
}

/** Config files by directory, read once; an invalid one is a usage error (exit 2). */
export class CliConfigs {
  private readonly byDir = new Map<string, ConfigEntry>();
  private readonly byFile = new Map<string, ConfigEntry>();
  private readonly fixed: ConfigEntry | undefined;
  /**
   * existsSync, remembered for the run: every directory's walk up to its config file or
   * repository root asks about the same ancestors (hundreds of folders, one root).
   */
  private readonly probe = { exists: memoExists() };
  readonly warnings: string[] = [];

  constructor(
    private readonly cwd: string,
    configPath?: string,
  ) {
    if (configPath) {
      const absolute = path.resolve(cwd, configPath);
      if (!existsSync(absolute)) throw new UsageError(`Config file ${configPath} does not exist.`);
      this.fixed = this.load(absolute, []);
    }
  }

  /** All settings used so far, by key (sent to workers). */
  table(): Record<string, Settings> {
    const out: Record<string, Settings> = { '': defaultSettings() };
    for (const entry of this.byFile.values()) out[entry.key] = entry.settings;
    if (this.fixed) out[this.fixed.key] = this.fixed.settings;
    return out;
  }

  forDir(dir: string): ConfigEntry {
    if (this.fixed) return this.fixed;
    let entry = this.byDir.get(dir);
    if (entry) return entry;
    const file = findConfigFile(dir, this.probe);
    entry = file
      ? this.load(file, configRoots(file, this.probe))
      : { key: '', settings: defaultSettings(), base: dir };
    this.byDir.set(dir, entry);
    return entry;
  }

  /** Reads a config file; it must really lie in `roots` (none: --config, the user's choice). */
  private load(file: string, roots: string[]): ConfigEntry {
    const cached = this.byFile.get(file);
    if (cached) return cached;
    let text: string;
    try {
      text = readTextFile(file, { roots, maxBytes: MAX_CONFIG_BYTES });
    } catch (error) {
      const detail = error instanceof FileReadError ? error.detail : (error as Error).message;
      throw new UsageError(`Cannot read config file ${this.display(file)}: ${detail}`);
    }
    const result = parseConfig(text);
    const lines = new LineIndex(text);
    const describe = (p: ConfigProblem) => {
      const pos = lines.positionAt(p.start);
      return `${this.display(file)}:${pos.line + 1}:${pos.character + 1} ${p.severity} ${p.message}`;
    };
    if (hasErrors(result)) {
      throw new UsageError(
        `Invalid config file ${this.display(file)}:\n${result.problems.map((p) => `  ${describe(p)}`).join('\n')}`,
      );
    }
    for (const p of result.problems) this.warnings.push(describe(p));
    const settings = mergeSettings(defaultSettings(), result.settings);
    const entry: ConfigEntry = { key: file, settings, base: path.dirname(file) };
    if (settings.exclude.length) entry.exclude = ignore().add(settings.exclude);
    this.byFile.set(file, entry);
    return entry;
  }

  private display(file: string): string {
    return displayPath(this.cwd, file);
  }
}

function memoExists(): (file: string) => boolean {
  const known = new Map<string, boolean>();
  return (file) => {
    let exists = known.get(file);
    if (exists === undefined) known.set(file, (exists = existsSync(file)));
    return exists;
  };
}

export function displayPath(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  const shown = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
  return shown.split(path.sep).join('/');
}

interface IgnoreLayer {
  base: string;
  matcher: Ignore;
}

function readIgnoreFile(file: string): Ignore | undefined {
  try {
    return ignore().add(readTextFile(file, { maxBytes: MAX_CONFIG_BYTES }));
  } catch {
    return undefined;
  }
}

function gitRoot(dir: string): string | undefined {
  for (let current = dir; ;) {
    if (existsSync(path.join(current, '.git'))) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** .gitignore layers that apply inside `dir`: those of its ancestors up to the repository root. */
function ancestorLayers(dir: string): IgnoreLayer[] {
  const root = gitRoot(dir);
  if (!root) return [];
  const chain: string[] = [];
  for (let current = path.dirname(dir); ; current = path.dirname(current)) {
    if (path.relative(root, current).startsWith('..')) break;
    chain.unshift(current);
    if (current === root || path.dirname(current) === current) break;
  }
  const layers: IgnoreLayer[] = [];
  const exclude = readIgnoreFile(path.join(root, '.git', 'info', 'exclude'));
  if (exclude) layers.push({ base: root, matcher: exclude });
  for (const current of chain) {
    const matcher = readIgnoreFile(path.join(current, '.gitignore'));
    if (matcher) layers.push({ base: current, matcher });
  }
  return layers;
}

function ignoredBy(layers: readonly IgnoreLayer[], absolute: string, isDir: boolean): boolean {
  let ignored = false;
  for (const layer of layers) {
    const relative = path.relative(layer.base, absolute).split(path.sep).join('/');
    if (!relative || relative.startsWith('..')) continue;
    const result = layer.matcher.test(isDir ? `${relative}/` : relative);
    if (result.ignored) ignored = true;
    else if (result.unignored) ignored = false;
  }
  return ignored;
}

function excludedByConfig(entry: ConfigEntry, absolute: string, isDir: boolean): boolean {
  if (!entry.exclude) return false;
  const relative = path.relative(entry.base, absolute).split(path.sep).join('/');
  if (!relative || relative.startsWith('..')) return false;
  return entry.exclude.ignores(isDir ? `${relative}/` : relative);
}

function wanted(name: string): boolean {
  const lower = name.toLowerCase();
  return EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** The files to read for the given paths, in a stable order, each with its settings key. */
export function collectFiles(cwd: string, paths: readonly string[], configs: CliConfigs): FileJob[] {
  const jobs: FileJob[] = [];
  const seen = new Set<string>();
  const add = (absolute: string, entry: ConfigEntry, roots?: string[]) => {
    if (seen.has(absolute)) return;
    seen.add(absolute);
    const job: FileJob = { absolute, display: displayPath(cwd, absolute), settingsKey: entry.key };
    if (roots) job.roots = roots;
    jobs.push(job);
  };

  let roots: string[] = [];
  const walk = (dir: string, layers: IgnoreLayer[]) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const local = entries.some((e) => e.name === '.gitignore')
      ? readIgnoreFile(path.join(dir, '.gitignore'))
      : undefined;
    const here = local ? [...layers, { base: dir, matcher: local }] : layers;
    const config = configs.forDir(dir);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (ALWAYS_SKIPPED.has(entry.name)) continue;
      const absolute = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const stat = statSync(absolute);
          isFile = stat.isFile();
          isDir = false; // never follow directory links (cycles)
        } catch {
          continue;
        }
      }
      if (!isDir && !(isFile && wanted(entry.name))) continue;
      if (ignoredBy(here, absolute, isDir) || excludedByConfig(config, absolute, isDir)) continue;
      if (isDir) walk(absolute, here);
      else if (entry.isSymbolicLink()) {
        try {
          resolveRegularFile(absolute, { roots });
          add(absolute, config, roots);
        } catch (error) {
          // A link out of the walked tree (or to a FIFO, a device): say so and skip it.
          if (error instanceof FileReadError && error.reason === 'outside-root')
            configs.warnings.push(`${displayPath(cwd, absolute)}: ${error.detail}`);
        }
      } else add(absolute, config, roots);
    }
  };

  for (const given of paths.length ? paths : ['.']) {
    const absolute = path.resolve(cwd, given);
    let stat;
    try {
      stat = statSync(absolute);
    } catch {
      throw new UsageError(`${given}: no such file or directory.`);
    }
    if (stat.isDirectory()) {
      // A directory named on the command line is checked even if an ancestor's .gitignore
      // ignores it (the user asked for it); .gitignore files inside it still apply.
      const layers = ancestorLayers(absolute);
      roots = [absolute];
      walk(absolute, ignoredBy(layers, absolute, true) ? [] : layers);
    } else add(absolute, configs.forDir(path.dirname(absolute)));
  }
  return jobs;
}

// The repository config files (`.iac-netsec.yaml`) the open documents use: found by walking up,
// read from the open editor buffer when there is one (else from disk), validated, and kept as
// the last good settings. A broken file is reported on itself; the last good settings stay.
// From disk, a config is read with `readRegularFile`: a link to /dev/zero, a FIFO, a device, a
// file over 1 MiB or a link out of the workspace is reported on the file and not read.

import { existsSync } from 'node:fs';
import { applicable, hasErrors, parseConfig, type ConfigProblem } from '../config/config';
import { configRoots, findConfigFile } from '../config/discover';
import { FileReadError, MAX_CONFIG_BYTES, readTextFile } from '../io/readFile';
import type { Settings } from '../engine/settings';

export interface ConfigState {
  path: string;
  /** The text last read; undefined when the file does not exist. */
  text: string | undefined;
  /** The valid parts of the last text that parsed ({} until the file has parsed once). */
  good: Partial<Settings>;
  problems: ConfigProblem[];
}

export interface ConfigHost {
  /** Text of the file if it is open in the editor. */
  openText(file: string): string | undefined;
  /** Workspace folders (the walk stops there). */
  roots(): readonly string[];
  /** Problems of a config file changed (publish them; empty clears). */
  problemsChanged(state: ConfigState): void;
  log(message: string): void;
}

export class ConfigFiles {
  /** Directory -> the config file that applies there (null: none). */
  private readonly lookup = new Map<string, string | null>();
  private readonly states = new Map<string, ConfigState>();

  constructor(private readonly host: ConfigHost) {}

  /** The settings layer for files in `dir`. */
  layerFor(dir: string): Partial<Settings> {
    const file = this.fileFor(dir);
    if (!file) return {};
    let state = this.states.get(file);
    if (!state) {
      state = { path: file, text: undefined, good: {}, problems: [] };
      this.states.set(file, state);
      this.read(state);
    }
    return state.good;
  }

  private fileFor(dir: string): string | undefined {
    const cached = this.lookup.get(dir);
    if (cached !== undefined) return cached ?? undefined;
    let found: string | undefined;
    try {
      found = findConfigFile(
        dir,
        { exists: (file) => this.host.openText(file) !== undefined || existsSync(file) },
        this.host.roots(),
      );
    } catch (error) {
      this.host.log(`iac-netsec: looking for the config file of ${dir} failed: ${String(error)}`);
    }
    this.lookup.set(dir, found ?? null);
    return found;
  }

  /** The config file in force for files in `dir`, and how many problems it has. */
  statusFor(dir: string): { file: string | null; problems: number } {
    this.layerFor(dir);
    const file = this.fileFor(dir);
    return { file: file ?? null, problems: file ? (this.states.get(file)?.problems.length ?? 0) : 0 };
  }

  /** Files were created or deleted: find config files again on the next lookup. */
  forgetLookups(): void {
    this.lookup.clear();
  }

  /**
   * Reads a config file again (it changed on disk or in the editor). Returns true when the
   * settings in force changed, so open documents need a re-check.
   */
  reload(file: string): boolean {
    const state = this.states.get(file);
    if (!state) {
      // Not used by any document yet (or new): read it to report its problems; a new file
      // may now apply to documents that had another one (or none).
      const fresh: ConfigState = { path: file, text: undefined, good: {}, problems: [] };
      this.states.set(file, fresh);
      this.read(fresh);
      this.forgetLookups();
      return true;
    }
    return this.read(state);
  }

  private read(state: ConfigState): boolean {
    let text = this.host.openText(state.path);
    let unreadable: FileReadError | undefined;
    if (text === undefined) {
      try {
        text = readTextFile(state.path, {
          roots: configRoots(state.path, { exists: existsSync }, this.host.roots()),
          maxBytes: MAX_CONFIG_BYTES,
        });
      } catch (error) {
        text = undefined;
        if (error instanceof FileReadError && error.reason !== 'missing') unreadable = error;
      }
    }
    if (unreadable) {
      // There, but not a file we read: say so on the file; the defaults (or the last good
      // settings) stay in force.
      const message = unreadable.detail;
      if (state.problems.length === 1 && state.problems[0]!.message === message) return false;
      state.text = undefined;
      state.problems = [{ start: 0, end: 0, path: '', message, severity: 'error' }];
      this.host.log(`iac-netsec: ${unreadable.message}`);
      this.host.problemsChanged(state);
      return false;
    }
    if (text === state.text && state.text !== undefined) return false;
    state.text = text;
    const before = JSON.stringify(state.good);
    if (text === undefined) {
      state.good = {};
      state.problems = [];
      this.states.delete(state.path);
      this.forgetLookups();
    } else {
      const result = parseConfig(text);
      state.problems = result.problems;
      if (!applicable(result)) {
        this.host.log(
          `iac-netsec: ${state.path} cannot be read as settings; the last valid configuration stays in force.`,
        );
      } else {
        // A typo is reported and ignored; the rest of the file is in force.
        if (hasErrors(result))
          this.host.log(
            `iac-netsec: ${state.path} has ${result.problems.length} problem(s); they are ignored and the rest of the file is in force.`,
          );
        state.good = result.settings;
        this.host.log(`iac-netsec: configuration in force: ${state.path}`);
      }
    }
    this.host.problemsChanged(state);
    return JSON.stringify(state.good) !== before;
  }
}

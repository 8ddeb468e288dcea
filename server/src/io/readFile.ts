// The one way we read a file from disk (config files, CLI arguments, directory walks, and any
// future reader: sibling Terraform files, tfvars, nested templates). A repository is untrusted:
// a name may be a symbolic link to /dev/zero, a FIFO, a device, or a file outside the tree.
//
// `readRegularFile` reads a file only when, after resolving every symbolic link, it is a regular
// file, inside one of the allowed roots (when roots are given), and at most `maxBytes` long.
// Anything else is a `FileReadError` with a clear message and a `reason`, never a hang or an
// unbounded read: the file is opened non-blocking (a FIFO that was swapped in after the check
// does not block), without following a link at the last step, and checked again on the open
// descriptor before one byte is read; the read stops after `maxBytes`.
//
// Keep the names and the shape of this API stable: other modules build on it.

import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readSync,
  realpathSync,
  statSync,
  writeSync,
  ftruncateSync,
} from 'node:fs';
import path from 'node:path';

/** Default size limit for templates, plans and policies (64 MiB). */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** Size limit for `.iac-netsec.yaml` (1 MiB: a config file is a few lines). */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export type FileReadReason =
  /** The name does not exist (or a link points nowhere). */
  | 'missing'
  /** A directory, FIFO, socket or device (after resolving links). */
  | 'not-regular'
  /** The file (after resolving links) lies outside every allowed root. */
  | 'outside-root'
  /** Larger than the limit. */
  | 'too-large'
  /** Permissions or another IO error. */
  | 'unreadable';

export class FileReadError extends Error {
  constructor(
    readonly reason: FileReadReason,
    /** The path as given. */
    readonly file: string,
    /** What is wrong, without the path (e.g. `not read: it is a FIFO (named pipe), not a regular file.`). */
    readonly detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'FileReadError';
  }
}

export interface ReadOptions {
  /**
   * Directories the file must lie in after resolving links (any one of them). Omitted or empty:
   * no restriction (a file the user named explicitly).
   */
  roots?: readonly string[];
  /** Size limit in bytes (default `MAX_FILE_BYTES`). */
  maxBytes?: number;
}

export interface FileBytes {
  /** The file's real path (every link resolved). */
  realPath: string;
  bytes: Buffer;
}

// Not defined on Windows; 0 keeps the flags meaningful there (no FIFOs to worry about).
const O_NONBLOCK = constants.O_NONBLOCK ?? 0;
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;

function kind(stat: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean }): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isSocket()) return 'a socket';
  return 'a device';
}

function inside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The real path of each root (a root that does not exist allows nothing). */
function realRoots(roots: readonly string[]): string[] {
  const out: string[] = [];
  for (const root of roots) {
    try {
      out.push(realpathSync.native(root));
    } catch {
      // a missing root allows nothing
    }
  }
  return out;
}

/**
 * Where `file` really is, if reading or writing it is allowed: a regular file inside a root.
 * Throws `FileReadError` otherwise. Does not open the file.
 */
export function resolveRegularFile(file: string, options: ReadOptions = {}): string {
  let real: string;
  try {
    real = realpathSync.native(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP')
      throw new FileReadError('missing', file, `no such file${code === 'ELOOP' ? ' (link loop)' : ''}.`);
    throw new FileReadError('unreadable', file, `${(error as Error).message}`);
  }
  let stat;
  try {
    stat = statSync(real);
  } catch (error) {
    throw new FileReadError('unreadable', file, `${(error as Error).message}`);
  }
  if (!stat.isFile())
    throw new FileReadError('not-regular', file, `not read: it is ${kind(stat)}, not a regular file.`);
  if (options.roots?.length) {
    const roots = realRoots(options.roots);
    if (!roots.some((root) => inside(root, real)))
      throw new FileReadError(
        'outside-root',
        file,
        `not read: it is a link to ${real}, outside ${options.roots.length === 1 ? options.roots[0] : 'the checked trees'}.`,
      );
  }
  const max = options.maxBytes ?? MAX_FILE_BYTES;
  if (stat.size > max) throw tooLarge(file, max);
  return real;
}

function tooLarge(file: string, max: number): FileReadError {
  return new FileReadError(
    'too-large',
    file,
    `not read: larger than ${max >= 1048576 ? `${Math.round(max / 1048576)} MiB` : `${max} bytes`}.`,
  );
}

/** Opens the real path checked by `resolveRegularFile` and checks the descriptor again. */
function openChecked(file: string, real: string, flags: number, max: number): number {
  let fd: number;
  try {
    fd = openSync(real, flags | O_NONBLOCK | O_NOFOLLOW);
  } catch (error) {
    throw new FileReadError('unreadable', file, `${(error as Error).message}`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile())
      throw new FileReadError('not-regular', file, `not read: it is ${kind(stat)}, not a regular file.`);
    if (stat.size > max) throw tooLarge(file, max);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return fd;
}

/**
 * The bytes of a regular file inside the allowed roots, at most `maxBytes` of them.
 * Throws `FileReadError` for anything else.
 */
export function readRegularFile(file: string, options: ReadOptions = {}): FileBytes {
  const max = options.maxBytes ?? MAX_FILE_BYTES;
  const real = resolveRegularFile(file, options);
  const fd = openChecked(file, real, constants.O_RDONLY, max);
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      // Read one byte past the limit to notice a file that grew (or lied about its size).
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, max + 1 - total));
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (error) {
        throw new FileReadError('unreadable', file, `${(error as Error).message}`);
      }
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
      if (total > max) throw tooLarge(file, max);
    }
    return { realPath: real, bytes: Buffer.concat(chunks, total) };
  } finally {
    closeSync(fd);
  }
}

/** `readRegularFile` decoded as UTF-8 (invalid sequences become U+FFFD; a BOM is kept). */
export function readTextFile(file: string, options: ReadOptions = {}): string {
  return decodeUtf8(readRegularFile(file, options).bytes).text;
}

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/**
 * Bytes as text. `lossless` is false when the bytes are not valid UTF-8 (the text then has
 * U+FFFD in their place, and writing it back would change the file).
 */
export function decodeUtf8(bytes: Uint8Array): { text: string; lossless: boolean } {
  try {
    return { text: strict.decode(bytes), lossless: true };
  } catch {
    return { text: lenient.decode(bytes), lossless: false };
  }
}

/**
 * Replaces the contents of an existing regular file inside the allowed roots, writing to its
 * real path (never through a link that leads outside the roots, never into a FIFO or device).
 * Throws `FileReadError` when the file is not such a file.
 */
export function writeRegularFile(file: string, data: Uint8Array, options: ReadOptions = {}): void {
  const real = resolveRegularFile(file, { ...options, maxBytes: Number.MAX_SAFE_INTEGER });
  const fd = openChecked(file, real, constants.O_WRONLY, Number.MAX_SAFE_INTEGER);
  try {
    ftruncateSync(fd, 0);
    let written = 0;
    while (written < data.length) written += writeSync(fd, data, written, data.length - written, 0 + written);
  } finally {
    closeSync(fd);
  }
}

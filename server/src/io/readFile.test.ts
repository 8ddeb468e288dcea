import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeUtf8, FileReadError, readRegularFile, readTextFile, writeRegularFile } from './readFile';

const dir = mkdtempSync(path.join(os.tmpdir(), 'iac-netsec-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function reason(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof FileReadError) return `${error.reason}: ${error.message}`;
    throw error;
  }
  return 'read';
}

describe('readRegularFile', () => {
  const tree = path.join(dir, 'tree');
  mkdirSync(tree);
  const file = path.join(tree, 'a.yaml');
  writeFileSync(file, '\ufeffa: é\n');

  it('reads a regular file, keeping the byte order mark', () => {
    expect(readTextFile(file)).toBe('\ufeffa: é\n');
    expect(readRegularFile(file, { roots: [tree] }).realPath).toBe(file);
  });

  it('refuses a link to /dev/zero, a FIFO, a directory and a missing file', () => {
    const zero = path.join(tree, 'zero.yaml');
    symlinkSync('/dev/zero', zero);
    expect(reason(() => readRegularFile(zero))).toBe(
      `not-regular: ${zero}: not read: it is a device, not a regular file.`,
    );
    const fifo = path.join(tree, 'fifo.yaml');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expect(reason(() => readRegularFile(fifo))).toBe(
      `not-regular: ${fifo}: not read: it is a FIFO (named pipe), not a regular file.`,
    );
    expect(reason(() => readRegularFile(tree))).toBe(
      `not-regular: ${tree}: not read: it is a directory, not a regular file.`,
    );
    const missing = path.join(tree, 'missing.yaml');
    expect(reason(() => readRegularFile(missing))).toBe(`missing: ${missing}: no such file.`);
  });

  it('refuses a link that leads outside the roots, accepts one inside', () => {
    const outsideFile = path.join(dir, 'outside.yaml');
    writeFileSync(outsideFile, 'x: 1\n');
    const link = path.join(tree, 'out.yaml');
    symlinkSync(outsideFile, link);
    expect(reason(() => readRegularFile(link, { roots: [tree] }))).toBe(
      `outside-root: ${link}: not read: it is a link to ${outsideFile}, outside ${tree}.`,
    );
    expect(readTextFile(link)).toBe('x: 1\n');
    const inner = path.join(tree, 'in.yaml');
    symlinkSync('a.yaml', inner);
    expect(readRegularFile(inner, { roots: [tree] }).realPath).toBe(file);
  });

  it('refuses a file over the size limit', () => {
    expect(reason(() => readRegularFile(file, { maxBytes: 4 }))).toBe(
      `too-large: ${file}: not read: larger than 4 bytes.`,
    );
  });
});

describe('decodeUtf8', () => {
  it('says when bytes do not survive a round trip', () => {
    expect(decodeUtf8(Buffer.from([0x61, 0xe9, 0x0a]))).toEqual({ text: 'a\ufffd\n', lossless: false });
    expect(decodeUtf8(Buffer.from('\ufeffé\r\n', 'utf8'))).toEqual({ text: '\ufeffé\r\n', lossless: true });
  });
});

describe('writeRegularFile', () => {
  it('writes the real file inside the roots and refuses a link out of them', () => {
    const tree = path.join(dir, 'w');
    mkdirSync(tree);
    const target = path.join(dir, 'victim.yaml');
    writeFileSync(target, 'old\n');
    const link = path.join(tree, 'link.yaml');
    symlinkSync(target, link);
    expect(reason(() => writeRegularFile(link, Buffer.from('new\n'), { roots: [tree] }))).toMatch(
      /^outside-root: /,
    );
    expect(readFileSync(target, 'utf8')).toBe('old\n');
    const own = path.join(tree, 'own.yaml');
    writeFileSync(own, 'a much longer old text\n');
    writeRegularFile(own, Buffer.from('new\n'), { roots: [tree] });
    expect(readFileSync(own, 'utf8')).toBe('new\n');
  });
});

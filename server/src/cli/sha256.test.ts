import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from './sha256';

const crypto = (text: string) => createHash('sha256').update(text).digest('hex');

describe('sha256Hex', () => {
  it('gives the published digests (FIPS 180-2 examples)', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('equals node:crypto on every length around the block boundaries, and on UTF-8 text', () => {
    for (let n = 0; n <= 200; n++) {
      const text = 'x'.repeat(n);
      expect(sha256Hex(text), `length ${n}`).toBe(crypto(text));
    }
    for (const text of [
      'ssh-open-to-internet\u0000WebSg\u0000CidrIp: 0.0.0.0/0',
      'Beschreibung: Zugriff für Büro – 日本語 – 🚀',
      '\u00e9'.repeat(63),
      '\ud83d\ude80'.repeat(17),
    ])
      expect(sha256Hex(text)).toBe(crypto(text));
  });
});

// Renders images/icon.png (the extension's 128x128 icon: a shield over a small network) with
// no dependency and no download: shapes as distance functions, 4x4 supersampling, a PNG
// written with node:zlib. Re-run after changing it: node scripts/render-icon.mjs
import { Buffer } from 'node:buffer';
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SAMPLES = 4;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const BACKGROUND = [0x1b, 0x2a, 0x41];
const SHIELD = [0x2f, 0x80, 0xed];
const RIM = [0xe8, 0xf1, 0xff];
const LINK = [0xff, 0xff, 0xff];
const OPEN = [0xff, 0x9f, 0x1c];

/** Rounded square of the background. */
function inBackground(x, y) {
  const r = 22;
  const dx = Math.max(r - x, 0, x - (SIZE - r));
  const dy = Math.max(r - y, 0, y - (SIZE - r));
  return dx * dx + dy * dy <= r * r;
}

/** A shield: flat top with rounded shoulders, sides curving to a point. */
function shieldDepth(x, y, inset) {
  const cx = 64;
  const top = 18 + inset;
  const bottom = 114 - inset * 1.4;
  if (y < top || y > bottom) return false;
  const t = (y - top) / (bottom - top);
  const half = (t < 0.45 ? 42 : 42 * Math.cos(((t - 0.45) / 0.55) * (Math.PI / 2))) - inset;
  return Math.abs(x - cx) <= half;
}

function nearSegment(x, y, [ax, ay], [bx, by], width) {
  const vx = bx - ax;
  const vy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * vx + (y - ay) * vy) / (vx * vx + vy * vy)));
  const dx = x - (ax + t * vx);
  const dy = y - (ay + t * vy);
  return dx * dx + dy * dy <= (width / 2) ** 2;
}

const nodes = [
  [64, 42],
  [44, 76],
  [84, 76],
];
const open = [64, 98];

function color(x, y) {
  if (!inBackground(x, y)) return null;
  let c = BACKGROUND;
  if (shieldDepth(x, y, 0)) c = RIM;
  if (shieldDepth(x, y, 5)) c = SHIELD;
  for (const [a, b] of [
    [0, 1],
    [0, 2],
    [1, 2],
  ])
    if (nearSegment(x, y, nodes[a], nodes[b], 4)) c = LINK;
  if (nearSegment(x, y, nodes[1], open, 4) || nearSegment(x, y, nodes[2], open, 4)) c = OPEN;
  for (const [nx, ny] of nodes) if ((x - nx) ** 2 + (y - ny) ** 2 <= 81) c = LINK;
  if ((x - open[0]) ** 2 + (y - open[1]) ** 2 <= 64) c = OPEN;
  return c;
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) {
  raw[y * (SIZE * 4 + 1)] = 0; // filter: none
  for (let x = 0; x < SIZE; x++) {
    let r = 0;
    let g = 0;
    let b = 0;
    let a = 0;
    for (let sy = 0; sy < SAMPLES; sy++)
      for (let sx = 0; sx < SAMPLES; sx++) {
        const c = color(x + (sx + 0.5) / SAMPLES, y + (sy + 0.5) / SAMPLES);
        if (!c) continue;
        r += c[0];
        g += c[1];
        b += c[2];
        a++;
      }
    const o = y * (SIZE * 4 + 1) + 1 + x * 4;
    if (a) {
      raw[o] = Math.round(r / a);
      raw[o + 1] = Math.round(g / a);
      raw[o + 2] = Math.round(b / a);
    }
    raw[o + 3] = Math.round((255 * a) / (SAMPLES * SAMPLES));
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
mkdirSync(path.join(root, 'images'), { recursive: true });
writeFileSync(path.join(root, 'images', 'icon.png'), png);
console.log(`images/icon.png: ${png.length} bytes`);

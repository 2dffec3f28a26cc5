#!/usr/bin/env node
// Writes the PWA icons as flat PNGs with node:zlib only (no image tooling on
// the build machines). Run once; the output is committed under static/icons.
// A vinyl record: dark disc, accent label, on the theme background. The
// maskable variant keeps the disc inside the 80% safe zone.
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'static', 'icons');
mkdirSync(out, { recursive: true });

const BG = [0x1f, 0x1b, 0x2e];
const DISC = [0x0c, 0x0a, 0x12];
const GROOVE = [0x2a, 0x25, 0x3a];
const LABEL = [0xf2, 0x9e, 0x4c];

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function icon(size, discFraction) {
  const raw = Buffer.alloc(size * (size * 3 + 1));
  const c = size / 2;
  const r = (size / 2) * discFraction;
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x + 0.5 - c, y + 0.5 - c) / r;
      let px = BG;
      if (d <= 1) {
        px = DISC;
        if (d > 0.45 && Math.floor(d * 14) % 3 === 0) px = GROOVE;
        if (d <= 0.36) px = LABEL;
        if (d <= 0.06) px = BG;
      }
      raw.set(px, y * (size * 3 + 1) + 1 + x * 3);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

writeFileSync(join(out, 'icon-192.png'), icon(192, 0.92));
writeFileSync(join(out, 'icon-512.png'), icon(512, 0.92));
writeFileSync(join(out, 'icon-maskable-512.png'), icon(512, 0.72));
writeFileSync(join(out, 'apple-touch-icon-180.png'), icon(180, 0.92));
console.log('icons written to', out);

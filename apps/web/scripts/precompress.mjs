#!/usr/bin/env node
// Writes `x.br` and `x.gz` beside every compressible file of the static build,
// once, at build time, so the server sends a phone a compressed first load
// without compressing anything per request (apps/server serves them with
// @fastify/static's preCompressed). Brotli at its maximum quality is too slow
// to do per request, and is exactly what a one-off build step can afford.
//
//   node scripts/precompress.mjs [dir]     (default: apps/web/build)
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

export const EXTENSIONS = new Set(['.js', '.css', '.html', '.svg', '.webmanifest', '.json']);
/** Below this, a compressed answer saves less than its own headers cost. */
export const MIN_BYTES = 1024;

const defaultDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'build');

async function filesUnder(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(p)));
    else if (entry.isFile()) out.push(p);
  }
  return out;
}

async function writeIfSmaller(path, original, compressed) {
  // A compressed file that is not smaller would only cost bytes; one left from an
  // earlier run would be served in place of this build's file, so it goes.
  if (compressed.length >= original.length) {
    await rm(path, { force: true });
    return 0;
  }
  await writeFile(path, compressed);
  return compressed.length;
}

/**
 * Compresses every .js .css .html .svg .webmanifest .json file of at least
 * MIN_BYTES under `dir`. Returns what it wrote, per file, in bytes (0: skipped
 * because the compressed form was not smaller).
 * @param {string} dir
 */
export async function precompress(dir = defaultDir) {
  if (!existsSync(dir)) throw new Error(`no build at ${dir}: run vite build first`);
  const candidates = [];
  for (const file of await filesUnder(dir)) {
    if (!EXTENSIONS.has(extname(file))) continue;
    if ((await stat(file)).size < MIN_BYTES) continue;
    candidates.push(file);
  }
  const rows = await Promise.all(
    candidates.map(async (file) => {
      const original = await readFile(file);
      const [br, gzipped] = await Promise.all([
        brotli(original, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_SIZE_HINT]: original.length,
          },
        }),
        gz(original, { level: 9 }),
      ]);
      return {
        file: relative(dir, file),
        raw: original.length,
        br: await writeIfSmaller(`${file}.br`, original, br),
        gz: await writeIfSmaller(`${file}.gz`, original, gzipped),
      };
    }),
  );
  return rows.sort((a, b) => a.file.localeCompare(b.file));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? defaultDir;
  const rows = await precompress(dir);
  const raw = rows.reduce((n, r) => n + r.raw, 0);
  // what a browser downloads: the compressed file, or the original where none was written
  const sent = (k) => rows.reduce((n, r) => n + (r[k] || r.raw), 0);
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(
    `[precompress] ${rows.length} files, ${kb(raw)}: brotli ${kb(sent('br'))}, gzip ${kb(sent('gz'))}`,
  );
}

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';

const scriptUrl = new URL('./precompress.mjs', import.meta.url);
// a plain .mjs build script: loaded by URL so the app's strict typecheck stays out of it
const { precompress } = (await import(scriptUrl.href)) as {
  precompress(dir: string): Promise<{ file: string; raw: number; br: number; gz: number }[]>;
};

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

const text = (n: number) =>
  Array.from({ length: n }, (_, i) => `const v${i % 97} = "${i % 13}";\n`)
    .join('')
    .slice(0, n);

/** A small fake of apps/web/build: what is compressed, what is not and why. */
function build(): { dir: string; files: Record<string, Buffer> } {
  const dir = mkdtempSync(join(tmpdir(), 'precompress-'));
  dirs.push(dir);
  const files: Record<string, Buffer> = {
    'index.html': Buffer.from(`<!doctype html><html><body>${text(4000)}</body></html>`),
    '_app/immutable/entry/start.abc.js': Buffer.from(text(20_000)),
    '_app/immutable/assets/app.def.css': Buffer.from(`body{margin:0}\n${text(3000)}`),
    'sw.js': Buffer.from(text(5000)),
    'manifest.webmanifest': Buffer.from(JSON.stringify({ name: 'x', icons: text(2000) })),
    '_app/version.json': Buffer.from('{"version":"1"}'), // small: headers would cost more
    'icon.svg': Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg">${text(2000)}</svg>`),
    'icon.png': Buffer.from(text(5000)), // not a text type: already compressed in real life
    'data.json': randomBytes(4096), // does not compress: nothing written
  };
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), body);
  }
  return { dir, files };
}

describe('precompress (issue 12)', () => {
  it('writes .br and .gz beside each text file over 1 KB, decoding to the same bytes', async () => {
    const { dir, files } = build();
    const rows = await precompress(dir);
    const compressed = [
      'index.html',
      '_app/immutable/entry/start.abc.js',
      '_app/immutable/assets/app.def.css',
      'sw.js',
      'manifest.webmanifest',
      'icon.svg',
    ];
    for (const name of compressed) {
      const path = join(dir, name);
      const original = files[name] as Buffer;
      const br = readFileSync(`${path}.br`);
      const gz = readFileSync(`${path}.gz`);
      expect(brotliDecompressSync(br).equals(original), name).toBe(true);
      expect(gunzipSync(gz).equals(original), name).toBe(true);
      expect(br.length, name).toBeLessThan(original.length);
      expect(gz.length, name).toBeLessThan(original.length);
      // the originals stay as they were, for clients that accept neither
      expect(readFileSync(path).equals(original), name).toBe(true);
    }
    for (const name of ['_app/version.json', 'icon.png', 'data.json']) {
      expect(existsSync(join(dir, `${name}.br`)), name).toBe(false);
      expect(existsSync(join(dir, `${name}.gz`)), name).toBe(false);
    }
    expect(rows.find((r) => r.file === 'data.json')).toMatchObject({ br: 0, gz: 0 });
    expect(rows.map((r) => r.file)).not.toContain('icon.png');
  });

  it('uses brotli at its highest quality and gzip at level 9', async () => {
    const { dir, files } = build();
    await precompress(dir);
    const { brotliCompressSync, gzipSync, constants } = await import('node:zlib');
    const js = files['_app/immutable/entry/start.abc.js'] as Buffer;
    const path = join(dir, '_app/immutable/entry/start.abc.js');
    const q5 = brotliCompressSync(js, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });
    expect(readFileSync(`${path}.br`).length).toBeLessThan(q5.length);
    expect(readFileSync(`${path}.gz`).length).toBe(gzipSync(js, { level: 9 }).length);
  });

  it('removes a compressed file left by an earlier build that would no longer be smaller', async () => {
    const { dir } = build();
    writeFileSync(join(dir, 'data.json.br'), 'stale');
    writeFileSync(join(dir, 'data.json.gz'), 'stale');
    await precompress(dir);
    expect(existsSync(join(dir, 'data.json.br'))).toBe(false);
    expect(existsSync(join(dir, 'data.json.gz'))).toBe(false);
  });

  // starts node twice: a budget for a busy 2-core machine, not vitest's 5 s
  it('runs as a build step on a folder, and fails clearly without one', { timeout: 60_000 }, () => {
    const { dir } = build();
    const script = fileURLToPath(scriptUrl);
    const ok = spawnSync(process.execPath, [script, dir], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/\[precompress\] 7 files/);
    expect(existsSync(join(dir, 'sw.js.br'))).toBe(true);
    const missing = spawnSync(process.execPath, [script, join(dir, 'nope')], { encoding: 'utf8' });
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('run vite build first');
  });
});

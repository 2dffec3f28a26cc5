import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import {
  cacheControlFor,
  DEMO_HINT_COOKIE,
  IMMUTABLE,
  isSpaPath,
  NO_CACHE,
} from './static-files.js';
import { testConfig } from './test-support/config.js';
import { createWebBuildFixture, FIXTURE_FILES } from './test-support/web-build-fixture.js';

describe('serving the web build', () => {
  const fixture = createWebBuildFixture();
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp(testConfig({ webBuildDir: fixture.dir }), { logger: false });
  });
  afterAll(async () => {
    await app.close();
    fixture.cleanup();
  });

  it('caches hashed assets for a year, immutable', async () => {
    for (const path of [
      '/_app/immutable/entry/start.abc123.js',
      '/_app/immutable/assets/app.def456.css',
    ]) {
      const res = await app.inject(path);
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.body).toBe(FIXTURE_FILES[path.slice(1)]);
    }
  });

  it('never caches index.html, the service worker, workbox, the manifest or version.json without revalidation', async () => {
    for (const path of [
      '/',
      '/index.html',
      '/sw.js',
      '/workbox-1a2b3c.js',
      '/manifest.webmanifest',
      '/_app/version.json',
      '/registerSW.js',
    ]) {
      const res = await app.inject(path);
      expect(res.statusCode, path).toBe(200);
      expect(res.headers['cache-control'], path).toBe('no-cache');
    }
    expect((await app.inject('/sw.js')).headers['content-type']).toMatch(/javascript/);
  });

  it('falls back to index.html for app routes, with no-cache', async () => {
    for (const path of ['/connect', '/connect?error=access_denied', '/diary/2024/03', '/gems/']) {
      const res = await app.inject(path);
      expect(res.statusCode, path).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toBe(FIXTURE_FILES['index.html']);
    }
  });

  it('answers 404, not the app, for missing files and unknown server routes', async () => {
    for (const path of [
      '/_app/immutable/missing.js',
      '/missing.png',
      '/auth/nope',
      '/api/nope',
      '/api',
    ]) {
      const res = await app.inject(path);
      expect(res.statusCode, path).toBe(404);
      expect(res.json()).toMatchObject({ code: 'NOT_FOUND' });
    }
  });

  it('serves /api/config for the browser and /healthz', async () => {
    const res = await app.inject('/api/config');
    expect(res.json()).toEqual({
      demo: false,
      apiBaseUrl: 'http://127.0.0.1:9/v1',
      featuresBaseUrl: 'http://127.0.0.1:9/reccobeats/v1',
      spotifyAudioFeatures: false,
      imageOrigins: ['https://i.scdn.co'],
    });
    expect((await app.inject('/healthz')).json()).toEqual({ ok: true });
  });
});

describe('precompressed files (issue 12)', () => {
  const fixture = createWebBuildFixture();
  // what apps/web/scripts/precompress.mjs leaves beside the build's text files
  const big = (seed: string) =>
    Buffer.from(Array.from({ length: 400 }, (_, i) => `${seed}${i % 37};\n`).join(''));
  const originals: Record<string, Buffer> = {
    '_app/immutable/entry/start.abc123.js': big('export const chunk = '),
    'index.html': Buffer.from(`${FIXTURE_FILES['index.html']}<!--${big('pad')}-->`),
    'sw.js': big('self.precache = '),
    'manifest.webmanifest': Buffer.from(
      JSON.stringify({ name: 'Music Time Machine', pad: `${big('x')}` }),
    ),
  };
  for (const [name, body] of Object.entries(originals)) {
    const path = join(fixture.dir, name);
    writeFileSync(path, body);
    writeFileSync(`${path}.br`, brotliCompressSync(body));
    writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }));
  }
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp(testConfig({ webBuildDir: fixture.dir }), { logger: false });
  });
  afterAll(async () => {
    await app.close();
    fixture.cleanup();
  });

  const get = (url: string, acceptEncoding?: string) =>
    app.inject({
      url,
      ...(acceptEncoding !== undefined ? { headers: { 'accept-encoding': acceptEncoding } } : {}),
    });
  function decoded(res: LightMyRequestResponse): Buffer {
    const enc = res.headers['content-encoding'];
    if (enc === 'br') return brotliDecompressSync(res.rawPayload);
    if (enc === 'gzip') return gunzipSync(res.rawPayload);
    expect(enc).toBeUndefined();
    return res.rawPayload;
  }
  const varies = (res: LightMyRequestResponse) =>
    String(res.headers.vary ?? '')
      .toLowerCase()
      .split(/\s*,\s*/)
      .includes('accept-encoding');

  it('sends brotli to a browser that accepts it, gzip to one that only takes gzip, identity otherwise', async () => {
    const url = '/_app/immutable/entry/start.abc123.js';
    const original = originals['_app/immutable/entry/start.abc123.js'] as Buffer;
    const cases: [string | undefined, string | undefined][] = [
      ['gzip, deflate, br, zstd', 'br'],
      ['br', 'br'],
      ['gzip', 'gzip'],
      ['br;q=0, gzip', 'gzip'],
      ['deflate', undefined],
      ['identity', undefined],
      [undefined, undefined],
    ];
    for (const [accept, encoding] of cases) {
      const res = await get(url, accept);
      expect(res.statusCode, accept).toBe(200);
      expect(res.headers['content-encoding'], accept).toBe(encoding);
      expect(decoded(res).equals(original), accept).toBe(true);
      expect(res.headers['content-type'], accept).toMatch(/^(text|application)\/javascript/);
      expect(res.headers['cache-control'], accept).toBe(IMMUTABLE);
      expect(varies(res), accept).toBe(true);
      if (encoding !== undefined) expect(res.rawPayload.length).toBeLessThan(original.length);
    }
  });

  it('keeps index.html, the SPA fallback, the service worker and the manifest no-cache, with their own types', async () => {
    const cases: [string, string, RegExp][] = [
      ['/', 'index.html', /^text\/html/],
      ['/index.html', 'index.html', /^text\/html/],
      ['/diary/2024-03', 'index.html', /^text\/html/],
      ['/sw.js', 'sw.js', /javascript/],
      ['/manifest.webmanifest', 'manifest.webmanifest', /^application\/manifest\+json/],
    ];
    for (const [url, file, type] of cases) {
      for (const accept of ['br', 'gzip', undefined]) {
        const res = await get(url, accept);
        const label = `${url} ${accept}`;
        expect(res.statusCode, label).toBe(200);
        expect(res.headers['content-encoding'], label).toBe(accept);
        expect(decoded(res).equals(originals[file] as Buffer), label).toBe(true);
        expect(res.headers['content-type'], label).toMatch(type);
        expect(res.headers['cache-control'], label).toBe(NO_CACHE);
        expect(varies(res), label).toBe(true);
      }
    }
  });

  it('sends a file without compressed siblings as it is, still saying it varies', async () => {
    const res = await get('/favicon.png', 'br, gzip');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body).toBe(FIXTURE_FILES['favicon.png']);
    expect(varies(res)).toBe(true);
  });
});

describe('the demo hint for the first paint (issue 12)', () => {
  const fixture = createWebBuildFixture();
  const apps: FastifyInstance[] = [];
  const start = async (demo: boolean) => {
    const app = await buildApp(testConfig({ webBuildDir: fixture.dir, demo }), { logger: false });
    apps.push(app);
    return app;
  };
  afterAll(async () => {
    for (const a of apps) await a.close();
    fixture.cleanup();
  });
  const hint = (res: LightMyRequestResponse) =>
    res.cookies.find((c) => c.name === DEMO_HINT_COOKIE);

  it('rides on every page in demo mode, readable by the page, and on nothing else', async () => {
    const app = await start(true);
    for (const path of ['/', '/index.html', '/diary/2024-03', '/settings']) {
      const c = hint(await app.inject(path));
      expect(c, path).toMatchObject({ value: '1', path: '/', sameSite: 'Lax' });
      expect(c?.httpOnly, path).toBeFalsy();
    }
    for (const path of ['/_app/immutable/entry/start.abc123.js', '/sw.js', '/api/config'])
      expect(hint(await app.inject(path)), path).toBeUndefined();
  });

  it('is cleared by a page of a server that is not in demo mode, and never set by one', async () => {
    const app = await start(false);
    expect(hint(await app.inject('/'))).toBeUndefined();
    const res = await app.inject({ url: '/diary', headers: { cookie: `${DEMO_HINT_COOKIE}=1` } });
    expect(hint(res)?.value).toBe('');
    expect(hint(res)?.expires?.getTime()).toBeLessThan(Date.now());
  });
});

describe('without a web build', () => {
  it('says to run npm start instead of failing obscurely, and keeps the API working', async () => {
    const app = await buildApp(testConfig({ webBuildDir: '/nonexistent-mtm-build' }), {
      logger: false,
    });
    const res = await app.inject('/');
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm start');
    expect(res.body).toContain('/nonexistent-mtm-build/index.html');
    expect((await app.inject('/diary')).statusCode).toBe(503);
    expect((await app.inject('/healthz')).statusCode).toBe(200);
    expect((await app.inject('/api/nope')).statusCode).toBe(404);
    await app.close();
  });
});

describe('cacheControlFor / isSpaPath', () => {
  it('classifies paths', () => {
    expect(cacheControlFor('_app/immutable/chunks/x.js')).toBe(IMMUTABLE);
    expect(cacheControlFor('_app/version.json')).toBe(NO_CACHE);
    expect(cacheControlFor('immutable/x.js')).toBe(NO_CACHE);
    expect(isSpaPath('/diary/2024')).toBe(true);
    expect(isSpaPath('/auth')).toBe(false);
    expect(isSpaPath('/authors')).toBe(true);
    // the sync relay's paths answer JSON 404s, never the app's index.html
    expect(isSpaPath('/sync')).toBe(false);
    expect(isSpaPath('/sync/whatever')).toBe(false);
    expect(isSpaPath('/syncing')).toBe(true);
    expect(isSpaPath('/x/file.js')).toBe(false);
  });
});

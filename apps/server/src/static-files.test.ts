import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { cacheControlFor, IMMUTABLE, isSpaPath, NO_CACHE } from './static-files.js';
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
      imageOrigins: ['https://i.scdn.co'],
    });
    expect((await app.inject('/healthz')).json()).toEqual({ ok: true });
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
    expect(isSpaPath('/x/file.js')).toBe(false);
  });
});

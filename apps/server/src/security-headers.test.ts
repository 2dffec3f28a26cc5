import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { inlineScriptHashes } from './security-headers.js';
import { testConfig } from './test-support/config.js';
import { createWebBuildFixture, FIXTURE_INLINE_SCRIPT } from './test-support/web-build-fixture.js';

function parseCsp(header: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const part of header.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) m.set(name, values);
  }
  return m;
}

describe('Content-Security-Policy', () => {
  const fixture = createWebBuildFixture();
  afterAll(() => fixture.cleanup());

  it('allows exactly the app, the API and feature origins, Spotify images, and the inline bootstrap by hash', async () => {
    const app = await buildApp(
      testConfig({
        webBuildDir: fixture.dir,
        accountsUrl: 'https://accounts.spotify.com',
        apiUrl: 'https://api.spotify.com/v1',
        featuresUrl: 'https://api.reccobeats.com/v1',
      }),
      { logger: false },
    );
    const res = await app.inject('/');
    const csp = parseCsp(String(res.headers['content-security-policy']));
    const hash = `'sha256-${createHash('sha256').update(FIXTURE_INLINE_SCRIPT).digest('base64')}'`;
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'", hash]);
    expect(csp.get('connect-src')).toEqual([
      "'self'",
      'https://api.spotify.com',
      'https://api.reccobeats.com',
    ]);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:', 'https://i.scdn.co']);
    expect(csp.get('manifest-src')).toEqual(["'self'"]);
    expect(csp.get('worker-src')).toEqual(["'self'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.has('upgrade-insecure-requests')).toBe(false);
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    // the policy is on API answers too
    expect((await app.inject('/api/config')).headers['content-security-policy']).toBe(
      res.headers['content-security-policy'],
    );
    // /healthz is for machines and stays outside the browser plugins (see app.ts)
    expect((await app.inject('/healthz')).headers['content-security-policy']).toBeUndefined();
    await app.close();
  });

  it('adds the demo emulator origin for images and calls, and HSTS only on https', async () => {
    const app = await buildApp(
      testConfig({
        publicUrl: 'https://mtm.example.org',
        webBuildDir: fixture.dir,
        apiUrl: 'http://127.0.0.1:8889/v1',
        featuresUrl: null,
        imageOrigins: ['http://127.0.0.1:8889'],
      }),
      { logger: false },
    );
    const res = await app.inject('/');
    const csp = parseCsp(String(res.headers['content-security-policy']));
    expect(csp.get('connect-src')).toEqual(["'self'", 'http://127.0.0.1:8889']);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:', 'http://127.0.0.1:8889']);
    expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    await app.close();
  });
});

describe('inlineScriptHashes', () => {
  it('hashes inline scripts only, once each', () => {
    const html =
      '<script>a()</script><script src="/x.js"></script><script type="module">a()</script><script> </script>';
    const expected = `'sha256-${createHash('sha256').update('a()').digest('base64')}'`;
    expect(inlineScriptHashes(html)).toEqual([expected]);
  });
});

import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { createSealer } from '../seal.js';
import { openSession, SESSION_COOKIE } from '../session.js';
import { logCapture, PUBLIC_URL, testConfig } from '../test-support/config.js';
import { startTestEmulator, type TestEmulator, walkLogin } from '../test-support/flow.js';
import { b64, syncCall, tempDataDir } from '../test-support/sync.js';
import { MIB } from './protocol.js';

async function meCalls(emu: TestEmulator): Promise<number> {
  const res = await emu.emulator.app.inject('/_emulator/requests');
  const ops = (res.json() as { byOperation: Record<string, number> }).byOperation;
  return ops['get-current-users-profile'] ?? 0;
}

async function spotifyIdOf(emu: TestEmulator, accessToken: string): Promise<string> {
  const res = await emu.emulator.app.inject({
    url: '/v1/me',
    headers: { authorization: `Bearer ${accessToken}` },
  });
  return (res.json() as { id: string }).id;
}

describe('from login to sync: the server learns the account id itself', () => {
  let emu: TestEmulator;
  let app: FastifyInstance;
  const key = randomBytes(32);
  const data = tempDataDir();
  const logs = logCapture();

  beforeAll(async () => {
    emu = await startTestEmulator();
    app = await buildApp(
      testConfig({
        ...emu.client,
        sessionKeys: [key],
        accountsUrl: `${emu.base}/accounts`,
        apiUrl: `${emu.base}/v1`,
        sync: { dataDir: data.dir, databaseUrl: null, quotaBytes: MIB },
      }),
      { logger: { level: 'debug', stream: logs.stream } },
    );
  });
  afterAll(async () => {
    await app.close();
    await emu.emulator.close();
    data.cleanup();
  });
  afterEach(async () => {
    await emu.emulator.app.inject({ method: 'DELETE', url: '/_emulator/faults' });
  });

  it('asks GET /me once at the callback and seals the Spotify id into the session', async () => {
    const before = await meCalls(emu);
    const t = await walkLogin(app, emu);
    expect(t.callback.headers.location).toBe('/?connected=1');
    expect(await meCalls(emu)).toBe(before + 1);
    const session = openSession(key, t.session as string);
    expect(session?.accountId).toBe(await spotifyIdOf(emu, session?.accessToken as string));

    const cookie = `${SESSION_COOKIE}=${t.session}`;
    const put = await syncCall(app, 'PUT', '/sync/records', {
      cookie,
      body: { records: [{ id: 'r1', epoch: 0, body: b64('sealed elsewhere') }] },
    });
    expect(put.json()).toEqual({ cursor: 1 });
    // a second login of the same account (another device) lands in the same namespace
    const other = await walkLogin(app, emu);
    const list = await syncCall(app, 'GET', '/sync/records', {
      cookie: `${SESSION_COOKIE}=${other.session}`,
    });
    expect(list.json().records).toEqual([
      { seq: 1, id: 'r1', epoch: 0, body: b64('sealed elsewhere') },
    ]);
    const log = logs.lines.join('\n');
    for (const s of [session?.accessToken, session?.refreshToken]) expect(log).not.toContain(s);
  });

  it('still connects when /me fails (not allow-listed, or down), and /sync asks to connect again', async () => {
    // the outsider is not on the app's allow-list: Spotify answers 403 to every Web API call
    const outsider = await walkLogin(app, emu, { account: 'outsider' });
    await emu.emulator.app.inject({
      method: 'POST',
      url: '/_emulator/faults',
      payload: { rate: 1, kinds: ['500'] },
    });
    const down = await walkLogin(app, emu);
    for (const t of [outsider, down]) {
      expect(t.callback.headers.location).toBe('/?connected=1');
      const session = openSession(key, t.session as string);
      expect(session?.refreshToken).toBeTruthy();
      expect(session?.accountId).toBeUndefined();
      const res = await syncCall(app, 'GET', '/sync/status', {
        cookie: `${SESSION_COOKIE}=${t.session}`,
      });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ code: 'RECONNECT_FOR_SYNC' });
    }
    const warnings = logs.lines.filter((l) => l.includes('account_id_unavailable'));
    expect(warnings.map((l) => JSON.parse(l).status)).toEqual(expect.arrayContaining([403, 500]));
  });

  it('moves a cookie of the old layout (Path=/auth, no account id) to Path=/ at the next /auth/token', async () => {
    const legacy = createSealer(key, `cookie ${SESSION_COOKIE}`).seal({
      rt: 'rt-from-before-sync',
      at: 'at-from-before-sync',
      exp: Date.now() + 3600_000,
      sc: 'user-top-read',
      cat: Date.now() - 86_400_000,
    });
    const res = await app.inject({
      method: 'POST',
      url: '/auth/token',
      headers: { origin: PUBLIC_URL, cookie: `${SESSION_COOKIE}=${legacy}` },
    });
    // warm token: answered from the cookie, which is sealed again in the new layout
    expect(res.json()).toMatchObject({ connected: true, accessToken: 'at-from-before-sync' });
    const set = res.cookies.filter((c) => c.name === SESSION_COOKIE);
    expect(set.map((c) => c.path)).toEqual(['/', '/auth']);
    expect(set[1]?.value).toBe('');
    const moved = set[0]?.value as string;
    expect(openSession(key, moved)).toMatchObject({ refreshToken: 'rt-from-before-sync' });
    const again = await app.inject({
      method: 'POST',
      url: '/auth/token',
      headers: { origin: PUBLIC_URL, cookie: `${SESSION_COOKIE}=${moved}` },
    });
    // sealed once: the next answer leaves the cookie alone
    expect(again.headers['set-cookie']).toBeUndefined();
    const sync = await syncCall(app, 'GET', '/sync/status', {
      cookie: `${SESSION_COOKIE}=${moved}`,
    });
    expect(sync.json()).toMatchObject({ code: 'RECONNECT_FOR_SYNC' });
  });
});

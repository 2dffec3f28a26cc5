import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { keyId } from './seal.js';
import { tempDataDir } from './test-support/sync.js';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), 'main.ts');
const children: ChildProcess[] = [];

const data = tempDataDir();

afterEach(() => {
  for (const c of children.splice(0))
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});
afterAll(() => data.cleanup());

// Runs the real entry point (through tsx, so the test needs no prior build), with only the given environment.
function runMain(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ENV_FILE: 'none',
      DATA_DIR: data.dir,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    for (const w of waiters.splice(0)) {
      if (out.includes(w.text)) w.resolve();
      else waiters.push(w);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return {
    child,
    output: () => out,
    waitFor: (text: string) =>
      new Promise<void>((resolve, reject) => {
        if (out.includes(text)) return resolve();
        waiters.push({ text, resolve });
        child.once('exit', () =>
          out.includes(text) ? resolve() : reject(new Error(`exited before "${text}":\n${out}`)),
        );
      }),
  };
}

// Each test starts a real Node process that loads TypeScript through tsx: about a second on an
// idle machine, far longer on a busy 2-core one. vitest's 5 s default then fails a correct
// server, so these tests get a budget for a loaded machine; a hung process still fails them.
const PROCESS_TEST_TIMEOUT_MS = 60_000;

describe('main', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it('refuses a localhost PUBLIC_URL at start with the reason, exit code 78', async () => {
    const p = runMain({ PUBLIC_URL: 'http://localhost:8888', PORT: '0', DEMO_EMULATOR_PORT: '0' });
    const [code] = await once(p.child, 'exit');
    expect(code).toBe(78);
    expect(p.output()).toContain('PUBLIC_URL');
    expect(p.output()).toContain('Spotify rejects');
  });

  it('refuses a weak SESSION_KEY and a TRUST_PROXY that is not a hop count at start, exit code 78, never printing the key (issue 12)', async () => {
    const real = { SPOTIFY_CLIENT_ID: 'cid', SPOTIFY_CLIENT_SECRET: 'csecret-value', PORT: '0' };
    const weak = runMain({ ...real, SESSION_KEY: 'changeme-please' });
    expect((await once(weak.child, 'exit'))[0]).toBe(78);
    expect(weak.output()).toContain('SESSION_KEY: is a well-known placeholder');
    expect(weak.output()).not.toContain('changeme-please');
    const proxy = runMain({
      ...real,
      SESSION_KEY: randomBytes(32).toString('hex'),
      TRUST_PROXY: 'true',
    });
    expect((await once(proxy.child, 'exit'))[0]).toBe(78);
    expect(proxy.output()).toContain('TRUST_PROXY: "true" is not a hop count');
  });

  it('names the session keys by id at start, never printing them', async () => {
    const [current, older] = [randomBytes(32), randomBytes(32)];
    const keys = `${current.toString('hex')},${older.toString('base64')}`;
    const p = runMain({
      SPOTIFY_CLIENT_ID: 'cid',
      SPOTIFY_CLIENT_SECRET: 'csecret-value',
      SESSION_KEY: keys,
      PORT: '0',
      WEB_BUILD_DIR: '/nonexistent-mtm-build',
    });
    await p.waitFor('Music Time Machine at');
    await p.waitFor(')\n');
    expect(p.output()).toContain(`session key ${keyId(current)}, also accepting ${keyId(older)}`);
    for (const k of keys.split(',')) expect(p.output()).not.toContain(k);
    expect(p.output()).not.toContain('csecret-value');
    p.child.kill('SIGTERM');
    expect((await once(p.child, 'exit'))[0]).toBe(0);
  });

  it('stops at start when the sync database cannot be reached, naming it without its password', async () => {
    const p = runMain({
      PORT: '0',
      DEMO_EMULATOR_PORT: '0',
      WEB_BUILD_DIR: '/nonexistent-mtm-build',
      // port 9 (discard) on loopback: nothing listens there
      SYNC_DATABASE_URL: 'postgres://mtm:pg-password-not-printed@127.0.0.1:9/mtm',
    });
    const [code] = await once(p.child, 'exit');
    expect(code).toBe(1);
    expect(p.output()).toContain(
      'could not start: sync storage: PostgreSQL at postgres://mtm:***@127.0.0.1:9/mtm (SYNC_DATABASE_URL)',
    );
    expect(p.output()).not.toContain('pg-password-not-printed');
  });

  it('starts in demo mode with a banner, and SIGTERM closes the server and the emulator', async () => {
    const p = runMain({
      PORT: '0',
      DEMO_EMULATOR_PORT: '0',
      WEB_BUILD_DIR: '/nonexistent-mtm-build',
    });
    await p.waitFor('DEMO MODE');
    expect(p.output()).toContain('sample listener');
    await p.waitFor('MB per account');
    expect(p.output()).toContain(
      `[mtm] sync relay: SQLite at ${data.dir}/sync.sqlite, 256 MB per account`,
    );
    p.child.kill('SIGTERM');
    const [code] = await once(p.child, 'exit');
    expect(code).toBe(0);
    expect(p.output()).toContain('SIGTERM: shutting down');
  });
});

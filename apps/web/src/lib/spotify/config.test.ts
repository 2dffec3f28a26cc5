import { describe, expect, it } from 'vitest';
import { freshDb } from '../db/test-db';
import { loadConfig } from './config';

const config = {
  demo: true,
  apiBaseUrl: 'http://127.0.0.1:1/v1',
  featuresBaseUrl: null,
  imageOrigins: ['http://127.0.0.1:1'],
};

describe('loadConfig', () => {
  it('caches the server config so the next start works offline', async () => {
    const db = freshDb();
    const online = await loadConfig(db, async () => new Response(JSON.stringify(config)));
    expect(online).toEqual({ config, fresh: true });
    const offline = await loadConfig(db, async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(offline).toEqual({ config, fresh: false });
  });

  it('ignores a malformed answer and has nothing on a first offline start', async () => {
    const db = freshDb();
    expect(await loadConfig(db, async () => new Response('{"demo":"yes"}'))).toEqual({
      config: null,
      fresh: false,
    });
    expect(await loadConfig(db, async () => new Response('', { status: 503 }))).toEqual({
      config: null,
      fresh: false,
    });
  });
});

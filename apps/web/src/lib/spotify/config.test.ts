import { describe, expect, it } from 'vitest';
import { deviceKey, writeMeta } from '../db/meta';
import { freshDb } from '../db/test-db';
import { loadConfig } from './config';

const config = {
  demo: true,
  apiBaseUrl: 'http://127.0.0.1:1/v1',
  featuresBaseUrl: null,
  spotifyAudioFeatures: false,
  imageOrigins: ['http://127.0.0.1:1'],
};
const answer = (body: unknown) => async () => new Response(JSON.stringify(body));

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

  it("says whether to ask Spotify's own audio features, and no when a server does not say (issue 12)", async () => {
    const db = freshDb();
    const extended = { ...config, spotifyAudioFeatures: true };
    expect((await loadConfig(db, answer(extended))).config).toEqual(extended);
    // a server from before issue 12, and the copy an app from then left in the cache
    const { spotifyAudioFeatures: _, ...older } = config;
    expect((await loadConfig(db, answer(older))).config).toEqual(config);
    await writeMeta(db, deviceKey('config'), older);
    const offline = await loadConfig(db, async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(offline).toEqual({ config, fresh: false });
    expect(await loadConfig(freshDb(), answer({ ...config, spotifyAudioFeatures: 'on' }))).toEqual({
      config: null,
      fresh: false,
    });
  });
});

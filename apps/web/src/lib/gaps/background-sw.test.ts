// Issue 14: the service worker's capture keeps the foreground sync's
// guarantees: an expired connection or a rate limit stops it with the diary
// untouched, and no long rate limit is waited out in the background.
import { describe, expect, it } from 'vitest';
import { freshDb } from '../db/test-db';
import { addPlays, allPlays } from '../db/plays';
import { lastCapture } from '../db/capture';
import { captureInBackground } from './background-sw';

const CONFIG = {
  demo: false,
  apiBaseUrl: 'https://api.test/v1',
  featuresBaseUrl: null,
  spotifyAudioFeatures: false,
  imageOrigins: [],
};
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

async function diaryWithOnePlay() {
  const db = freshDb();
  await addPlays(db, [
    {
      accountId: 'acc',
      playedAt: Date.UTC(2026, 10, 1),
      trackId: 'trk0000000000000000001',
      msPlayed: 200_000,
      source: 'recent',
    },
  ]);
  return db;
}

describe('captureInBackground', () => {
  it('an expired connection stops it: nothing deleted, no capture noted, no Spotify request', async () => {
    const db = await diaryWithOnePlay();
    const asked: string[] = [];
    const result = await captureInBackground(async (input) => {
      const url = String(input);
      asked.push(url);
      if (url === '/api/config') return json(200, CONFIG);
      if (url === '/auth/token') return json(200, { connected: false, code: 'AUTH_EXPIRED' });
      return json(500, {});
    }, db);
    expect(result).toBeNull();
    expect(asked.filter((u) => u.startsWith('https://api.test'))).toEqual([]);
    await db.open();
    expect(await allPlays(db, 'acc')).toHaveLength(1);
    expect(await lastCapture(db, 'acc')).toBeNull();
  });

  it('a long rate limit is not waited out in the background: it gives up at once, the diary as it was', async () => {
    const db = await diaryWithOnePlay();
    let spotify = 0;
    const result = await captureInBackground(async (input) => {
      const url = String(input);
      if (url === '/api/config') return json(200, CONFIG);
      if (url === '/auth/token')
        return json(200, {
          connected: true,
          accessToken: 'tok',
          expiresAt: Date.now() + 3_600_000,
        });
      spotify++;
      return json(
        429,
        { error: { status: 429, message: 'API rate limit exceeded' } },
        {
          'retry-after': '7200',
        },
      );
    }, db);
    expect(result).toBeNull();
    expect(spotify).toBe(1);
    await db.open();
    expect(await allPlays(db, 'acc')).toHaveLength(1);
  });
});

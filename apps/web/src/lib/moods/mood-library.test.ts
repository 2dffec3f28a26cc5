import { describe, expect, it } from 'vitest';
import { nameKey, type Play, type Snapshot } from '@mtm/core';
import { freshDb, track } from '$lib/db/test-db';
import { addPlays } from '$lib/db/plays';
import { fetchMissingFeatures } from '$lib/sync/features';
import type { SyncClient } from '$lib/sync/sync-deps';
import { loadMoodLibrary, splitMissing } from './mood-library';

const A = 'acc';
const id = (c: string) => c.repeat(22);
// an imported play with no Spotify link, keyed the way core's export reader keys it
const QUEEN = nameKey('Queen', 'Bohemian Rhapsody');
const snap = (range: Snapshot['range'], trackIds: string[], takenAt = 0): Snapshot => ({
  id: `${range}-${takenAt}`,
  accountId: A,
  takenAt,
  range,
  trackIds,
});
const play = (trackId: string, playedAt: number, msPlayed = 200_000): Play => ({
  accountId: A,
  playedAt,
  trackId,
  msPlayed,
  source: 'export',
});

describe('splitMissing', () => {
  it('tells apart tracks never asked about, unknown to the source, and imported songs without a link', () => {
    const m = splitMissing(
      [id('a'), id('b'), id('c'), QUEEN],
      new Map([[id('a'), {}]]),
      new Map([[id('c'), 5]]),
    );
    expect(m).toEqual({ notFetched: [id('b')], unknownToSource: [id('c')], noLink: 1 });
  });
});

describe('loadMoodLibrary', () => {
  it('scores the whole stored history, not only the latest top list', async () => {
    const db = freshDb();
    await db.snapshots.bulkPut([
      snap('short_term', [id('a')], 10),
      snap('short_term', [id('b')], 1),
    ]);
    await addPlays(db, [play(id('c'), 5)]);
    await db.tracks.bulkPut([track(id('a')), track(id('b')), track(id('c'))]);
    await db.features.put({
      trackId: id('b'),
      energy: 1,
      valence: 1,
      danceability: 1,
      tempo: 120,
      acousticness: 0,
      instrumentalness: 0,
      source: 'reccobeats',
      fetchedAt: 0,
    });
    const lib = await loadMoodLibrary(db, A);
    expect(lib.tracks.map((t) => t.id).sort()).toEqual([id('a'), id('b'), id('c')]);
    expect([...lib.features.keys()]).toEqual([id('b')]);
    expect(lib.missing.notFetched.sort()).toEqual([id('a'), id('c')]);
  });
});

describe('loadMoodLibrary and the features step', () => {
  it('counts tracks the source did not know (as the sync records them) apart from tracks never asked about', async () => {
    const db = freshDb();
    await addPlays(db, [play(id('a'), 1), play(id('b'), 2), play(id('c'), 3), play(QUEEN, 4)]);
    await db.tracks.bulkPut([track(id('a')), track(id('b')), track(id('c')), track(QUEEN)]);
    // the source knows a, not b; c is never asked about
    const client = {
      audioFeatures: async (ids: string[]) => ({
        features: new Map(
          ids
            .filter((x) => x === id('a'))
            .map((x) => [
              x,
              {
                trackId: x,
                energy: 0.5,
                valence: 0.5,
                danceability: 0.5,
                tempo: 120,
                acousticness: 0,
                instrumentalness: 0,
                source: 'reccobeats' as const,
                fetchedAt: 9,
              },
            ]),
        ),
        missing: ids.filter((x) => x !== id('a')),
      }),
    } as unknown as SyncClient;
    await fetchMissingFeatures({ db, client, now: () => 9, sleep: async () => undefined }, [
      id('a'),
      id('b'),
    ]);
    const lib = await loadMoodLibrary(db, A);
    expect([...lib.features.keys()]).toEqual([id('a')]);
    expect(lib.missing).toEqual({ notFetched: [id('c')], unknownToSource: [id('b')], noLink: 1 });
  });
});

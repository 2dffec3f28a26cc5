import { afterEach, describe, expect, it } from 'vitest';
import { nameKey } from '@mtm/core';
import { freshDb } from '../db/test-db';
import { FakeSpotify } from './fake-spotify';
import { OutboxService } from './outbox-service.svelte';

const ID = (c: string) => c.repeat(22);

describe('OutboxService', () => {
  const services: OutboxService[] = [];
  afterEach(() => services.splice(0).forEach((s) => s.detach()));

  it('queues a tap as a dated private playlist, sends it, and lists it live', async () => {
    const db = freshDb();
    const spotify = new FakeSpotify();
    const s = new OutboxService();
    services.push(s);
    s.attach({ db, accountId: 'acc', client: spotify, now: () => Date.UTC(2026, 10, 27, 12) });
    const entry = await s.push({
      title: 'Workout Boost',
      trackIds: [ID('a'), nameKey('Queen', 'Bohemian Rhapsody'), ID('b')],
      origin: 'mood:workout',
    });
    expect(entry.name).toBe('Workout Boost - Nov 2026');
    // imported songs without a Spotify id are left out; order is kept
    expect(entry.uris).toEqual([`spotify:track:${ID('a')}`, `spotify:track:${ID('b')}`]);
    await expect.poll(() => s.entry(entry.id)?.state).toBe('done');
    expect(spotify.playlists).toHaveLength(1);
    expect(spotify.playlists[0]!.public).toBe(false);
    expect(
      spotify.playlists[0]!.description.startsWith(
        'made by Music Time Machine from your history [mtm:',
      ),
    ).toBe(true);
    expect(s.entries.map((e) => e.id)).toEqual([entry.id]);
  });

  it('queues without a client (offline first start), sends once a client binds, and refuses before any account is bound', async () => {
    const s = new OutboxService();
    services.push(s);
    await expect(s.push({ title: 'x', trackIds: [ID('a')], origin: 'o' })).rejects.toThrow(
      /Connect Spotify/,
    );
    const db = freshDb();
    s.attach({ db, accountId: 'acc', client: null });
    const entry = await s.push({ title: 'Chill Out', trackIds: [ID('a')], origin: 'mood:chill' });
    // the live list shows it waiting, and it is stored
    await expect.poll(() => s.entry(entry.id)?.state).toBe('pending');
    expect((await db.outbox.get(entry.id))?.state).toBe('pending');
    // the server's config (and with it the client) arrives with the network
    const spotify = new FakeSpotify();
    s.attach({ db, accountId: 'acc', client: spotify });
    await expect.poll(() => s.entry(entry.id)?.state).toBe('done');
    expect(spotify.playlists.map((p) => p.uris)).toEqual([[`spotify:track:${ID('a')}`]]);
  });
});

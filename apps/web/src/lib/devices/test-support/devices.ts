// Devices for tests: each a fresh database on fake-indexeddb, sharing one
// fake relay, with fixture builders for the rows a diary holds.
import type { AudioFeatures, Play, Snapshot, Track } from '@mtm/core';
import { snapshotId } from '@mtm/core';
import { freshDb, track } from '../../db/test-db';
import type { OutboxRow, TimeMachineDb } from '../../db/schema';
import { rememberAccount } from '../../db/accounts';
import { PlayWriter } from '../../db/play-writer';
import { addSnapshots } from '../../db/snapshots';
import { saveFeatures } from '../../db/features';
import { addOutboxEntry } from '../../db/outbox';
import { allPlays } from '../../db/plays';
import { createRelayClient } from '../relay-client';
import type { EngineDeps } from '../engine';
import type { FakeRelay } from './fake-relay';

export const ACCOUNT = 'listener-1';
export const DAY = 86_400_000;
export const T0 = Date.UTC(2016, 0, 1);

export class TestDevice {
  readonly db: TimeMachineDb = freshDb();
  clock = Date.UTC(2026, 5, 1);
  /** Off: every request fails as it does with no network. */
  online = true;

  constructor(
    readonly relay: FakeRelay,
    readonly accountId = ACCOUNT,
  ) {}

  async init(): Promise<this> {
    await rememberAccount(
      this.db,
      { accountId: this.accountId, displayName: 'Ana', imageUrl: null },
      this.clock,
    );
    return this;
  }

  deps(extra: Partial<EngineDeps> = {}): EngineDeps {
    return {
      db: this.db,
      relay: createRelayClient({
        fetch: (input, init) =>
          this.online ? this.relay.fetch(input, init) : Promise.reject(new TypeError('offline')),
      }),
      accountId: this.accountId,
      now: () => this.clock,
      ...extra,
    };
  }

  /** Stores plays (and their tracks) the way a capture or an import does. */
  async capture(plays: Play[], tracks: Track[] = [], precision: 'second' | 'minute' = 'second') {
    return new PlayWriter(this.db, this.accountId, () => this.clock).write(
      plays,
      tracks,
      precision,
    );
  }

  async snapshot(takenAt: number, trackIds: string[], tracks: Track[] = []): Promise<Snapshot> {
    const s: Snapshot = {
      id: snapshotId(this.accountId, 'short_term', takenAt),
      accountId: this.accountId,
      takenAt,
      range: 'short_term',
      trackIds,
    };
    await addSnapshots(this.db, [s], tracks);
    return s;
  }

  async features(trackIds: string[], fetchedAt = 1): Promise<void> {
    await saveFeatures(
      this.db,
      trackIds.map((trackId) => feature(trackId, fetchedAt)),
    );
  }

  async push(id: string, state: OutboxRow['state'], uris: string[] = []): Promise<void> {
    await addOutboxEntry(this.db, outboxRow(this.accountId, id, state, uris));
  }

  plays(): Promise<Play[]> {
    return allPlays(this.db, this.accountId);
  }
}

export function play(
  trackId: string,
  playedAt: number,
  over: Partial<Play> = {},
  accountId = ACCOUNT,
): Play {
  return { accountId, playedAt, trackId, msPlayed: 180_000, source: 'export', ...over };
}

/** Valid-looking Spotify ids: 22 base62 characters. */
export function spotifyId(n: number): string {
  return `t${String(n).padStart(21, '0')}`;
}

export function feature(trackId: string, fetchedAt = 1): AudioFeatures {
  return {
    trackId,
    energy: 0.5,
    valence: 0.4,
    danceability: 0.6,
    tempo: 120,
    acousticness: 0.1,
    instrumentalness: 0,
    source: 'reccobeats',
    fetchedAt,
  };
}

export function outboxRow(
  accountId: string,
  id: string,
  state: OutboxRow['state'],
  uris: string[] = [],
): OutboxRow {
  const done = state === 'done';
  return {
    id,
    accountId,
    createdAt: 1,
    updatedAt: 2,
    state,
    name: `Playlist ${id}`,
    description: 'made by the time machine',
    uris,
    playlistId: done ? '37i9dQZF1DXcBWIGoYBM5M' : null,
    playlistUrl: done ? 'https://open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M' : null,
    addedCount: done ? uris.length : 0,
    attempts: done ? 1 : 0,
    lastError: null,
    finishedAt: done ? 3 : null,
    origin: 'gems',
  };
}

export { track };

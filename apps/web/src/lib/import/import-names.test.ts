// Issue 12: the tracks table is shared by every diary on the device, so a file
// (a privacy export, maybe hostile) only fills what the device lacks and never
// renames a track Spotify already named.
import { describe, expect, it } from 'vitest';
import { freshDb, track } from '../db/test-db';
import { saveTracks } from '../db/tracks';
import { runImport } from './import-job';

const ID = 'track00000000000000001';

describe('importing an export next to tracks the device knows (issue 12)', () => {
  it('keeps the stored name, artists and album, and fills only what is missing', async () => {
    const db = freshDb();
    await saveTracks(db, [
      track(ID, {
        name: 'The Real Name',
        album: { id: 'album-x', name: 'The Real Album', imageUrl: null },
        durationMs: null,
      }),
    ]);
    const rows = [
      {
        ts: '2024-03-01T10:00:00Z',
        ms_played: 180_000,
        master_metadata_track_name: 'A Name Planted By A File',
        master_metadata_album_artist_name: 'Somebody Else',
        master_metadata_album_album_name: 'Another Album',
        spotify_track_uri: `spotify:track:${ID}`,
        episode_name: null,
        spotify_episode_uri: null,
        audiobook_uri: null,
      },
    ];
    const files = [new File([JSON.stringify(rows)], 'Streaming_History_Audio_2024.json')];
    const messages: string[] = [];
    await runImport(files, {
      accountId: 'acc',
      db,
      now: () => Date.UTC(2026, 0, 1),
      emit: (m) => messages.push(m.type),
    });
    expect(messages).toContain('done');
    const stored = await db.tracks.get(ID);
    expect(stored?.name).toBe('The Real Name');
    expect(stored?.album.name).toBe('The Real Album');
    expect(stored?.artists.map((a) => a.name)).toEqual([`Artist ${ID}`]);
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  MAX_PLAY_MS,
  kindFromName,
  mergePlays,
  nameKey,
  parseExportFile,
  resolveNameKeys,
  buildNameIndex,
  SKIP_REASONS,
} from './history-import.js';

const accountId = 'acc1';
// the moment of the import: after every generated instant (they end in 2030)
const NOW = Date.UTC(2030, 0, 1);
const opts = { accountId, now: NOW };
const ID_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const spotifyId = fc
  .array(fc.constantFrom(...ID_CHARS), { minLength: 22, maxLength: 22 })
  .map((c) => c.join(''));
// whole seconds between 2008 and 2030, like real `ts` values
const instant = fc
  .integer({ min: Date.UTC(2008, 0, 1) / 1000, max: Date.UTC(2030, 0, 1) / 1000 })
  .map((s) => s * 1000);
const isoTs = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
const minuteText = (ms: number): string =>
  new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
const name = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1 }),
  fc.constantFrom('Björk', 'Sigur Rós', '坂本龍一', '🎵 emoji 🎶', 'Ｆｕｌｌ', 'Beyonce\u0301'),
);

function extended(ms: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ts: isoTs(ms),
    platform: 'android',
    ms_played: 200_000,
    conn_country: 'DE',
    ip_addr: '10.0.0.1',
    master_metadata_track_name: 'Song',
    master_metadata_album_artist_name: 'Artist',
    master_metadata_album_album_name: 'Album',
    spotify_track_uri: 'spotify:track:4uLU6hMCjMI75M1A2tKUQC',
    episode_name: null,
    episode_show_name: null,
    spotify_episode_uri: null,
    audiobook_title: null,
    audiobook_uri: null,
    audiobook_chapter_uri: null,
    audiobook_chapter_title: null,
    reason_start: 'trackdone',
    reason_end: 'trackdone',
    shuffle: false,
    skipped: false,
    offline: false,
    offline_timestamp: null,
    incognito_mode: false,
    ...over,
  };
}

const extendedEntry = fc
  .record({
    ms: instant,
    ms_played: fc.integer({ min: 0, max: 900_000 }),
    track: fc.option(name),
    artist: fc.option(name),
    id: fc.option(spotifyId),
    kind: fc.constantFrom('music', 'music', 'music', 'podcast', 'audiobook'),
  })
  .map((g) =>
    extended(g.ms, {
      ms_played: g.ms_played,
      master_metadata_track_name: g.kind === 'music' ? g.track : null,
      master_metadata_album_artist_name: g.kind === 'music' ? g.artist : null,
      spotify_track_uri: g.kind === 'music' && g.id ? `spotify:track:${g.id}` : null,
      spotify_episode_uri: g.kind === 'podcast' ? 'spotify:episode:7makk4oTQel546B0PZlDM5' : null,
      episode_name: g.kind === 'podcast' ? 'Episode' : null,
      audiobook_uri: g.kind === 'audiobook' ? 'spotify:audiobook:7makk4oTQel546B0PZlDM5' : null,
    }),
  );

const sumSkips = (s: Record<string, number>): number => Object.values(s).reduce((a, b) => a + b, 0);

describe('kindFromName', () => {
  it('recognises every history file name of the export, old and new', () => {
    expect(
      kindFromName('Spotify Extended Streaming History/Streaming_History_Audio_2019-2020_3.json'),
    ).toBe('extended');
    expect(kindFromName('MyData/endsong_0.json')).toBe('extended');
    expect(kindFromName('Streaming_History_Video_2021-2024.json')).toBe('video');
    expect(kindFromName('StreamingHistory_music_0.json')).toBe('account');
    expect(kindFromName('StreamingHistory0.json')).toBe('account');
    expect(kindFromName('StreamingHistory3 (1).json')).toBe('account');
    expect(kindFromName('StreamingHistory_video_0.json')).toBe('video');
    expect(kindFromName('StreamingHistory_somethingnew_0.json')).toBeNull();
    expect(kindFromName('StreamingHistory_podcast_0.json')).toBe('podcast');
    expect(kindFromName('Userdata.json')).toBeNull();
    expect(kindFromName('Playlist1.json')).toBeNull();
  });
});

describe('parseExportFile: extended streaming history', () => {
  it('turns each music row into a play that ended at ts, keyed on the Spotify id', () => {
    const text = JSON.stringify([extended(Date.UTC(2020, 2, 29, 1, 30, 5))]);
    const r = parseExportFile('Streaming_History_Audio_2020.json', text, opts);
    expect(r.error).toBeNull();
    expect(r.kind).toBe('extended');
    expect(r.plays).toEqual([
      {
        accountId,
        playedAt: Date.UTC(2020, 2, 29, 1, 30, 5),
        trackId: '4uLU6hMCjMI75M1A2tKUQC',
        msPlayed: 200_000,
        source: 'export',
      },
    ]);
    expect(r.tracks[0]).toMatchObject({
      id: '4uLU6hMCjMI75M1A2tKUQC',
      name: 'Song',
      artists: [{ id: null, name: 'Artist' }],
      album: { name: 'Album', imageUrl: null },
    });
  });

  it('keeps plays shorter than 30 s (they are not streams, but they happened)', () => {
    const r = parseExportFile(
      'endsong_0.json',
      JSON.stringify([extended(Date.UTC(2015, 0, 1), { ms_played: 1200 })]),
      opts,
    );
    expect(r.plays).toHaveLength(1);
    expect(r.plays[0]!.msPlayed).toBe(1200);
  });

  it('skips podcasts and audiobooks by reason, and keeps local files under their name key', () => {
    const t = Date.UTC(2021, 5, 1);
    const rows = [
      extended(t, {
        master_metadata_track_name: null,
        master_metadata_album_artist_name: null,
        spotify_track_uri: null,
        episode_name: 'Ep',
        spotify_episode_uri: 'spotify:episode:7makk4oTQel546B0PZlDM5',
      }),
      extended(t + 1000, {
        master_metadata_track_name: null,
        master_metadata_album_artist_name: null,
        spotify_track_uri: null,
        audiobook_title: 'Book',
        audiobook_uri: 'spotify:audiobook:x',
      }),
      extended(t + 2000, {
        spotify_track_uri: null,
        master_metadata_track_name: 'Demo Tape',
        master_metadata_album_artist_name: 'Me',
      }),
      extended(t + 3000, {
        spotify_track_uri: null,
        master_metadata_track_name: null,
        master_metadata_album_artist_name: null,
      }),
    ];
    const r = parseExportFile('Streaming_History_Audio_2021.json', JSON.stringify(rows), opts);
    expect(r.skipped).toMatchObject({ podcast: 1, audiobook: 1, 'no-track': 1 });
    expect(r.plays.map((p) => p.trackId)).toEqual([nameKey('Me', 'Demo Tape')]);
  });

  it('counts a whole video history file as skipped, not as an error', () => {
    const r = parseExportFile(
      'Streaming_History_Video_2020-2024.json',
      JSON.stringify([extended(0), extended(1000)]),
      opts,
    );
    expect(r).toMatchObject({ kind: 'video', error: null, plays: [], skipped: { video: 2 } });
  });

  it('every entry is either a play or skipped for a reason (generated files)', () => {
    fc.assert(
      fc.property(fc.array(extendedEntry, { maxLength: 60 }), (rows) => {
        const r = parseExportFile('Streaming_History_Audio_2019.json', JSON.stringify(rows), opts);
        expect(r.error).toBeNull();
        expect(r.plays.length + sumSkips(r.skipped)).toBe(rows.length);
        for (const p of r.plays)
          expect(rows.some((row) => Date.parse(row.ts as string) === p.playedAt)).toBe(true);
        const ids = new Set(r.plays.map((p) => p.trackId));
        expect(r.tracks.every((t) => ids.has(t.id))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('a BOM in front of the file changes nothing', () => {
    fc.assert(
      fc.property(fc.array(extendedEntry, { maxLength: 20 }), (rows) => {
        const text = JSON.stringify(rows);
        expect(parseExportFile('endsong_1.json', `\ufeff${text}`, opts)).toEqual(
          parseExportFile('endsong_1.json', text, opts),
        );
      }),
      { numRuns: 50 },
    );
  });

  it('keeps absurd durations but caps them, and counts them as adjusted', () => {
    const rows =
      `[${JSON.stringify(extended(Date.UTC(2020, 0, 1))).replace('"ms_played":200000', '"ms_played":1e400')},` +
      `${JSON.stringify(extended(Date.UTC(2020, 0, 2), { ms_played: 1e300 }))},${JSON.stringify(extended(Date.UTC(2020, 0, 3), { ms_played: -5 }))},` +
      `${JSON.stringify(extended(Date.UTC(2020, 0, 4), { ms_played: 12_345.6 }))}]`;
    const r = parseExportFile('endsong_0.json', rows, opts);
    expect(r.error).toBeNull();
    expect(r.plays.map((p) => p.msPlayed)).toEqual([MAX_PLAY_MS, MAX_PLAY_MS, 0, 12_346]);
    expect(r.adjusted).toBe(3);
  });

  it('drops a row repeated within a file as a duplicate', () => {
    const row = extended(Date.UTC(2020, 0, 1));
    const r = parseExportFile('endsong_0.json', JSON.stringify([row, row]), opts);
    expect(r.plays).toHaveLength(1);
    expect(r.skipped.duplicate).toBe(1);
  });
});

describe('parseExportFile: account data', () => {
  it('reads endTime as UTC to the minute and keys the play on artist + title', () => {
    const r = parseExportFile(
      'StreamingHistory_music_0.json',
      JSON.stringify([
        {
          endTime: '2024-03-31 01:30',
          artistName: 'Sigur Rós',
          trackName: 'Hoppípolla',
          msPlayed: 268_000,
        },
      ]),
      opts,
    );
    expect(r.error).toBeNull();
    expect(r.plays).toEqual([
      {
        accountId,
        playedAt: Date.UTC(2024, 2, 31, 1, 30),
        trackId: nameKey('Sigur Rós', 'Hoppípolla'),
        msPlayed: 268_000,
        source: 'export',
      },
    ]);
    expect(r.tracks[0]).toMatchObject({
      id: nameKey('Sigur Rós', 'Hoppípolla'),
      name: 'Hoppípolla',
      artists: [{ name: 'Sigur Rós' }],
    });
  });

  it('places every minute around daylight-saving changes at its UTC instant, whatever the device zone', () => {
    // the last Sundays of March and October (EU) and the US second Sunday of March, ±2 days
    const boundaries = [
      Date.UTC(2023, 2, 26),
      Date.UTC(2023, 9, 29),
      Date.UTC(2024, 2, 10),
      Date.UTC(2024, 2, 31),
      Date.UTC(2024, 9, 27),
    ];
    const minute = fc
      .tuple(fc.constantFrom(...boundaries), fc.integer({ min: -2 * 24 * 60, max: 2 * 24 * 60 }))
      .map(([b, m]) => b + m * 60_000);
    fc.assert(
      fc.property(fc.array(minute, { minLength: 1, maxLength: 30 }), (minutes) => {
        const rows = minutes.map((t) => ({
          endTime: minuteText(t),
          artistName: 'A',
          trackName: 'T',
          msPlayed: 1000,
        }));
        const r = parseExportFile('StreamingHistory_music_1.json', JSON.stringify(rows), opts);
        expect(r.plays.map((p) => p.playedAt).sort()).toEqual([...new Set(minutes)].sort());
      }),
    );
  });

  it('treats a podcast account-data file as skipped podcasts', () => {
    const r = parseExportFile(
      'StreamingHistory_podcast_0.json',
      JSON.stringify([
        { endTime: '2024-01-01 10:00', podcastName: 'P', episodeName: 'E', msPlayed: 5 },
      ]),
      opts,
    );
    expect(r).toMatchObject({ kind: 'podcast', error: null, plays: [], skipped: { podcast: 1 } });
  });
});

describe('parseExportFile: dates no export can hold (issue 12)', () => {
  const account = (endTime: string, trackName = 'T') => ({
    endTime,
    artistName: 'A',
    trackName,
    msPlayed: 1000,
  });

  it('skips an extended play dated before 2006 or after tomorrow as out-of-range, names and all', () => {
    const now = Date.UTC(2026, 11, 3, 13, 45);
    const rows = [
      extended(Date.UTC(2005, 11, 31, 23, 59, 59), { master_metadata_track_name: 'Too early' }),
      extended(Date.UTC(2006, 0, 1), { master_metadata_track_name: 'First day' }),
      extended(Date.UTC(2026, 11, 4, 23, 59, 59), { master_metadata_track_name: 'Tomorrow' }),
      extended(Date.UTC(2026, 11, 5), { master_metadata_track_name: 'Day after' }),
      { ...extended(0), ts: '9999-12-31T23:59:59Z', master_metadata_track_name: 'Year 9999' },
      { ...extended(0), ts: '0000-01-01T00:00:00Z', master_metadata_track_name: 'Year 0' },
      extended(0, { master_metadata_track_name: 'Zero timestamp' }),
    ];
    // one song per row, so a name kept from a skipped row would show
    const songs = rows.map((row, i) => ({
      ...row,
      spotify_track_uri: `spotify:track:${String(i).padStart(22, 'x')}`,
    }));
    const r = parseExportFile('endsong_0.json', JSON.stringify(songs), { accountId, now });
    expect(r.error).toBeNull();
    expect(r.plays.map((p) => p.playedAt)).toEqual([
      Date.UTC(2006, 0, 1),
      Date.UTC(2026, 11, 4, 23, 59, 59),
    ]);
    expect(r.skipped['out-of-range']).toBe(5);
    expect(r.tracks.map((t) => t.name)).toEqual(['First day', 'Tomorrow']);
  });

  it('skips account-data rows out of range the same way, years 0-99 included (not read as 19xx)', () => {
    const now = Date.UTC(2024, 5, 1);
    const rows = [
      account('2024-06-02 23:59', 'Tomorrow'),
      account('2024-06-03 00:00', 'Day after'),
      account('9999-12-31 23:59', 'Year 9999'),
      account('0050-01-01 00:00', 'Year 50'),
      account('1999-12-31 23:59', 'Before Spotify'),
    ];
    const r = parseExportFile('StreamingHistory_music_0.json', JSON.stringify(rows), {
      accountId,
      now,
    });
    expect(r.error).toBeNull();
    expect(r.plays.map((p) => p.playedAt)).toEqual([Date.UTC(2024, 5, 2, 23, 59)]);
    expect(r.skipped['out-of-range']).toBe(4);
    expect(r.tracks.map((t) => t.name)).toEqual(['Tomorrow']);
  });

  it('counts an out-of-range row once as out-of-range, not as a duplicate or an adjusted play', () => {
    const row = { ...extended(0), ts: '9999-01-01T00:00:00Z', ms_played: -5 };
    const r = parseExportFile('endsong_0.json', JSON.stringify([row, row]), opts);
    expect(r.skipped).toMatchObject({ 'out-of-range': 2, duplicate: 0 });
    expect(r.adjusted).toBe(0);
  });

  it('throws at once when the caller gives no clock, instead of skipping every play', () => {
    const noClock = { accountId } as unknown as Parameters<typeof parseExportFile>[2];
    expect(() => parseExportFile('endsong_0.json', '[]', noClock)).toThrow(
      /opts\.now must be the time in ms, got undefined/,
    );
    expect(() => parseExportFile('endsong_0.json', '[]', { accountId, now: Number.NaN })).toThrow(
      TypeError,
    );
  });

  it('rejects dates the calendar has not, instead of rolling them into another day', () => {
    for (const ts of ['2024-02-30T10:00:00Z', '2023-02-29T10:00:00Z', '2024-01-01T24:00:00Z']) {
      const r = parseExportFile('endsong_0.json', JSON.stringify([{ ...extended(0), ts }]), opts);
      expect(r.error, ts).toMatchObject({ code: 'BAD_ENTRY', index: 0, field: 'ts' });
    }
    const leap = parseExportFile(
      'endsong_0.json',
      JSON.stringify([{ ...extended(0), ts: '2024-02-29T10:00:00+01:00' }]),
      opts,
    );
    expect(leap.plays.map((p) => p.playedAt)).toEqual([Date.UTC(2024, 1, 29, 9)]);
  });
});

describe('parseExportFile: bad files', () => {
  it('never throws, and a file with an error yields no plays (any text)', () => {
    const anything = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.json(),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.array(extendedEntry).map((r) => JSON.stringify(r).slice(0, -3)),
    );
    fc.assert(
      fc.property(
        fc.constantFrom('endsong_0.json', 'StreamingHistory0.json', 'x.json'),
        anything,
        (file, text) => {
          const r = parseExportFile(file, text, opts);
          if (r.error) {
            expect(r.plays).toEqual([]);
            expect(r.error.message).toContain(file);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('names the file for text that is not JSON, or cut short', () => {
    const r = parseExportFile('endsong_3.json', '[{"ts":"2020-01-01T00:00:00Z","ms_pl', opts);
    expect(r.error).toMatchObject({ code: 'NOT_JSON', file: 'endsong_3.json' });
    expect(r.error!.message).toMatch(/endsong_3\.json could not be read/);
  });

  it('rejects a JSON object where a list of plays belongs', () => {
    expect(parseExportFile('StreamingHistory0.json', '{"plays": []}', opts).error?.code).toBe(
      'NOT_A_LIST',
    );
  });

  it('says a file of another service is not Spotify history (YouTube watch history)', () => {
    const youtube = [
      {
        header: 'YouTube Music',
        title: 'Watched x',
        titleUrl: 'https://music.youtube.com/watch?v=1',
        time: '2024-01-01T00:00:00.000Z',
      },
    ];
    const r = parseExportFile('watch-history.json', JSON.stringify(youtube), opts);
    expect(r.error?.code).toBe('OTHER_SERVICE');
    expect(r.plays).toEqual([]);
  });

  it('reports the first bad entry with its position and field, and writes nothing from the file', () => {
    const fields = ['ts', 'ms_played', 'master_metadata_track_name', 'spotify_track_uri'] as const;
    fc.assert(
      fc.property(
        fc.array(extendedEntry, { minLength: 1, maxLength: 30 }),
        fc.nat(),
        fc.constantFrom(...fields),
        fc.constantFrom<unknown>(42, 'not a date', { nested: true }, [1], undefined),
        (rows, at, field, value) => {
          const index = at % rows.length;
          // a valid value for its field is not a corruption
          if (field === 'ms_played' && typeof value === 'number') return;
          if (field !== 'ts' && field !== 'ms_played' && value === undefined) return;
          if (field !== 'ms_played' && field !== 'ts' && typeof value === 'string') return;
          const broken = rows.map((r, i) => (i === index ? { ...r, [field]: value } : r));
          const r = parseExportFile(
            'Streaming_History_Audio_2020.json',
            JSON.stringify(broken),
            opts,
          );
          expect(r.error).toMatchObject({ code: 'BAD_ENTRY', index, field });
          expect(r.error!.message).toContain(`play number ${index + 1}`);
          expect(r.plays).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('rejects impossible account-data times instead of rolling them into another day', () => {
    const r = parseExportFile(
      'StreamingHistory_music_0.json',
      JSON.stringify([
        { endTime: '2023-02-30 10:00', artistName: 'A', trackName: 'T', msPlayed: 1 },
      ]),
      opts,
    );
    expect(r.error).toMatchObject({ code: 'BAD_ENTRY', index: 0, field: 'endTime' });
  });

  it('lists every skip reason in every result, so the UI can show zeros', () => {
    const r = parseExportFile('endsong_0.json', '[]', opts);
    expect(Object.keys(r.skipped).sort()).toEqual([...SKIP_REASONS].sort());
  });
});

describe('import across files', () => {
  it('the same play in two files is stored once (duplicates across files)', () => {
    fc.assert(
      fc.property(
        fc.array(extendedEntry, { maxLength: 40 }),
        fc.array(extendedEntry, { maxLength: 40 }),
        fc.nat(),
        (a, b, cut) => {
          const shared = a.slice(0, cut % (a.length + 1));
          const fileA = parseExportFile(
            'Streaming_History_Audio_2019.json',
            JSON.stringify(a),
            opts,
          );
          const fileB = parseExportFile(
            'Streaming_History_Audio_2020.json',
            JSON.stringify([...b, ...shared]),
            opts,
          );
          const first = mergePlays([], fileA.plays);
          const second = mergePlays(first.add, fileB.plays);
          const stored = new Set(
            [...first.add, ...second.add].map((p) => `${p.playedAt}|${p.trackId}`),
          );
          const expected = new Set(
            [...fileA.plays, ...fileB.plays].map((p) => `${p.playedAt}|${p.trackId}`),
          );
          expect(stored).toEqual(expected);
          expect(first.add.length + second.add.length - second.remove.length).toBe(stored.size);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('joins account-data rows to the track id when the extended history names the same song', () => {
    const t = Date.UTC(2024, 4, 1, 12, 0, 42);
    const ext = parseExportFile(
      'Streaming_History_Audio_2024.json',
      JSON.stringify([
        extended(t, {
          master_metadata_track_name: 'Hoppípolla',
          master_metadata_album_artist_name: 'Sigur Rós',
        }),
      ]),
      opts,
    );
    const acc = parseExportFile(
      'StreamingHistory_music_0.json',
      JSON.stringify([
        {
          endTime: minuteText(t),
          artistName: 'SIGUR RÓS',
          trackName: 'hoppípolla',
          msPlayed: 200_000,
        },
        {
          endTime: minuteText(t + 3_600_000),
          artistName: 'sigur rós',
          trackName: 'Hoppípolla ',
          msPlayed: 200_000,
        },
      ]),
      opts,
    );
    const { plays, resolved } = resolveNameKeys(acc.plays, buildNameIndex(ext.tracks));
    expect(resolved).toBe(2);
    expect(plays.every((p) => p.trackId === '4uLU6hMCjMI75M1A2tKUQC')).toBe(true);
    // the first account row is the listen the extended history already holds
    const merged = mergePlays(ext.plays, plays);
    expect(merged.add.map((p) => p.playedAt)).toEqual([Date.UTC(2024, 4, 1, 13, 0)]);
    expect(merged.duplicates).toBe(1);
  });
});

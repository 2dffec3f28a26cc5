import { unzipSync, strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_DIR, EXTENDED_DIR, generateExport, zipExport } from './export.js';
import { DAY_MS, STREAM_MS, listenerFor } from './listener.js';

const TO = Date.UTC(2026, 10, 1);
const FROM = Date.UTC(2024, 10, 1);

const FIELDS = [
  'ts',
  'platform',
  'ms_played',
  'conn_country',
  'ip_addr',
  'master_metadata_track_name',
  'master_metadata_album_artist_name',
  'master_metadata_album_album_name',
  'spotify_track_uri',
  'episode_name',
  'episode_show_name',
  'spotify_episode_uri',
  'audiobook_title',
  'audiobook_uri',
  'audiobook_chapter_uri',
  'audiobook_chapter_title',
  'reason_start',
  'reason_end',
  'shuffle',
  'skipped',
  'offline',
  'offline_timestamp',
  'incognito_mode',
];

type Row = Record<string, unknown> & {
  ts: string;
  ms_played: number;
  spotify_track_uri: string | null;
};

const files = generateExport({ seed: 42, from: FROM, to: TO, accountData: true });
const audio = files.filter((f) => f.name.includes('/Streaming_History_Audio_'));
const rows: Row[] = audio.flatMap((f) => JSON.parse(f.text) as Row[]);

describe('generateExport', () => {
  it('names files like the real archive, at most 15,000 plays each, in time order', () => {
    for (const f of audio)
      expect(f.name).toMatch(
        new RegExp(`^${EXTENDED_DIR}/Streaming_History_Audio_\\d{4}(-\\d{4})?_\\d+\\.json$`),
      );
    expect(audio.map((f) => f.name)[0]).toBe(
      `${EXTENDED_DIR}/Streaming_History_Audio_2024-2025_0.json`,
    );
    for (const f of audio)
      expect((JSON.parse(f.text) as unknown[]).length).toBeLessThanOrEqual(15_000);
    const ts = rows.map((r) => Date.parse(r.ts));
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
    expect(Math.min(...ts)).toBeGreaterThanOrEqual(FROM);
    expect(Math.max(...ts)).toBeLessThan(TO);
    expect(files.some((f) => /\/Streaming_History_Video_\d{4}(-\d{4})?\.json$/.test(f.name))).toBe(
      true,
    );
  });

  it('writes every documented field (nulls included) and ~30,000 plays a year', () => {
    for (const r of rows.slice(0, 500)) expect(Object.keys(r)).toEqual(FIELDS);
    expect(rows[0]!.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(rows.length).toBeGreaterThan(2 * 27_000);
    expect(rows.length).toBeLessThan(2 * 34_000);
  });

  it('has podcast episodes with null track fields, and skips under 30 s', () => {
    const episodes = rows.filter((r) => r.spotify_episode_uri !== null);
    expect(episodes.length).toBeGreaterThan(20);
    for (const e of episodes) {
      expect(e.spotify_track_uri).toBeNull();
      expect(e.master_metadata_track_name).toBeNull();
    }
    const music = rows.filter((r) => r.spotify_track_uri !== null);
    const skips = music.filter((r) => r.ms_played < STREAM_MS).length / music.length;
    expect(skips).toBeGreaterThan(0.05);
    expect(skips).toBeLessThan(0.25);
  });

  it('never has two rows playing at once (podcasts included)', () => {
    for (let i = 1; i < rows.length; i++) {
      const start = Date.parse(rows[i]!.ts) - rows[i]!.ms_played;
      expect(start).toBeGreaterThanOrEqual(Date.parse(rows[i - 1]!.ts) - 1000);
    }
  });

  it('holds the same plays the Web API serves as recently played', () => {
    const listener = listenerFor(42);
    const now = TO - 3 * DAY_MS;
    const recent = listener.recentPlays(now, 50);
    const byTs = new Map(rows.map((r) => [Date.parse(r.ts), r.spotify_track_uri]));
    for (const p of recent)
      expect(byTs.get(p.endedAt)).toBe(`spotify:track:${listener.catalogue.tracks[p.track]?.id}`);
  });

  it('account data covers about the last year, without URIs, as "YYYY-MM-DD HH:MM"', () => {
    const music = files.filter((f) => f.name.startsWith(`${ACCOUNT_DIR}/StreamingHistory_music_`));
    expect(music.length).toBeGreaterThan(0);
    const entries = music.flatMap((f) => JSON.parse(f.text) as Record<string, unknown>[]);
    expect(Object.keys(entries[0]!)).toEqual(['endTime', 'artistName', 'trackName', 'msPlayed']);
    expect(entries[0]!.endTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
    const first = Date.parse(`${String(entries[0]!.endTime).replace(' ', 'T')}Z`);
    expect(first).toBeGreaterThanOrEqual(TO - 366 * DAY_MS);
    const musicRowsInYear = rows.filter(
      (r) => r.spotify_track_uri !== null && Date.parse(r.ts) >= TO - 365 * DAY_MS,
    ).length;
    expect(entries.length).toBe(musicRowsInYear);
  });

  it('is deterministic from the seed', () => {
    const a = generateExport({ seed: 5, from: FROM, to: FROM + 10 * DAY_MS });
    const b = generateExport({ seed: 5, from: FROM, to: FROM + 10 * DAY_MS });
    const c = generateExport({ seed: 6, from: FROM, to: FROM + 10 * DAY_MS });
    expect(a).toEqual(b);
    expect(a[0]!.text).not.toBe(c[0]!.text);
  });
});

describe('zipExport', () => {
  it('produces my_spotify_data.zip bytes holding the files under their folders', () => {
    const small = generateExport({ seed: 42, from: TO - 20 * DAY_MS, to: TO, accountData: true });
    const unzipped = unzipSync(zipExport(small));
    expect(Object.keys(unzipped).sort()).toEqual(small.map((f) => f.name).sort());
    for (const f of small) expect(strFromU8(unzipped[f.name]!)).toBe(f.text);
  });
});

describe('generateExport legacy: true', () => {
  it('writes older archive names and fields (endsong_N.json, StreamingHistoryN.json) for the same plays', () => {
    const span = { seed: 42, from: TO - 30 * DAY_MS, to: TO, accountData: true };
    const legacy = generateExport({ ...span, legacy: true });
    const current = generateExport(span);
    expect(legacy.map((f) => f.name)).toEqual([
      'MyData/endsong_0.json',
      'MyData/StreamingHistory0.json',
    ]);
    const old = JSON.parse(legacy[0]!.text) as Record<string, unknown>[];
    expect(old[0]).toHaveProperty('username');
    expect(old[0]).toHaveProperty('ip_addr_decrypted');
    expect(old[0]).not.toHaveProperty('ip_addr');
    const now = JSON.parse(current[0]!.text) as Record<string, unknown>[];
    expect(old.map((r) => [r.ts, r.spotify_track_uri, r.ms_played])).toEqual(
      now.map((r) => [r.ts, r.spotify_track_uri, r.ms_played]),
    );
  });
});

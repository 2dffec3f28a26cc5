// The privacy export ("Download your data") for the same modelled plays the
// Web API serves: Extended Streaming History (every play, with skips and
// podcast episodes, plus a video file apps must ignore) and, optionally, the
// Account Data folder's last year of StreamingHistory_music_N.json.
import { strToU8, zipSync } from 'fflate';
import type { Catalogue, CatalogueAlbum, CatalogueArtist, CatalogueTrack } from './catalogue.js';
import { DAY_MS, type Listener, type ModelPlay, listenerFor } from './listener.js';
import { EPISODE_WORDS, PODCASTS } from './names.js';
import { base62Id, int, pick, rngFor } from './random.js';

export interface ExportFile {
  name: string;
  text: string;
}

export interface ExportOptions {
  seed?: number;
  /** ms epoch, inclusive: plays that ended at or after it. */
  from: number;
  /** ms epoch, exclusive. */
  to: number;
  /** Also write `Spotify Account Data/StreamingHistory_music_N.json` (last ~year before `to`). */
  accountData?: boolean;
  /**
   * Older archives: `MyData/endsong_N.json` (with `username`,
   * `ip_addr_decrypted`, `user_agent_decrypted`) and `MyData/StreamingHistoryN.json`.
   */
  legacy?: boolean;
}

export const EXTENDED_DIR = 'Spotify Extended Streaming History';
export const ACCOUNT_DIR = 'Spotify Account Data';
export const LEGACY_DIR = 'MyData';
/** Spotify splits the extended history into files of roughly this many plays. */
export const ROWS_PER_FILE = 15_000;
const ACCOUNT_ROWS_PER_FILE = 10_000;
const ACCOUNT_DATA_DAYS = 365;
const EXPORT_MTIME = new Date(Date.UTC(2026, 0, 1));

interface Row {
  ts: number;
  msPlayed: number;
  platform: string;
  country: string;
  ip: string;
  track: CatalogueTrack | null;
  episode: { name: string; show: string; uri: string } | null;
  reasonStart: string;
  reasonEnd: string;
  shuffle: boolean;
  skipped: boolean;
  offline: boolean;
}

function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

function episodesOfDay(seed: number, day: number): Row[] {
  const r = rngFor(seed, `episodes:${day}`);
  if (r() > 0.14) return [];
  const rows: Row[] = [];
  // Morning podcasts (at most 2 x 40 min from 5:30 at the latest) end before
  // the first music session can start (7:30 UTC): one thing plays at a time.
  let clock = day * DAY_MS + Math.floor((5 + r() * 0.5) * 3_600_000);
  const count = int(r, 1, 2);
  for (let i = 0; i < count; i++) {
    const show = pick(r, PODCASTS);
    const ms = int(r, 60_000, 2_400_000);
    clock += ms;
    const er = rngFor(seed, `episode:${show}:${Math.floor(day / 7)}:${i}`);
    rows.push({
      ts: Math.floor(clock / 1000) * 1000,
      msPlayed: ms,
      platform: 'android',
      country: 'DE',
      ip: '192.0.2.10',
      track: null,
      episode: {
        name: `${pick(er, EPISODE_WORDS)} ${int(er, 1, 400)}`,
        show,
        uri: `spotify:episode:${base62Id(er)}`,
      },
      reasonStart: 'clickrow',
      reasonEnd: r() < 0.7 ? 'endplay' : 'trackdone',
      shuffle: false,
      skipped: false,
      offline: false,
    });
  }
  return rows;
}

function playRow(seed: number, c: Catalogue, p: ModelPlay): Row {
  const h = (p.endedAt / 1000) % 997;
  return {
    ts: p.endedAt,
    msPlayed: p.msPlayed,
    platform: p.platform,
    // Mostly at home, with the odd trip.
    country: h < 960 ? 'DE' : h < 980 ? 'FR' : 'ES',
    ip: `${h < 960 ? '198.51.100' : '203.0.113'}.${((seed + Math.floor(p.endedAt / (DAY_MS * 30))) % 250) + 1}`,
    track: c.tracks[p.track] as CatalogueTrack,
    episode: null,
    reasonStart: p.reasonStart,
    reasonEnd: p.reasonEnd,
    shuffle: p.shuffle,
    skipped: p.reasonEnd === 'fwdbtn',
    offline: p.offline,
  };
}

function extendedJson(c: Catalogue, row: Row, legacy = false): string {
  const t = row.track;
  const album = t ? (c.albums[t.album] as CatalogueAlbum) : null;
  const artist = t ? (c.artists[t.artist] as CatalogueArtist) : null;
  const metadata = {
    master_metadata_track_name: t?.name ?? null,
    master_metadata_album_artist_name: artist?.name ?? null,
    master_metadata_album_album_name: album?.name ?? null,
    spotify_track_uri: t ? `spotify:track:${t.id}` : null,
    episode_name: row.episode?.name ?? null,
    episode_show_name: row.episode?.show ?? null,
    spotify_episode_uri: row.episode?.uri ?? null,
  };
  const tail = {
    reason_start: row.reasonStart,
    reason_end: row.reasonEnd,
    shuffle: row.shuffle,
    skipped: row.skipped,
    offline: row.offline,
    offline_timestamp: row.offline ? Math.floor((row.ts - row.msPlayed) / 1000) : null,
    incognito_mode: false,
  };
  if (legacy) {
    return JSON.stringify({
      ts: isoSeconds(row.ts),
      username: 'listener',
      platform: row.platform,
      ms_played: row.msPlayed,
      conn_country: row.country,
      ip_addr_decrypted: row.ip,
      user_agent_decrypted: 'unknown',
      ...metadata,
      ...tail,
    });
  }
  return JSON.stringify({
    ts: isoSeconds(row.ts),
    platform: row.platform,
    ms_played: row.msPlayed,
    conn_country: row.country,
    ip_addr: row.ip,
    ...metadata,
    audiobook_title: null,
    audiobook_uri: null,
    audiobook_chapter_uri: null,
    audiobook_chapter_title: null,
    ...tail,
  });
}

function jsonArray(lines: string[]): string {
  return lines.length === 0 ? '[]' : `[\n${lines.join(',\n')}\n]`;
}

function yearSpan(first: number, last: number): string {
  const a = new Date(first).getUTCFullYear();
  const b = new Date(last).getUTCFullYear();
  return a === b ? String(a) : `${a}-${b}`;
}

/** Plays (and podcast rows) that ended in [from, to), in time order. */
function rowsBetween(seed: number, listener: Listener, from: number, to: number): Row[] {
  const rows: Row[] = [];
  const c = listener.catalogue;
  // Plays that ended at `from` may have started the day before.
  for (let day = Math.floor(from / DAY_MS) - 1; day * DAY_MS < to; day++) {
    const dayRows = [
      ...episodesOfDay(seed, day),
      ...listener.playsOfDay(day).map((p) => playRow(seed, c, p)),
    ];
    dayRows.sort((a, b) => a.ts - b.ts);
    for (const row of dayRows) if (row.ts >= from && row.ts < to) rows.push(row);
  }
  return rows;
}

export function generateExport(opts: ExportOptions): ExportFile[] {
  const seed = opts.seed ?? 42;
  if (!(Number.isFinite(opts.from) && Number.isFinite(opts.to) && opts.from < opts.to))
    throw new RangeError('generateExport: need finite from < to');
  const listener = listenerFor(seed);
  const c = listener.catalogue;
  const legacy = opts.legacy === true;
  const rows = rowsBetween(seed, listener, opts.from, opts.to);
  const files: ExportFile[] = [];
  for (let i = 0, n = 0; i < rows.length; i += ROWS_PER_FILE, n++) {
    const chunk = rows.slice(i, i + ROWS_PER_FILE);
    const span = yearSpan((chunk[0] as Row).ts, (chunk[chunk.length - 1] as Row).ts);
    const name = legacy
      ? `${LEGACY_DIR}/endsong_${n}.json`
      : `${EXTENDED_DIR}/Streaming_History_Audio_${span}_${n}.json`;
    files.push({ name, text: jsonArray(chunk.map((r) => extendedJson(c, r, legacy))) });
  }
  // A few video podcast plays, in their own file, which an importer must skip.
  const video = rows.filter((r) => r.episode !== null).filter((_, i) => i % 25 === 0);
  if (video.length > 0 && !legacy) {
    const span = yearSpan((video[0] as Row).ts, (video[video.length - 1] as Row).ts);
    files.push({
      name: `${EXTENDED_DIR}/Streaming_History_Video_${span}.json`,
      text: jsonArray(
        video.map((r) => extendedJson(c, { ...r, platform: 'android', reasonStart: 'clickrow' })),
      ),
    });
  }
  if (opts.accountData)
    files.push(
      ...accountDataFiles(
        c,
        rows,
        Math.max(opts.from, opts.to - ACCOUNT_DATA_DAYS * DAY_MS),
        legacy,
      ),
    );
  return files;
}

function endTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

function accountDataFiles(c: Catalogue, rows: Row[], since: number, legacy: boolean): ExportFile[] {
  const music: string[] = [];
  const podcasts: string[] = [];
  for (const row of rows) {
    if (row.ts < since) continue;
    if (row.track) {
      const artist = c.artists[row.track.artist] as CatalogueArtist;
      music.push(
        JSON.stringify({
          endTime: endTime(row.ts),
          artistName: artist.name,
          trackName: row.track.name,
          msPlayed: row.msPlayed,
        }),
      );
    } else if (row.episode) {
      podcasts.push(
        JSON.stringify({
          endTime: endTime(row.ts),
          podcastName: row.episode.show,
          episodeName: row.episode.name,
          msPlayed: row.msPlayed,
        }),
      );
    }
  }
  const files: ExportFile[] = [];
  if (legacy) {
    // Older archives mixed music and podcasts in StreamingHistoryN.json (podcasts as artist/track names).
    for (let i = 0, n = 0; i < Math.max(music.length, 1); i += ACCOUNT_ROWS_PER_FILE, n++) {
      files.push({
        name: `${LEGACY_DIR}/StreamingHistory${n}.json`,
        text: jsonArray(music.slice(i, i + ACCOUNT_ROWS_PER_FILE)),
      });
    }
    return files;
  }
  for (let i = 0, n = 0; i < Math.max(music.length, 1); i += ACCOUNT_ROWS_PER_FILE, n++) {
    files.push({
      name: `${ACCOUNT_DIR}/StreamingHistory_music_${n}.json`,
      text: jsonArray(music.slice(i, i + ACCOUNT_ROWS_PER_FILE)),
    });
  }
  files.push({ name: `${ACCOUNT_DIR}/StreamingHistory_podcast_0.json`, text: jsonArray(podcasts) });
  return files;
}

/** The files as `my_spotify_data.zip` bytes (folders as in the real archive). */
export function zipExport(files: ExportFile[]): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  for (const f of files) entries[f.name] = strToU8(f.text);
  // A fixed mtime keeps the archive byte-for-byte reproducible.
  return zipSync(entries, { level: 6, mtime: EXPORT_MTIME });
}

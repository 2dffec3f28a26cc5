// What travels between devices, cut into records, and the rule for when a
// device writes one (issue 13).
//
// - `plays/<account>/<YYYY-MM>`, one per account and UTC month (core's
//   playBatchKey): the month's plays, the snapshots taken in it, and the
//   tracks and audio features whose first play or snapshot falls in it. A
//   track travels once, with the month that brought it to the diary, so a
//   day of listening changes one record, the current month, and not a
//   dozen hash buckets of tracks; ten years are ~120 records.
// - `pushes/<account>`: finished pushes, as history. Pending ones never leave
//   the device that queued them, so no playlist is pushed twice.
// - `settings/<account>`: last writer wins (see engine.ts).
//
// Merging is a union, and core's rule (sync-batches.ts) decides when to
// write: only when the device holds something the relay's copy lacks, and
// then the union of both, so the relay's copy only grows and devices that
// hold the same facts never write back and forth. Plays follow core exactly
// (batchToUpload); snapshots, tracks and features follow the same idea (an
// id the relay lacks, or a track field it lacks).
//
// The payload is canonical (sorted, fixed field order) so equal content gives
// equal bytes and an equal hash, and compact: play times as differences and
// track ids once per month in a table, before gzip.
import {
  CADENCES,
  TIME_RANGES,
  batchToUpload,
  canonicalPlays,
  isSpotifyId,
  isTrackUri,
  playBatchKey,
  snapshotId,
  type AudioFeatures,
  type CadenceName,
  type Play,
  type Snapshot,
  type Track,
} from '@mtm/core';
import type { OutboxRow } from '../db/schema';
import { exactKey, type SyncedDiary, type ReceivedMonth } from '../db/sync-records';
import type { AccountSettings } from '../db/settings';
import { spotifyWebUrl } from '../ui/safe-url';
import {
  arr,
  count,
  nullable,
  num,
  obj,
  oneOf,
  optional,
  str,
  tampered,
  that,
  type Check,
} from './payload-checks';
import { toHex } from './sync-key';

export type RecordKind = 'month' | 'pushes' | 'settings';

export interface PushesContent {
  entries: OutboxRow[];
}

export interface SettingsContent {
  updatedAt: number;
  settings: AccountSettings;
}

export const pushesName = (accountId: string) => `pushes/${accountId}`;
export const settingsName = (accountId: string) => `settings/${accountId}`;
export const monthName = (accountId: string, at: number) =>
  playBatchKey({ accountId, playedAt: at });

/** The kind of a logical name of this account, or null for anything else. */
export function kindOf(name: string, accountId: string): RecordKind | null {
  if (name === pushesName(accountId)) return 'pushes';
  if (name === settingsName(accountId)) return 'settings';
  if (name.startsWith(`plays/${accountId}/`) && /\/\d{4}-\d{2}$/.test(name)) return 'month';
  return null;
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// ---- canonical rows ------------------------------------------------------

function canonicalTrack(t: Track): Track {
  return {
    id: t.id,
    name: t.name,
    artists: t.artists.map((a) => ({ id: a.id, name: a.name })),
    album: { id: t.album.id, name: t.album.name, imageUrl: t.album.imageUrl },
    durationMs: t.durationMs,
    isrc: t.isrc,
  };
}

function canonicalFeatures(f: AudioFeatures): AudioFeatures {
  const out: AudioFeatures = {
    trackId: f.trackId,
    energy: f.energy,
    valence: f.valence,
    danceability: f.danceability,
    tempo: f.tempo,
    acousticness: f.acousticness,
    instrumentalness: f.instrumentalness,
    source: f.source,
    fetchedAt: f.fetchedAt,
  };
  if (f.speechiness !== undefined) out.speechiness = f.speechiness;
  if (f.liveness !== undefined) out.liveness = f.liveness;
  if (f.loudness !== undefined) out.loudness = f.loudness;
  return out;
}

function canonicalMonth(m: ReceivedMonth): ReceivedMonth {
  const plays = canonicalPlays(m.plays);
  const exact = new Set<string>();
  if (m.exact) for (const p of plays) if (m.exact.has(exactKey(p))) exact.add(exactKey(p));
  return {
    plays,
    exact,
    snapshots: [...m.snapshots].sort(
      (a, b) => a.takenAt - b.takenAt || byString(a.range, b.range) || byString(a.id, b.id),
    ),
    tracks: m.tracks.map(canonicalTrack).sort((a, b) => byString(a.id, b.id)),
    features: m.features.map(canonicalFeatures).sort((a, b) => byString(a.trackId, b.trackId)),
  };
}

// ---- the diary cut into records ------------------------------------------

const MINUTE = 60_000;
/** How far core's merge looks from a play to the minute for one to the second (history-import-merge.ts). */
const MINUTE_WINDOW: readonly [number, number] = [-20_000, MINUTE + 20_000];

/**
 * Export plays ending exactly on a minute that this device holds beside
 * another export play of the same track within the minute-to-second window:
 * had they been one listen, the import would have merged them, so both are
 * listens to the second, and receivers are told (ReceivedMonth.exact).
 */
function exactPlays(plays: readonly Play[]): Set<string> {
  const byTrack = new Map<string, number[]>();
  for (const p of plays) {
    if (p.source !== 'export') continue;
    const list = byTrack.get(p.trackId);
    if (list) list.push(p.playedAt);
    else byTrack.set(p.trackId, [p.playedAt]);
  }
  const out = new Set<string>();
  for (const [trackId, times] of byTrack) {
    if (times.length < 2) continue;
    times.sort((a, b) => a - b);
    for (let i = 0; i < times.length; i++) {
      const t = times[i]!;
      if (t % MINUTE !== 0) continue;
      const near =
        (i > 0 && times[i - 1]! >= t + MINUTE_WINDOW[0]) ||
        (i + 1 < times.length && times[i + 1]! <= t + MINUTE_WINDOW[1]);
      if (near) out.add(exactKey({ playedAt: t, trackId }));
    }
  }
  return out;
}

export interface LocalRecords {
  months: Map<string, ReceivedMonth>;
  pushes: PushesContent;
  settings: AccountSettings;
}

/**
 * The device's records. A track (and its features) goes with the earliest
 * month in which a play or a snapshot of this account mentions it.
 */
export function cutIntoRecords(diary: SyncedDiary, accountId: string): LocalRecords {
  const months = new Map<string, ReceivedMonth>();
  const month = (name: string) => {
    let m = months.get(name);
    if (!m) months.set(name, (m = { plays: [], snapshots: [], tracks: [], features: [] }));
    return m;
  };
  const home = new Map<string, string>();
  const mention = (trackId: string, name: string) => {
    const was = home.get(trackId);
    if (was === undefined || name < was) home.set(trackId, name);
  };
  for (const p of diary.plays) {
    if (p.accountId !== accountId) continue;
    const name = playBatchKey(p);
    month(name).plays.push(p);
    mention(p.trackId, name);
  }
  for (const s of diary.snapshots) {
    if (s.accountId !== accountId) continue;
    const name = monthName(accountId, s.takenAt);
    month(name).snapshots.push(s);
    for (const id of s.trackIds) mention(id, name);
  }
  for (const [trackId, name] of home) {
    const t = diary.tracks.get(trackId);
    if (t) month(name).tracks.push(t);
    const f = diary.features.get(trackId);
    if (f) month(name).features.push(f);
  }
  const exact = exactPlays(diary.plays);
  for (const [name, m] of months) months.set(name, canonicalMonth({ ...m, exact }));
  return {
    months,
    pushes: {
      entries: diary.pushes
        .filter((e) => e.state === 'done' && e.accountId === accountId)
        .sort((a, b) => byString(a.id, b.id)),
    },
    settings: diary.settings,
  };
}

// ---- the rule: write only what the relay lacks, then the union -----------

/** A track field the relay's copy lacks and this device has. */
function richer(local: Track, relay: Track): boolean {
  const ids = (t: Track) => t.artists.some((a) => a.id !== null);
  return (
    (!relay.name && !!local.name) ||
    (relay.artists.length === 0 && local.artists.length > 0) ||
    (!ids(relay) && ids(local)) ||
    (relay.album.id === null && local.album.id !== null) ||
    (!relay.album.name && !!local.album.name) ||
    (relay.album.imageUrl === null && local.album.imageUrl !== null) ||
    (relay.durationMs === null && local.durationMs !== null) ||
    (relay.isrc === null && local.isrc !== null)
  );
}

/** The relay's track with the gaps this device can fill. */
function filled(relay: Track, local: Track): Track {
  const ids = (t: Track) => t.artists.some((a) => a.id !== null);
  return {
    ...relay,
    name: relay.name || local.name,
    artists:
      relay.artists.length === 0 || (!ids(relay) && ids(local)) ? local.artists : relay.artists,
    album: {
      id: relay.album.id ?? local.album.id,
      name: relay.album.name || local.album.name,
      imageUrl: relay.album.imageUrl ?? local.album.imageUrl,
    },
    durationMs: relay.durationMs ?? local.durationMs,
    isrc: relay.isrc ?? local.isrc,
  };
}

/**
 * What to write for a month: null when the relay's copy already holds all
 * this device has; else the union. Without the relay's copy at hand (not
 * received in this run) the device's own content, which holds everything
 * the relay's copy held when last seen, save rows it has since replaced by
 * better ones.
 */
export function monthToUpload(
  local: ReceivedMonth,
  relay: ReceivedMonth | undefined,
): ReceivedMonth | null {
  if (!relay) return local;
  const plays = batchToUpload(local.plays, relay.plays);
  const snapIds = new Set(relay.snapshots.map((s) => s.id));
  const tracks = new Map(relay.tracks.map((t) => [t.id, t]));
  const features = new Map(relay.features.map((f) => [f.trackId, f]));
  const lacks =
    plays !== null ||
    local.snapshots.some((s) => !snapIds.has(s.id)) ||
    local.tracks.some((t) => {
      const r = tracks.get(t.id);
      return !r || richer(t, r);
    }) ||
    local.features.some((f) => !features.has(f.trackId));
  if (!lacks) return null;
  for (const t of local.tracks) {
    const r = tracks.get(t.id);
    tracks.set(t.id, r ? filled(r, t) : t);
  }
  for (const f of local.features) {
    const r = features.get(f.trackId);
    if (!r || f.fetchedAt > r.fetchedAt) features.set(f.trackId, f);
  }
  return canonicalMonth({
    plays: plays ?? relay.plays,
    // each device's word on its own plays
    exact: new Set([...(relay.exact ?? []), ...(local.exact ?? [])]),
    snapshots: [...relay.snapshots, ...local.snapshots.filter((s) => !snapIds.has(s.id))],
    tracks: [...tracks.values()],
    features: [...features.values()],
  });
}

export function pushesToUpload(
  local: PushesContent,
  relay: PushesContent | undefined,
): PushesContent | null {
  if (!relay) return local;
  const ids = new Set(relay.entries.map((e) => e.id));
  const missing = local.entries.filter((e) => !ids.has(e.id));
  if (missing.length === 0) return null;
  return { entries: [...relay.entries, ...missing].sort((a, b) => byString(a.id, b.id)) };
}

// ---- the payloads --------------------------------------------------------

interface MonthWire {
  /** Track ids, each once, indexed by plays and snapshots. */
  ids: string[];
  /**
   * Plays as columns; `at` holds the first end time, then differences; `src`
   * one letter a play: r(ecent), e(xport), or s for an export play to the
   * second that ends exactly on a minute (ReceivedMonth.exact).
   */
  plays: { at: number[]; track: number[]; ms: number[]; src: string };
  snapshots: { at: number; range: Snapshot['range']; ranks: number[]; id?: string }[];
  tracks: Track[];
  features: AudioFeatures[];
}

export function encodeMonth(accountId: string, m: ReceivedMonth): MonthWire {
  const ids: string[] = [];
  const index = new Map<string, number>();
  const ref = (id: string) => {
    let i = index.get(id);
    if (i === undefined) index.set(id, (i = ids.push(id) - 1));
    return i;
  };
  const plays: MonthWire['plays'] = { at: [], track: [], ms: [], src: '' };
  let last = 0;
  for (const p of m.plays) {
    plays.at.push(p.playedAt - last);
    last = p.playedAt;
    plays.track.push(ref(p.trackId));
    plays.ms.push(p.msPlayed);
    plays.src += p.source === 'recent' ? 'r' : m.exact?.has(exactKey(p)) ? 's' : 'e';
  }
  return {
    ids,
    plays,
    snapshots: m.snapshots.map((s) => {
      const wire: MonthWire['snapshots'][number] = {
        at: s.takenAt,
        range: s.range,
        ranks: s.trackIds.map(ref),
      };
      if (s.id !== snapshotId(accountId, s.range, s.takenAt)) wire.id = s.id;
      return wire;
    }),
    tracks: m.tracks,
    features: m.features,
  };
}

const nullableString = nullable(str());

const checkTrack: Check<Track> = (v, at) => {
  const t = obj(v, at);
  const album = obj(t['album'], `${at}.album`);
  return {
    id: str(1, 200)(t['id'], `${at}.id`),
    name: str()(t['name'], `${at}.name`),
    artists: arr((a, where) => {
      const o = obj(a, where);
      return {
        id: nullableString(o['id'], `${where}.id`),
        name: str()(o['name'], `${where}.name`),
      };
    })(t['artists'], `${at}.artists`),
    album: {
      id: nullableString(album['id'], `${at}.album.id`),
      name: str()(album['name'], `${at}.album.name`),
      imageUrl: nullableString(album['imageUrl'], `${at}.album.imageUrl`),
    },
    durationMs: nullable(num)(t['durationMs'], `${at}.durationMs`),
    isrc: nullableString(t['isrc'], `${at}.isrc`),
  };
};

const checkFeatures: Check<AudioFeatures> = (v, at) => {
  const f = obj(v, at);
  const n = (k: string) => num(f[k], `${at}.${k}`);
  return canonicalFeatures({
    trackId: str(1, 200)(f['trackId'], `${at}.trackId`),
    energy: n('energy'),
    valence: n('valence'),
    danceability: n('danceability'),
    tempo: n('tempo'),
    acousticness: n('acousticness'),
    instrumentalness: n('instrumentalness'),
    speechiness: optional(num)(f['speechiness'], `${at}.speechiness`),
    liveness: optional(num)(f['liveness'], `${at}.liveness`),
    loudness: optional(num)(f['loudness'], `${at}.loudness`),
    source: oneOf(['spotify', 'reccobeats'] as const)(f['source'], `${at}.source`),
    fetchedAt: n('fetchedAt'),
  });
};

const checkMonth: Check<MonthWire> = (v) => {
  const m = obj(v, 'month');
  const p = obj(m['plays'], 'plays');
  return {
    ids: arr(str(1, 200))(m['ids'], 'ids'),
    plays: {
      at: arr(num)(p['at'], 'plays.at'),
      track: arr(count)(p['track'], 'plays.track'),
      ms: arr(that(num, (n) => n >= 0, 'a duration'))(p['ms'], 'plays.ms'),
      src: that(str(), (s) => /^[res]*$/.test(s), 'play sources')(p['src'], 'plays.src'),
    },
    snapshots: arr((x, at) => {
      const o = obj(x, at);
      const id = optional(str(1, 200))(o['id'], `${at}.id`);
      return {
        at: num(o['at'], `${at}.at`),
        range: oneOf(TIME_RANGES)(o['range'], `${at}.range`),
        ranks: arr(count)(o['ranks'], `${at}.ranks`),
        ...(id === undefined ? {} : { id }),
      };
    })(m['snapshots'], 'snapshots'),
    tracks: arr(checkTrack)(m['tracks'], 'tracks'),
    features: arr(checkFeatures)(m['features'], 'features'),
  };
};

/** A received month, checked: every row is of this account and of the month its name says. */
export function decodeMonth(name: string, accountId: string, data: unknown): ReceivedMonth {
  const w = checkMonth(data, 'month');
  const n = w.plays.at.length;
  if (w.plays.track.length !== n || w.plays.ms.length !== n || w.plays.src.length !== n)
    throw tampered('play columns of different lengths');
  const id = (i: number) => {
    const v = w.ids[i];
    if (v === undefined) throw tampered('a track index out of range');
    return v;
  };
  const plays: Play[] = [];
  const exact = new Set<string>();
  let at = 0;
  for (let i = 0; i < n; i++) {
    at += w.plays.at[i]!;
    const p: Play = {
      accountId,
      playedAt: at,
      trackId: id(w.plays.track[i]!),
      msPlayed: w.plays.ms[i]!,
      source: w.plays.src[i] === 'r' ? 'recent' : 'export',
    };
    if (w.plays.src[i] === 's') exact.add(exactKey(p));
    plays.push(p);
  }
  const snapshots: Snapshot[] = w.snapshots.map((s) => ({
    id: s.id ?? snapshotId(accountId, s.range, s.at),
    accountId,
    takenAt: s.at,
    range: s.range,
    trackIds: s.ranks.map(id),
  }));
  const outside =
    plays.some((p) => playBatchKey(p) !== name) ||
    snapshots.some((s) => monthName(accountId, s.takenAt) !== name);
  if (outside) throw tampered('a row outside the month the record is named for');
  return canonicalMonth({
    plays,
    exact,
    snapshots,
    tracks: w.tracks,
    features: w.features,
  });
}

interface PushWire {
  id: string;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
  name: string;
  description: string;
  uris: string[];
  playlistId: string | null;
  playlistUrl: string | null;
  addedCount: number;
  origin: string | null;
}

const checkPush: Check<PushWire> = (v, at) => {
  const e = obj(v, at);
  return {
    id: str(1, 200)(e['id'], `${at}.id`),
    createdAt: num(e['createdAt'], `${at}.createdAt`),
    updatedAt: num(e['updatedAt'], `${at}.updatedAt`),
    finishedAt: nullable(num)(e['finishedAt'], `${at}.finishedAt`),
    name: str()(e['name'], `${at}.name`),
    description: str()(e['description'], `${at}.description`),
    uris: arr(that(str(), isTrackUri, 'a Spotify track URI'))(e['uris'], `${at}.uris`),
    playlistId: nullable(that(str(), isSpotifyId, 'a Spotify playlist id'))(
      e['playlistId'],
      `${at}.playlistId`,
    ),
    playlistUrl: nullable(
      that(str(), (u) => spotifyWebUrl(u) !== null, 'an open.spotify.com link'),
    )(e['playlistUrl'], `${at}.playlistUrl`),
    addedCount: count(e['addedCount'], `${at}.addedCount`),
    origin: nullableString(e['origin'], `${at}.origin`),
  };
};

export function encodePushes(p: PushesContent): { entries: PushWire[] } {
  return {
    entries: p.entries.map((e) => ({
      id: e.id,
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
      finishedAt: e.finishedAt ?? null,
      name: e.name,
      description: e.description,
      uris: e.uris,
      playlistId: e.playlistId,
      playlistUrl: e.playlistUrl,
      addedCount: e.addedCount,
      origin: e.origin ?? null,
    })),
  };
}

export function decodePushes(accountId: string, data: unknown): PushesContent {
  const entries = arr(checkPush)(obj(data, 'pushes')['entries'], 'entries');
  return {
    entries: entries
      .map((e): OutboxRow => ({
        ...e,
        accountId,
        state: 'done',
        attempts: 0,
        lastError: null,
        // finished: a retry must never create it again
        createAttempted: true,
        origin: e.origin ?? undefined,
      }))
      .sort((a, b) => byString(a.id, b.id)),
  };
}

export function encodeSettings(s: SettingsContent): SettingsContent {
  return {
    updatedAt: s.updatedAt,
    settings: { cadence: s.settings.cadence, timeZone: s.settings.timeZone },
  };
}

export function decodeSettings(data: unknown): SettingsContent {
  const d = obj(data, 'settings record');
  const settings = obj(d['settings'], 'settings');
  return {
    updatedAt: num(d['updatedAt'], 'updatedAt'),
    settings: {
      cadence: oneOf(Object.keys(CADENCES) as CadenceName[])(settings['cadence'], 'cadence'),
      timeZone: nullable(str(1, 100))(settings['timeZone'], 'timeZone'),
    },
  };
}

const utf8 = new TextEncoder();

/** SHA-256 of a payload's JSON: equal content, equal hash. */
export async function contentHash(wire: unknown): Promise<string> {
  return toHex(
    new Uint8Array(await crypto.subtle.digest('SHA-256', utf8.encode(JSON.stringify(wire)))),
  );
}

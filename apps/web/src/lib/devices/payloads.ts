// The JSON inside each record (records.ts says what travels and when):
// written canonically (sorted, fixed field order) so equal content gives
// equal bytes and an equal hash, compact (play times as differences, track
// ids once per month in a table) before gzip, and checked field by field
// when it arrives, before anything of it is written.
import {
  CADENCES,
  TIME_RANGES,
  exactKey,
  isSpotifyId,
  isTrackUri,
  batchKeyFor,
  snapshotId,
  type AudioFeatures,
  type CadenceName,
  type Play,
  type Snapshot,
  type Track,
} from '@mtm/core';
import type { OutboxRow } from '../db/schema';
import type { AccountSettings, SettingsUpdatedAt } from '../db/settings';
import type { ReceivedMonth } from '../db/sync-records';
import { isImageUrl, spotifyWebUrl } from '../ui/safe-url';
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
  time,
  type Check,
} from './payload-checks';
import {
  byString,
  canonicalFeatures,
  canonicalMonth,
  type PushesContent,
  type SettingsContent,
} from './records';
import { toHex } from './sync-key';

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
      imageUrl: nullable(that(str(), isImageUrl, 'an image address'))(
        album['imageUrl'],
        `${at}.album.imageUrl`,
      ),
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
  // a record of the first layout is named by month, and read by its month
  const batchOf = batchKeyFor(name);
  const outside =
    plays.some((p) => batchOf(p) !== name) ||
    snapshots.some((s) => batchOf({ accountId, playedAt: s.takenAt }) !== name);
  if (outside) throw tampered('a row outside the week the record is named for');
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

interface SettingsWire {
  /**
   * The latest change of any setting: all that builds before per-setting
   * times read (they keep the whole record when it is later than theirs).
   */
  updatedAt: number;
  settings: AccountSettings;
  /** When each setting was changed; absent from those builds' records. */
  settingsUpdatedAt?: SettingsUpdatedAt;
}

export function encodeSettings(s: SettingsContent): SettingsWire {
  return {
    updatedAt: Math.max(s.updatedAt.cadence, s.updatedAt.timeZone),
    settings: { cadence: s.settings.cadence, timeZone: s.settings.timeZone },
    settingsUpdatedAt: { cadence: s.updatedAt.cadence, timeZone: s.updatedAt.timeZone },
  };
}

/**
 * A received settings record, checked. One from a build before per-setting
 * times dates every setting at its `updatedAt`, which that build set when a
 * sync run first saw the change: the rule it followed itself.
 */
export function decodeSettings(data: unknown): SettingsContent {
  const d = obj(data, 'settings record');
  const settings = obj(d['settings'], 'settings');
  const updatedAt = time(d['updatedAt'], 'updatedAt');
  const each = optional(obj)(d['settingsUpdatedAt'], 'settingsUpdatedAt');
  return {
    settings: {
      cadence: oneOf(Object.keys(CADENCES) as CadenceName[])(settings['cadence'], 'cadence'),
      timeZone: nullable(str(1, 100))(settings['timeZone'], 'timeZone'),
    },
    updatedAt: {
      cadence: each ? time(each['cadence'], 'settingsUpdatedAt.cadence') : updatedAt,
      timeZone: each ? time(each['timeZone'], 'settingsUpdatedAt.timeZone') : updatedAt,
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

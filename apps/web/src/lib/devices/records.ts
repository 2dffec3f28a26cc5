// What travels between devices, cut into records, and the rule for when a
// device writes one (issue 13).
//
// - `plays/<account>/<Monday, YYYY-MM-DD>`, one per account and UTC week
//   (core's playBatchKey): the week's plays, the snapshots taken in it, and
//   the tracks and audio features whose first play or snapshot falls in it.
//   A track travels once, with the week that brought it to the diary, so a
//   day of listening changes one record, the current week, and not a dozen
//   hash buckets of tracks; ten years are ~520 records. (Records named by
//   month, `plays/<account>/<YYYY-MM>`, come from the first layout: they are
//   still read and applied; nothing writes them any more. The code calls a
//   batch a "month" after them.)
// - `pushes/<account>`: finished pushes, as history. Pending ones never leave
//   the device that queued them, so no playlist is pushed twice.
// - `settings/<account>`: last writer wins, setting by setting, by the time
//   the person changed each (db/settings.ts).
//
// Merging is a union, and core's rule (sync-batches.ts) decides when to
// write: only when the device holds something the relay's copy lacks, and
// then the union of both, so the relay's copy only grows and devices that
// hold the same facts never write back and forth. Plays follow core exactly
// (batchToUpload); snapshots, tracks and features follow the same idea (an
// id the relay lacks, or a track field it lacks). The JSON each record holds
// is in payloads.ts.
import {
  batchToUpload,
  canonicalPlays,
  exactKey,
  exactPlays,
  playBatchKey,
  type AudioFeatures,
  type Track,
} from '@mtm/core';
import type { OutboxRow } from '../db/schema';
import type { SyncedDiary, ReceivedMonth } from '../db/sync-records';
import { SETTING_NAMES, newestSettings, type StampedSettings } from '../db/settings';

export type RecordKind = 'month' | 'pushes' | 'settings';

export interface PushesContent {
  entries: OutboxRow[];
}

export type SettingsContent = StampedSettings;

export const pushesName = (accountId: string) => `pushes/${accountId}`;
export const settingsName = (accountId: string) => `settings/${accountId}`;
export const monthName = (accountId: string, at: number) =>
  playBatchKey({ accountId, playedAt: at });

/** The kind of a logical name of this account, or null for anything else. */
export function kindOf(name: string, accountId: string): RecordKind | null {
  if (name === pushesName(accountId)) return 'pushes';
  if (name === settingsName(accountId)) return 'settings';
  if (name.startsWith(`plays/${accountId}/`) && /\/\d{4}-\d{2}(-\d{2})?$/.test(name))
    return 'month';
  return null;
}

export const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

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

export function canonicalFeatures(f: AudioFeatures): AudioFeatures {
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

export function canonicalMonth(m: ReceivedMonth): ReceivedMonth {
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

export interface LocalRecords {
  months: Map<string, ReceivedMonth>;
  pushes: PushesContent;
  settings: SettingsContent;
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

/**
 * What to write for the settings: null when the relay's copy (as last seen)
 * holds each setting's latest change already; else each setting at its
 * latest, this device's or the relay's.
 */
export function settingsToUpload(
  local: SettingsContent,
  relay: SettingsContent | undefined,
): SettingsContent | null {
  if (!relay) return local;
  const merged = newestSettings(relay, local);
  const same = SETTING_NAMES.every(
    (name) =>
      merged.settings[name] === relay.settings[name] &&
      merged.updatedAt[name] === relay.updatedAt[name],
  );
  return same ? null : merged;
}

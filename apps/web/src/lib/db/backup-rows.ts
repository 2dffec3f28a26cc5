// A backup's rows: read for one account (export), and merged in (import).
// Export gathers every row keyed on the account plus the catalogue facts
// (tracks, artists, audio features) those rows point at. Merging writes in one
// transaction and by primary key, so importing the same file twice, or a file
// from a device that shares history with this one, never doubles a play or a
// snapshot. The file is checked before it gets here (lib/backup). A file is
// outside data: it adds what this device lacks and never rewrites what it
// has (tracks shared by other diaries, settings, rows already here), and an
// unfinished push in it waits for the person (backup/restored-push.ts).
import Dexie from 'dexie';
import { trackIdFromUri, type AudioFeatures, type Track } from '@mtm/core';
import { BACKUP_APP, BACKUP_VERSION, type BackupFile } from '../backup/backup-schema';
import { pauseRestoredPush } from '../backup/restored-push';
import type { AccountRow, OutboxRow, TimeMachineDb } from './schema';
import { isDerivedMeta } from './meta';
import { PlayDays, allPlays } from './plays';

const between = (accountId: string) =>
  [
    [accountId, Dexie.minKey],
    [accountId, Dexie.maxKey],
  ] as const;

/** Every table a backup reads or writes: one transaction over all of them, either way. */
const backupTables = (db: TimeMachineDb) => [
  db.accounts,
  db.tracks,
  db.artists,
  db.snapshots,
  db.playDays,
  db.features,
  db.outbox,
  db.imports,
  db.meta,
];

export async function readBackupRows(
  db: TimeMachineDb,
  accountId: string,
  now: number,
): Promise<BackupFile | null> {
  return db.transaction('r', backupTables(db), async () => {
    const account = await db.accounts.get(accountId);
    if (!account) return null;
    const [lo, hi] = between(accountId);
    const snapshots = await db.snapshots
      .where('[accountId+takenAt]')
      .between(lo, hi, true, true)
      .toArray();
    const plays = await allPlays(db, accountId);
    const outbox = await db.outbox.where('accountId').equals(accountId).sortBy('createdAt');
    const imports = await db.imports.where('accountId').equals(accountId).toArray();
    const prefix = `${accountId}:`;
    const metaRows = await db.meta.where('key').startsWith(prefix).toArray();

    const trackIds = new Set<string>();
    for (const s of snapshots) for (const id of s.trackIds) trackIds.add(id);
    for (const p of plays) trackIds.add(p.trackId);
    for (const e of outbox)
      for (const uri of e.uris) {
        const id = trackIdFromUri(uri);
        if (id) trackIds.add(id);
      }
    const ids = [...trackIds].sort();
    const tracks = (await db.tracks.bulkGet(ids)).filter((t): t is Track => t !== undefined);
    const features = (await db.features.bulkGet(ids)).filter(
      (f): f is AudioFeatures => f !== undefined,
    );
    // artists are public catalogue facts (the top-artists capture may hold ones
    // no stored track points at), so all of them travel
    const artists = await db.artists.toArray();

    return {
      app: BACKUP_APP,
      version: BACKUP_VERSION,
      exportedAt: now,
      account,
      tracks,
      artists,
      snapshots,
      plays,
      features,
      outbox,
      imports,
      settings: Object.fromEntries(
        metaRows
          .map((m) => [m.key.slice(prefix.length), m.value] as const)
          .filter(([name]) => !isDerivedMeta(name)),
      ),
    } as BackupFile;
  });
}

export interface ImportSummary {
  accountId: string;
  added: { snapshots: number; plays: number; tracks: number; outbox: number };
}

const newer = (a: AudioFeatures, b: AudioFeatures | undefined) => !b || a.fetchedAt > b.fetchedAt;

/**
 * A track row is one per device, shared by every diary on it, and what it
 * says is what every month page shows. A file only fills what the row lacks
 * (a name, artists, cover, duration): it never renames a track, and never
 * swaps its artists (core keys artists by id, so that would also split an
 * artist in two). Unlike tracks.ts's mergeTrack, which takes fresher facts
 * from Spotify, this trusts the device over the file.
 */
function fillMissing(old: Track, from: Track): Track {
  return {
    ...old,
    name: old.name || from.name,
    artists: old.artists.length > 0 ? old.artists : from.artists,
    album: {
      ...old.album,
      id: old.album.id ?? from.album.id,
      name: old.album.name || from.album.name,
      imageUrl: old.album.imageUrl ?? from.album.imageUrl,
    },
    durationMs: old.durationMs ?? from.durationMs,
    isrc: old.isrc ?? from.isrc,
  };
}

/** Merges a checked backup into the database, all or nothing. */
export async function mergeBackupRows(db: TimeMachineDb, file: BackupFile): Promise<ImportSummary> {
  const accountId = file.account.accountId;
  return db.transaction('rw', backupTables(db), async () => {
    const known = await db.accounts.get(accountId);
    const account: AccountRow = known
      ? { ...known, connectedAt: Math.min(known.connectedAt, file.account.connectedAt) }
      : (file.account as AccountRow);
    await db.accounts.put(account);

    const oldTracks = await db.tracks.bulkGet(file.tracks.map((t) => t.id));
    await db.tracks.bulkPut(
      file.tracks.map((t, i) =>
        oldTracks[i] ? fillMissing(oldTracks[i], t as Track) : (t as Track),
      ),
    );

    const oldArtists = await db.artists.bulkGet(file.artists.map((a) => a.id));
    await db.artists.bulkPut(file.artists.filter((_, i) => !oldArtists[i]));

    const oldSnapshots = await db.snapshots.bulkGet(file.snapshots.map((s) => s.id));
    const snapshots = file.snapshots.filter((_, i) => !oldSnapshots[i]);
    await db.snapshots.bulkPut(snapshots);

    // a play this device has already stays as it is here
    const days = PlayDays.none(db, accountId);
    await days.readDaysOf(file.plays);
    const plays = file.plays.filter((p) => !days.has(p));
    await days.apply([], plays);
    await days.save();

    const oldFeatures = await db.features.bulkGet(file.features.map((f) => f.trackId));
    await db.features.bulkPut(
      file.features.filter((f, i) => newer(f as AudioFeatures, oldFeatures[i])) as AudioFeatures[],
    );

    // An entry not finished elsewhere waits for Retry rather than running on
    // the next open (a file must not be able to start a push), and may have
    // been pushed from the other device since the file was made: the marker
    // lookup (createAttempted) keeps Retry from making a second playlist.
    const oldOutbox = await db.outbox.bulkGet(file.outbox.map((e) => e.id));
    const outbox = file.outbox
      .filter((_, i) => !oldOutbox[i])
      .map((e) => pauseRestoredPush(e as OutboxRow));
    await db.outbox.bulkPut(outbox);

    const oldImports = await db.imports.bulkGet(file.imports.map((r) => r.id));
    await db.imports.bulkPut(file.imports.filter((_, i) => !oldImports[i]));

    // this device's own settings win over the file's
    const metaKeys = Object.keys(file.settings)
      .filter((name) => !isDerivedMeta(name))
      .map((name) => `${accountId}:${name}`);
    const oldMeta = await db.meta.bulkGet(metaKeys);
    await db.meta.bulkPut(
      metaKeys
        .filter((_, i) => !oldMeta[i])
        .map((key) => ({ key, value: file.settings[key.slice(accountId.length + 1)] })),
    );

    const newTracks = oldTracks.filter((t) => !t).length;
    return {
      accountId,
      added: {
        snapshots: snapshots.length,
        plays: plays.length,
        tracks: newTracks,
        outbox: outbox.length,
      },
    };
  });
}

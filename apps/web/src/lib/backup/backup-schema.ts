// The backup file's shape, checked before anything is written. Objects are
// "loose": fields a newer build of the same file version added (or that a
// module stores beside the shared row, like the outbox's own fields) come back
// unchanged, which is what makes the round trip lossless.
//
// A backup is a file anyone can hand over, so what it says is outside data:
// every value that leaves this device on the person's behalf (track URIs and
// playlist ids sent to Spotify, a link rendered as "Open in Spotify") or
// that becomes part of a storage key (account ids) is checked here, and one
// bad value refuses the whole file.
import { z } from 'zod';
import { isSpotifyId, isTrackUri } from '@mtm/core';
import { deviceKey } from '../db/meta';
import { isImageUrl, spotifyWebUrl } from '../ui/safe-url';

export const BACKUP_APP = 'music-time-machine';
/** Bump when a change would make an older build misread the file. */
export const BACKUP_VERSION = 1;

const shown = (v: string) => JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}...` : v);

/** A string that passes `ok`, or an issue that quotes it and says what it is not. */
const checked = (ok: (v: string) => boolean, isNot: string) =>
  z.string().superRefine((v, ctx) => {
    if (!ok(v)) ctx.addIssue({ code: 'custom', message: `${shown(v)} is ${isNot}` });
  });

// Account ids become the first half of meta keys (`${accountId}:${name}`, see
// db/meta.ts) next to the device's own (`device:${name}`): an id holding the
// separator, or the device's prefix itself, would let a file write the
// device's rows or another account's. Spotify's user ids are letters, digits
// and a few marks.
const ACCOUNT_ID = /^[A-Za-z0-9._-]{1,64}$/;
/** Prefixes meta.ts keeps for itself: `device` (deviceKey). */
const RESERVED_ACCOUNT_IDS: ReadonlySet<string> = new Set([deviceKey('').split(':')[0]!]);

const accountId = z.string().superRefine((v, ctx) => {
  if (!ACCOUNT_ID.test(v))
    ctx.addIssue({
      code: 'custom',
      message: `${shown(v)} is not an account id (1 to 64 letters, digits, ".", "_" or "-")`,
    });
  else if (RESERVED_ACCOUNT_IDS.has(v.toLowerCase()))
    ctx.addIssue({
      code: 'custom',
      message: `${shown(v)} is a name this app keeps for itself, not an account id`,
    });
});

const trackUri = checked(isTrackUri, 'not a Spotify track URI (spotify:track: and a track id)');
const playlistId = checked(isSpotifyId, 'not a Spotify playlist id');
const playlistUrl = checked(
  (v) => spotifyWebUrl(v) !== null,
  'not a link to https://open.spotify.com/',
);

const imageUrl = checked(isImageUrl, 'not an image address (https://, or http:// on this machine)');

const timeRange = z.enum(['short_term', 'medium_term', 'long_term']);
const ms = z.number().finite();

const track = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  artists: z.array(z.looseObject({ id: z.string().nullable(), name: z.string() })),
  album: z.looseObject({
    id: z.string().nullable(),
    name: z.string(),
    imageUrl: imageUrl.nullable(),
  }),
  durationMs: z.number().nullable(),
  isrc: z.string().nullable(),
});

const artist = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  genres: z.array(z.string()),
  imageUrl: imageUrl.nullable(),
});

const snapshot = z.looseObject({
  id: z.string().min(1),
  accountId: z.string().min(1),
  takenAt: ms,
  range: timeRange,
  trackIds: z.array(z.string()),
});

const play = z.looseObject({
  accountId: z.string().min(1),
  playedAt: ms,
  trackId: z.string(),
  msPlayed: z.number().nonnegative(),
  source: z.enum(['recent', 'export']),
});

const unit = z.number().finite();
const features = z.looseObject({
  trackId: z.string().min(1),
  energy: unit,
  valence: unit,
  danceability: unit,
  tempo: unit,
  acousticness: unit,
  instrumentalness: unit,
  source: z.enum(['spotify', 'reccobeats']),
  fetchedAt: ms,
});

const outbox = z.looseObject({
  id: z.string().min(1),
  accountId: z.string().min(1),
  createdAt: ms,
  updatedAt: ms,
  state: z.enum(['pending', 'creating', 'adding', 'done', 'failed']),
  name: z.string(),
  description: z.string(),
  uris: z.array(trackUri),
  playlistId: playlistId.nullable(),
  playlistUrl: playlistUrl.nullable(),
  addedCount: z.number().int().nonnegative(),
  attempts: z.number().int().nonnegative(),
  lastError: z.object({ code: z.string(), message: z.string(), retryAt: ms.nullable() }).nullable(),
});

const importFile = z.looseObject({
  id: z.string().min(1),
  accountId: z.string().min(1),
  fileName: z.string(),
  state: z.enum(['writing', 'done']),
  plays: z.number().int().nonnegative(),
  startedAt: ms,
  finishedAt: ms.nullable(),
  /** The time range the file covers (issue 14); absent in older files. */
  covers: z.object({ from: ms, to: ms }).optional(),
});

const account = z.looseObject({
  accountId,
  displayName: z.string().nullable(),
  imageUrl: imageUrl.nullable(),
  connectedAt: ms,
});

/** Checked first, on its own, so a newer file gets "update the app", not a list of schema errors. */
export const backupHeader = z.looseObject({
  app: z.literal(BACKUP_APP),
  version: z.number().int().positive(),
});

export const backupFile = z
  .object({
    app: z.literal(BACKUP_APP),
    version: z.literal(BACKUP_VERSION),
    exportedAt: ms,
    account,
    tracks: z.array(track),
    artists: z.array(artist),
    snapshots: z.array(snapshot),
    plays: z.array(play),
    features: z.array(features),
    outbox: z.array(outbox),
    imports: z.array(importFile),
    /** This account's meta rows (settings, cursors), by name without the account prefix. */
    settings: z.record(z.string(), z.unknown()),
  })
  .superRefine((file, ctx) => {
    // every row must belong to the account the file is for: a hand-edited or
    // spliced file must not slip rows into another account's diary (and so
    // every row's id is as checked as the account's)
    const id = file.account.accountId;
    for (const key of ['snapshots', 'plays', 'outbox', 'imports'] as const) {
      const i = file[key].findIndex((r) => r.accountId !== id);
      if (i >= 0)
        ctx.addIssue({
          code: 'custom',
          path: [key, i, 'accountId'],
          message: `${shown(file[key][i]!.accountId)} is another account than ${shown(id)}, whose backup this is`,
        });
    }
  });

export type BackupFile = z.infer<typeof backupFile>;

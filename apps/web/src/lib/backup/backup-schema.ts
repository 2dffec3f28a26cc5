// The backup file's shape, checked before anything is written. Objects are
// "loose": fields a newer build of the same file version added (or that a
// module stores beside the shared row, like the outbox's own fields) come back
// unchanged, which is what makes the round trip lossless.
import { z } from 'zod';

export const BACKUP_APP = 'music-time-machine';
/** Bump when a change would make an older build misread the file. */
export const BACKUP_VERSION = 1;

const timeRange = z.enum(['short_term', 'medium_term', 'long_term']);
const ms = z.number().finite();

const track = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  artists: z.array(z.looseObject({ id: z.string().nullable(), name: z.string() })),
  album: z.looseObject({
    id: z.string().nullable(),
    name: z.string(),
    imageUrl: z.string().nullable(),
  }),
  durationMs: z.number().nullable(),
  isrc: z.string().nullable(),
});

const artist = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  genres: z.array(z.string()),
  imageUrl: z.string().nullable(),
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
  uris: z.array(z.string()),
  playlistId: z.string().nullable(),
  playlistUrl: z.string().nullable(),
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
});

const account = z.looseObject({
  accountId: z.string().min(1),
  displayName: z.string().nullable(),
  imageUrl: z.string().nullable(),
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
    // spliced file must not slip rows into another account's diary
    const id = file.account.accountId;
    for (const key of ['snapshots', 'plays', 'outbox', 'imports'] as const) {
      const i = file[key].findIndex((r) => r.accountId !== id);
      if (i >= 0)
        ctx.addIssue({
          code: 'custom',
          path: [key, i, 'accountId'],
          message: `belongs to another account than ${id}`,
        });
    }
  });

export type BackupFile = z.infer<typeof backupFile>;

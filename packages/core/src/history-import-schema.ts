// The two listening-history formats of Spotify's privacy export, as zod
// schemas. Only the fields the diary uses are checked; every other field is
// ignored, because Spotify adds fields over the years and an extra field must
// never make a file unreadable.
import { z } from 'zod';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;
const MINUTE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/;

/** ISO 8601 with an explicit offset (export `ts`), as ms since epoch. */
const isoInstant = z.string().transform((s, ctx) => {
  const ms = ISO_UTC.test(s) ? Date.parse(s) : Number.NaN;
  if (Number.isFinite(ms)) return ms;
  ctx.addIssue({
    code: 'custom',
    message: `expected a date like "2024-03-01T18:22:05Z", got ${preview(s)}`,
  });
  return z.NEVER;
});

/**
 * Account-data `endTime` is "YYYY-MM-DD HH:MM" in UTC. It is parsed with
 * Date.UTC, never `new Date(string)`, which would read it in the device's time
 * zone and shift every play by the offset (and twice a year by an hour more).
 */
const utcMinute = z.string().transform((s, ctx) => {
  const m = MINUTE.exec(s);
  if (m) {
    const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
    const ms = Date.UTC(y, mo - 1, d, h, mi);
    const back = new Date(ms);
    // Date.UTC rolls "02-30" over into March; a round trip catches impossible dates.
    if (
      back.getUTCFullYear() === y &&
      back.getUTCMonth() === mo - 1 &&
      back.getUTCDate() === d &&
      h < 24 &&
      mi < 60
    ) {
      return ms;
    }
  }
  ctx.addIssue({
    code: 'custom',
    message: `expected a time like "2024-03-01 18:22", got ${preview(s)}`,
  });
  return z.NEVER;
});

/**
 * Durations are kept when odd rather than failing a whole year of history:
 * negative becomes 0 and anything beyond a day (1e300, or 1e400 which JSON
 * turns into Infinity) is capped. The parser counts such rows as adjusted.
 */
const duration = z.union([z.number(), z.literal(Infinity)]);

const optionalText = z.string().nullish();

export const extendedEntrySchema = z.object({
  ts: isoInstant,
  ms_played: duration,
  master_metadata_track_name: optionalText,
  master_metadata_album_artist_name: optionalText,
  master_metadata_album_album_name: optionalText,
  spotify_track_uri: optionalText,
  episode_name: optionalText,
  spotify_episode_uri: optionalText,
  audiobook_title: optionalText,
  audiobook_uri: optionalText,
  audiobook_chapter_uri: optionalText,
});
export type ExtendedEntry = z.infer<typeof extendedEntrySchema>;

export const accountEntrySchema = z.object({
  endTime: utcMinute,
  artistName: z.string().nullable(),
  trackName: z.string().nullable(),
  msPlayed: duration,
});
export type AccountEntry = z.infer<typeof accountEntrySchema>;

function preview(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the text ${preview(value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

// The two listening-history formats of Spotify's privacy export, as zod
// schemas. Only the fields the diary uses are checked; every other field is
// ignored, because Spotify adds fields over the years and an extra field must
// never make a file unreadable.
import { z } from 'zod';

const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;
const MINUTE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/;

/**
 * The UTC instant of a wall-clock time, or null when no such time exists.
 * Date.UTC and Date.parse roll "02-30" over into March and "24:00" into the
 * next day, and Date.UTC reads years 0-99 as 1900-1999: a round trip through
 * setUTCFullYear catches all three, so an impossible date is an error that
 * names its field instead of a play on another day.
 */
function utcTime(fields: readonly string[]): number | null {
  const [y, mo, d, h, mi] = fields.map(Number) as [number, number, number, number, number];
  if (h > 23 || mi > 59) return null;
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return null;
  return t.setUTCHours(h, mi, 0, 0);
}

/** ISO 8601 with an explicit offset (export `ts`), as ms since epoch. */
const isoInstant = z.string().transform((s, ctx) => {
  const m = ISO_UTC.exec(s);
  // the fields are checked as written (local time); Date.parse applies the offset
  const ms = m && utcTime(m.slice(1, 6)) !== null ? Date.parse(s) : Number.NaN;
  if (Number.isFinite(ms)) return ms;
  ctx.addIssue({
    code: 'custom',
    message: `expected a date like "2024-03-01T18:22:05Z", got ${preview(s)}`,
  });
  return z.NEVER;
});

/**
 * Account-data `endTime` is "YYYY-MM-DD HH:MM" in UTC. It is read field by
 * field as UTC, never with `new Date(string)`, which would read it in the
 * device's time zone and shift every play by the offset (and twice a year by
 * an hour more).
 */
const utcMinute = z.string().transform((s, ctx) => {
  const m = MINUTE.exec(s);
  const ms = m ? utcTime(m.slice(1)) : null;
  if (ms !== null) return ms;
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
 * -1e400 (-Infinity) is as odd as -5, so it is kept the same way.
 */
const duration = z.union([z.number(), z.literal(Infinity), z.literal(-Infinity)]);

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

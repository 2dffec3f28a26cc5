// Issue 12, "Done when": generated malformed export files never throw, never
// give a play outside the window of play-window.ts, and a file with a bad
// entry keeps the module's promise (history-import.ts's header): an error
// naming the file, and no plays from it.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isNameKey } from './history-import-names.js';
import {
  MAX_PLAY_MS,
  SKIP_REASONS,
  parseExportFile,
  type ParsedExportFile,
} from './history-import.js';
import { EARLIEST_PLAY_MS, playTimeLimit } from './play-window.js';
import { isSpotifyTrackId } from './spotify-ids.js';

const DAY = 86_400_000;
// Offsets of up to 14 h must not push a time out of years 0000-9999 (a year
// ISO text cannot write in four digits), so the widest range stops a day short.
const YEAR_0 = Date.parse('0000-01-02T00:00:00Z');
const YEAR_9999 = Date.parse('9999-12-30T00:00:00Z');

/** What a generated file is meant to be, when the generator knows it. */
interface Case {
  name: string;
  text: string;
  now: number;
  /** Index of the first entry made invalid on purpose; null for a valid file; undefined when unknown. */
  firstBad?: number | null;
  /** For a valid file: how many music rows are dated outside the window. */
  outOfRange?: number;
}

// JSON has no Infinity: 1e400 only exists as text, so numbers that must
// reach the parser as written travel as a token and are put back in the text.
const numberText = (text: string): string => `@@number(${text})@@`;
const putNumbersBack = (json: string): string => json.replace(/"@@number\(([^)]*)\)@@"/g, '$1');

const duration = fc.oneof(
  fc.integer({ min: 0, max: 900_000 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(-0, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 2 ** 53 + 1, 1e300),
  fc.constantFrom('1e400', '-1e400', '1E+999', '123456789012345678901234567890').map(numberText),
);

/** An end time: ordinary, on an edge of the window, or anywhere in years 0-9999. */
const endTime = (now: number) => {
  const limit = playTimeLimit(now);
  return fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: EARLIEST_PLAY_MS, max: now }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        EARLIEST_PLAY_MS - 60_000,
        EARLIEST_PLAY_MS - 1000,
        EARLIEST_PLAY_MS,
        limit - 60_000,
        limit - 1000,
        limit,
        limit + DAY,
        0,
      ),
    },
    { weight: 2, arbitrary: fc.integer({ min: YEAR_0, max: YEAR_9999 }) },
  );
};
const inWindow = (t: number, now: number): boolean =>
  t >= EARLIEST_PLAY_MS && t < playTimeLimit(now);

/** ISO 8601 as in `ts`, in UTC or with an offset; Date.parse gives `ms` back. */
function isoText(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, -1);
  if (offsetMinutes === 0) return `${local}Z`;
  const a = Math.abs(offsetMinutes);
  const hh = String(Math.floor(a / 60)).padStart(2, '0');
  const mm = String(a % 60).padStart(2, '0');
  return `${local}${offsetMinutes < 0 ? '-' : '+'}${hh}:${mm}`;
}
const minuteText = (ms: number): string =>
  new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const spotifyId = fc
  .array(fc.constantFrom(...BASE62), { minLength: 22, maxLength: 22 })
  .map((c) => c.join(''));
const songName = fc.constantFrom('Song', 'Hoppípolla', '坂本龍一', '🎵 x', ' Demo Tape ', 'ß');

const EXTENDED_TEXT_FIELDS = [
  'master_metadata_track_name',
  'master_metadata_album_artist_name',
  'master_metadata_album_album_name',
  'spotify_track_uri',
  'episode_name',
  'spotify_episode_uri',
  'audiobook_title',
  'audiobook_uri',
  'audiobook_chapter_uri',
] as const;
const KNOWN = new Set<string>([
  'ts',
  'ms_played',
  ...EXTENDED_TEXT_FIELDS,
  'endTime',
  'msPlayed',
  'artistName',
  'trackName',
  'podcastName',
  'episodeName',
]);
/** Fields Spotify may add one day (and a `__proto__`): they must change nothing. */
const extraFields = fc.array(
  fc.tuple(
    fc.oneof(
      fc.constantFrom('platform', 'conn_country', 'ip_addr', 'shuffle', 'offline', '__proto__'),
      fc.string({ maxLength: 8 }),
    ),
    fc.jsonValue({ maxDepth: 3 }),
  ),
  { maxLength: 3 },
);
const withExtras = (row: Record<string, unknown>, extras: [string, unknown][]) =>
  Object.fromEntries([...Object.entries(row), ...extras.filter(([k]) => !KNOWN.has(k))]);

/** Values no field of either format accepts where a text, a number or a date belongs. */
const notTextNorNumber = fc.constantFrom<unknown>(true, false, {}, { nested: [1] }, [], ['x']);
const notText = fc.oneof(notTextNorNumber, fc.integer(), fc.constant(0));
const notNumber = fc.oneof(notTextNorNumber, fc.constantFrom<unknown>(null, '200000', 'NaN', ''));
const badIsoTs = fc.oneof(
  notText,
  fc.constant(null),
  fc.constantFrom(
    '',
    '2024-03-01',
    '2024-03-01 18:22',
    '2024-03-01T18:22:05',
    '2024-02-30T10:00:00Z',
    '2023-02-29T10:00:00Z',
    '2024-13-01T00:00:00Z',
    '2024-00-10T00:00:00Z',
    '2024-01-01T24:00:00Z',
    '2024-01-01T10:60:00Z',
    '2024-01-01T00:00:60Z',
    '2024-01-01T00:00:00+25:00',
    '+002024-01-01T00:00:00Z',
    '-000001-01-01T00:00:00Z',
    ' 2024-03-01T18:22:05Z',
    'NaN',
    'Infinity',
    '1709251200000',
  ),
  fc.string().map((s) => `x${s}`),
);
const badMinute = fc.oneof(
  notText,
  fc.constant(null),
  fc.constantFrom(
    '',
    '2024-03-01T18:22:05Z',
    '2024-03-01 18:22:05',
    '2024-02-30 10:00',
    '2023-02-29 10:00',
    '2024-03-01 24:00',
    '2024-03-01 10:60',
    '20240301 1022',
  ),
  fc.string().map((s) => `x${s}`),
);
const MISSING = undefined; // JSON.stringify leaves the field out

type Row = { row: Record<string, unknown>; music: boolean; time: number };
type Corrupt = (row: Record<string, unknown>) => fc.Arbitrary<unknown>;

/** Replaces one field with a value the schema refuses, or the whole entry with a non-entry. */
const corruptWith =
  (fields: Record<string, fc.Arbitrary<unknown>>): Corrupt =>
  (row) =>
    fc.oneof(
      fc
        .constantFrom(...Object.keys(fields))
        .chain((f) => fields[f]!.map((v) => ({ ...row, [f]: v }))),
      fc.constantFrom<unknown>(null, 0, 'a play', [], [row], true),
    );

const corruptExtended = corruptWith({
  ts: fc.oneof(badIsoTs, fc.constant(MISSING)),
  ms_played: fc.oneof(notNumber, fc.constant(MISSING)),
  ...Object.fromEntries(EXTENDED_TEXT_FIELDS.map((f) => [f, notText])),
});
const corruptAccount = corruptWith({
  endTime: fc.oneof(badMinute, fc.constant(MISSING)),
  msPlayed: fc.oneof(notNumber, fc.constant(MISSING)),
  artistName: fc.oneof(notText, fc.constant(MISSING)),
  trackName: fc.oneof(notText, fc.constant(MISSING)),
});

const extendedRow = (now: number): fc.Arbitrary<Row> =>
  fc
    .record({
      time: endTime(now),
      offset: fc.oneof(fc.constant(0), fc.integer({ min: -12 * 60, max: 14 * 60 })),
      ms: duration,
      kind: fc.constantFrom('uri', 'uri', 'local', 'podcast', 'audiobook', 'nothing'),
      id: spotifyId,
      name: songName,
      artist: fc.option(songName),
      extras: extraFields,
    })
    .map((g) => ({
      music: g.kind === 'uri' || g.kind === 'local',
      time: g.time,
      row: withExtras(
        {
          ts: isoText(g.time, g.offset),
          ms_played: g.ms,
          master_metadata_track_name: g.kind === 'uri' || g.kind === 'local' ? g.name : null,
          master_metadata_album_artist_name: g.artist,
          master_metadata_album_album_name: null,
          spotify_track_uri: g.kind === 'uri' ? `spotify:track:${g.id}` : null,
          episode_name: g.kind === 'podcast' ? 'Episode' : null,
          spotify_episode_uri: g.kind === 'podcast' ? `spotify:episode:${g.id}` : null,
          audiobook_uri: g.kind === 'audiobook' ? `spotify:audiobook:${g.id}` : null,
        },
        g.extras,
      ),
    }));

const accountRow = (now: number): fc.Arbitrary<Row> =>
  fc
    .record({
      time: endTime(now).map((t) => Math.floor(t / 60_000) * 60_000),
      ms: duration,
      title: fc.option(songName, { freq: 5 }),
      artist: fc.option(songName),
      extras: extraFields,
    })
    .map((g) => ({
      music: g.title !== null,
      time: g.time,
      row: withExtras(
        { endTime: minuteText(g.time), artistName: g.artist, trackName: g.title, msPlayed: g.ms },
        g.extras,
      ),
    }));

const FILE_NAMES = [
  'Streaming_History_Audio_2020.json',
  'endsong_0.json',
  'StreamingHistory_music_0.json',
  'StreamingHistory0.json',
  'history.json',
];

/** Real-looking rows of one format, some of them (or none) made invalid on purpose. */
const almostRight: fc.Arbitrary<Case> = fc
  .record({
    now: fc.integer({ min: Date.UTC(2010, 0, 1), max: Date.UTC(2060, 0, 1) }),
    format: fc.constantFrom('extended', 'account'),
    name: fc.constantFrom(...FILE_NAMES),
  })
  .chain(({ now, format, name }) => {
    const row = format === 'extended' ? extendedRow(now) : accountRow(now);
    const corrupt = format === 'extended' ? corruptExtended : corruptAccount;
    return fc.array(row, { minLength: 1, maxLength: 12 }).chain((rows) =>
      fc
        .oneof(
          fc.constant([]),
          fc.uniqueArray(fc.nat(rows.length - 1), { minLength: 1, maxLength: 3 }),
        )
        .chain((bad) =>
          fc.tuple(...bad.map((i) => corrupt(rows[i]!.row).map((v) => [i, v] as const))),
        )
        .map((corrupted): Case => {
          const entries: unknown[] = rows.map((r) => r.row);
          for (const [i, v] of corrupted) entries[i] = v;
          const bad = corrupted.map(([i]) => i);
          return {
            name,
            now,
            text: putNumbersBack(JSON.stringify(entries)),
            firstBad: bad.length > 0 ? Math.min(...bad) : null,
            outOfRange: rows.filter((r) => r.music && !inWindow(r.time, now)).length,
          };
        }),
    );
  });

/** Anything at all: text that is not JSON, any JSON, lists of near-entries of any types, deep nesting. */
const anything: fc.Arbitrary<Case> = fc
  .record({
    now: fc.integer({ min: Date.UTC(2010, 0, 1), max: Date.UTC(2060, 0, 1) }),
    name: fc.constantFrom(...FILE_NAMES, 'Streaming_History_Video_2020.json', 'Userdata.json'),
    text: fc.oneof(
      { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
      { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
      {
        weight: 2,
        arbitrary: fc
          .array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 8 })
          .map((v) => JSON.stringify(v)),
      },
      {
        weight: 5,
        arbitrary: fc
          .array(
            fc.record(
              {
                ts: fc.oneof(
                  fc.jsonValue({ maxDepth: 1 }),
                  badIsoTs,
                  fc.constantFrom(
                    '2020-01-01T00:00:00Z',
                    '2005-12-31T23:59:59Z',
                    '9999-12-31T23:59:59Z',
                  ),
                ),
                ms_played: fc.oneof(fc.jsonValue({ maxDepth: 1 }), duration),
                endTime: fc.oneof(
                  fc.jsonValue({ maxDepth: 1 }),
                  badMinute,
                  fc.constantFrom('2020-01-01 00:00', '0000-01-01 00:00', '9999-12-31 23:59'),
                ),
                msPlayed: fc.oneof(fc.jsonValue({ maxDepth: 1 }), duration),
                trackName: fc.oneof(fc.jsonValue({ maxDepth: 1 }), songName),
                artistName: fc.jsonValue({ maxDepth: 1 }),
                spotify_track_uri: fc.oneof(
                  fc.jsonValue({ maxDepth: 1 }),
                  spotifyId.map((id) => `spotify:track:${id}`),
                ),
                master_metadata_track_name: fc.oneof(fc.jsonValue({ maxDepth: 1 }), songName),
                podcastName: fc.string(),
              },
              { requiredKeys: [] },
            ),
            { maxLength: 8 },
          )
          .map((v) => putNumbersBack(JSON.stringify(v))),
      },
      {
        // rare but deep: nothing in the parser may recurse into what it does not read
        weight: 1,
        arbitrary: fc
          .tuple(fc.integer({ min: 1, max: 10_000 }), fc.boolean())
          .map(([depth, list]) =>
            list
              ? `${'['.repeat(depth)}${']'.repeat(depth)}`
              : `[${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}]`,
          ),
      },
    ),
  })
  .map((c) => ({ ...c, firstBad: undefined }));

/** A valid file cut short anywhere: it is no longer JSON. */
const cutShort: fc.Arbitrary<Case> = almostRight.chain((c) =>
  fc.nat(Math.max(0, c.text.length - 2)).map((n) => ({
    name: c.name,
    now: c.now,
    text: c.text.slice(0, n),
  })),
);

/**
 * What must hold of any result, as a list of broken promises: one `expect`
 * per file instead of one per play keeps 10,000 files within seconds.
 */
function brokenPromises(c: Case, r: ParsedExportFile): string[] {
  const broken: string[] = [];
  const limit = playTimeLimit(c.now);
  if (r.name !== c.name) broken.push(`named ${r.name}`);
  if (Object.keys(r.skipped).sort().join() !== [...SKIP_REASONS].sort().join())
    broken.push(`skip reasons ${Object.keys(r.skipped).join()}`);
  for (const [reason, n] of Object.entries(r.skipped))
    if (!Number.isInteger(n) || n < 0) broken.push(`${n} skipped as ${reason}`);
  for (const p of r.plays) {
    if (!(p.playedAt >= EARLIEST_PLAY_MS && p.playedAt < limit))
      broken.push(`a play at ${p.playedAt}, outside [${EARLIEST_PLAY_MS}, ${limit})`);
    if (!Number.isInteger(p.msPlayed) || p.msPlayed < 0 || p.msPlayed > MAX_PLAY_MS)
      broken.push(`a play of ${p.msPlayed} ms`);
    if (!isSpotifyTrackId(p.trackId) && !isNameKey(p.trackId))
      broken.push(`a play of ${JSON.stringify(p.trackId)}`);
  }
  const played = new Set(r.plays.map((p) => p.trackId));
  for (const t of r.tracks) if (!played.has(t.id)) broken.push(`a track never played: ${t.id}`);
  if (r.error) {
    if (r.plays.length > 0 || r.tracks.length > 0) broken.push('plays or tracks beside an error');
    if (r.error.file !== c.name || !r.error.message.includes(c.name))
      broken.push(`an error that does not name the file: ${r.error.message}`);
  } else {
    const skipped = Object.values(r.skipped).reduce((a, b) => a + b, 0);
    if (r.plays.length + skipped !== r.entries)
      broken.push(`${r.plays.length} plays + ${skipped} skipped of ${r.entries} entries`);
  }
  return broken;
}

/** What the generator knows the result must be, for files it made valid or broke on purpose. */
function checkOracle(c: Case, r: ParsedExportFile): void {
  if (c.firstBad === undefined) return;
  if (c.firstBad === null) {
    expect(r.error).toBeNull();
    expect(r.skipped['out-of-range']).toBe(c.outOfRange);
    return;
  }
  // a bad first entry may hide the format, so then any error will do
  expect(r.error).not.toBeNull();
  if (c.firstBad > 0)
    expect(r.error).toMatchObject({ code: 'BAD_ENTRY', index: c.firstBad, file: c.name });
}

describe('parseExportFile on malformed files (issue 12)', () => {
  it('10,000 generated files: no exception, no play outside the window, a bad entry fails the whole file', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          { weight: 3, arbitrary: almostRight },
          { weight: 2, arbitrary: anything },
          cutShort,
        ),
        (c) => {
          const r = parseExportFile(c.name, c.text, { accountId: 'acc', now: c.now });
          expect(brokenPromises(c, r)).toEqual([]);
          checkOracle(c, r);
        },
      ),
      { numRuns: 10_000 },
    );
    // 10,000 files take seconds, not milliseconds: vitest's 5 s default would be flaky on 2 cores
  }, 60_000);
});

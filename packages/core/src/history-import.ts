// Reading Spotify's privacy export ("Download your data") into plays and
// tracks. Pure: the web app unzips and decodes, this module only sees a file
// name and its text, and never throws on what it is given: a bad file comes
// back as an error naming the file and what is wrong, with no plays, so the
// caller can import the good files of the same drop and write nothing from
// the bad one.
//
// An entry that is well formed but dated when no play can have happened
// (before 2006, or after tomorrow as seen from `now`; see play-window.ts) is
// not an error: it is skipped as 'out-of-range' and counted, like a podcast.
// A missing `now` is the caller's mistake, not the file's: it throws, since
// without it every play would silently be out of range.
import type { Play, Track } from './types.js';
import { nameKey, normaliseName } from './history-import-names.js';
import { isPlayTimeInRange } from './play-window.js';
import { trackIdFromUri } from './spotify-ids.js';
import { accountEntrySchema, describe, extendedEntrySchema } from './history-import-schema.js';

export * from './history-import-names.js';
export * from './history-import-merge.js';

/** extended = Streaming_History_Audio_* / endsong_*; account = StreamingHistory_music_* / StreamingHistory*. */
export type ExportFileKind = 'extended' | 'account' | 'video' | 'podcast' | 'unknown';

export type SkipReason =
  'video' | 'podcast' | 'audiobook' | 'no-track' | 'duplicate' | 'out-of-range';
export const SKIP_REASONS: readonly SkipReason[] = [
  'video',
  'podcast',
  'audiobook',
  'no-track',
  'duplicate',
  'out-of-range',
];

export type ExportFileErrorCode = 'NOT_JSON' | 'NOT_A_LIST' | 'BAD_ENTRY' | 'OTHER_SERVICE';

export interface ExportFileError {
  code: ExportFileErrorCode;
  file: string;
  /** Plain words, naming the file; shown as is. */
  message: string;
  /** For BAD_ENTRY: 0-based position of the first bad entry, and its field (null when the entry itself is wrong). */
  index?: number;
  field?: string | null;
}

export interface ParsedExportFile {
  name: string;
  kind: ExportFileKind;
  /** Entries in the file, whatever became of them. */
  entries: number;
  plays: Play[];
  /** Names from the export, one per distinct track id or name key. */
  tracks: Track[];
  skipped: Record<SkipReason, number>;
  /** Plays kept with a repaired duration (negative, or longer than a day). */
  adjusted: number;
  error: ExportFileError | null;
}

/** No single play lasts a day; longer values are export glitches. */
export const MAX_PLAY_MS = 24 * 60 * 60 * 1000;

const NAME_PATTERNS: readonly [RegExp, ExportFileKind][] = [
  [/^streaming_history_audio_.*\.json$/i, 'extended'],
  [/^endsong_?\d*.*\.json$/i, 'extended'],
  [/^streaming_history_video_.*\.json$/i, 'video'],
  [/^endvideo_?\d*.*\.json$/i, 'video'],
  [/^streaminghistory_music_?\d*.*\.json$/i, 'account'],
  [/^streaminghistory_podcast_?\d*.*\.json$/i, 'podcast'],
  [/^streaminghistory_video_?\d*.*\.json$/i, 'video'],
  [/^streaminghistory\d*(\s*\(\d+\))?\.json$/i, 'account'],
];

/** The kind a file name announces, or null for any other file (Userdata.json, ReadMe.pdf, ...). */
export function kindFromName(path: string): ExportFileKind | null {
  const base = path.split(/[\\/]/).pop() ?? path;
  for (const [pattern, kind] of NAME_PATTERNS) if (pattern.test(base)) return kind;
  return null;
}

function kindFromShape(entry: unknown): ExportFileKind | null {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return null;
  if ('ts' in entry && 'ms_played' in entry) return 'extended';
  if ('endTime' in entry && ('podcastName' in entry || 'episodeName' in entry)) return 'podcast';
  if ('endTime' in entry && 'msPlayed' in entry) return 'account';
  return null;
}

export interface ParseOptions {
  accountId: string;
  /** The moment of the import (ms since epoch): plays that end after tomorrow are skipped. */
  now: number;
}

export function emptySkips(): Record<SkipReason, number> {
  return { video: 0, podcast: 0, audiobook: 0, 'no-track': 0, duplicate: 0, 'out-of-range': 0 };
}

export function parseExportFile(name: string, text: string, opts: ParseOptions): ParsedExportFile {
  if (!Number.isFinite(opts.now))
    throw new TypeError(
      `parseExportFile: opts.now must be the time in ms, got ${String(opts.now)}`,
    );
  const result: ParsedExportFile = {
    name,
    kind: kindFromName(name) ?? 'unknown',
    entries: 0,
    plays: [],
    tracks: [],
    skipped: emptySkips(),
    adjusted: 0,
    error: null,
  };
  const fail = (error: Omit<ExportFileError, 'file'>): ParsedExportFile => ({
    ...result,
    plays: [],
    tracks: [],
    error: { ...error, file: name },
  });

  let data: unknown;
  try {
    // a UTF-8 BOM is legal in a file but not in JSON.parse
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    const hint = text.trim() === '' ? 'it is empty' : 'it is cut short or is not a JSON file';
    return fail({ code: 'NOT_JSON', message: `${name} could not be read: ${hint}.` });
  }
  if (!Array.isArray(data)) {
    return fail({
      code: 'NOT_A_LIST',
      message: `${name} is not Spotify listening history: it should be a list of plays.`,
    });
  }
  result.entries = data.length;
  const byShape = data.length > 0 ? kindFromShape(data[0]) : null;
  const named = kindFromName(name);
  // The shape wins over the name (people rename files); a known name with an
  // unknown shape is validated against its format so the error names a field.
  const kind = byShape ?? named ?? 'unknown';
  result.kind = kind;
  if (kind === 'unknown') {
    if (data.length === 0) return result;
    return fail({
      code: 'OTHER_SERVICE',
      message: `${name} does not look like Spotify listening history; it may come from another service or another part of the export.`,
    });
  }
  if (kind === 'video' || kind === 'podcast') {
    result.skipped[kind] = data.length;
    return result;
  }
  if (named === 'video') {
    // a video-history file has the audio shape; its plays are not music
    result.kind = 'video';
    result.skipped.video = data.length;
    return result;
  }
  const bad =
    kind === 'extended' ? readExtended(data, opts, result) : readAccount(data, opts, result);
  return bad ? fail(bad) : result;
}

type Bad = Omit<ExportFileError, 'file'>;

const EXPECTED: Record<string, string> = {
  ts: 'a date',
  ms_played: 'a number',
  msPlayed: 'a number',
  endTime: 'a date',
  artistName: 'a name',
  trackName: 'a name',
};

function badEntry(
  name: string,
  index: number,
  entry: unknown,
  issue: { path: PropertyKey[]; message: string; code: string } | undefined,
): Bad {
  const field = issue && typeof issue.path[0] === 'string' ? issue.path[0] : null;
  let what: string;
  if (field === null) what = `is ${describe(entry)}, not a play`;
  else if (issue?.code === 'custom') what = `has "${field}" ${issue.message}`;
  else {
    const value = (entry as Record<string, unknown>)[field];
    what = `has "${field}" set to ${describe(value)}; expected ${EXPECTED[field] ?? 'text or null'}`;
  }
  return { code: 'BAD_ENTRY', index, field, message: `${name}: play number ${index + 1} ${what}.` };
}

function duration(ms: number, result: ParsedExportFile): number {
  if (ms >= 0 && ms <= MAX_PLAY_MS) return Math.round(ms);
  result.adjusted += 1;
  return ms < 0 ? 0 : MAX_PLAY_MS;
}

class Collector {
  readonly seen = new Set<string>();
  readonly tracks = new Map<string, Track>();
  constructor(
    private readonly result: ParsedExportFile,
    private readonly opts: ParseOptions,
  ) {}

  /** Adds the play (or counts a duplicate); false, and counted, when no play can have ended then. */
  add(playedAt: number, trackId: string, rawMs: number): boolean {
    if (!isPlayTimeInRange(playedAt, this.opts.now)) {
      this.result.skipped['out-of-range'] += 1;
      return false;
    }
    const key = `${playedAt}\u0000${trackId}`;
    if (this.seen.has(key)) {
      this.result.skipped.duplicate += 1;
      return true;
    }
    this.seen.add(key);
    this.result.plays.push({
      accountId: this.opts.accountId,
      playedAt,
      trackId,
      msPlayed: duration(rawMs, this.result),
      source: 'export',
    });
    return true;
  }

  track(id: string, title: string, artist: string, album: string): void {
    if (this.tracks.has(id)) return;
    this.tracks.set(id, {
      id,
      name: title,
      artists: artist ? [{ id: null, name: artist }] : [],
      album: { id: null, name: album, imageUrl: null },
      durationMs: null,
      isrc: null,
    });
  }
}

function readExtended(data: unknown[], opts: ParseOptions, result: ParsedExportFile): Bad | null {
  const out = new Collector(result, opts);
  for (let i = 0; i < data.length; i++) {
    const parsed = extendedEntrySchema.safeParse(data[i]);
    if (!parsed.success) return badEntry(result.name, i, data[i], parsed.error.issues[0]);
    const e = parsed.data;
    if (e.spotify_episode_uri || e.episode_name) {
      result.skipped.podcast += 1;
      continue;
    }
    if (e.audiobook_uri || e.audiobook_chapter_uri || e.audiobook_title) {
      result.skipped.audiobook += 1;
      continue;
    }
    const title = (e.master_metadata_track_name ?? '').trim();
    const artist = (e.master_metadata_album_artist_name ?? '').trim();
    const id = trackIdFromUri(e.spotify_track_uri);
    // local files have names but no Spotify URI: keep them under their name key
    const trackId = id ?? (normaliseName(title) ? nameKey(artist, title) : null);
    if (trackId === null) {
      result.skipped['no-track'] += 1;
      continue;
    }
    const kept = out.add(e.ts, trackId, e.ms_played);
    if (kept && title)
      out.track(trackId, title, artist, (e.master_metadata_album_album_name ?? '').trim());
  }
  result.tracks = [...out.tracks.values()];
  return null;
}

function readAccount(data: unknown[], opts: ParseOptions, result: ParsedExportFile): Bad | null {
  const out = new Collector(result, opts);
  for (let i = 0; i < data.length; i++) {
    const parsed = accountEntrySchema.safeParse(data[i]);
    if (!parsed.success) return badEntry(result.name, i, data[i], parsed.error.issues[0]);
    const e = parsed.data;
    const title = (e.trackName ?? '').trim();
    const artist = (e.artistName ?? '').trim();
    if (!normaliseName(title)) {
      result.skipped['no-track'] += 1;
      continue;
    }
    const trackId = nameKey(artist, title);
    if (out.add(e.endTime, trackId, e.msPlayed)) out.track(trackId, title, artist, '');
  }
  result.tracks = [...out.tracks.values()];
  return null;
}

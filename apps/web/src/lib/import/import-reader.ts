// The reading half of an import: read the dropped files (zips streamed entry
// by entry), validate each history file with @mtm/core, and hand its plays on
// in batches. No Spotify call, no write: names come from the export, and the
// writer (import-job.ts, in the same worker) writes. Kept free of `self` so
// tests run it in Node.
import {
  buildNameCandidates,
  isNameKey,
  parseExportFile,
  resolveNameKeys,
  type ParsedExportFile,
  type Play,
  type Track,
} from '@mtm/core';
import type { ReaderMessage } from './import-protocol';
import {
  archiveRefusedWords,
  entryTooBigWords,
  fileTooBigWords,
  zipDamagedWords,
} from './import-words';
import { EXPORT_LIMITS, ZipError, zipEntries, type ZipLimits } from './zip-entries';

export interface ReaderOptions {
  accountId: string;
  /** The clock: plays dated after tomorrow are skipped as out-of-range. */
  now: () => number;
  emit: (m: ReaderMessage) => void;
  /** Tracks already on the device, to join name keys to ids. */
  storedTracks: () => Promise<Track[]>;
  /** Plays per batch message. */
  batchSize?: number;
  /** Resolves when the writer can take another batch (flow control); none = no limit. */
  ready?: () => Promise<void>;
  /** How much a file and an archive may unpack to (tests lower them). */
  limits?: ZipLimits;
}

interface Input {
  name: string;
  size: number;
  stream(): ReadableStream<Uint8Array>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

const baseName = (path: string): string => path.split('/').pop() || path;

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>),
  );
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}

export async function readImport(files: readonly Input[], opts: ReaderOptions): Promise<void> {
  const { accountId, emit } = opts;
  const limits = opts.limits ?? EXPORT_LIMITS;
  const batchSize = opts.batchSize ?? 2_000;
  const bytesTotal = files.reduce((n, f) => n + f.size, 0);
  let bytesRead = 0;
  const progress = (n: number): void => {
    bytesRead += n;
    emit({ type: 'progress', bytesRead, bytesTotal });
  };
  const decoder = new TextDecoder('utf-8');
  // every track is sent once per import
  const sent = new Map<string, Track>();
  // tracks with a Spotify id, and their plays, for joining name keys to ids
  const stored = await opts.storedTracks();
  const named = new Map<string, Track>();
  const playCounts = new Map<string, number>();
  // account-data files (name keys only, about one year) wait until every file
  // with ids has been read; extended files are sent at once to bound memory
  const deferred: { id: string; parsed: ParsedExportFile }[] = [];
  const candidates = (): Map<string, string[]> =>
    buildNameCandidates([...stored, ...named.values()], playCounts);
  // only names with one id are joined here; a name with several ids (single
  // and album version) needs the stored plays to tell which listen is which,
  // so the writer does it after writing (see ImportWriter.rekey)
  const unambiguous = (c: Map<string, string[]>): Map<string, string> =>
    new Map([...c].filter(([, ids]) => ids.length === 1).map(([k, ids]) => [k, ids[0]!]));

  const send = async (id: string, parsed: ParsedExportFile, plays: Play[]): Promise<void> => {
    const tracks = new Map(parsed.tracks.map((t) => [t.id, t]));
    emit({
      type: 'file',
      id,
      name: parsed.name,
      kind: parsed.kind,
      plays: plays.length,
      skipped: parsed.skipped,
      adjusted: parsed.adjusted,
    });
    const sorted = [...plays].sort((a, b) => a.playedAt - b.playedAt);
    for (let i = 0; i < sorted.length; i += batchSize) {
      const batch = sorted.slice(i, i + batchSize);
      const fresh: Track[] = [];
      for (const p of batch) {
        const t = tracks.get(p.trackId);
        if (t && !sent.has(t.id)) {
          sent.set(t.id, t);
          fresh.push(t);
        }
      }
      await opts.ready?.();
      emit({
        type: 'batch',
        fileId: id,
        plays: batch,
        tracks: fresh,
        last: i + batchSize >= sorted.length,
      });
    }
    emit({ type: 'file-end', fileId: id });
  };

  const handle = async (path: string, bytes: Uint8Array): Promise<void> => {
    const name = baseName(path);
    const parsed = parseExportFile(name, decoder.decode(bytes), { accountId, now: opts.now() });
    if (parsed.error) {
      emit({ type: 'file-error', name, code: parsed.error.code, message: parsed.error.message });
      return;
    }
    const id = `${accountId}:${await sha256(bytes)}`;
    for (const t of parsed.tracks) if (!isNameKey(t.id)) named.set(t.id, t);
    for (const p of parsed.plays) playCounts.set(p.trackId, (playCounts.get(p.trackId) ?? 0) + 1);
    if (parsed.kind === 'account') deferred.push({ id, parsed });
    else if (parsed.plays.some((p) => isNameKey(p.trackId)))
      await send(id, parsed, resolveNameKeys(parsed.plays, unambiguous(candidates())).plays);
    else await send(id, parsed, parsed.plays);
  };

  for (const file of files) {
    if (/\.zip$/i.test(file.name)) {
      try {
        const entries = zipEntries(file as unknown as Blob, { onBytes: progress, limits });
        for await (const entry of entries) {
          const name = baseName(entry.name);
          if ('bytes' in entry) await handle(entry.name, entry.bytes);
          else if ('ignored' in entry) emit({ type: 'ignored', name });
          else
            emit({
              type: 'file-error',
              name,
              code: entry.error === 'too-big' ? 'TOO_BIG' : 'ZIP',
              message:
                entry.error === 'too-big'
                  ? entryTooBigWords(file.name, name, entry.limit)
                  : zipDamagedWords(file.name, name),
            });
        }
      } catch (e) {
        const reason = e instanceof ZipError ? e.reason : 'corrupt';
        emit({
          type: 'file-error',
          name: file.name,
          code: reason === 'too-big' || reason === 'too-many' ? 'TOO_BIG' : 'ZIP',
          message: archiveRefusedWords(
            file.name,
            e instanceof ZipError ? e : new ZipError('corrupt'),
          ),
        });
      }
    } else if (/\.json$/i.test(file.name)) {
      // a file larger than any export file is refused before it is read
      if (file.size > limits.entryBytes) {
        progress(file.size);
        emit({
          type: 'file-error',
          name: file.name,
          code: 'TOO_BIG',
          message: fileTooBigWords(file.name, file.size, limits.entryBytes),
        });
        continue;
      }
      const bytes = new Uint8Array(await file.arrayBuffer());
      progress(bytes.length);
      await handle(file.name, bytes);
    } else {
      progress(file.size);
      emit({
        type: 'file-error',
        name: file.name,
        code: 'NOT_JSON',
        message: `${file.name} is neither my_spotify_data.zip nor one of the JSON files inside it.`,
      });
    }
  }

  const all = candidates();
  const index = unambiguous(all);
  for (const { id, parsed } of deferred)
    await send(id, parsed, resolveNameKeys(parsed.plays, index).plays);
  // name-key plays stored by earlier imports (account data usually arrives
  // weeks before the extended history) join their ids now
  const pairs = new Map<string, string[]>();
  for (const t of [...stored, ...sent.values()]) {
    const ids = isNameKey(t.id) ? all.get(t.id) : undefined;
    if (ids) pairs.set(t.id, ids);
  }
  if (pairs.size > 0) emit({ type: 'rekey', pairs: [...pairs] });
  emit({ type: 'done' });
}

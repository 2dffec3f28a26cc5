// Streaming unzip with fflate: the archive is read in chunks from the Blob and
// each entry is handed over as soon as it is complete, so at most one
// decompressed history file (plus one input chunk) is in memory at a time,
// never the whole 10-year export.
//
// A zip is also the easiest way to hand the page a bomb: 2 MB that inflate to
// 2 GB. So an entry is inflated only when its name says it is listening
// history (core's kindFromName), and only up to the limits below: the moment
// an entry passes its limit its inflate stream is stopped, without inflating
// or keeping the rest of it.
import {
  Inflate,
  Unzip,
  type AsyncFlateStreamHandler,
  type FlateError,
  type UnzipFile,
} from 'fflate';
import { kindFromName } from '@mtm/core';

export interface ZipLimits {
  /** Bytes one history file may unpack to. */
  entryBytes: number;
  /** Bytes all history files of one archive may unpack to, refused ones included. */
  totalBytes: number;
  /** Entries of any name one archive may hold. */
  entries: number;
}

/**
 * Sized from real exports, with room to spare, so that no real export is
 * ever refused and a hostile one costs at most what a huge real one does:
 * - Spotify splits the extended history into files of ~12,000-15,000 rows,
 *   ~600 bytes each: ~8-10 MB a file (the generated 10-year export: 7.5 MB);
 *   account-data and legacy endsong files are smaller, and the largest real
 *   files seen are tens of MB. 100 MB is several times that, and still a
 *   buffer a phone holds while the file is decoded and parsed.
 * - 2 GB of history is ~3 million rows: 20 years of 400 plays a day. Every
 *   byte inflated counts, a refused file's too, so this also bounds the work
 *   a bomb of many "just under 100 MB" files can cause.
 * - A real export has tens of files (the 10-year one: 27; 20 years of heavy
 *   listening ~200); 5,000 stops an archive of a million empty entries.
 * Decimal units, as the words say them ("more than 100 MB").
 */
export const EXPORT_LIMITS: ZipLimits = {
  entryBytes: 100_000_000,
  totalBytes: 2_000_000_000,
  entries: 5_000,
};

export type ZipEntry =
  | { name: string; bytes: Uint8Array }
  | { name: string; error: 'truncated' | 'unsupported' }
  /** Would unpack to more than `limit` bytes: not imported, the archive reads on. */
  | { name: string; error: 'too-big'; limit: number }
  | { name: string; ignored: true };

export type ZipErrorReason =
  | 'not-a-zip'
  | 'corrupt'
  /** The history files together pass limits.totalBytes, in `entry`. */
  | 'too-big'
  /** The archive holds more than limits.entries entries. */
  | 'too-many';

/** Thrown when the archive cannot be read (any further). */
export class ZipError extends Error {
  constructor(
    readonly reason: ZipErrorReason,
    /** The entry being read when the archive was given up (too-big). */
    readonly entry: string | null = null,
    readonly limit: number | null = null,
  ) {
    super(entry ? `${reason}: ${entry}` : reason);
  }
}

/**
 * Bytes handed to fflate at a time. Inflating is synchronous and all output
 * of one push arrives at once; deflate expands at most ~1,032:1, so 64 KB of
 * input is at most ~66 MB of output before a limit is checked. Smaller
 * pieces bound that tighter but cost time on every real import (16 KB: ~10%
 * more unzip time on the 10-year export, from fflate's per-push copying).
 */
const PIECE = 64 * 1024;
const DEFLATE = 8;
const STORED = 0;

const noData: AsyncFlateStreamHandler = () => undefined;

/** fflate's UnzipInflate, plus terminate(): after it, pushes are dropped uninflated. */
class StoppableInflate {
  static compression = DEFLATE;
  ondata: AsyncFlateStreamHandler = noData;
  #stopped = false;
  #inflate = new Inflate((data, final) =>
    this.ondata(null, data as Uint8Array<ArrayBuffer>, final),
  );

  push(chunk: Uint8Array, final: boolean): void {
    if (this.#stopped) return;
    try {
      this.#inflate.push(chunk, final);
    } catch (e) {
      this.ondata(e as FlateError, new Uint8Array(0), final);
    }
  }

  terminate(): void {
    this.#stopped = true;
  }
}

/** A decoder that drops an entry's data, for compressions we never inflate. */
const dropping = (compression: number) =>
  class {
    static compression = compression;
    ondata: AsyncFlateStreamHandler = noData;
    push(): void {}
  };

function concat(parts: Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Yields each entry of the archive; throws ZipError when it is no zip at all, or too big. */
export async function* zipEntries(
  file: Blob,
  opts: { onBytes?: (n: number) => void; limits?: ZipLimits } = {},
): AsyncGenerator<ZipEntry> {
  const limits = opts.limits ?? EXPORT_LIMITS;
  const ready: ZipEntry[] = [];
  const open = new Set<string>();
  let entries = 0;
  let inflated = 0;
  // set inside fflate's callbacks, read by the loop below
  let stop = null as ZipError | null;
  const unzip = new Unzip();
  unzip.register(StoppableInflate);

  // fflate keeps the data of an entry nobody started, in case it is started
  // later: an entry we skip is started on a decoder that drops its data
  const skip = (entry: UnzipFile): void => {
    if (entry.compression !== STORED && entry.compression !== DEFLATE)
      unzip.register(dropping(entry.compression));
    entry.ondata = noData;
    entry.start();
    entry.terminate();
  };

  unzip.onfile = (entry) => {
    if (stop) return skip(entry);
    entries += 1;
    if (entries > limits.entries) {
      stop = new ZipError('too-many', null, limits.entries);
      return skip(entry);
    }
    const name = entry.name;
    if (name.endsWith('/')) return skip(entry);
    // only listening history is inflated; everything else is skipped unread
    if (kindFromName(name) === null) {
      ready.push({ name, ignored: true });
      return skip(entry);
    }
    if (entry.compression !== STORED && entry.compression !== DEFLATE) {
      ready.push({ name, error: 'unsupported' });
      return skip(entry);
    }
    // the size the entry declares, when it does, refuses it before inflating
    // (a bomb may declare less: the running count below catches that)
    if ((entry.originalSize ?? 0) > limits.entryBytes) {
      ready.push({ name, error: 'too-big', limit: limits.entryBytes });
      return skip(entry);
    }
    if (inflated + (entry.originalSize ?? 0) > limits.totalBytes) {
      stop = new ZipError('too-big', name, limits.totalBytes);
      return skip(entry);
    }
    const parts: Uint8Array[] = [];
    let size = 0;
    const end = (): void => {
      open.delete(name);
      entry.ondata = noData;
      entry.terminate();
      parts.length = 0;
    };
    open.add(name);
    entry.ondata = (err, chunk, final) => {
      if (err) {
        end();
        ready.push({ name, error: 'truncated' });
        return;
      }
      size += chunk.length;
      inflated += chunk.length;
      if (size > limits.entryBytes) {
        end();
        ready.push({ name, error: 'too-big', limit: limits.entryBytes });
        return;
      }
      if (inflated > limits.totalBytes) {
        end();
        stop = new ZipError('too-big', name, limits.totalBytes);
        return;
      }
      parts.push(chunk);
      if (final) {
        open.delete(name);
        ready.push({ name, bytes: concat(parts, size) });
      }
    };
    entry.start();
  };

  const reader = file.stream().getReader();
  let first = true;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (value && first) {
        first = false;
        // "PK\x03\x04": anything else is not a zip, whatever its name says
        if (
          value.length < 4 ||
          value[0] !== 0x50 ||
          value[1] !== 0x4b ||
          value[2] !== 0x03 ||
          value[3] !== 0x04
        )
          throw new ZipError('not-a-zip');
      }
      try {
        if (value)
          for (let at = 0; at < value.length && !stop; at += PIECE)
            unzip.push(value.subarray(at, at + PIECE), false);
        if (done) unzip.push(new Uint8Array(0), true);
      } catch {
        // fflate throws on damaged data; what finished before is still good
        for (const name of open) ready.push({ name, error: 'truncated' });
        open.clear();
        while (ready.length) yield ready.shift()!;
        if (entries === 0) throw new ZipError('corrupt');
        return;
      }
      if (value) opts.onBytes?.(value.length);
      while (ready.length) yield ready.shift()!;
      if (stop) {
        // the rest of the archive is never read, let alone inflated
        await reader.cancel();
        throw stop;
      }
      if (done) break;
    }
  } finally {
    reader.releaseLock();
  }
  if (first) throw new ZipError('not-a-zip');
  // an archive cut short leaves its last entry unfinished
  for (const name of open) yield { name, error: 'truncated' };
}

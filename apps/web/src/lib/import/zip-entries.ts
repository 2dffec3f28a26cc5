// Streaming unzip with fflate: the archive is read in chunks from the Blob and
// each entry is handed over as soon as it is complete, so at most one
// decompressed history file (plus one input chunk) is in memory at a time,
// never the whole 10-year export.
import { Unzip, UnzipInflate } from 'fflate';

export type ZipEntry =
  | { name: string; bytes: Uint8Array }
  | { name: string; error: 'truncated' | 'unsupported' }
  | { name: string; ignored: true };

export class ZipError extends Error {
  constructor(readonly reason: 'not-a-zip' | 'corrupt') {
    super(reason);
  }
}

const JSON_NAME = /\.json$/i;

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

/** Yields each entry of the archive; throws ZipError when it is no zip at all. */
export async function* zipEntries(
  file: Blob,
  onBytes?: (n: number) => void,
): AsyncGenerator<ZipEntry> {
  const ready: ZipEntry[] = [];
  const open = new Set<string>();
  let entries = 0;
  const unzip = new Unzip((entry) => {
    entries += 1;
    if (entry.name.endsWith('/')) return;
    // only JSON can be listening history; other entries are skipped unread
    if (!JSON_NAME.test(entry.name)) {
      ready.push({ name: entry.name, ignored: true });
      return;
    }
    const parts: Uint8Array[] = [];
    let size = 0;
    open.add(entry.name);
    entry.ondata = (err, chunk, final) => {
      if (err) {
        open.delete(entry.name);
        ready.push({ name: entry.name, error: 'truncated' });
        return;
      }
      parts.push(chunk);
      size += chunk.length;
      if (final) {
        open.delete(entry.name);
        ready.push({ name: entry.name, bytes: concat(parts, size) });
      }
    };
    try {
      entry.start();
    } catch {
      open.delete(entry.name);
      ready.push({ name: entry.name, error: 'unsupported' });
    }
  });
  unzip.register(UnzipInflate);

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
        unzip.push(value ?? new Uint8Array(0), done);
      } catch {
        // fflate throws on damaged data; what finished before is still good
        for (const name of open) ready.push({ name, error: 'truncated' });
        open.clear();
        while (ready.length) yield ready.shift()!;
        if (entries === 0) throw new ZipError('corrupt');
        return;
      }
      if (value) onBytes?.(value.length);
      while (ready.length) yield ready.shift()!;
      if (done) break;
    }
  } finally {
    reader.releaseLock();
  }
  if (first) throw new ZipError('not-a-zip');
  // an archive cut short leaves its last entry unfinished
  for (const name of open) yield { name, error: 'truncated' };
}

// Zips for tests (Node only), written byte by byte so that an entry can be a
// bomb: a run of zeros deflated ~1,000:1 that declares any size it likes, the
// true one or a lie. A 2 GB bomb is built in milliseconds and weighs 2 MB:
// one deflated MB of zeros, sync-flushed so it ends on a byte boundary, is
// repeated (its back-references only ever point at zeros), then closed with
// deflate's empty final block.
import { constants, crc32, deflateRawSync } from 'node:zlib';

export interface TestEntry {
  name: string;
  /** The entry's content. */
  data?: string | Uint8Array;
  /** Or: this many zero bytes (a bomb). */
  zeros?: number;
  /** The uncompressed size the headers declare (default: the true one). */
  declared?: number;
}

const MB = 1 << 20;
let zeroMb: Uint8Array | null = null;

function deflatedZeros(n: number): Uint8Array[] {
  const flush = { finishFlush: constants.Z_SYNC_FLUSH };
  zeroMb ??= deflateRawSync(Buffer.alloc(MB), { level: 9, ...flush });
  const parts: Uint8Array[] = Array.from({ length: Math.floor(n / MB) }, () => zeroMb!);
  if (n % MB > 0) parts.push(deflateRawSync(Buffer.alloc(n % MB), flush));
  parts.push(Uint8Array.of(0x03, 0x00));
  return parts;
}

function header(fields: [bytes: 2 | 4, value: number][], name: Uint8Array): Uint8Array {
  const size = fields.reduce((n, [b]) => n + b, 0);
  const out = new Uint8Array(size + name.length);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const [bytes, value] of fields) {
    if (bytes === 2) view.setUint16(at, value, true);
    else view.setUint32(at, value, true);
    at += bytes;
  }
  out.set(name, at);
  return out;
}

/** The archive's bytes, in parts (a bomb's parts repeat one buffer). */
export function zipParts(entries: readonly TestEntry[]): Uint8Array[] {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  const add = (p: Uint8Array): void => {
    parts.push(p);
    offset += p.length;
  };
  for (const e of entries) {
    const name = new TextEncoder().encode(e.name);
    const raw = typeof e.data === 'string' ? new TextEncoder().encode(e.data) : e.data;
    const body = raw ? [deflateRawSync(raw)] : deflatedZeros(e.zeros ?? 0);
    const compressed = body.reduce((n, p) => n + p.length, 0);
    const size = raw ? raw.length : (e.zeros ?? 0);
    // a bomb's CRC is left 0: nothing on the way checks it before the size
    const crc = raw ? crc32(raw) : 0;
    const common: [2 | 4, number][] = [
      [2, 20], // version needed
      [2, 0x0800], // UTF-8 names
      [2, 8], // deflate
      [2, 0], // time
      [2, 0x21], // date: 1980-01-01
      [4, crc],
      [4, compressed],
      [4, e.declared ?? size],
      [2, name.length],
      [2, 0], // extra
    ];
    const at = offset;
    add(header([[4, 0x04034b50], ...common], name));
    for (const p of body) add(p);
    central.push(
      header([[4, 0x02014b50], [2, 20], ...common, [2, 0], [2, 0], [2, 0], [4, 0], [4, at]], name),
    );
  }
  const start = offset;
  for (const c of central) add(c);
  add(
    header(
      [
        [4, 0x06054b50],
        [2, 0],
        [2, 0],
        [2, entries.length],
        [2, entries.length],
        [4, offset - start],
        [4, start],
        [2, 0],
      ],
      new Uint8Array(0),
    ),
  );
  return parts;
}

export const zipOf = (fileName: string, entries: readonly TestEntry[]): File =>
  new File(zipParts(entries) as BlobPart[], fileName);

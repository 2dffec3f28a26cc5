import { describe, expect, it } from 'vitest';
import { EXPORT_LIMITS, ZipError, zipEntries, type ZipEntry, type ZipLimits } from './zip-entries';
import { zipOf, type TestEntry } from './test-zips';

const MB = 1_000_000;
const HISTORY = '[{"ts":"2019-01-01T08:00:00Z","ms_played":1000}]';

/** Every entry the archive yields, then the error that ended it (or null). */
async function read(
  entries: TestEntry[],
  limits?: ZipLimits,
): Promise<{ entries: ZipEntry[]; error: unknown }> {
  const out: ZipEntry[] = [];
  try {
    for await (const e of zipEntries(zipOf('my_spotify_data.zip', entries), { limits }))
      out.push(e);
  } catch (error) {
    return { entries: out, error };
  }
  return { entries: out, error: null };
}

/** What each entry came to: its size, 'ignored', or its error. */
const outcome = (e: ZipEntry): [string, string | number] => [
  e.name,
  'bytes' in e ? e.bytes.length : 'ignored' in e ? 'ignored' : e.error,
];

describe('zip entries: zip bombs (issue 12)', () => {
  it('issue 12: a history file that unpacks past 100 MB is stopped there and refused, even when its header claims 1 KB; the others read on', async () => {
    const { entries, error } = await read([
      { name: 'Streaming_History_Audio_2019.json', data: HISTORY },
      // ~2 MB in the archive, 2 GB unpacked
      { name: 'Streaming_History_Audio_2020.json', zeros: 2_000 * MB, declared: 1_000 },
      { name: 'Streaming_History_Audio_2021.json', data: HISTORY },
    ]);
    expect(error).toBeNull();
    expect(entries.map(outcome)).toEqual([
      ['Streaming_History_Audio_2019.json', HISTORY.length],
      ['Streaming_History_Audio_2020.json', 'too-big'],
      ['Streaming_History_Audio_2021.json', HISTORY.length],
    ]);
    expect(entries[1]).toMatchObject({ limit: EXPORT_LIMITS.entryBytes });
  });

  it('issue 12: a history file whose header declares more than the limit is refused before it is inflated', async () => {
    // small and valid, but it says it is 200 MB: no real file says so
    const { entries } = await read([
      { name: 'Streaming_History_Audio_2019.json', data: HISTORY, declared: 200 * MB },
    ]);
    expect(entries.map(outcome)).toEqual([['Streaming_History_Audio_2019.json', 'too-big']]);
  });

  it('issue 12: only files named as listening history are inflated; the rest are skipped unread, bombs or not', async () => {
    const limits: ZipLimits = { entryBytes: MB, totalBytes: 2 * MB, entries: 100 };
    const { entries, error } = await read(
      [
        { name: 'MyData/Userdata.json', zeros: 50 * MB },
        { name: 'MyData/ReadMeFirst.pdf', zeros: 50 * MB },
        { name: 'MyData/Streaming_History_Audio_2019.json', data: HISTORY },
        { name: 'MyData/Playlist1.json', zeros: 50 * MB, declared: 10 },
      ],
      limits,
    );
    expect(error).toBeNull();
    expect(entries.map(outcome)).toEqual([
      ['MyData/Userdata.json', 'ignored'],
      ['MyData/ReadMeFirst.pdf', 'ignored'],
      ['MyData/Streaming_History_Audio_2019.json', HISTORY.length],
      ['MyData/Playlist1.json', 'ignored'],
    ]);
  });

  it('issue 12: history files that together unpack past the total limit stop the archive in the file that passes it', async () => {
    const limits: ZipLimits = { entryBytes: MB, totalBytes: 2 * MB, entries: 100 };
    const file = (n: number): TestEntry => ({
      name: `Streaming_History_Audio_201${n}.json`,
      zeros: 0.8 * MB,
      declared: 10,
    });
    const { entries, error } = await read([file(0), file(1), file(2), file(3)], limits);
    expect(entries.map(outcome)).toEqual([
      ['Streaming_History_Audio_2010.json', 0.8 * MB],
      ['Streaming_History_Audio_2011.json', 0.8 * MB],
    ]);
    expect(error).toBeInstanceOf(ZipError);
    expect(error).toMatchObject({
      reason: 'too-big',
      entry: 'Streaming_History_Audio_2012.json',
      limit: 2 * MB,
    });
  });

  it('issue 12: an archive of more than 5,000 entries is given up after the 5,000th', async () => {
    const many: TestEntry[] = Array.from({ length: 5_001 }, (_, i) => ({
      name: `junk/${i}.txt`,
      data: 'x',
    }));
    const { entries, error } = await read(many);
    expect(entries).toHaveLength(EXPORT_LIMITS.entries);
    expect(error).toMatchObject({ reason: 'too-many', limit: 5_000 });
  });
});

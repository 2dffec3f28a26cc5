import { describe, expect, it, vi } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import { nameKey, type Play } from '@mtm/core';
import { freshDb } from '../db/test-db';
import { addPlays, allPlays } from '../db/plays';
import type { TimeMachineDb } from '../db/schema';
import type { PageMessage, ReaderMessage, WorkerMessage } from './import-protocol';
import { BatchCredit } from './batch-credit';
import { runImport } from './import-job';
import { ImportStore, type WorkerLike } from './import-store.svelte';
import { PlayWriter } from '../db/play-writer';
import { importedCoverage } from '../db/capture';
import { gapStates } from '@mtm/core';
import { readImport } from './import-reader';
import { zipOf } from './test-zips';
import type { ZipLimits } from './zip-entries';

const ACC = 'acc-1';
const DAY = 86_400_000;
const T0 = Date.UTC(2019, 0, 1, 8, 0, 0);
const ID = (n: number): string => `track${String(n).padStart(17, '0')}`;

/** n extended plays, one every 6 hours, cycling over 7 songs. */
function extendedRows(n: number, start = T0): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => ({
    ts: new Date(start + (i * DAY) / 4 + 17_000).toISOString().replace('.000Z', 'Z'),
    ms_played: i % 5 === 0 ? 8_000 : 180_000,
    master_metadata_track_name: `Song ${i % 7}`,
    master_metadata_album_artist_name: 'Band',
    master_metadata_album_album_name: 'LP',
    spotify_track_uri: `spotify:track:${ID(i % 7)}`,
    episode_name: null,
    spotify_episode_uri: null,
    audiobook_uri: null,
  }));
}

const file = (name: string, data: unknown): File =>
  new File([typeof data === 'string' ? data : JSON.stringify(data)], name);
const zipFile = (name: string, entries: Record<string, unknown>): File =>
  new File(
    [
      zipSync(
        Object.fromEntries(
          Object.entries(entries).map(([k, v]) => [
            k,
            strToU8(typeof v === 'string' ? v : JSON.stringify(v)),
          ]),
        ),
      ),
    ],
    name,
  );

/** Counts batches read but not yet written, to check the flow control. */
class CountingCredit extends BatchCredit {
  out = 0;
  max = 0;
  override async take(): Promise<void> {
    await super.take();
    this.max = Math.max(this.max, ++this.out);
  }
  override give(): void {
    this.out -= 1;
    super.give();
  }
}

let lastCredit: CountingCredit | null = null;
/** The last in-process import, to see that it ends. */
let lastRun: Promise<void> = Promise.resolve();

/**
 * Runs the worker's code in-process, delivering its messages asynchronously
 * like postMessage. `stopAfter` plays written, it stops like a closed tab.
 */
function inProcessWorker(db: TimeMachineDb, stopAfter = Infinity): () => WorkerLike {
  return () => {
    let alive = true;
    const abort = new AbortController();
    const w: WorkerLike = {
      onmessage: null,
      onerror: null,
      terminate: () => {
        alive = false;
        abort.abort();
      },
      postMessage: (m: PageMessage) => {
        let written = 0;
        lastCredit = new CountingCredit(2);
        lastRun = runImport(m.files, {
          accountId: m.accountId,
          db,
          // after every play in these files: core skips plays dated after tomorrow
          now: () => Date.UTC(2026, 0, 1),
          batchSize: 50,
          credit: lastCredit,
          signal: abort.signal,
          emit: (msg: WorkerMessage) => {
            if (msg.type === 'written' && (written += msg.plays) >= stopAfter) abort.abort();
            if (alive)
              setTimeout(
                () => alive && w.onmessage?.({ data: msg } as MessageEvent<WorkerMessage>),
                0,
              );
          },
        });
      },
    };
    return w;
  };
}

async function importFiles(db: TimeMachineDb, files: File[]): Promise<ImportStore> {
  let t = 0;
  const store = new ImportStore({ createWorker: inProcessWorker(db), now: () => (t += 10) });
  await store.start(files, ACC, db.name);
  return store;
}

const playsOf = (db: TimeMachineDb): Promise<Play[]> => allPlays(db, ACC);

describe('import of the privacy export (issue 7)', () => {
  it('imports a zip: history files written, video and other files skipped, every play stored once', async () => {
    const db = freshDb();
    const zip = zipFile('my_spotify_data.zip', {
      'Spotify Extended Streaming History/Streaming_History_Audio_2019_0.json': extendedRows(300),
      'Spotify Extended Streaming History/Streaming_History_Audio_2019_1.json': extendedRows(
        120,
        T0 + (300 * DAY) / 4,
      ),
      'Spotify Extended Streaming History/Streaming_History_Video_2019.json': extendedRows(4),
      'Spotify Extended Streaming History/ReadMeFirst_ExtendedStreamingHistory.pdf': '%PDF',
    });
    const store = await importFiles(db, [zip]);
    expect(store.phase).toBe('finished');
    expect(store.error).toBeNull();
    expect(store.read).toBe(420);
    expect(store.imported).toBe(420);
    expect(store.skipped.video).toBe(4);
    expect(store.ignored).toEqual(['ReadMeFirst_ExtendedStreamingHistory.pdf']);
    expect(store.files.map((f) => [f.name, f.state])).toEqual([
      ['Streaming_History_Audio_2019_0.json', 'done'],
      ['Streaming_History_Audio_2019_1.json', 'done'],
      ['Streaming_History_Video_2019.json', 'done'],
    ]);
    const plays = await playsOf(db);
    expect(plays).toHaveLength(420);
    // plays under 30 s are stored too
    expect(plays.filter((p) => p.msPlayed < 30_000)).toHaveLength(84);
    expect((await db.tracks.get(ID(3)))?.name).toBe('Song 3');
    expect((await db.imports.toArray()).every((r) => r.state === 'done')).toBe(true);
    // flow control: the reader never ran more than two batches ahead of the writer
    expect(lastCredit?.max).toBe(2);
  });

  it('issue 14: keeps the time range each file covers (across all its batches), which closes the gaps inside it', async () => {
    const db = freshDb();
    const end0 = T0 + (299 * DAY) / 4 + 17_000;
    const start1 = T0 + (300 * DAY) / 4 + 17_000;
    const zip = zipFile('my_spotify_data.zip', {
      'Spotify Extended Streaming History/Streaming_History_Audio_2019_0.json': extendedRows(300),
      'Spotify Extended Streaming History/Streaming_History_Audio_2019_1.json': extendedRows(
        120,
        T0 + (300 * DAY) / 4,
      ),
      'Spotify Extended Streaming History/Streaming_History_Video_2019.json': extendedRows(4),
    });
    await importFiles(db, [zip]);
    const covered = await importedCoverage(db, ACC);
    expect(covered.sort((a, b) => a.from - b.from)).toEqual([
      { from: T0 + 17_000, to: end0 },
      { from: start1, to: T0 + (419 * DAY) / 4 + 17_000 },
    ]);
    // a gap inside one file closes; one across the six hours between the files does not
    const gap = (from: number, to: number) => ({ from, to, foundAt: 0, estimate: null });
    expect(
      gapStates([gap(T0 + DAY, T0 + 2 * DAY), gap(end0 - 1, start1 + 1)], covered).map(
        (g) => g.closed,
      ),
    ).toEqual([true, false]);
  });

  it('importing the same files twice adds nothing', async () => {
    const db = freshDb();
    const files = () => [file('Streaming_History_Audio_2019.json', extendedRows(200))];
    await importFiles(db, files());
    const again = await importFiles(db, files());
    expect(again.imported).toBe(0);
    expect(again.duplicates).toBe(200);
    expect(again.files[0]?.state).toBe('already');
    expect(await playsOf(db)).toHaveLength(200);
  });

  it('a bad file in the drop is reported by name and writes nothing; the good ones still import', async () => {
    const db = freshDb();
    const broken = extendedRows(30);
    broken[12] = { ...broken[12], ts: 'yesterday' };
    const store = await importFiles(db, [
      file('Streaming_History_Audio_2019.json', extendedRows(50)),
      file('Streaming_History_Audio_2020.json', broken),
      file('endsong_3.json', '[{"ts": "2020-01-0'),
      file('watch-history.json', [
        { header: 'YouTube', title: 'Watched', time: '2024-01-01T00:00:00Z' },
      ]),
      file('notes.txt', 'hello'),
    ]);
    expect(store.phase).toBe('finished');
    const failed = store.files.filter((f) => f.state === 'failed');
    expect(failed.map((f) => f.name)).toEqual([
      'Streaming_History_Audio_2020.json',
      'endsong_3.json',
      'watch-history.json',
      'notes.txt',
    ]);
    expect(failed[0]?.message).toContain('play number 13');
    expect(failed.every((f) => f.message?.includes(f.name))).toBe(true);
    expect(await playsOf(db)).toHaveLength(50);
  });

  it('a tab closed mid-file leaves it `writing`; the next import of it finishes it without doubles', async () => {
    const db = freshDb();
    const files = () => [file('Streaming_History_Audio_2019.json', extendedRows(400))];
    // the first import gets as far as the first 150 plays, then the tab closes
    const store = new ImportStore({ createWorker: inProcessWorker(db, 150), now: () => 0 });
    void store.start(files(), ACC, db.name);
    await vi.waitFor(() => expect(store.files[0]?.written).toBe(150));
    store.cancel();
    expect(store.phase).toBe('cancelled');
    // the reader, stopped while waiting for credit, ends instead of hanging
    await lastRun;
    expect((await db.imports.toArray()).map((r) => r.state)).toEqual(['writing']);
    expect(await playsOf(db)).toHaveLength(150);

    const second = await importFiles(db, files());
    expect(second.phase).toBe('finished');
    expect(await playsOf(db)).toHaveLength(400);
    expect(second.imported).toBe(250);
    expect((await db.imports.toArray()).map((r) => r.state)).toEqual(['done']);
  });

  it('a write that fails stops the import: the page says so, the file stays `writing`, no later file is started', async () => {
    const db = freshDb();
    // the third batch's write fails inside its transaction, as a full disk would
    const bulkPut = db.playDays.bulkPut.bind(db.playDays);
    let writes = 0;
    db.playDays.bulkPut = ((...args: Parameters<typeof bulkPut>) =>
      ++writes > 2
        ? Promise.reject(new Error('QuotaExceededError: the disk is full'))
        : bulkPut(...args)) as typeof bulkPut;
    const store = await importFiles(db, [
      file('Streaming_History_Audio_2019.json', extendedRows(200)),
      file('Streaming_History_Audio_2020.json', extendedRows(200, T0 + 200 * DAY)),
    ]);
    expect(store.phase).toBe('failed');
    expect(store.error).toMatch(/disk is full/);
    expect(store.files.map((f) => [f.name, f.state])).toEqual([
      ['Streaming_History_Audio_2019.json', 'writing'],
    ]);
    expect((await db.imports.toArray()).map((r) => r.state)).toEqual(['writing']);
    // whole batches of 50 only: the failed one wrote nothing
    expect(await playsOf(db)).toHaveLength(100);
  });

  it('plays captured from recently-played are not double counted: the export row replaces them', async () => {
    const db = freshDb();
    const rows = extendedRows(20);
    const recent: Play[] = rows.slice(0, 5).map((r, i) => ({
      accountId: ACC,
      playedAt: Date.parse(r.ts as string) + 3_000,
      trackId: ID(i % 7),
      msPlayed: 180_000,
      source: 'recent',
    }));
    await addPlays(db, recent);
    const store = await importFiles(db, [file('Streaming_History_Audio_2019.json', rows)]);
    expect(store.imported).toBe(15);
    expect(store.duplicates).toBe(5);
    const plays = await playsOf(db);
    expect(plays).toHaveLength(20);
    expect(plays.every((p) => p.source === 'export')).toBe(true);
  });

  it('a truncated zip still imports the entries before the cut and names the broken one', async () => {
    const db = freshDb();
    const whole = new Uint8Array(
      await zipFile('my_spotify_data.zip', {
        'Streaming_History_Audio_2019_0.json': extendedRows(100),
        'Streaming_History_Audio_2019_1.json': extendedRows(100, T0 + 100 * DAY),
      }).arrayBuffer(),
    );
    const store = await importFiles(db, [
      new File([whole.slice(0, Math.floor(whole.length * 0.75))], 'my_spotify_data.zip'),
    ]);
    expect(store.files.map((f) => [f.name, f.state])).toEqual([
      ['Streaming_History_Audio_2019_0.json', 'done'],
      ['Streaming_History_Audio_2019_1.json', 'failed'],
    ]);
    expect(store.files[1]?.message).toMatch(/cut short or damaged/);
    expect(await playsOf(db)).toHaveLength(100);
  });

  it('says a file named .zip that is not one is not a zip archive', async () => {
    const store = await importFiles(freshDb(), [file('my_spotify_data.zip', 'not a zip at all')]);
    expect(store.files[0]).toMatchObject({ name: 'my_spotify_data.zip', state: 'failed' });
    expect(store.files[0]?.message).toMatch(/not a zip archive/);
  });

  it('account data imported first is joined to track ids when the extended history arrives', async () => {
    const db = freshDb();
    const rows = extendedRows(14);
    const minute = (ts: string): string => ts.slice(0, 16).replace('T', ' ');
    const account = rows.map((r) => ({
      endTime: minute(r.ts as string),
      artistName: 'BAND',
      trackName: r.master_metadata_track_name,
      msPlayed: r.ms_played,
    }));
    const first = await importFiles(db, [file('StreamingHistory_music_0.json', account)]);
    expect(first.imported).toBe(14);
    expect((await playsOf(db)).every((p) => p.trackId.startsWith('name:'))).toBe(true);
    await importFiles(db, [file('Streaming_History_Audio_2019.json', rows)]);
    const plays = await playsOf(db);
    // the same 14 listens, now under their Spotify ids, each once
    expect(plays).toHaveLength(14);
    expect(plays.some((p) => p.trackId === nameKey('band', 'song 1'))).toBe(false);
    expect(new Set(plays.map((p) => p.trackId))).toEqual(
      new Set(Array.from({ length: 7 }, (_, i) => ID(i))),
    );
  });

  it('account data in the same drop as the extended history joins ids without doubles', async () => {
    const db = freshDb();
    const rows = extendedRows(10);
    const account = rows.map((r) => ({
      endTime: (r.ts as string).slice(0, 16).replace('T', ' '),
      artistName: 'Band',
      trackName: r.master_metadata_track_name,
      msPlayed: r.ms_played,
    }));
    account.push({
      endTime: '2019-06-01 10:00',
      artistName: 'Other',
      trackName: 'Unreleased',
      msPlayed: 60_000,
    });
    const store = await importFiles(db, [
      file('StreamingHistory_music_0.json', account),
      file('Streaming_History_Audio_2019.json', rows),
    ]);
    expect(store.imported).toBe(11);
    expect(store.duplicates).toBe(10);
    const plays = await playsOf(db);
    expect(plays.filter((p) => p.trackId === nameKey('Other', 'Unreleased'))).toHaveLength(1);
    expect((await db.tracks.get(nameKey('Other', 'Unreleased')))?.name).toBe('Unreleased');
  });

  it('a song with two ids (single and album version) is not counted once per version', async () => {
    const db = freshDb();
    // Song 0 also exists as another id with the same artist and title
    const rows = extendedRows(14).map((r, i) =>
      i === 7 ? { ...r, spotify_track_uri: 'spotify:track:albumversion0000000000' } : r,
    );
    const minute = (ts: string): string => ts.slice(0, 16).replace('T', ' ');
    const account = rows.map((r) => ({
      endTime: minute(r.ts as string),
      artistName: 'Band',
      trackName: r.master_metadata_track_name,
      msPlayed: r.ms_played,
    }));
    const store = await importFiles(db, [
      file('Streaming_History_Audio_2019.json', rows),
      file('StreamingHistory_music_0.json', account),
    ]);
    expect(store.imported).toBe(14);
    expect(store.duplicates).toBe(14);
    const plays = await playsOf(db);
    expect(plays).toHaveLength(14);
    expect(
      plays.filter((p) => p.trackId === 'albumversion0000000000').map((p) => p.playedAt),
    ).toEqual([Date.parse(rows[7]!.ts as string)]);
  });

  it('a recently-played capture of an imported listen, written through the one PlayWriter, adds nothing (for the sync)', async () => {
    const db = freshDb();
    const rows = extendedRows(10);
    await importFiles(db, [file('Streaming_History_Audio_2019.json', rows)]);
    // played_at carries milliseconds, the export's ts only seconds
    const recent: Play[] = rows.slice(6).map((r, i) => ({
      accountId: ACC,
      playedAt: Date.parse(r.ts as string) + 431,
      trackId: ID((i + 6) % 7),
      msPlayed: 180_000,
      source: 'recent',
    }));
    const fresh: Play = {
      accountId: ACC,
      playedAt: T0 + 30 * DAY,
      trackId: ID(1),
      msPlayed: 180_000,
      source: 'recent',
    };
    const r = await new PlayWriter(db, ACC, () => 0).write([...recent, fresh], [], 'second');
    expect(r).toEqual({ added: 1, duplicates: 4 });
    expect(await playsOf(db)).toHaveLength(11);
  });
});

describe('hostile files (issue 12)', () => {
  const json = (rows: unknown): string => JSON.stringify(rows);

  it('issue 12: a zip bomb among history files is named in words and writes nothing; the files that were fine are imported whole', async () => {
    const db = freshDb();
    const store = await importFiles(db, [
      zipOf('my_spotify_data.zip', [
        { name: 'Streaming_History_Audio_2019.json', data: json(extendedRows(100)) },
        // 2 MB that unpack to 2 GB, its header claiming 1 KB
        {
          name: 'Streaming_History_Audio_2020.json',
          zeros: 2_000_000_000,
          declared: 1_000,
        },
        {
          name: 'Streaming_History_Audio_2021.json',
          data: json(extendedRows(50, T0 + 100 * DAY)),
        },
      ]),
    ]);
    expect(store.phase).toBe('finished');
    expect(store.files.map((f) => [f.name, f.state])).toEqual([
      ['Streaming_History_Audio_2019.json', 'done'],
      ['Streaming_History_Audio_2020.json', 'failed'],
      ['Streaming_History_Audio_2021.json', 'done'],
    ]);
    expect(store.files[1]?.message).toBe(
      'my_spotify_data.zip › Streaming_History_Audio_2020.json would unpack to more than 100 MB, which no Spotify export holds, so it was not opened: nothing from it is in your diary.',
    );
    expect(await playsOf(db)).toHaveLength(150);
    expect(
      (await db.imports.toArray())
        .map((r) => [r.fileName, r.state])
        .sort(([a], [b]) => (a! < b! ? -1 : 1)),
    ).toEqual([
      ['Streaming_History_Audio_2019.json', 'done'],
      ['Streaming_History_Audio_2021.json', 'done'],
    ]);
  });

  it('issue 12: a zip holding only a bomb changes nothing stored', async () => {
    const db = freshDb();
    const store = await importFiles(db, [
      zipOf('my_spotify_data.zip', [
        { name: 'Streaming_History_Audio_2019.json', zeros: 2_000_000_000 },
      ]),
    ]);
    expect(store.phase).toBe('finished');
    expect(store.files.map((f) => f.message)).toEqual([
      expect.stringMatching(/^my_spotify_data\.zip › Streaming_History_Audio_2019\.json would/),
    ]);
    expect(store.imported).toBe(0);
    expect(await playsOf(db)).toEqual([]);
    expect(await db.imports.count()).toBe(0);
    expect(await db.tracks.count()).toBe(0);
  });

  /** Runs the reader alone, with lower limits, and returns what it said. */
  async function readWith(files: File[], limits: ZipLimits): Promise<ReaderMessage[]> {
    const said: ReaderMessage[] = [];
    await readImport(files, {
      accountId: ACC,
      now: () => Date.UTC(2026, 0, 1),
      storedTracks: async () => [],
      emit: (m) => said.push(m),
      limits,
    });
    return said;
  }

  it('issue 12: an archive whose history passes the total limit is read up to that file; the words say where it stopped', async () => {
    // ~3 KB each: the first fits, the second passes 5 KB in all
    const rows = json(extendedRows(10));
    const said = await readWith(
      [
        zipOf('my_spotify_data.zip', [
          { name: 'Streaming_History_Audio_2019.json', data: rows },
          { name: 'Streaming_History_Audio_2020.json', zeros: 3_000, declared: 10 },
          { name: 'Streaming_History_Audio_2021.json', data: rows },
        ]),
      ],
      { entryBytes: 4_000, totalBytes: 5_000, entries: 100 },
    );
    expect(said.filter((m) => m.type === 'file').map((m) => m.name)).toEqual([
      'Streaming_History_Audio_2019.json',
    ]);
    expect(said.filter((m) => m.type === 'file-error')).toEqual([
      {
        type: 'file-error',
        name: 'my_spotify_data.zip',
        code: 'TOO_BIG',
        message:
          'my_spotify_data.zip would unpack to more than 5 KB of listening history, which no Spotify export holds, so reading stopped at Streaming_History_Audio_2020.json: nothing from it or from the files after it is in your diary.',
      },
    ]);
  });

  it('issue 12: a JSON file larger than any export file is refused unread, by name and size', async () => {
    const said = await readWith(
      [file('Streaming_History_Audio_2019.json', json(extendedRows(40)))],
      { entryBytes: 1_000, totalBytes: 10_000, entries: 100 },
    );
    expect(said.filter((m) => m.type === 'file')).toEqual([]);
    const error = said.find((m) => m.type === 'file-error');
    expect(error).toMatchObject({ name: 'Streaming_History_Audio_2019.json', code: 'TOO_BIG' });
    expect(error && 'message' in error && error.message).toMatch(
      /^Streaming_History_Audio_2019\.json is [\d.]+ KB, more than the 1 KB any Spotify export file holds, so it was not opened/,
    );
  });
});

// How long a backup of a large diary takes to make, check and merge, on
// fake-indexeddb in Node (a browser's IndexedDB is slower to write, so the
// import figure is a floor). Run: cd apps/web && npx tsx src/lib/backup/backup-bench.ts
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { Play, Snapshot, Track } from '@mtm/core';
import { addPlays } from '../db/plays';
import { TimeMachineDb } from '../db/schema';
import { exportBackup, importBackup, parseBackup } from './backup';

const A = 'bench-account';
const PLAYS = Number(process.argv[2] ?? 100_000);
const TRACKS = 5_000;
const db = () =>
  new TimeMachineDb(`bench-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });

const source = db();
const tracks: Track[] = Array.from({ length: TRACKS }, (_, i) => ({
  id: `t${String(i).padStart(21, '0')}`,
  name: `Track ${i}`,
  artists: [{ id: `a${i % 400}`, name: `Artist ${i % 400}` }],
  album: { id: `al${i % 900}`, name: `Album ${i % 900}`, imageUrl: null },
  durationMs: 200_000,
  isrc: null,
}));
const plays: Play[] = Array.from({ length: PLAYS }, (_, i) => ({
  accountId: A,
  playedAt: Date.UTC(2016, 0, 1) + i * 600_000,
  trackId: tracks[(i * 7919) % TRACKS]!.id,
  msPlayed: 30_000 + (i % 200_000),
  source: 'export',
}));
const snapshots: Snapshot[] = Array.from({ length: 3 * 52 * 3 }, (_, i) => ({
  id: `s${i}`,
  accountId: A,
  takenAt: Date.UTC(2023, 0, 1) + i * 86_400_000,
  range: (['short_term', 'medium_term', 'long_term'] as const)[i % 3]!,
  trackIds: tracks.slice(i % 100, (i % 100) + 50).map((t) => t.id),
}));
await source.accounts.put({ accountId: A, displayName: 'Bench', imageUrl: null, connectedAt: 0 });
await source.tracks.bulkPut(tracks);
await addPlays(source, plays);
await source.snapshots.bulkPut(snapshots);

const time = async <T>(label: string, f: () => Promise<T> | T): Promise<T> => {
  const t0 = performance.now();
  const r = await f();
  console.log(`${label}: ${(performance.now() - t0).toFixed(0)} ms`);
  return r;
};
const file = await time('export (read + build)', () => exportBackup(source, A, Date.now()));
const text = await time('JSON.stringify', () => JSON.stringify(file));
console.log(
  `file: ${(text.length / 1_048_576).toFixed(1)} MB for ${PLAYS} plays, ${snapshots.length} snapshots, ${TRACKS} tracks`,
);
const parsed = await time('parse + zod check', () => parseBackup(text));
const target = db();
await time('import into an empty database', () => importBackup(target, parsed));
await time('import again (everything known)', () => importBackup(target, parsed));

// Benchmark, not a test (issue 14): the extra work the gap bookkeeping adds
// to one sync. Goal: no extra Spotify request, under 5 ms of computation.
//   1. requests: the real runSync over a counting client, for a sync that
//      finds nothing new, one with a few plays and one whose full page
//      reveals a gap; the gap is read off the page the capture asks anyway.
//   2. time: each added piece alone, median of many runs in process CPU time
//      (the machine is shared; CPU time is what preemption does not inflate):
//      core's gapFromPage on a page of 50, the reads of the previous capture
//      and of the cursor (again, in the write transaction) and the note of this one, and, only when a page reveals a gap, its
//      estimate from the eight weeks of plays before it (read + compute).
// Runs in Node over fake-indexeddb (slower than a browser's IndexedDB), so
// the storage figures are a ceiling, not a browser's.
//
//   cd apps/web && pnpm exec tsx bench/capture-gaps.ts [--accuracy [--shift=N]]
import 'fake-indexeddb/auto';
import { generateExport } from '@mtm/spotify-emulator';
import {
  ESTIMATE_WEEKS,
  STREAM_THRESHOLD_MS,
  estimateMissingPlays,
  gapFromPage,
  parseExportFile,
  type Track,
} from '@mtm/core';
import type { SpotifyClient } from '@mtm/spotify-client';
import { TimeMachineDb } from '../src/lib/db/schema';
import { PlayWriter } from '../src/lib/db/play-writer';
import { addCaptureGap, lastCapture, noteCapture } from '../src/lib/db/capture';
import { playsBetween, streamTimesBetween } from '../src/lib/db/plays';
import { recentCursor } from '../src/lib/db/recent-plays';
import { runSync, type SyncClient } from '../src/lib/sync/sync-engine';

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const ACCOUNT = 'listener';
const T = Date.UTC(2026, 2, 3, 10);

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
async function median(runs: number, fn: () => unknown): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = cpuMs();
    await fn();
    xs.push(cpuMs() - c0);
  }
  xs.sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)]!;
}

// eight weeks of the emulator's listener, written the way an import writes them
const files = generateExport({ from: T - ESTIMATE_WEEKS * WEEK, to: T });
const parsed = files
  .filter((f) => /Streaming_History_Audio_/.test(f.name))
  .map((f) => parseExportFile(f.name, f.text, { accountId: ACCOUNT, now: T + DAY }));
const plays = parsed.flatMap((p) => p.plays);
const tracks = parsed.flatMap((p) => p.tracks);
const db = new TimeMachineDb('bench-capture-gaps');
await db.delete();
await db.open();
await new PlayWriter(db, ACCOUNT, () => T, 20_000, 'fill').write(plays, tracks, 'second');
console.log(`history: ${plays.length} plays over ${ESTIMATE_WEEKS} weeks stored`);

// 1. requests per sync, by kind of answer
const track = (i: number): Track => ({
  id: `trk${String(i).padStart(19, '0')}`,
  name: `t${i}`,
  artists: [{ id: `a${i}`, name: `a${i}` }],
  album: { id: null, name: '', imageUrl: null },
  durationMs: 200_000,
  isrc: null,
});
function countingClient(page: { playedAt: number; track: Track }[]) {
  const calls: Record<string, number> = {};
  const count = (k: string) => (calls[k] = (calls[k] ?? 0) + 1);
  const client: SyncClient = {
    me: async () => {
      count('me');
      return { accountId: ACCOUNT, id: ACCOUNT, displayName: null, imageUrl: null };
    },
    topTracksUpTo: async () => {
      count('top');
      return [track(1)];
    },
    recentlyPlayed: async (o) => {
      count('recently-played');
      const items = page.filter((p) => p.playedAt > (o?.after ?? 0));
      return { items, nextAfter: items.at(-1)?.playedAt ?? null };
    },
    audioFeatures: async () => {
      count('features');
      return { features: new Map(), missing: [] };
    },
  } as Pick<SpotifyClient, 'me' | 'topTracksUpTo' | 'recentlyPlayed' | 'audioFeatures'>;
  return { client, calls };
}
const base = plays.at(-1)!.playedAt;
const pageOf = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({ playedAt: from + i * 60_000, track: track(i) }));
let clock = T;
const deps = (client: SyncClient) => ({
  db,
  client,
  now: () => clock,
  sleep: async () => undefined,
});
// the first capture, so the cursor is set
await runSync(deps(countingClient(pageOf(base + 1000, 10)).client), { background: true });
for (const [label, page] of [
  ['nothing new', [] as { playedAt: number; track: Track }[]],
  ['5 new plays', pageOf(base + DAY, 5)],
  ['full page after 3 days (a gap)', pageOf(base + 3 * DAY, 50)],
] as const) {
  // a day apart: no snapshot falls due (weekly), so only the capture's requests show
  clock += DAY;
  const { client, calls } = countingClient(page);
  await runSync(deps(client), { background: true });
  console.log(`requests, ${label}: ${JSON.stringify(calls)}`);
}

// 2. time of each added piece
const page = pageOf(T + 3 * DAY, 50).map((p) => p.playedAt);
const cursor = base;
const tGap = await median(2000, () => gapFromPage(cursor, page));
const tNote = await median(200, () =>
  db.transaction('rw', db.meta, async () => {
    await lastCapture(db, ACCOUNT);
    await noteCapture(db, ACCOUNT, { at: T, via: 'page' });
    // the cursor read again in the write transaction (overlapping captures)
    await recentCursor(db, ACCOUNT);
  }),
);
const gap = { from: cursor, to: T + 3 * DAY };
const streams = plays.filter((p) => p.msPlayed >= STREAM_THRESHOLD_MS).map((p) => p.playedAt);
const tEstimate = await median(200, () => estimateMissingPlays(streams, gap));
const tRead = await median(20, () =>
  streamTimesBetween(db, ACCOUNT, gap.from - ESTIMATE_WEEKS * WEEK, gap.from, STREAM_THRESHOLD_MS),
);
// what the first version read instead: every play as an object
const tReadPlays = await median(20, () =>
  playsBetween(db, ACCOUNT, gap.from - ESTIMATE_WEEKS * WEEK, gap.from),
);
const tAddGap = await median(20, () =>
  db.transaction('rw', db.playDays, db.meta, async () => {
    await addCaptureGap(db, ACCOUNT, gap, T, T);
  }),
);
const f = (ms: number) => `${ms.toFixed(3)} ms`;
console.log(
  `every sync: gapFromPage on 50 plays ${f(tGap)}; previous capture and cursor read + note ${f(tNote)}`,
);
console.log(
  `only a sync that finds a gap: estimate over ${streams.length} streams ${f(tEstimate)}; ` +
    `reading ${ESTIMATE_WEEKS} weeks of stream times ${f(tRead)} (as Play objects: ${f(tReadPlays)}); ` +
    `the whole addCaptureGap ${f(tAddGap)}`,
);
db.close();
await db.delete();

// 3. (--accuracy) the estimate against the plays really lost, over 200
// three-day gaps of the emulator's listener across 2025-2026, each counted
// the way the app does: from the previous capture (unseenSpan) to the oldest
// play of the full page that revealed it. --shift=N moves every window N hours
// later: a second set of windows, so a change is not judged on one set alone.
if (process.argv.includes('--accuracy')) {
  const shiftArg = process.argv.find((a) => a.startsWith('--shift='));
  const shift = shiftArg ? Number(shiftArg.slice('--shift='.length)) : 0;
  if (!Number.isInteger(shift) || shift < 0 || shift > 48)
    throw new RangeError(`--shift takes whole hours from 0 to 48, got ${shiftArg}`);
  const A = Date.UTC(2025, 5, 1);
  const B = Date.UTC(2026, 10, 30);
  const all = generateExport({ from: A, to: B })
    .filter((f) => /Streaming_History_Audio_/.test(f.name))
    .flatMap((f) => parseExportFile(f.name, f.text, { accountId: ACCOUNT, now: B + DAY }).plays)
    .filter((p) => p.msPlayed >= STREAM_THRESHOLD_MS)
    .map((p) => p.playedAt)
    .sort((a, b) => a - b);
  const errors: number[] = [];
  for (let i = 0; i < 200; i++) {
    const seen =
      A +
      90 * DAY +
      Math.floor((i * (B - A - 95 * DAY)) / 200) +
      ((i * 7919) % 24) * 3_600_000 +
      shift * 3_600_000;
    const cursor = all.filter((t) => t <= seen).at(-1)!;
    const oldest = all.filter((t) => t <= seen + 3 * DAY).slice(-50)[0]!;
    const lost = all.filter((t) => t > cursor && t < oldest).length;
    const est = estimateMissingPlays(
      all.filter((t) => t < seen),
      { from: seen, to: oldest },
    )!;
    errors.push((est - lost) / lost);
  }
  errors.sort((a, b) => a - b);
  const within = errors.filter((e) => Math.abs(e) <= 0.25).length;
  console.log(
    `accuracy${shift ? ` (windows shifted ${shift} h)` : ''}: median error ${(errors[100]! * 100).toFixed(1)}%, ${within} of 200 within 25%`,
  );
}

// Benchmark, not a test: a generated 10-year diary (~300,000 plays, weekly
// snapshots, their tracks and features) on device A, sent through the
// in-memory relay, then received whole by a new device B. Reports the time of
// each side, the bytes the relay stored and the requests carried, against the
// same data gzip-compressed (the diary as a backup file, gzip -6). Runs the
// real engine in Node over fake-indexeddb (slower than a browser's IndexedDB
// for writes): a ceiling for the engine's own cost, not a browser figure.
//
//   cd apps/web && pnpm exec tsx bench/device-sync.ts [years]
import 'fake-indexeddb/auto';
import { gzipSync } from 'node:zlib';
import { generateExport } from '@mtm/spotify-emulator';
import { TIME_RANGES, parseExportFile, snapshotId, type Play, type Snapshot } from '@mtm/core';
import { TimeMachineDb } from '../src/lib/db/schema';
import { rememberAccount } from '../src/lib/db/accounts';
import { PlayWriter } from '../src/lib/db/play-writer';
import { addSnapshots } from '../src/lib/db/snapshots';
import { saveFeatures } from '../src/lib/db/features';
import { readSyncedDiary } from '../src/lib/db/sync-records';
import { allPlays } from '../src/lib/db/plays';
import { FakeRelay } from '../src/lib/devices/test-support/fake-relay';
import { createRelayClient } from '../src/lib/devices/relay-client';
import { joinSync, syncDevice, turnOnSync, type EngineDeps } from '../src/lib/devices/engine';
import { feature } from '../src/lib/devices/test-support/devices';

const ACCOUNT = 'listener';
const years = Number(process.argv[2] ?? 10);
const to = Date.UTC(2024, 5, 15, 12);
const from = to - years * 365.25 * 86_400_000;

/**
 * Bytes of the answers as the server sends them to a browser (gzip, which
 * the browser inflates): the fake relay answers plain JSON.
 */
let answeredGzip = 0;
const countAnswers =
  (relay: FakeRelay): typeof fetch =>
  async (input, init) => {
    const res = await relay.fetch(input, init);
    const text = await res.clone().text();
    answeredGzip += text.length >= 1024 ? gzipSync(text).length : text.length;
    return res;
  };

function deps(db: TimeMachineDb, relay: FakeRelay, log?: (s: string) => void): EngineDeps {
  return {
    db,
    relay: createRelayClient({ fetch: countAnswers(relay) }),
    accountId: ACCOUNT,
    now: Date.now,
    onProgress: log
      ? (p) => {
          if (p.remainingMs !== null && p.done % 40 === 0)
            log(`  ${p.step} ${p.done} records, ~${Math.round(p.remainingMs / 1000)} s left`);
        }
      : undefined,
  };
}

async function device(name: string): Promise<TimeMachineDb> {
  const db = new TimeMachineDb(name);
  await rememberAccount(db, { accountId: ACCOUNT, displayName: 'Bench', imageUrl: null }, to);
  return db;
}

const files = generateExport({ from, to, accountData: false });
const parsed = files
  .filter((f) => /Streaming_History_Audio_/.test(f.name))
  .map((f) => parseExportFile(f.name, f.text, { accountId: ACCOUNT, now: to }));
const plays: Play[] = parsed.flatMap((p) => p.plays);
const tracks = [...new Map(parsed.flatMap((p) => p.tracks).map((t) => [t.id, t])).values()];
const trackIds = tracks.map((t) => t.id);
// a weekly capture of three ranges, 50 tracks each, drawn from the catalogue
const snapshots: Snapshot[] = [];
for (let at = from, w = 0; at < to; at += 7 * 86_400_000, w++)
  for (const range of TIME_RANGES)
    snapshots.push({
      id: snapshotId(ACCOUNT, range, at),
      accountId: ACCOUNT,
      takenAt: at,
      range,
      trackIds: Array.from({ length: 50 }, (_, i) => trackIds[(w * 7 + i * 13) % trackIds.length]!),
    });

const a = await device('bench-a');
let t = performance.now();
const writer = new PlayWriter(a, ACCOUNT, Date.now, 20_000, 'fill');
for (let i = 0; i < plays.length; i += 20_000)
  await writer.write(plays.slice(i, i + 20_000), i === 0 ? tracks : [], 'second');
await addSnapshots(a, snapshots);
await saveFeatures(
  a,
  trackIds.map((id) => feature(id, 1)),
);
const stored = (await allPlays(a, ACCOUNT)).length;
console.log(
  `A: ${stored} plays, ${snapshots.length} snapshots, ${tracks.length} tracks stored in ${Math.round(performance.now() - t)} ms`,
);

// the same data as one gzip-compressed JSON file (what a backup of it would be)
const diary = await readSyncedDiary(a, ACCOUNT);
const json = JSON.stringify({
  plays: diary.plays,
  snapshots: diary.snapshots,
  tracks: [...diary.tracks.values()],
  features: [...diary.features.values()],
});
const gz = gzipSync(json, { level: 6 }).length;

const relay = new FakeRelay();
const code = await turnOnSync(deps(a, relay));
t = performance.now();
const up = await syncDevice(deps(a, relay));
const upMs = performance.now() - t;
const putBytes = relay.log.filter((l) => l.method === 'PUT').reduce((n, l) => n + l.bytes, 0);

const b = await device('bench-b');
relay.log.length = 0;
t = performance.now();
const down = await joinSync(deps(b, relay, console.log), code);
const downMs = performance.now() - t;
const got = (await allPlays(b, ACCOUNT)).length;

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MB`;
console.log(
  [
    `${years} years: ${plays.length} plays parsed, ${stored} stored`,
    `same data as JSON ${mb(json.length)}, gzip -6 ${mb(gz)}`,
    `A sends: ${up!.sent} records in ${Math.round(upMs)} ms; relay stores ${mb(relay.status().bytes)} (${(relay.status().bytes / gz).toFixed(2)}x gzip); PUT requests carry ${mb(putBytes)} (${(putBytes / gz).toFixed(2)}x gzip; base64 in JSON, gzip-compressed)`,
    `B receives: ${down.received} records, ${got} plays in ${Math.round(downMs)} ms (${relay.log.length} requests)`,
  ].join('\n'),
);
if (got !== stored) throw new Error(`B holds ${got} plays, A ${stored}`);

// A day of listening on A afterwards (a heavy day: 80 plays of known tracks),
// then A's run and B's run: on the Friday of the export's last week, and
// again on its Sunday, the day that week's record is largest.
async function day(label: string, at: number): Promise<void> {
  await writer.write(
    Array.from({ length: 80 }, (_, i) => ({
      accountId: ACCOUNT,
      playedAt: at + i * 200_000,
      trackId: trackIds[(i * 37 + at / 3_600_000) % trackIds.length]!,
      msPlayed: 190_000,
      source: 'recent' as const,
    })),
    [],
    'second',
  );
  relay.log.length = 0;
  answeredGzip = 0;
  const daily = await syncDevice(deps(a, relay));
  const aLog = relay.log.splice(0);
  const aIn = answeredGzip;
  answeredGzip = 0;
  const bDaily = await syncDevice(deps(b, relay));
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  const aOut = aLog.reduce((n, l) => n + l.bytes, 0);
  console.log(
    `${label}, A: ${aLog.length} requests (${aLog.map((l) => l.method).join(', ')}), ${daily!.sent} record of ${kb(daily!.bytesOut)} sealed, ${kb(aOut)} sent, ${kb(aIn)} received; ` +
      `B: ${relay.log.length} request, ${bDaily!.plays} plays in, ${kb(bDaily!.bytesIn)} sealed, ${kb(answeredGzip)} received`,
  );
}
// to is Saturday 15 June 2024, 12:00 UTC: Friday the 14th, then Sunday the 16th
await day('a day later (Friday)', to - 86_400_000 + 3_600_000);
await day('the week’s last day (Sunday)', to + 86_400_000 + 3_600_000);

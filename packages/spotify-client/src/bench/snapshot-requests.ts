// How many requests one full snapshot costs (3 ranges of top tracks + recently
// played + audio features of their tracks), with a cold and a warm feature
// cache, in both feature modes; and what a 250-track push costs with and
// without injected faults. Run: pnpm --filter @mtm/spotify-client bench
import { TIME_RANGES } from '@mtm/core';
import { createSpotifyClient, type SpotifyClient } from '../client.js';
import {
  catalogueUris,
  control,
  startEmulator,
  START,
  type Running,
} from '../test-support/emulator-setup.js';
import { rng } from '@mtm/spotify-emulator';
import { createOnce, pushResuming } from '../test-support/push-once.js';

const DAY = 86_400_000;

function clientFor(r: Running): SpotifyClient {
  return createSpotifyClient({
    apiBaseUrl: `${r.base}/v1`,
    featuresBaseUrl: `${r.base}/reccobeats/v1`,
    tokenProvider: r.tokens,
    now: () => r.emulator.clock.now(),
    random: rng(3),
    // waits are counted (stats.waitedMs), not slept: the figures are requests
    sleep: async () => {},
  });
}

interface SnapshotCost {
  requests: number;
  byOperation: Record<string, number>;
  tracks: number;
  featuresFetched: number;
  ms: number;
}

/** One snapshot as the sync engine takes it; `stored` plays the Dexie `features` table. */
async function snapshot(
  client: SpotifyClient,
  stored: Set<string>,
  topMax: number,
): Promise<SnapshotCost> {
  const before = client.stats.requests;
  const ops = { ...client.stats.byOperation };
  const t0 = performance.now();
  const ids = new Set<string>();
  for (const range of TIME_RANGES)
    for (const t of await client.topTracksUpTo(range, topMax)) ids.add(t.id);
  for (const it of (await client.recentlyPlayed()).items) ids.add(it.track.id);
  const wanted = [...ids].filter((id) => !stored.has(id));
  const { features } = await client.audioFeatures(wanted);
  for (const id of features.keys()) stored.add(id);
  const byOperation: Record<string, number> = {};
  for (const [k, v] of Object.entries(client.stats.byOperation))
    if (v - (ops[k] ?? 0) > 0) byOperation[k] = v - (ops[k] ?? 0);
  return {
    requests: client.stats.requests - before,
    byOperation,
    tracks: ids.size,
    featuresFetched: features.size,
    ms: performance.now() - t0,
  };
}

async function snapshots(mode: 'development' | 'extended', topMax: number) {
  const r = await startEmulator({ featuresMode: mode });
  try {
    const stored = new Set<string>();
    // cold: a fresh session (client instance) and an empty feature store
    const cold = await snapshot(clientFor(r), stored, topMax);
    // warm: a new session at the same moment, every feature already stored
    const warm = await snapshot(clientFor(r), stored, topMax);
    // a week later, new session: only the tracks new to the store are fetched
    r.emulator.clock.set(START + 7 * DAY);
    const week = await snapshot(clientFor(r), stored, topMax);
    return { cold, warm, week };
  } finally {
    await r.emulator.close();
  }
}

async function pushes(rate: number, seeds: number[]) {
  const r = await startEmulator();
  try {
    const setup = clientFor(r);
    const uris = await catalogueUris(r, setup, 250);
    const costs: { requests: number; retries: number; resumes: number; waitedMs: number }[] = [];
    for (const seed of seeds) {
      const client = clientFor(r);
      if (rate > 0)
        await control(r.base, 'POST', '/faults', {
          rate,
          kinds: ['429', '500', '502', '503', 'drop'],
          retryAfterS: 1,
          seed,
        });
      const marker = `#bench-${rate}-${seed}`;
      const id = await createOnce(client, marker, 'bench');
      const resumes = await pushResuming(client, id, uris, 5);
      await control(r.base, 'DELETE', '/faults');
      const { playlists } = (await control(r.base, 'GET', '/playlists')) as {
        playlists: { id: string; uris: string[] }[];
      };
      const got = playlists.find((p) => p.id === id)?.uris ?? [];
      if (got.length !== uris.length || got.some((u, i) => u !== uris[i]))
        throw new Error(`push ${seed} ended wrong`);
      costs.push({
        requests: client.stats.requests,
        retries: client.stats.retries,
        resumes,
        waitedMs: client.stats.waitedMs,
      });
    }
    return costs;
  } finally {
    await r.emulator.close();
  }
}

function row(label: string, c: SnapshotCost): string {
  const ops = Object.entries(c.byOperation)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return `| ${label} | ${c.tracks} | ${c.featuresFetched} | **${c.requests}** | ${ops} | ${c.ms.toFixed(0)} |`;
}

const out: string[] = [];
for (const topMax of [50, 99]) {
  out.push(`\nSnapshot with topTracksUpTo(range, ${topMax}):\n`);
  out.push(
    '| case | distinct tracks | features fetched | requests | by operation | ms (loopback) |',
  );
  out.push('| --- | ---: | ---: | ---: | --- | ---: |');
  for (const mode of ['development', 'extended'] as const) {
    const s = await snapshots(mode, topMax);
    out.push(row(`${mode}, cold cache`, s.cold));
    out.push(row(`${mode}, warm cache`, s.warm));
    out.push(row(`${mode}, one week later`, s.week));
  }
}
const seeds = Array.from({ length: 20 }, (_, i) => i + 1);
const clean = await pushes(0, [0]);
const faulty = await pushes(0.2, seeds);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
out.push('\n250-track push (create + pushTracks, freshlyCreated):\n');
out.push(
  '| faults | runs | requests min / mean / max | retries mean / max | resumes total | simulated wait mean (ms) |',
);
out.push('| --- | ---: | --- | --- | ---: | ---: |');
for (const [label, c] of [
  ['none', clean],
  ['20% (429 Retry-After 1 s, 500/502/503, drop)', faulty],
] as const) {
  const req = c.map((x) => x.requests);
  out.push(
    `| ${label} | ${c.length} | ${Math.min(...req)} / ${(sum(req) / c.length).toFixed(1)} / ${Math.max(...req)} | ${(sum(c.map((x) => x.retries)) / c.length).toFixed(1)} / ${Math.max(...c.map((x) => x.retries))} | ${sum(c.map((x) => x.resumes))} | ${(sum(c.map((x) => x.waitedMs)) / c.length).toFixed(0)} |`,
  );
}
console.log(out.join('\n'));

// Push benchmark in demo mode (issue 6): requests per push of N tracks and the
// time from the tap on "Push to Spotify" to "done", plus pushes of lists longer
// than the demo library (queued in the outbox, sent when the app opens) and
// pushes through injected faults. Figures go to docs/PERFORMANCE.md.
//
//   pnpm --filter @mtm/server build && pnpm --filter @mtm/web build
//   pnpm --filter @mtm/web bench:push
import { generateExport } from '@mtm/spotify-emulator';
import { startHarness, type Harness } from '../e2e/harness';

const RUNS = 5;
const OPS = [
  'create-playlist',
  'add-items-to-playlist',
  'get-a-list-of-current-users-playlists',
  'get-playlists-items',
] as const;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function playlistRequests(h: Harness): Promise<Record<string, number>> {
  const { byOperation } = await h.emulator.get<{ byOperation: Record<string, number> }>(
    '/_emulator/requests',
  );
  return Object.fromEntries(OPS.map((op) => [op, byOperation[op] ?? 0]));
}
const total = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

/** Tap to done, timed inside the page: from the click to the status turning "done". */
async function tapToDone(h: Harness): Promise<number> {
  return h.page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const button = document.querySelector<HTMLButtonElement>('[data-testid="push-button"]')!;
        const status = document.querySelector<HTMLElement>('[data-testid="push-status"]')!;
        const timer = setTimeout(() => reject(new Error('push did not finish in 60 s')), 60_000);
        const obs = new MutationObserver(() => {
          if (status.dataset['state'] === 'done') {
            obs.disconnect();
            clearTimeout(timer);
            resolve(performance.now() - t0);
          }
        });
        obs.observe(status, { attributes: true, attributeFilter: ['data-state'] });
        const t0 = performance.now();
        button.click();
      }),
  );
}

function catalogueUris(n: number): string[] {
  const uris = new Set<string>();
  for (const f of generateExport({ from: Date.UTC(2018, 0, 1), to: Date.UTC(2026, 0, 1) })) {
    if (!f.name.includes('Streaming_History_Audio')) continue;
    for (const row of JSON.parse(f.text) as { spotify_track_uri: string | null }[]) {
      if (row.spotify_track_uri) uris.add(row.spotify_track_uri);
      if (uris.size === n) return [...uris];
    }
  }
  return [...uris];
}

async function queueRaw(h: Harness, id: string, uris: string[]): Promise<void> {
  await h.page.evaluate(
    async ({ id, uris }) => {
      const open = indexedDB.open('music-time-machine');
      const db = await new Promise<IDBDatabase>((res) => (open.onsuccess = () => res(open.result)));
      const meta = db.transaction('meta').objectStore('meta').get('device:currentAccount');
      const accountId = await new Promise<string>(
        (res) => (meta.onsuccess = () => res((meta.result as { value: string }).value)),
      );
      const tx = db.transaction('outbox', 'readwrite');
      const now = Date.now();
      tx.objectStore('outbox').put({
        id,
        accountId,
        createdAt: now,
        updatedAt: now,
        state: 'pending',
        name: `Bench ${id}`,
        description: 'bench',
        uris,
        playlistId: null,
        playlistUrl: null,
        addedCount: 0,
        attempts: 0,
        lastError: null,
        createAttempted: false,
        finishedAt: null,
      });
      await new Promise((res) => (tx.oncomplete = res));
      db.close();
    },
    { id, uris },
  );
}

async function attemptsOf(h: Harness, id: string): Promise<number> {
  return h.page.evaluate(async (id) => {
    const open = indexedDB.open('music-time-machine');
    const db = await new Promise<IDBDatabase>((res) => (open.onsuccess = () => res(open.result)));
    const get = db.transaction('outbox').objectStore('outbox').get(id);
    return new Promise<number>(
      (res) => (get.onsuccess = () => res((get.result as { attempts: number }).attempts)),
    );
  }, id);
}

/** Queued in the outbox, then the app is opened on /outbox: open (navigation) to done. */
async function openToDone(h: Harness, id: string, uris: string[]): Promise<number> {
  await queueRaw(h, id, uris);
  const t0 = Date.now();
  await h.page.goto(`${h.baseUrl}/outbox`);
  await h.page
    .locator('[data-testid="outbox-entry"][data-state="done"]', { hasText: `Bench ${id}` })
    .waitFor({ timeout: 300_000 });
  return Date.now() - t0;
}

const h = await startHarness();
try {
  await h.connect();
  const rows: string[] = [];

  // tap to done from the Moods page
  await h.page.goto(`${h.baseUrl}/moods`);
  await h.page.getByTestId('mood-picks').waitFor({ timeout: 60_000 });
  await h.page.getByTestId('mood-limit').fill('500');
  await h.page.getByText('Custom', { exact: true }).click();
  const available = await h.page.locator('[data-testid="mood-picks"] > li').count();
  for (const n of [10, 30, available]) {
    const times: number[] = [];
    let reqs: Record<string, number> = {};
    for (let run = 0; run < RUNS; run++) {
      await h.page.goto(`${h.baseUrl}/moods`);
      await h.page.getByText('Custom', { exact: true }).click();
      await h.page.getByTestId('mood-limit').fill(String(n));
      await h.page
        .locator('[data-testid="mood-picks"] > li')
        .nth(n - 1)
        .waitFor();
      await h.emulator.post('/_emulator/requests/reset');
      times.push(await tapToDone(h));
      reqs = await playlistRequests(h);
    }
    rows.push(
      `| tap, Moods page | ${n} | ${total(reqs)} (${1 + Math.ceil(n / 100)}) | ${JSON.stringify(reqs)} | ${median(times).toFixed(0)} ms (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}) |`,
    );
  }

  // longer lists, no faults
  const all = catalogueUris(1000);
  for (const n of [250, 1000]) {
    const times: number[] = [];
    let reqs: Record<string, number> = {};
    for (let run = 0; run < 3; run++) {
      await h.emulator.post('/_emulator/requests/reset');
      times.push(await openToDone(h, `n${n}-${run}`, all.slice(0, n)));
      reqs = await playlistRequests(h);
    }
    rows.push(
      `| queued, app opened | ${n} | ${total(reqs)} (${1 + Math.ceil(n / 100)}) | ${JSON.stringify(reqs)} | ${median(times)} ms open-to-done (3 runs) |`,
    );
  }

  // 250 and 1000 tracks through 20% faults, several fault seeds
  for (const [n, seeds] of [
    [250, [1, 2, 3, 4, 5, 6]],
    [1000, [1, 2]],
  ] as const) {
    for (const seed of seeds) {
      const id = `fault-${n}-${seed}`;
      await h.emulator.post('/_emulator/requests/reset');
      await h.emulator.post('/_emulator/faults', {
        rate: 0.2,
        kinds: ['429', '500', '502', '503', 'drop'],
        retryAfterS: 1,
        seed,
      });
      let ms: number;
      try {
        ms = await openToDone(h, id, all.slice(0, n));
      } finally {
        await h.emulator.delete('/_emulator/faults');
      }
      const reqs = await playlistRequests(h);
      const made = (
        await h.emulator.get<{ playlists: { name: string; uris: string[] }[] }>(
          '/_emulator/playlists',
        )
      ).playlists.filter((p) => p.name === `Bench ${id}`);
      const exact =
        made.length === 1 && JSON.stringify(made[0]!.uris) === JSON.stringify(all.slice(0, n));
      rows.push(
        `| queued, 20% faults (seed ${seed}) | ${n} | ${total(reqs)} (${1 + Math.ceil(n / 100)}) | ${JSON.stringify(reqs)} | ${ms} ms open-to-done, ${await attemptsOf(h, id)} outbox attempt(s); exactly one playlist, in order: ${exact ? 'yes' : 'NO'} |`,
      );
    }
  }

  console.log('| push | N | playlist requests (goal) | by operation | time |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(r);
} finally {
  await h.close();
}

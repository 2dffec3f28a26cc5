// Issue 7: tracks from the privacy export have no cover art (the import makes
// no Spotify calls). A month page asks Spotify for the covers on screen only,
// one track at a time (GET /tracks/{id}), and nothing else: a long month list
// costs as many requests as the screen shows, and scrolling asks for more.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateExport, zipExport } from '@mtm/spotify-emulator';
import { startHarness, type Harness } from './harness';

// years after the exported months: the listener's taste has drifted, so the
// first sync's top tracks (which come with covers) are mostly other songs
const START = '2026-03-03T10:00:00Z';
const MONTH = '2022-03';

type Counts = { total: number; byOperation: Record<string, number> };

/** Track ids of the month list's rows whose cover is (partly) inside the viewport, and whether each shows an image. */
function onScreen(): { id: string; img: string | null }[] {
  return [...document.querySelectorAll('ol.tracks > li')].flatMap((li) => {
    const r = li.getBoundingClientRect();
    const link = li.querySelector('a')?.getAttribute('href') ?? '';
    const id = /\/track\/([0-9A-Za-z]{22})$/.exec(link)?.[1];
    if (!id || r.bottom <= 0 || r.top >= window.innerHeight) return [];
    return [{ id, img: li.querySelector('img')?.getAttribute('src') ?? null }];
  });
}

/** Waits until the emulator's request count has stood still for 1.5 s (at most 60 s). */
async function quiet(h: Harness): Promise<void> {
  const deadline = Date.now() + 60_000;
  let last = -1;
  let since = Date.now();
  while (Date.now() - since < 1_500) {
    if (Date.now() > deadline) throw new Error('the app kept asking the emulator for 60 s');
    const { total } = await h.emulator.get<Counts>('/_emulator/requests');
    if (total !== last) [last, since] = [total, Date.now()];
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('covers of imported tracks', () => {
  let h: Harness;
  let dir: string;

  beforeAll(async () => {
    const files = generateExport({ from: Date.UTC(2022, 1, 1), to: Date.UTC(2022, 4, 1) });
    dir = await mkdtemp(join(tmpdir(), 'mtm-covers-'));
    await writeFile(join(dir, 'my_spotify_data.zip'), zipExport(files));
    h = await startHarness({ emulatorStart: START });
    await h.connect();
    await h.page.goto(`${h.baseUrl}/import`);
    await h.waitForSync();
    await h.page.getByTestId('import-input').setInputFiles(join(dir, 'my_spotify_data.zip'));
    await h.page
      .locator('[data-testid="import-status"][data-phase="finished"]')
      .waitFor({ timeout: 120_000 });
  });
  afterAll(async () => {
    await h?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  // first: it counts what a month page asks for while no cover of the export is stored yet
  it('a month page fetches the covers on screen, and only those, with get-track', async () => {
    await h.page.goto(`${h.baseUrl}/diary`);
    await h.waitForSync();
    // the timeline's own month covers are fetched as they come on screen: wait
    // until the emulator has heard nothing for 1.5 s, so none of theirs is
    // still in flight when the month page's count starts
    await quiet(h);
    await h.emulator.post('/_emulator/requests/reset');
    // the tracks the page asks for, by id (a failure names the ones not wanted)
    const askedIds: string[] = [];
    const onRequest = (r: { url(): string }) => {
      const id = /\/v1\/tracks\/([0-9A-Za-z]{22})(?:\?|$)/.exec(r.url())?.[1];
      if (id) askedIds.push(id);
    };
    h.page.on('request', onRequest);
    // Every month row that is ever on screen, however briefly: content that
    // arrives after the first paint (a gap notice, say) can push a row off
    // the screen after the app rightly asked for its cover.
    await h.page.evaluate(() => {
      const seen = new Set<string>();
      (window as unknown as { everOnScreen: Set<string> }).everOnScreen = seen;
      const io = new IntersectionObserver((entries) => {
        for (const e of entries) {
          const href = e.target.querySelector('a')?.getAttribute('href') ?? '';
          const id = /\/track\/([0-9A-Za-z]{22})$/.exec(href)?.[1];
          if (e.isIntersecting && id) seen.add(id);
        }
      });
      const watch = () =>
        document.querySelectorAll('ol.tracks > li').forEach((li) => io.observe(li));
      new MutationObserver(watch).observe(document.body, { childList: true, subtree: true });
    });

    // in-app navigation: no new page load, so no sync on open in the counts
    await h.page.locator(`a.month[href="/diary/${MONTH}"]`).click();
    await h.page.getByRole('heading', { name: 'Top tracks' }).waitFor();
    const rows = await h.page.locator('ol.tracks > li').count();
    const visible = await h.page.evaluate(onScreen);
    expect(visible.length).toBeGreaterThan(0);
    expect(rows).toBeGreaterThan(visible.length + 9);

    // every cover on screen (the mosaic is the list's first nine) turns into an image
    await h.page.waitForFunction(
      () =>
        [...document.querySelectorAll('.mosaic li')].every((li) => li.querySelector('img')) &&
        [...document.querySelectorAll('ol.tracks > li')].every((li) => {
          const r = li.getBoundingClientRect();
          return (
            !li.querySelector('a') ||
            r.bottom <= 0 ||
            r.top >= window.innerHeight ||
            li.querySelector('img')
          );
        }),
      undefined,
      { timeout: 60_000 },
    );
    const srcs = await h.page
      .locator('.mosaic img, ol.tracks img')
      .evaluateAll((imgs) => imgs.map((i) => i.getAttribute('src') ?? ''));
    for (const src of srcs) {
      expect(new URL(src).origin).toBe(new URL(h.emulatorUrl).origin);
      expect(new URL(src).pathname).toMatch(/^\/images\/.+/);
    }

    const wanted = new Set([
      ...(await h.page.evaluate(onScreen)).map((v) => v.id),
      ...(await h.page.evaluate(() => [
        ...(window as unknown as { everOnScreen: Set<string> }).everOnScreen,
      ])),
      ...(await firstNineIds(h)),
    ]);
    const counts = await h.emulator.get<Counts>('/_emulator/requests');
    const api = Object.keys(counts.byOperation).filter((op) => op !== 'image');
    expect(api).toEqual(['get-track']);
    const asked = counts.byOperation['get-track']!;
    h.page.off('request', onRequest);
    // covers the first sync already stored are not asked for again
    expect(asked).toBeGreaterThan(0);
    expect(askedIds).toHaveLength(asked);
    // only rows that were on screen, and each once (a row redrawn or pushed
    // off the screen for a moment keeps its request rather than sending it again)
    expect(askedIds.filter((id) => !wanted.has(id))).toEqual([]);
    expect(askedIds.filter((id, i) => askedIds.indexOf(id) !== i)).toEqual([]);
    expect(asked).toBeLessThan(rows);

    // the last row without a cover was never on screen: a colour block until scrolled to
    const index = await h.page
      .locator('ol.tracks > li')
      .evaluateAll((lis) =>
        lis.findLastIndex((li) => li.querySelector('a') && !li.querySelector('img')),
      );
    expect(index).toBeGreaterThan(9);
    const last = h.page.locator('ol.tracks > li').nth(index);
    await last.scrollIntoViewIfNeeded();
    await last.locator('img').waitFor({ timeout: 60_000 });
    const after = await h.emulator.get<Counts>('/_emulator/requests');
    expect(after.byOperation['get-track']).toBeGreaterThan(asked);
    expect(after.byOperation['get-track']).toBeLessThan(rows);
    expect(Object.keys(after.byOperation).filter((op) => op !== 'image')).toEqual(['get-track']);
  });

  it('stores the fetched covers in the tracks table, keeping the names the export gave', async () => {
    await h.page.goto(`${h.baseUrl}/diary/${MONTH}`);
    await h.page.getByRole('heading', { name: 'Top tracks' }).waitFor();
    await h.page.waitForFunction(
      () => [...document.querySelectorAll('.mosaic li')].every((li) => li.querySelector('img')),
      undefined,
      { timeout: 60_000 },
    );
    const ids = await firstNineIds(h);
    const rows = await h.page.evaluate(async (wanted) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open('music-time-machine');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const store = db.transaction('tracks').objectStore('tracks');
      const out = await Promise.all(
        wanted.map(
          (id) =>
            new Promise<{ name: string; imageUrl: string | null }>((resolve) => {
              const g = store.get(id);
              g.onsuccess = () =>
                resolve({ name: g.result.name, imageUrl: g.result.album.imageUrl });
            }),
        ),
      );
      db.close();
      return out;
    }, ids);
    expect(rows).toHaveLength(9);
    for (const r of rows) expect(r.imageUrl).toMatch(/\/images\//);
    const shown = await h.page
      .locator('ol.tracks > li .what a')
      .evaluateAll((as) => as.slice(0, 9).map((a) => a.firstChild?.textContent ?? ''));
    expect(rows.map((r) => r.name)).toEqual(shown);
  });
});

async function firstNineIds(h: Harness): Promise<string[]> {
  return h.page
    .locator('ol.tracks > li')
    .evaluateAll((lis) =>
      lis
        .slice(0, 9)
        .flatMap(
          (li) =>
            /\/track\/([0-9A-Za-z]{22})$/.exec(
              li.querySelector('a')?.getAttribute('href') ?? '',
            )?.[1] ?? [],
        ),
    );
}

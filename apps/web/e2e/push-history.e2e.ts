// Issue 6 on a rich history: after importing two years of a generated privacy
// export, the mood data for the whole history is fetched from the Moods page,
// the gems come from the history with their evidence and can be pushed, and
// the Evolution charts are drawn with sentences that carry their numbers.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateExport, zipExport } from '@mtm/spotify-emulator';
import { importExport, startHarness, type Harness } from './harness';

const START = '2024-06-15T12:00:00Z';
const FROM = Date.UTC(2022, 2, 1);
const TO = Date.parse(START) + 3_600_000;

describe('gems, moods and evolution over an imported history', () => {
  let h: Harness;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mtm-push-history-'));
    const zipPath = join(dir, 'my_spotify_data.zip');
    await writeFile(zipPath, zipExport(generateExport({ from: FROM, to: TO })));
    h = await startHarness({ emulatorStart: START });
    await h.connect();
    await importExport(h.page, h.baseUrl, zipPath);
  });
  afterAll(async () => {
    await h?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('counts the tracks without mood data and fetches them for the whole history', async () => {
    await h.page.goto(`${h.baseUrl}/moods`);
    const missing = h.page.getByTestId('mood-missing');
    await missing.waitFor({ timeout: 60_000 });
    const before = Number(
      /(\d+) tracks have no mood data yet/.exec((await missing.textContent()) ?? '')?.[1] ?? '0',
    );
    expect(before).toBeGreaterThan(50);
    await h.page.getByRole('button', { name: 'Fetch missing mood data' }).click();
    await h.page.getByText(/Fetched mood data for \d+ tracks/).waitFor({ timeout: 120_000 });
    // the history is now scored: a 100-track list is possible, far beyond one top-50
    await h.page.getByTestId('mood-limit').fill('100');
    await expect.poll(() => h.page.locator('[data-testid="mood-picks"] > li').count()).toBe(100);
    // the page has reloaded the library by now: the note stays, even with nothing left missing
    expect(await h.page.getByText(/Fetched mood data for \d+ tracks/).count()).toBe(1);
  });

  it('finds gems in the history, with evidence, and pushes them in their order', async () => {
    await h.page.goto(`${h.baseUrl}/gems`);
    const rows = h.page.locator('[data-testid="gems-history"] > li');
    await rows.first().waitFor({ timeout: 60_000 });
    expect(await h.page.getByTestId('gems-live').count()).toBe(0);
    const texts = await rows.allTextContents();
    expect(texts.length).toBeGreaterThan(5);
    for (const t of texts)
      expect(t).toMatch(
        /(not heard since|not in your 4-week top since|never in your 4-week top since) [A-Z][a-z]{2} \d{4}/,
      );
    const ids = await rows.evaluateAll((els) =>
      els.map((e) => e.querySelector('a')?.getAttribute('href')?.split('/track/')[1] ?? ''),
    );

    await h.page.getByRole('button', { name: 'Push these to Spotify' }).click();
    await h.page
      .locator('[data-testid="push-status"][data-state="done"]')
      .waitFor({ timeout: 60_000 });
    const { playlists } = await h.emulator.get<{ playlists: { name: string; uris: string[] }[] }>(
      '/_emulator/playlists',
    );
    const made = playlists.filter((p) => p.name === 'Forgotten Gems - Jun 2024');
    expect(made).toHaveLength(1);
    expect(made[0]!.uris).toEqual(ids.filter((id) => id).map((id) => `spotify:track:${id}`));
  });

  it('draws the evolution charts with numbers in their sentences', async () => {
    await h.page.goto(`${h.baseUrl}/evolution`);
    await h.page.getByRole('heading', { name: 'Energy and happiness over time' }).waitFor();
    const captions = await h.page.locator('figcaption').allTextContents();
    // turnover comes from each month's most-streamed tracks: the import has plays, not snapshots
    expect(captions[0]).toMatch(
      /^From \w+ 2024 to June 2024, \d+% of your top tracks changed .* On average \d+% change from one month to the next\.$/,
    );
    expect(captions[1]).toMatch(
      /^Energy averaged 0\.\d\d \(from 0\.\d\d in \w+ 2022 to 0\.\d\d in \w+ 2024\)/,
    );
    expect(captions[2]).toMatch(/artists? came into your top artists|top artists were the same/);
    expect(captions[3]).toMatch(
      /Your (summers|winters) are \d+% more|Not enough summers and winters/,
    );
    expect(await h.page.locator('canvas').count()).toBeGreaterThanOrEqual(3);
    await h.page.getByText('Seasons', { exact: true }).click();
    await h.page.getByText('Years', { exact: true }).click();
    expect((await h.page.locator('figcaption').allTextContents())[1]).toMatch(
      /in 2022 to .* in 2024/,
    );
    await h.expectAccessible('evolution with history');
  });
});

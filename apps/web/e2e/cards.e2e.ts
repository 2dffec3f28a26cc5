// Issue 15's journey: after importing a generated multi-year privacy export,
// the card for one year shows the top song, streams and minutes an
// independent count of the export's own JSON gives; "on this day" shows the
// plays of today's date in earlier years; the card becomes a 1080x1920 PNG
// that decodes, downloaded here (desktop) and handed to the share sheet where
// there is one.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateExport, zipExport } from '@mtm/spotify-emulator';
import { importExport, startHarness, type Harness } from './harness';

const START = '2024-06-15T12:00:00Z';
const FROM = Date.UTC(2022, 0, 1);
const TO = Date.parse(START) + 3_600_000;
const YEAR = 2023;
// the page's clock for "on this day": a date whose earlier years the export covers
const TODAY = Date.parse('2024-05-20T10:00:00Z');

interface Row {
  ts: string;
  ms_played: number;
  spotify_track_uri: string | null;
  master_metadata_track_name: string | null;
  spotify_episode_uri?: string | null;
}

/**
 * The truth, counted from the export's JSON without @mtm/core: every music
 * row once (a row repeated with the same end time and song is one play), in
 * UTC (the harness browser's zone); a stream is at least 30 s played.
 */
function countExport(rows: Row[], from: number, to: number) {
  const seen = new Set<string>();
  const byTrack = new Map<string, { streams: number; ms: number; name: string }>();
  let streams = 0;
  let ms = 0;
  let plays = 0;
  for (const r of rows) {
    if (!r.spotify_track_uri || r.spotify_episode_uri) continue;
    const at = Date.parse(r.ts);
    const key = `${at}|${r.spotify_track_uri}`;
    if (at < from || at >= to || seen.has(key)) continue;
    seen.add(key);
    plays++;
    ms += r.ms_played;
    const t = byTrack.get(r.spotify_track_uri) ?? {
      streams: 0,
      ms: 0,
      name: r.master_metadata_track_name ?? '',
    };
    t.ms += r.ms_played;
    if (r.ms_played >= 30_000) {
      streams++;
      t.streams++;
    }
    byTrack.set(r.spotify_track_uri, t);
  }
  const ranked = [...byTrack]
    .filter(([, t]) => t.streams > 0)
    .sort((a, b) => b[1].streams - a[1].streams || b[1].ms - a[1].ms || (a[0] < b[0] ? -1 : 1));
  return {
    plays,
    streams,
    minutes: Math.round(ms / 60_000),
    topName: ranked[0]?.[1].name ?? null,
    /** Streamed songs, most streamed first. */
    uris: ranked.map(([uri]) => uri),
  };
}

interface ControlPlaylist {
  name: string;
  uris: string[];
}

describe('time-machine cards over an imported export', () => {
  let h: Harness;
  let dir: string;
  let rows: Row[];

  beforeAll(async () => {
    const files = generateExport({ from: FROM, to: TO });
    rows = files
      .filter((f) => /Streaming_History_Audio_/.test(f.name))
      .flatMap((f) => JSON.parse(f.text) as Row[]);
    dir = await mkdtemp(join(tmpdir(), 'mtm-cards-'));
    const zipPath = join(dir, 'my_spotify_data.zip');
    await writeFile(zipPath, zipExport(files));
    h = await startHarness({ emulatorStart: START });
    await h.connect();
    await importExport(h.page, h.baseUrl, zipPath);
  });
  afterAll(async () => {
    await h?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function openYearCard(): Promise<void> {
    await h.page.goto(`${h.baseUrl}/cards/${YEAR}`);
    await h.page.getByTestId('period-card').waitFor({ timeout: 60_000 });
  }

  it(`the card for ${YEAR} shows the top song, streams and minutes of the export`, async () => {
    const truth = countExport(rows, Date.UTC(YEAR, 0, 1), Date.UTC(YEAR + 1, 0, 1));
    expect(truth.streams).toBeGreaterThan(1_000);
    await openYearCard();
    const card = h.page.getByTestId('period-card');
    expect(await card.getAttribute('data-from')).toBe(`${YEAR}-01-01T00:00:00.000Z`);
    expect(await card.getAttribute('data-to')).toBe(`${YEAR + 1}-01-01T00:00:00.000Z`);
    const value = async (id: string) =>
      Number(await h.page.getByTestId(id).getAttribute('data-value'));
    expect(await value('period-streams')).toBe(truth.streams);
    expect(await value('period-minutes')).toBe(truth.minutes);
    expect(await h.page.getByTestId('period-streams').textContent()).toContain(
      truth.streams.toLocaleString('en-US'),
    );
    expect(await h.page.getByTestId('period-top-track').textContent()).toContain(truth.topName);
    await h.expectAccessible('year card');
  });

  it('"on this day" shows the plays of that date in earlier years', async () => {
    await h.context.clock.setSystemTime(TODAY);
    await h.page.goto(`${h.baseUrl}/diary`);
    const section = h.page.getByTestId('on-this-day');
    await section.waitFor({ timeout: 60_000 });
    expect(await section.getByRole('heading').textContent()).toContain('20 May');
    const shown = await section.getByTestId('on-this-day-year').evaluateAll((els) =>
      els.map((el) => ({
        yearsAgo: Number(el.getAttribute('data-years-ago')),
        plays: Number(
          el.querySelector('[data-testid="on-this-day-plays"]')!.getAttribute('data-value'),
        ),
      })),
    );
    const expected = [1, 2, 5, 10]
      .map((k) => ({
        yearsAgo: k,
        plays: countExport(rows, Date.UTC(2024 - k, 4, 20), Date.UTC(2024 - k, 4, 21)).plays,
      }))
      .filter((e) => e.plays > 0);
    // the export starts in 2022: only 1 and 2 years ago have plays
    expect(expected.map((e) => e.yearsAgo)).toEqual([1, 2]);
    expect(shown).toEqual(expected);
    await h.page.getByTestId('calendar-heatmap').first().waitFor();
    await h.expectAccessible('diary with on this day and heatmaps');
  });

  it('"since I started" counts every play of the export up to today, and a period that cannot be is refused in words', async () => {
    // "since I started" ends now: the page's clock, on a date inside the export
    await h.context.clock.setSystemTime(TODAY);
    expect(countExport(rows, TODAY, TODAY + 60_000).plays).toBe(0);
    const truth = countExport(rows, -Infinity, TODAY);
    await h.page.goto(`${h.baseUrl}/cards/since-i-started`);
    await h.page.getByTestId('period-card').waitFor({ timeout: 60_000 });
    expect(Number(await h.page.getByTestId('period-streams').getAttribute('data-value'))).toBe(
      truth.streams,
    );
    await h.page.goto(`${h.baseUrl}/cards/2024-05-01..2024-04-01`);
    expect(await h.page.getByTestId('period-problem').textContent()).toBe(
      'A period must start before it ends: 1 May 2024 comes after 1 April 2024.',
    );
  });

  /** Decodes a PNG in the browser and returns its size. */
  async function decodedSize(bytes: Buffer): Promise<[number, number]> {
    return h.page.evaluate(async (b64) => {
      const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const bmp = await createImageBitmap(new Blob([data], { type: 'image/png' }));
      return [bmp.width, bmp.height] as [number, number];
    }, bytes.toString('base64'));
  }

  it('shares the card as a 1080x1920 PNG made on the device, covers drawn (downloaded on desktop)', async () => {
    await openYearCard();
    // the top songs' covers are fetched while on screen (lib/covers), then drawn in the picture
    await h.page.waitForFunction(
      () => document.querySelectorAll('[data-testid="period-card"] ol.tracks img').length === 5,
      undefined,
      { timeout: 60_000 },
    );
    const download = h.page.waitForEvent('download', { timeout: 60_000 });
    await h.page.getByTestId('share-image').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`music-time-machine-${YEAR}-story.png`);
    const bytes = await readFile((await file.path())!);
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
    expect(await decodedSize(bytes)).toEqual([1080, 1920]);
    const status = h.page.locator('[data-testid="share-status"][data-state="downloaded"]');
    await status.waitFor();
    expect(await status.getAttribute('data-covers')).toBe('5');
  });

  it('hands the picture to the share sheet where the browser has one', async () => {
    await openYearCard();
    await h.page.evaluate(() => {
      const w = window as unknown as { sharedFiles: File[] };
      w.sharedFiles = [];
      Object.assign(navigator, {
        canShare: (d: ShareData) => Array.isArray(d.files) && d.files.length > 0,
        share: async (d: ShareData) => void w.sharedFiles.push(...(d.files ?? [])),
      });
    });
    await h.page.getByLabel('Square (1080 × 1080)').check();
    await h.page.getByTestId('share-image').click();
    await h.page.locator('[data-testid="share-status"][data-state="shared"]').waitFor();
    const shared = await h.page.evaluate(async () => {
      const f = (window as unknown as { sharedFiles: File[] }).sharedFiles[0]!;
      const bytes = new Uint8Array(await f.arrayBuffer());
      let s = '';
      for (const b of bytes) s += String.fromCharCode(b);
      return { name: f.name, type: f.type, b64: btoa(s) };
    });
    expect(shared).toMatchObject({
      name: `music-time-machine-${YEAR}-square.png`,
      type: 'image/png',
    });
    expect(await decodedSize(Buffer.from(shared.b64, 'base64'))).toEqual([1080, 1080]);
  });

  const playlists = async (prefix: string) =>
    (
      await h.emulator.get<{ playlists: ControlPlaylist[] }>('/_emulator/playlists')
    ).playlists.filter((p) => p.name.startsWith(prefix));

  it(`pushes ${YEAR} as a playlist through the outbox: its top 50, once`, async () => {
    const truth = countExport(rows, Date.UTC(YEAR, 0, 1), Date.UTC(YEAR + 1, 0, 1));
    await openYearCard();
    await h.page.getByTestId('push-button').click();
    await h.page
      .locator('[data-testid="push-status"][data-state="done"]')
      .waitFor({ timeout: 60_000 });
    const made = await playlists(`My ${YEAR} - `);
    expect(made).toHaveLength(1);
    expect(made[0]!.uris).toEqual(truth.uris.slice(0, 50));
  });

  it('makes "on this day" a playlist with one tap, holding every song streamed on those dates', async () => {
    await h.context.clock.setSystemTime(TODAY);
    await h.page.goto(`${h.baseUrl}/diary`);
    const section = h.page.getByTestId('on-this-day');
    await section.getByTestId('push-button').click();
    await section
      .locator('[data-testid="push-status"][data-state="done"]')
      .waitFor({ timeout: 60_000 });
    const made = await playlists('On this day, 20 May - ');
    expect(made).toHaveLength(1);
    const days = [1, 2].flatMap(
      (k) => countExport(rows, Date.UTC(2024 - k, 4, 20), Date.UTC(2024 - k, 4, 21)).uris,
    );
    const weeks = [1, 2].flatMap(
      (k) => countExport(rows, Date.UTC(2024 - k, 4, 13), Date.UTC(2024 - k, 4, 28)).uris,
    );
    expect(days.length).toBeGreaterThan(0);
    for (const uri of days) expect(made[0]!.uris).toContain(uri);
    // and nothing from outside those weeks (each week's top song is in the playlist too)
    for (const uri of made[0]!.uris) expect(weeks).toContain(uri);
  });
});

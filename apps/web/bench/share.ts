// Time to a shared picture (issue 15): from the tap on "Share as a picture"
// on a year's card to the PNG handed over (downloaded here: desktop Chromium
// has no share sheet), covers drawn. The first tap loads the drawing code and
// starts the worker; later taps show the steady state. Figures go to
// docs/PERFORMANCE.md.
//
//   pnpm --filter @mtm/server build && pnpm --filter @mtm/web build
//   pnpm --filter @mtm/web bench:share
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateExport, zipExport } from '@mtm/spotify-emulator';
import { startHarness, type Harness } from '../e2e/harness';

const RUNS = 7;
const START = '2024-06-15T12:00:00Z';
// the last picture of each format is kept here, to look at
const OUT = process.argv[2] ?? tmpdir();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Tap to file, timed inside the page: from the click to the status saying the file was handed over. */
async function tapToPicture(h: Harness, name: string): Promise<number> {
  const download = h.page.waitForEvent('download');
  const ms = await h.page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const button = document.querySelector<HTMLButtonElement>('[data-testid="share-image"]')!;
        const status = document.querySelector<HTMLElement>('[data-testid="share-status"]')!;
        const timer = setTimeout(() => reject(new Error('no picture in 60 s')), 60_000);
        const obs = new MutationObserver(() => {
          const state = status.dataset['state'];
          if (state === 'downloaded' || state === 'failed') {
            obs.disconnect();
            clearTimeout(timer);
            if (state === 'failed') reject(new Error(status.textContent ?? 'failed'));
            else resolve(performance.now() - t0);
          }
        });
        obs.observe(status, { attributes: true, attributeFilter: ['data-state'] });
        const t0 = performance.now();
        button.click();
      }),
  );
  await (await download).saveAs(join(OUT, `card-${name}.png`));
  return ms;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'mtm-share-bench-'));
  const zip = join(dir, 'my_spotify_data.zip');
  await writeFile(
    zip,
    zipExport(generateExport({ from: Date.UTC(2022, 0, 1), to: Date.parse(START) })),
  );
  const h = await startHarness({ emulatorStart: START });
  try {
    await h.connect();
    await h.page.goto(`${h.baseUrl}/import`);
    await h.page.getByTestId('import-input').setInputFiles(zip);
    await h.page
      .locator('[data-testid="import-status"][data-phase="finished"]')
      .waitFor({ timeout: 300_000 });
    await h.page.goto(`${h.baseUrl}/cards/2023`);
    await h.page.getByTestId('period-card').waitFor({ timeout: 60_000 });
    // the top songs' covers are fetched while on screen (lib/covers): wait for all five
    await h.page.waitForFunction(
      () => document.querySelectorAll('[data-testid="period-card"] ol.tracks img').length >= 5,
      undefined,
      { timeout: 60_000 },
    );
    const load = loadavg()
      .map((x) => x.toFixed(2))
      .join(' ');
    const first = await tapToPicture(h, 'story');
    const rows: [string, number[]][] = [];
    for (const format of ['story', 'square'] as const) {
      await h.page.locator(`input[type="radio"][value="${format}"]`).check();
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) times.push(await tapToPicture(h, format));
      rows.push([format, times]);
    }
    // one story in each colour scheme, kept to look at (not timed)
    await h.page.locator('input[type="radio"][value="story"]').check();
    for (const theme of ['dark', 'light'] as const) {
      await h.page.locator(`input[type="radio"][value="${theme}"]`).check();
      await tapToPicture(h, `story-${theme}`);
    }
    console.log(
      `pictures in ${OUT}: card-story.png, card-square.png, card-story-dark.png, card-story-light.png`,
    );
    console.log(
      `load average before: ${load}; after: ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
    console.log('| picture | first tap ms | median ms | min ms | max ms |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (const [format, t] of rows)
      console.log(
        `| ${format} (${format === 'story' ? '1080x1920' : '1080x1080'}) | ${format === 'story' ? first.toFixed(0) : ''} | ${median(t).toFixed(0)} | ${Math.min(...t).toFixed(0)} | ${Math.max(...t).toFixed(0)} |`,
      );
  } finally {
    await h.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();

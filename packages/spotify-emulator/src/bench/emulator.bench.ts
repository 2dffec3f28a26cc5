// pnpm --filter @mtm/spotify-emulator bench
// Figures for docs/PERFORMANCE.md: emulator start, top-tracks latency (cold =
// first call of an emulator day, warm = same day again), recently played, and
// a 10-year privacy export (generate + zip). Timings stay out of the tests.
import { performance } from 'node:perf_hooks';
import { createEmulator, generateExport, headlessConsent, zipExport } from '../index.js';

const DAY = 86_400_000;
const REDIRECT = 'http://127.0.0.1:8888/auth/callback';

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
}
const ms = (x: number) => `${x.toFixed(1)} ms`;

const t0 = performance.now();
const emulator = await createEmulator({
  seed: 42,
  startTime: Date.UTC(1990, 0, 1),
  accessTokenLifetimeS: 60 * 365 * 86_400,
  clients: [{ clientId: 'bench', clientSecret: 'bench-secret', redirectUris: [REDIRECT] }],
});
const startMs = performance.now() - t0;
const { access_token } = await headlessConsent(emulator, {
  clientId: 'bench',
  clientSecret: 'bench-secret',
  redirectUri: REDIRECT,
});
const headers = { authorization: `Bearer ${access_token}` };

async function timed(url: string): Promise<number> {
  const t = performance.now();
  const res = await emulator.app.inject({ url, headers });
  if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`);
  return performance.now() - t;
}

console.log(`createEmulator (catalogue + taste model): ${ms(startMs)}`);
for (const [r, range] of ['short_term', 'medium_term', 'long_term'].entries()) {
  const cold: number[] = [];
  const warm: number[] = [];
  // Cold: a day at least 400 days from every other sampled day, so nothing of
  // its window is cached yet (the model is shared per seed in the process).
  for (let i = 0; i < 10; i++) {
    emulator.clock.set(Date.UTC(1996, 0, 1, 12) + (i * 1200 + r * 400) * DAY);
    cold.push(await timed(`/v1/me/top/tracks?time_range=${range}&limit=50`));
    for (let k = 0; k < 20; k++)
      warm.push(await timed(`/v1/me/top/tracks?time_range=${range}&limit=50`));
  }
  console.log(
    `top tracks ${range} limit=50: cold p50 ${ms(quantile(cold, 0.5))} max ${ms(Math.max(...cold))}; warm p50 ${ms(quantile(warm, 0.5))} p95 ${ms(quantile(warm, 0.95))}`,
  );
}
{
  // The clock moving on by a day: everything but one day is cached already.
  const next: number[] = [];
  emulator.clock.set(Date.UTC(2024, 0, 1, 12));
  await timed('/v1/me/top/tracks?time_range=long_term&limit=50');
  for (let i = 0; i < 30; i++) {
    emulator.clock.advance(DAY);
    next.push(await timed('/v1/me/top/tracks?time_range=long_term&limit=50'));
  }
  console.log(
    `top tracks long_term, clock advanced one day: p50 ${ms(quantile(next, 0.5))} p95 ${ms(quantile(next, 0.95))}`,
  );
}
{
  const rp: number[] = [];
  for (let i = 0; i < 100; i++) rp.push(await timed('/v1/me/player/recently-played?limit=50'));
  console.log(
    `recently played limit=50: p50 ${ms(quantile(rp, 0.5))} p95 ${ms(quantile(rp, 0.95))}`,
  );
}
await emulator.close();

const to = Date.UTC(2026, 10, 1);
const from = to - Math.round(10 * 365.25 * DAY);
const g0 = performance.now();
const files = generateExport({ seed: 42, from, to, accountData: true });
const g1 = performance.now();
const zip = zipExport(files);
const g2 = performance.now();
let rows = 0;
let bytes = 0;
for (const f of files) {
  bytes += Buffer.byteLength(f.text);
  if (f.name.includes('Streaming_History_Audio_')) rows += (JSON.parse(f.text) as unknown[]).length;
}
console.log(
  `10-year export: ${rows} audio rows in ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB JSON, zip ${(zip.length / 1e6).toFixed(1)} MB; generate ${ms(g1 - g0)}, zip ${ms(g2 - g1)}`,
);
console.log(
  `heap used after: ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB, rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`,
);

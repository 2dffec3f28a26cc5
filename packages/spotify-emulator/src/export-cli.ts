// node dist/export-cli.js --years 10 --out my_spotify_data.zip [--seed 42] [--to 2026-11-01] [--account-data] [--legacy]
import { writeFileSync } from 'node:fs';
import { generateExport, zipExport } from './export.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const years = Number(arg('years') ?? 10);
const out = arg('out') ?? 'my_spotify_data.zip';
const seed = Number(arg('seed') ?? 42);
const to = arg('to') ? Date.parse(arg('to') as string) : Date.now();
if (!(years > 0) || !Number.isFinite(to) || !Number.isFinite(seed)) {
  console.error(
    'usage: export-cli --years N --out file.zip [--seed 42] [--to ISO date] [--account-data] [--legacy]',
  );
  process.exit(2);
}
const from = to - Math.round(years * 365.25 * 86_400_000);

const t0 = performance.now();
const files = generateExport({
  seed,
  from,
  to,
  accountData: process.argv.includes('--account-data'),
  legacy: process.argv.includes('--legacy'),
});
const t1 = performance.now();
const zip = zipExport(files);
const t2 = performance.now();
writeFileSync(out, zip);

let plays = 0;
let jsonBytes = 0;
for (const f of files) {
  jsonBytes += Buffer.byteLength(f.text);
  if (f.name.includes('Streaming_History_Audio_') || f.name.includes('/endsong_'))
    plays += (JSON.parse(f.text) as unknown[]).length;
}
console.log(
  `wrote ${out}: ${files.length} files, ${plays} audio rows, ${(jsonBytes / 1e6).toFixed(1)} MB JSON, ${(zip.length / 1e6).toFixed(1)} MB zip`,
);
console.log(`generate ${(t1 - t0).toFixed(0)} ms, zip ${(t2 - t1).toFixed(0)} ms`);

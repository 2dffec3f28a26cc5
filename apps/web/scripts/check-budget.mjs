#!/usr/bin/env node
// Fails the build when the JavaScript a first visit to the diary downloads
// (gzip) exceeds the budget. Reads the Vite client manifest that SvelteKit
// writes: the entry chunks (start + app) plus the nodes the diary route needs
// (root layout and the diary page), each followed through its static imports.
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BUDGET_BYTES = 150 * 1024;
const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** @param {string} root the web app folder (holding .svelte-kit/) */
export function diaryFirstLoad(root = appRoot) {
  const clientOut = join(root, '.svelte-kit', 'output', 'client');
  const manifestPath = join(clientOut, '.vite', 'manifest.json');
  if (!existsSync(manifestPath))
    throw new Error(`no Vite manifest at ${manifestPath}: run vite build first`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const keys = Object.keys(manifest);
  // SvelteKit numbers route nodes; the generated node modules say which
  // layout/page each number stands for.
  const nodesDir = join(root, '.svelte-kit', 'generated', 'client-optimized', 'nodes');
  const nodeFor = (routeFile) =>
    keys.find((k) => {
      const m = /client-optimized\/nodes\/(\d+)\.js$/.exec(k);
      if (!m) return false;
      const text = readFileSync(join(nodesDir, `${m[1]}.js`), 'utf8');
      return text.includes(`/src/routes/${routeFile}"`);
    });
  const wanted = [
    keys.find((k) => manifest[k].file.includes('/entry/start.')),
    keys.find((k) => manifest[k].file.includes('/entry/app.')),
    nodeFor('+layout.svelte'),
    nodeFor('diary/+page.svelte'),
  ];
  if (wanted.some((k) => !k))
    throw new Error(`could not find the diary's chunks in the manifest: ${JSON.stringify(wanted)}`);
  const seen = new Set();
  const files = new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    const entry = manifest[key];
    if (!entry) return;
    files.add(entry.file);
    // Dynamic imports count too (the layout loads workbox-window on every first
    // visit), except the app entry's: it lazily references every route.
    const dynamic = entry.file.includes('/entry/app.') ? [] : (entry.dynamicImports ?? []);
    for (const dep of [...(entry.imports ?? []), ...dynamic]) visit(dep);
  };
  for (const k of wanted) visit(k);
  let raw = 0;
  let gzip = 0;
  const rows = [];
  for (const f of files) {
    if (!f.endsWith('.js')) continue;
    const buf = readFileSync(join(clientOut, f));
    const gz = gzipSync(buf, { level: 9 }).length;
    raw += buf.length;
    gzip += gz;
    rows.push({ file: f, gzip: gz });
  }
  return { entries: wanted, files: rows.sort((a, b) => b.gzip - a.gzip), raw, gzip };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const budget = arg('--budget-kb') ? Number(arg('--budget-kb')) * 1024 : BUDGET_BYTES;
  const r = diaryFirstLoad(arg('--root') ?? appRoot);
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(
    `[budget] diary first-load JS: ${kb(r.gzip)} gzip (${kb(r.raw)} raw) in ${r.files.length} files; budget ${kb(budget)}`,
  );
  if (process.argv.includes('--verbose'))
    for (const f of r.files) console.log(`  ${kb(f.gzip).padStart(9)}  ${f.file}`);
  if (r.gzip > budget) {
    console.error(
      `[budget] over budget: the diary must load in <= ${kb(budget)} of gzip JS (issue 5)`,
    );
    process.exit(1);
  }
}

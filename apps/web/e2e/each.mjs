// Runs every browser test alone, one after the other: a fresh vitest process
// per test, selected with -t, so a test that only passes after the one
// before it fails here. Serial on purpose: each run starts its own server and
// Chromium, and this machine has two cores.
//
//   cd apps/web && node e2e/each.mjs [file filter...]     e.g. node e2e/each.mjs diary cadence
//
// Prints one line per test and a summary; exits 1 if any test failed alone.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const vitest = join(
  dirname(createRequire(import.meta.url).resolve('vitest/package.json')),
  'vitest.mjs',
);
const config = 'vitest.e2e.config.ts';
const out = mkdtempSync(join(tmpdir(), 'mtm-e2e-each-'));

function run(args) {
  return spawnSync(process.execPath, [vitest, ...args], {
    cwd: webDir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
}

// vitest matches -t against the describe names and the test name joined by
// spaces; `vitest list` joins them with ' > '. Names hold regex characters
// ("(refresh token ...)", "1 + ceil(N/100)"), so the pattern is escaped.
const pattern = (name) =>
  `${name
    .split(' > ')
    .join(' ')
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;

try {
  const listFile = join(out, 'list.json');
  const listed = run(['list', '-c', config, `--json=${listFile}`, ...process.argv.slice(2)]);
  if (listed.status !== 0) {
    process.stderr.write(listed.stdout + listed.stderr);
    process.exit(1);
  }
  const tests = JSON.parse(readFileSync(listFile, 'utf8'));
  console.log(`${tests.length} tests, each alone:`);
  const failed = [];
  let i = 0;
  for (const t of tests) {
    const file = relative(webDir, t.file);
    const report = join(out, `${++i}.json`);
    const started = Date.now();
    const r = run([
      'run',
      '-c',
      config,
      file,
      '-t',
      pattern(t.name),
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
    ]);
    let passed = 0;
    let ran = 0;
    try {
      const json = JSON.parse(readFileSync(report, 'utf8'));
      passed = json.numPassedTests;
      ran = json.numPassedTests + json.numFailedTests;
    } catch {
      // no report: vitest itself failed; its output is printed below
    }
    const ok = r.status === 0 && passed === 1 && ran === 1;
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`${ok ? 'PASS' : 'FAIL'} ${secs.padStart(6)} s  ${file} > ${t.name}`);
    if (!ok) {
      failed.push(`${file} > ${t.name}`);
      if (ran !== 1) console.log(`  (${ran} tests ran for this name, expected 1)`);
      // vitest's own report: the failed test's or hook's error, with its lines
      const lines = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.trim());
      console.log(`  ${lines.slice(-40).join('\n  ')}`);
    }
  }
  console.log(
    `\n${tests.length - failed.length} passed alone, ${failed.length} failed alone` +
      (failed.length ? `:\n${failed.map((f) => `  ${f}`).join('\n')}` : ''),
  );
  process.exitCode = failed.length ? 1 : 0;
} finally {
  rmSync(out, { recursive: true, force: true });
}

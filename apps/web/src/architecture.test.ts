// The web app's shape (issue 11, ARCHITECTURE.md "Boundaries"), checked on the
// source itself so a newcomer's shortcut fails here with the reason. The
// import rules live in eslint.config.js; these are the ones a lint rule
// cannot see.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('.', import.meta.url));
const repo = join(src, '..', '..', '..');

function files(dir: string, keep: (path: string) => boolean): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!['node_modules', 'dist', 'build', '.svelte-kit', '.turbo'].includes(e.name))
        out.push(...files(p, keep));
    } else if (keep(p)) out.push(p);
  }
  return out;
}

const isTest = (p: string) => /\.test\.ts$|[\\/](e2e|bench|test-support)[\\/]/.test(p);
const source = (p: string) => /\.(ts|svelte|js|mjs)$/.test(p) && !isTest(p);

describe('the web app keeps one shape', () => {
  it('routes hold only +page/+layout files and components', () => {
    const routes = files(join(src, 'routes'), () => true).map((p) => relative(src, p));
    const stray = routes.filter(
      (p) => !/[\\/]\+(page|layout)\.(svelte|ts)$/.test(p) && !/\.svelte$/.test(p),
    );
    expect(stray).toEqual([]);
  });

  it('no module outside lib/db writes to IndexedDB', () => {
    const write =
      /\bdb\.\w+\.(put|bulkPut|add|bulkAdd|update|bulkUpdate|delete|bulkDelete|clear|modify)\(|\.transaction\(\s*'rw'/;
    const offenders = files(src, source)
      .filter((p) => !relative(src, p).startsWith(join('lib', 'db')))
      .filter((p) => write.test(readFileSync(p, 'utf8')))
      .map((p) => relative(src, p));
    expect(offenders).toEqual([]);
  });

  it('a Spotify id is defined once in the whole repository (core spotify-ids.ts)', () => {
    const definition = /\[0-9A-Za-z\]\{22\}|\[A-Za-z0-9\]\{22\}|\{10,40\}/;
    const offenders = files(join(repo, 'apps'), source)
      .concat(files(join(repo, 'packages'), source))
      .filter((p) => definition.test(readFileSync(p, 'utf8')))
      .map((p) => relative(repo, p));
    expect(offenders).toEqual([
      'packages/core/src/spotify-ids.ts',
      // ReccoBeats' wire format in the emulator's contract schema: a contract
      // checks the other side independently of the code under test
      'packages/spotify-emulator/src/contract.ts',
    ]);
  });
});

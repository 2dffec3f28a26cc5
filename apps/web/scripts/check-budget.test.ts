import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
const scriptUrl = new URL('./check-budget.mjs', import.meta.url);
const script = fileURLToPath(scriptUrl);
// a plain .mjs build script: loaded by URL so the app's strict typecheck stays out of it
const { diaryFirstLoad } = (await import(scriptUrl.href)) as {
  diaryFirstLoad(root: string): { files: { file: string }[] };
};
let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

/** A fake SvelteKit output: node 0 = root layout, 1 = diary page, 2 = another page. */
function fixture(): string {
  const root = mkdtempSync(join(tmpdir(), 'budget-'));
  dirs.push(root);
  const client = join(root, '.svelte-kit', 'output', 'client');
  const nodes = join(root, '.svelte-kit', 'generated', 'client-optimized', 'nodes');
  mkdirSync(join(client, '.vite'), { recursive: true });
  mkdirSync(join(client, 'c', 'entry'), { recursive: true });
  mkdirSync(nodes, { recursive: true });
  writeFileSync(
    join(nodes, '0.js'),
    'export { default as component } from "../../../../src/routes/+layout.svelte";',
  );
  writeFileSync(
    join(nodes, '1.js'),
    'export { default as component } from "../../../../src/routes/diary/+page.svelte";',
  );
  writeFileSync(
    join(nodes, '2.js'),
    'export { default as component } from "../../../../src/routes/moods/+page.svelte";',
  );
  const files: Record<string, string> = {
    'entry/start': 'a',
    'entry/app': 'b',
    layout: 'c',
    diary: 'd',
    moods: 'e',
    shared: 'f',
    lazy: 'g',
    big: 'h',
  };
  for (const [name, ch] of Object.entries(files))
    writeFileSync(join(client, 'c', `${name}.js`), `/*${name}*/${ch.repeat(4000)}`);
  const manifest = {
    'kit/entry.js': { file: 'c/entry/start.js', isEntry: true, imports: ['_shared'] },
    '.svelte-kit/generated/client-optimized/app.js': {
      file: 'c/entry/app.js',
      isEntry: true,
      dynamicImports: ['.svelte-kit/generated/client-optimized/nodes/2.js'],
    },
    '.svelte-kit/generated/client-optimized/nodes/0.js': {
      file: 'c/layout.js',
      imports: ['_shared'],
      dynamicImports: ['_lazy'],
    },
    '.svelte-kit/generated/client-optimized/nodes/1.js': { file: 'c/diary.js' },
    '.svelte-kit/generated/client-optimized/nodes/2.js': { file: 'c/moods.js', imports: ['_big'] },
    _shared: { file: 'c/shared.js' },
    _lazy: { file: 'c/lazy.js' },
    _big: { file: 'c/big.js' },
  };
  writeFileSync(join(client, '.vite', 'manifest.json'), JSON.stringify(manifest));
  return root;
}

describe('diary JS budget check', () => {
  it("counts the entries, the layout and the diary page with their imports, not other routes' chunks", () => {
    const r = diaryFirstLoad(fixture());
    expect(r.files.map((f) => f.file).sort()).toEqual([
      'c/diary.js',
      'c/entry/app.js',
      'c/entry/start.js',
      'c/layout.js',
      'c/lazy.js',
      'c/shared.js',
    ]);
  });

  it('fails the build when the diary is over budget', () => {
    const root = fixture();
    const ok = spawnSync(process.execPath, [script, '--root', root], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    const over = spawnSync(process.execPath, [script, '--root', root, '--budget-kb', '0.05'], {
      encoding: 'utf8',
    });
    expect(over.status).toBe(1);
    expect(over.stderr).toContain('over budget');
  });
});

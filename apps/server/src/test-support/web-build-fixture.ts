import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The inline bootstrap script of the fixture's index.html, as SvelteKit's static fallback has one. */
export const FIXTURE_INLINE_SCRIPT = `
  {
    __sveltekit_fixture = { base: "" };
    const element = document.currentScript.parentElement;
    Promise.all([import("/_app/immutable/entry/start.abc123.js")]).then(([kit]) => kit.start(element));
  }
`;

export const FIXTURE_FILES: Record<string, string> = {
  'index.html': `<!doctype html><html><head><meta charset="utf-8"><link rel="manifest" href="/manifest.webmanifest"></head>
<body><div><script>${FIXTURE_INLINE_SCRIPT}</script></div><script src="/registerSW.js"></script></body></html>`,
  '_app/immutable/entry/start.abc123.js': 'export function start(){}',
  '_app/immutable/assets/app.def456.css': 'body{margin:0}',
  '_app/version.json': '{"version":"1"}',
  'sw.js': 'self.addEventListener("install",()=>{})',
  'workbox-1a2b3c.js': '/* workbox runtime */',
  'registerSW.js': 'navigator.serviceWorker.register("/sw.js")',
  'manifest.webmanifest': '{"name":"Music Time Machine"}',
  'favicon.png': 'png',
};

/** A throwaway copy of what apps/web/build looks like, for tests that must not depend on the web app being built. */
export function createWebBuildFixture(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'mtm-web-build-'));
  for (const [name, text] of Object.entries(FIXTURE_FILES)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

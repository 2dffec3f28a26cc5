// A vitest environment for testing runes as a page sees them: Node's globals,
// but modules transformed for the browser, so `.svelte.ts` files compile to
// Svelte's client runtime, where effects run (in the default `node`
// environment they compile for the server, where `$effect` never runs).
// vitest.config.ts gives it to every `*.client.svelte.test.ts`.
import type { Environment } from 'vitest/environments';

export default {
  name: 'client-runtime',
  viteEnvironment: 'client',
  setup() {
    return { teardown() {} };
  },
} satisfies Environment;

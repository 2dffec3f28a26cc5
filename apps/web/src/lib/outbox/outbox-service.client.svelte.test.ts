// The outbox as a page's effects see it, in Svelte's client runtime (see
// src/test-support/client-runtime-env.ts): what a page rendered before the
// binding must follow the binding.
import { afterEach, describe, expect, it } from 'vitest';
import { freshDb } from '../db/test-db';
import { OutboxService } from './outbox-service.svelte';

// Effects run in a microtask. ('svelte' itself resolves to its server build
// under Node, so its flushSync is not the runtime these modules compiled to.)
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('OutboxService in a page', () => {
  const services: OutboxService[] = [];
  afterEach(() => services.splice(0).forEach((s) => s.detach()));

  it('tells a page that rendered before the binding that it is ready (the push button enables)', async () => {
    const s = new OutboxService();
    services.push(s);
    // the push button's `disabled`, rendered while the layout is still binding
    let ready: boolean | null = null;
    const stop = $effect.root(() => {
      $effect(() => {
        ready = s.ready;
      });
    });
    try {
      await settle();
      expect(ready).toBe(false);
      s.attach({ db: freshDb(), accountId: 'acc', client: null });
      await settle();
      expect(ready).toBe(true);
      s.detach();
      await settle();
      expect(ready).toBe(false);
    } finally {
      stop();
    }
  });
});

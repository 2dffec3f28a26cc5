import { describe, expect, it } from 'vitest';
import { FakeRelay } from './test-support/fake-relay';
import { createRelayClient } from './relay-client';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

describe('relay client', () => {
  it('sends a large PUT gzip-compressed, about the size of the bytes it carries, and it lands whole', async () => {
    const relay = new FakeRelay();
    const client = createRelayClient({ fetch: relay.fetch });
    const bytes = crypto.getRandomValues(new Uint8Array(16_000));
    const body = b64(bytes);
    await client.put([{ id: 'week', epoch: 1, body }]);
    const [put] = relay.log;
    expect(put!.method).toBe('PUT');
    // base64 in JSON would be 21,3xx bytes; gzip takes it back near 16,000
    expect(body.length).toBeGreaterThan(21_000);
    expect(put!.bytes).toBeLessThan(16_000 * 1.05);
    expect(relay.all().map((r) => r.body)).toEqual([body]);
  });

  it('sends a small PUT as it is', async () => {
    const relay = new FakeRelay();
    const client = createRelayClient({
      fetch: async (input, init) => {
        expect(new Headers(init?.headers).get('content-encoding')).toBeNull();
        expect(typeof init?.body).toBe('string');
        return relay.fetch(input, init);
      },
    });
    await client.put([{ id: 'settings', epoch: 1, body: 'AAAA' }]);
    expect(relay.all()).toHaveLength(1);
  });
});

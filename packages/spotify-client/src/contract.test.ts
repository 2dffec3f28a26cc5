// The request checker used by client.test.ts must itself catch the mistakes it
// is there for, or a green client test would prove nothing.
import { beforeAll, expect, test } from 'vitest';
import { contractChecker, type ContractChecker } from './test-support/contract.js';

// Building the checker parses the 7,500-line OpenAPI description and compiles
// its schemas: seconds on a loaded 2-core machine, past a test's 5 s default
// (issue 12). Built once, with a budget that fits; the tests only check.
let c: ContractChecker;
beforeAll(async () => {
  c = await contractChecker();
}, 60_000);

test('accepts a request the contract allows', () => {
  expect(
    c.check({
      method: 'GET',
      path: '/me/top/tracks',
      query: { time_range: 'short_term', limit: '50', offset: '0' },
    }),
  ).toBe('get-users-top-tracks');
  expect(
    c.check({
      method: 'POST',
      path: '/playlists/abc/items',
      query: {},
      body: { uris: ['spotify:track:a'], position: 3 },
    }),
  ).toBe('add-items-to-playlist');
});

test.each([
  ['a limit above 50', { method: 'GET', path: '/me/top/tracks', query: { limit: '51' } }],
  [
    'an unknown query parameter',
    { method: 'GET', path: '/me/top/tracks', query: { range: 'short_term' } },
  ],
  [
    'a body without the required name',
    { method: 'POST', path: '/me/playlists', query: {}, body: { description: 'x' } },
  ],
  [
    'a position that is not an integer',
    {
      method: 'POST',
      path: '/playlists/abc/items',
      query: {},
      body: { uris: ['a'], position: 'end' },
    },
  ],
  [
    'a removed route (/playlists/{id}/tracks)',
    { method: 'POST', path: '/playlists/abc/tracks', query: {}, body: { uris: ['a'] } },
  ],
  ['a removed batch read', { method: 'GET', path: '/tracks', query: { ids: 'a,b' } }],
  ['a path that does not exist', { method: 'GET', path: '/me/top/songs', query: {} }],
])('rejects %s', (_name, req) => {
  expect(() => c.check(req)).toThrow();
});

// The IndexedDB layouts of shipped schema versions, frozen on purpose: if
// schema.ts changes a shipped version, a real user's database no longer opens,
// and the upgrade tests built on these notice. Used by schema.test.ts and
// bench/upgrade.ts only (the app never imports it). Dexie stores version N
// as IndexedDB version N * 10.
export type Layout = Record<
  string,
  { keyPath: string | string[]; indexes: [string, string | string[]][] }
>;

export const V1_LAYOUT: Layout = {
  accounts: { keyPath: 'accountId', indexes: [] },
  tracks: { keyPath: 'id', indexes: [] },
  artists: { keyPath: 'id', indexes: [] },
  snapshots: {
    keyPath: 'id',
    indexes: [
      ['[accountId+takenAt]', ['accountId', 'takenAt']],
      ['[accountId+range+takenAt]', ['accountId', 'range', 'takenAt']],
    ],
  },
  plays: {
    keyPath: ['accountId', 'playedAt', 'trackId'],
    indexes: [['[accountId+trackId]', ['accountId', 'trackId']]],
  },
  features: { keyPath: 'trackId', indexes: [] },
  outbox: {
    keyPath: 'id',
    indexes: [
      ['accountId', 'accountId'],
      ['state', 'state'],
      ['createdAt', 'createdAt'],
    ],
  },
  imports: { keyPath: 'id', indexes: [['accountId', 'accountId']] },
  meta: { keyPath: 'key', indexes: [] },
};

/** Version 2: version 1 plus the feature-miss table. */
export const V2_LAYOUT: Layout = {
  ...V1_LAYOUT,
  featureMisses: { keyPath: 'trackId', indexes: [] },
};

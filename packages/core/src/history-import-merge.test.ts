import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Play } from './types.js';
import {
  assignIds,
  buildNameCandidates,
  buildNameIndex,
  mergePlays,
  playKey,
  resolveNameKeys,
} from './history-import-merge.js';
import { nameKey } from './history-import-names.js';

const T = Date.UTC(2025, 5, 1, 12, 0, 17);
const play = (
  playedAt: number,
  source: Play['source'] = 'export',
  trackId = 'id1',
  msPlayed = 200_000,
): Play => ({ accountId: 'a', playedAt, trackId, msPlayed, source });

describe('mergePlays (issue 7: plays captured from recently-played are not double counted)', () => {
  it('an exported play replaces the recently-played capture of the same listen', () => {
    const recent = play(T + 4_000, 'recent');
    const r = mergePlays([recent], [play(T)]);
    expect(r).toEqual({ add: [play(T)], remove: [recent], duplicates: 0 });
  });

  it('keeps both when the times are further apart than the tolerance', () => {
    const r = mergePlays([play(T + 21_000, 'recent')], [play(T)]);
    expect(r.add).toHaveLength(1);
    expect(r.remove).toHaveLength(0);
  });

  it('never merges two exported listens of the same song a few seconds apart (a restart)', () => {
    const r = mergePlays([play(T)], [play(T + 5_000, 'export', 'id1', 3_000)]);
    expect(r.add).toHaveLength(1);
  });

  it('one recent capture absorbs one exported listen, not two', () => {
    const r = mergePlays([play(T, 'recent')], [play(T - 3_000), play(T + 3_000)]);
    expect(r.add).toHaveLength(2);
    expect(r.remove).toHaveLength(1);
  });

  it('a listen seen by recently-played, the extended history and account data is stored once', () => {
    const minute = Math.floor(T / 60_000) * 60_000;
    const recent = play(T + 2_000, 'recent');
    const r = mergePlays([recent], [play(minute), play(T)]);
    expect(r.add).toEqual([play(T)]);
    expect(r.remove).toEqual([recent]);
    expect(r.duplicates).toBe(1);
  });

  it('an account-data row (to the minute) does not replace the extended row of the same listen', () => {
    const minute = Math.floor(T / 60_000) * 60_000;
    const r = mergePlays([play(T)], [play(minute)]);
    expect(r).toEqual({ add: [], remove: [], duplicates: 1 });
  });

  it('a recently-played capture arriving after the import adds nothing', () => {
    expect(mergePlays([play(T)], [play(T + 1_000, 'recent')])).toEqual({
      add: [],
      remove: [],
      duplicates: 1,
    });
  });

  it('different songs or accounts never merge', () => {
    expect(mergePlays([play(T, 'recent', 'id2')], [play(T)]).add).toHaveLength(1);
    expect(mergePlays([{ ...play(T, 'recent'), accountId: 'b' }], [play(T)]).add).toHaveLength(1);
  });

  const anyPlay = fc
    .record({
      playedAt: fc.integer({ min: 0, max: 40 }).map((s) => T + s * 5_000),
      source: fc.constantFrom<Play['source']>('export', 'recent'),
      trackId: fc.constantFrom('id1', 'id2'),
      minute: fc.boolean(),
    })
    .map((g) =>
      play(
        g.minute && g.source === 'export' ? Math.floor(g.playedAt / 60_000) * 60_000 : g.playedAt,
        g.source,
        g.trackId,
      ),
    );

  it('is idempotent: merging the same import again adds and removes nothing', () => {
    fc.assert(
      fc.property(
        fc.array(anyPlay, { maxLength: 25 }),
        fc.array(anyPlay, { maxLength: 25 }),
        (existing, incoming) => {
          const uniq = [...new Map(existing.map((p) => [playKey(p), p])).values()];
          const first = mergePlays(uniq, incoming);
          const removed = new Set(first.remove.map(playKey));
          const stored = [...uniq.filter((p) => !removed.has(playKey(p))), ...first.add];
          const again = mergePlays(stored, incoming);
          expect(again.add).toEqual([]);
          expect(again.remove).toEqual([]);
          // only existing rows are ever removed, and every added row came in
          expect(first.remove.every((p) => uniq.includes(p))).toBe(true);
          expect(first.add.every((p) => incoming.includes(p))).toBe(true);
          // every incoming play is accounted for
          expect(first.add.length + first.duplicates).toBe(incoming.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('name keys', () => {
  it('resolve to the most played id when one song has several, else the smallest id', () => {
    const tracks = [
      { id: 'zzz', name: 'Song', artists: [{ id: null, name: 'Band' }] },
      { id: 'aaa', name: 'song', artists: [{ id: null, name: 'BAND' }] },
    ];
    expect(buildNameIndex(tracks).get(nameKey('band', 'song'))).toBe('aaa');
    expect(buildNameIndex(tracks, new Map([['zzz', 3]])).get(nameKey('band', 'song'))).toBe('zzz');
  });

  it('leave unknown songs under their name key', () => {
    const p = play(T, 'export', nameKey('Nobody', 'Unknown'));
    expect(resolveNameKeys([p], new Map())).toEqual({ plays: [p], resolved: 0 });
  });
});

describe('songs with several ids (single and album version)', () => {
  const tracks = [
    { id: 'single', name: 'Song', artists: [{ id: null, name: 'Band' }] },
    { id: 'album', name: 'Song', artists: [{ id: null, name: 'Band' }] },
  ];

  it('lists every id of a name, the most played first', () => {
    expect(
      buildNameCandidates(
        tracks,
        new Map([
          ['single', 5],
          ['album', 2],
        ]),
      ).get(nameKey('band', 'song')),
    ).toEqual(['single', 'album']);
  });

  it('gives each account-data play the id of the same listen, so no listen counts twice', () => {
    const key = nameKey('Band', 'Song');
    const known = [play(T, 'export', 'album'), play(T + 3_600_000, 'export', 'single')];
    const minute = (t: number): number => Math.floor(t / 60_000) * 60_000;
    const byName = [
      play(minute(T), 'export', key),
      play(minute(T + 3_600_000), 'export', key),
      play(minute(T + 7_200_000), 'export', key),
    ];
    const assigned = assignIds(byName, known, 'single');
    expect(assigned.map((p) => p.trackId)).toEqual(['album', 'single', 'single']);
    expect(mergePlays(known, assigned).add).toHaveLength(1);
  });

  it('matches an extended row that ended exactly on a minute (regression: counted twice in the e2e)', () => {
    const key = nameKey('Band', 'Song');
    const onTheMinute = Date.UTC(2023, 7, 10, 14, 49);
    const known = [play(onTheMinute, 'export', 'album')];
    const assigned = assignIds([play(onTheMinute, 'export', key)], known, 'single');
    expect(assigned[0]!.trackId).toBe('album');
    expect(mergePlays(known, assigned).add).toHaveLength(0);
  });

  it('never merges two extended listens when one ended exactly on a minute (regression: a listen lost in the e2e)', () => {
    const onTheMinute = Date.UTC(2023, 7, 10, 14, 49);
    const incoming = [
      play(onTheMinute, 'export', 'id1', 8_000),
      play(onTheMinute + 45_000, 'export', 'id1', 45_000),
    ];
    expect(mergePlays([], incoming, { incomingPrecision: 'second' }).add).toHaveLength(2);
    // without the hint, the on-the-minute row reads as account data: the documented ambiguity
    expect(mergePlays([], incoming).add).toHaveLength(1);
  });
});

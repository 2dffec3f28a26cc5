import { describe, expect, it } from 'vitest';
import { freshDb, track } from '../db/test-db';
import { addPlays } from '../db/plays';
import { addSnapshots } from '../db/snapshots';
import { saveTracks } from '../db/tracks';
import { saveSettings } from '../db/settings';
import { loadMonth, loadTimeline, parseMonthKey } from './diary-data';

const at = (iso: string) => Date.parse(iso);
const play = (iso: string, trackId: string, msPlayed = 200_000) => ({
  accountId: 'a',
  playedAt: at(iso),
  trackId,
  msPlayed,
  source: 'export' as const,
});

describe('diary data', () => {
  it('parses only real month keys', () => {
    expect(parseMonthKey('2024-03')).toEqual({ year: 2024, month: 3 });
    expect(parseMonthKey('2024-13')).toBeNull();
    expect(parseMonthKey('2024-3')).toBeNull();
  });

  it("cuts months in the account's chosen time zone", async () => {
    const db = freshDb();
    // 23:30 UTC on 31 March is already April in Paris
    await addPlays(db, [play('2024-03-31T23:30:00Z', 't1')]);
    await saveSettings(db, 'a', { timeZone: 'UTC' }, 1);
    expect((await loadTimeline(db, 'a')).months.map((m) => m.key)).toEqual(['2024-03']);
    await saveSettings(db, 'a', { timeZone: 'Europe/Paris' }, 1);
    expect((await loadTimeline(db, 'a')).months.map((m) => m.key)).toEqual(['2024-04']);
  });

  it('builds a month from its plays, compares with the previous month, and lists only its own snapshots', async () => {
    const db = freshDb();
    await saveSettings(db, 'a', { timeZone: 'UTC' }, 1);
    await saveTracks(db, [track('old'), track('new')]);
    await addPlays(db, [
      play('2024-02-10T10:00:00Z', 'old'),
      play('2024-03-05T10:00:00Z', 'old'),
      play('2024-03-06T10:00:00Z', 'new'),
      play('2024-03-07T10:00:00Z', 'new'),
      play('2024-03-08T10:00:00Z', 'new', 10_000), // under 30 s: kept, not a stream
      play('2024-04-01T00:00:00Z', 'old'), // next month
    ]);
    await addSnapshots(db, [
      {
        id: 'feb',
        accountId: 'a',
        takenAt: at('2024-02-20T00:00:00Z'),
        range: 'short_term',
        trackIds: ['old'],
      },
      {
        id: 'mar',
        accountId: 'a',
        takenAt: at('2024-03-20T00:00:00Z'),
        range: 'short_term',
        trackIds: ['new'],
      },
    ]);
    const page = await loadMonth(db, 'a', 2024, 3);
    expect(page.view.source).toBe('plays');
    expect(page.view.topTracks.map((t) => [t.trackId, t.streams])).toEqual([
      ['new', 2],
      ['old', 1],
    ]);
    expect(page.view.newTracks).toEqual(['new']);
    expect(page.snapshots.map((s) => s.id)).toEqual(['mar']);
    expect(page.justStarted).toBe(false);
    expect(page.tracks.get('new')?.name).toBe('Track new');
  });

  it('reuses the cached timeline until plays, snapshots or the time zone change', async () => {
    const db = freshDb();
    await saveSettings(db, 'a', { timeZone: 'UTC' }, 1);
    await addPlays(db, [play('2024-03-05T10:00:00Z', 't1')]);
    expect((await loadTimeline(db, 'a')).months[0]).toMatchObject({ key: '2024-03', streams: 1 });
    // a row changed behind db/plays.ts's back renews no revision: the cache answers
    await db.playDays.clear();
    expect((await loadTimeline(db, 'a')).months[0]?.streams).toBe(1);
    // any write through db/plays.ts does, even one that keeps the count and the
    // bounds (a merge swapping a play for a shorter one at the same moment)
    await addPlays(db, [play('2024-03-05T10:00:00Z', 't1', 5_000)]);
    expect((await loadTimeline(db, 'a')).months[0]?.streams).toBe(0);
    await addPlays(db, [play('2024-05-05T10:00:00Z', 't1')]);
    expect((await loadTimeline(db, 'a')).months.map((m) => m.key)).toEqual(['2024-03', '2024-05']);
    await saveSettings(db, 'a', { timeZone: 'Pacific/Kiritimati' }, 1);
    expect((await loadTimeline(db, 'a')).zone).toBe('Pacific/Kiritimati');
  });

  it('tells a month with only a snapshot from that snapshot', async () => {
    const db = freshDb();
    await saveSettings(db, 'a', { timeZone: 'UTC' }, 1);
    await addSnapshots(db, [
      {
        id: 's',
        accountId: 'a',
        takenAt: at('2026-11-27T10:00:00Z'),
        range: 'medium_term',
        trackIds: ['x', 'y'],
      },
    ]);
    const page = await loadMonth(db, 'a', 2026, 11);
    expect(page.view.source).toBe('snapshots');
    expect(page.view.topTracks.map((t) => t.bestRank)).toEqual([1, 2]);
    expect(page.justStarted).toBe(true);
    await addPlays(db, [play('2025-01-01T00:00:00Z', 'x')]); // an imported year: not just started
    expect((await loadMonth(db, 'a', 2026, 11)).justStarted).toBe(false);
    await addSnapshots(db, [
      {
        id: 's2',
        accountId: 'a',
        takenAt: at('2026-11-27T10:00:00Z'),
        range: 'long_term',
        trackIds: ['x'],
      },
    ]);
    const t = await loadTimeline(db, 'a');
    expect(t.captures).toBe(1);
    // one sync saves several ranges at one moment: the month shows one snapshot, not two
    expect(t.months.find((m) => m.key === '2026-11')).toMatchObject({ snapshots: 2, captures: 1 });
  });
});

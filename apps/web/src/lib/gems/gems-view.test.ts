import { describe, expect, it } from 'vitest';
import type { Play, Snapshot } from '@mtm/core';
import { track } from '$lib/db/test-db';
import { buildGemsView } from './gems-view';

const A = 'acc';
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 27);
const snap = (range: Snapshot['range'], takenAt: number, trackIds: string[]): Snapshot => ({
  id: `${range}-${takenAt}`,
  accountId: A,
  takenAt,
  range,
  trackIds,
});
const tracks = new Map(['a', 'b', 'c', 'd'].map((id) => [id, track(id)]));

describe('buildGemsView', () => {
  it('shows the seed list (long-term minus short-term) beside history while history is thin', () => {
    const view = buildGemsView(
      {
        snapshots: [
          snap('long_term', NOW - DAY, ['a', 'b', 'c']),
          snap('short_term', NOW - DAY, ['b']),
        ],
        plays: [],
        tracks,
        zone: 'UTC',
      },
      NOW,
    );
    expect(view.thin).toBe(true);
    expect(view.live.map((r) => r.gem.trackId)).toEqual(['a', 'c']);
    expect(view.live[1]!.gem.explanation).toMatch(/#3 in your top tracks of the past year/);
    expect(view.live[0]!.track?.name).toBe('Track a');
  });

  it('drops the seed list once history is rich, and explains each history gem', () => {
    const snaps: Snapshot[] = [];
    for (let w = 0; w < 12; w++)
      snaps.push(snap('short_term', NOW - (300 - w * 7) * DAY, ['d', 'a']));
    snaps.push(snap('short_term', NOW - 10 * DAY, ['b']));
    snaps.push(snap('long_term', NOW - 10 * DAY, ['d', 'b']));
    const plays: Play[] = [
      {
        accountId: A,
        playedAt: NOW - 200 * DAY,
        trackId: 'd',
        msPlayed: 200_000,
        source: 'recent',
      },
    ];
    const view = buildGemsView({ snapshots: snaps, plays, tracks, zone: 'UTC' }, NOW);
    expect(view.thin).toBe(false);
    expect(view.live).toEqual([]);
    expect(view.history.map((r) => r.gem.trackId)).toContain('d');
    expect(view.history.map((r) => r.gem.trackId)).not.toContain('b');
    expect(view.history.find((r) => r.gem.trackId === 'd')!.gem.explanation).toMatch(/top 10/);
  });
});

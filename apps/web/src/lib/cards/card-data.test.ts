import { describe, expect, it } from 'vitest';
import { freshDb, track } from '../db/test-db';
import { addPlays } from '../db/plays';
import { saveTracks } from '../db/tracks';
import { saveSettings } from '../db/settings';
import type { DiaryScope } from '../app/app-context.svelte';
import { loadCard, type CardPage } from './card-data';
import { loadGlance, loadOnThisDay, type Glance } from './glance-data';
import { periodPlaylistTitle } from './card-view';
import { pictureRequest } from './picture-request';

const at = (iso: string) => Date.parse(iso);
const play = (iso: string, trackId: string, msPlayed = 200_000) => ({
  accountId: 'a',
  playedAt: at(iso),
  trackId,
  msPlayed,
  source: 'export' as const,
});
const NOW = at('2026-12-03T12:00:00Z');

async function scopeWith(plays: ReturnType<typeof play>[], zone = 'UTC'): Promise<DiaryScope> {
  const db = freshDb();
  await saveSettings(db, 'a', { timeZone: zone }, 1);
  await saveTracks(db, [track('x'), track('y')]);
  await addPlays(db, plays);
  return { db, accountId: 'a', revision: 1 };
}

describe('card data', () => {
  it('reads a year card in the account time zone, with the period before and its push list', async () => {
    const scope = await scopeWith(
      [
        play('2023-06-01T10:00:00Z', 'x'),
        play('2024-01-10T10:00:00Z', 'x'),
        play('2024-01-11T10:00:00Z', 'y'),
        play('2024-01-12T10:00:00Z', 'y'),
        play('2024-12-31T23:30:00Z', 'x'), // 2025 in Paris
      ],
      'Europe/Paris',
    );
    const page = (await loadCard(scope, '2024', NOW)) as CardPage;
    expect(page.period.label).toBe('2024');
    expect(page.period.from).toBe(at('2023-12-31T23:00:00Z'));
    expect(page.card.streams).toBe(3);
    expect(page.pushIds).toEqual(['y', 'x']);
    expect(page.card.survival).toEqual({ label: '2023', previousTop: 1, survived: 1 });
    expect(periodPlaylistTitle(page.period)).toBe('My 2024');
    // the picture shows the card's own numbers and the stored cover
    const pic = pictureRequest(page, page.tracks, 'story', 'dark');
    expect(pic).toMatchObject({ label: '2024', streams: 3, format: 'story' });
    expect(pic.tracks[0]).toMatchObject({ name: 'Track y', coverUrl: 'https://i.scdn.co/image/y' });
    expect(pic.note).toMatch(/^Only 3 streams/);
  });

  it('answers a key that names no period, or an impossible one, in words', async () => {
    const scope = await scopeWith([play('2024-01-10T10:00:00Z', 'x')]);
    expect(await loadCard(scope, 'yesterday', NOW)).toEqual({
      problem: '"yesterday" is not a period this app knows.',
    });
    expect(await loadCard(scope, '2024-05-01..2024-04-01', NOW)).toEqual({
      problem: 'A period must start before it ends: 1 May 2024 comes after 1 April 2024.',
    });
    expect(await loadCard(scope, '3024', NOW)).toEqual({
      problem: '3024 is outside the years a diary can hold (2006 to 2027).',
    });
  });

  it('"on this day" finds the date in earlier years and the top song of that week', async () => {
    const scope = await scopeWith([
      play('2025-12-03T09:00:00Z', 'x'),
      play('2025-12-01T09:00:00Z', 'y'), // Monday of that week
      play('2025-12-02T09:00:00Z', 'y'),
      play('2024-12-04T09:00:00Z', 'x'), // the day after: not on this day
      play('2016-12-03T09:00:00Z', 'y'),
    ]);
    const page = await loadOnThisDay(scope, NOW);
    expect(page.today).toEqual({ year: 2026, month: 12, day: 3 });
    expect(page.entries.map((e) => [e.yearsAgo, e.plays])).toEqual([
      [1, 1],
      [10, 1],
    ]);
    expect(page.entries[0]!.weekTop).toEqual({ trackId: 'y', streams: 2 });
    expect(page.tracks.get('x')?.name).toBe('Track x');
  });

  it('keeps the diary at a glance until the plays change', async () => {
    const scope = await scopeWith([
      play('2024-03-10T10:00:00Z', 'x'),
      play('2023-01-01T10:00:00Z', 'y'),
    ]);
    const first = await loadGlance(scope);
    expect(first.years.map((y) => y.year)).toEqual([2024, 2023]);
    expect(first.years[0]!.monthTops[2]).toBe('x');
    await addPlays(scope.db, [
      play('2024-03-11T10:00:00Z', 'y'),
      play('2024-03-12T10:00:00Z', 'y'),
    ]);
    // the one kept for the older plays is shown first, while the new one is computed
    const early: Glance[] = [];
    const second = await loadGlance(scope, (g) => early.push(g));
    expect(second.years[0]!.monthTops[2]).toBe('y');
    expect(second.years[0]!.streams.reduce((a, b) => a + b, 0)).toBe(3);
    expect(early).toHaveLength(1);
    expect(early[0]!.years[0]!.monthTops[2]).toBe('x');
    expect(early[0]!.tracks.get('x')?.name).toBe('Track x');
    // nothing changed since: the kept one is the answer, nothing shown early
    const third = await loadGlance(scope, (g) => early.push(g));
    expect(third.years).toEqual(second.years);
    expect(early).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import { hemisphereOf, historyExtent, periodGrid, seasonOf } from './periods.js';

describe('seasonOf', () => {
  it('uses meteorological seasons, flipped in the south', () => {
    expect([12, 1, 2].map((m) => seasonOf(m, 'north'))).toEqual(['winter', 'winter', 'winter']);
    expect([6, 7, 8].map((m) => seasonOf(m, 'north'))).toEqual(['summer', 'summer', 'summer']);
    expect(seasonOf(3, 'north')).toBe('spring');
    expect(seasonOf(11, 'north')).toBe('autumn');
    expect(seasonOf(1, 'south')).toBe('summer');
    expect(seasonOf(7, 'south')).toBe('winter');
  });
});

describe('periodGrid', () => {
  const from = Date.UTC(2023, 10, 10);
  const to = Date.UTC(2024, 5, 10);

  it('covers the range with consecutive month periods', () => {
    const { periods } = periodGrid('UTC', from, to, 'month');
    expect(periods.map((p) => p.key)).toEqual([
      '2023-11',
      '2023-12',
      '2024-01',
      '2024-02',
      '2024-03',
      '2024-04',
      '2024-05',
      '2024-06',
    ]);
    expect(periods[0]!.label).toBe('November 2023');
    for (let i = 1; i < periods.length; i++) expect(periods[i]!.start).toBe(periods[i - 1]!.end);
  });

  it('keeps December with the following January and February in one season', () => {
    const { periods, locate } = periodGrid('UTC', from, to, 'season');
    expect(periods.map((p) => p.label)).toEqual([
      'Autumn 2023',
      'Winter 2023–24',
      'Spring 2024',
      'Summer 2024',
    ]);
    expect(periods[locate(Date.UTC(2024, 1, 29))]!.key).toBe('2023-12-winter');
    expect(periods[locate(Date.UTC(2023, 11, 1))]!.key).toBe('2023-12-winter');
    const south = periodGrid('UTC', from, to, 'season', 'south').periods;
    expect(south[1]!.label).toBe('Summer 2023–24');
  });

  it('groups by year in the zone, not in UTC', () => {
    const { periods, locate } = periodGrid('Asia/Tokyo', from, to, 'year');
    expect(periods.map((p) => p.key)).toEqual(['2023', '2024']);
    // 2023-12-31T16:00Z is already New Year in Tokyo (UTC+9).
    expect(periods[locate(Date.UTC(2023, 11, 31, 16))]!.key).toBe('2024');
    expect(periods[locate(Date.UTC(2023, 11, 31, 14))]!.key).toBe('2023');
  });
});

describe('historyExtent', () => {
  it('spans plays and snapshots, or is null when both are empty', () => {
    expect(historyExtent([], [])).toBeNull();
    const play = {
      accountId: 'a',
      playedAt: 50,
      trackId: 't',
      msPlayed: 1,
      source: 'recent' as const,
    };
    const snap = {
      id: 's',
      accountId: 'a',
      takenAt: 10,
      range: 'short_term' as const,
      trackIds: [],
    };
    expect(historyExtent([play], [snap])).toEqual({ from: 10, to: 50 });
  });
});

describe('hemisphereOf', () => {
  it('flips seasons for southern time zones only', () => {
    expect(hemisphereOf('Australia/Sydney')).toBe('south');
    expect(hemisphereOf('America/Argentina/Buenos_Aires')).toBe('south');
    expect(hemisphereOf('Pacific/Auckland')).toBe('south');
    expect(hemisphereOf('Europe/Paris')).toBe('north');
    expect(hemisphereOf('America/New_York')).toBe('north');
    expect(hemisphereOf('UTC')).toBe('north');
  });
});

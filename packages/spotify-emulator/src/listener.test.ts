import { describe, expect, it } from 'vitest';
import { isSpotifyTrackId } from '@mtm/core';
import { CLUSTERS, buildCatalogue } from './catalogue.js';
import { DAY_MS, Listener, STREAM_MS } from './listener.js';

const YEAR = 365 * DAY_MS;
const T = Date.UTC(2026, 5, 1, 15);

function jaccard(a: number[], b: number[]): number {
  const A = new Set(a);
  const B = new Set(b);
  let both = 0;
  for (const x of A) if (B.has(x)) both++;
  return both / (A.size + B.size - both);
}

const listener = new Listener(42, buildCatalogue(42));

describe('catalogue', () => {
  it('has a few thousand tracks with 22-character base62 ids and valid ISRCs, and hundreds of artists', () => {
    const c = listener.catalogue;
    expect(c.tracks.length).toBeGreaterThan(2000);
    expect(c.tracks.length).toBeLessThan(10_000);
    expect(c.artists.length).toBeGreaterThanOrEqual(200);
    for (const t of c.tracks) {
      expect(isSpotifyTrackId(t.id), t.id).toBe(true);
      expect(t.isrc).toMatch(/^[A-Z]{2}[A-Z0-9]{3}\d{7}$/);
    }
    expect(new Set(c.tracks.map((t) => t.id)).size).toBe(c.tracks.length);
  });

  it('draws audio features around genre-like clusters (house is more energetic and danceable than ambient)', () => {
    const c = listener.catalogue;
    const mean = (cluster: string, key: 'energy' | 'danceability' | 'instrumentalness') => {
      const idx = CLUSTERS.findIndex((x) => x.name === cluster);
      const ts = c.tracks.filter((t) => c.artists[t.artist]?.cluster === idx);
      return ts.reduce((s, t) => s + t.features[key], 0) / ts.length;
    };
    expect(mean('house', 'energy') - mean('ambient', 'energy')).toBeGreaterThan(0.4);
    expect(mean('house', 'danceability') - mean('ambient', 'danceability')).toBeGreaterThan(0.4);
    expect(
      mean('ambient', 'instrumentalness') - mean('hip hop', 'instrumentalness'),
    ).toBeGreaterThan(0.5);
  });
});

describe('listener', () => {
  it('is deterministic from the seed, and a different seed is a different person', () => {
    const again = new Listener(42, buildCatalogue(42));
    expect(again.topTracks('medium_term', T)).toEqual(listener.topTracks('medium_term', T));
    expect(again.playsOfDay(20_000)).toEqual(listener.playsOfDay(20_000));
    const other = new Listener(43, buildCatalogue(43));
    const ids = (l: Listener) => l.topTracks('long_term', T).map((t) => l.catalogue.tracks[t]?.id);
    expect(ids(other)).not.toEqual(ids(listener));
  });

  it('answers up to 99 ranked tracks per range, the same all day, changing from one day to the next', () => {
    for (const range of ['short_term', 'medium_term', 'long_term'] as const) {
      const top = listener.topTracks(range, T);
      expect(top.length).toBe(99);
      expect(new Set(top).size).toBe(99);
    }
    const morning = Date.UTC(2026, 5, 1, 0, 5);
    expect(listener.topTracks('short_term', morning)).toEqual(listener.topTracks('short_term', T));
    expect(listener.topTracks('short_term', T + 3 * DAY_MS)).not.toEqual(
      listener.topTracks('short_term', T),
    );
  });

  it('ranks by streams (>= 30 s) in the window before the current day', () => {
    const today = Math.floor(T / DAY_MS);
    const streams = listener.streamsInWindow(today - 28, today);
    const top = listener.topTracks('short_term', T);
    const counts = top.map((t) => streams.get(t) ?? 0);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const best = Math.max(...streams.values());
    expect(counts[0]).toBe(best);
  });

  it('drifts over years: long-term lists a week apart mostly agree, three years apart they mostly differ', () => {
    const now = listener.topTracks('long_term', T).slice(0, 50);
    expect(
      jaccard(now, listener.topTracks('long_term', T + 7 * DAY_MS).slice(0, 50)),
    ).toBeGreaterThan(0.75);
    expect(jaccard(now, listener.topTracks('long_term', T - 3 * YEAR).slice(0, 50))).toBeLessThan(
      0.3,
    );
  });

  it('has forgotten gems: favourites of two years ago with no stream in the last six months', () => {
    const today = Math.floor(T / DAY_MS);
    const lately = listener.streamsInWindow(today - 182, today);
    const then = listener.topTracks('long_term', T - 2 * YEAR).slice(0, 30);
    expect(then.filter((t) => !lately.has(t)).length).toBeGreaterThanOrEqual(3);
  });

  it('has comebacks: artists who leave the top 50 for a year or more and return to the top 10', () => {
    const dates: number[] = [];
    for (let y = 2014; y <= 2026; y++) dates.push(Date.UTC(y, 0, 1), Date.UTC(y, 6, 1));
    const top10 = dates.map((d) => listener.topArtists('medium_term', d).slice(0, 10));
    const top50 = dates.map((d) => new Set(listener.topArtists('medium_term', d).slice(0, 50)));
    let comebacks = 0;
    for (const artist of new Set(top10.flat())) {
      const first = top10.findIndex((t) => t.includes(artist));
      let away = 0;
      for (let i = first + 1; i < dates.length; i++) {
        if (!top50[i]!.has(artist)) away++;
        else if (away >= 2 && top10[i]!.includes(artist)) {
          comebacks++;
          break;
        }
      }
    }
    expect(comebacks).toBeGreaterThanOrEqual(2);
  });

  it('is more upbeat in summer than in winter', () => {
    let summer = 0;
    let ns = 0;
    let winter = 0;
    let nw = 0;
    for (let y = 2019; y < 2026; y++) {
      for (const [month, isSummer] of [
        [6, true],
        [0, false],
      ] as const) {
        const first = Math.floor(Date.UTC(y, month, 1) / DAY_MS);
        for (let d = first; d < first + 28; d++) {
          for (const p of listener.playsOfDay(d)) {
            const v = listener.catalogue.tracks[p.track]?.features.valence ?? 0;
            if (isSummer) {
              summer += v;
              ns++;
            } else {
              winter += v;
              nw++;
            }
          }
        }
      }
    }
    expect(summer / ns).toBeGreaterThan((winter / nw) * 1.05);
  });

  it('recent plays are the last streams before now, newest first, never in the future, without skips', () => {
    const recent = listener.recentPlays(T, 50);
    expect(recent).toHaveLength(50);
    for (let i = 1; i < recent.length; i++)
      expect(recent[i - 1]!.endedAt).toBeGreaterThan(recent[i]!.endedAt);
    expect(recent[0]!.endedAt).toBeLessThan(T);
    expect(recent.every((p) => p.msPlayed >= STREAM_MS)).toBe(true);
    // Nothing between the newest returned play and now was left out.
    const today = Math.floor(T / DAY_MS);
    const missed = [...listener.playsOfDay(today), ...listener.playsOfDay(today - 1)].filter(
      (p) => p.endedAt < T && p.endedAt > recent[0]!.endedAt && p.msPlayed >= STREAM_MS,
    );
    expect(missed).toEqual([]);
  });

  it('includes skips (< 30 s) among the plays, about one in eight', () => {
    let skips = 0;
    let all = 0;
    for (let d = 20_000; d < 20_060; d++) {
      for (const p of listener.playsOfDay(d)) {
        all++;
        if (p.msPlayed < STREAM_MS) skips++;
      }
    }
    expect(skips / all).toBeGreaterThan(0.08);
    expect(skips / all).toBeLessThan(0.2);
  });
});

describe('plays of a day', () => {
  it('never overlap: each play starts after the previous one ended', () => {
    // Long busy days are rare: scan enough of them (an earlier model overlapped 569 plays here).
    const overlaps: string[] = [];
    for (let d = 18_000; d < 21_000; d++) {
      const plays = listener.playsOfDay(d);
      for (let i = 1; i < plays.length; i++) {
        const start = plays[i]!.endedAt - plays[i]!.msPlayed;
        // End times are floored to whole seconds, hence the 1 s allowance.
        if (start < plays[i - 1]!.endedAt - 1000)
          overlaps.push(new Date(plays[i]!.endedAt).toISOString());
      }
    }
    expect(overlaps).toEqual([]);
  });
});

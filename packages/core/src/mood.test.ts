import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  MOOD_FEATURES,
  MOOD_PROFILES,
  moodScore,
  normaliseTempo,
  selectForMood,
  whyItFits,
  loveOrder,
  type FeatureVector,
  type MoodProfile,
} from './mood.js';
import { play, snapshot } from './test-support/fixtures.js';
import type { Track } from './types.js';

const unit = fc.double({ min: 0, max: 1, noNaN: true });
const vector = fc.record({
  energy: unit,
  valence: unit,
  danceability: unit,
  tempo: fc.double({ min: 30, max: 260, noNaN: true }),
  acousticness: unit,
  instrumentalness: unit,
});
const profile: fc.Arbitrary<MoodProfile> = fc
  .record({
    targets: fc.record({
      energy: unit,
      valence: unit,
      danceability: unit,
      tempo: fc.double({ min: 60, max: 200, noNaN: true }),
      acousticness: unit,
      instrumentalness: unit,
    }),
    weights: fc.record(
      Object.fromEntries(
        MOOD_FEATURES.map((k) => [k, fc.double({ min: 0, max: 5, noNaN: true })]),
      ) as Record<(typeof MOOD_FEATURES)[number], fc.Arbitrary<number>>,
    ),
  })
  .map((p) => ({ id: 'custom', name: 'Custom', ...p }));
const presets = Object.values(MOOD_PROFILES);
const anyProfile = fc.oneof(profile, fc.constantFrom(...presets));

const track = (id: string, artist = id): Track => ({
  id,
  name: id,
  artists: [{ id: artist, name: artist }],
  album: { id: null, name: '', imageUrl: null },
  durationMs: null,
  isrc: null,
});
const targetsOf = (p: MoodProfile): FeatureVector => ({
  energy: 0.5,
  valence: 0.5,
  danceability: 0.5,
  tempo: 120,
  acousticness: 0.5,
  instrumentalness: 0.5,
  ...p.targets,
});

describe('moodScore', () => {
  it('is within [0, 1] for any track and profile', () => {
    fc.assert(
      fc.property(vector, anyProfile, (f, p) => {
        const s = moodScore(f, p);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('is best (1) for a track equal to the profile targets', () => {
    fc.assert(
      fc.property(vector, anyProfile, (f, p) => {
        expect(moodScore(targetsOf(p), p)).toBeCloseTo(1, 12);
        expect(moodScore(f, p)).toBeLessThanOrEqual(moodScore(targetsOf(p), p));
      }),
    );
  });

  it('normalises tempo over 60..200 BPM and clamps outside', () => {
    expect(normaliseTempo(60)).toBe(0);
    expect(normaliseTempo(130)).toBe(0.5);
    expect(normaliseTempo(260)).toBe(1);
    const onlyTempo: MoodProfile = {
      id: 't',
      name: 't',
      targets: { tempo: 200 },
      weights: { tempo: 1 },
    };
    expect(moodScore({ ...targetsOf(onlyTempo), tempo: 130 }, onlyTempo)).toBeCloseTo(0.5);
  });

  it('ranks tracks passing the seed workout filter (energy>0.7, danceability>0.7, tempo>120) high for workout', () => {
    let seed = 7;
    const r = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pop = Array.from({ length: 2000 }, () => ({
      energy: r(),
      valence: r(),
      danceability: r(),
      tempo: 60 + 140 * r(),
      acousticness: r(),
      instrumentalness: r(),
    }));
    const ranked = pop
      .map((f) => ({
        s: moodScore(f, MOOD_PROFILES.workout),
        pass: f.energy > 0.7 && f.danceability > 0.7 && f.tempo > 120,
      }))
      .sort((a, b) => b.s - a.s);
    const ranks = ranked.flatMap((x, i) => (x.pass ? [i] : []));
    expect(ranks.length).toBeGreaterThan(30);
    // Passing tracks are ~4% of this population; all sit in the top 30%, half in the top 5%.
    expect(Math.max(...ranks)).toBeLessThan(0.3 * pop.length);
    expect(ranks[Math.floor(ranks.length / 2)]).toBeLessThan(0.05 * pop.length);
    // Near misses (energy 0.69 at 150 BPM) may rightly share the top, but passing tracks dominate it.
    expect(ranked.slice(0, 20).filter((x) => x.pass).length).toBeGreaterThanOrEqual(15);
  });
});

describe('selectForMood', () => {
  const features = new Map<string, FeatureVector>();
  const tracks: Track[] = [];
  for (let i = 0; i < 10; i++) {
    const t = track(`t${i}`, i < 6 ? 'same' : `a${i}`);
    tracks.push(t);
    features.set(t.id, {
      energy: i / 10,
      valence: 0.5,
      danceability: 0.5,
      tempo: 120,
      acousticness: 0.5,
      instrumentalness: 0,
    });
  }
  const bare = [track('nofeat1'), track('nofeat2')];
  const energetic: MoodProfile = {
    id: 'e',
    name: 'E',
    targets: { energy: 1 },
    weights: { energy: 1 },
  };

  it('orders by score, caps per artist, and reports tracks without features separately', () => {
    const sel = selectForMood({
      tracks: [...bare, ...tracks],
      features,
      profile: energetic,
      limit: 6,
      perArtist: 2,
    });
    expect(sel.picks.map((p) => p.track.id)).toEqual(['t9', 't8', 't7', 't6', 't5', 't4']);
    expect(sel.withoutFeatures.map((t) => t.id)).toEqual(['nofeat1', 'nofeat2']);
    for (let i = 1; i < sel.picks.length; i++)
      expect(sel.picks[i]!.score).toBeLessThanOrEqual(sel.picks[i - 1]!.score);
  });

  it('puts a track equal to the targets first, with a reason', () => {
    fc.assert(
      fc.property(anyProfile, fc.array(vector, { maxLength: 20 }), (p, others) => {
        const fm = new Map<string, FeatureVector>(others.map((f, i) => [`o${i}`, f]));
        fm.set('ideal', targetsOf(p));
        const sel = selectForMood({
          tracks: [...others.map((_, i) => track(`o${i}`)), track('ideal')],
          features: fm,
          profile: p,
          limit: 5,
        });
        expect(sel.picks[0]!.score).toBeCloseTo(1, 12);
        expect(sel.picks[0]!.why.length).toBeGreaterThan(0);
      }),
    );
  });

  it('reaches past a head of one prolific artist to fill the list', () => {
    const many = Array.from({ length: 500 }, (_, i) => track(`s${i}`, 'same'));
    const others = Array.from({ length: 10 }, (_, i) => track(`o${i}`, `other${i}`));
    const fm = new Map<string, FeatureVector>();
    for (const t of many)
      fm.set(t.id, {
        energy: 1,
        valence: 0.5,
        danceability: 0.5,
        tempo: 120,
        acousticness: 0.5,
        instrumentalness: 0,
      });
    others.forEach((t, i) =>
      fm.set(t.id, {
        energy: 0.5 - i / 100,
        valence: 0.5,
        danceability: 0.5,
        tempo: 120,
        acousticness: 0.5,
        instrumentalness: 0,
      }),
    );
    const sel = selectForMood({
      tracks: [...many, ...others],
      features: fm,
      profile: energetic,
      limit: 5,
      perArtist: 1,
    });
    expect(sel.picks.map((p) => p.track.id)).toEqual(['s0', 'o0', 'o1', 'o2', 'o3']);
  });

  it('treats a custom profile as plain data', () => {
    const sel = selectForMood({
      tracks,
      features,
      profile: { id: 'calm', name: 'Calm', targets: { energy: 0 }, weights: { energy: 2 } },
    });
    expect(sel.picks[0]!.track.id).toBe('t0');
    expect(sel.picks).toHaveLength(3 + 4);
  });
});

describe('whyItFits', () => {
  it('names the weightiest features close to target', () => {
    const f = {
      energy: 0.86,
      valence: 0.1,
      danceability: 0.75,
      tempo: 148,
      acousticness: 0.9,
      instrumentalness: 0,
    };
    expect(whyItFits(f, MOOD_PROFILES.workout)).toBe('high energy (0.86), 148 BPM');
  });
  it('falls back to the closest feature when none is close', () => {
    const f = {
      energy: 0,
      valence: 0,
      danceability: 0,
      tempo: 60,
      acousticness: 1,
      instrumentalness: 1,
    };
    expect(whyItFits(f, MOOD_PROFILES.party)).toMatch(/^closest on /);
  });
});

describe('loveOrder', () => {
  it('ranks many counted streams above one top-list appearance, and ignores skips', () => {
    const order = loveOrder(
      [snapshot('short_term', 0, ['a'])],
      [play('b', 1), play('b', 2), play('c', 3, 5_000), play('c', 4, 5_000)],
    );
    expect(order).toEqual(['b', 'a', 'c']);
  });

  it('weights long-term top lists above short-term ones at the same rank', () => {
    expect(
      loveOrder([snapshot('short_term', 0, ['s']), snapshot('long_term', 0, ['l'])], []),
    ).toEqual(['l', 's']);
  });
});

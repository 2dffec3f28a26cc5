import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nameKey } from './history-import-names.js';
import {
  isSpotifyId,
  isSpotifyTrackId,
  isTrackUri,
  trackIdFromUri,
  trackUri,
} from './spotify-ids.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const spotifyId = fc
  .array(fc.constantFrom(...BASE62), { minLength: 22, maxLength: 22 })
  .map((c) => c.join(''));

describe('isSpotifyId (issue 11: one definition of a Spotify id)', () => {
  it('accepts 22 base-62 characters, as in real track and playlist ids', () => {
    expect(isSpotifyId('4uLU6hMCjMI75M1A2tKUQC')).toBe(true);
    expect(isSpotifyId('37i9dQZF1DXcBWIGoYBM5M')).toBe(true);
    expect(isSpotifyId('0000000000000000000000')).toBe(true);
  });

  it('refuses one character more or less, and the characters base 62 has not', () => {
    expect(isSpotifyId('4uLU6hMCjMI75M1A2tKUQ')).toBe(false);
    expect(isSpotifyId('4uLU6hMCjMI75M1A2tKUQCx')).toBe(false);
    expect(isSpotifyId('4uLU6hMCjMI75M1A2tKUQ-')).toBe(false);
    expect(isSpotifyId('4uLU6hMCjMI75M1A2tKUQ_')).toBe(false);
    expect(isSpotifyId('4uLU6hMCjMI75M1A2tKUQé')).toBe(false);
    expect(isSpotifyId(' 4uLU6hMCjMI75M1A2tKUQC')).toBe(false);
    expect(isSpotifyId('4uLU6hMCjMI75M1A2tKUQC\n')).toBe(false);
    expect(isSpotifyId('')).toBe(false);
    // the outbox's old rule let these through
    expect(isSpotifyId('abcdefghij')).toBe(false);
    expect(isSpotifyId('a'.repeat(40))).toBe(false);
  });

  it('accepts every 22-character base-62 string', () => {
    fc.assert(fc.property(spotifyId, (id) => isSpotifyId(id) && isSpotifyTrackId(id)));
  });

  it('refuses an id with a character added, removed or replaced by a non-base-62 one', () => {
    const notBase62 = fc
      .string({ unit: 'binary', minLength: 1, maxLength: 1 })
      .filter((c) => !BASE62.includes(c));
    fc.assert(
      fc.property(spotifyId, fc.nat(21), fc.constantFrom(...BASE62), notBase62, (id, at, c, bad) =>
        [
          id.slice(0, at) + c + id.slice(at),
          id.slice(0, at) + id.slice(at + 1),
          id.slice(0, at) + bad + id.slice(at + 1),
        ].every((s) => !isSpotifyId(s)),
      ),
    );
  });

  it('never takes a name key for a track id', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (a, t) => !isSpotifyTrackId(nameKey(a, t))));
    // even one whose names are base-62 and add up to 22 characters
    expect(isSpotifyTrackId(nameKey('abcdefghij', 'klmnopq'))).toBe(false);
  });

  it('refuses what is not a string at all (values straight from JSON)', () => {
    for (const v of [null, undefined, 42, 1e21, {}, ['4uLU6hMCjMI75M1A2tKUQC']])
      expect(isSpotifyId(v as unknown as string)).toBe(false);
  });
});

describe('trackUri', () => {
  it('makes the spotify:track: URI of an id', () => {
    expect(trackUri('4uLU6hMCjMI75M1A2tKUQC')).toBe('spotify:track:4uLU6hMCjMI75M1A2tKUQC');
  });

  it('throws a TypeError naming the value for a name key or any other non-id', () => {
    expect(() => trackUri(nameKey('Me', 'Demo Tape'))).toThrow(TypeError);
    expect(() => trackUri(nameKey('Me', 'Demo Tape'))).toThrow(
      /"name:me.*" is not a Spotify track id/,
    );
    expect(() => trackUri('short')).toThrow(/"short" is not a Spotify track id/);
    expect(() => trackUri('')).toThrow(TypeError);
  });

  it('round-trips through trackIdFromUri and is a track URI (any id)', () => {
    fc.assert(
      fc.property(
        spotifyId,
        (id) => trackIdFromUri(trackUri(id)) === id && isTrackUri(trackUri(id)),
      ),
    );
  });
});

describe('isTrackUri', () => {
  it('accepts exactly spotify:track: and an id', () => {
    expect(isTrackUri('spotify:track:4uLU6hMCjMI75M1A2tKUQC')).toBe(true);
    expect(isTrackUri('spotify:episode:4uLU6hMCjMI75M1A2tKUQC')).toBe(false);
    expect(isTrackUri('spotify:track:4uLU6hMCjMI75M1A2tKUQ')).toBe(false);
    expect(isTrackUri('spotify:track:t00000000000000000000')).toBe(false);
    expect(isTrackUri(' spotify:track:4uLU6hMCjMI75M1A2tKUQC')).toBe(false);
    expect(isTrackUri('spotify:track:4uLU6hMCjMI75M1A2tKUQC ')).toBe(false);
    expect(isTrackUri('SPOTIFY:TRACK:4uLU6hMCjMI75M1A2tKUQC')).toBe(false);
    expect(isTrackUri('https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC')).toBe(false);
    expect(isTrackUri(`spotify:track:${nameKey('a', 'b')}`)).toBe(false);
  });

  it('is true of a string exactly when it is trackUri of some id (any text)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          spotifyId.map((id) => `spotify:track:${id}`),
          fc.string().map((s) => `spotify:track:${s}`),
          fc.string(),
        ),
        (s) => {
          const id = s.slice('spotify:track:'.length);
          return isTrackUri(s) === (s.startsWith('spotify:track:') && isSpotifyId(id));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('trackIdFromUri', () => {
  it('takes the id of a track URI only', () => {
    expect(trackIdFromUri('spotify:track:4uLU6hMCjMI75M1A2tKUQC')).toBe('4uLU6hMCjMI75M1A2tKUQC');
    expect(trackIdFromUri('spotify:episode:4uLU6hMCjMI75M1A2tKUQC')).toBeNull();
    expect(trackIdFromUri('spotify:local:Artist:Album:Title:215')).toBeNull();
    expect(trackIdFromUri('spotify:track:short')).toBeNull();
    expect(trackIdFromUri('spotify:track:4uLU6hMCjMI75M1A2tKUQCC')).toBeNull();
    expect(trackIdFromUri(null)).toBeNull();
    expect(trackIdFromUri(undefined)).toBeNull();
  });

  it('forgives spaces around a URI in an export file', () => {
    expect(trackIdFromUri(' spotify:track:4uLU6hMCjMI75M1A2tKUQC\n')).toBe(
      '4uLU6hMCjMI75M1A2tKUQC',
    );
  });

  it('gives a Spotify track id or null, never anything else (any text)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string().map((s) => `spotify:track:${s}`),
        ),
        (s) => {
          const id = trackIdFromUri(s);
          return id === null || isSpotifyTrackId(id);
        },
      ),
      { numRuns: 300 },
    );
  });
});

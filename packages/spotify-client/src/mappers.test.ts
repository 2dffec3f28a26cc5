import { describe, expect, test } from 'vitest';
import {
  decodeHtmlEntities,
  largestImage,
  spotifyIdFromHref,
  toArtist,
  toAudioFeatures,
  toProfile,
  toTrack,
} from './mappers.js';
import { artistObject, trackObject, userObject } from './test-support/fixtures.js';

describe('toTrack', () => {
  test('keeps the largest album image, the artists and the ISRC', () => {
    const raw = trackObject({
      id: 't1',
      isrc: 'GBAYE0601498',
      albumImages: [
        { url: 'small', width: 64, height: 64 },
        { url: 'big', width: 640, height: 640 },
        { url: 'mid', width: 300, height: 300 },
      ],
      artists: [
        { id: 'a1', name: 'One' },
        { id: 'a2', name: 'Two' },
      ],
    });
    const t = toTrack(raw);
    expect(t).toEqual({
      id: 't1',
      name: 'Track t1',
      artists: [
        { id: 'a1', name: 'One' },
        { id: 'a2', name: 'Two' },
      ],
      album: { id: 'alt1', name: 'Album alt1', imageUrl: 'big' },
      durationMs: 201_000,
      isrc: 'GBAYE0601498',
    });
  });
  test('a track without external_ids or images has null isrc and image', () => {
    const t = toTrack(trackObject({ id: 't2', isrc: null, albumImages: [] }));
    expect(t.isrc).toBeNull();
    expect(t.album.imageUrl).toBeNull();
  });
});

describe('largestImage', () => {
  test('unknown sizes fall back to the first (Spotify lists widest first)', () => {
    expect(
      largestImage([
        { url: 'first', width: null, height: null },
        { url: 'second', width: null, height: null },
      ]),
    ).toBe('first');
  });
  test('no images gives null', () => {
    expect(largestImage(undefined)).toBeNull();
  });
});

describe('toArtist', () => {
  test('genres missing (deprecated in 2026) become an empty list', () => {
    const a = toArtist(artistObject({ id: 'ar1', name: 'X', genres: undefined }));
    expect(a).toEqual({
      id: 'ar1',
      name: 'X',
      genres: [],
      imageUrl: 'https://i.scdn.co/image/ar1-640',
    });
  });
});

describe('toProfile', () => {
  test('uses account_id as the key', () => {
    expect(toProfile(userObject({ id: 'u1', account_id: 'acc9' }))).toEqual({
      accountId: 'acc9',
      id: 'u1',
      displayName: 'Listener',
      imageUrl: 'https://i.scdn.co/image/u-300',
    });
  });
  test('falls back to id when account_id is absent', () => {
    expect(
      toProfile(userObject({ id: 'u1', account_id: undefined, display_name: null })).accountId,
    ).toBe('u1');
    expect(
      toProfile(userObject({ id: 'u1', account_id: undefined, display_name: null })).displayName,
    ).toBeNull();
  });
});

describe('toAudioFeatures', () => {
  test('an entry missing a required value is rejected', () => {
    expect(toAudioFeatures({ energy: 0.5 }, 't', 'spotify', 1)).toBeNull();
  });
  test('optional values are kept only when present', () => {
    const f = toAudioFeatures(
      {
        energy: 0.1,
        valence: 0.2,
        danceability: 0.3,
        tempo: 99,
        acousticness: 0.4,
        instrumentalness: 0,
      },
      't',
      'reccobeats',
      7,
    );
    expect(f).toEqual({
      trackId: 't',
      energy: 0.1,
      valence: 0.2,
      danceability: 0.3,
      tempo: 99,
      acousticness: 0.4,
      instrumentalness: 0,
      source: 'reccobeats',
      fetchedAt: 7,
    });
  });
});

describe('spotifyIdFromHref', () => {
  test('takes the id at the end of an open.spotify.com track link', () => {
    expect(spotifyIdFromHref('https://open.spotify.com/track/4iV5W9uYEdYUVa79Axb7Rh')).toBe(
      '4iV5W9uYEdYUVa79Axb7Rh',
    );
    expect(spotifyIdFromHref('https://open.spotify.com/track/4iV5W9uYEdYUVa79Axb7Rh?si=x')).toBe(
      '4iV5W9uYEdYUVa79Axb7Rh',
    );
    expect(spotifyIdFromHref('https://open.spotify.com/album/4iV5W9uYEdYUVa79Axb7Rh')).toBeNull();
    expect(spotifyIdFromHref(42)).toBeNull();
  });
});

describe('decodeHtmlEntities', () => {
  test('decodes the escapes Spotify puts in playlist descriptions', () => {
    expect(
      decodeHtmlEntities('Made by MTM &#x2F; gems &amp; more &quot;#k1&quot; &#39;x&#39; &lt;3'),
    ).toBe('Made by MTM / gems & more "#k1" \'x\' <3');
  });
  test('leaves unknown entities and plain text alone', () => {
    expect(decodeHtmlEntities('a &bogus; b & c')).toBe('a &bogus; b & c');
  });
});

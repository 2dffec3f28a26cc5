import { describe, expect, it } from 'vitest';
import { playlistItemUri } from './query.js';

describe('playlistItemUri', () => {
  it('splits a track or an episode URI into its type and id', () => {
    expect(playlistItemUri('spotify:track:4uLU6hMCjMI75M1A2tKUQC')).toEqual({
      type: 'track',
      id: '4uLU6hMCjMI75M1A2tKUQC',
    });
    expect(playlistItemUri('spotify:episode:7makk4oTQel546B0PZlDM5')).toEqual({
      type: 'episode',
      id: '7makk4oTQel546B0PZlDM5',
    });
  });

  it('refuses what Spotify refuses: other types, ids that are not 22 base-62 characters, spaces, non-strings', () => {
    for (const bad of [
      'spotify:album:4uLU6hMCjMI75M1A2tKUQC',
      'spotify:track:nope',
      'spotify:track:4uLU6hMCjMI75M1A2tKUQCx',
      'spotify:episode:7makk4oTQel546B0PZlDM',
      'spotify:track:name:artist\u001ftitle',
      ' spotify:track:4uLU6hMCjMI75M1A2tKUQC',
      'spotify:track:4uLU6hMCjMI75M1A2tKUQC ',
      'https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC',
      '',
      42,
      null,
      ['spotify:track:4uLU6hMCjMI75M1A2tKUQC'],
    ])
      expect(playlistItemUri(bad), JSON.stringify(bad)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { spotifyWebUrl } from './safe-url';

describe('spotifyWebUrl (issue 12)', () => {
  it('passes the links Spotify hands out', () => {
    expect(spotifyWebUrl('https://open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M')).toBe(
      'https://open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M',
    );
    expect(spotifyWebUrl('https://OPEN.spotify.com/playlist/x?si=1')).toBe(
      'https://open.spotify.com/playlist/x?si=1',
    );
  });

  it.each([
    ['a script', 'javascript:alert(document.cookie)'],
    ['plain http', 'http://open.spotify.com/playlist/x'],
    ['another host', 'https://evil.example/playlist/x'],
    ['a look-alike host', 'https://open.spotify.com.evil.example/playlist/x'],
    ['a sub-domain', 'https://x.open.spotify.com/playlist/x'],
    ['credentials', 'https://me:pw@open.spotify.com/playlist/x'],
    ['a user name that hides the host', 'https://open.spotify.com@evil.example/playlist/x'],
    ['a port', 'https://open.spotify.com:8443/playlist/x'],
    ['a data URL', 'data:text/html,<script>alert(1)</script>'],
    ['a relative path', '/outbox'],
    ['not a URL', 'open.spotify.com/playlist/x'],
    ['not a string', 42],
    ['null', null],
  ])('refuses %s', (_, url) => {
    expect(spotifyWebUrl(url)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { isImageUrl, spotifyWebUrl } from './safe-url';

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

describe('isImageUrl', () => {
  it('takes https image addresses and the demo emulator on this machine', () => {
    for (const ok of [
      'https://i.scdn.co/image/ab67616d0000b273aaaaaaaaaaaaaaaaaaaaaaaa',
      'https://platform-lookaside.fbsbx.com/platform/profilepic/?asid=1',
      'http://127.0.0.1:8889/images/cover-12.svg',
      'http://localhost:8889/images/a.png',
    ])
      expect(isImageUrl(ok), ok).toBe(true);
  });

  it('refuses scripts, inline data, other schemes, plain http elsewhere and credentials', () => {
    for (const bad of [
      'javascript:alert(1)',
      'data:image/svg+xml,<svg onload=alert(1)>',
      'blob:https://example.com/1',
      'file:///etc/passwd',
      'http://tracker.example/pixel.gif',
      'https://me:secret@i.scdn.co/image/x',
      '//i.scdn.co/image/x',
      'not a url',
      `https://i.scdn.co/${'x'.repeat(2100)}`,
      42,
    ])
      expect(isImageUrl(bad), String(bad)).toBe(false);
  });
});

/**
 * Spotify's rules for registering a redirect URI (since 2025): HTTPS, except
 * loopback, which must be an IP literal (`http://127.0.0.1:PORT/...` or
 * `http://[::1]:PORT/...`); `localhost` is refused. Returns a reason or null.
 */
export function redirectUriProblem(uri: string): string | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.hash) return 'must not contain a fragment';
  if (url.protocol === 'https:')
    return url.hostname === 'localhost' ? 'must not use localhost: use 127.0.0.1 or [::1]' : null;
  if (url.protocol !== 'http:') return 'must use https (or http on a loopback IP literal)';
  if (url.hostname === 'localhost') return 'must not use localhost: use 127.0.0.1 or [::1]';
  if (url.hostname !== '127.0.0.1' && url.hostname !== '[::1]')
    return 'must use https unless it is a loopback IP literal';
  return null;
}

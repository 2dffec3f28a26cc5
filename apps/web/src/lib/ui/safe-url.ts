// Links into Spotify that arrived from outside (a backup file, a stored row a
// file may have written). Rendered as an <a href>, a `javascript:` URL runs in
// the app's origin, and any other host is a phishing page dressed as "Open in
// Spotify". So only what the Web API itself hands out passes: an https link on
// open.spotify.com, with no user name, password or port.

const SPOTIFY_WEB = 'open.spotify.com';

/** The link, normalised, when it is an `https://open.spotify.com/` URL; null for anything else. */
export function spotifyWebUrl(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const ok =
    parsed.protocol === 'https:' &&
    parsed.hostname === SPOTIFY_WEB &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === '';
  return ok ? parsed.href : null;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * An image address a stored row may hold (covers, avatars): an https URL
 * without user name or password, or plain http on this machine (the demo's
 * emulator). `data:`, `blob:`, `javascript:` and the like never pass. Which
 * hosts an image may then load from is the page's Content-Security-Policy
 * (img-src: Spotify's image hosts), so a row cannot make the app call out.
 */
export function isImageUrl(url: unknown): boolean {
  if (typeof url !== 'string' || url.length > 2048) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username !== '' || parsed.password !== '') return false;
  if (parsed.protocol === 'https:') return true;
  return parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname);
}

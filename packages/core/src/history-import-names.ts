// Keys for songs the export names but does not identify. Account-data rows
// (StreamingHistory_music_*.json) carry only artist and title, and some
// extended rows (local files) carry names without a URI. Such plays are stored
// under a name key so they count in the diary from day one, and are joined to a
// real Spotify id as soon as the same artist + title is seen with a URI.

const NAME_KEY_PREFIX = 'name:';
// U+001F (unit separator) cannot survive normalisation (control characters are
// removed), so "a" + "b c" and "a b" + "c" can never produce the same key.
const SEPARATOR = '\u001f';
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200d\u2060\ufeff]/g;
const SPACES = /\s+/gu;

/**
 * NFKC, case-folded, whitespace collapsed. JavaScript has no full case fold;
 * upper- then lower-casing approximates it (ß -> ss, final sigma -> sigma) and
 * a second NFKC pass keeps the result stable when applied again.
 */
export function normaliseName(name: string): string {
  const folded = name.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
  return folded.replace(CONTROL, '').replace(SPACES, ' ').trim();
}

/** A stable key for a song known only by artist and title. */
export function nameKey(artist: string, title: string): string {
  return `${NAME_KEY_PREFIX}${normaliseName(artist)}${SEPARATOR}${normaliseName(title)}`;
}

/** A name key, never a Spotify id (':' is not base 62; see spotify-ids.ts). */
export function isNameKey(trackId: string): boolean {
  return trackId.startsWith(NAME_KEY_PREFIX);
}

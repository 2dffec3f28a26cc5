/** Every scope the accounts service knows (from openapi.yml's security scheme). */
export const KNOWN_SCOPES: ReadonlySet<string> = new Set([
  'app-remote-control',
  'playlist-read-private',
  'playlist-read-collaborative',
  'playlist-modify-private',
  'playlist-modify-public',
  'user-follow-modify',
  'user-follow-read',
  'user-read-playback-position',
  'user-top-read',
  'user-read-recently-played',
  'user-library-modify',
  'user-library-read',
  'user-read-email',
  'user-read-private',
  'ugc-image-upload',
  'user-modify-playback-state',
  'user-read-playback-state',
  'user-read-currently-playing',
  'streaming',
  'user-soa-link',
  'user-soa-unlink',
  'user-manage-entitlements',
  'user-manage-partner',
  'user-create-partner',
]);

export const SCOPE_WORDS: Record<string, string> = {
  'user-top-read': 'Read your top artists and tracks',
  'user-read-recently-played': 'Read your recently played tracks',
  'playlist-modify-private': 'Create and edit your private playlists',
  'playlist-modify-public': 'Create and edit your public playlists',
  'playlist-read-private': 'Read your private playlists',
};

export function parseScopes(raw: string | undefined): string[] {
  if (!raw) return [];
  return [...new Set(raw.split(/[\s+]+/).filter((s) => s.length > 0))];
}

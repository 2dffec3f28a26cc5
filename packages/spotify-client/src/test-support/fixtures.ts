// Builders of Web API objects as Spotify sends them in late 2026 (no
// popularity, followers, available_markets), each overridable per test.
let seq = 0;
const nextId = (p: string) => `${p}${(++seq).toString(36).padStart(6, '0')}`;

export function imageObjects(id: string) {
  return [
    { url: `https://i.scdn.co/image/${id}-640`, width: 640, height: 640 },
    { url: `https://i.scdn.co/image/${id}-300`, width: 300, height: 300 },
    { url: `https://i.scdn.co/image/${id}-64`, width: 64, height: 64 },
  ];
}

export function artistObject(
  o: Partial<{ id: string; name: string; genres: string[] | undefined; images: unknown[] }> = {},
) {
  const id = o.id ?? nextId('ar');
  const a: Record<string, unknown> = {
    id,
    name: o.name ?? `Artist ${id}`,
    type: 'artist',
    uri: `spotify:artist:${id}`,
    href: `https://api.spotify.com/v1/artists/${id}`,
    external_urls: { spotify: `https://open.spotify.com/artist/${id}` },
    images: o.images ?? imageObjects(id),
  };
  if ('genres' in o) {
    if (o.genres !== undefined) a['genres'] = o.genres;
  } else a['genres'] = ['indie'];
  return a;
}

export function trackObject(
  o: Partial<{
    id: string;
    name: string;
    isrc: string | null;
    artists: unknown[];
    albumImages: unknown[];
    durationMs: number;
  }> = {},
) {
  const id = o.id ?? nextId('tr');
  const albumId = `al${id}`;
  const artist = artistObject();
  return {
    id,
    name: o.name ?? `Track ${id}`,
    type: 'track',
    uri: `spotify:track:${id}`,
    href: `https://api.spotify.com/v1/tracks/${id}`,
    duration_ms: o.durationMs ?? 201_000,
    explicit: false,
    disc_number: 1,
    track_number: 1,
    is_local: false,
    external_ids: o.isrc === null ? {} : { isrc: o.isrc ?? `USX${id.slice(-9).toUpperCase()}` },
    external_urls: { spotify: `https://open.spotify.com/track/${id}` },
    artists: o.artists ?? [
      { id: artist['id'], name: artist['name'], type: 'artist', uri: artist['uri'] },
    ],
    album: {
      id: albumId,
      name: `Album ${albumId}`,
      album_type: 'album',
      type: 'album',
      total_tracks: 10,
      release_date: '2024-03-01',
      release_date_precision: 'day',
      uri: `spotify:album:${albumId}`,
      href: `https://api.spotify.com/v1/albums/${albumId}`,
      external_urls: { spotify: `https://open.spotify.com/album/${albumId}` },
      images: o.albumImages ?? imageObjects(albumId),
      artists: [],
    },
  };
}

export function paging<T>(
  items: T[],
  o: { offset?: number; limit?: number; total?: number; href?: string } = {},
) {
  const offset = o.offset ?? 0;
  const limit = o.limit ?? 20;
  const total = o.total ?? items.length;
  const href = o.href ?? 'https://api.spotify.com/v1/x';
  return {
    href: `${href}?offset=${offset}&limit=${limit}`,
    items,
    limit,
    offset,
    total,
    next: offset + items.length < total ? `${href}?offset=${offset + limit}&limit=${limit}` : null,
    previous: offset > 0 ? `${href}?offset=${Math.max(0, offset - limit)}&limit=${limit}` : null,
  };
}

export function userObject(
  o: Partial<{ id: string; account_id: string | undefined; display_name: string | null }> = {},
) {
  const id = o.id ?? 'listener';
  const u: Record<string, unknown> = {
    id,
    type: 'user',
    uri: `spotify:user:${id}`,
    href: `https://api.spotify.com/v1/users/${id}`,
    display_name: 'display_name' in o ? o.display_name : 'Listener',
    external_urls: { spotify: `https://open.spotify.com/user/${id}` },
    images: [
      { url: 'https://i.scdn.co/image/u-64', width: 64, height: 64 },
      { url: 'https://i.scdn.co/image/u-300', width: 300, height: 300 },
    ],
  };
  if ('account_id' in o) {
    if (o.account_id !== undefined) u['account_id'] = o.account_id;
  } else u['account_id'] = `acc-${id}`;
  return u;
}

export function audioFeaturesObject(id: string, seed = 0.5) {
  return {
    id,
    type: 'audio_features',
    uri: `spotify:track:${id}`,
    acousticness: seed / 2,
    danceability: seed,
    energy: 1 - seed / 3,
    instrumentalness: 0.01,
    key: 5,
    liveness: 0.1,
    loudness: -6.5,
    mode: 1,
    speechiness: 0.04,
    tempo: 118,
    time_signature: 4,
    valence: seed / 3,
    duration_ms: 200_000,
  };
}

export function reccobeatsRow(spotifyId: string, seed = 0.5) {
  return {
    id: `rb-${spotifyId}-uuid`,
    href: `https://open.spotify.com/track/${spotifyId}`,
    isrc: 'USX000000001',
    acousticness: seed / 2,
    danceability: seed,
    energy: 1 - seed / 3,
    instrumentalness: 0.02,
    key: 3,
    liveness: 0.2,
    loudness: -8,
    mode: 0,
    speechiness: 0.05,
    tempo: 96,
    valence: seed / 4,
  };
}

export function playlistObject(o: {
  id: string;
  name: string;
  description: string;
  ownerId?: string;
}) {
  return {
    id: o.id,
    name: o.name,
    description: o.description,
    public: false,
    collaborative: false,
    type: 'playlist',
    uri: `spotify:playlist:${o.id}`,
    href: `https://api.spotify.com/v1/playlists/${o.id}`,
    external_urls: { spotify: `https://open.spotify.com/playlist/${o.id}` },
    images: [],
    owner: {
      id: o.ownerId ?? 'listener',
      type: 'user',
      uri: `spotify:user:${o.ownerId ?? 'listener'}`,
    },
    snapshot_id: 'snap0',
    items: { href: `https://api.spotify.com/v1/playlists/${o.id}/items`, total: 0 },
  };
}

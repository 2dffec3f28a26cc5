// JSON shapes of the Web API as it is in late 2026 (see API-NOTES.md): the
// fields Spotify removed in 2026 (track popularity/available_markets/
// linked_from, artist popularity/followers, album popularity/label, user
// country/email/product/followers) are deliberately absent, so a client that
// still reads them fails here the way it would against Spotify.
import {
  type Catalogue,
  type CatalogueAlbum,
  type CatalogueArtist,
  type CatalogueTrack,
  CLUSTERS,
} from './catalogue.js';
import { hash32 } from './random.js';
import type { StoredPlaylist } from './state.js';
import type { EmulatorUser } from './users.js';

const OPEN = 'https://open.spotify.com';
const MARKETS = ['DE', 'FR', 'GB', 'NL', 'SE', 'US'];

export function imageObjects(base: string, id: string) {
  // One SVG scales to every size; Spotify lists 640, 300 and 64 px.
  const url = `${base}/images/${id}.svg`;
  return [640, 300, 64].map((size) => ({ url, height: size, width: size }));
}

export function simplifiedArtist(base: string, a: CatalogueArtist) {
  return {
    external_urls: { spotify: `${OPEN}/artist/${a.id}` },
    href: `${base}/v1/artists/${a.id}`,
    id: a.id,
    name: a.name,
    type: 'artist' as const,
    uri: `spotify:artist:${a.id}`,
  };
}

export function artistObject(base: string, a: CatalogueArtist) {
  const obj: Record<string, unknown> = {
    ...simplifiedArtist(base, a),
    images: imageObjects(base, a.id),
  };
  // `genres` is deprecated and often missing now: leave it out for a share of artists.
  if (hash32(0, a.id) % 3 !== 0) obj.genres = [CLUSTERS[a.cluster]?.name ?? 'pop'];
  return obj;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function simplifiedAlbum(base: string, c: Catalogue, album: CatalogueAlbum) {
  const artist = c.artists[album.artist] as CatalogueArtist;
  return {
    album_type: album.albumType,
    total_tracks: album.tracks.length,
    available_markets: MARKETS,
    external_urls: { spotify: `${OPEN}/album/${album.id}` },
    href: `${base}/v1/albums/${album.id}`,
    id: album.id,
    images: imageObjects(base, album.id),
    name: album.name,
    release_date: isoDay(album.releasedAt),
    release_date_precision: 'day' as const,
    type: 'album' as const,
    uri: `spotify:album:${album.id}`,
    artists: [simplifiedArtist(base, artist)],
  };
}

export function trackObject(base: string, c: Catalogue, t: CatalogueTrack) {
  const artists = [c.artists[t.artist] as CatalogueArtist];
  if (t.featuring >= 0) artists.push(c.artists[t.featuring] as CatalogueArtist);
  return {
    album: simplifiedAlbum(base, c, c.albums[t.album] as CatalogueAlbum),
    artists: artists.map((a) => simplifiedArtist(base, a)),
    disc_number: 1,
    duration_ms: t.durationMs,
    explicit: t.explicit,
    external_ids: { isrc: t.isrc },
    external_urls: { spotify: `${OPEN}/track/${t.id}` },
    href: `${base}/v1/tracks/${t.id}`,
    id: t.id,
    is_local: false,
    name: t.name,
    preview_url: null,
    track_number: t.trackNumber,
    type: 'track' as const,
    uri: `spotify:track:${t.id}`,
  };
}

export function audioFeaturesObject(base: string, t: CatalogueTrack) {
  const f = t.features;
  return {
    acousticness: f.acousticness,
    analysis_url: `${base}/v1/audio-analysis/${t.id}`,
    danceability: f.danceability,
    duration_ms: t.durationMs,
    energy: f.energy,
    id: t.id,
    instrumentalness: f.instrumentalness,
    key: f.key,
    liveness: f.liveness,
    loudness: f.loudness,
    mode: f.mode,
    speechiness: f.speechiness,
    tempo: f.tempo,
    time_signature: f.timeSignature,
    track_href: `${base}/v1/tracks/${t.id}`,
    type: 'audio_features' as const,
    uri: `spotify:track:${t.id}`,
    valence: f.valence,
  };
}

export function privateUser(base: string, u: EmulatorUser) {
  return {
    account_id: u.accountId,
    display_name: u.displayName,
    external_urls: { spotify: `${OPEN}/user/${u.id}` },
    href: `${base}/v1/users/${u.id}`,
    id: u.id,
    images: [],
    type: 'user',
    uri: `spotify:user:${u.id}`,
  };
}

export function playlistOwner(base: string, u: EmulatorUser) {
  return {
    external_urls: { spotify: `${OPEN}/user/${u.id}` },
    href: `${base}/v1/users/${u.id}`,
    id: u.id,
    type: 'user' as const,
    uri: `spotify:user:${u.id}`,
    display_name: u.displayName,
  };
}

export function snapshotId(p: StoredPlaylist): string {
  return Buffer.from(
    `${p.snapshotVersion},${hash32(p.snapshotVersion, p.id).toString(16)}`,
  ).toString('base64');
}

export function playlistBase(base: string, p: StoredPlaylist, owner: EmulatorUser) {
  return {
    collaborative: p.collaborative,
    description: p.description,
    external_urls: { spotify: `${OPEN}/playlist/${p.id}` },
    href: `${base}/v1/playlists/${p.id}`,
    id: p.id,
    images: [] as { url: string; height: number; width: number }[],
    name: p.name,
    owner: playlistOwner(base, owner),
    public: p.public,
    snapshot_id: snapshotId(p),
    type: 'playlist',
    uri: `spotify:playlist:${p.id}`,
  };
}

export interface Page<T> {
  href: string;
  items: T[];
  limit: number;
  next: string | null;
  offset: number;
  previous: string | null;
  total: number;
}

/** An offset paging object; `url` is the endpoint URL with its other query parameters. */
export function page<T>(url: URL, all: T[], offset: number, limit: number): Page<T> {
  const link = (o: number) => {
    const u = new URL(url);
    u.searchParams.set('offset', String(o));
    u.searchParams.set('limit', String(limit));
    return u.toString();
  };
  return {
    href: link(offset),
    items: all.slice(offset, offset + limit),
    limit,
    next: offset + limit < all.length ? link(offset + limit) : null,
    offset,
    previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
    total: all.length,
  };
}

// The synthetic catalogue: artists grouped into genre-like clusters, their
// albums and tracks. Audio features are drawn around each cluster's centre so
// that mood scoring in the app finds real structure (a "dance" cluster is
// energetic and danceable, an "ambient" one is quiet and instrumental).
import { albumName, artistName, trackName } from './names.js';
import { type Rng, base62Id, clamp, int, normal, pick, rngFor } from './random.js';

export interface Cluster {
  name: string;
  energy: number;
  valence: number;
  danceability: number;
  tempo: number;
  acousticness: number;
  instrumentalness: number;
  speechiness: number;
}

export const CLUSTERS: readonly Cluster[] = [
  {
    name: 'indie pop',
    energy: 0.62,
    valence: 0.6,
    danceability: 0.62,
    tempo: 118,
    acousticness: 0.2,
    instrumentalness: 0.05,
    speechiness: 0.05,
  },
  {
    name: 'synthwave',
    energy: 0.74,
    valence: 0.48,
    danceability: 0.68,
    tempo: 122,
    acousticness: 0.05,
    instrumentalness: 0.45,
    speechiness: 0.04,
  },
  {
    name: 'folk',
    energy: 0.3,
    valence: 0.42,
    danceability: 0.45,
    tempo: 98,
    acousticness: 0.82,
    instrumentalness: 0.08,
    speechiness: 0.04,
  },
  {
    name: 'hip hop',
    energy: 0.66,
    valence: 0.52,
    danceability: 0.8,
    tempo: 94,
    acousticness: 0.1,
    instrumentalness: 0.01,
    speechiness: 0.28,
  },
  {
    name: 'rock',
    energy: 0.85,
    valence: 0.5,
    danceability: 0.45,
    tempo: 134,
    acousticness: 0.05,
    instrumentalness: 0.05,
    speechiness: 0.05,
  },
  {
    name: 'jazz',
    energy: 0.35,
    valence: 0.52,
    danceability: 0.52,
    tempo: 108,
    acousticness: 0.7,
    instrumentalness: 0.62,
    speechiness: 0.05,
  },
  {
    name: 'ambient',
    energy: 0.16,
    valence: 0.22,
    danceability: 0.25,
    tempo: 78,
    acousticness: 0.88,
    instrumentalness: 0.9,
    speechiness: 0.03,
  },
  {
    name: 'house',
    energy: 0.86,
    valence: 0.74,
    danceability: 0.86,
    tempo: 126,
    acousticness: 0.02,
    instrumentalness: 0.42,
    speechiness: 0.05,
  },
  {
    name: 'soul',
    energy: 0.5,
    valence: 0.62,
    danceability: 0.7,
    tempo: 100,
    acousticness: 0.28,
    instrumentalness: 0.02,
    speechiness: 0.06,
  },
  {
    name: 'punk',
    energy: 0.95,
    valence: 0.38,
    danceability: 0.38,
    tempo: 162,
    acousticness: 0.01,
    instrumentalness: 0.08,
    speechiness: 0.07,
  },
  {
    name: 'latin pop',
    energy: 0.8,
    valence: 0.86,
    danceability: 0.85,
    tempo: 112,
    acousticness: 0.15,
    instrumentalness: 0.0,
    speechiness: 0.08,
  },
  {
    name: 'sad pop',
    energy: 0.38,
    valence: 0.18,
    danceability: 0.48,
    tempo: 90,
    acousticness: 0.55,
    instrumentalness: 0.02,
    speechiness: 0.04,
  },
];

export interface CatalogueArtist {
  index: number;
  id: string;
  name: string;
  cluster: number;
  albums: number[];
  tracks: number[];
}

export interface CatalogueAlbum {
  index: number;
  id: string;
  name: string;
  artist: number;
  /** Release day as ms epoch (UTC midnight). */
  releasedAt: number;
  albumType: 'album' | 'single';
  tracks: number[];
}

export interface TrackFeatures {
  energy: number;
  valence: number;
  danceability: number;
  tempo: number;
  acousticness: number;
  instrumentalness: number;
  speechiness: number;
  liveness: number;
  loudness: number;
  key: number;
  mode: number;
  timeSignature: number;
}

export interface CatalogueTrack {
  index: number;
  id: string;
  name: string;
  artist: number;
  /** A featured artist, or -1. */
  featuring: number;
  album: number;
  trackNumber: number;
  durationMs: number;
  explicit: boolean;
  isrc: string;
  /** How catchy the listener finds it, relative to the artist's other tracks. */
  appeal: number;
  features: TrackFeatures;
}

export interface Catalogue {
  artists: CatalogueArtist[];
  albums: CatalogueAlbum[];
  tracks: CatalogueTrack[];
  trackById: Map<string, CatalogueTrack>;
  artistById: Map<string, CatalogueArtist>;
  albumById: Map<string, CatalogueAlbum>;
}

const DAY = 86_400_000;
const FIRST_RELEASE = Date.UTC(1998, 0, 1);
const LAST_RELEASE = Date.UTC(2030, 0, 1);
const REGISTRANTS = ['USRC1', 'GBAYE', 'USUM7', 'DEUM7', 'FRZ03', 'SEBGA', 'NLA32', 'QZES8'];

export const ARTIST_COUNT = 320;

function features(r: Rng, c: Cluster): TrackFeatures {
  const unit = (centre: number, spread: number) => clamp(centre + normal(r) * spread, 0, 1);
  const energy = unit(c.energy, 0.1);
  return {
    energy,
    valence: unit(c.valence, 0.14),
    danceability: unit(c.danceability, 0.09),
    tempo: Math.round(clamp(c.tempo + normal(r) * 12, 55, 205) * 1000) / 1000,
    acousticness: unit(c.acousticness, 0.1),
    instrumentalness: unit(c.instrumentalness, 0.1),
    speechiness: unit(c.speechiness, 0.03),
    liveness: clamp(0.05 + r() * r() * 0.7, 0, 1),
    loudness: Math.round((-18 + energy * 15 + normal(r) * 1.5) * 1000) / 1000,
    key: int(r, 0, 11),
    mode: r() < 0.62 ? 1 : 0,
    timeSignature: r() < 0.9 ? 4 : 3,
  };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export function buildCatalogue(seed: number): Catalogue {
  const r = rngFor(seed, 'catalogue');
  const artists: CatalogueArtist[] = [];
  const albums: CatalogueAlbum[] = [];
  const tracks: CatalogueTrack[] = [];
  const usedIds = new Set<string>();
  const uniqueId = () => {
    let id = base62Id(r);
    while (usedIds.has(id)) id = base62Id(r);
    usedIds.add(id);
    return id;
  };
  const usedArtistNames = new Set<string>();
  for (let a = 0; a < ARTIST_COUNT; a++) {
    let name = artistName(r);
    while (usedArtistNames.has(name)) name = artistName(r);
    usedArtistNames.add(name);
    artists.push({
      index: a,
      id: uniqueId(),
      name,
      cluster: int(r, 0, CLUSTERS.length - 1),
      albums: [],
      tracks: [],
    });
  }
  for (const artist of artists) {
    const cluster = CLUSTERS[artist.cluster] as Cluster;
    const debut = FIRST_RELEASE + Math.floor(r() * (LAST_RELEASE - FIRST_RELEASE - 4 * 365 * DAY));
    const albumCount = int(r, 1, 4);
    let releasedAt = Math.floor(debut / DAY) * DAY;
    for (let k = 0; k < albumCount; k++) {
      const single = r() < 0.25;
      const album: CatalogueAlbum = {
        index: albums.length,
        id: uniqueId(),
        name: albumName(r),
        artist: artist.index,
        releasedAt,
        albumType: single ? 'single' : 'album',
        tracks: [],
      };
      albums.push(album);
      artist.albums.push(album.index);
      const trackCount = single ? int(r, 1, 2) : int(r, 5, 11);
      const registrant = pick(r, REGISTRANTS);
      const yy = String(new Date(releasedAt).getUTCFullYear() % 100).padStart(2, '0');
      for (let n = 1; n <= trackCount; n++) {
        const f = features(r, cluster);
        const track: CatalogueTrack = {
          index: tracks.length,
          id: uniqueId(),
          name: trackName(r),
          artist: artist.index,
          featuring: r() < 0.08 ? int(r, 0, ARTIST_COUNT - 1) : -1,
          album: album.index,
          trackNumber: n,
          durationMs: Math.round(
            clamp(
              215_000 + normal(r) * 45_000 + (cluster.name === 'punk' ? -50_000 : 0),
              95_000,
              460_000,
            ),
          ),
          explicit: cluster.name === 'hip hop' ? r() < 0.6 : r() < 0.08,
          isrc: `${registrant}${yy}${String(int(r, 0, 99_999)).padStart(5, '0')}`.slice(0, 12),
          appeal: Math.exp(normal(r) * 0.9),
          features: {
            ...f,
            energy: round3(f.energy),
            valence: round3(f.valence),
            danceability: round3(f.danceability),
            acousticness: round3(f.acousticness),
            instrumentalness: round3(f.instrumentalness),
            speechiness: round3(f.speechiness),
            liveness: round3(f.liveness),
          },
        };
        if (track.featuring === artist.index) track.featuring = -1;
        tracks.push(track);
        album.tracks.push(track.index);
        artist.tracks.push(track.index);
      }
      releasedAt += Math.floor(((200 + r() * 900) * DAY) / DAY) * DAY;
    }
  }
  return {
    artists,
    albums,
    tracks,
    trackById: new Map(tracks.map((t) => [t.id, t])),
    artistById: new Map(artists.map((a) => [a.id, a])),
    albumById: new Map(albums.map((a) => [a.id, a])),
  };
}

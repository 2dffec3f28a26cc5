// A test double for the playlist half of the Spotify client, with the
// behaviour the outbox relies on (pushTracks resumes from what the playlist
// holds) and failures that can strike before or after Spotify applied a write,
// the way a dropped connection does.
import { SpotifyError, type SpotifyErrorCode } from '@mtm/spotify-client';
import type { OutboxClient } from './outbox';

export interface FakePlaylist {
  id: string;
  name: string;
  description: string;
  public: boolean;
  uris: string[];
}

type Op = 'create' | 'find' | 'read' | 'add';

/** What the real client throws, so the outbox sees the same typed errors in tests. */
export class FakeSpotifyError extends SpotifyError {
  constructor(code: SpotifyErrorCode, retryAt: number | null = null) {
    super(code, `fake ${code}`, { retryAt });
  }
}

interface Fault {
  op: Op;
  error: Error;
  /** true: Spotify applied the write, then the answer was lost */
  applied: boolean;
}

export class FakeSpotify implements OutboxClient {
  readonly playlists: FakePlaylist[] = [];
  readonly requests: Record<Op, number> = { create: 0, find: 0, read: 0, add: 0 };
  #faults: Fault[] = [];
  #nextId = 1;

  failNext(op: Op, error: Error, applied = false): void {
    this.#faults.push({ op, error, applied });
  }

  get totalRequests(): number {
    return this.requests.create + this.requests.find + this.requests.read + this.requests.add;
  }

  #call<T>(op: Op, effect: () => T): T {
    this.requests[op]++;
    const i = this.#faults.findIndex((f) => f.op === op);
    if (i >= 0) {
      const [fault] = this.#faults.splice(i, 1);
      if (fault!.applied) effect();
      throw fault!.error;
    }
    return effect();
  }

  async createPlaylist(p: { name: string; description: string; public?: boolean }) {
    return this.#call('create', () => {
      const id = `pl${this.#nextId++}`;
      this.playlists.push({
        id,
        name: p.name,
        description: p.description,
        public: p.public ?? true,
        uris: [],
      });
      return { id, url: `https://open.spotify.com/playlist/${id}`, uri: `spotify:playlist:${id}` };
    });
  }

  async findMyPlaylist(match: (p: { id: string; name: string; description: string }) => boolean) {
    return this.#call('find', () => {
      const p = this.playlists.find((x) =>
        match({ id: x.id, name: x.name, description: x.description }),
      );
      return p ? { id: p.id, url: `https://open.spotify.com/playlist/${p.id}` } : null;
    });
  }

  #playlist(id: string): FakePlaylist {
    const p = this.playlists.find((x) => x.id === id);
    if (!p) throw new FakeSpotifyError('NOT_FOUND');
    return p;
  }

  async pushTracks(
    playlistId: string,
    uris: string[],
    o: { onProgress?: (added: number) => void; freshlyCreated?: boolean } = {},
  ): Promise<void> {
    let have = 0;
    if (!o.freshlyCreated) {
      const held = this.#call('read', () => [...this.#playlist(playlistId).uris]);
      if (held.some((u, i) => u !== uris[i])) throw new FakeSpotifyError('BAD_REQUEST');
      have = held.length;
    }
    for (let at = have; at < uris.length; at += 100) {
      const batch = uris.slice(at, at + 100);
      this.#call('add', () => {
        const p = this.#playlist(playlistId);
        p.uris.splice(at, 0, ...batch);
      });
      o.onProgress?.(at + batch.length);
    }
  }
}

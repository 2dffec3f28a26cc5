// Appending a long list of tracks to a playlist exactly once, in order.
//
// POST /playlists/{id}/items is not idempotent: after a 5xx or a dropped
// connection nobody knows whether the batch was added, and sending it again
// may add it twice. So the playlist itself is the ledger: what it already
// holds must be a prefix of the wanted list, and the push continues from the
// end of that prefix. After an ambiguous failure the items are read again
// before anything else is sent. Because the state lives in Spotify, a later
// call with the same playlist id and list (a closed tab, a crash) resumes
// without duplicates.
import { SpotifyError, isAmbiguous } from './errors.js';
import { abortError, throwIfAborted } from './semaphore.js';
import { backoffDelay, type TransportConfig } from './transport.js';

// Spotify accepts at most 100 URIs per add-items request (more is a 400). A
// batch is also the unit of ambiguity: Spotify applies one request entirely or
// not at all, so a re-read after a failure shows either the whole batch or none
// of it. Keeping batches at the maximum keeps the cost at ceil(N/100) requests.
export const ADD_ITEMS_BATCH = 100;

export interface PushOps {
  /** URIs from `offset` (default 0) to the end. */
  playlistItemUris(
    playlistId: string,
    o: { signal?: AbortSignal; offset?: number },
  ): Promise<string[]>;
  addItems(
    playlistId: string,
    uris: string[],
    o: { position: number; signal?: AbortSignal },
  ): Promise<{ snapshotId: string }>;
}

export interface PushOptions {
  signal?: AbortSignal;
  onProgress?: (added: number) => void;
  freshlyCreated?: boolean;
}

export async function pushTracks(
  cfg: Pick<
    TransportConfig,
    'sleep' | 'random' | 'backoffBaseMs' | 'backoffCapMs' | 'maxRetries' | 'stats'
  >,
  ops: PushOps,
  playlistId: string,
  uris: readonly string[],
  o: PushOptions = {},
): Promise<void> {
  const { signal } = o;
  const opt = signal ? { signal } : {};
  // How many of `uris` the playlist is known to hold (as its prefix); null = must read.
  let present: number | null = o.freshlyCreated ? 0 : null;
  // After an ambiguous failure, where the unknown part starts: only the tail is read again.
  let checkFrom = 0;
  let ambiguous = 0;

  for (;;) {
    throwIfAborted(signal);
    if (present === null) {
      const tail = await ops.playlistItemUris(playlistId, { ...opt, offset: checkFrom });
      present = checkFrom + prefixLength(tail, uris.slice(checkFrom), checkFrom);
      o.onProgress?.(present);
    }
    if (present === uris.length) return;

    const batch = uris.slice(present, present + ADD_ITEMS_BATCH);
    try {
      // An explicit position, not an append: should something else have been
      // added meanwhile, the order of our list still holds.
      await ops.addItems(playlistId, batch, { ...opt, position: present });
      present += batch.length;
      ambiguous = 0; // the bound is on failures in a row: progress proves the path works
      o.onProgress?.(present);
    } catch (e) {
      if (!isAmbiguous(e) || ambiguous >= cfg.maxRetries) throw e;
      ambiguous++;
      const ms = backoffDelay(cfg, ambiguous - 1);
      cfg.stats.waitedMs += ms;
      try {
        await cfg.sleep(ms, signal);
      } catch (err) {
        if (signal?.aborted) throw abortError(signal);
        throw err;
      }
      checkFrom = present;
      present = null;
    }
  }
}

/** Length of `current` when it is a prefix of `wanted`; otherwise the push cannot continue safely. */
function prefixLength(
  current: readonly string[],
  wanted: readonly string[],
  offset: number,
): number {
  if (current.length > wanted.length) {
    throw new SpotifyError(
      'BAD_REQUEST',
      `The playlist holds ${offset + current.length} items, more than the ${offset + wanted.length} to push`,
    );
  }
  for (let i = 0; i < current.length; i++) {
    if (current[i] !== wanted[i]) {
      throw new SpotifyError(
        'BAD_REQUEST',
        `The playlist differs from the list to push at position ${offset + i}`,
      );
    }
  }
  return current.length;
}

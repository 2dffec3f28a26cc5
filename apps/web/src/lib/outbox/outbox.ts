// The push outbox: every "Push to Spotify" becomes a row first, then a small
// state machine moves it pending -> creating -> adding -> done, or to failed
// with the reason (and, for waits, when it continues). Each step is saved
// before the request that depends on it, so a push cut at any point (tab
// closed, network lost, 429, 5xx) resumes later and ends with exactly one
// playlist holding exactly the tracks, in order:
//
// - `creating` is saved (createAttempted = true) BEFORE createPlaylist. If we
//   die after Spotify created the playlist but before we saved its id, the
//   retry sees createAttempted and looks for the playlist carrying our marker
//   instead of creating a second one. The first attempt skips that lookup: no
//   playlist with a marker nobody has sent yet can exist, and a push that meets
//   no failure then costs 1 + ceil(N/100) requests.
// - `adding` is saved with the playlist id BEFORE any track is added; the
//   client's pushTracks reads what the playlist already holds and adds only the
//   rest, so resuming between batches neither skips nor repeats a track.
import { isSpotifyTrackId, isTrackUri, trackUri } from '@mtm/core';
import { SpotifyError } from '@mtm/spotify-client';
import type { TimeMachineDb } from '../db/schema';
import { errorCode, type AppErrorCode } from '../ui/error-words';
import {
  addOutboxEntry,
  changeOutboxEntry,
  deleteOutboxEntry,
  getOutboxEntry,
  outboxEntries,
  saveOutboxEntry,
  saveOutboxProgress,
} from '../db/outbox';
import { describeWithMarker, carriesMarker } from './marker';
import { isDue, resumeState, type DueReason, type OutboxEntry } from './outbox-entry';

/** The part of @mtm/spotify-client's SpotifyClient the outbox uses. */
export interface OutboxClient {
  createPlaylist(
    p: { name: string; description: string; public?: boolean },
    o?: { signal?: AbortSignal },
  ): Promise<{ id: string; url: string; uri: string }>;
  findMyPlaylist(
    match: (p: { id: string; name: string; description: string }) => boolean,
    o?: { signal?: AbortSignal },
  ): Promise<{ id: string; url: string } | null>;
  pushTracks(
    playlistId: string,
    uris: string[],
    o?: { signal?: AbortSignal; onProgress?: (added: number) => void; freshlyCreated?: boolean },
  ): Promise<void>;
}

export interface OutboxDeps {
  db: TimeMachineDb;
  client: OutboxClient;
  now: () => number;
  signal?: AbortSignal;
}

export interface NewPush {
  accountId: string;
  name: string;
  description: string;
  uris: string[];
  origin?: string;
  /** Tests pass one; the app uses a random UUID. */
  id?: string;
}

/** Queues a playlist; nothing is sent until a pass runs (see OutboxRunner). */
export async function enqueuePush(
  db: TimeMachineDb,
  push: NewPush,
  now: number,
): Promise<OutboxEntry> {
  if (push.uris.length === 0) throw new Error('A playlist needs at least one track.');
  const bad = push.uris.find((u) => !isTrackUri(u));
  if (bad !== undefined) throw new Error(`Not a Spotify track URI: ${bad}`);
  const entry: OutboxEntry = {
    id: push.id ?? crypto.randomUUID(),
    accountId: push.accountId,
    createdAt: now,
    updatedAt: now,
    state: 'pending',
    name: push.name,
    description: push.description,
    uris: [...push.uris],
    playlistId: null,
    playlistUrl: null,
    addedCount: 0,
    attempts: 0,
    lastError: null,
    createAttempted: false,
    finishedAt: null,
    ...(push.origin ? { origin: push.origin } : {}),
  };
  await addOutboxEntry(db, entry);
  return entry;
}

/** Track ids that Spotify knows; name keys from export rows without a URI cannot be pushed. */
export function trackUris(trackIds: readonly string[]): string[] {
  return trackIds.filter(isSpotifyTrackId).map(trackUri);
}

export interface Failure {
  code: AppErrorCode;
  message: string;
  retryAt: number | null;
}

const MINUTE = 60_000;

/**
 * Turns what a push threw into what the outbox stores. The client has
 * already retried what was safe to retry, so a failure here is a streak:
 * waits start short (5 s: the person is often watching the button) and double
 * with each attempt so a flaky upstream is not hammered, but never beyond 15
 * minutes.
 */
export function describeFailure(err: unknown, now: number, attempts: number): Failure {
  const code = errorCode(err);
  // SpotifyError messages are redacted by the client; nothing else reaches here with a token
  const message = err instanceof Error ? err.message : String(err);
  const spotify = err instanceof SpotifyError ? err : null;
  const backoff = Math.min(15 * MINUTE, 5_000 * 2 ** Math.max(0, attempts - 1));
  let retryAt: number | null = null;
  if (code === 'RATE_LIMITED' || code === 'QUOTA_EXCEEDED') {
    if (spotify?.retryAt != null) retryAt = spotify.retryAt;
    else if (spotify?.retryAfterMs != null) retryAt = now + spotify.retryAfterMs;
    else retryAt = now + (code === 'QUOTA_EXCEEDED' ? 60 * MINUTE : MINUTE);
  } else if (code === 'UPSTREAM' || code === 'NETWORK') {
    retryAt = now + backoff;
  }
  // a Retry-After already in the past must not turn the wait timer into a busy loop
  if (retryAt !== null) retryAt = Math.max(retryAt, now + 1000);
  return { code, message, retryAt };
}

function isAbort(err: unknown, signal?: AbortSignal): boolean {
  if (signal?.aborted) return true;
  const e = err as { code?: unknown; name?: unknown } | null;
  return e?.code === 'ABORTED' || e?.name === 'AbortError';
}

/**
 * Moves one entry as far as it can go. Returns the entry as saved last, or
 * undefined when it no longer exists. Never throws for Spotify failures: they
 * are saved on the row. An abort leaves the row in creating/adding so the next
 * pass resumes it.
 */
export async function runEntry(deps: OutboxDeps, id: string): Promise<OutboxEntry | undefined> {
  const { db, client, now, signal } = deps;
  let entry = await getOutboxEntry(db, id);
  if (!entry || entry.state === 'done') return entry;
  const save = async (patch: Partial<OutboxEntry>): Promise<OutboxEntry> => {
    entry = { ...(entry as OutboxEntry), ...patch, updatedAt: now() };
    await saveOutboxEntry(db, entry);
    return entry;
  };

  let stage: 'creating' | 'adding' = 'creating';
  // progress is only for the screen (pushTracks re-reads the playlist on resume),
  // so the writes are chained rather than awaited inside the callback
  let progress = Promise.resolve();
  try {
    let playlistId = entry.playlistId;
    let freshlyCreated = false;
    if (!playlistId) {
      let found: { id: string; url: string } | null = null;
      if (entry.createAttempted) {
        await save({ state: 'creating', attempts: entry.attempts + 1 });
        const entryId = entry.id;
        found = await client.findMyPlaylist((p) => carriesMarker(p.description, entryId), {
          signal,
        });
      } else {
        // saved before the request: from here on a playlist may exist on Spotify
        await save({ state: 'creating', createAttempted: true, attempts: entry.attempts + 1 });
      }
      if (found) {
        await save({ state: 'adding', playlistId: found.id, playlistUrl: found.url });
      } else {
        const created = await client.createPlaylist(
          {
            name: entry.name,
            description: describeWithMarker(entry.description, entry.id),
            public: false,
          },
          { signal },
        );
        freshlyCreated = true;
        await save({ state: 'adding', playlistId: created.id, playlistUrl: created.url });
      }
      playlistId = (entry as OutboxEntry).playlistId as string;
    } else {
      await save({ state: 'adding', attempts: entry.attempts + 1 });
    }

    stage = 'adding';
    await client.pushTracks(playlistId, entry.uris, {
      signal,
      freshlyCreated,
      onProgress: (added) => {
        progress = progress.then(async () => {
          await saveOutboxProgress(db, id, added, now());
          entry = { ...(entry as OutboxEntry), addedCount: added };
        });
      },
    });
    await progress;
    return await save({
      state: 'done',
      addedCount: entry.uris.length,
      lastError: null,
      finishedAt: now(),
    });
  } catch (err) {
    await progress.catch(() => undefined);
    if (isAbort(err, signal)) return entry;
    const current = entry as OutboxEntry;
    const failure = describeFailure(err, now(), current.attempts);
    // The playlist was deleted on Spotify while we were filling it: forget it so
    // a retry makes a new one rather than failing forever.
    const forget =
      stage === 'adding' && failure.code === 'NOT_FOUND'
        ? { playlistId: null, playlistUrl: null, addedCount: 0 }
        : {};
    return await save({ state: 'failed', lastError: failure, ...forget });
  }
}

export interface PassResult {
  tried: string[];
  done: string[];
  failed: string[];
}

/** Codes that would fail every other entry the same way: the pass stops at the first. */
const STOPS_PASS: ReadonlySet<string> = new Set<AppErrorCode>([
  'AUTH_EXPIRED',
  'NOT_ALLOWLISTED',
  'RATE_LIMITED',
  'QUOTA_EXCEEDED',
  'NETWORK',
]);

/**
 * Works through every due entry of one account, oldest first, each at most
 * once per pass. It looks again after each entry, so a push queued meanwhile
 * (this tab or another) is picked up in the same pass.
 */
export async function processOutbox(
  deps: OutboxDeps,
  accountId: string,
  reason: DueReason,
): Promise<PassResult> {
  const result: PassResult = { tried: [], done: [], failed: [] };
  const startedAt = deps.now();
  for (;;) {
    if (deps.signal?.aborted) return result;
    const rows = await outboxEntries(deps.db, accountId);
    const next = rows.find((e) => !result.tried.includes(e.id) && isDue(e, startedAt, reason));
    if (!next) return result;
    result.tried.push(next.id);
    const after = await runEntry(deps, next.id);
    if (after?.state === 'done') result.done.push(next.id);
    else if (after?.state === 'failed') {
      result.failed.push(next.id);
      if (after.lastError && STOPS_PASS.has(after.lastError.code)) return result;
    } else return result; // aborted
  }
}

/** The Retry button: resumes from where Spotify is known to be, never from scratch. */
export async function retryNow(db: TimeMachineDb, id: string, now: number): Promise<void> {
  await changeOutboxEntry(db, id, (e) =>
    e.state === 'failed' ? { ...e, state: resumeState(e), lastError: null, updatedAt: now } : null,
  );
}

/** Removes an entry the person no longer wants; a done entry's playlist stays on Spotify. */
export async function discard(db: TimeMachineDb, id: string): Promise<void> {
  await deleteOutboxEntry(db, id);
}

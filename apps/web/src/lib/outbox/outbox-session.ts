// Binds the outbox to the app's session (the connected account and its ready
// Spotify client, owned by lib/spotify/session). Pages call `pushSession()` or
// `ensureOutbox()` when they open; the binding follows an account switch and
// picks up the client once the server's config is known.
import type { SpotifyClient } from '@mtm/spotify-client';
import { database } from '../db/database';
import type { TimeMachineDb } from '../db/schema';
import type { AppConfig } from '../spotify/config';
import { session } from '../spotify/session.svelte';
import { outbox } from './outbox-service.svelte';

export interface PushSession {
  db: TimeMachineDb;
  accountId: string;
  /** null offline on a device that never reached the server: pushes still queue. */
  client: SpotifyClient | null;
  config: AppConfig | null;
}

let retryOnline = false;

/** The connected account's session, or null when no account is connected on this device. */
export async function pushSession(): Promise<PushSession | null> {
  await session.start();
  const accountId = session.accountId;
  if (!accountId) return null;
  const db = database();
  const client = session.client();
  outbox.attach({ db, accountId, client, connectedAccount: () => session.connectedAccount() });
  if (!client && !retryOnline && typeof window !== 'undefined') {
    // first start offline: the server's config arrives with the network, and
    // with it the client the queued pushes need
    retryOnline = true;
    window.addEventListener(
      'online',
      () => {
        retryOnline = false;
        void pushSession();
      },
      { once: true },
    );
  }
  return { db, accountId, client, config: session.config };
}

/** Resolves false when no account is connected on this device. */
export async function ensureOutbox(): Promise<boolean> {
  return (await pushSession()) !== null;
}

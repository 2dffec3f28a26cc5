// Binds the outbox to the connected account. The one place in this module
// that knows where the app keeps its database, account and Spotify client;
// pages call `ensureOutbox()` when they open, and the mood page borrows the
// same client to fetch missing audio features.
import { createSpotifyClient, type SpotifyClient } from '@mtm/spotify-client';
import { database } from '../db/database';
import { currentAccountId } from '../db/accounts';
import type { TimeMachineDb } from '../db/schema';
import { loadConfig, type AppConfig } from '../spotify/config';
import { createServerTokenProvider } from '../spotify/token-provider';
import { outbox } from './outbox-service.svelte';

export interface PushSession {
  db: TimeMachineDb;
  accountId: string;
  /** null offline on a device that never reached the server: pushes still queue. */
  client: SpotifyClient | null;
  config: AppConfig | null;
}

let session: PushSession | null = null;
let pending: Promise<PushSession | null> | null = null;

/** The connected account's session, or null when no account is connected on this device. */
export function pushSession(): Promise<PushSession | null> {
  if (session && (session.client || !navigator.onLine)) return Promise.resolve(session);
  pending ??= bind().finally(() => (pending = null));
  return pending;
}

/** Resolves false when no account is connected on this device. */
export async function ensureOutbox(): Promise<boolean> {
  return (await pushSession()) !== null;
}

async function bind(): Promise<PushSession | null> {
  const db = database();
  const accountId = await currentAccountId(db);
  if (!accountId) return null;
  const { config } = await loadConfig(db);
  const client = config
    ? createSpotifyClient({ apiBaseUrl: config.apiBaseUrl, featuresBaseUrl: config.featuresBaseUrl, tokenProvider: createServerTokenProvider() })
    : null;
  session = { db, accountId, client, config };
  outbox.attach({ db, accountId, client });
  if (!client && typeof window !== 'undefined') {
    // first start offline: the server's config arrives with the network, and
    // with it the client the queued pushes need
    window.addEventListener('online', () => void pushSession(), { once: true });
  }
  return session;
}

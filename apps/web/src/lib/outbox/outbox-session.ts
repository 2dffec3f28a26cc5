// Binds the outbox to the connected account. The one place that knows where
// the app keeps its database, account and Spotify client; pages call
// `ensureOutbox()` when they open.
import { createSpotifyClient } from '@mtm/spotify-client';
import { database } from '../db/database';
import { currentAccountId } from '../db/accounts';
import { loadConfig } from '../spotify/config';
import { createServerTokenProvider } from '../spotify/token-provider';
import { outbox } from './outbox-service.svelte';

let pending: Promise<boolean> | null = null;

/** Resolves false when no account is connected on this device. */
export function ensureOutbox(): Promise<boolean> {
  if (outbox.ready) return Promise.resolve(true);
  pending ??= bind().finally(() => (pending = null));
  return pending;
}

async function bind(): Promise<boolean> {
  const db = database();
  const accountId = await currentAccountId(db);
  if (!accountId) return false;
  const { config } = await loadConfig(db);
  const client = config
    ? createSpotifyClient({ apiBaseUrl: config.apiBaseUrl, featuresBaseUrl: config.featuresBaseUrl, tokenProvider: createServerTokenProvider() })
    : null;
  outbox.attach({ db, accountId, client });
  return true;
}

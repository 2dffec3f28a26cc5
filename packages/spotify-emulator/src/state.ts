// Everything the emulator remembers between requests, in one place so the
// route plugins stay stateless and the control endpoints can inspect it.
import type { Clock } from './clock.js';
import type { FaultPlan } from './faults.js';
import type { Listener } from './listener.js';
import type { RateLimiter } from './rate-limit.js';
import type { EmulatorUser } from './users.js';

export interface EmulatorClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export type FeaturesMode = 'development' | 'extended';
export type RotateRefreshToken = 'always' | 'never' | 'sometimes';

export interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  userKey: EmulatorUser['key'];
  scopes: string[];
  codeChallenge: string | null;
  expiresAt: number;
  consentAt: number;
}

export interface AccessTokenGrant {
  clientId: string;
  userKey: EmulatorUser['key'];
  scopes: string[];
  expiresAt: number;
}

export interface RefreshTokenGrant {
  clientId: string;
  userKey: EmulatorUser['key'];
  scopes: string[];
  /** Refreshing never extends a grant: it dies a fixed time after consent. */
  consentAt: number;
}

export interface PlaylistItem {
  uri: string;
  addedAt: number;
}

export interface StoredPlaylist {
  id: string;
  ownerKey: EmulatorUser['key'];
  name: string;
  description: string;
  public: boolean;
  collaborative: boolean;
  items: PlaylistItem[];
  snapshotVersion: number;
  createdAt: number;
}

export interface EmulatorState {
  seed: number;
  clock: Clock;
  listener: Listener;
  users: EmulatorUser[];
  clients: Map<string, EmulatorClient>;
  codes: Map<string, AuthorizationCode>;
  accessTokens: Map<string, AccessTokenGrant>;
  refreshTokens: Map<string, RefreshTokenGrant>;
  playlists: StoredPlaylist[];
  featuresMode: FeaturesMode;
  faults: FaultPlan | null;
  rateLimiter: RateLimiter | null;
  requestCounts: Map<string, number>;
  refreshTokenLifetimeMs: number;
  accessTokenLifetimeS: number;
  rotateRefreshToken: RotateRefreshToken;
  /** Decides 'sometimes' rotations; deterministic from the seed. */
  rotationRandom: () => number;
  /** Base URL once listening; otherwise taken from each request's Host. */
  listenUrl: string | null;
}

export function userByKey(state: EmulatorState, key: string): EmulatorUser | undefined {
  return state.users.find((u) => u.key === key);
}

export function countRequest(state: EmulatorState, operation: string): void {
  state.requestCounts.set(operation, (state.requestCounts.get(operation) ?? 0) + 1);
}

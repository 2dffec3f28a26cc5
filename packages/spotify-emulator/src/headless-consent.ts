// Walks the authorization-code flow (with PKCE) through app.inject, the way a
// browser would: authorize, agree on the consent page, exchange the code.
// For tests and scripts of any package that need real emulator tokens.
import { createHash, randomBytes } from 'node:crypto';
import type { Emulator } from './emulator.js';

export interface HeadlessConsentOptions {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scopes?: string[];
  /** 'listener' (allow-listed, default) or 'outsider' (not allow-listed). */
  account?: 'listener' | 'outsider';
}

export interface TokenAnswer {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
}

export const APP_SCOPES = [
  'user-top-read',
  'user-read-recently-played',
  'playlist-modify-private',
  'playlist-modify-public',
];

export async function headlessConsent(
  emulator: Pick<Emulator, 'app'>,
  o: HeadlessConsentOptions,
): Promise<TokenAnswer> {
  const verifier = randomBytes(48).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const params = {
    client_id: o.clientId,
    response_type: 'code',
    redirect_uri: o.redirectUri,
    scope: (o.scopes ?? APP_SCOPES).join(' '),
    state: randomBytes(8).toString('hex'),
    code_challenge_method: 'S256',
    code_challenge: challenge,
  };
  const consent = await emulator.app.inject({
    method: 'POST',
    url: '/accounts/authorize',
    payload: new URLSearchParams({
      ...params,
      decision: 'agree',
      account: o.account ?? 'listener',
    }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  const location = consent.headers.location;
  if (consent.statusCode !== 302 || typeof location !== 'string')
    throw new Error(`consent failed with status ${consent.statusCode}`);
  const code = new URL(location).searchParams.get('code');
  if (!code)
    throw new Error(
      `consent redirected without a code: ${new URL(location).searchParams.get('error')}`,
    );
  const token = await emulator.app.inject({
    method: 'POST',
    url: '/accounts/api/token',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${o.clientId}:${o.clientSecret}`).toString('base64')}`,
    },
    payload: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: o.redirectUri,
      code_verifier: verifier,
    }).toString(),
  });
  if (token.statusCode !== 200)
    throw new Error(`token exchange failed with status ${token.statusCode}`);
  return token.json() as TokenAnswer;
}

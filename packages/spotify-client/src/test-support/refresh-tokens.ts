// A token provider that does what the app's server does: exchanges a refresh
// token at the accounts service (here the emulator's) and keeps the newest one.
import { SpotifyError } from '../errors.js';
import type { TokenProvider } from '../transport.js';

export class RefreshTokenProvider implements TokenProvider {
  #access: string | null;
  #refresh: string;
  refreshes = 0;

  constructor(
    private readonly accountsUrl: string,
    private readonly client: { clientId: string; clientSecret: string },
    tokens: { access_token: string; refresh_token: string },
  ) {
    this.#access = tokens.access_token;
    this.#refresh = tokens.refresh_token;
  }

  async getAccessToken(opts: { signal?: AbortSignal; forceRefresh?: boolean }): Promise<string> {
    if (this.#access !== null && !opts.forceRefresh) return this.#access;
    this.refreshes++;
    const basic = Buffer.from(`${this.client.clientId}:${this.client.clientSecret}`).toString(
      'base64',
    );
    const init: RequestInit = {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: this.#refresh,
      }).toString(),
    };
    if (opts.signal) init.signal = opts.signal;
    const res = await fetch(`${this.accountsUrl}/api/token`, init);
    const body = (await res.json()) as {
      access_token?: string;
      refresh_token?: string;
      error?: string;
    };
    if (res.status === 400 && body.error === 'invalid_grant') {
      this.#access = null;
      throw new SpotifyError('AUTH_EXPIRED', 'The refresh token is no longer valid', {
        status: 400,
      });
    }
    if (!res.ok || !body.access_token)
      throw new SpotifyError('UPSTREAM', `token endpoint answered ${res.status}`, {
        status: res.status,
      });
    this.#access = body.access_token;
    // Spotify may or may not rotate the refresh token: keep the old one when it does not.
    if (body.refresh_token) this.#refresh = body.refresh_token;
    return this.#access;
  }
}

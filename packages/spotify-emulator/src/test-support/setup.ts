import { type Emulator, type EmulatorOptions, createEmulator, headlessConsent } from '../index.js';

export const REDIRECT = 'http://127.0.0.1:8888/auth/callback';
export const CLIENT = {
  clientId: 'test-client',
  clientSecret: 'test-secret-value',
  redirectUris: [REDIRECT],
};
export const START = Date.UTC(2026, 2, 10, 18);

export interface Connected {
  emulator: Emulator;
  headers: { authorization: string };
  tokens: Awaited<ReturnType<typeof headlessConsent>>;
}

export async function connected(
  opts: EmulatorOptions = {},
  consent: { scopes?: string[]; account?: 'listener' | 'outsider' } = {},
): Promise<Connected> {
  const emulator = await createEmulator({
    startTime: START,
    clients: [CLIENT],
    controls: true,
    ...opts,
  });
  const tokens = await headlessConsent(emulator, {
    clientId: CLIENT.clientId,
    clientSecret: CLIENT.clientSecret,
    redirectUri: REDIRECT,
    ...consent,
  });
  return { emulator, headers: { authorization: `Bearer ${tokens.access_token}` }, tokens };
}

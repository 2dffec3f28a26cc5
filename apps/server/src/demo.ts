import { randomBytes } from 'node:crypto';
import { createEmulator, type Emulator } from '@mtm/spotify-emulator';
import type { AppConfig } from './app-config.js';
import type { EnvConfig } from './config.js';

export interface Demo {
  emulator: Emulator;
  /** the emulator's base URL, e.g. http://127.0.0.1:8889 */
  baseUrl: string;
  appConfig: AppConfig;
}

/**
 * Demo mode: the emulator stands in for accounts.spotify.com, the Web API and
 * the feature source, in this process, on loopback only. The server registers
 * a fresh client there exactly as a user registers an app with Spotify.
 */
export async function startDemo(env: EnvConfig, opts: { logger?: boolean } = {}): Promise<Demo> {
  if (env.demo === null) throw new Error('startDemo: demo mode is off (SPOTIFY_CLIENT_ID is set)');
  const emulator = await createEmulator({
    controls: env.demo.controls,
    ...(env.demo.startTime !== undefined ? { startTime: env.demo.startTime } : {}),
    logger: opts.logger ?? false,
  });
  const clientId = randomBytes(16).toString('hex');
  const clientSecret = randomBytes(32).toString('hex');
  emulator.registerClient({
    clientId,
    clientSecret,
    redirectUris: [`${env.publicUrl}/auth/callback`],
  });
  let baseUrl: string;
  try {
    baseUrl = (await emulator.listen({ host: '127.0.0.1', port: env.demo.port })).replace(
      /\/+$/,
      '',
    );
  } catch (err) {
    await emulator.close().catch(() => undefined);
    const why =
      (err as { code?: string }).code === 'EADDRINUSE'
        ? `port ${env.demo.port} is in use`
        : String((err as Error).message);
    throw new Error(
      `demo mode: the Spotify emulator could not listen on 127.0.0.1:${env.demo.port} (${why}); set DEMO_EMULATOR_PORT to a free port`,
      { cause: err },
    );
  }
  return {
    emulator,
    baseUrl,
    appConfig: {
      publicUrl: env.publicUrl,
      clientId,
      clientSecret,
      sessionKeys: env.sessionKeys,
      accountsUrl: `${baseUrl}/accounts`,
      apiUrl: `${baseUrl}/v1`,
      featuresUrl: `${baseUrl}/reccobeats/v1`,
      webBuildDir: env.webBuildDir,
      demo: true,
      imageOrigins: [baseUrl],
      rateLimit: { ...env.rateLimit },
      trustProxy: env.trustProxy,
      sync: env.sync,
    },
  };
}

export function demoBanner(demo: Demo, env: EnvConfig, appUrl: string): string {
  const lines = [
    'DEMO MODE: no SPOTIFY_CLIENT_ID is set, so the app runs against the built-in Spotify emulator',
    `  with a sample listener (emulator at ${demo.baseUrl}${env.demo?.controls ? ', control endpoints ON' : ''}).`,
    `  Open ${appUrl} and press "Connect Spotify"; the emulator's consent page stands in for Spotify's.`,
    env.sessionKeyGenerated
      ? '  Sessions are sealed with a random key and end when this process stops.'
      : '',
    '  Set SPOTIFY_CLIENT_ID / SPOTIFY_CLIENT_SECRET / SESSION_KEY to use your own Spotify (see apps/server/README.md).',
  ].filter((l) => l !== '');
  const width = Math.max(...lines.map((l) => l.length));
  const rule = '='.repeat(width);
  return [rule, ...lines, rule].join('\n');
}

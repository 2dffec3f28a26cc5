// The app's configuration outside demo mode, from the environment's.
import { type AppConfig, SPOTIFY_IMAGE_ORIGIN } from './app-config.js';
import type { BrowserSettings } from './app.js';
import type { EnvConfig } from './config.js';

export function realConfig(env: EnvConfig): AppConfig & BrowserSettings {
  const creds = env.credentials as NonNullable<EnvConfig['credentials']>;
  return {
    publicUrl: env.publicUrl,
    clientId: creds.clientId,
    clientSecret: creds.clientSecret,
    sessionKeys: env.sessionKeys,
    accountsUrl: env.accountsUrl,
    apiUrl: env.apiUrl,
    featuresUrl: env.featuresUrl,
    webBuildDir: env.webBuildDir,
    demo: false,
    imageOrigins: [SPOTIFY_IMAGE_ORIGIN],
    rateLimit: { ...env.rateLimit },
    trustProxy: env.trustProxy,
    sync: env.sync,
    // only old apps with extended quota get Spotify's own audio features (API-NOTES.md)
    spotifyAudioFeatures: env.spotifyAudioFeatures,
  };
}

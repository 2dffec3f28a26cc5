import { describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { realConfig } from './real-config.js';

const env = {
  SPOTIFY_CLIENT_ID: 'cid',
  SPOTIFY_CLIENT_SECRET: 'csecret',
  SESSION_KEY: '8f3a1c5e9b2d4f60a7c3e1b5d9f2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d6f8',
};

describe('realConfig', () => {
  it.each([
    ['on', true],
    ['off', false],
    [undefined, false],
  ] as const)(
    'SPOTIFY_AUDIO_FEATURES=%s reaches the browser as spotifyAudioFeatures %s (issue 12)',
    async (value, expected) => {
      const config = realConfig(
        loadConfig({
          ...env,
          // no built web app needed for /api/config
          WEB_BUILD_DIR: '/nonexistent-mtm-build',
          ...(value === undefined ? {} : { SPOTIFY_AUDIO_FEATURES: value }),
        }),
      );
      const app = await buildApp(config, { logger: false });
      try {
        const res = await app.inject({ url: '/api/config' });
        expect(res.json()).toMatchObject({ spotifyAudioFeatures: expected });
      } finally {
        await app.close();
      }
    },
  );
});

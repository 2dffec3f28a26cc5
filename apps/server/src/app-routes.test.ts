import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import appRoutes, { type PublicConfig } from './app-routes.js';
import { buildApp } from './app.js';
import { testConfig } from './test-support/config.js';

async function publicConfig(extra: { spotifyAudioFeatures?: boolean } = {}): Promise<PublicConfig> {
  const app = await buildApp({ ...testConfig(), ...extra }, { logger: false });
  try {
    const res = await app.inject('/api/config');
    expect(res.statusCode).toBe(200);
    return res.json() as PublicConfig;
  } finally {
    await app.close();
  }
}

describe('/api/config', () => {
  // issue 12: a development-mode app's 403 from /audio-features is logged by
  // the browser on every start, so the browser must not ask unless told to
  it("tells the browser not to ask Spotify's /audio-features unless the server is set to", async () => {
    expect((await publicConfig()).spotifyAudioFeatures).toBe(false);
    expect((await publicConfig({ spotifyAudioFeatures: false })).spotifyAudioFeatures).toBe(false);
    expect((await publicConfig({ spotifyAudioFeatures: true })).spotifyAudioFeatures).toBe(true);
  });

  it('refuses a spotifyAudioFeatures that is not a boolean at registration', async () => {
    const app = Fastify({ logger: false });
    void app.register(appRoutes, {
      demo: false,
      apiBaseUrl: 'http://127.0.0.1:9/v1',
      featuresBaseUrl: null,
      spotifyAudioFeatures: 'on' as unknown as boolean,
      imageOrigins: [],
    });
    await expect(app.ready()).rejects.toThrow(/options.spotifyAudioFeatures must be true or false/);
    await app.close().catch(() => undefined);
  });
});

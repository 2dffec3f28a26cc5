import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

export interface AppRoutesOptions {
  demo: boolean;
  apiBaseUrl: string;
  featuresBaseUrl: string | null;
  spotifyAudioFeatures: boolean;
  imageOrigins: string[];
}

/** What the browser needs to call Spotify itself; the server never relays listening data. */
export interface PublicConfig {
  demo: boolean;
  apiBaseUrl: string;
  featuresBaseUrl: string | null;
  /**
   * Whether the browser asks Spotify's own GET /audio-features before
   * `featuresBaseUrl`. False unless the operator says the Spotify app has
   * extended quota (SPOTIFY_AUDIO_FEATURES=on): a development-mode app only
   * gets 403 there, which the browser would log on every start.
   */
  spotifyAudioFeatures: boolean;
  imageOrigins: string[];
}

const appRoutesPlugin: FastifyPluginAsync<AppRoutesOptions> = async (app, opts) => {
  if (typeof opts.apiBaseUrl !== 'string')
    throw new Error('app routes: options.apiBaseUrl must be a URL string');
  if (typeof opts.spotifyAudioFeatures !== 'boolean')
    throw new Error('app routes: options.spotifyAudioFeatures must be true or false');
  const publicConfig: PublicConfig = {
    demo: opts.demo,
    apiBaseUrl: opts.apiBaseUrl,
    featuresBaseUrl: opts.featuresBaseUrl,
    spotifyAudioFeatures: opts.spotifyAudioFeatures,
    imageOrigins: opts.imageOrigins,
  };
  const body = JSON.stringify(publicConfig);

  app.get('/api/config', async (_req, reply) => {
    return reply
      .header('cache-control', 'no-cache')
      .type('application/json; charset=utf-8')
      .send(body);
  });
};

export default fp(appRoutesPlugin, { name: 'mtm-app-routes', fastify: '5.x' });

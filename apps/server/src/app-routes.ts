import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

export interface AppRoutesOptions {
  demo: boolean;
  apiBaseUrl: string;
  featuresBaseUrl: string | null;
  imageOrigins: string[];
}

/** What the browser needs to call Spotify itself; the server never relays listening data. */
export interface PublicConfig {
  demo: boolean;
  apiBaseUrl: string;
  featuresBaseUrl: string | null;
  imageOrigins: string[];
}

const appRoutesPlugin: FastifyPluginAsync<AppRoutesOptions> = async (app, opts) => {
  if (typeof opts.apiBaseUrl !== 'string')
    throw new Error('app routes: options.apiBaseUrl must be a URL string');
  const publicConfig: PublicConfig = {
    demo: opts.demo,
    apiBaseUrl: opts.apiBaseUrl,
    featuresBaseUrl: opts.featuresBaseUrl,
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

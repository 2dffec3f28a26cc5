export { buildApp, type BuildOptions } from './app.js';
export {
  type AppConfig,
  checkAppConfig,
  DEFAULT_RATE_LIMIT,
  SPOTIFY_IMAGE_ORIGIN,
} from './app-config.js';
export type { PublicConfig } from './app-routes.js';
export { ConfigError, DEFAULTS, type EnvConfig, loadConfig } from './config.js';
export { SCOPES } from './oauth.js';
export {
  DEMO_SESSION_COOKIE,
  type Session,
  SESSION_COOKIE,
  sealSession,
  sessionCookieName,
} from './session.js';

export { createSpotifyClient, defaultSleep } from './client.js';
export type { SpotifyClient, SpotifyClientOptions } from './client.js';
export { SpotifyError, isSpotifyError, isAmbiguous } from './errors.js';
export type { SpotifyErrorCode, SpotifyErrorInit } from './errors.js';
export type { TokenProvider, ClientStats } from './transport.js';
export type { Profile } from './mappers.js';
export { toTrack, toArtist, toProfile, toAudioFeatures, largestImage } from './mappers.js';
export { parseRetryAfter } from './retry-after.js';
export { ADD_ITEMS_BATCH } from './playlist-push.js';

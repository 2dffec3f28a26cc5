// Public entry. The contract validator lives at the subpath
// `@mtm/spotify-emulator/contract` so openapi-backend never reaches the
// server or the browser bundle.
export { createEmulator } from './emulator.js';
export type { Emulator, EmulatorClient, EmulatorOptions } from './emulator.js';
export type { ControlPlaylist, ControlRequests } from './controls.js';
export type { FaultKind, FaultSettings } from './faults.js';
export { FAULT_KINDS } from './faults.js';
export { NOT_ALLOWLISTED_MESSAGE } from './api-errors.js';
export { APP_SCOPES, headlessConsent } from './headless-consent.js';
export type { HeadlessConsentOptions, TokenAnswer } from './headless-consent.js';
export {
  ACCOUNT_DIR,
  EXTENDED_DIR,
  LEGACY_DIR,
  ROWS_PER_FILE,
  generateExport,
  zipExport,
} from './export.js';
export type { ExportFile, ExportOptions } from './export.js';
export type { RateLimitSettings } from './rate-limit.js';
export { rng } from './random.js';
export type { Rng } from './random.js';

// What other modules use from the sync: the app's runner, its words, and the
// features step (the moods store's "fetch missing mood data" runs it alone).
export {
  syncRunner,
  progressWords,
  resultWords,
  type SyncPhase,
  type SyncRunner,
} from './sync-runner.svelte';
export { fetchMissingFeatures } from './features';
export type { SyncResult } from './sync-engine';
export type { FeatureFetchResult } from './features';

// What other modules use from the sync: the app's runner and the moods page's
// "fetch missing features".
export {
  syncRunner,
  fetchMissingFeatures,
  progressWords,
  resultWords,
  type SyncPhase,
} from './sync-runner.svelte';
export type { SyncResult } from './sync-engine';
export type { FeatureFetchResult } from './features';

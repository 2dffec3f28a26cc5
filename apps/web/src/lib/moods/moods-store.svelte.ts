// State behind the moods page: every track the history mentions with its
// mood data (mood-library.ts), and the one job the page can start, "fetch
// missing mood data", with its progress and the words of its outcome.
import { defaultSleep } from '@mtm/spotify-client';
import { AccountStore } from '../app/account-store.svelte';
import type { DiaryScope } from '../app/app-context.svelte';
import { fetchMissingFeatures } from '../sync';
import { errorCode } from '../ui/error-words';
import { loadMoodLibrary, type MoodLibrary } from './mood-library';

export class MoodsStore extends AccountStore<MoodLibrary> {
  #fetching = $state<{ done: number; total: number } | null>(null);
  #fetchNote = $state<string | null>(null);

  /** Progress of a running fetch, or null. */
  get fetching() {
    return this.#fetching;
  }
  /** The outcome of the last fetch, in words; it stays after the library reloads. */
  get fetchNote() {
    return this.#fetchNote;
  }
  /** No mood-data source is configured: no other source, and Spotify's own is off (403 for new apps). */
  get sourceUnavailable(): boolean {
    const config = this.context.config;
    return config ? config.featuresBaseUrl === null && !config.spotifyAudioFeatures : false;
  }
  /** Whether "fetch missing mood data" can run now. */
  get canFetch(): boolean {
    return this.#fetching === null && this.context.online && this.context.spotify() !== null;
  }

  protected read({ db, accountId }: DiaryScope): Promise<MoodLibrary> {
    return loadMoodLibrary(db, accountId);
  }

  /** Asks the source for every track it has not answered yet (and those it did not know). */
  async fetchMissing(): Promise<void> {
    const missing = this.data?.missing;
    const client = this.context.spotify();
    if (!missing || !client || this.#fetching) return;
    this.#fetchNote = null;
    const ids = [...missing.notFetched, ...missing.unknownToSource];
    this.#fetching = { done: 0, total: ids.length };
    try {
      const res = await fetchMissingFeatures(
        {
          db: this.context.db,
          client,
          now: Date.now,
          sleep: defaultSleep,
          onProgress: (p) => {
            if (p.step === 'features') this.#fetching = { done: p.done, total: p.total };
          },
        },
        ids,
        { includeUnknown: true },
      );
      this.#fetchNote = res.unavailable
        ? 'Spotify no longer shares audio features with new apps, and the other source is not reachable right now.'
        : res.missing > 0
          ? `Fetched mood data for ${res.fetched} tracks; ${res.missing} are not known to the source.`
          : `Fetched mood data for ${res.fetched} tracks.`;
    } catch (e) {
      this.#fetchNote =
        errorCode(e) === 'NETWORK'
          ? "You're offline. Try again when you're back online."
          : 'Fetching mood data failed. Try again later.';
    } finally {
      this.#fetching = null;
      // features changed: every store that shows them reads again
      this.context.dataChanged();
    }
  }
}

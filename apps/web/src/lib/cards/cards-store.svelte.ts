// State behind the time-machine cards: one period's card, "on this day" on
// the home screen, and the diary at a glance on the timeline.
import type { Track, YearAtAGlance } from '@mtm/core';
import { AccountStore } from '../app/account-store.svelte';
import type { DiaryScope } from '../app/app-context.svelte';
import {
  loadCard,
  loadGlance,
  loadOnThisDay,
  readTracks,
  type CardAnswer,
  type Glance,
  type OnThisDayPage,
} from './card-data';

const NO_TRACKS: ReadonlyMap<string, Track> = new Map();

/** The card page; its parameter is the route's period key ("2019", "2021-06-summer"). */
export class CardStore extends AccountStore<CardAnswer, string> {
  #scope: DiaryScope | null = null;

  constructor(private readonly now: () => number = Date.now) {
    super();
  }

  protected async read(scope: DiaryScope, key: string): Promise<CardAnswer> {
    this.#scope = scope;
    return loadCard(scope, key, this.now());
  }

  /** The tracks a shared picture draws, read now: covers may have arrived since the card was read. */
  async tracksForPicture(ids: readonly string[]): Promise<ReadonlyMap<string, Track>> {
    const data = this.data;
    if (!data || 'problem' in data) return NO_TRACKS;
    return this.#scope ? readTracks(this.#scope, ids) : data.tracks;
  }
}

export class OnThisDayStore extends AccountStore<OnThisDayPage> {
  constructor(private readonly now: () => number = Date.now) {
    super();
  }

  protected read(scope: DiaryScope): Promise<OnThisDayPage> {
    return loadOnThisDay(scope, this.now());
  }
}

export class GlanceStore extends AccountStore<Glance> {
  /** One year's heatmap and month tops, when the year has plays. */
  year(year: number): YearAtAGlance | undefined {
    return this.data?.years.find((y) => y.year === year);
  }

  /** The top track of a month ("2024-03") and what the device knows of it, for the tile's cover. */
  monthTop(key: string): { trackId: string; track: Track | undefined } | null {
    const [y, m] = key.split('-').map(Number) as [number, number];
    const trackId = this.year(y)?.monthTops[m - 1];
    return trackId ? { trackId, track: this.data?.tracks.get(trackId) } : null;
  }

  protected read(scope: DiaryScope): Promise<Glance> {
    return loadGlance(scope);
  }
}

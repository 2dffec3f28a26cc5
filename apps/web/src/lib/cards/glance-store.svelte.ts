// State behind the diary at a glance: "on this day" on the home screen, and
// the calendar heatmaps and month covers of the timeline.
import type { Track, YearAtAGlance } from '@mtm/core';
import { AccountStore } from '../app/account-store.svelte';
import type { DiaryScope } from '../app/app-context.svelte';
import { loadGlance, loadOnThisDay, type Glance, type OnThisDayPage } from './glance-data';

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

  /** The glance kept for older plays at once (a heatmap's size stays), then the one for the plays now. */
  protected read(scope: DiaryScope, _: void, showEarly: (g: Glance) => void): Promise<Glance> {
    return loadGlance(scope, showEarly);
  }
}

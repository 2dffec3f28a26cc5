// State behind the diary pages: the timeline and the open month.
import { AccountStore } from '../app/account-store.svelte';
import type { DiaryScope } from '../app/app-context.svelte';
import {
  cachedTimeline,
  loadMonth,
  loadTimeline,
  parseMonthKey,
  type MonthPage,
  type Timeline,
  type TimelineMonth,
} from './diary-data';

export class TimelineStore extends AccountStore<Timeline> {
  #waitingWords = $state('Opening your diary …');

  /** The months grouped by year, newest first, as the timeline lists them. */
  readonly years: [number, TimelineMonth[]][] = $derived(byYear(this.data?.months ?? []));

  /** Words while there is nothing to show yet. */
  get waitingWords() {
    return this.#waitingWords;
  }

  /** Shows the last known timeline at once, then the checked (and if need be recomputed) one. */
  protected async read(
    { db, accountId }: DiaryScope,
    _: void,
    showEarly: (t: Timeline) => void,
  ): Promise<Timeline> {
    const cached = this.data ?? (await cachedTimeline(db, accountId));
    if (cached) showEarly(cached);
    // no summary yet (first open, or after an import): every play is read once
    else this.#waitingWords = 'Adding up your listening history …';
    return loadTimeline(db, accountId);
  }
}

function byYear(months: readonly TimelineMonth[]): [number, TimelineMonth[]][] {
  const out: [number, TimelineMonth[]][] = [];
  for (let i = months.length - 1; i >= 0; i--) {
    const m = months[i]!;
    const last = out[out.length - 1];
    if (last && last[0] === m.year) last[1].push(m);
    else out.push([m.year, [m]]);
  }
  return out;
}

/** The month page; its parameter is the route's month key ("2024-03"). Null for a key that names no month. */
export class MonthStore extends AccountStore<MonthPage | null, string> {
  protected async read({ db, accountId }: DiaryScope, key: string): Promise<MonthPage | null> {
    const parsed = parseMonthKey(key);
    return parsed ? loadMonth(db, accountId, parsed.year, parsed.month) : null;
  }
}

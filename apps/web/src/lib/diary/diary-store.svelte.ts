// State behind the diary pages: the timeline and the open month.
import { database } from '../db/database';
import {
  cachedTimeline,
  loadMonth,
  loadTimeline,
  parseMonthKey,
  type MonthPage,
  type Timeline,
} from './diary-data';

export class TimelineStore {
  #timeline = $state<Timeline | null>(null);
  #loading = $state(false);
  #accountId: string | null = null;
  #waitingWords = $state('Opening your diary …');

  get timeline() {
    return this.#timeline;
  }
  get loading() {
    return this.#loading;
  }
  /** Words while there is nothing to show yet. */
  get waitingWords() {
    return this.#waitingWords;
  }

  /** Shows the last known timeline at once, then the checked (and if need be recomputed) one. */
  async show(accountId: string): Promise<void> {
    this.#loading = true;
    try {
      const db = database();
      if (this.#accountId !== accountId) {
        this.#accountId = accountId;
        this.#timeline = null;
      }
      this.#timeline ??= await cachedTimeline(db, accountId);
      // no summary yet (first open, or after an import): every play is read once
      if (!this.#timeline) this.#waitingWords = 'Adding up your listening history …';
      this.#timeline = await loadTimeline(db, accountId);
    } finally {
      this.#loading = false;
    }
  }
}

export class MonthStore {
  #page = $state<MonthPage | null>(null);
  #missing = $state(false);

  get page() {
    return this.#page;
  }
  /** The key did not name a month. */
  get invalid() {
    return this.#missing;
  }

  async open(accountId: string, key: string): Promise<void> {
    const parsed = parseMonthKey(key);
    this.#missing = parsed === null;
    if (!parsed) {
      this.#page = null;
      return;
    }
    this.#page = await loadMonth(database(), accountId, parsed.year, parsed.month);
  }
}

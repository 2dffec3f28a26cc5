// State behind a time-machine card: one period's card (the card page).
import type { Track } from '@mtm/core';
import { AccountStore } from '../app/account-store.svelte';
import type { DiaryScope } from '../app/app-context.svelte';
import { loadCard, readTracks, type CardAnswer } from './card-data';

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

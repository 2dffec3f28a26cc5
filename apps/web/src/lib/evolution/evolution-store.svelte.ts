// State behind the evolution page: the history with its audio features, read
// once per scope; the view follows the chosen grouping without reading again.
import type { Period } from '@mtm/core';
import { AccountStore } from '../app/account-store.svelte';
import type { DiaryScope } from '../app/app-context.svelte';
import { loadHistory } from '../db/history';
import { buildEvolutionView, type EvolutionData, type EvolutionView } from './evolution-view';

export class EvolutionStore extends AccountStore<EvolutionData> {
  period = $state<Period>('month');
  readonly view: EvolutionView | null = $derived(
    this.data ? buildEvolutionView(this.data, this.period) : null,
  );

  protected read({ db, accountId }: DiaryScope): Promise<EvolutionData> {
    return loadHistory(db, accountId, { features: true });
  }
}

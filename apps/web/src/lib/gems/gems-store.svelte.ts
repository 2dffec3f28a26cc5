// State behind the gems page: the whole history, read once per scope, made
// into the page's two lists by gems-view.ts.
import { AccountStore } from '../app/account-store.svelte';
import { app, type AppContext, type DiaryScope } from '../app/app-context.svelte';
import { loadHistory } from '../db/history';
import { buildGemsView, type GemsView } from './gems-view';

export class GemsStore extends AccountStore<GemsView> {
  #now: () => number;

  constructor(context: AppContext = app, now: () => number = Date.now) {
    super(context);
    this.#now = now;
  }

  protected async read({ db, accountId }: DiaryScope): Promise<GemsView> {
    return buildGemsView(await loadHistory(db, accountId), this.#now());
  }
}

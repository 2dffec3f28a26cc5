// The shape every feature store shares: state for the diary shown, read from
// lib/db and derived by core, reloaded whenever the app context's scope moves
// (another account shown, a finished sync, an import). A page creates its
// store and calls `follow()` in its script; the page then only renders
// `status` and `data`.
import { untrack } from 'svelte';
import { app, type AppContext, type DiaryScope } from './app-context.svelte';

export type LoadStatus = 'loading' | 'none' | 'ready' | 'error';

export abstract class AccountStore<T, P = void> {
  #data = $state.raw<T | null>(null);
  #status = $state<LoadStatus>('loading');
  #busy = $state(false);
  #shownFor: string | null = null;
  /** Each load gets a number; only the newest may write what it read. */
  #loads = 0;

  constructor(protected readonly context: AppContext = app) {}

  get data(): T | null {
    return this.#data;
  }
  get status(): LoadStatus {
    return this.#status;
  }
  /**
   * A read is under way whose answer will replace what `data` holds now: the
   * previous answer, or an early (cached) one the read showed first. A page
   * marks what it shows `aria-busy` meanwhile, so a reader (or a test) can
   * tell a checked answer from one about to change.
   */
  get busy(): boolean {
    return this.#busy;
  }

  /**
   * Follows the context (and the page's parameter, when the store has one)
   * for as long as the calling component lives. Call it during component
   * initialisation: it sets up an effect.
   */
  follow(param: () => P = () => undefined as P): void {
    const ctx = this.context;
    $effect(() => {
      const ready = ctx.ready;
      const scope = ctx.scope;
      const p = param();
      untrack(() => void this.load(ready ? scope : undefined, p));
    });
  }

  /**
   * Loads for a scope: undefined while the session is starting, null when no
   * diary is shown. Public for tests, which call it without a component.
   */
  async load(scope: DiaryScope | null | undefined, param: P): Promise<void> {
    const n = ++this.#loads;
    // a read still under way is superseded: only this load may clear `busy`
    this.#busy = scope !== undefined && scope !== null;
    if (scope === undefined) return;
    if (scope === null) {
      this.#data = null;
      this.#status = 'none';
      return;
    }
    // another account or another page parameter: never show the previous one's data meanwhile
    const key = `${scope.accountId}\u0000${JSON.stringify(param ?? null)}`;
    if (key !== this.#shownFor) {
      this.#shownFor = key;
      this.#data = null;
      this.#status = 'loading';
    }
    const current = () => n === this.#loads;
    try {
      const data = await this.read(scope, param, (early) => {
        if (current()) this.#data = early;
      });
      if (!current()) return;
      this.#data = data;
      this.#status = 'ready';
    } catch (err) {
      if (!current()) return;
      this.#status = 'error';
      console.warn('could not read the diary', err);
    } finally {
      if (current()) this.#busy = false;
    }
  }

  /**
   * Reads what the page shows. `showEarly` may show a first answer (a cached
   * one) before the final one is ready.
   */
  protected abstract read(scope: DiaryScope, param: P, showEarly: (data: T) => void): Promise<T>;
}

/** A component's own store, following the context: for a component that is handed its page's store or makes one. */
export function followed<S extends { follow(): void }>(store: S): S {
  store.follow();
  return store;
}

// State behind the gap notices, the export card and Settings' capture
// health line (issue 14). Reads through capture-data.ts; the one write (the
// export card put away) goes through it to lib/db.
import { AccountStore } from '../app/account-store.svelte';
import type { DiaryScope } from '../app/app-context.svelte';
import { dismissNudge, loadCaptureHealth, type CaptureHealth } from './capture-data';
import { enableBackgroundCapture, type BackgroundStatus } from './background-capture';

export class CaptureStore extends AccountStore<CaptureHealth> {
  #background = $state.raw<BackgroundStatus | null>(null);

  /** Null until asked (checkBackground). */
  get background(): BackgroundStatus | null {
    return this.#background;
  }

  protected read({ db, accountId }: DiaryScope): Promise<CaptureHealth> {
    return loadCaptureHealth(db, accountId, Date.now());
  }

  /** Registers the background capture where the browser allows it, and says which. */
  async checkBackground(): Promise<void> {
    try {
      this.#background = await enableBackgroundCapture();
    } catch {
      this.#background = { state: 'off', why: 'the browser would not say whether it can.' };
    }
  }

  /** The export card was read and put away; the reminder comes once, later. */
  async putAwayNudge(which: 'suggest' | 'remind'): Promise<void> {
    const accountId = this.context.accountId;
    if (!accountId) return;
    await dismissNudge(this.context.db, accountId, which, Date.now());
    this.context.dataChanged();
  }
}

// The settings page's state: one account's cadence and time zone.
import type { CadenceName } from '@mtm/core';
import { AccountStore } from '../app/account-store.svelte';
import { app, type AppContext, type DiaryScope } from '../app/app-context.svelte';
import {
  DEFAULT_SETTINGS,
  deviceTimeZone,
  loadSettings,
  saveSettings,
  type AccountSettings,
} from '../db/settings';

export class SettingsStore extends AccountStore<AccountSettings> {
  #saved = $state('');

  constructor(
    context: AppContext = app,
    // a change is dated when it is made: the device sync keeps the latest of each setting
    private readonly now: () => number = () => Date.now(),
  ) {
    super(context);
  }

  /** The stored settings, or the defaults while they load. */
  get settings(): AccountSettings {
    return this.data ?? DEFAULT_SETTINGS;
  }
  get deviceZone() {
    return deviceTimeZone();
  }
  /** A short confirmation after a change, for the live region. */
  get saved() {
    return this.#saved;
  }

  protected read({ db, accountId }: DiaryScope): Promise<AccountSettings> {
    return loadSettings(db, accountId);
  }

  async chooseCadence(cadence: CadenceName): Promise<void> {
    await this.#save({ cadence });
  }

  async chooseTimeZone(zone: string | null): Promise<void> {
    await this.#save({ timeZone: zone });
  }

  async #save(patch: Partial<AccountSettings>): Promise<void> {
    const accountId = this.context.accountId;
    if (!accountId) return;
    try {
      await saveSettings(this.context.db, accountId, patch, this.now());
      this.#saved = 'Saved.';
      // the time zone cuts every month differently: every page reads again
      this.context.dataChanged();
    } catch {
      this.#saved = 'That did not work: please pick another value.';
    }
  }
}

/** Zones offered in the picker; the browser knows them all when it supports supportedValuesOf. */
export function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  return intl.supportedValuesOf ? intl.supportedValuesOf('timeZone') : [deviceTimeZone(), 'UTC'];
}

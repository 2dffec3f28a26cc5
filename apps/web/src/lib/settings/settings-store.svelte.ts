// The settings page's state: one account's cadence and time zone.
import type { CadenceName } from '@mtm/core';
import { database } from '../db/database';
import {
  DEFAULT_SETTINGS,
  deviceTimeZone,
  loadSettings,
  saveSettings,
  type AccountSettings,
} from '../db/settings';

export class SettingsStore {
  #settings = $state<AccountSettings>({ ...DEFAULT_SETTINGS });
  #accountId: string | null = null;
  #saved = $state('');

  get settings() {
    return this.#settings;
  }
  get deviceZone() {
    return deviceTimeZone();
  }
  /** A short confirmation after a change, for the live region. */
  get saved() {
    return this.#saved;
  }

  async load(accountId: string): Promise<void> {
    this.#accountId = accountId;
    this.#settings = await loadSettings(database(), accountId);
  }

  async chooseCadence(cadence: CadenceName): Promise<void> {
    await this.#save({ cadence });
  }

  async chooseTimeZone(zone: string | null): Promise<void> {
    await this.#save({ timeZone: zone });
  }

  async #save(patch: Partial<AccountSettings>): Promise<void> {
    if (!this.#accountId) return;
    try {
      this.#settings = await saveSettings(database(), this.#accountId, patch);
      this.#saved = 'Saved.';
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

import { personName } from './names.js';
import { base62Id, rngFor } from './random.js';

export interface EmulatorUser {
  key: 'listener' | 'outsider';
  id: string;
  accountId: string;
  displayName: string;
  /** Development-mode apps only serve users on their allow-list. */
  allowListed: boolean;
}

function lowerBase32(r: () => number, length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[Math.floor(r() * 32)];
  return s;
}

/** The synthetic listener (allow-listed) and a user the app was never opened to. */
export function createUsers(seed: number): EmulatorUser[] {
  const r = rngFor(seed, 'users');
  // Newer Spotify user ids look like "31" + 26 lower-case base32 characters.
  return [
    {
      key: 'listener',
      id: `31${lowerBase32(r, 26)}`,
      accountId: base62Id(r, 10),
      displayName: personName(r),
      allowListed: true,
    },
    {
      key: 'outsider',
      id: `31${lowerBase32(r, 26)}`,
      accountId: base62Id(r, 10),
      displayName: `${personName(r)} (not allow-listed)`,
      allowListed: false,
    },
  ];
}

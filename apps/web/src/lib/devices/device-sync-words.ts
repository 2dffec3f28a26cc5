// The status line of Settings › Devices: what a run is doing, what the last
// one moved, and (from error-words.ts) what went wrong, in words.
import type { LastDeviceSync } from '../db/sync-state';
import { clockTime, syncWordsFor } from '../ui/error-words';
import type { DeviceSyncErrorCode } from './device-sync-error';
import type { DeviceSyncProgress } from './engine';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "about 12 s" / "about 3 min": an estimate, never a spinner without words. */
export function duration(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  return s < 90 ? `about ${s} s` : `about ${Math.round(s / 60)} min`;
}

export function progressWords(p: DeviceSyncProgress): string {
  if (p.step === 'sending')
    return `Sending to your other devices … ${plural(p.done, 'part')} so far`;
  if (p.totalBytes && p.totalBytes > 0) {
    const pct = Math.min(100, Math.floor((100 * p.bytes) / p.totalBytes));
    const left = p.remainingMs === null ? '' : `, ${duration(p.remainingMs)} left`;
    return `Receiving your diary … ${pct}%${left}`;
  }
  return `Receiving from your other devices … ${plural(p.done, 'part')} so far`;
}

/** "Synced at 14:32: 120 plays and 2 snapshots arrived; sent 1 update." */
export function lastSyncWords(last: LastDeviceSync, timeZone?: string): string {
  const at = `Synced at ${clockTime(last.at, timeZone)}`;
  const came: string[] = [];
  if (last.plays > 0) came.push(plural(last.plays, 'play'));
  if (last.snapshots > 0) came.push(plural(last.snapshots, 'snapshot'));
  const parts: string[] = [];
  if (came.length > 0) parts.push(`${came.join(' and ')} arrived`);
  else if (last.received > 0) parts.push(`${plural(last.received, 'update')} arrived`);
  if (last.sent > 0) parts.push(`sent ${plural(last.sent, 'update')}`);
  return parts.length > 0
    ? `${at}: ${parts.join('; ')}.`
    : `${at}: everything was already in step.`;
}

export function errorWords(code: DeviceSyncErrorCode, retryAt: number | null): string {
  return syncWordsFor(code, { retryAt }).text;
}

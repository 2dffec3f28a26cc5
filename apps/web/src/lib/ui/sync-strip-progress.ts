// When the sync strip shows a running sync's words.
import { progressWords } from '$lib/sync';

const CHECKING = progressWords({ step: 'account' });

/**
 * On a device with no diary yet (a first open), the sync on open only asks
 * the server whether a Spotify connection exists, and the usual answer is
 * no. Its words would flash over the first-run screen for a tenth of a
 * second, pushing the screen down and back up: a layout shift a phone user
 * sees as a jump (and Lighthouse counts, issue 12). The strip speaks once
 * something is being saved, or whenever there already is a diary.
 */
export function showsProgress(line: string, hasDiary: boolean): boolean {
  return hasDiary || line !== CHECKING;
}

// Words for the Import page, chosen from numbers and codes so the page stays thin.
import type { SkipReason } from '@mtm/core';

const SKIP_WORDS: Record<SkipReason, [string, string]> = {
  podcast: ['podcast episode', 'podcast episodes'],
  audiobook: ['audiobook chapter', 'audiobook chapters'],
  video: ['video', 'videos'],
  'no-track': ['play without a song name', 'plays without a song name'],
  duplicate: ['repeated row', 'repeated rows'],
  'out-of-range': ['play with an impossible date', 'plays with impossible dates'],
};

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** "12 podcast episodes, 3 videos", or null when nothing was skipped. */
export function skippedWords(skipped: Record<SkipReason, number>): string | null {
  const parts = (Object.keys(SKIP_WORDS) as SkipReason[])
    .filter((r) => skipped[r] > 0)
    .map((r) => `${count(skipped[r])} ${SKIP_WORDS[r][skipped[r] === 1 ? 0 : 1]}`);
  return parts.length > 0 ? parts.join(', ') : null;
}

/** "About 40 seconds left"; null while there is no estimate yet. */
export function etaWords(ms: number | null): string | null {
  if (ms === null) return null;
  const s = Math.max(1, Math.round(ms / 1000));
  if (s < 10) return 'A few seconds left';
  if (s < 60) return `About ${Math.round(s / 5) * 5} seconds left`;
  const m = Math.round(s / 60);
  return m === 1 ? 'About a minute left' : `About ${m} minutes left`;
}

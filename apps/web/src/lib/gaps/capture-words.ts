// The words of the gap notices and the capture-health line (issue 14), kept
// out of the components so a test reads them. Dates in words, numbers
// rounded the way a person would say them.
import type { GapState } from '@mtm/core';
import type { LastCapture } from '../db/capture';

export function momentWords(ms: number, zone: string): string {
  return new Date(ms).toLocaleString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: zone,
  });
}

/** "about 240 plays": a rough count, never more precise than it is. */
export function roughPlays(n: number): string {
  if (n <= 0) return 'probably no plays';
  const r = n < 20 ? n : n < 200 ? Math.round(n / 5) * 5 : Math.round(n / 10) * 10;
  return `about ${r} ${r === 1 ? 'play' : 'plays'}`;
}

export function gapWords(g: GapState, zone: string): string {
  const span = `from ${momentWords(g.from, zone)} to ${momentWords(g.to, zone)}`;
  if (g.closed) return `Not captured ${span}: these days now come from your Spotify export.`;
  const missing =
    g.estimate === null
      ? 'Some plays are missing'
      : `${roughPlays(g.estimate).replace(/^a/, 'A')} ${g.estimate === 1 ? 'is' : 'are'} missing`;
  return `Not captured ${span}. ${missing}, so the counts for these days are partial.`;
}

export function lastCaptureWords(last: LastCapture | null, zone: string): string {
  if (!last) return 'No capture yet.';
  return `Last capture: ${momentWords(last.at, zone)}${last.via === 'background' ? ' (in the background)' : ''}.`;
}

/**
 * How often to open the app to keep the diary whole: recently-played holds
 * the last 50 plays, so at the person's own rate it spans this many hours.
 */
export function openEveryWords(streamsPerDay: number): string {
  if (streamsPerDay <= 0) return 'Open the app at least once a day to keep your diary whole.';
  const hours = Math.max(1, Math.floor((50 / streamsPerDay) * 24));
  // both rounded down: opening a little more often than needed loses nothing
  const days = Math.floor(hours / 24);
  const span = hours < 24 ? `${hours} hours` : days === 1 ? 'a day' : `${days} days`;
  const every =
    hours < 24 ? `every ${hours} hours` : days === 1 ? 'once a day' : `every ${days} days`;
  return `Spotify keeps only your last 50 plays, about ${span} of your listening: open the app at least ${every} to keep your diary whole.`;
}

export const percentWords = (x: number): string => `${Math.floor(x * 100)}%`;

/** Gaps of one period, for its page: those that overlap it. */
export function gapsWithin(gaps: readonly GapState[], from: number, to: number): GapState[] {
  return gaps.filter((g) => g.from < to && g.to > from);
}

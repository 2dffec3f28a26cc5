// Words for the Import page, chosen from numbers and codes so the page stays thin.
import type { SkipReason } from '@mtm/core';
import type { ZipError } from './zip-entries';

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

const UNITS: [number, string][] = [
  [1e9, 'GB'],
  [1e6, 'MB'],
  [1e3, 'KB'],
];

/** "12.4 MB", "100 MB", "2 GB", "512 bytes": decimal units, as phones show file sizes. */
export function bytesWords(n: number): string {
  for (const [size, unit] of UNITS) {
    if (n < size) continue;
    const v = n / size;
    return `${v.toLocaleString('en-US', { maximumFractionDigits: v < 100 ? 1 : 0 })} ${unit}`;
  }
  return n === 1 ? '1 byte' : `${n} bytes`;
}

/** "my_spotify_data.zip › Streaming_History_Audio_2019.json" */
const inZip = (zip: string, entry: string): string => `${zip} › ${entry}`;

/** An entry of the archive that would unpack to more than any export file (a zip bomb). */
export function entryTooBigWords(zip: string, entry: string, limit: number): string {
  return `${inZip(zip, entry)} would unpack to more than ${bytesWords(limit)}, which no Spotify export holds, so it was not opened: nothing from it is in your diary.`;
}

/** A JSON file dropped by itself that is larger than any export file. */
export function fileTooBigWords(name: string, size: number, limit: number): string {
  return `${name} is ${bytesWords(size)}, more than the ${bytesWords(limit)} any Spotify export file holds, so it was not opened: nothing from it is in your diary.`;
}

/** A history file in the archive that is cut short or damaged. */
export function zipDamagedWords(zip: string, entry: string): string {
  return `${entry} in ${zip} could not be read: the archive is cut short or damaged (download it again from Spotify's e-mail).`;
}

/** The archive could not be opened, or was given up part-way (files before that are kept). */
export function archiveRefusedWords(zip: string, e: ZipError): string {
  switch (e.reason) {
    case 'not-a-zip':
      return `${zip} is not a zip archive.`;
    case 'corrupt':
      return `${zip} is damaged and could not be opened.`;
    case 'too-big':
      return `${zip} would unpack to more than ${bytesWords(e.limit ?? 0)} of listening history, which no Spotify export holds, so reading stopped at ${e.entry?.split('/').pop() ?? 'that point'}: nothing from it or from the files after it is in your diary.`;
    case 'too-many':
      return `${zip} holds more than ${count(e.limit ?? 0)} files, which no Spotify export does, so reading stopped there: nothing after the first ${count(e.limit ?? 0)} is in your diary.`;
  }
}

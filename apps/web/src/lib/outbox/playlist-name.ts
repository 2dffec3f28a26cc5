// Names a person recognises months later in their Spotify library: what the
// playlist is, then the month it was made ("Workout Boost - Nov 2026").
const MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
] as const;

/** `at` is placed in the device's time zone unless `timeZone` says otherwise. */
export function playlistName(title: string, at: number, timeZone?: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    year: 'numeric',
    month: 'numeric',
    timeZone,
  }).formatToParts(at);
  const month = Number(parts.find((p) => p.type === 'month')?.value ?? '1');
  const year = parts.find((p) => p.type === 'year')?.value ?? '';
  return `${title} - ${MONTHS[month - 1] ?? ''} ${year}`;
}

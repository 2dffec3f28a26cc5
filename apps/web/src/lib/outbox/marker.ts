// Every playlist we create carries its outbox entry's id in the description.
// That is how a push interrupted between "Spotify created the playlist" and "we
// saved its id" finds the playlist again instead of creating a second one.
//
// The marker uses only `[`, `]`, `:`, letters, digits and `-`: Spotify returns
// descriptions HTML-escaped (`&#x27;`, `&amp;`), and none of these characters is
// ever escaped, so a plain substring match stays reliable.

export const DEFAULT_DESCRIPTION = 'made by Music Time Machine from your history';

export function markerFor(entryId: string): string {
  return `[mtm:${entryId}]`;
}

/** The description sent to Spotify: the person's text, then the marker at the end. */
export function describeWithMarker(description: string, entryId: string): string {
  const marker = markerFor(entryId);
  // Spotify caps descriptions at 300 characters: trim the human part, never the marker.
  const room = 300 - marker.length - 1;
  const text = description.length > room ? description.slice(0, room).trimEnd() : description;
  return `${text} ${marker}`;
}

export function carriesMarker(description: string, entryId: string): boolean {
  return description.includes(markerFor(entryId));
}

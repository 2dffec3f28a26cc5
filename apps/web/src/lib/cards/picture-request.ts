// What the shared picture shows, taken from a card page: the same numbers as
// the card on screen (core's), the covers from the tracks table.
import type { Track } from '@mtm/core';
import type { CardPage } from './card-data';
import { count, dateWords, plural } from './card-view';
import type { PictureFormat, PictureRequest, PictureTheme } from './share-image';

export function pictureRequest(
  page: CardPage,
  tracks: ReadonlyMap<string, Track>,
  format: PictureFormat,
  theme: PictureTheme,
): PictureRequest {
  const { card } = page;
  const track = (id: string) => tracks.get(id) ?? page.tracks.get(id);
  const facts: string[] = [];
  if (card.discoveries.count > 0)
    facts.push(`${plural(card.discoveries.count, 'new discovery', 'new discoveries')}`);
  if (card.longestStreak && card.longestStreak.days > 1)
    facts.push(`${count(card.longestStreak.days)} days in a row with music`);
  if (card.topDay) facts.push(`Biggest day: ${dateWords(card.topDay.date)}`);
  return {
    format,
    theme,
    label: page.period.label,
    streams: card.streams,
    minutes: card.minutes,
    tracks: card.topTracks.map((t) => {
      const tr = track(t.trackId);
      return {
        name: tr?.name ?? 'Unknown song',
        artist: tr?.artists.map((a) => a.name).join(', ') ?? '',
        streams: t.streams,
        coverUrl: tr?.album.imageUrl ?? null,
        // the same seed as the cover on screen (cover-art.svelte's alt)
        seed: `${tr?.album.name || tr?.name || 'Unknown'} cover`,
      };
    }),
    artists: card.topArtists.map((a) => a.name),
    facts,
    clock: card.clock,
    note: card.littleData.fewStreams
      ? `Only ${plural(card.streams, 'stream', 'streams')} saved for this period`
      : null,
  };
}

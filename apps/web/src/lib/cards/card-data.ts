// Reads one account's stored facts for a time-machine card and hands them to
// @mtm/core, which derives every number: a card for any period. "On this
// day" and the diary at a glance are in glance-data.ts.
import {
  cardPeriod,
  hemisphereOf,
  parseCardKey,
  periodCard,
  playTimeline,
  type CardPeriod,
  type PeriodCard,
  type PlayTimeline,
  type Track,
} from '@mtm/core';
import type { DiaryScope } from '../app/app-context.svelte';
import { loadHistory } from '../db/history';
import { PLAYS_REVISION, accountKey, readMeta } from '../db/meta';
import { effectiveTimeZone, loadSettings } from '../db/settings';
import { getTracks } from '../db/tracks';

/** Length of a card's lists; the push takes the period's top 50. */
export const CARD_LIST = 5;
export const PUSH_LIST = 50;

interface CardHistory {
  stamp: string;
  zone: string;
  timeline: PlayTimeline;
  tracks: Map<string, Track>;
  features: Awaited<ReturnType<typeof loadHistory>>['features'];
  firstPlay: number | null;
}

// The whole history is read once for the cards of one account and kept while
// nothing changes (the plays revision, the zone and the app's data revision,
// which moves on fetched mood data): moving from one period to the next then
// costs a card, not a read of ten years.
let kept: CardHistory | null = null;

async function stampOf(scope: DiaryScope, zone: string): Promise<string> {
  const revision = await readMeta<string>(scope.db, accountKey(scope.accountId, PLAYS_REVISION));
  return [scope.accountId, zone, revision ?? '', scope.revision].join('|');
}

async function cardHistory(scope: DiaryScope): Promise<CardHistory> {
  const zone = effectiveTimeZone(await loadSettings(scope.db, scope.accountId));
  const stamp = await stampOf(scope, zone);
  if (kept?.stamp === stamp) return kept;
  const h = await loadHistory(scope.db, scope.accountId, { features: true });
  kept = {
    stamp,
    zone,
    timeline: playTimeline(h.plays, zone, h.tracks),
    tracks: h.tracks,
    features: h.features,
    firstPlay: h.plays[0]?.playedAt ?? null,
  };
  return kept;
}

export interface CardPage {
  zone: string;
  period: CardPeriod;
  card: PeriodCard;
  /** The period's top 50, for "Push the period". */
  pushIds: string[];
  tracks: ReadonlyMap<string, Track>;
}

/** A card, or words saying why the key names no period. */
export type CardAnswer = CardPage | { problem: string };

export async function loadCard(scope: DiaryScope, key: string, now: number): Promise<CardAnswer> {
  const spec = parseCardKey(key);
  if (!spec) return { problem: `"${key}" is not a period this app knows.` };
  const h = await cardHistory(scope);
  let period: CardPeriod;
  try {
    period = cardPeriod(spec, {
      zone: h.zone,
      now,
      firstPlay: h.firstPlay,
      hemisphere: hemisphereOf(h.zone),
    });
  } catch (err) {
    if (err instanceof RangeError) return { problem: err.message };
    throw err;
  }
  const full = periodCard({
    timeline: h.timeline,
    from: period.from,
    to: period.to,
    previous: period.previous,
    features: h.features,
    limit: PUSH_LIST,
  });
  const card: PeriodCard = {
    ...full,
    topTracks: full.topTracks.slice(0, CARD_LIST),
    topArtists: full.topArtists.slice(0, CARD_LIST),
    discoveries: { ...full.discoveries, top: full.discoveries.top.slice(0, CARD_LIST) },
  };
  return {
    zone: h.zone,
    period,
    card,
    pushIds: full.topTracks.map((t) => t.trackId),
    tracks: h.tracks,
  };
}

/** The tracks a picture draws, read again: covers fetched since the card was read are drawn too. */
export function readTracks(scope: DiaryScope, ids: Iterable<string>): Promise<Map<string, Track>> {
  return getTracks(scope.db, ids);
}

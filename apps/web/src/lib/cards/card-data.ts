// Reads one account's stored facts for the time-machine cards and hands them
// to @mtm/core, which derives every number: a card for any period, "on this
// day" and the diary at a glance (calendar heatmap, month covers).
import {
  ON_THIS_DAY_YEARS,
  cardPeriod,
  dateOfDay,
  dayOfDate,
  dayStart,
  localDayAt,
  onThisDay,
  parseCardKey,
  periodCard,
  playTimeline,
  weekdayOf,
  hemisphereOf,
  type CardPeriod,
  type OnThisDayEntry,
  type PeriodCard,
  type PlayTimeline,
  type Play,
  type Track,
  type YearAtAGlance,
  yearAtAGlance,
} from '@mtm/core';
import type { DiaryScope } from '../app/app-context.svelte';
import { loadHistory } from '../db/history';
import { GLANCE_CACHE, PLAYS_REVISION, accountKey, readMeta, writeMeta } from '../db/meta';
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

export interface OnThisDayPage {
  zone: string;
  /** Today's local date. */
  today: { year: number; month: number; day: number };
  entries: OnThisDayEntry[];
  tracks: ReadonlyMap<string, Track>;
}

/**
 * "On this day" reads only the weeks around today's date 1, 2, 5 and 10 years
 * ago (four small reads), never the whole diary: the home screen stays quick.
 */
export async function loadOnThisDay(scope: DiaryScope, now: number): Promise<OnThisDayPage> {
  const zone = effectiveTimeZone(await loadSettings(scope.db, scope.accountId));
  const today = dateOfDay(localDayAt(zone, now));
  const plays: Play[] = [];
  const tracks = new Map<string, Track>();
  for (const k of ON_THIS_DAY_YEARS) {
    const day = dayOfDate(today.year - k, today.month, today.day);
    if (day === null) continue;
    const monday = day - weekdayOf(day);
    const h = await loadHistory(scope.db, scope.accountId, {
      from: dayStart(zone, monday),
      to: dayStart(zone, monday + 7),
    });
    plays.push(...h.plays);
    for (const [id, t] of h.tracks) tracks.set(id, t);
  }
  const entries = onThisDay(playTimeline(plays, zone, tracks), now);
  return { zone, today, entries, tracks };
}

export interface Glance {
  zone: string;
  /** Newest year first, as the timeline lists them. */
  years: YearAtAGlance[];
  /** The month tops' tracks, for their covers. */
  tracks: ReadonlyMap<string, Track>;
}

/**
 * The calendar heatmaps and month covers. Counting every day needs every play
 * (300,000 after a 10-year import), so the answer is kept in meta with the
 * plays revision it was computed for, as the diary timeline is; covers are read
 * fresh, since they arrive later than plays.
 */
export async function loadGlance(scope: DiaryScope): Promise<Glance> {
  const { db, accountId } = scope;
  const zone = effectiveTimeZone(await loadSettings(db, accountId));
  const revision = await readMeta<string>(db, accountKey(accountId, PLAYS_REVISION));
  const stamp = `1|${zone}|${revision ?? ''}`;
  const cacheKey = accountKey(accountId, GLANCE_CACHE);
  const cached = await readMeta<{ stamp: string; years: YearAtAGlance[] }>(db, cacheKey);
  let years = cached?.stamp === stamp ? cached.years : null;
  if (!years) {
    const { plays } = await loadHistory(db, accountId, { tracks: false });
    const tl = playTimeline(plays, zone);
    years = [];
    if (plays.length > 0) {
      const first = dateOfDay(tl.day[0]!).year;
      const last = dateOfDay(tl.day[tl.day.length - 1]!).year;
      for (let y = last; y >= first; y--) years.push(yearAtAGlance(tl, y));
    }
    await writeMeta(db, cacheKey, { stamp, years });
  }
  const ids = years.flatMap((y) => y.monthTops.filter((id): id is string => id !== null));
  return { zone, years, tracks: await getTracks(db, ids) };
}

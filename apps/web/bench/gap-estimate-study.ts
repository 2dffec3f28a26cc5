// Study, not a test (issue 14): can a gap's estimate follow the listening of
// the gap itself, from what the capture already holds (the full page of 50
// plays after the gap and the stored plays before it), better than core's
// estimateMissingPlays (the listener's plays per hour of the week over the
// previous eight weeks)? Same 200 three-day gaps as `capture-gaps.ts
// --accuracy` (and the same --shift=N), each candidate scored by how many
// are within 25% of the plays really lost. Two oracles, which read the true
// volume of some days, bound what any rule can do with this listener.
//
//   cd apps/web && pnpm exec tsx bench/gap-estimate-study.ts [--shift=N]
import { generateExport } from '@mtm/spotify-emulator';
import { STREAM_THRESHOLD_MS, estimateMissingPlays, parseExportFile } from '@mtm/core';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const A = Date.UTC(2025, 5, 1);
const B = Date.UTC(2026, 10, 30);
const shiftArg = process.argv.find((a) => a.startsWith('--shift='));
const shift = shiftArg ? Number(shiftArg.slice('--shift='.length)) : 0;
if (!Number.isInteger(shift) || shift < 0 || shift > 48)
  throw new RangeError(`--shift takes whole hours from 0 to 48, got ${shiftArg}`);

const all = generateExport({ from: A, to: B })
  .filter((f) => /Streaming_History_Audio_/.test(f.name))
  .flatMap((f) => parseExportFile(f.name, f.text, { accountId: 'x', now: B + DAY }).plays)
  .filter((p) => p.msPlayed >= STREAM_THRESHOLD_MS)
  .map((p) => p.playedAt)
  .sort((a, b) => a - b);
const count = (from: number, to: number) => all.filter((t) => t >= from && t < to).length;

const hourOfWeek = (t: number) => ((Math.floor(t / HOUR) % 168) + 168) % 168;
/** Plays per hour of the week over the eight weeks before `before`. */
function profile(history: readonly number[], before: number): number[] {
  const per = new Array<number>(168).fill(0);
  for (const t of history) if (t >= before - 8 * WEEK && t < before) per[hourOfWeek(t)]! += 1 / 8;
  return per;
}
/** What the profile predicts over [from, to), partial hours by their share. */
function expected(per: readonly number[], from: number, to: number): number {
  let sum = 0;
  for (let t = from; t < to;) {
    const end = Math.min((Math.floor(t / HOUR) + 1) * HOUR, to);
    sum += (per[hourOfWeek(t)]! * (end - t)) / HOUR;
    t = end;
  }
  return sum;
}
/** Each UTC day the gap touches: the part in the gap, and whether it is whole. */
function days(gap: { from: number; to: number }) {
  const out: { day: number; from: number; to: number; whole: boolean }[] = [];
  for (let day = Math.floor(gap.from / DAY) * DAY; day < gap.to; day += DAY) {
    const from = Math.max(day, gap.from);
    const to = Math.min(day + DAY, gap.to);
    out.push({ day, from, to, whole: from === day && to === day + DAY });
  }
  return out;
}

interface Case {
  history: number[];
  gap: { from: number; to: number };
  page: number[];
  now: number;
}
type Rule = (c: Case) => number;
const rules: [string, Rule][] = [
  ['history only (core today)', (c) => estimateMissingPlays(c.history, c.gap)!],
];
// the whole gap scaled by observed/expected over the page after it (49 plays
// after the oldest, to now) and the `before` hours of stored plays before it,
// shrunk toward 1 by k pseudo-plays
for (const [k, before] of [
  [20, 0],
  [80, 0],
  [20, 24],
  [80, 24],
] as const)
  rules.push([
    `whole gap x edge ratio, k ${k}, ${before} h before`,
    (c) => {
      const per = profile(c.history, c.gap.from);
      let obs = c.page.length - 1;
      let exp = expected(per, c.gap.to, c.now);
      if (before > 0) {
        obs += c.history.filter((t) => t >= c.gap.from - before * HOUR).length;
        exp += expected(per, c.gap.from - before * HOUR, c.gap.from);
      }
      return Math.round((expected(per, c.gap.from, c.gap.to) * (obs + k)) / (exp + k));
    },
  ]);
// each edge's ratio fading with the distance from that edge (tau hours)
for (const tau of [3, 6, 12])
  rules.push([
    `edge ratios fading over ${tau} h, k 20`,
    (c) => {
      const per = profile(c.history, c.gap.from);
      const k = 20;
      const ra = (c.page.length - 1 + k) / (expected(per, c.gap.to, c.now) + k);
      const ob = c.history.filter((t) => t >= c.gap.from - 12 * HOUR).length;
      const rb = (ob + k) / (expected(per, c.gap.from - 12 * HOUR, c.gap.from) + k);
      let sum = 0;
      for (let t = c.gap.from; t < c.gap.to;) {
        const end = Math.min((Math.floor(t / HOUR) + 1) * HOUR, c.gap.to);
        const mid = (t + end) / 2;
        const f =
          1 +
          (ra - 1) * Math.exp(-(c.gap.to - mid) / (tau * HOUR)) +
          (rb - 1) * Math.exp(-(mid - c.gap.from) / (tau * HOUR));
        sum += (per[hourOfWeek(t)]! * (end - t) * Math.max(0, f)) / HOUR;
        t = end;
      }
      return Math.round(sum);
    },
  ]);
// the gap's first and last (partial) days scaled by what was seen of the same day
for (const k of [20, 40])
  rules.push([
    `edge days x that day's seen ratio, k ${k}`,
    (c) => {
      const per = profile(c.history, c.gap.from);
      const first = Math.floor(c.gap.from / DAY) * DAY;
      const last = Math.floor(c.gap.to / DAY) * DAY;
      const oFirst = c.history.filter((t) => t >= first).length;
      const eFirst = expected(per, first, c.gap.from);
      const lastEnd = Math.min(c.now, last + DAY);
      const oLast = c.page.filter((t) => t > c.gap.to && t < lastEnd).length;
      const eLast = expected(per, c.gap.to, lastEnd);
      let sum = 0;
      for (const d of days(c.gap)) {
        let obs = 0;
        let exp = 0;
        if (d.day === first) [obs, exp] = [obs + oFirst, exp + eFirst];
        if (d.day === last) [obs, exp] = [obs + oLast, exp + eLast];
        sum += (expected(per, d.from, d.to) * (obs + k)) / (exp + k);
      }
      return Math.round(sum);
    },
  ]);
// oracles: the true volume of some UTC days, the profile's shape within them
const oracle =
  (which: 'all' | 'whole' | 'edges'): Rule =>
  (c) => {
    const per = profile(c.history, c.gap.from);
    let sum = 0;
    for (const d of days(c.gap)) {
      const known = which === 'all' || (which === 'whole') === d.whole;
      const part = expected(per, d.from, d.to);
      sum += known ? (part * count(d.day, d.day + DAY)) / expected(per, d.day, d.day + DAY) : part;
    }
    return Math.round(sum);
  };
rules.push(['ORACLE: true volume of the whole days only', oracle('whole')]);
rules.push(['ORACLE: true volume of the two edge days only', oracle('edges')]);
rules.push(['ORACLE: true volume of every day', oracle('all')]);

const cases: (Case & { lost: number })[] = [];
for (let i = 0; i < 200; i++) {
  // the windows of capture-gaps.ts --accuracy
  const seen =
    A +
    90 * DAY +
    Math.floor((i * (B - A - 95 * DAY)) / 200) +
    ((i * 7919) % 24) * HOUR +
    shift * HOUR;
  const cursor = all.filter((t) => t <= seen).at(-1)!;
  const now = seen + 3 * DAY;
  const page = all.filter((t) => t <= now).slice(-50);
  const lost = all.filter((t) => t > cursor && t < page[0]!).length;
  const history = all.filter((t) => t < seen && t >= seen - 9 * WEEK);
  cases.push({ history, gap: { from: seen, to: page[0]! }, page, now, lost });
}
console.log(`200 three-day gaps${shift ? `, windows shifted ${shift} h` : ''}`);
for (const [name, rule] of rules) {
  const errors = cases.map((c) => (rule(c) - c.lost) / c.lost).sort((a, b) => a - b);
  const within = errors.filter((e) => Math.abs(e) <= 0.25).length;
  console.log(
    `${name.padEnd(48)} median ${(errors[100]! * 100).toFixed(1).padStart(5)}%, ${within} of 200 within 25%`,
  );
}

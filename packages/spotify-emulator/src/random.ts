// Deterministic randomness. Every datum the emulator invents (catalogue,
// plays, fault decisions) comes from a generator seeded by a hash of the
// emulator seed and a label, so one part can be recomputed lazily and alone
// (for example the plays of a single day) without replaying everything else.

export type Rng = () => number;

/** 32-bit FNV-1a over a string, mixed with a numeric seed. */
export function hash32(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** mulberry32: small, fast and good enough for synthetic data. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function rngFor(seed: number, label: string): Rng {
  return rng(hash32(seed, label));
}

export function int(r: Rng, min: number, maxInclusive: number): number {
  return min + Math.floor(r() * (maxInclusive - min + 1));
}

export function pick<T>(r: Rng, items: readonly T[]): T {
  const item = items[Math.floor(r() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** Standard normal via Box-Muller. */
export function normal(r: Rng): number {
  const u = Math.max(r(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A Spotify-style 22-character base62 id. */
export function base62Id(r: Rng, length = 22): string {
  let s = '';
  for (let i = 0; i < length; i++) s += BASE62[Math.floor(r() * 62)];
  return s;
}

/** Index of the first cumulative weight greater than x (x in [0, total)). */
export function searchCumulative(cumulative: Float64Array | number[], x: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cumulative[mid] as number) > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

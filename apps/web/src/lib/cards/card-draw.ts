// Paints a card as a picture with Canvas 2D, in a worker's OffscreenCanvas or,
// where the platform has none, on a canvas of the page. Canvas 2D needs no
// library and draws covers (ImageBitmaps) and text directly; an SVG-to-PNG
// route would have to inline every cover as a data URL and ship a rasteriser.
// The font is the app's own stack (app.css: system-ui and friends), the
// fonts already on the device: nothing is fetched, no font CDN.
import { coverBackground, coverInitials } from '../ui/cover-fallback';

export type PictureFormat = 'story' | 'square';
export type PictureTheme = 'dark' | 'light';

export const PICTURE_SIZE: Record<PictureFormat, { width: number; height: number }> = {
  story: { width: 1080, height: 1920 },
  square: { width: 1080, height: 1080 },
};

export interface PictureTrack {
  name: string;
  artist: string;
  streams: number;
  /** Decoded cover, or null: the generated artwork is painted instead. */
  cover: ImageBitmap | null;
  /** For the generated artwork's colour (the album's name, as on screen). */
  seed: string;
}

export interface PictureData {
  format: PictureFormat;
  theme: PictureTheme;
  label: string;
  streams: number;
  minutes: number;
  tracks: PictureTrack[];
  artists: string[];
  /** Short lines: discoveries, the streak, the busiest day. */
  facts: string[];
  /** Streams per weekday (0 = Monday) and hour, 168 cells. */
  clock: number[];
  /** Said instead of the lists when the period has little data. */
  note: string | null;
}

// The app's colours (app.css), checked there for WCAG AA in both themes.
const THEMES = {
  dark: { bg: '#14111d', border: '#3a3450', text: '#f1eef7', muted: '#b6aecb', accent: '#f29e4c' },
  light: {
    bg: '#faf8f5',
    border: '#d9d3e3',
    text: '#1d1a24',
    muted: '#57506a',
    accent: '#a44a00',
  },
} as const;

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

type Ctx = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

const font = (ctx: Ctx, weight: number, px: number) => (ctx.font = `${weight} ${px}px ${FONT}`);

/** Cuts `text` with an ellipsis to fit `width`. */
function fit(ctx: Ctx, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ctx.measureText(text.slice(0, mid) + '…').width <= width) lo = mid;
    else hi = mid - 1;
  }
  return text.slice(0, lo) + '…';
}

function roundRect(ctx: Ctx, x: number, y: number, w: number, h: number, r: number): void {
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, r);
}

function cover(ctx: Ctx, t: PictureTrack, x: number, y: number, size: number): void {
  ctx.save();
  roundRect(ctx, x, y, size, size, size * 0.08);
  ctx.clip();
  if (t.cover) ctx.drawImage(t.cover, x, y, size, size);
  else {
    ctx.fillStyle = coverBackground(t.seed);
    ctx.fillRect(x, y, size, size);
    ctx.fillStyle = '#ffffff';
    font(ctx, 700, size * 0.32);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(coverInitials(t.seed), x + size / 2, y + size / 2);
  }
  ctx.restore();
}

const n = (x: number) => x.toLocaleString('en-US');

/** Paints the whole picture onto a canvas of PICTURE_SIZE[data.format]. */
export function drawCard(ctx: Ctx, data: PictureData): void {
  const { width, height } = PICTURE_SIZE[data.format];
  const c = THEMES[data.theme];
  const story = data.format === 'story';
  const pad = 80;
  const inner = width - 2 * pad;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  ctx.fillStyle = c.bg;
  ctx.fillRect(0, 0, width, height);

  let y = story ? 150 : 110;
  ctx.fillStyle = c.accent;
  font(ctx, 600, 34);
  ctx.fillText('MUSIC TIME MACHINE', pad, y);
  y += story ? 100 : 80;
  ctx.fillStyle = c.text;
  font(ctx, 800, story ? 96 : 76);
  ctx.fillText(fit(ctx, data.label, inner), pad, y);

  y += story ? 110 : 80;
  const half = inner / 2;
  for (const [i, [value, what]] of (
    [
      [n(data.minutes), 'minutes'],
      [n(data.streams), 'streams'],
    ] as const
  ).entries()) {
    ctx.fillStyle = c.text;
    font(ctx, 800, story ? 84 : 64);
    ctx.fillText(fit(ctx, value, half - 20), pad + i * half, y);
    ctx.fillStyle = c.muted;
    font(ctx, 500, 34);
    ctx.fillText(what, pad + i * half, y + 48);
  }
  y += story ? 120 : 100;

  if (data.note) {
    ctx.fillStyle = c.muted;
    font(ctx, 500, 38);
    ctx.fillText(fit(ctx, data.note, inner), pad, y + 40);
    y += 100;
  }

  const rows = data.tracks.slice(0, story ? 5 : 3);
  const size = story ? 130 : 120;
  const gap = 24;
  for (const [i, t] of rows.entries()) {
    cover(ctx, t, pad, y, size);
    const tx = pad + size + 36;
    const tw = inner - size - 36;
    ctx.fillStyle = c.accent;
    font(ctx, 800, 36);
    ctx.fillText(String(i + 1), tx, y + 46);
    ctx.fillStyle = c.text;
    font(ctx, 700, story ? 44 : 40);
    ctx.fillText(fit(ctx, t.name, tw - 50), tx + 50, y + 46);
    ctx.fillStyle = c.muted;
    font(ctx, 500, 32);
    ctx.fillText(fit(ctx, t.artist, tw), tx, y + 90);
    ctx.fillText(`${n(t.streams)} streams`, tx, y + (story ? 126 : 130));
    y += size + gap;
  }

  y += 20;
  // the square has room for the artists only when the note took no space
  if (data.artists.length > 0 && (story || y + 80 < height - 110)) {
    ctx.fillStyle = c.muted;
    font(ctx, 600, 32);
    ctx.fillText('TOP ARTISTS', pad, y);
    ctx.fillStyle = c.text;
    font(ctx, 600, 40);
    ctx.fillText(fit(ctx, data.artists.slice(0, 5).join(' · '), inner), pad, y + 56);
    y += 110;
  }
  if (story) {
    for (const f of data.facts.slice(0, 3)) {
      ctx.fillStyle = c.text;
      font(ctx, 500, 36);
      ctx.fillText(fit(ctx, f, inner), pad, y);
      y += 54;
    }
    drawClock(ctx, data.clock, pad, height - 110 - CLOCK_HEIGHT, inner, c);
  }

  ctx.fillStyle = c.muted;
  font(ctx, 500, 28);
  ctx.fillText('From my own listening diary, kept on my device', pad, height - 60);
}

const CLOCK_ROW = 24;
/** The clock's title and seven rows, drawn above the footer. */
const CLOCK_HEIGHT = 30 + 7 * (CLOCK_ROW + 3);

function drawClock(
  ctx: Ctx,
  clock: readonly number[],
  x: number,
  y: number,
  width: number,
  c: (typeof THEMES)[PictureTheme],
): void {
  const max = Math.max(0, ...clock);
  if (max === 0) return;
  ctx.fillStyle = c.muted;
  font(ctx, 600, 32);
  ctx.fillText('WHEN I LISTENED', x, y);
  const labelW = 80;
  const cell = (width - labelW) / 24;
  const days = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  for (let d = 0; d < 7; d++) {
    const cy = y + 30 + d * (CLOCK_ROW + 3);
    ctx.fillStyle = c.muted;
    font(ctx, 500, 22);
    ctx.fillText(days[d]!, x, cy + CLOCK_ROW * 0.8);
    for (let h = 0; h < 24; h++) {
      const v = clock[d * 24 + h]! / max;
      ctx.fillStyle = c.border;
      ctx.fillRect(x + labelW + h * cell, cy, cell - 3, CLOCK_ROW);
      if (v > 0) {
        ctx.globalAlpha = 0.15 + 0.85 * v;
        ctx.fillStyle = c.accent;
        ctx.fillRect(x + labelW + h * cell, cy, cell - 3, CLOCK_ROW);
        ctx.globalAlpha = 1;
      }
    }
  }
}

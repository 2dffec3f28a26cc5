// The app's generated artwork for a missing cover: a colour from the name and
// its initials. cover-art.svelte shows it on screen and the shared picture
// (lib/cards/card-draw.ts) paints the same, so a cover never shows broken.

/** A hue (0..359) that stays the same for the same seed. */
export const coverHue = (seed: string): number =>
  [...seed].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % 360;

/** Up to two initials of an album or track name ("Blue Train cover" -> "BT"). */
export const coverInitials = (alt: string): string =>
  alt
    .replace(/ cover$/, '')
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase() ?? '')
    .join('');

/** 28% lightness keeps white initials above 4.5:1 contrast for every hue. */
export const coverBackground = (seed: string): string => `hsl(${coverHue(seed)} 45% 28%)`;

// Word lists for plausible, clearly synthetic names. Mixing a few dozen words
// per slot gives thousands of distinct titles without shipping real ones.
import { type Rng, pick } from './random.js';

const FIRST = [
  'Mara',
  'Jonah',
  'Elsa',
  'Theo',
  'Nina',
  'Oskar',
  'Lena',
  'Ravi',
  'Ines',
  'Milo',
  'Yara',
  'Felix',
  'Ada',
  'Kai',
  'Noor',
  'Leon',
  'Sofia',
  'Hugo',
  'Zoe',
  'Arlo',
  'Maya',
  'Emil',
  'Iris',
  'Luca',
  'Vera',
  'Omar',
  'Greta',
  'Tomas',
  'Lila',
  'Ezra',
  'Zoë',
  'Søren',
  'Amélie',
  'José',
  'Łucja',
  'Björn',
];
const LAST = [
  'Vale',
  'Hart',
  'Lindqvist',
  'Moreau',
  'Okafor',
  'Brandt',
  'Castell',
  'Reyes',
  'Nakamura',
  'Fontaine',
  'Adler',
  'Solberg',
  'Quinn',
  'Marlow',
  'Ferreira',
  'Kowalski',
  'Haddad',
  'Ellison',
  'Sato',
  'Varga',
  'Lund',
  'Mercer',
  'Duval',
  'Novak',
  'Müller',
  'Ødegaard',
  'Núñez',
  'Çelik',
];
const ADJ = [
  'Velvet',
  'Paper',
  'Neon',
  'Silver',
  'Hollow',
  'Golden',
  'Quiet',
  'Electric',
  'Northern',
  'Crimson',
  'Glass',
  'Wild',
  'Midnight',
  'Lunar',
  'Amber',
  'Static',
  'Tidal',
  'Wooden',
  'Faded',
  'Bright',
  'Distant',
  'Copper',
  'Secret',
  'Endless',
  'Broken',
  'Gentle',
  'Restless',
  'Frozen',
  'Sunday',
  'Violet',
];
const NOUN = [
  'Harbor',
  'Lights',
  'Foxes',
  'Engines',
  'Gardens',
  'Rivers',
  'Satellites',
  'Wolves',
  'Echoes',
  'Ghosts',
  'Machines',
  'Pilots',
  'Sparrows',
  'Tides',
  'Mirrors',
  'Valleys',
  'Signals',
  'Parade',
  'Orchard',
  'Horizon',
  'Comets',
  'Letters',
  'Islands',
  'Winters',
  'Atlas',
  'Canyon',
  'Motel',
  'Arcade',
  'Chorus',
  'Meadow',
];
const VERB = [
  'Falling',
  'Running',
  'Dancing',
  'Waiting',
  'Burning',
  'Drifting',
  'Calling',
  'Breathing',
  'Dreaming',
  'Holding',
  'Leaving',
  'Chasing',
  'Floating',
  'Singing',
  'Shining',
];
const PLACE = [
  'Lisbon',
  'the Coast',
  'Paris',
  'Tokyo',
  'the North',
  'Berlin',
  'the Valley',
  'Home',
  'the City',
  'Sunset Road',
  'Oslo',
  'Havana',
  'the Sea',
  'Nowhere',
  'Brooklyn',
  'Zürich',
  'São Paulo',
  '東京',
];
const SHORT = [
  'Gravity',
  'Heartbeat',
  'Afterglow',
  'Paradise',
  'Daylight',
  'Overdrive',
  'Satellite',
  'Wildfire',
  'Lullaby',
  'Monsoon',
  'Polaroid',
  'Undertow',
  'Kaleidoscope',
  'Nostalgia',
  'Runaway',
  'Serenade',
  'Vertigo',
  'Shelter',
  'Mirage',
  'Stardust',
  'Fever',
  'Blue',
  'Honey',
  'Tremor',
  'Ember',
  'Solstice',
  'Crush',
  'Bloom',
  'Ritual',
  'Echo',
];
const SUFFIX = ['', '', '', '', '', ' (Acoustic)', ' (Live)', ' - Remix', ' Pt. II', ' (Reprise)'];

export function artistName(r: Rng): string {
  switch (Math.floor(r() * 5)) {
    case 0:
      return `${pick(r, FIRST)} ${pick(r, LAST)}`;
    case 1:
      return `The ${pick(r, ADJ)} ${pick(r, NOUN)}`;
    case 2:
      return `${pick(r, ADJ)} ${pick(r, NOUN)}`;
    case 3:
      return `${pick(r, FIRST)} & the ${pick(r, NOUN)}`;
    default:
      return `${pick(r, SHORT)}${pick(r, ['', ' Club', ' Collective', ' Kids', ' Theory', ' Society'])}`;
  }
}

export function albumName(r: Rng): string {
  switch (Math.floor(r() * 4)) {
    case 0:
      return `${pick(r, ADJ)} ${pick(r, NOUN)}`;
    case 1:
      return pick(r, SHORT);
    case 2:
      return `Songs from ${pick(r, PLACE)}`;
    default:
      return `${pick(r, NOUN)} & ${pick(r, NOUN)}`;
  }
}

export function trackName(r: Rng): string {
  let base: string;
  switch (Math.floor(r() * 6)) {
    case 0:
      base = `${pick(r, VERB)} ${pick(r, ['Through', 'Into', 'Over', 'Past', 'Toward'])} ${pick(r, PLACE)}`;
      break;
    case 1:
      base = `${pick(r, ADJ)} ${pick(r, SHORT)}`;
      break;
    case 2:
      base = pick(r, SHORT);
      break;
    case 3:
      base = `${pick(r, VERB)} ${pick(r, ['Slow', 'Fast', 'Home', 'Alone', 'Again', 'Tonight'])}`;
      break;
    case 4:
      base = `${pick(r, ['Letters to', 'Last Night in', 'Summer in', 'Lights of', 'Back to'])} ${pick(r, PLACE)}`;
      break;
    default:
      base = `${pick(r, ADJ)} ${pick(r, NOUN)}`;
  }
  return base + pick(r, SUFFIX);
}

export function personName(r: Rng): string {
  return `${pick(r, FIRST)} ${pick(r, LAST)}`;
}

export const PODCASTS = [
  'The Daily Groove',
  'Deep Cuts Radio',
  'Song Exploder Club',
  'Morning Headlines',
  'History on Tape',
];
export const EPISODE_WORDS = ['Episode', 'Special', 'Interview', 'Live Session', 'Bonus'];

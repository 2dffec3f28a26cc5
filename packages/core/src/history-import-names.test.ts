import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isNameKey, nameKey, normaliseName } from './history-import-names.js';
import { isSpotifyTrackId } from './spotify-ids.js';

describe('nameKey', () => {
  it('ignores case, width, spacing and composition, so one song has one key', () => {
    expect(nameKey('  The   Beatles ', 'Let It Be')).toBe(nameKey('the beatles', 'LET IT BE'));
    expect(nameKey('ＡＢＢＡ', 'Ｓ.Ｏ.Ｓ')).toBe(nameKey('abba', 's.o.s'));
    expect(nameKey('Beyonce\u0301', 'Halo')).toBe(nameKey('Beyoncé', 'halo'));
    expect(nameKey('Die Ärzte', 'Straße')).toBe(nameKey('DIE ÄRZTE', 'STRASSE'));
    expect(nameKey('ΣΩΣ', 'x')).toBe(nameKey('σωσ', 'x'));
  });

  it('keeps artist and title apart: moving a word across the boundary changes the key', () => {
    expect(nameKey('a', 'b c')).not.toBe(nameKey('a b', 'c'));
    expect(nameKey('a\u001fb', 'c')).not.toBe(nameKey('a', 'b\u001fc'));
  });

  it('is a name key and never looks like a Spotify id', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        (a, t) => isNameKey(nameKey(a, t)) && !isSpotifyTrackId(nameKey(a, t)),
      ),
    );
  });

  it('normalising twice changes nothing (any unicode)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        (s) => normaliseName(normaliseName(s)) === normaliseName(s),
      ),
      { numRuns: 300 },
    );
  });

  it('differs only by case or surrounding spaces gives the same key', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme-ascii' }),
        fc.string({ unit: 'grapheme-ascii' }),
        (a, t) => nameKey(` ${a.toUpperCase()}  `, `\t${t.toLowerCase()}`) === nameKey(a, t),
      ),
    );
  });
});

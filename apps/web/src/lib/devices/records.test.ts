import { describe, expect, it } from 'vitest';
import { monthToUpload, settingsToUpload } from './records';
import {
  decodeMonth,
  decodePushes,
  decodeSettings,
  encodeMonth,
  encodePushes,
  encodeSettings,
} from './payloads';
import { ACCOUNT, feature, outboxRow, play, spotifyId, track } from './test-support/devices';
import { DeviceSyncError } from './device-sync-error';
import type { ReceivedMonth } from '../db/sync-records';

/** The week of Monday 4 March 2024; the plays are on Sunday the 10th. */
const NAME = `plays/${ACCOUNT}/2024-03-04`;
const AT = Date.UTC(2024, 2, 10, 12);
const id = spotifyId(1);

function month(over: Partial<ReceivedMonth> = {}): ReceivedMonth {
  return {
    plays: [play(id, AT + 7_000), play(id, AT + 600_000, { source: 'recent' })],
    exact: new Set(),
    snapshots: [],
    tracks: [track(id)],
    features: [feature(id)],
    ...over,
  };
}

function code(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    return e instanceof DeviceSyncError ? e.code : String(e);
  }
}

describe('month payloads', () => {
  it('decode to what was encoded', () => {
    const m = month();
    const wire = JSON.parse(JSON.stringify(encodeMonth(ACCOUNT, m)));
    expect(decodeMonth(NAME, ACCOUNT, wire)).toEqual(m);
  });

  it('anything of the wrong shape is refused whole', () => {
    const good = () => JSON.parse(JSON.stringify(encodeMonth(ACCOUNT, month())));
    interface LooseWire {
      plays?: { src: string; track: number[]; ms: number[]; at: unknown[] };
      tracks: { artists: unknown }[];
      features: { source: string }[];
      snapshots: unknown[];
    }
    const cases: ((w: LooseWire) => void)[] = [
      (w) => delete w.plays,
      (w) => (w.plays!.src = 'ex'),
      (w) => (w.plays!.track = [0, 5]),
      (w) => (w.plays!.ms = [1]),
      (w) => (w.plays!.at = ['1', 2]),
      (w) => (w.tracks[0]!.artists = 'Band'),
      (w) => (w.features[0]!.source = 'elsewhere'),
      (w) =>
        ((w.tracks[0] as unknown as { album: { imageUrl: string } }).album.imageUrl =
          'javascript:alert(1)'),
      (w) => w.snapshots.push({ at: AT, range: 'forever', ranks: [] }),
    ];
    for (const change of cases) {
      const w = good();
      change(w);
      expect(code(() => decodeMonth(NAME, ACCOUNT, w))).toBe('SYNC_TAMPERED');
    }
  });

  it('refuses a row outside the week the record is named for', () => {
    const w = JSON.parse(JSON.stringify(encodeMonth(ACCOUNT, month())));
    expect(code(() => decodeMonth(`plays/${ACCOUNT}/2024-03-11`, ACCOUNT, w))).toBe(
      'SYNC_TAMPERED',
    );
    // a snapshot taken the next Monday is not this week's either
    const late = month({
      snapshots: [
        {
          id: 's',
          accountId: ACCOUNT,
          takenAt: Date.UTC(2024, 2, 11, 0, 0, 1),
          range: 'short_term',
          trackIds: [id],
        },
      ],
    });
    const w2 = JSON.parse(JSON.stringify(encodeMonth(ACCOUNT, late)));
    expect(code(() => decodeMonth(NAME, ACCOUNT, w2))).toBe('SYNC_TAMPERED');
  });

  it('reads a record of the first layout, named by month, by its month', () => {
    const w = JSON.parse(JSON.stringify(encodeMonth(ACCOUNT, month())));
    expect(decodeMonth(`plays/${ACCOUNT}/2024-03`, ACCOUNT, w).plays).toHaveLength(2);
    expect(code(() => decodeMonth(`plays/${ACCOUNT}/2024-04`, ACCOUNT, w))).toBe('SYNC_TAMPERED');
  });

  it('keeps no field the app does not know', () => {
    const w = JSON.parse(JSON.stringify(encodeMonth(ACCOUNT, month())));
    w.tracks[0].extra = 'x';
    expect(decodeMonth(NAME, ACCOUNT, w).tracks[0]).not.toHaveProperty('extra');
  });
});

describe('monthToUpload (what a device writes over the relay copy)', () => {
  it('nothing when the relay holds all it has; the union when it lacks a play, a snapshot, a feature or a cover', () => {
    const m = month();
    expect(monthToUpload(m, m)).toBeNull();
    const more = month({ plays: [...m.plays, play(id, AT + 900_000)] });
    expect(monthToUpload(more, m)!.plays).toHaveLength(3);
    const noCover = month({
      tracks: [track(id, { album: { id: null, name: 'LP', imageUrl: null } })],
    });
    const up = monthToUpload(m, noCover)!;
    expect(up.tracks[0]!.album.imageUrl).toBe(m.tracks[0]!.album.imageUrl);
    // a name of its own is not "more": no churn between two devices that disagree on it
    expect(monthToUpload(month({ tracks: [track(id, { name: 'Other' })] }), m)).toBeNull();
    expect(monthToUpload(m, month({ features: [] }))!.features).toHaveLength(1);
  });
});

describe('pushes and settings payloads', () => {
  it('a finished push arrives finished; a link or a track that is not Spotify is refused', () => {
    const done = outboxRow(ACCOUNT, 'p1', 'done', [`spotify:track:${id}`]);
    const wire = JSON.parse(JSON.stringify(encodePushes({ entries: [done] })));
    expect(decodePushes(ACCOUNT, wire).entries[0]).toMatchObject({
      id: 'p1',
      state: 'done',
      createAttempted: true,
    });
    const evil = JSON.parse(JSON.stringify(wire));
    evil.entries[0].playlistUrl = 'javascript:alert(1)';
    expect(code(() => decodePushes(ACCOUNT, evil))).toBe('SYNC_TAMPERED');
    const notTrack = JSON.parse(JSON.stringify(wire));
    notTrack.entries[0].uris = ['spotify:playlist:x'];
    expect(code(() => decodePushes(ACCOUNT, notTrack))).toBe('SYNC_TAMPERED');
  });

  it('settings with a cadence the app does not know are refused', () => {
    expect(
      code(() => decodeSettings({ updatedAt: 1, settings: { cadence: 'hourly', timeZone: null } })),
    ).toBe('SYNC_TAMPERED');
  });

  it('settings decode to what was encoded, each with its time; a record of an older build dates each at its updatedAt', () => {
    const s = {
      settings: { cadence: 'daily' as const, timeZone: 'Europe/Paris' },
      updatedAt: { cadence: 7_000, timeZone: 3_000 },
    };
    const wire = JSON.parse(JSON.stringify(encodeSettings(s)));
    // builds before per-setting times read only the latest
    expect(wire.updatedAt).toBe(7_000);
    expect(decodeSettings(wire)).toEqual(s);
    expect(
      decodeSettings({ updatedAt: 9, settings: { cadence: 'daily', timeZone: null } }),
    ).toEqual({
      settings: { cadence: 'daily', timeZone: null },
      updatedAt: { cadence: 9, timeZone: 9 },
    });
  });

  it('settings whose times are not times are refused', () => {
    const good = () =>
      JSON.parse(
        JSON.stringify(
          encodeSettings({
            settings: { cadence: 'daily', timeZone: null },
            updatedAt: { cadence: 7, timeZone: 3 },
          }),
        ),
      );
    const cases: ((w: Record<string, Record<string, unknown>>) => void)[] = [
      (w) => (w.updatedAt = '7' as never),
      (w) => (w.updatedAt = -1 as never),
      (w) => (w.updatedAt = 1.5 as never),
      (w) => (w.updatedAt = null as never),
      (w) => delete w.updatedAt,
      (w) => (w.settingsUpdatedAt = 7 as never),
      (w) => (w.settingsUpdatedAt = [7, 3] as never),
      (w) => (w.settingsUpdatedAt!.cadence = '7'),
      (w) => (w.settingsUpdatedAt!.timeZone = -3),
      (w) => (w.settingsUpdatedAt!.timeZone = 2 ** 60),
      (w) => delete w.settingsUpdatedAt!.cadence,
    ];
    expect(code(() => decodeSettings(good()))).toBeNull();
    for (const change of cases) {
      const w = good();
      change(w);
      expect(code(() => decodeSettings(w))).toBe('SYNC_TAMPERED');
    }
  });
});

describe('settingsToUpload (what a device writes over the relay copy)', () => {
  const relay = {
    settings: { cadence: 'monthly' as const, timeZone: 'Europe/Paris' },
    updatedAt: { cadence: 20, timeZone: 20 },
  };

  it('nothing when the relay holds the latest change of each setting, else each at its latest', () => {
    const older = {
      settings: { cadence: 'daily' as const, timeZone: null },
      updatedAt: { cadence: 10, timeZone: 0 },
    };
    expect(settingsToUpload(older, relay)).toBeNull();
    const newerZone = { ...older, updatedAt: { cadence: 10, timeZone: 30 } };
    expect(settingsToUpload(newerZone, relay)).toEqual({
      settings: { cadence: 'monthly', timeZone: null },
      updatedAt: { cadence: 20, timeZone: 30 },
    });
    expect(settingsToUpload(older, undefined)).toBe(older);
  });

  it('two changes dated alike: the same winner on both sides', () => {
    const tie = {
      settings: { cadence: 'daily' as const, timeZone: 'Europe/Paris' },
      updatedAt: relay.updatedAt,
    };
    // 'monthly' sorts after 'daily': the relay's copy wins, and from the other side so does it
    expect(settingsToUpload(tie, relay)).toBeNull();
    expect(settingsToUpload(relay, tie)).toEqual(relay);
  });
});

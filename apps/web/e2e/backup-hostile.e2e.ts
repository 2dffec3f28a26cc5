// Issue 12, "Hostile files, hostile pages", in Chromium against demo mode: a
// backup is a file anyone can hand over. One that would write under the
// device's keys, send tracks that are not tracks or carry a script as its
// playlist link is refused with words and changes nothing; an unfinished push
// in a restored backup waits in the outbox until the person taps Retry, and
// then makes exactly one playlist; a stored link that is not Spotify's is
// never rendered as one.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { isSpotifyTrackId, trackUri } from '@mtm/core';
import { startHarness, type Harness } from './harness';

interface ControlPlaylist {
  id: string;
  name: string;
  description: string;
  uris: string[];
}

interface Backup {
  account: { accountId: string };
  tracks: { id: string }[];
  snapshots: { accountId: string }[];
  plays: { accountId: string }[];
  outbox: Record<string, unknown>[];
  imports: { accountId: string }[];
  [key: string]: unknown;
}

const RESTORED_NAME = 'Restored From Elsewhere - Feb 2026';

/** Every row of the app's database, by store; tracks by their names only (covers may still land). */
function everyRow(page: Page): Promise<Record<string, unknown[]>> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((ok, ko) => {
      const r = indexedDB.open('music-time-machine');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => ko(r.error);
    });
    const out: Record<string, unknown[]> = {};
    for (const name of Array.from(db.objectStoreNames)) {
      const rows = await new Promise<unknown[]>((ok) => {
        const r = db.transaction(name).objectStore(name).getAll();
        r.onsuccess = () => ok(r.result as unknown[]);
      });
      out[name] =
        name === 'tracks'
          ? (rows as { id: string; name: string; artists: unknown }[]).map((t) => ({
              id: t.id,
              name: t.name,
              artists: t.artists,
            }))
          : rows;
    }
    db.close();
    return out;
  });
}

describe('issue 12: hostile backups', () => {
  let h: Harness;
  let dir: string;
  let good: Backup;
  const playlists = async () =>
    (await h.emulator.get<{ playlists: ControlPlaylist[] }>('/_emulator/playlists')).playlists;
  const playlistRequests = async () => {
    const { byOperation } = await h.emulator.get<{ byOperation: Record<string, number> }>(
      '/_emulator/requests',
    );
    return {
      create: byOperation['create-playlist'] ?? 0,
      find: byOperation['get-a-list-of-current-users-playlists'] ?? 0,
      add: byOperation['add-items-to-playlist'] ?? 0,
    };
  };
  const importFile = (name: string, file: unknown) =>
    h.page.locator('.backup input[type="file"]').setInputFiles({
      name,
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(file)),
    });
  /** The file with its account's and every row's id set to `id`. */
  const renamed = (id: string): Backup => {
    const own = <T extends { accountId: string }>(rows: T[]) =>
      rows.map((r) => ({ ...r, accountId: id }));
    return {
      ...good,
      account: { ...good.account, accountId: id },
      snapshots: own(good.snapshots),
      plays: own(good.plays),
      outbox: good.outbox.map((e) => ({ ...e, accountId: id })),
      imports: own(good.imports),
    };
  };
  const withPush = (push: Record<string, unknown>): Backup => ({
    ...good,
    outbox: [...good.outbox, push],
  });
  const unfinishedPush = (uris: string[]) => ({
    id: 'e2e-restored-push',
    accountId: good.account.accountId,
    createdAt: Date.UTC(2026, 1, 20),
    updatedAt: Date.UTC(2026, 1, 20),
    // the other device's tab was closed while it created the playlist
    state: 'creating',
    name: RESTORED_NAME,
    description: 'made by Music Time Machine from your history',
    uris,
    playlistId: null,
    playlistUrl: null,
    addedCount: 0,
    attempts: 1,
    lastError: null,
    createAttempted: true,
    finishedAt: null,
  });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mtm-backup-hostile-'));
    h = await startHarness();
    await h.connect();
    // in-app navigation: no second app open, so no sync writes while we compare
    await h.page.locator('nav[aria-label="Main"] a[href="/settings"]').click();
    const [download] = await Promise.all([
      h.page.waitForEvent('download'),
      h.page.getByTestId('backup-export').click(),
    ]);
    const path = join(dir, download.suggestedFilename());
    await download.saveAs(path);
    good = JSON.parse(await readFile(path, 'utf8')) as Backup;
  });
  afterAll(async () => {
    await h?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('refuses a hostile backup in words that name what is wrong, and changes nothing', async () => {
    const alert = h.page.locator('.backup [role="alert"]');
    const before = await everyRow(h.page);
    expect(before['playDays']!.length).toBeGreaterThan(0);
    const aTrack = trackUri(good.tracks.find((t) => isSpotifyTrackId(t.id))!.id);

    const hostile: [string, Backup, RegExp][] = [
      ['device.json', renamed('device'), /\(account\.accountId: "device" is a name this app keeps/],
      ['colon.json', renamed('a:b'), /\(account\.accountId: "a:b" is not an account id/],
      [
        'script-link.json',
        withPush({
          ...unfinishedPush([aTrack]),
          state: 'done',
          playlistId: '37i9dQZF1DXcBWIGoYBM5M',
          playlistUrl: 'javascript:alert(document.domain)',
        }),
        /playlistUrl: "javascript:alert\(document\.domain\)" is not a link to https:\/\/open\.spotify\.com\//,
      ],
      [
        'episode.json',
        withPush(unfinishedPush([aTrack, 'spotify:episode:512ojhOuo1ktJprKbVcKyQ'])),
        /uris\.1: "spotify:episode:512ojhOuo1ktJprKbVcKyQ" is not a Spotify track URI/,
      ],
    ];
    for (const [name, file, words] of hostile) {
      await importFile(name, file);
      // the file is read and checked in a worker: ~0.3 s more than on the page (its start)
      await expect.poll(() => alert.textContent(), { timeout: 30_000 }).toMatch(words);
      expect(await alert.textContent()).toMatch(/^This backup is damaged and was not imported \(/);
      expect(await alert.textContent()).toMatch(/Nothing was changed\.$/);
    }
    expect(await everyRow(h.page)).toEqual(before);
  });

  it('an unfinished push in a restored backup waits until Retry, then makes exactly one playlist', async () => {
    const uris = good.tracks
      .map((t) => t.id)
      .filter(isSpotifyTrackId)
      .slice(0, 3)
      .map(trackUri);
    expect(uris).toHaveLength(3);
    await importFile('from-the-other-phone.json', withPush(unfinishedPush(uris)));
    await h.page
      .locator('.backup [role="status"]')
      .filter({ hasText: /^Imported/ })
      .waitFor();

    // the next open of the app: a cold start, then a push of our own whose
    // pass runs after the open's pass (one runner, passes queued), so when it
    // is done every pass that could have sent the restored entry has run
    await h.emulator.post('/_emulator/requests/reset');
    await h.restartBrowser();
    await h.page.goto(`${h.baseUrl}/moods`);
    await h.page.getByTestId('mood-picks').waitFor({ timeout: 60_000 });
    await h.page.getByTestId('push-button').click();
    await h.page
      .locator('[data-testid="push-status"][data-state="done"]')
      .waitFor({ timeout: 60_000 });
    expect((await playlists()).filter((p) => p.name === RESTORED_NAME)).toEqual([]);
    // one playlist made (ours) and no marker lookup, which a resumed restored push starts with
    expect(await playlistRequests()).toMatchObject({ create: 1, find: 0 });

    await h.page.goto(`${h.baseUrl}/outbox`);
    const entry = h.page.locator('[data-testid="outbox-entry"]').filter({ hasText: RESTORED_NAME });
    await entry.waitFor();
    expect(await entry.getAttribute('data-state')).toBe('failed');
    expect(await entry.locator('.status').textContent()).toBe(
      'Restored from a backup: tap Retry to send it.',
    );
    await h.expectAccessible('outbox with a restored push');

    await entry.getByRole('button', { name: 'Retry' }).click();
    await h.page
      .locator('[data-testid="outbox-entry"][data-state="done"]')
      .filter({ hasText: RESTORED_NAME })
      .waitFor({ timeout: 60_000 });
    const made = (await playlists()).filter((p) => p.name === RESTORED_NAME);
    expect(made).toHaveLength(1);
    expect(made[0]!.uris).toEqual(uris);
    expect(made[0]!.description).toMatch(/\[mtm:e2e-restored-push\]$/);
    expect(await entry.getByRole('link', { name: 'Open in Spotify' }).getAttribute('href')).toBe(
      `https://open.spotify.com/playlist/${made[0]!.id}`,
    );
    expect(await playlistRequests()).toMatchObject({ create: 2 });
  });

  it('a stored playlist link that is not open.spotify.com is not rendered as a link', async () => {
    const stored = (id: string, name: string, playlistUrl: string) => ({
      ...unfinishedPush(['spotify:track:4uLU6hMCjMI75M1A2tKUQC']),
      id,
      name,
      state: 'done',
      playlistId: '37i9dQZF1DXcBWIGoYBM5M',
      playlistUrl,
      addedCount: 1,
      finishedAt: Date.UTC(2026, 1, 21),
    });
    // rows as an older build's restore could have stored them
    await h.page.evaluate(
      async (rows) => {
        const db = await new Promise<IDBDatabase>((ok, ko) => {
          const r = indexedDB.open('music-time-machine');
          r.onsuccess = () => ok(r.result);
          r.onerror = () => ko(r.error);
        });
        await new Promise<void>((ok, ko) => {
          const tx = db.transaction('outbox', 'readwrite');
          for (const row of rows) tx.objectStore('outbox').put(row);
          tx.oncomplete = () => ok();
          tx.onerror = () => ko(tx.error);
        });
        db.close();
      },
      [
        stored('e2e-script-link', 'Stored Script Link', 'javascript:document.title="pwned"'),
        stored(
          'e2e-other-host',
          'Stored Other Host',
          'https://open.spotify.com.example/playlist/x',
        ),
        stored('e2e-spotify-link', 'Stored Spotify Link', 'https://open.spotify.com/playlist/x'),
      ],
    );
    await h.page.goto(`${h.baseUrl}/outbox`);
    const entry = (name: string) =>
      h.page.locator('[data-testid="outbox-entry"][data-state="done"]').filter({ hasText: name });
    await entry('Stored Spotify Link').waitFor();
    expect(await entry('Stored Script Link').count()).toBe(1);
    expect(await entry('Stored Script Link').locator('a').count()).toBe(0);
    expect(await entry('Stored Other Host').count()).toBe(1);
    expect(await entry('Stored Other Host').locator('a').count()).toBe(0);
    expect(
      await entry('Stored Spotify Link')
        .getByRole('link', { name: 'Open in Spotify' })
        .getAttribute('href'),
    ).toBe('https://open.spotify.com/playlist/x');
  });
});

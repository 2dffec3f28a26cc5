// What the web app's outbox does around the client, reduced to its core, so
// the fault tests and the request benchmark drive a push the same way: a
// create whose answer may be lost is looked up by its marker before trying
// again, and an ambiguous push is resumed by calling pushTracks again.
import type { SpotifyClient } from '../client.js';
import { isAmbiguous } from '../errors.js';

export async function createOnce(
  client: SpotifyClient,
  marker: string,
  name = 'Forgotten gems',
): Promise<string> {
  for (let i = 0; i < 6; i++) {
    try {
      return (
        await client.createPlaylist({ name, description: `Made by Music Time Machine ${marker}` })
      ).id;
    } catch (e) {
      if (!isAmbiguous(e)) throw e;
      const found = await client.findMyPlaylist((p) => p.description.includes(marker));
      if (found) return found.id;
    }
  }
  throw new Error('could not create the playlist');
}

/** Pushes `uris`, resuming after ambiguous failures; returns how many resumes it took. */
export async function pushResuming(
  client: SpotifyClient,
  id: string,
  uris: string[],
  maxResumes: number,
): Promise<number> {
  let resumes = 0;
  for (;;) {
    try {
      await client.pushTracks(id, uris, { freshlyCreated: resumes === 0 });
      return resumes;
    } catch (e) {
      // a later call (the outbox retrying) resumes from what the playlist holds
      if (!isAmbiguous(e) || ++resumes > maxResumes) throw e;
    }
  }
}

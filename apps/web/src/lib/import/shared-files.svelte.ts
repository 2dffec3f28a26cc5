// Files shared to the app (share-target.ts) waiting on the Import page for
// the person to say Import or Discard: they never import by themselves,
// since any web page can post files to the share target (issue 12).
import { discardSharedFiles, sharedFiles, takeSharedFiles, type SharedFile } from './share-target';

export interface ShareSource {
  list: () => Promise<SharedFile[]>;
  take: (only: readonly SharedFile[]) => Promise<File[]>;
  discard: () => Promise<void>;
}

const cacheSource: ShareSource = {
  list: sharedFiles,
  take: takeSharedFiles,
  discard: discardSharedFiles,
};

export class SharedFiles {
  #waiting = $state<SharedFile[]>([]);
  #discarded = $state(false);

  constructor(private readonly source: ShareSource = cacheSource) {}

  /** Files shared and not yet imported or discarded. */
  get waiting(): readonly SharedFile[] {
    return this.#waiting;
  }
  /** The last answer was Discard. */
  get discarded(): boolean {
    return this.#discarded;
  }

  /** Looks for parked files (the Import page opens, or comes back to the front). */
  async check(): Promise<void> {
    this.#waiting = await this.source.list();
  }

  /** Import: the files shown, taken out of the cache for the import. */
  async accept(): Promise<File[]> {
    const shown = this.#waiting;
    this.#waiting = [];
    this.#discarded = false;
    return this.source.take(shown);
  }

  /** Discard: every parked file removed unread. */
  async discard(): Promise<void> {
    this.#waiting = [];
    await this.source.discard();
    this.#discarded = true;
  }
}

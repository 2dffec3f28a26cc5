import { SpotifyError } from './errors.js';

/** At most `max` holders at once; waiters are served first come, first served. */
export class Semaphore {
  #free: number;
  readonly #waiters: { grant: () => void }[] = [];
  #inUse = 0;
  #peak = 0;

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`maxConcurrent must be a positive integer, got ${max}`);
    this.#free = max;
  }

  get inUse(): number {
    return this.#inUse;
  }

  /** Highest number of simultaneous holders seen: lets tests and benchmarks check the cap. */
  get peak(): number {
    return this.#peak;
  }

  async acquire(signal?: AbortSignal): Promise<() => void> {
    throwIfAborted(signal);
    if (this.#free > 0) {
      this.#free--;
    } else {
      await new Promise<void>((resolve, reject) => {
        const waiter = {
          grant: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = () => {
          const i = this.#waiters.indexOf(waiter);
          if (i >= 0) this.#waiters.splice(i, 1);
          reject(abortError(signal));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        this.#waiters.push(waiter);
      });
    }
    this.#inUse++;
    this.#peak = Math.max(this.#peak, this.#inUse);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inUse--;
      const next = this.#waiters.shift();
      // hand the slot straight to the next waiter so a newcomer cannot jump the queue
      if (next) next.grant();
      else this.#free++;
    };
  }
}

export function abortError(signal?: AbortSignal): SpotifyError {
  return new SpotifyError('ABORTED', 'The request was aborted', { cause: signal?.reason });
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw abortError(signal);
}

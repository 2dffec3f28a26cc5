// State of one import on the Import page: a worker reads, validates and
// writes (import-job.ts), and this store keeps the numbers it posts for the
// page. Nothing here touches IndexedDB, so the main thread stays free. Cancel
// terminates the worker; files already finished stay, a file cut off mid-way
// stays `writing` in the journal and is completed by the next import of it.
import { emptySkips, type ExportFileKind, type SkipReason } from '@mtm/core';
import type { PageMessage, WorkerMessage } from './import-protocol';

export type FileState = 'reading' | 'writing' | 'done' | 'already' | 'failed';

export interface FileReport {
  /** Journal id; null for a file that could not be read. */
  id: string | null;
  name: string;
  kind: ExportFileKind | null;
  state: FileState;
  plays: number;
  written: number;
  /** Plain words for a failed file. */
  message: string | null;
}

export type ImportPhase = 'idle' | 'running' | 'finished' | 'cancelled' | 'failed';

export interface WorkerLike {
  onmessage: ((e: MessageEvent<WorkerMessage>) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
  postMessage(m: PageMessage): void;
  terminate(): void;
}

export interface ImportDeps {
  createWorker: () => WorkerLike;
  now: () => number;
}

export function createImportWorker(): WorkerLike {
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- Vite's worker syntax, not state
  return new Worker(new URL('./import.worker.ts', import.meta.url), {
    type: 'module',
  }) as unknown as WorkerLike;
}

let shared: ImportStore | null = null;

/**
 * The app's one import: it outlives the Import page, so moving to the diary
 * mid-import does not stop it (closing the tab does; the journal finishes it
 * next time).
 */
export function importStore(): ImportStore {
  shared ??= new ImportStore({ createWorker: createImportWorker, now: () => performance.now() });
  return shared;
}

export class ImportStore {
  #phase = $state<ImportPhase>('idle');
  #files = $state<FileReport[]>([]);
  #ignored = $state<string[]>([]);
  #read = $state(0);
  #imported = $state(0);
  #duplicates = $state(0);
  #skipped = $state<Record<SkipReason, number>>(emptySkips());
  #bytesRead = $state(0);
  #bytesTotal = $state(0);
  #elapsed = $state(0);
  #error = $state<string | null>(null);

  #startedAt = 0;
  #worker: WorkerLike | null = null;
  #settle: (() => void) | null = null;

  constructor(private readonly deps: ImportDeps) {}

  get phase() {
    return this.#phase;
  }
  get files() {
    return this.#files;
  }
  get ignored() {
    return this.#ignored;
  }
  /** Plays read from the files so far. */
  get read() {
    return this.#read;
  }
  /** New plays written. */
  get imported() {
    return this.#imported;
  }
  /** Plays the device already had (earlier import, or recently-played). */
  get duplicates() {
    return this.#duplicates;
  }
  get skipped() {
    return this.#skipped;
  }
  get error() {
    return this.#error;
  }

  /** 0..1: reading the bytes, then writing what was read. */
  get progress(): number {
    if (this.#phase === 'finished') return 1;
    const reading = this.#bytesTotal > 0 ? this.#bytesRead / this.#bytesTotal : 0;
    const writing = this.#read > 0 ? (this.#imported + this.#duplicates) / this.#read : 0;
    return Math.min(1, 0.2 * reading + 0.8 * reading * writing);
  }

  /** Estimated ms left, once there is enough to extrapolate from. */
  get etaMs(): number | null {
    const p = this.progress;
    if (this.#phase !== 'running' || p < 0.02 || this.#elapsed < 1_000) return null;
    return Math.round((this.#elapsed * (1 - p)) / p);
  }

  /** Resolves when the import has finished, failed or been cancelled. */
  start(files: File[], accountId: string, dbName: string): Promise<void> {
    if (this.#phase === 'running') throw new Error('an import is already running');
    this.#reset();
    this.#phase = 'running';
    this.#startedAt = this.deps.now();
    const worker = this.deps.createWorker();
    this.#worker = worker;
    const done = new Promise<void>((resolve) => {
      this.#settle = resolve;
    });
    worker.onmessage = (e) => this.#handle(e.data);
    worker.onerror = (e) => {
      this.#fail(e.message || 'the import worker stopped');
    };
    worker.postMessage({ type: 'start', files, accountId, dbName });
    return done;
  }

  cancel(): void {
    if (this.#phase !== 'running') return;
    this.#phase = 'cancelled';
    this.#stop();
  }

  #reset(): void {
    this.#files = [];
    this.#ignored = [];
    this.#read =
      this.#imported =
      this.#duplicates =
      this.#bytesRead =
      this.#bytesTotal =
      this.#elapsed =
        0;
    this.#skipped = emptySkips();
    this.#error = null;
  }

  #stop(): void {
    this.#worker?.terminate();
    this.#worker = null;
    this.#settle?.();
    this.#settle = null;
  }

  #fail(err: unknown): void {
    if (this.#phase !== 'running') return;
    this.#error = err instanceof Error ? err.message : String(err);
    this.#phase = 'failed';
    this.#stop();
  }

  #file(id: string): FileReport | undefined {
    return this.#files.findLast((f) => f.id === id);
  }

  #handle(m: WorkerMessage): void {
    // after cancel nothing more counts; the worker is already gone
    if (this.#phase !== 'running') return;
    this.#elapsed = this.deps.now() - this.#startedAt;
    switch (m.type) {
      case 'progress':
        this.#bytesRead = m.bytesRead;
        this.#bytesTotal = m.bytesTotal;
        return;
      case 'ignored':
        this.#ignored.push(m.name);
        return;
      case 'file-error':
        this.#files.push({
          id: null,
          name: m.name,
          kind: null,
          state: 'failed',
          plays: 0,
          written: 0,
          message: m.message,
        });
        return;
      case 'file': {
        this.#read += m.plays;
        for (const [reason, n] of Object.entries(m.skipped) as [SkipReason, number][])
          this.#skipped[reason] += n;
        // a file fully imported before: its plays are dropped unwritten
        if (!m.fresh) this.#duplicates += m.plays;
        this.#files.push({
          id: m.id,
          name: m.name,
          kind: m.kind,
          state: m.fresh ? 'writing' : 'already',
          plays: m.plays,
          written: 0,
          message: null,
        });
        return;
      }
      case 'written': {
        this.#imported += m.added;
        this.#duplicates += m.duplicates;
        const report = this.#file(m.fileId);
        if (report) report.written += m.plays;
        return;
      }
      case 'file-end': {
        const report = this.#file(m.fileId);
        if (report) report.state = 'done';
        return;
      }
      case 'rekeyed': {
        // name-keyed plays counted as new that were the same listens as stored ones
        const fromThisImport = Math.min(m.merged, this.#imported);
        this.#imported -= fromThisImport;
        this.#duplicates += fromThisImport;
        return;
      }
      case 'fatal':
        this.#fail(m.message);
        return;
      case 'done':
        this.#phase = 'finished';
        this.#stop();
        return;
    }
  }
}

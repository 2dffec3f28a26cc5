// State of one import on the Import page: a worker reads and validates, this
// store writes what it posts (through ImportWriter) and keeps the numbers the
// page shows. Cancel terminates the worker; files already finished stay, a
// file cut off mid-way stays `writing` in the journal and is completed by the
// next import of it.
import { emptySkips, type ExportFileKind, type SkipReason } from '@mtm/core';
import type { TimeMachineDb } from '../db/schema';
import { database } from '../db/database';
import type { PageMessage, WorkerMessage } from './import-protocol';
import { ImportWriter } from './import-writer';

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
  db: TimeMachineDb;
  createWorker: () => WorkerLike;
  now: () => number;
}

export function createImportWorker(): WorkerLike {
  return new Worker(new URL('./import.worker.ts', import.meta.url), { type: 'module' }) as unknown as WorkerLike;
}

let shared: ImportStore | null = null;

/**
 * The app's one import: it outlives the Import page, so moving to the diary
 * mid-import does not stop it (closing the tab does; the journal finishes it
 * next time).
 */
export function importStore(): ImportStore {
  shared ??= new ImportStore({ db: database(), createWorker: createImportWorker, now: () => performance.now() });
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
  #chain: Promise<void> = Promise.resolve();
  #dropped = new Set<string>();
  #kinds = new Map<string, ExportFileKind>();
  #settle: (() => void) | null = null;

  constructor(private readonly deps: ImportDeps) {}

  get phase() { return this.#phase; }
  get files() { return this.#files; }
  get ignored() { return this.#ignored; }
  /** Plays read from the files so far. */
  get read() { return this.#read; }
  /** New plays written. */
  get imported() { return this.#imported; }
  /** Plays the device already had (earlier import, or recently-played). */
  get duplicates() { return this.#duplicates; }
  get skipped() { return this.#skipped; }
  get error() { return this.#error; }

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
    const writer = new ImportWriter(this.deps.db, accountId, this.deps.now);
    const worker = this.deps.createWorker();
    this.#worker = worker;
    const done = new Promise<void>((resolve) => { this.#settle = resolve; });
    // one message at a time, in order: a batch is written before the next is looked at
    worker.onmessage = (e) => {
      const m = e.data;
      this.#chain = this.#chain.then(() => this.#handle(m, writer)).catch((err: unknown) => this.#fail(err));
    };
    worker.onerror = (e) => { this.#fail(e.message || 'the import worker stopped'); };
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
    this.#read = this.#imported = this.#duplicates = this.#bytesRead = this.#bytesTotal = this.#elapsed = 0;
    this.#skipped = emptySkips();
    this.#error = null;
    this.#dropped.clear();
    this.#kinds.clear();
    this.#chain = Promise.resolve();
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

  async #handle(m: WorkerMessage, writer: ImportWriter): Promise<void> {
    // after cancel nothing more is written; the worker is already gone
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
        this.#files.push({ id: null, name: m.name, kind: null, state: 'failed', plays: 0, written: 0, message: m.message });
        return;
      case 'file': {
        this.#read += m.plays;
        for (const [reason, n] of Object.entries(m.skipped) as [SkipReason, number][]) this.#skipped[reason] += n;
        this.#kinds.set(m.id, m.kind);
        const fresh = await writer.beginFile(m);
        if (!fresh) {
          this.#dropped.add(m.id);
          this.#duplicates += m.plays;
        }
        this.#files.push({ id: m.id, name: m.name, kind: m.kind, state: fresh ? 'writing' : 'already', plays: m.plays, written: 0, message: null });
        return;
      }
      case 'batch': {
        if (this.#dropped.has(m.fileId)) { this.#worker?.postMessage({ type: 'ack' }); return; }
        const r = await writer.writeBatch(m.plays, m.tracks, this.#kinds.get(m.fileId) ?? 'extended');
        this.#worker?.postMessage({ type: 'ack' });
        this.#imported += r.added;
        this.#duplicates += r.duplicates;
        const report = this.#file(m.fileId);
        if (report) report.written += m.plays.length;
        return;
      }
      case 'file-end': {
        if (this.#dropped.has(m.fileId)) return;
        await writer.endFile(m.fileId);
        const report = this.#file(m.fileId);
        if (report) report.state = 'done';
        return;
      }
      case 'rekey': {
        // name-keyed plays counted as new that were the same listens as stored ones
        const merged = await writer.rekey(m.pairs);
        const fromThisImport = Math.min(merged, this.#imported);
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

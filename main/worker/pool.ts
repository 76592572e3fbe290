/**
 * A small pool of worker threads for parsing, fitting and big writes, so neither the Electron main
 * thread nor the HTTP server's event loop ever blocks. Each job reports progress and can be cancelled
 * through a shared flag the readers poll between chunks.
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ElyteError } from '../../app/errors';
import type { TaskKind, TaskRequest, WorkerInit, WorkerMessage } from './protocol';

export interface JobHandle<T> {
  jobId: string;
  result: Promise<T>;
}

interface PendingJob {
  request: TaskRequest;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  onProgress: ((fraction: number, message: string) => void) | undefined;
}

interface Slot {
  worker: Worker;
  job: PendingJob | null;
}

export interface WorkerPoolOptions {
  /** Path or URL of the worker entry (main/worker/entry.ts under tsx, dist/electron/worker.cjs when packaged). */
  entry: string | URL;
  init: WorkerInit;
  /** Default: cores − 1, at least 1. */
  size?: number;
  execArgv?: string[];
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: PendingJob[] = [];
  private readonly jobs = new Map<string, PendingJob>();
  private closed = false;

  constructor(private readonly options: WorkerPoolOptions) {
    const size = options.size ?? Math.max(1, availableParallelism() - 1);
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  run<T>(
    kind: TaskKind,
    input: unknown,
    onProgress?: (fraction: number, message: string) => void,
  ): JobHandle<T> {
    if (this.closed) throw new ElyteError('cancelled', 'the worker pool is shut down');
    const jobId = randomUUID();
    const request: TaskRequest = { type: 'run', jobId, kind, input, cancelFlag: new SharedArrayBuffer(4) };
    const result = new Promise<T>((resolve, reject) => {
      const job: PendingJob = { request, resolve: resolve as (value: unknown) => void, reject, onProgress };
      this.jobs.set(jobId, job);
      this.queue.push(job);
    });
    this.pump();
    return { jobId, result };
  }

  /** Sets the job's cancel flag (the reader stops at its next check) or drops it from the queue. */
  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    if (!job) return false;
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.jobs.delete(jobId);
      job.reject(new ElyteError('cancelled', 'cancelled before it started'));
      return true;
    }
    Atomics.store(new Int32Array(job.request.cancelFlag), 0, 1);
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = new Worker(this.options.entry, {
      workerData: this.options.init,
      execArgv: this.options.execArgv ?? process.execArgv,
    });
    const slot: Slot = { worker, job: null };
    worker.on('message', (message: WorkerMessage) => this.onMessage(slot, message));
    worker.on('error', (error) => this.onCrash(slot, error));
    worker.on('exit', (code) => {
      if (!this.closed && code !== 0) this.onCrash(slot, new Error(`worker exited with code ${code}`));
    });
    return slot;
  }

  private onMessage(slot: Slot, message: WorkerMessage): void {
    const job = this.jobs.get(message.jobId);
    if (!job) return;
    if (message.type === 'progress') {
      job.onProgress?.(message.fraction, message.message);
      return;
    }
    this.jobs.delete(message.jobId);
    slot.job = null;
    if (message.type === 'done') job.resolve(message.result);
    else job.reject(ElyteError.fromInfo(message.error));
    this.pump();
  }

  /** A worker that dies (out of memory, a native crash) fails its job and is replaced. */
  private onCrash(slot: Slot, error: Error): void {
    const job = slot.job;
    slot.job = null;
    if (job) {
      this.jobs.delete(job.request.jobId);
      job.reject(new ElyteError('malformed', `the worker stopped while processing: ${error.message}`));
    }
    const index = this.slots.indexOf(slot);
    if (index >= 0 && !this.closed) {
      void slot.worker.terminate();
      this.slots[index] = this.spawn();
      this.pump();
    }
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.job || this.queue.length === 0) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker.postMessage(job.request);
    }
  }
}

/**
 * Jobs: worker tasks whose progress and outcome are pushed to every UI as events, so a long import
 * shows a progress bar and can be cancelled, and other views refresh when the library changes.
 */
import type { JobTicket } from '../../app/api/types';
import { toErrorInfo } from '../../app/errors';
import type { JobHandle, WorkerPool } from '../worker/pool';
import type { TaskKind } from '../worker/protocol';
import type { EventHub } from './events';

const CHANGES_LIBRARY: ReadonlySet<TaskKind> = new Set(['import', 'analysis']);

export class JobRunner {
  constructor(
    private readonly pool: WorkerPool,
    private readonly events: EventHub,
  ) {}

  /** Runs a task, broadcasting progress, done/failed and library changes. */
  run<T>(kind: TaskKind, input: unknown): JobHandle<T> {
    let jobId = '';
    const handle = this.pool.run<T>(kind, input, (fraction, message) =>
      this.events.emit({ type: 'job.progress', jobId, fraction, message }),
    );
    jobId = handle.jobId;
    const result = handle.result.then(
      (value) => {
        if (CHANGES_LIBRARY.has(kind)) this.events.emit({ type: 'library.changed' });
        this.events.emit({ type: 'job.done', jobId, result: value });
        return value;
      },
      (error: unknown) => {
        this.events.emit({ type: 'job.failed', jobId, error: toErrorInfo(error) });
        throw error;
      },
    );
    return { jobId, result };
  }

  /** Starts a job and returns its ticket at once; the outcome arrives as events. */
  start(kind: TaskKind, input: unknown): JobTicket {
    const handle = this.run(kind, input);
    handle.result.catch(() => undefined); // reported through the job.failed event
    return { jobId: handle.jobId };
  }

  /** Runs a task and waits for its result (short heavy work: inspecting a file, one fit). */
  async await<T>(kind: TaskKind, input: unknown): Promise<T> {
    return this.run<T>(kind, input).result;
  }

  cancel(jobId: string): boolean {
    return this.pool.cancel(jobId);
  }
}

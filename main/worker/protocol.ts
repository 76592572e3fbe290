/** Messages between the services and the worker threads that do the heavy work. */
import type { ErrorInfo } from '../../app/errors';

export type TaskKind = 'open' | 'call' | 'inspect' | 'columns' | 'import' | 'analysis';

export interface TaskRequest {
  type: 'run';
  jobId: string;
  kind: TaskKind;
  input: unknown;
  /** Int32Array over this buffer: [0] becomes 1 when the user cancels. */
  cancelFlag: SharedArrayBuffer;
}

export interface WorkerInit {
  libraryPath: string;
  version: string;
}

export type WorkerMessage =
  | { type: 'progress'; jobId: string; fraction: number; message: string }
  | { type: 'done'; jobId: string; result: unknown }
  | { type: 'failed'; jobId: string; error: ErrorInfo };

/**
 * Worker thread entry: runs one heavy task at a time (parse, import, analysis) and reports progress.
 * It owns its own write connection to the library, so big writes never touch the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorInfo } from '../../app/errors';
import type { TaskRequest, WorkerInit, WorkerMessage } from './protocol';
import { runTask } from './tasks';

const init = workerData as WorkerInit;
if (!parentPort) throw new Error('main/worker/entry.ts must run as a worker thread');
const port = parentPort;

port.on('message', (request: TaskRequest) => void handle(request));

async function handle(request: TaskRequest): Promise<void> {
  const cancelled = new Int32Array(request.cancelFlag);
  const send = (message: WorkerMessage) => port.postMessage(message);
  let lastProgress = 0;
  const context = {
    init,
    isCancelled: () => Atomics.load(cancelled, 0) === 1,
    progress(fraction: number, message: string) {
      // Progress is throttled to ~20 messages a second: enough for a smooth bar, no flood.
      const now = performance.now();
      if (now - lastProgress < 50 && fraction < 1) return;
      lastProgress = now;
      send({ type: 'progress', jobId: request.jobId, fraction, message });
    },
  };
  try {
    const result = await runTask(request.kind, request.input, context);
    send({ type: 'done', jobId: request.jobId, result });
  } catch (error) {
    send({ type: 'failed', jobId: request.jobId, error: toErrorInfo(error) });
  }
}

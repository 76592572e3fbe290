/**
 * The services behind the API, shared by the Electron main process and browser mode. SQLite lives
 * in worker threads only: one database worker answers the library calls (reads on its read-only
 * connection, small edits on its writer), and a job pool parses, imports and analyses on its own
 * connections. The main thread validates, routes and forwards events.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { CallOutput, Handlers } from '../../app/api/contract';
import type { ImportReport } from '../../app/api/types';
import { ElyteError } from '../../app/errors';
import { WorkerPool } from '../worker/pool';
import { type Call, importDemoLibrary } from './demo';
import { createDispatcher, type Dispatch } from './dispatch';
import { EventHub } from './events';
import { createHandlers } from './handlers';
import { JobRunner } from './jobs';

export interface ServicesOptions {
  libraryPath: string;
  version: string;
  transport: 'electron' | 'http';
  workerEntry: string | URL;
  workerExecArgv: string[];
  /** Threads for parsing, imports and analyses (default: cores − 1, at least 1). */
  jobWorkers?: number;
}

export interface Services {
  libraryPath: string;
  handlers: Handlers;
  dispatch: Dispatch;
  events: EventHub;
  /** Imports the demo files of a folder into an empty library (first start of the demo). */
  importDemo(folder: string): Promise<ImportReport | null>;
  close(): Promise<void>;
}

export async function createServices(options: ServicesOptions): Promise<Services> {
  const libraryPath = options.libraryPath === ':memory:' ? options.libraryPath : resolve(options.libraryPath);
  const init = { libraryPath, version: options.version };
  const database = new WorkerPool({
    entry: options.workerEntry,
    init,
    execArgv: options.workerExecArgv,
    size: 1,
  });
  try {
    // Opening migrates (with a backup) before any job worker connects; a refused library stops here.
    await database.run('open', {}).result;
  } catch (error) {
    await database.close();
    throw error;
  }
  const pool = new WorkerPool({
    entry: options.workerEntry,
    init,
    execArgv: options.workerExecArgv,
    size: options.jobWorkers ?? Math.max(1, availableParallelism() - 1),
  });
  const events = new EventHub();
  const jobs = new JobRunner(pool, events);
  const handlers = createHandlers({ libraryPath, jobs, database, events, options });
  const dispatch = createDispatcher(handlers);
  const call: Call = async (name, input) => {
    const envelope = await dispatch(name, input);
    if (!envelope.ok) throw ElyteError.fromInfo(envelope.error);
    return envelope.value as CallOutput<typeof name>;
  };
  return {
    libraryPath,
    handlers,
    dispatch,
    events,
    async importDemo(folder) {
      const tree = await handlers['library.tree']({});
      if (tree.samples.length > 0 || tree.unassigned.length > 0) return null;
      return importDemoLibrary(folder, call, jobs);
    },
    async close() {
      await Promise.all([pool.close(), database.close()]);
    },
  };
}

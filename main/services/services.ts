/**
 * The services behind the API, shared by the Electron main process and browser mode: the library
 * (read connection here; writes happen in the worker's own connection), the worker pool, the event
 * hub and the handler map. The main thread only validates, routes and reads.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Handlers } from '../../app/api/contract';
import type { ImportReport } from '../../app/api/types';
import { closeLibrary, type Library, openLibrary } from '../../db/library';
import { WorkerPool } from '../worker/pool';
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
  workerCount?: number;
}

export interface Services {
  library: Library;
  handlers: Handlers;
  dispatch: Dispatch;
  events: EventHub;
  /** Imports the demo files of a folder into an empty library (first start of the demo). */
  importDemo(folder: string): Promise<ImportReport | null>;
  close(): Promise<void>;
}

export async function createServices(options: ServicesOptions): Promise<Services> {
  // Opening here migrates (with a backup) before any worker connects.
  const library = await openLibrary(options.libraryPath);
  const pool = new WorkerPool({
    entry: options.workerEntry,
    init: { libraryPath: library.path, version: options.version },
    execArgv: options.workerExecArgv,
    ...(options.workerCount ? { size: options.workerCount } : {}),
  });
  const events = new EventHub();
  const jobs = new JobRunner(pool, events);
  const handlers = createHandlers({ library, jobs, options });
  return {
    library,
    handlers,
    dispatch: createDispatcher(handlers),
    events,
    async importDemo(folder) {
      const count = library.reader.prepare('SELECT count(*) AS n FROM measurements').get() as { n: number };
      if (count.n > 0) return null;
      const files = readdirSync(folder)
        .filter((name) => !name.endsWith('.json') && !name.endsWith('.md'))
        .map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(folder, name))) }));
      if (files.length === 0) return null;
      const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as unknown;
      return jobs.run<ImportReport>('import', { files, manifest }).result;
    },
    async close() {
      await pool.close();
      closeLibrary(library);
    },
  };
}

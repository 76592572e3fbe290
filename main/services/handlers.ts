/**
 * The handler map the transports dispatch to. On the main thread nothing touches SQLite or parses:
 * library calls go to the database worker, heavy calls to the job pool, and the answers come back
 * as promises.
 */
import type { Handlers, ParsedInput } from '../../app/api/contract';
import type { InspectReport, TableColumnsReport } from '../../app/api/types';
import { READERS } from '../../app/formats/index';
import type { WorkerPool } from '../worker/pool';
import type { EventHub } from './events';
import type { JobRunner } from './jobs';
import { LOCAL_CALLS, type LocalCall, WRITING_CALLS } from './local-handlers';
import type { ServicesOptions } from './services';

export interface HandlerContext {
  libraryPath: string;
  jobs: JobRunner;
  database: WorkerPool;
  events: EventHub;
  options: ServicesOptions;
}

export function createHandlers({ libraryPath, jobs, database, events, options }: HandlerContext): Handlers {
  const local = <K extends LocalCall>(name: K) =>
    (async (input: ParsedInput<K>) => {
      const result = await database.run('call', { name, input }).result;
      if (WRITING_CALLS.has(name)) events.emit({ type: 'library.changed' });
      return result;
    }) as Handlers[K];
  const localHandlers = Object.fromEntries(LOCAL_CALLS.map((name) => [name, local(name)])) as Pick<
    Handlers,
    LocalCall
  >;
  const handlers: Handlers = {
    ...localHandlers,
    'app.info': async () => ({ version: options.version, libraryPath, transport: options.transport }),
    'formats.list': async () =>
      READERS.map((reader) => ({ id: reader.id, label: reader.label, extensions: reader.extensions })),
    'files.inspect': (input) => jobs.await<InspectReport>('inspect', input),
    'files.columns': (input) => jobs.await<TableColumnsReport>('columns', input),
    'library.import': async (input) => jobs.start('import', input),
    'jobs.cancel': async ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
    'analysis.run': async (input) => jobs.start('analysis', input),
  };
  return handlers;
}

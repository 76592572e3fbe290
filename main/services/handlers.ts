/**
 * One handler per API call. Arguments arrive already validated by the dispatcher; reads use the
 * library's read connection, anything heavy (parsing, imports, analyses) goes to the worker pool.
 */
import type { Handlers } from '../../app/api/contract';
import type { AnalysisRecord, ImportReport, InspectReport } from '../../app/api/types';
import { READERS } from '../../app/formats/index';
import type { Library } from '../../db/library';
import { getMeasurement, loadRawFile } from '../../db/measurements';
import { createBatch, createCell, createSample, updateSample } from '../../db/records';
import { channelWindow } from './channel-window';
import type { JobRunner } from './jobs';
import type { ServicesOptions } from './services';
import { buildTree, measurementDetail } from './tree';

export interface HandlerContext {
  library: Library;
  jobs: JobRunner;
  options: ServicesOptions;
}

export function createHandlers({ library, jobs, options }: HandlerContext): Handlers {
  return {
    'app.info': async () => ({
      version: options.version,
      libraryPath: library.path,
      transport: options.transport,
    }),
    'formats.list': async () =>
      READERS.map((reader) => ({ id: reader.id, label: reader.label, extensions: reader.extensions })),
    'files.inspect': (input) => jobs.await<InspectReport>('inspect', input),
    'library.import': async (input) => jobs.start('import', input),
    'jobs.cancel': async ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
    'library.tree': async (filter) => buildTree(library, filter),
    'library.samples': async () => {
      throw new Error('not wired yet');
    },
    'library.undo': async () => {
      throw new Error('not wired yet');
    },
    'samples.create': async (fields) => ({ id: createSample(library, fields).id }),
    'samples.update': async ({ id, fields }) => ({ id: updateSample(library, id, fields).id }),
    'batches.create': async (fields) => ({
      id: createBatch(library, { ...fields, date: fields.date ?? null, notes: '' }).id,
    }),
    'cells.create': async (fields) => ({ id: createCell(library, fields).id }),
    'measurements.assign': async () => {
      throw new Error('not wired yet');
    },
    'measurements.get': async ({ id }) => measurementDetail(library, id),
    'measurements.channels': async (input) => channelWindow(library, input),
    'measurements.raw': async ({ id }) => {
      getMeasurement(library, id);
      return loadRawFile(library, id);
    },
    'analysis.run': (input) => jobs.await<AnalysisRecord>('analysis', input),
    'analysis.list': async () => {
      throw new Error('not wired yet');
    },
    'analysis.provenance': async () => {
      throw new Error('not wired yet');
    },
    'compare.samples': async () => {
      throw new Error('not wired yet');
    },
    'mappings.get': async () => ({ mapping: null }),
  };
}

export type { ImportReport };

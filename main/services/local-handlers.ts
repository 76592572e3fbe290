/**
 * The library calls (reads and small writes), run inside the database worker thread — never on
 * the Electron main thread, which only validates and routes. Heavy calls (imports, analyses,
 * inspecting a file) run in the job pool instead (see handlers.ts).
 */
import { CALL_NAMES, type CallName, type CallOutput, type ParsedInput } from '../../app/api/contract';
import type { CompareData } from '../../app/api/types';
import { ElyteError } from '../../app/errors';
import { listAnalyses, provenance } from '../../db/analyses';
import type { Library } from '../../db/library';
import { recallColumnMapping } from '../../db/mappings';
import { getMeasurement, loadRawFile, updateMeasurement } from '../../db/measurements';
import { libraryTree, replicateStats, sampleSummaries } from '../../db/queries';
import { createBatch, createCell, createSample, listBatches, updateSample } from '../../db/records';
import { undoLastEdit } from '../../db/undo';
import { channelWindow } from './channel-window';
import { measurementDetail } from './tree';

/** Calls answered on the main thread itself (no library access). */
const MAIN_CALLS = ['app.info', 'formats.list', 'jobs.cancel'] as const;
/** Calls that run as jobs in the worker pool (parsing, imports, analyses). */
export const JOB_CALLS = ['files.inspect', 'files.columns', 'library.import', 'analysis.run'] as const;

/** Every other call of the contract is a library call for the database worker. */
export type LocalCall = Exclude<CallName, (typeof MAIN_CALLS)[number] | (typeof JOB_CALLS)[number]>;
export const LOCAL_CALLS = CALL_NAMES.filter(
  (name): name is LocalCall =>
    !(MAIN_CALLS as readonly string[]).includes(name) && !(JOB_CALLS as readonly string[]).includes(name),
);
type LocalHandlers = { [K in LocalCall]: (input: ParsedInput<K>) => CallOutput<K> };

/** Calls that change the library: the UI refreshes its views after them. */
export const WRITING_CALLS: ReadonlySet<LocalCall> = new Set([
  'library.undo',
  'samples.create',
  'samples.update',
  'batches.create',
  'cells.create',
  'measurements.assign',
]);

export function createLocalHandlers(library: Library): LocalHandlers {
  return {
    'library.tree': (filter) => libraryTree(library, filter),
    'library.samples': () => sampleSummaries(library),
    'library.undo': () => undoLastEdit(library),
    'samples.create': (fields) => ({ id: createSample(library, fields).id }),
    'samples.update': ({ id, fields }) => ({ id: updateSample(library, id, fields).id }),
    'batches.create': (fields) => ({
      id: createBatch(library, { ...fields, date: fields.date ?? null, notes: '' }).id,
    }),
    'cells.create': (fields) => ({ id: createCell(library, fields).id }),
    'measurements.assign': ({ measurementId, cellId, temperature_C }) => ({
      id: updateMeasurement(library, measurementId, {
        cellId,
        ...(temperature_C !== undefined ? { temperature_C } : {}),
      }).id,
    }),
    'measurements.get': ({ id }) => measurementDetail(library, id),
    'measurements.channels': (input) => channelWindow(library, input),
    'measurements.raw': ({ id }) => {
      getMeasurement(library, id);
      return loadRawFile(library, id);
    },
    'analysis.list': ({ measurementId }) => listAnalyses(library, measurementId),
    'analysis.provenance': ({ analysisId }) => provenance(library, analysisId),
    'compare.samples': ({ sampleIds }) => compareSamples(library, sampleIds),
    'mappings.get': ({ signature }) => ({ mapping: recallColumnMapping(library, signature) }),
  };
}

export function runLocalCall(handlers: LocalHandlers, name: string, input: unknown): unknown {
  if (!(LOCAL_CALLS as readonly string[]).includes(name))
    throw new ElyteError('invalid-argument', `unknown library call ${name}`);
  const handler = handlers[name as LocalCall] as (value: unknown) => unknown;
  return handler(input);
}

/** Side-by-side numbers of samples: key numbers, replicate σ per batch, Arrhenius points, retention. */
function compareSamples(library: Library, sampleIds: number[]): CompareData {
  const summaries = sampleSummaries(library);
  return {
    samples: sampleIds.map((id) => {
      const summary = summaries.find((s) => s.id === id);
      if (!summary) throw new ElyteError('not-found', `no sample with id ${id}`);
      const batches = listBatches(library, id);
      const sigma = batches
        .map((batch) => ({
          batch: batch.name,
          stats: replicateStats(library, batch.id, ['sigma_S_per_cm']).find(
            (s) => s.name === 'sigma_S_per_cm',
          ),
        }))
        .filter((b) => b.stats);
      const best = sigma.sort((a, b) => (b.stats?.n ?? 0) - (a.stats?.n ?? 0))[0];
      return {
        id,
        name: summary.name,
        family: summary.family,
        keyNumbers: summary.keyNumbers,
        replicates: best
          ? { batch: best.batch, mean: best.stats!.mean, std: best.stats!.std, n: best.stats!.n }
          : { batch: '', mean: null, std: null, n: 0 },
        arrhenius: latestResultArray(library, summary.keyNumberSources.Ea_eV?.analysisId, 'points').map(
          (p) => ({
            T_K: Number(p.T_K),
            sigma_S_per_cm: Number(p.sigma_S_per_cm),
          }),
        ),
        retention: latestResultArray(
          library,
          summary.keyNumberSources.retention_pct?.analysisId,
          'cycles',
        ).map((c, _i, all) => ({
          cycle: Number(c.cycle),
          retention_pct:
            (100 * Number(c.discharge_mAh_per_g)) / Number(all[0]?.discharge_mAh_per_g ?? Number.NaN),
        })),
      };
    }),
  };
}

function latestResultArray(
  library: Library,
  analysisId: number | undefined,
  key: string,
): Record<string, unknown>[] {
  if (analysisId === undefined) return [];
  const value = provenance(library, analysisId).analysis.results[key];
  return Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
}

/**
 * What `elyte import`, `elyte samples`, `elyte report --sample NAME`, `elyte backup` and
 * `elyte restore` do with the library, as functions returning JSON-ready objects. The CLI parses
 * flags and units, calls these, and prints (table or `--json`); nothing here writes to stdout.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { ElyteError, toErrorInfo } from '../app/errors';
import type { ColumnMapping } from '../app/measurement';
import { listAnalyses } from './analyses';
import { backupLibrary, restoreLibrary } from './backup';
import { type ImportInput, type ImportStage, importFiles } from './import';
import { closeLibrary, type Library, type OpenOptions, openLibrary } from './library';
import { listCellMeasurements, listUnassignedMeasurements } from './measurements';
import { replicateStats, sampleSummaries } from './queries';
import { createBatch, createCell, createSample, findSampleByName, listBatches, listCells } from './records';
import type { AnalysisRecord, ImportReport, MeasurementRecord, ReplicateStats, SampleSummary } from './types';

/** Opens the library, runs `work`, always closes it. */
export async function withLibrary<T>(
  path: string,
  work: (lib: Library) => Promise<T> | T,
  options?: OpenOptions,
) {
  const lib = await openLibrary(path, { singleConnection: true, ...options });
  try {
    return await work(lib);
  } finally {
    closeLibrary(lib);
  }
}

export interface CliImportOptions {
  /** File under this sample (created if the library has none of that name). */
  sample?: string;
  /** File under this cell of the sample (created in the sample's "default" batch if missing). */
  cell?: string;
  temperature_C?: number;
  /** Column mapping for generic CSV/XLSX files (`--columns`). */
  columns?: ColumnMapping;
}

export interface CliImportReport extends ImportReport {
  /** Records created to file the measurements under `--sample` / `--cell`. */
  created: { sampleId?: number; batchId?: number; cellId?: number };
}

/** The batch a CLI-created cell goes into when the user names no batch. */
export const DEFAULT_BATCH_NAME = 'default';

/** `elyte import FILE… --db PATH [--sample NAME] [--cell NAME]`: {imported, skipped, errors}. */
export async function cliImport(
  lib: Library,
  paths: readonly string[],
  options: CliImportOptions = {},
  onProgress?: (file: string, stage: ImportStage, fraction: number) => void,
): Promise<CliImportReport> {
  if (options.cell !== undefined && options.sample === undefined) {
    throw new ElyteError('invalid-argument', '--cell needs --sample: cells belong to a sample', {
      where: '--cell',
    });
  }
  const created: CliImportReport['created'] = {};
  let sampleId: number | undefined;
  let cellId: number | undefined;
  if (options.sample !== undefined) {
    const existing = findSampleByName(lib, options.sample);
    const sample = existing ?? createSample(lib, { name: options.sample });
    if (!existing) created.sampleId = sample.id;
    sampleId = sample.id;
    if (options.cell !== undefined) {
      const found = findCellInSample(lib, sample.id, options.cell);
      if (found) cellId = found;
      else {
        const batches = listBatches(lib, sample.id);
        let batch = batches.find((b) => b.name === DEFAULT_BATCH_NAME) ?? batches[0];
        if (!batch) {
          batch = createBatch(lib, { sampleId: sample.id, name: DEFAULT_BATCH_NAME });
          created.batchId = batch.id;
        }
        cellId = createCell(lib, { batchId: batch.id, name: options.cell }).id;
        created.cellId = cellId;
      }
    }
  }
  const inputs: ImportInput[] = [];
  const errors: ImportReport['errors'] = [];
  for (const path of paths) {
    try {
      inputs.push({
        fileName: basename(path),
        bytes: new Uint8Array(readFileSync(path)),
        ...(cellId !== undefined ? { cellId } : sampleId !== undefined ? { sampleId } : {}),
        ...(options.temperature_C !== undefined ? { temperature_C: options.temperature_C } : {}),
        ...(options.columns ? { parseOptions: { columns: options.columns } } : {}),
      });
    } catch (error) {
      const message = `cannot read the file (${(error as Error).message})`;
      errors.push(toErrorInfo(new ElyteError('not-found', message, { file: basename(path) })));
    }
  }
  const report = await importFiles(lib, inputs, (index, stage, fraction) =>
    onProgress?.(inputs[index]?.fileName ?? '', stage, fraction),
  );
  return { ...report, errors: [...errors, ...report.errors], created };
}

function findCellInSample(lib: Library, sampleId: number, name: string): number | undefined {
  return lib.reader
    .prepare(
      `SELECT c.id FROM cells c JOIN batches b ON b.id = c.batch_id
       WHERE b.sample_id = ? AND c.name = ? AND c.deleted_at IS NULL AND b.deleted_at IS NULL ORDER BY c.id LIMIT 1`,
    )
    .pluck()
    .get(sampleId, name) as number | undefined;
}

/** `elyte samples`: every sample with counts and latest key numbers. */
export function cliSamples(lib: Library): { samples: SampleSummary[] } {
  return { samples: sampleSummaries(lib) };
}

export type ReportedAnalysis = Pick<
  AnalysisRecord,
  'id' | 'kind' | 'version' | 'numbers' | 'settings' | 'elyteVersion' | 'createdAt'
>;

export interface SampleReport {
  sample: SampleSummary;
  batches: {
    id: number;
    name: string;
    date: string | null;
    operator: string;
    deviations: string;
    replicates: ReplicateStats[];
    cells: {
      id: number;
      name: string;
      cellType: string;
      area_m2: number | null;
      thickness_m: number | null;
      activeMass_kg: number | null;
      measurements: (Pick<
        MeasurementRecord,
        | 'id'
        | 'fileName'
        | 'sha256'
        | 'format'
        | 'technique'
        | 'kind'
        | 'rows'
        | 'temperature_K'
        | 'startTime'
        | 'importedAt'
      > & {
        analyses: ReportedAnalysis[];
      })[];
    }[];
  }[];
  /** Measurements filed under the sample without a cell. */
  unassigned: Pick<MeasurementRecord, 'id' | 'fileName' | 'sha256' | 'technique' | 'kind' | 'rows'>[];
}

/** A measurement's analyses as the report shows them: every number, its settings and its version. */
export function reportedAnalyses(lib: Library, measurementId: number): ReportedAnalysis[] {
  return listAnalyses(lib, measurementId).map((a) => ({
    id: a.id,
    kind: a.kind,
    version: a.version,
    numbers: a.numbers,
    settings: a.settings,
    elyteVersion: a.elyteVersion,
    createdAt: a.createdAt,
  }));
}

/** `elyte report --sample NAME`: the sample's tree with every number, its settings and its version. */
export function cliReport(lib: Library, sampleName: string): SampleReport {
  const sample = findSampleByName(lib, sampleName);
  if (!sample) {
    throw new ElyteError('not-found', `no sample called "${sampleName}" in the library`, {
      where: '--sample',
    });
  }
  const summary = sampleSummaries(lib).find((s) => s.id === sample.id)!;
  const measurementView = (m: MeasurementRecord) => ({
    id: m.id,
    fileName: m.fileName,
    sha256: m.sha256,
    format: m.format,
    technique: m.technique,
    kind: m.kind,
    rows: m.rows,
    temperature_K: m.temperature_K,
    startTime: m.startTime,
    importedAt: m.importedAt,
    analyses: reportedAnalyses(lib, m.id),
  });
  return {
    sample: summary,
    batches: listBatches(lib, sample.id).map((b) => ({
      id: b.id,
      name: b.name,
      date: b.date,
      operator: b.operator,
      deviations: b.deviations,
      replicates: replicateStats(lib, b.id),
      cells: listCells(lib, b.id).map((c) => ({
        id: c.id,
        name: c.name,
        cellType: c.cellType,
        area_m2: c.area_m2,
        thickness_m: c.thickness_m,
        activeMass_kg: c.activeMass_kg,
        measurements: listCellMeasurements(lib, c.id).map(measurementView),
      })),
    })),
    unassigned: listUnassignedMeasurements(lib, sample.id).map((m) => ({
      id: m.id,
      fileName: m.fileName,
      sha256: m.sha256,
      technique: m.technique,
      kind: m.kind,
      rows: m.rows,
    })),
  };
}

/** `elyte backup --db PATH OUT`. */
export async function cliBackup(lib: Library, out: string) {
  return backupLibrary(lib, out);
}

/** `elyte restore BACKUP --db PATH` (the library must not be open). */
export async function cliRestore(backupPath: string, libraryPath: string) {
  return restoreLibrary(backupPath, libraryPath);
}

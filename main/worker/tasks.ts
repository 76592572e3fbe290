/** The heavy tasks, run inside a worker thread. Inputs were validated by the dispatcher. */
import type { ParsedInput } from '../../app/api/contract';
import type { ImportReport, InspectReport } from '../../app/api/types';
import { parseInstrumentFile } from '../../app/formats/index';
import { summarizeMeasurement } from '../../app/formats/summary';
import type { ColumnMapping } from '../../app/measurement';
import { importFiles } from '../../db/import';
import { type Library, openLibrary } from '../../db/library';
import type { TaskKind, WorkerInit } from './protocol';

export interface TaskContext {
  init: WorkerInit;
  isCancelled: () => boolean;
  progress: (fraction: number, message: string) => void;
}

let library: Promise<Library> | null = null;

/** The worker's own write connection, opened on first use (the main thread migrated already). */
function workerLibrary(init: WorkerInit): Promise<Library> {
  library ??= openLibrary(init.libraryPath, { singleConnection: true });
  return library;
}

export async function runTask(kind: TaskKind, input: unknown, context: TaskContext): Promise<unknown> {
  switch (kind) {
    case 'inspect':
      return inspect(input as ParsedInput<'files.inspect'>, context);
    case 'import':
      return importTask(input as ParsedInput<'library.import'>, context);
    default:
      throw new Error(`task ${kind} is not available`);
  }
}

function inspect(
  input: { name: string; bytes: Uint8Array; columns?: ColumnMapping },
  context: TaskContext,
): InspectReport {
  const measurement = parseInstrumentFile(input.bytes, input.name, {
    ...(input.columns ? { columns: input.columns } : {}),
    isCancelled: context.isCancelled,
    onProgress: (fraction) => context.progress(fraction, `reading ${input.name}`),
  });
  const summary = summarizeMeasurement(measurement);
  return {
    file: input.name,
    format: summary.format,
    formatLabel: summary.formatLabel,
    technique: summary.technique,
    kind: summary.kind,
    rows: summary.rows,
    sizeBytes: input.bytes.length,
    channels: summary.channels,
    metadata: summary.metadata,
    warnings: summary.warnings,
  };
}

async function importTask(input: ParsedInput<'library.import'>, context: TaskContext): Promise<ImportReport> {
  const lib = await workerLibrary(context.init);
  const total = input.files.length;
  const report = await importFiles(
    lib,
    input.files.map((file) => ({
      fileName: file.name,
      bytes: file.bytes,
      ...(input.cellId !== undefined ? { cellId: input.cellId } : {}),
      ...(input.temperature_C !== undefined ? { temperature_C: input.temperature_C } : {}),
      parseOptions: {
        ...(input.columns ? { columns: input.columns } : {}),
        isCancelled: context.isCancelled,
      },
    })),
    (index, stage, fraction) =>
      context.progress((index + fraction) / total, `${stage} ${input.files[index]?.name ?? ''}`),
  );
  return report as unknown as ImportReport;
}

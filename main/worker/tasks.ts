/** The heavy tasks, run inside a worker thread. Inputs were validated by the dispatcher. */
import type { ParsedInput } from '../../app/api/contract';
import type { ImportReport, InspectReport, TableColumnsReport } from '../../app/api/types';
import { ElyteError } from '../../app/errors';
import { detectFormat, parseInstrumentFile } from '../../app/formats/index';
import { summarizeMeasurement } from '../../app/formats/summary';
import type { ColumnMapping } from '../../app/measurement';
import { runAnalysis } from '../../app/workflows/analyses';
import { tableColumns } from '../../app/workflows/columns';
import { saveAnalysis } from '../../db/analyses';
import { importFiles } from '../../db/import';
import { type Library, openLibrary } from '../../db/library';
import { recallColumnMapping, rememberColumnMapping } from '../../db/mappings';
import { createLocalHandlers, runLocalCall } from '../services/local-handlers';
import { loadSubject } from './load-measurement';
import type { TaskKind, WorkerInit } from './protocol';

export interface TaskContext {
  init: WorkerInit;
  isCancelled: () => boolean;
  progress: (fraction: number, message: string) => void;
}

let library: Promise<Library> | null = null;
let localHandlers: ReturnType<typeof createLocalHandlers> | null = null;

/**
 * The worker's own connections, opened on first use. The database worker opens first (and so runs
 * any migration, with its backup); job workers then find the file current.
 */
function workerLibrary(init: WorkerInit): Promise<Library> {
  library ??= openLibrary(init.libraryPath);
  return library;
}

export async function runTask(kind: TaskKind, input: unknown, context: TaskContext): Promise<unknown> {
  switch (kind) {
    case 'open':
      return { path: (await workerLibrary(context.init)).path };
    case 'call': {
      const { name, input: callInput } = input as { name: string; input: unknown };
      localHandlers ??= createLocalHandlers(await workerLibrary(context.init));
      return runLocalCall(localHandlers, name, callInput);
    }
    case 'inspect':
      return inspect(input as ParsedInput<'files.inspect'>, context);
    case 'columns':
      return columnsTask(input as ParsedInput<'files.columns'>, context);
    case 'import':
      return importTask(input as ParsedInput<'library.import'>, context);
    case 'analysis':
      return analysisTask(input as ParsedInput<'analysis.run'>, context);
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

async function columnsTask(
  input: ParsedInput<'files.columns'>,
  context: TaskContext,
): Promise<TableColumnsReport> {
  const columns = tableColumns(input.bytes, input.name);
  const lib = await workerLibrary(context.init);
  return { file: input.name, ...columns, remembered: recallColumnMapping(lib, columns.signature) };
}

/**
 * Imports files one transaction each. A generic table uses the mapping the user gave (remembered
 * for its header layout afterwards) or the one remembered for that layout.
 */
async function importTask(input: ParsedInput<'library.import'>, context: TaskContext): Promise<ImportReport> {
  const lib = await workerLibrary(context.init);
  const total = input.files.length;
  const inputs = input.files.map((file) => {
    const generic = detectFormat(file.bytes, file.name)?.reader.id === 'generic-table';
    const table = generic ? safeColumns(file.bytes, file.name) : null;
    const columns = input.columns ?? (table ? recallColumnMapping(lib, table.signature) : null) ?? undefined;
    return {
      table,
      fileName: file.name,
      bytes: file.bytes,
      ...(input.cellId !== undefined ? { cellId: input.cellId } : {}),
      ...(input.temperature_C !== undefined ? { temperature_C: input.temperature_C } : {}),
      parseOptions: { ...(columns ? { columns } : {}), isCancelled: context.isCancelled },
    };
  });
  const report = await importFiles(lib, inputs, (index, stage, fraction) =>
    context.progress((index + fraction) / total, `${stage} ${input.files[index]?.name ?? ''}`),
  );
  for (const item of inputs) {
    const imported = report.imported.some((file) => file.file === item.fileName);
    if (imported && input.columns && item.table) {
      rememberColumnMapping(lib, item.table.signature, item.table.headers, input.columns);
    }
  }
  return report as unknown as ImportReport;
}

function safeColumns(bytes: Uint8Array, fileName: string) {
  try {
    return tableColumns(bytes, fileName);
  } catch {
    return null;
  }
}

/** Runs an analysis on stored measurements and stores the result as a new version. */
async function analysisTask(input: ParsedInput<'analysis.run'>, context: TaskContext) {
  const lib = await workerLibrary(context.init);
  const roles = (input.settings.roles ?? {}) as Record<string, string>;
  const { roles: _roles, ...settings } = input.settings;
  context.progress(0.1, `loading ${input.measurementIds.length} measurement(s)`);
  const subjects = input.measurementIds.map((id) => loadSubject(lib, id, roles[String(id)] ?? ''));
  context.progress(0.3, `running ${input.kind}`);
  const output = runAnalysis(input.kind, subjects, settings, {
    onProgress: (fraction, message) => {
      if (context.isCancelled()) throw new ElyteError('cancelled', `${input.kind} was cancelled`);
      context.progress(0.3 + 0.6 * fraction, message);
    },
  });
  context.progress(0.9, 'saving');
  return saveAnalysis(lib, {
    kind: input.kind,
    sources: input.measurementIds.map((id) => ({ measurementId: id, role: roles[String(id)] ?? '' })),
    settings: { ...output.settings, ...(Object.keys(roles).length > 0 ? { roles } : {}) },
    results: output.results,
    elyteVersion: context.init.version,
  });
}

/** The heavy tasks, run inside a worker thread. Inputs were validated by the dispatcher. */
import type { InspectReport } from '../../app/api/types';
import { parseInstrumentFile } from '../../app/formats/index';
import { summarizeMeasurement } from '../../app/formats/summary';
import type { ColumnMapping } from '../../app/measurement';
import type { TaskKind, WorkerInit } from './protocol';

export interface TaskContext {
  init: WorkerInit;
  isCancelled: () => boolean;
  progress: (fraction: number, message: string) => void;
}

export function runTask(kind: TaskKind, input: unknown, context: TaskContext): unknown {
  switch (kind) {
    case 'inspect':
      return inspect(input as { name: string; bytes: Uint8Array; columns?: ColumnMapping }, context);
    default:
      throw new Error(`task ${kind} is not available`);
  }
}

function inspect(input: { name: string; bytes: Uint8Array; columns?: ColumnMapping }, context: TaskContext): InspectReport {
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

/**
 * The summary of a decoded file that `elyte inspect` prints and the import screen shows: detected
 * format, technique, rows, canonical channels with units, first and last values, metadata.
 * Field names are the CLI contract (shared/docs/cli.md): other tools rely on them.
 */
import { CANONICAL_CHANNELS, type CanonicalChannel, type Measurement } from '../measurement';
import { readerById } from './index';

export interface FileSummary {
  file: string;
  format: string;
  formatLabel: string;
  instrument: string | null;
  technique: string;
  kind: Measurement['kind'];
  rows: number;
  channels: Record<string, string>;
  first: Record<string, number | null>;
  last: Record<string, number | null>;
  metadata: Record<string, unknown>;
  originalColumns: { name: string; unit: string }[];
  warnings: string[];
}

export function summarizeMeasurement(measurement: Measurement): FileSummary {
  const channels: Record<string, string> = {};
  const first: Record<string, number | null> = {};
  const last: Record<string, number | null> = {};
  for (const [name, values] of Object.entries(measurement.channels) as [CanonicalChannel, Float64Array][]) {
    if (!values) continue;
    channels[name] = CANONICAL_CHANNELS[name];
    first[name] = finiteOrNull(values[0]);
    last[name] = finiteOrNull(values[values.length - 1]);
  }
  const { extra, ...known } = measurement.metadata;
  return {
    file: measurement.fileName,
    format: measurement.format,
    formatLabel: readerById(measurement.format)?.label ?? measurement.format,
    instrument: measurement.metadata.instrument ?? null,
    technique: measurement.technique,
    kind: measurement.kind,
    rows: measurement.rows,
    channels,
    first,
    last,
    metadata: { ...known, extra },
    originalColumns: measurement.original.map((column) => ({ name: column.name, unit: column.unit })),
    warnings: measurement.warnings,
  };
}

function finiteOrNull(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) ? value : null;
}

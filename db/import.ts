/**
 * Import pipeline, one file at a time: duplicate check (hash first when a stored file has the same
 * size) → parse (or take the Measurement the caller already parsed in a worker) while the thread pool
 * compresses the bytes the parser has passed → channels encoded and bytes hashed while the pool
 * finishes → ONE transaction writing the measurement, its file and all its channels.
 * A crash at any point leaves either the whole measurement or nothing.
 */
import { randomUUID } from 'node:crypto';
import { ElyteError, toErrorInfo } from '../app/errors';
import { parseInstrumentFile } from '../app/formats';
import {
  CANONICAL_CHANNELS,
  type Measurement,
  type NumericColumn,
  type ParseOptions,
} from '../app/measurement';
import { type EncodedChannel, encodeCodedText, encodeNumbers, encodeText } from './channels';
import { logEdit } from './edits';
import { type Library, scheduleCheckpoint, WAL_AUTOCHECKPOINT_PAGES } from './library';
import {
  type ChannelToWrite,
  celsiusToKelvin,
  findMeasurementBySha,
  insertMeasurement,
  writePlacement,
} from './measurements';
import { type StoredFile, sha256Hex, startCompression } from './rawfile';
import { findCell, findSample, nowIso, softDelete } from './records';
import { resolveTemperature } from './temperature';
import type { CellSuggestions, ImportedFile, ImportReport } from './types';

export interface ImportInput {
  fileName: string;
  bytes: Uint8Array;
  /** Already parsed (e.g. in a worker); otherwise the file is parsed here. */
  measurement?: Measurement;
  /** File under this cell. */
  cellId?: number;
  /** File under this sample when no cell is known yet. */
  sampleId?: number;
  /** The user's temperature in °C; wins over the file's metadata and its name. */
  temperature_C?: number;
  /** Reader options when parsing here (generic CSV column mapping, forced reader …). */
  parseOptions?: ParseOptions & { formatId?: string };
}

export type ImportStage = 'hashing' | 'parsing' | 'compressing' | 'encoding' | 'writing' | 'done';
export type ImportProgress = (stage: ImportStage, fraction: number) => void;

const emptyReport = (): ImportReport => ({ imported: [], skipped: [], errors: [] });

/** Imports one file. Never throws for a bad file: the report carries the error. */
export async function importFile(
  lib: Library,
  input: ImportInput,
  onProgress?: ImportProgress,
): Promise<ImportReport> {
  const report = emptyReport();
  const fileName = baseName(input.fileName);
  let stored: Promise<StoredFile> | undefined;
  try {
    validateTargets(lib, input, fileName);
    // Only a file with the size of a stored one can be a duplicate: then it is hashed now and skipped
    // before parsing; otherwise it is hashed after parsing, while the thread pool finishes compressing.
    let sha256: string | undefined;
    if (sizeIsKnown(lib, input.bytes.length)) {
      onProgress?.('hashing', 0);
      sha256 = sha256Hex(input.bytes);
      const existing = findMeasurementBySha(lib.db, sha256);
      if (existing && !existing.deleted) {
        report.skipped.push({ file: fileName, existingMeasurementId: existing.id, sha256 });
        onProgress?.('done', 1);
        return report;
      }
    }
    // The thread pool compresses the part of the file the parser has passed, while it parses.
    const compression = startCompression(input.bytes);
    compression.advance(0);
    let measurement = input.measurement;
    if (!measurement) {
      onProgress?.('parsing', 0);
      const size = input.bytes.length;
      measurement = parseInstrumentFile(input.bytes, fileName, {
        ...input.parseOptions,
        onProgress: (f) => {
          compression.advance(f * size);
          onProgress?.('parsing', f);
        },
      });
    }
    stored = compression.finish();
    // Encoding and hashing run here while the thread pool may still be compressing. (SHA-256 runs at
    // over 1 GB/s here; Web Crypto's "asynchronous" digest first copies the bytes on this thread, which
    // costs as much as hashing them.)
    onProgress?.('encoding', 0);
    const channels = encodeMeasurementChannels(measurement);
    onProgress?.('hashing', 0);
    const hash = sha256 ?? sha256Hex(input.bytes);
    onProgress?.('compressing', 0);
    const file = await stored;
    const temperature = resolveTemperature(input.temperature_C, measurement.metadata.temperature_C, fileName);
    const cellId = input.cellId ?? null;
    const sampleId = cellId === null ? (input.sampleId ?? null) : null;

    onProgress?.('writing', 0);
    const written = withDeferredCheckpoint(lib, () =>
      lib.db.transaction((): { id: number } | { duplicateOf: number } => {
        // Checked again inside the transaction: another writer may have added the file meanwhile.
        const again = findMeasurementBySha(lib.db, hash);
        if (again && !again.deleted) return { duplicateOf: again.id };
        if (again?.deleted) {
          // A deleted copy comes back (its analyses with it) instead of a second copy of the bytes.
          softDelete(lib.db, { measurement: [again.id] }, null);
          writePlacement(lib.db, again.id, {
            cellId,
            sampleId,
            temperature_K: temperature.temperature_K,
            temperatureSource: temperature.source,
          });
          logEdit(lib.db, 'import', 'measurement', { measurement: [again.id] }, null, `import ${fileName}`);
          return { id: again.id };
        }
        const newId = insertMeasurement(lib.db, {
          uid: randomUUID(),
          cellId,
          sampleId,
          fileName,
          sizeBytes: input.bytes.length,
          sha256: hash,
          format: measurement.format,
          technique: measurement.technique,
          kind: measurement.kind,
          rows: measurement.rows,
          temperature_K: temperature.temperature_K,
          temperatureSource: temperature.source,
          instrument: measurement.metadata.instrument ?? null,
          startTime: measurement.metadata.startTime ?? null,
          metadata: measurement.metadata,
          warnings: measurement.warnings,
          importedAt: nowIso(),
          file,
          channels,
        });
        logEdit(lib.db, 'import', 'measurement', { measurement: [newId] }, null, `import ${fileName}`);
        return { id: newId };
      })(),
    );
    if ('duplicateOf' in written) {
      report.skipped.push({ file: fileName, existingMeasurementId: written.duplicateOf, sha256: hash });
    } else {
      report.imported.push(importedFile(lib, written.id, fileName, measurement, temperature, cellId));
    }
    onProgress?.('done', 1);
  } catch (error) {
    report.errors.push(toErrorInfo(error, fileName));
  } finally {
    // An error before the file was stored must not leave the compression promise rejecting unobserved.
    stored?.catch(() => undefined);
  }
  return report;
}

/** Imports files one after another (one transaction each) and merges their reports. */
export async function importFiles(
  lib: Library,
  inputs: readonly ImportInput[],
  onProgress?: (fileIndex: number, stage: ImportStage, fraction: number) => void,
): Promise<ImportReport> {
  const total = emptyReport();
  for (const [index, input] of inputs.entries()) {
    const one = await importFile(lib, input, (stage, fraction) => onProgress?.(index, stage, fraction));
    total.imported.push(...one.imported);
    total.skipped.push(...one.skipped);
    total.errors.push(...one.errors);
  }
  return total;
}

/**
 * A big import would otherwise copy its whole WAL into the database file inside the commit call
 * (auto-checkpoint). The copy is deferred to the next turn of the event loop: the import is committed
 * and visible at once, the housekeeping follows.
 */
function withDeferredCheckpoint<T>(lib: Library, write: () => T): T {
  if (lib.path === ':memory:') return write();
  lib.db.pragma('wal_autocheckpoint = 0');
  try {
    return write();
  } finally {
    lib.db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    scheduleCheckpoint(lib);
  }
}

function sizeIsKnown(lib: Library, size: number): boolean {
  return lib.db.prepare('SELECT 1 FROM measurements WHERE size_bytes = ? LIMIT 1').get(size) !== undefined;
}

function validateTargets(lib: Library, input: ImportInput, fileName: string): void {
  if (!(input.bytes instanceof Uint8Array)) {
    throw new ElyteError('invalid-argument', 'bytes must be a Uint8Array', { file: fileName });
  }
  if (input.cellId !== undefined && !findCell(lib.db, input.cellId)) {
    throw new ElyteError('not-found', `no cell with id ${input.cellId} in the library`, {
      file: fileName,
      where: 'cellId',
    });
  }
  if (input.sampleId !== undefined && !findSample(lib.db, input.sampleId)) {
    throw new ElyteError('not-found', `no sample with id ${input.sampleId} in the library`, {
      file: fileName,
      where: 'sampleId',
    });
  }
  if (input.temperature_C !== undefined) celsiusToKelvin(input.temperature_C, 'temperature_C');
  if (input.measurement && input.measurement.rows < 0) {
    throw new ElyteError('invalid-argument', 'the parsed measurement has a negative row count', {
      file: fileName,
    });
  }
}

function baseName(fileName: string): string {
  const parts = fileName.split(/[\\/]/);
  const last = parts[parts.length - 1] ?? '';
  if (last.length === 0) throw new ElyteError('invalid-argument', `"${fileName}" is not a file name`);
  return last;
}

/**
 * Canonical channels first (in CANONICAL_CHANNELS order), then the file's columns in file order.
 * A channel whose stored bytes equal an earlier one's is written once and referenced.
 */
export function encodeMeasurementChannels(measurement: Measurement): ChannelToWrite[] {
  const out: ChannelToWrite[] = [];
  const push = (origin: 'canonical' | 'original', name: string, unit: string, encoded: EncodedChannel) => {
    if (encoded.length !== measurement.rows) {
      throw new ElyteError(
        'malformed',
        `channel "${name}" has ${encoded.length} values but the measurement has ${measurement.rows} rows`,
        { file: measurement.fileName },
      );
    }
    const twin = out.findIndex(
      (c) =>
        c.sameAs === null &&
        c.encoded.dtype === encoded.dtype &&
        c.encoded.scaleExp === encoded.scaleExp &&
        (c.encoded === encoded || c.encoded.data.equals(encoded.data)),
    );
    out.push({ origin, name, unit, encoded, sameAs: twin >= 0 ? twin : null });
  };
  // Readers often hand the same array as a canonical channel and an original column: encode it once.
  const encodedArrays = new Map<NumericColumn, EncodedChannel>();
  const encode = (values: NumericColumn) => {
    let encoded = encodedArrays.get(values);
    if (!encoded) {
      encoded = encodeNumbers(values);
      encodedArrays.set(values, encoded);
    }
    return encoded;
  };
  for (const [name, unit] of Object.entries(CANONICAL_CHANNELS)) {
    const values = measurement.channels[name as keyof typeof CANONICAL_CHANNELS];
    if (values) push('canonical', name, unit, encode(values));
  }
  for (const column of measurement.original) {
    const encoded = Array.isArray(column.values)
      ? encodeText(column.values)
      : column.labels
        ? encodeCodedText(column.values, column.labels)
        : encode(column.values);
    push('original', column.name, column.unit, encoded);
  }
  return out;
}

function importedFile(
  lib: Library,
  id: number,
  fileName: string,
  measurement: Measurement,
  temperature: ReturnType<typeof resolveTemperature>,
  cellId: number | null,
): ImportedFile {
  return {
    file: fileName,
    measurementId: id,
    format: measurement.format,
    technique: measurement.technique,
    rows: measurement.rows,
    temperature_K: temperature.temperature_K,
    temperatureSource: temperature.source,
    cellSuggestions: cellSuggestions(lib, measurement, cellId),
    warnings: measurement.warnings,
  };
}

/** Values from the file that could fill the cell: only those the cell lacks or that differ from it. */
export function cellSuggestions(
  lib: Library,
  measurement: Measurement,
  cellId: number | null,
): CellSuggestions {
  const cell = cellId === null ? null : findCell(lib.db, cellId);
  const meta = measurement.metadata;
  const out: CellSuggestions = {};
  const differs = (current: number | null | undefined, proposed: number) =>
    current === null || current === undefined || Math.abs(current - proposed) > 1e-9 * Math.abs(proposed);
  if (meta.area_m2 !== undefined && meta.area_m2 > 0 && differs(cell?.area_m2, meta.area_m2)) {
    out.area_m2 = meta.area_m2;
  }
  if (meta.mass_kg !== undefined && meta.mass_kg > 0 && differs(cell?.activeMass_kg, meta.mass_kg)) {
    out.activeMass_kg = meta.mass_kg;
  }
  if (
    meta.thickness_m !== undefined &&
    meta.thickness_m > 0 &&
    differs(cell?.thickness_m, meta.thickness_m)
  ) {
    out.thickness_m = meta.thickness_m;
  }
  return out;
}

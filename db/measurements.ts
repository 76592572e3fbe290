/**
 * Measurements in the library: the write of one measurement (row + original file + channel blobs),
 * and the reads the UI and analyses need. Reads go through the read connection inside one read
 * transaction, so a measurement is seen with all of its channels or not at all.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { ElyteError } from '../app/errors';
import type { MeasurementMetadata, TechniqueKind } from '../app/measurement';
import { decodeChannel, type EncodedChannel } from './channels';
import { logEdit } from './edits';
import { type Library, readSnapshot } from './library';
import { restoreFile, type StoredFile } from './rawfile';
import { findCell, findSample, nowIso, softDelete } from './records';
import type {
  ChannelInfo,
  ChannelOrigin,
  LoadedChannel,
  MeasurementRecord,
  TemperatureSource,
} from './types';
import { requireId } from './validate';

export interface ChannelToWrite {
  origin: ChannelOrigin;
  name: string;
  unit: string;
  encoded: EncodedChannel;
  /** Position of an earlier channel with identical bytes: stored once, referenced here. */
  sameAs: number | null;
}

/** A measurement record before it has an id and a channel count, with its file and channels. */
export interface MeasurementToWrite extends Omit<MeasurementRecord, 'id' | 'channelCount'> {
  file: StoredFile;
  channels: ChannelToWrite[];
}

/** Inserts one measurement with its file and every channel. Call inside a transaction. */
export function insertMeasurement(db: BetterSqlite3.Database, m: MeasurementToWrite): number {
  const info = db
    .prepare(
      `INSERT INTO measurements (uid, cell_id, sample_id, file_name, size_bytes, sha256, format, technique, kind,
         rows, channel_count, temperature_K, temperature_source, instrument, start_time, metadata_json,
         warnings_json, imported_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      m.uid,
      m.cellId,
      m.sampleId,
      m.fileName,
      m.sizeBytes,
      m.sha256,
      m.format,
      m.technique,
      m.kind,
      m.rows,
      m.channels.length,
      m.temperature_K,
      m.temperatureSource,
      m.instrument,
      m.startTime,
      JSON.stringify(m.metadata),
      JSON.stringify(m.warnings),
      m.importedAt,
      m.importedAt,
    );
  const id = Number(info.lastInsertRowid);
  db.prepare('INSERT INTO measurement_files (measurement_id, compression, content) VALUES (?, ?, ?)').run(
    id,
    m.file.compression,
    m.file.content,
  );
  const channel = db.prepare(
    `INSERT INTO measurement_channels (measurement_id, position, origin, name, unit, dtype, scale_exp, length,
       same_as, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  m.channels.forEach((c, position) => {
    const same = c.sameAs !== null;
    channel.run(
      id,
      position,
      c.origin,
      c.name,
      c.unit,
      same ? 'same' : c.encoded.dtype,
      c.encoded.scaleExp,
      c.encoded.length,
      c.sameAs,
      same ? null : c.encoded.data,
    );
  });
  return id;
}

interface MeasurementRow {
  id: number;
  uid: string;
  cell_id: number | null;
  sample_id: number | null;
  file_name: string;
  size_bytes: number;
  sha256: string;
  format: string;
  technique: string;
  kind: TechniqueKind;
  rows: number;
  channel_count: number;
  temperature_K: number | null;
  temperature_source: TemperatureSource | null;
  instrument: string | null;
  start_time: string | null;
  metadata_json: string;
  warnings_json: string;
  imported_at: string;
}

const MEASUREMENT_COLUMNS = `id, uid, cell_id, sample_id, file_name, size_bytes, sha256, format, technique, kind,
  rows, channel_count, temperature_K, temperature_source, instrument, start_time, metadata_json, warnings_json,
  imported_at`;

function measurementFromRow(row: MeasurementRow): MeasurementRecord {
  return {
    id: row.id,
    uid: row.uid,
    cellId: row.cell_id,
    sampleId: row.sample_id,
    fileName: row.file_name,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
    format: row.format,
    technique: row.technique,
    kind: row.kind,
    rows: row.rows,
    channelCount: row.channel_count,
    temperature_K: row.temperature_K,
    temperatureSource: row.temperature_source,
    instrument: row.instrument,
    startTime: row.start_time,
    metadata: JSON.parse(row.metadata_json) as MeasurementMetadata,
    warnings: JSON.parse(row.warnings_json) as string[],
    importedAt: row.imported_at,
  };
}

export function findMeasurement(db: BetterSqlite3.Database, id: number): MeasurementRecord | null {
  const row = db
    .prepare(`SELECT ${MEASUREMENT_COLUMNS} FROM measurements WHERE id = ? AND deleted_at IS NULL`)
    .get(id) as MeasurementRow | undefined;
  return row ? measurementFromRow(row) : null;
}

export function getMeasurement(lib: Library, id: number): MeasurementRecord {
  const m = findMeasurement(lib.reader, requireId(id, 'measurementId'));
  if (!m) throw new ElyteError('not-found', `no measurement with id ${id} in the library`);
  return m;
}

/** All measurements of a cell, oldest first (by start time, then import order). */
export function listCellMeasurements(lib: Library, cellId: number): MeasurementRecord[] {
  const rows = lib.reader
    .prepare(
      `SELECT ${MEASUREMENT_COLUMNS} FROM measurements WHERE cell_id = ? AND deleted_at IS NULL
       ORDER BY start_time, id`,
    )
    .all(requireId(cellId, 'cellId')) as MeasurementRow[];
  return rows.map(measurementFromRow);
}

/** Measurements not yet filed under a cell (optionally: filed under this sample only). */
export function listUnassignedMeasurements(lib: Library, sampleId?: number): MeasurementRecord[] {
  const rows = (
    sampleId === undefined
      ? lib.reader.prepare(
          `SELECT ${MEASUREMENT_COLUMNS} FROM measurements WHERE cell_id IS NULL AND deleted_at IS NULL
           ORDER BY imported_at, id`,
        )
      : lib.reader.prepare(
          `SELECT ${MEASUREMENT_COLUMNS} FROM measurements WHERE sample_id = ? AND deleted_at IS NULL
           ORDER BY imported_at, id`,
        )
  ).all(...(sampleId === undefined ? [] : [requireId(sampleId, 'sampleId')])) as MeasurementRow[];
  return rows.map(measurementFromRow);
}

export function findMeasurementBySha(
  db: BetterSqlite3.Database,
  sha256: string,
): { id: number; deleted: boolean } | null {
  const row = db.prepare('SELECT id, deleted_at FROM measurements WHERE sha256 = ?').get(sha256) as
    | { id: number; deleted_at: string | null }
    | undefined;
  return row ? { id: row.id, deleted: row.deleted_at !== null } : null;
}

export function listChannels(lib: Library, measurementId: number): ChannelInfo[] {
  return lib.reader
    .prepare(
      `SELECT c.position, c.name, c.unit, c.origin,
         CASE c.dtype WHEN 'same' THEN (SELECT s.dtype FROM measurement_channels s
           WHERE s.measurement_id = c.measurement_id AND s.position = c.same_as) ELSE c.dtype END AS dtype
       FROM measurement_channels c WHERE c.measurement_id = ? ORDER BY c.position`,
    )
    .all(requireId(measurementId, 'measurementId')) as ChannelInfo[];
}

interface ChannelRow {
  position: number;
  origin: ChannelOrigin;
  name: string;
  unit: string;
  dtype: string;
  scale_exp: number;
  length: number;
  data: Buffer;
}

/** Resolves 'same' to the stored channel's encoding and bytes in the same statement. */
const CHANNEL_SELECT = `SELECT c.position, c.origin, c.name, c.unit,
    coalesce(s.dtype, c.dtype) AS dtype, coalesce(s.scale_exp, c.scale_exp) AS scale_exp, c.length,
    coalesce(s.data, c.data) AS data
  FROM measurement_channels c
  LEFT JOIN measurement_channels s ON c.dtype = 'same' AND s.measurement_id = c.measurement_id
    AND s.position = c.same_as`;

function loadedFromRow(row: ChannelRow): LoadedChannel {
  return {
    position: row.position,
    origin: row.origin,
    name: row.name,
    unit: row.unit,
    dtype: row.dtype,
    values: decodeChannel(row.dtype, row.scale_exp, row.length, row.data),
  };
}

/**
 * Loads channels by name (canonical names first, then original column names), or all of them.
 * Unknown names are an error naming what the measurement has.
 */
export function loadChannels(
  lib: Library,
  measurementId: number,
  names?: readonly string[],
): LoadedChannel[] {
  const id = requireId(measurementId, 'measurementId');
  return readSnapshot(lib, () => {
    const m = lib.reader.prepare('SELECT id FROM measurements WHERE id = ? AND deleted_at IS NULL').get(id);
    if (!m) throw new ElyteError('not-found', `no measurement with id ${id} in the library`);
    if (names === undefined) {
      const rows = lib.reader
        .prepare(`${CHANNEL_SELECT} WHERE c.measurement_id = ? ORDER BY c.position`)
        .all(id) as ChannelRow[];
      return rows.map(loadedFromRow);
    }
    const byName = lib.reader.prepare(
      `${CHANNEL_SELECT} WHERE c.measurement_id = ? AND c.origin = ? AND c.name = ? ORDER BY c.position LIMIT 1`,
    );
    return names.map((name) => {
      const row = (byName.get(id, 'canonical', name) ?? byName.get(id, 'original', name)) as
        | ChannelRow
        | undefined;
      if (!row) {
        const have = lib.reader
          .prepare('SELECT name FROM measurement_channels WHERE measurement_id = ? ORDER BY position')
          .pluck()
          .all(id) as string[];
        throw new ElyteError(
          'not-found',
          `measurement ${id} has no channel "${name}" (it has: ${have.join(', ')})`,
          {
            where: name,
          },
        );
      }
      return loadedFromRow(row);
    });
  });
}

/** One numeric channel as Float64Array (for plots and analyses). */
export function loadChannel(lib: Library, measurementId: number, name: string): Float64Array {
  const [channel] = loadChannels(lib, measurementId, [name]);
  if (!channel || !(channel.values instanceof Float64Array)) {
    throw new ElyteError('invalid-argument', `channel "${name}" of measurement ${measurementId} is text`, {
      where: name,
    });
  }
  return channel.values;
}

/** The original file, byte-identical (checked against its SHA-256). */
export function loadRawFile(
  lib: Library,
  measurementId: number,
): { name: string; sha256: string; bytes: Uint8Array } {
  const id = requireId(measurementId, 'measurementId');
  const row = lib.reader
    .prepare(
      `SELECT m.file_name, m.sha256, f.compression, f.content FROM measurements m
       JOIN measurement_files f ON f.measurement_id = m.id WHERE m.id = ?`,
    )
    .get(id) as
    | { file_name: string; sha256: string; compression: 'gzip' | 'none'; content: Buffer }
    | undefined;
  if (!row) throw new ElyteError('not-found', `no measurement with id ${id} in the library`);
  const bytes = restoreFile(
    { compression: row.compression, content: row.content },
    row.sha256,
    row.file_name,
  );
  return { name: row.file_name, sha256: row.sha256, bytes };
}

export interface MeasurementPatch {
  /** File under this cell (null: unassign). */
  cellId?: number | null;
  /** File under a sample without a cell. Ignored when a cell is set. */
  sampleId?: number | null;
  /** The user's temperature in °C (null clears it). */
  temperature_C?: number | null;
}

interface Placement {
  cellId: number | null;
  sampleId: number | null;
  temperature_K: number | null;
  temperatureSource: TemperatureSource | null;
}

export function writePlacement(db: BetterSqlite3.Database, id: number, p: Placement): void {
  db.prepare(
    `UPDATE measurements SET cell_id = ?, sample_id = ?, temperature_K = ?, temperature_source = ?, updated_at = ?
     WHERE id = ?`,
  ).run(p.cellId, p.sampleId, p.temperature_K, p.temperatureSource, nowIso(), id);
}

/** Files a measurement under a cell (or sample) and/or sets its temperature; undoable. */
export function updateMeasurement(
  lib: Library,
  measurementId: number,
  patch: MeasurementPatch,
): MeasurementRecord {
  const id = requireId(measurementId, 'measurementId');
  const before = findMeasurement(lib.db, id);
  if (!before) throw new ElyteError('not-found', `no measurement with id ${id} in the library`);
  const next: Placement = {
    cellId: before.cellId,
    sampleId: before.sampleId,
    temperature_K: before.temperature_K,
    temperatureSource: before.temperatureSource,
  };
  if (patch.cellId !== undefined) {
    if (patch.cellId !== null && !findCell(lib.db, requireId(patch.cellId, 'cellId'))) {
      throw new ElyteError('not-found', `no cell with id ${patch.cellId} in the library`, {
        where: 'cellId',
      });
    }
    next.cellId = patch.cellId;
    if (patch.cellId !== null) next.sampleId = null;
  }
  if (patch.sampleId !== undefined && next.cellId === null) {
    if (patch.sampleId !== null && !findSample(lib.db, requireId(patch.sampleId, 'sampleId'))) {
      throw new ElyteError('not-found', `no sample with id ${patch.sampleId} in the library`, {
        where: 'sampleId',
      });
    }
    next.sampleId = patch.sampleId;
  }
  if (patch.temperature_C !== undefined) {
    next.temperature_K =
      patch.temperature_C === null ? null : celsiusToKelvin(patch.temperature_C, 'temperature_C');
    next.temperatureSource = patch.temperature_C === null ? null : 'user';
  }
  const previous: Placement = {
    cellId: before.cellId,
    sampleId: before.sampleId,
    temperature_K: before.temperature_K,
    temperatureSource: before.temperatureSource,
  };
  lib.db.transaction(() => {
    writePlacement(lib.db, id, next);
    logEdit(
      lib.db,
      'update',
      'measurement',
      { measurement: [id] },
      previous,
      `edit measurement ${before.fileName}`,
    );
  })();
  return findMeasurement(lib.db, id)!;
}

export function deleteMeasurement(lib: Library, measurementId: number): void {
  const id = requireId(measurementId, 'measurementId');
  const m = findMeasurement(lib.db, id);
  if (!m) throw new ElyteError('not-found', `no measurement with id ${id} in the library`);
  lib.db.transaction(() => {
    softDelete(lib.db, { measurement: [id] }, nowIso());
    logEdit(lib.db, 'delete', 'measurement', { measurement: [id] }, null, `delete measurement ${m.fileName}`);
  })();
}

export function celsiusToKelvin(celsius: number, where: string): number {
  if (!Number.isFinite(celsius) || celsius < -273.15) {
    throw new ElyteError('invalid-argument', `temperature must be a number ≥ −273.15 °C, got ${celsius}`, {
      where,
    });
  }
  return celsius + 273.15;
}

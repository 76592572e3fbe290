/**
 * Export of a sample or a batch to a folder — manifest.json, the raw files byte-identical under raw/,
 * the stored channel blobs under channels/ — and import of such a folder into another library,
 * losslessly: records keep their uids and times, analyses their settings, results and versions.
 * Importing the same folder twice adds nothing the second time (matching by uid and SHA-256).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { z } from 'zod';
import { ElyteError } from '../app/errors';
import type { MeasurementMetadata, TechniqueKind } from '../app/measurement';
import { findAnalysis, insertAnalysis } from './analyses';
import type { ChannelDtype } from './channels';
import { logEdit } from './edits';
import { type Library, readSnapshot } from './library';
import { findMeasurement, insertMeasurement } from './measurements';
import { compressFile, restoreFile, type StoredFile, sha256Hex } from './rawfile';
import {
  findBatch,
  findCell,
  findSample,
  insertBatch,
  insertCell,
  insertSample,
  recordFields,
} from './records';
import type { BatchFields, CellFields, SampleFields } from './types';
import { batchFieldsSchema, cellFieldsSchema, requireId, sampleFieldsSchema } from './validate';

export const EXPORT_FORMAT = 'elyte-library-export';
export const EXPORT_FORMAT_VERSION = 1;

const channelEntry = z.object({
  position: z.number().int().nonnegative(),
  origin: z.enum(['canonical', 'original']),
  name: z.string(),
  unit: z.string(),
  dtype: z.enum(['f64', 'f32', 'i8', 'i16', 'i32', 'text', 'same']),
  scaleExp: z.number().int().min(0).max(22),
  length: z.number().int().nonnegative(),
  sameAs: z.number().int().nonnegative().nullable(),
  offset: z.number().int().nonnegative(),
  byteLength: z.number().int().nonnegative(),
});

const manifestSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  formatVersion: z.number().int().min(1).max(EXPORT_FORMAT_VERSION),
  exportedAt: z.string(),
  scope: z.object({ kind: z.enum(['sample', 'batch']), uid: z.string() }),
  samples: z.array(z.object({ uid: z.string().min(1), createdAt: z.string(), fields: z.unknown() })),
  batches: z.array(
    z.object({ uid: z.string().min(1), sampleUid: z.string(), createdAt: z.string(), fields: z.unknown() }),
  ),
  cells: z.array(
    z.object({ uid: z.string().min(1), batchUid: z.string(), createdAt: z.string(), fields: z.unknown() }),
  ),
  measurements: z.array(
    z.object({
      uid: z.string().min(1),
      cellUid: z.string().nullable(),
      sampleUid: z.string().nullable(),
      fileName: z.string().min(1),
      sizeBytes: z.number().int().nonnegative(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      format: z.string(),
      technique: z.string(),
      kind: z.enum(['eis', 'voltammetry', 'galvanostatic', 'potentiostatic', 'ocv', 'other']),
      rows: z.number().int().nonnegative(),
      temperature_K: z.number().positive().nullable(),
      temperatureSource: z.enum(['user', 'file', 'name']).nullable(),
      instrument: z.string().nullable(),
      startTime: z.string().nullable(),
      metadata: z.record(z.string(), z.unknown()),
      warnings: z.array(z.string()),
      importedAt: z.string(),
      rawFile: z.string().regex(/^raw\/[^/\\]+$/),
      channelsFile: z.string().regex(/^channels\/[^/\\]+$/),
      channels: z.array(channelEntry),
    }),
  ),
  analyses: z.array(
    z.object({
      uid: z.string().min(1),
      kind: z.string().min(1),
      version: z.number().int().positive(),
      settings: z.record(z.string(), z.unknown()),
      results: z.record(z.string(), z.unknown()),
      numbers: z.array(
        z.object({ name: z.string(), value: z.number(), stderr: z.number().nullable(), unit: z.string() }),
      ),
      elyteVersion: z.string(),
      createdAt: z.string(),
      sources: z.array(z.object({ measurementUid: z.string(), sha256: z.string(), role: z.string() })),
    }),
  ),
});

export type ExportManifest = z.infer<typeof manifestSchema>;

export interface ExportResult {
  folder: string;
  samples: number;
  batches: number;
  cells: number;
  measurements: number;
  analyses: number;
  /** Analyses left out because they also used measurements outside the exported sample/batch. */
  analysesSkipped: number;
}

/** A file name safe on every OS, keeping the original visible. */
function safeName(index: number, fileName: string): string {
  const cleaned = fileName.replace(/[^A-Za-z0-9._+-]+/g, '_').slice(-150);
  return `${String(index + 1).padStart(4, '0')}-${cleaned || 'file'}`;
}

function prepareFolder(folder: string): string {
  const target = resolve(folder);
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new ElyteError('invalid-argument', `${target} is not empty; export into a new or empty folder`, {
      where: 'folder',
    });
  }
  mkdirSync(join(target, 'raw'), { recursive: true });
  mkdirSync(join(target, 'channels'), { recursive: true });
  return target;
}

export function exportSample(lib: Library, sampleId: number, folder: string): ExportResult {
  const id = requireId(sampleId, 'sampleId');
  return exportScope(lib, folder, () => {
    const sample = findSample(lib.reader, id);
    if (!sample) throw new ElyteError('not-found', `no sample with id ${id} in the library`);
    const batchIds = lib.reader
      .prepare('SELECT id FROM batches WHERE sample_id = ? AND deleted_at IS NULL ORDER BY id')
      .pluck()
      .all(id) as number[];
    return {
      kind: 'sample' as const,
      sampleId: id,
      uid: sample.uid,
      batchIds,
      includeLooseMeasurements: true,
    };
  });
}

export function exportBatch(lib: Library, batchId: number, folder: string): ExportResult {
  const id = requireId(batchId, 'batchId');
  return exportScope(lib, folder, () => {
    const batch = findBatch(lib.reader, id);
    if (!batch) throw new ElyteError('not-found', `no batch with id ${id} in the library`);
    return {
      kind: 'batch' as const,
      sampleId: batch.sampleId,
      uid: batch.uid,
      batchIds: [id],
      includeLooseMeasurements: false,
    };
  });
}

function exportScope(
  lib: Library,
  folder: string,
  scopeOf: () => {
    kind: 'sample' | 'batch';
    sampleId: number;
    uid: string;
    batchIds: number[];
    includeLooseMeasurements: boolean;
  },
): ExportResult {
  const target = prepareFolder(folder);
  // One read snapshot: the export is consistent even while an import writes.
  return readSnapshot(lib, () => {
    const db = lib.reader;
    const scope = scopeOf();
    const sample = findSample(db, scope.sampleId)!;
    const manifest: ExportManifest = {
      format: EXPORT_FORMAT,
      formatVersion: EXPORT_FORMAT_VERSION,
      exportedAt: new Date().toISOString(),
      scope: { kind: scope.kind, uid: scope.uid },
      samples: [{ uid: sample.uid, createdAt: sample.createdAt, fields: recordFields(sample) }],
      batches: [],
      cells: [],
      measurements: [],
      analyses: [],
    };
    const measurementIds: { id: number; cellUid: string | null; sampleUid: string | null }[] = [];
    const cellsOf = db
      .prepare('SELECT id FROM cells WHERE batch_id = ? AND deleted_at IS NULL ORDER BY id')
      .pluck();
    const measurementsOfCell = db
      .prepare('SELECT id FROM measurements WHERE cell_id = ? AND deleted_at IS NULL ORDER BY id')
      .pluck();
    for (const batchId of scope.batchIds) {
      const batch = findBatch(db, batchId)!;
      const { sampleId: _s, ...batchFields } = recordFields(batch);
      manifest.batches.push({
        uid: batch.uid,
        sampleUid: sample.uid,
        createdAt: batch.createdAt,
        fields: batchFields,
      });
      for (const cellId of cellsOf.all(batchId) as number[]) {
        const cell = findCell(db, cellId)!;
        const { batchId: _b, ...cellFields } = recordFields(cell);
        manifest.cells.push({
          uid: cell.uid,
          batchUid: batch.uid,
          createdAt: cell.createdAt,
          fields: cellFields,
        });
        for (const mId of measurementsOfCell.all(cellId) as number[]) {
          measurementIds.push({ id: mId, cellUid: cell.uid, sampleUid: null });
        }
      }
    }
    if (scope.includeLooseMeasurements) {
      const loose = db
        .prepare('SELECT id FROM measurements WHERE sample_id = ? AND deleted_at IS NULL ORDER BY id')
        .pluck()
        .all(sample.id) as number[];
      for (const mId of loose) measurementIds.push({ id: mId, cellUid: null, sampleUid: sample.uid });
    }
    measurementIds.forEach((entry, index) => {
      manifest.measurements.push(exportMeasurement(db, target, index, entry));
    });
    const skipped = exportAnalyses(db, manifest);
    writeFileSync(join(target, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    return {
      folder: target,
      samples: manifest.samples.length,
      batches: manifest.batches.length,
      cells: manifest.cells.length,
      measurements: manifest.measurements.length,
      analyses: manifest.analyses.length,
      analysesSkipped: skipped,
    };
  });
}

function exportMeasurement(
  db: BetterSqlite3.Database,
  folder: string,
  index: number,
  entry: { id: number; cellUid: string | null; sampleUid: string | null },
): ExportManifest['measurements'][number] {
  const m = findMeasurement(db, entry.id)!;
  const file = db
    .prepare('SELECT compression, content FROM measurement_files WHERE measurement_id = ?')
    .get(entry.id) as StoredFile;
  const bytes = restoreFile(file, m.sha256, m.fileName);
  const rawFile = `raw/${safeName(index, m.fileName)}`;
  writeFileSync(join(folder, rawFile), bytes);
  const rows = db
    .prepare(
      `SELECT position, origin, name, unit, dtype, scale_exp, length, same_as, data FROM measurement_channels
       WHERE measurement_id = ? ORDER BY position`,
    )
    .all(entry.id) as {
    position: number;
    origin: 'canonical' | 'original';
    name: string;
    unit: string;
    dtype: ChannelDtype | 'same';
    scale_exp: number;
    length: number;
    same_as: number | null;
    data: Buffer | null;
  }[];
  let offset = 0;
  const blobs: Buffer[] = [];
  const channels = rows.map((r) => {
    const byteLength = r.data?.length ?? 0;
    const item = {
      position: r.position,
      origin: r.origin,
      name: r.name,
      unit: r.unit,
      dtype: r.dtype,
      scaleExp: r.scale_exp,
      length: r.length,
      sameAs: r.same_as,
      offset,
      byteLength,
    };
    if (r.data) blobs.push(r.data);
    offset += byteLength;
    return item;
  });
  const channelsFile = `channels/${String(index + 1).padStart(4, '0')}.bin`;
  writeFileSync(join(folder, channelsFile), Buffer.concat(blobs));
  return {
    uid: m.uid,
    cellUid: entry.cellUid,
    sampleUid: entry.sampleUid,
    fileName: m.fileName,
    sizeBytes: m.sizeBytes,
    sha256: m.sha256,
    format: m.format,
    technique: m.technique,
    kind: m.kind,
    rows: m.rows,
    temperature_K: m.temperature_K,
    temperatureSource: m.temperatureSource,
    instrument: m.instrument,
    startTime: m.startTime,
    metadata: m.metadata as unknown as Record<string, unknown>,
    warnings: m.warnings,
    importedAt: m.importedAt,
    rawFile,
    channelsFile,
    channels,
  };
}

/** Analyses whose every source is exported; returns how many were left out. */
function exportAnalyses(db: BetterSqlite3.Database, manifest: ExportManifest): number {
  const byId = new Map<number, { uid: string; sha256: string }>();
  const idOf = db.prepare('SELECT id FROM measurements WHERE uid = ?').pluck();
  for (const m of manifest.measurements)
    byId.set(idOf.get(m.uid) as number, { uid: m.uid, sha256: m.sha256 });
  const ids = [...byId.keys()];
  const analysisIds = db
    .prepare(
      `SELECT DISTINCT a.id FROM analysis_measurements am JOIN analyses a ON a.id = am.analysis_id
       WHERE am.measurement_id IN (SELECT value FROM json_each(?)) AND a.deleted_at IS NULL ORDER BY a.id`,
    )
    .pluck()
    .all(JSON.stringify(ids)) as number[];
  let skipped = 0;
  for (const analysisId of analysisIds) {
    const a = findAnalysis(db, analysisId)!;
    if (!a.sources.every((s) => byId.has(s.measurementId))) {
      skipped++;
      continue;
    }
    manifest.analyses.push({
      uid: a.uid,
      kind: a.kind,
      version: a.version,
      settings: a.settings,
      results: a.results,
      numbers: a.numbers,
      elyteVersion: a.elyteVersion,
      createdAt: a.createdAt,
      sources: a.sources.map((s) => ({
        ...byId.get(s.measurementId)!,
        measurementUid: byId.get(s.measurementId)!.uid,
        role: s.role,
      })),
    });
  }
  return skipped;
}

export interface FolderImportResult {
  samples: { created: number; reused: number };
  batches: { created: number; reused: number };
  cells: { created: number; reused: number };
  measurements: { imported: number; skipped: number };
  analyses: { imported: number; skipped: number };
}

function readManifest(folder: string): ExportManifest {
  const path = join(folder, 'manifest.json');
  if (!existsSync(path)) {
    throw new ElyteError('not-found', `${folder} has no manifest.json; is it an Elyte export folder?`, {
      file: 'manifest.json',
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ElyteError('malformed', `manifest.json is not valid JSON (${(error as Error).message})`, {
      file: 'manifest.json',
    });
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ElyteError(
      'malformed',
      `manifest.json: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`,
      {
        file: 'manifest.json',
        where: issue?.path.join('.'),
      },
    );
  }
  return parsed.data;
}

/**
 * Imports an export folder into `lib` in ONE transaction (all or nothing), after checking every raw
 * file against its SHA-256 and every channel file against its sizes. Undo removes what it added.
 */
export async function importLibraryFolder(lib: Library, folder: string): Promise<FolderImportResult> {
  const source = resolve(folder);
  const manifest = readManifest(source);
  const files = new Map<string, { stored: StoredFile; channelData: Buffer }>();
  for (const m of manifest.measurements) {
    const bytes = new Uint8Array(readFileSync(join(source, m.rawFile)));
    if (sha256Hex(bytes) !== m.sha256 || bytes.length !== m.sizeBytes) {
      throw new ElyteError('malformed', 'the raw file does not match the SHA-256 in manifest.json', {
        file: m.rawFile,
      });
    }
    const channelData = readFileSync(join(source, m.channelsFile));
    for (const c of m.channels) {
      if (c.offset + c.byteLength > channelData.length) {
        throw new ElyteError('malformed', `channel "${c.name}" runs past the end of the file`, {
          file: m.channelsFile,
        });
      }
    }
    files.set(m.uid, { stored: await compressFile(bytes), channelData });
  }
  return lib.db.transaction(() => writeFolder(lib.db, manifest, files))();
}

function writeFolder(
  db: BetterSqlite3.Database,
  manifest: ExportManifest,
  files: Map<string, { stored: StoredFile; channelData: Buffer }>,
): FolderImportResult {
  const result: FolderImportResult = {
    samples: { created: 0, reused: 0 },
    batches: { created: 0, reused: 0 },
    cells: { created: 0, reused: 0 },
    measurements: { imported: 0, skipped: 0 },
    analyses: { imported: 0, skipped: 0 },
  };
  const created = {
    sample: [] as number[],
    batch: [] as number[],
    cell: [] as number[],
    measurement: [] as number[],
    analysis: [] as number[],
  };
  const idByUid = (table: 'samples' | 'batches' | 'cells' | 'measurements' | 'analyses') =>
    ({
      samples: db.prepare('SELECT id FROM samples WHERE uid = ? AND deleted_at IS NULL').pluck(),
      batches: db.prepare('SELECT id FROM batches WHERE uid = ? AND deleted_at IS NULL').pluck(),
      cells: db.prepare('SELECT id FROM cells WHERE uid = ? AND deleted_at IS NULL').pluck(),
      measurements: db.prepare('SELECT id FROM measurements WHERE uid = ?').pluck(),
      analyses: db.prepare('SELECT id FROM analyses WHERE uid = ?').pluck(),
    })[table];

  const sampleIds = new Map<string, number>();
  for (const s of manifest.samples) {
    const fields = sampleFieldsSchema.parse(s.fields) as SampleFields;
    const byName = db.prepare('SELECT id FROM samples WHERE name = ? AND deleted_at IS NULL').pluck();
    const existing = (idByUid('samples').get(s.uid) ?? byName.get(fields.name)) as number | undefined;
    if (existing !== undefined) {
      sampleIds.set(s.uid, existing);
      result.samples.reused++;
    } else {
      const id = insertSample(db, fields, { uid: s.uid, createdAt: s.createdAt });
      sampleIds.set(s.uid, id);
      created.sample.push(id);
      result.samples.created++;
    }
  }
  const batchIds = new Map<string, number>();
  for (const b of manifest.batches) {
    const sampleId = sampleIds.get(b.sampleUid);
    if (sampleId === undefined) throw new ElyteError('malformed', `batch ${b.uid} names an unknown sample`);
    const existing = idByUid('batches').get(b.uid) as number | undefined;
    if (existing !== undefined) {
      batchIds.set(b.uid, existing);
      result.batches.reused++;
      continue;
    }
    const fields = batchFieldsSchema.parse({ ...(b.fields as object), sampleId }) as BatchFields;
    const id = insertBatch(db, fields, { uid: b.uid, createdAt: b.createdAt });
    batchIds.set(b.uid, id);
    created.batch.push(id);
    result.batches.created++;
  }
  const cellIds = new Map<string, number>();
  for (const c of manifest.cells) {
    const batchId = batchIds.get(c.batchUid);
    if (batchId === undefined) throw new ElyteError('malformed', `cell ${c.uid} names an unknown batch`);
    const existing = idByUid('cells').get(c.uid) as number | undefined;
    if (existing !== undefined) {
      cellIds.set(c.uid, existing);
      result.cells.reused++;
      continue;
    }
    const fields = cellFieldsSchema.parse({ ...(c.fields as object), batchId }) as CellFields;
    const id = insertCell(db, fields, { uid: c.uid, createdAt: c.createdAt });
    cellIds.set(c.uid, id);
    created.cell.push(id);
    result.cells.created++;
  }
  const measurementIds = new Map<string, number>();
  const bySha = db.prepare('SELECT id FROM measurements WHERE sha256 = ?').pluck();
  for (const m of manifest.measurements) {
    const existing = bySha.get(m.sha256) as number | undefined;
    if (existing !== undefined) {
      measurementIds.set(m.uid, existing);
      result.measurements.skipped++;
      continue;
    }
    const file = files.get(m.uid)!;
    const uidTaken = idByUid('measurements').get(m.uid) !== undefined;
    const id = insertMeasurement(db, {
      uid: uidTaken ? randomUUID() : m.uid,
      cellId: m.cellUid === null ? null : (cellIds.get(m.cellUid) ?? null),
      sampleId: m.cellUid === null && m.sampleUid !== null ? (sampleIds.get(m.sampleUid) ?? null) : null,
      fileName: m.fileName,
      sizeBytes: m.sizeBytes,
      sha256: m.sha256,
      format: m.format,
      technique: m.technique,
      kind: m.kind as TechniqueKind,
      rows: m.rows,
      temperature_K: m.temperature_K,
      temperatureSource: m.temperatureSource,
      instrument: m.instrument,
      startTime: m.startTime,
      metadata: m.metadata as unknown as MeasurementMetadata,
      warnings: m.warnings,
      importedAt: m.importedAt,
      file: file.stored,
      channels: m.channels.map((c) => ({
        origin: c.origin,
        name: c.name,
        unit: c.unit,
        sameAs: c.sameAs,
        encoded: {
          dtype: (c.dtype === 'same' ? 'f64' : c.dtype) as ChannelDtype,
          scaleExp: c.scaleExp,
          length: c.length,
          data: file.channelData.subarray(c.offset, c.offset + c.byteLength),
        },
      })),
    });
    measurementIds.set(m.uid, id);
    created.measurement.push(id);
    result.measurements.imported++;
  }
  for (const a of manifest.analyses) {
    if (idByUid('analyses').get(a.uid) !== undefined) {
      result.analyses.skipped++;
      continue;
    }
    const sources = a.sources.map((s) => {
      const id = measurementIds.get(s.measurementUid);
      if (id === undefined)
        throw new ElyteError('malformed', `analysis ${a.uid} names an unknown measurement`);
      return { measurementId: id, role: s.role };
    });
    const id = insertAnalysis(
      db,
      {
        kind: a.kind,
        sources,
        settings: a.settings,
        results: a.results,
        numbers: a.numbers,
        elyteVersion: a.elyteVersion,
      },
      { uid: a.uid, createdAt: a.createdAt, version: a.version },
    );
    created.analysis.push(id);
    result.analyses.imported++;
  }
  if (Object.values(created).some((ids) => ids.length > 0)) {
    logEdit(db, 'import', 'sample', created, null, `import folder (${manifest.scope.kind})`);
  }
  return result;
}

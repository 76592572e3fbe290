/**
 * Samples, batches and cells: create, read, update, soft-delete. Every change is one transaction and
 * one entry in the undo log (db/edits.ts).
 */
import { randomUUID } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { ElyteError } from '../app/errors';
import { type EditTargets, logEdit } from './edits';
import type { Library } from './library';
import type { Batch, BatchFields, Cation, Cell, CellFields, Sample, SampleFields } from './types';
import { batchFieldsSchema, cellFieldsSchema, parseInput, requireId, sampleFieldsSchema } from './validate';

export const nowIso = (): string => new Date().toISOString();

interface SampleRow {
  id: number;
  uid: string;
  name: string;
  family: string;
  salt: string;
  cation: string;
  filler_particle_size_m: number | null;
  residual_solvent_pct: number | null;
  crystallinity_pct: number | null;
  free_anion_fraction_pct: number | null;
  notes: string;
  created_at: string;
  updated_at: string;
}

interface BatchRow {
  id: number;
  uid: string;
  sample_id: number;
  name: string;
  made_on: string | null;
  operator: string;
  deviations: string;
  notes: string;
  created_at: string;
  updated_at: string;
}

interface CellRow {
  id: number;
  uid: string;
  batch_id: number;
  name: string;
  cell_type: string;
  area_m2: number | null;
  thickness_m: number | null;
  active_mass_kg: number | null;
  loading_kg_per_m2: number | null;
  cathode: string;
  notes: string;
  created_at: string;
  updated_at: string;
}

function uniqueViolation(error: unknown): boolean {
  return (
    error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_CONSTRAINT_UNIQUE')
  );
}

// ---------------------------------------------------------------- samples

function sampleFromRow(db: BetterSqlite3.Database, row: SampleRow): Sample {
  const components = db
    .prepare('SELECT name, ratio FROM sample_components WHERE sample_id = ? ORDER BY position')
    .all(row.id) as { name: string; ratio: number }[];
  const tags = db
    .prepare('SELECT tag FROM sample_tags WHERE sample_id = ? ORDER BY tag')
    .pluck()
    .all(row.id) as string[];
  return {
    id: row.id,
    uid: row.uid,
    name: row.name,
    family: row.family,
    components,
    salt: row.salt,
    cation: row.cation as Cation,
    fillerParticleSize_m: row.filler_particle_size_m,
    residualSolvent_pct: row.residual_solvent_pct,
    crystallinity_pct: row.crystallinity_pct,
    freeAnionFraction_pct: row.free_anion_fraction_pct,
    notes: row.notes,
    tags,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const SAMPLE_COLUMNS = `id, uid, name, family, salt, cation, filler_particle_size_m, residual_solvent_pct,
  crystallinity_pct, free_anion_fraction_pct, notes, created_at, updated_at`;

export function findSample(db: BetterSqlite3.Database, id: number): Sample | null {
  const row = db
    .prepare(`SELECT ${SAMPLE_COLUMNS} FROM samples WHERE id = ? AND deleted_at IS NULL`)
    .get(id) as SampleRow | undefined;
  return row ? sampleFromRow(db, row) : null;
}

export function getSample(lib: Library, id: number): Sample {
  const sample = findSample(lib.reader, requireId(id, 'sampleId'));
  if (!sample) throw new ElyteError('not-found', `no sample with id ${id} in the library`);
  return sample;
}

/** Name lookup is case-insensitive, like the uniqueness rule. */
export function findSampleByName(lib: Library, name: string): Sample | null {
  const row = lib.reader
    .prepare(`SELECT ${SAMPLE_COLUMNS} FROM samples WHERE name = ? AND deleted_at IS NULL`)
    .get(name.trim()) as SampleRow | undefined;
  return row ? sampleFromRow(lib.reader, row) : null;
}

export function listSamples(lib: Library): Sample[] {
  const rows = lib.reader
    .prepare(`SELECT ${SAMPLE_COLUMNS} FROM samples WHERE deleted_at IS NULL ORDER BY name`)
    .all() as SampleRow[];
  return rows.map((row) => sampleFromRow(lib.reader, row));
}

function writeSampleChildren(db: BetterSqlite3.Database, id: number, fields: SampleFields): void {
  db.prepare('DELETE FROM sample_components WHERE sample_id = ?').run(id);
  db.prepare('DELETE FROM sample_tags WHERE sample_id = ?').run(id);
  const component = db.prepare(
    'INSERT INTO sample_components (sample_id, position, name, ratio) VALUES (?, ?, ?, ?)',
  );
  fields.components.forEach((c, i) => {
    component.run(id, i, c.name, c.ratio);
  });
  const tag = db.prepare('INSERT OR IGNORE INTO sample_tags (sample_id, tag) VALUES (?, ?)');
  for (const t of fields.tags) tag.run(id, t);
}

function sampleParams(fields: SampleFields) {
  return {
    name: fields.name,
    family: fields.family,
    salt: fields.salt,
    cation: fields.cation,
    filler: fields.fillerParticleSize_m,
    solvent: fields.residualSolvent_pct,
    crystallinity: fields.crystallinity_pct,
    freeAnion: fields.freeAnionFraction_pct,
    notes: fields.notes,
  };
}

/** Inserts without logging (also used by the folder import); returns the id. */
export function insertSample(
  db: BetterSqlite3.Database,
  fields: SampleFields,
  meta: { uid?: string; createdAt?: string } = {},
): number {
  const at = meta.createdAt ?? nowIso();
  try {
    const info = db
      .prepare(
        `INSERT INTO samples (uid, name, family, salt, cation, filler_particle_size_m, residual_solvent_pct,
           crystallinity_pct, free_anion_fraction_pct, notes, created_at, updated_at)
         VALUES (@uid, @name, @family, @salt, @cation, @filler, @solvent, @crystallinity, @freeAnion, @notes,
           @at, @at)`,
      )
      .run({ ...sampleParams(fields), uid: meta.uid ?? randomUUID(), at });
    const id = Number(info.lastInsertRowid);
    writeSampleChildren(db, id, fields);
    return id;
  } catch (error) {
    if (uniqueViolation(error)) {
      throw new ElyteError('conflict', `a sample called "${fields.name}" already exists`, { where: 'name' });
    }
    throw error;
  }
}

export function createSample(lib: Library, input: unknown): Sample {
  const fields = parseInput(sampleFieldsSchema, input, 'sample');
  const id = lib.db.transaction(() => {
    const newId = insertSample(lib.db, fields);
    logEdit(lib.db, 'create', 'sample', { sample: [newId] }, null, `create sample ${fields.name}`);
    return newId;
  })();
  return findSample(lib.db, id)!;
}

function sampleFields(sample: Sample): SampleFields {
  const { id: _id, uid: _uid, createdAt: _c, updatedAt: _u, ...fields } = sample;
  return fields;
}

/** Applies a full field set without logging (undo uses this too). */
export function writeSample(db: BetterSqlite3.Database, id: number, fields: SampleFields): void {
  try {
    db.prepare(
      `UPDATE samples SET name = @name, family = @family, salt = @salt, cation = @cation,
         filler_particle_size_m = @filler, residual_solvent_pct = @solvent, crystallinity_pct = @crystallinity,
         free_anion_fraction_pct = @freeAnion, notes = @notes, updated_at = @at WHERE id = @id`,
    ).run({ ...sampleParams(fields), id, at: nowIso() });
  } catch (error) {
    if (uniqueViolation(error)) {
      throw new ElyteError('conflict', `a sample called "${fields.name}" already exists`, { where: 'name' });
    }
    throw error;
  }
  writeSampleChildren(db, id, fields);
}

export function updateSample(lib: Library, id: number, patch: unknown): Sample {
  const before = findSample(lib.db, requireId(id, 'sampleId'));
  if (!before) throw new ElyteError('not-found', `no sample with id ${id} in the library`);
  const fields = parseInput(sampleFieldsSchema, { ...sampleFields(before), ...(patch as object) }, 'sample');
  lib.db.transaction(() => {
    writeSample(lib.db, id, fields);
    logEdit(lib.db, 'update', 'sample', { sample: [id] }, sampleFields(before), `edit sample ${before.name}`);
  })();
  return findSample(lib.db, id)!;
}

/** Soft-deletes the sample with its batches, cells and their measurements (undo brings all back). */
export function deleteSample(lib: Library, id: number): void {
  const sample = findSample(lib.db, requireId(id, 'sampleId'));
  if (!sample) throw new ElyteError('not-found', `no sample with id ${id} in the library`);
  lib.db.transaction(() => {
    const at = nowIso();
    const batches = lib.db
      .prepare('SELECT id FROM batches WHERE sample_id = ? AND deleted_at IS NULL')
      .pluck()
      .all(id) as number[];
    const targets = { sample: [id], batch: batches, cell: [] as number[], measurement: [] as number[] };
    for (const batchId of batches) collectBatchChildren(lib.db, batchId, targets);
    targets.measurement.push(
      ...(lib.db
        .prepare('SELECT id FROM measurements WHERE sample_id = ? AND deleted_at IS NULL')
        .pluck()
        .all(id) as number[]),
    );
    softDelete(lib.db, targets, at);
    logEdit(lib.db, 'delete', 'sample', targets, null, `delete sample ${sample.name}`);
  })();
}

// ---------------------------------------------------------------- soft delete helpers

function collectBatchChildren(
  db: BetterSqlite3.Database,
  batchId: number,
  targets: { cell: number[]; measurement: number[] },
): void {
  const cells = db
    .prepare('SELECT id FROM cells WHERE batch_id = ? AND deleted_at IS NULL')
    .pluck()
    .all(batchId) as number[];
  targets.cell.push(...cells);
  const measurements = db
    .prepare('SELECT id FROM measurements WHERE cell_id = ? AND deleted_at IS NULL')
    .pluck();
  for (const cellId of cells) targets.measurement.push(...(measurements.all(cellId) as number[]));
}

/** One statement per table, fixed text: identifiers are never built from input. */
const SOFT_DELETE_SQL = {
  sample: 'UPDATE samples SET deleted_at = ? WHERE id = ?',
  batch: 'UPDATE batches SET deleted_at = ? WHERE id = ?',
  cell: 'UPDATE cells SET deleted_at = ? WHERE id = ?',
  measurement: 'UPDATE measurements SET deleted_at = ? WHERE id = ?',
  analysis: 'UPDATE analyses SET deleted_at = ? WHERE id = ?',
} as const;

/** Sets (`at` = time) or clears (`at` = null) deleted_at on every target. */
export function softDelete(db: BetterSqlite3.Database, targets: EditTargets, at: string | null): void {
  for (const entity of Object.keys(SOFT_DELETE_SQL) as (keyof typeof SOFT_DELETE_SQL)[]) {
    const ids = targets[entity];
    if (!ids || ids.length === 0) continue;
    const statement = db.prepare(SOFT_DELETE_SQL[entity]);
    for (const id of ids) {
      try {
        statement.run(at, id);
      } catch (error) {
        if (uniqueViolation(error)) {
          throw new ElyteError(
            'conflict',
            `cannot bring back ${entity} ${id}: another record now has the same name; rename it first`,
          );
        }
        throw error;
      }
    }
  }
}

// ---------------------------------------------------------------- batches

const BATCH_COLUMNS =
  'id, uid, sample_id, name, made_on, operator, deviations, notes, created_at, updated_at';

function batchFromRow(row: BatchRow): Batch {
  return {
    id: row.id,
    uid: row.uid,
    sampleId: row.sample_id,
    name: row.name,
    date: row.made_on,
    operator: row.operator,
    deviations: row.deviations,
    notes: row.notes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function findBatch(db: BetterSqlite3.Database, id: number): Batch | null {
  const row = db
    .prepare(`SELECT ${BATCH_COLUMNS} FROM batches WHERE id = ? AND deleted_at IS NULL`)
    .get(id) as BatchRow | undefined;
  return row ? batchFromRow(row) : null;
}

export function getBatch(lib: Library, id: number): Batch {
  const batch = findBatch(lib.reader, requireId(id, 'batchId'));
  if (!batch) throw new ElyteError('not-found', `no batch with id ${id} in the library`);
  return batch;
}

export function listBatches(lib: Library, sampleId: number): Batch[] {
  const rows = lib.reader
    .prepare(
      `SELECT ${BATCH_COLUMNS} FROM batches WHERE sample_id = ? AND deleted_at IS NULL ORDER BY made_on, id`,
    )
    .all(requireId(sampleId, 'sampleId')) as BatchRow[];
  return rows.map(batchFromRow);
}

export function insertBatch(
  db: BetterSqlite3.Database,
  fields: BatchFields,
  meta: { uid?: string; createdAt?: string } = {},
): number {
  if (!findSample(db, fields.sampleId)) {
    throw new ElyteError('not-found', `no sample with id ${fields.sampleId} for the batch`, {
      where: 'sampleId',
    });
  }
  const at = meta.createdAt ?? nowIso();
  const info = db
    .prepare(
      `INSERT INTO batches (uid, sample_id, name, made_on, operator, deviations, notes, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      meta.uid ?? randomUUID(),
      fields.sampleId,
      fields.name,
      fields.date,
      fields.operator,
      fields.deviations,
      fields.notes,
      at,
      at,
    );
  return Number(info.lastInsertRowid);
}

export function createBatch(lib: Library, input: unknown): Batch {
  const fields = parseInput(batchFieldsSchema, input, 'batch');
  const id = lib.db.transaction(() => {
    const newId = insertBatch(lib.db, fields);
    logEdit(lib.db, 'create', 'batch', { batch: [newId] }, null, `create batch ${fields.name}`);
    return newId;
  })();
  return findBatch(lib.db, id)!;
}

function batchFields(batch: Batch): BatchFields {
  const { id: _id, uid: _uid, createdAt: _c, updatedAt: _u, ...fields } = batch;
  return fields;
}

export function writeBatch(db: BetterSqlite3.Database, id: number, fields: BatchFields): void {
  if (!findSample(db, fields.sampleId)) {
    throw new ElyteError('not-found', `no sample with id ${fields.sampleId} for the batch`, {
      where: 'sampleId',
    });
  }
  db.prepare(
    `UPDATE batches SET sample_id = ?, name = ?, made_on = ?, operator = ?, deviations = ?, notes = ?,
       updated_at = ? WHERE id = ?`,
  ).run(
    fields.sampleId,
    fields.name,
    fields.date,
    fields.operator,
    fields.deviations,
    fields.notes,
    nowIso(),
    id,
  );
}

export function updateBatch(lib: Library, id: number, patch: unknown): Batch {
  const before = findBatch(lib.db, requireId(id, 'batchId'));
  if (!before) throw new ElyteError('not-found', `no batch with id ${id} in the library`);
  const fields = parseInput(batchFieldsSchema, { ...batchFields(before), ...(patch as object) }, 'batch');
  lib.db.transaction(() => {
    writeBatch(lib.db, id, fields);
    logEdit(lib.db, 'update', 'batch', { batch: [id] }, batchFields(before), `edit batch ${before.name}`);
  })();
  return findBatch(lib.db, id)!;
}

export function deleteBatch(lib: Library, id: number): void {
  const batch = findBatch(lib.db, requireId(id, 'batchId'));
  if (!batch) throw new ElyteError('not-found', `no batch with id ${id} in the library`);
  lib.db.transaction(() => {
    const targets = { batch: [id], cell: [] as number[], measurement: [] as number[] };
    collectBatchChildren(lib.db, id, targets);
    softDelete(lib.db, targets, nowIso());
    logEdit(lib.db, 'delete', 'batch', targets, null, `delete batch ${batch.name}`);
  })();
}

// ---------------------------------------------------------------- cells

const CELL_COLUMNS = `id, uid, batch_id, name, cell_type, area_m2, thickness_m, active_mass_kg, loading_kg_per_m2,
  cathode, notes, created_at, updated_at`;

function cellFromRow(row: CellRow): Cell {
  return {
    id: row.id,
    uid: row.uid,
    batchId: row.batch_id,
    name: row.name,
    cellType: row.cell_type,
    area_m2: row.area_m2,
    thickness_m: row.thickness_m,
    activeMass_kg: row.active_mass_kg,
    loading_kg_per_m2: row.loading_kg_per_m2,
    cathode: row.cathode,
    notes: row.notes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function findCell(db: BetterSqlite3.Database, id: number): Cell | null {
  const row = db.prepare(`SELECT ${CELL_COLUMNS} FROM cells WHERE id = ? AND deleted_at IS NULL`).get(id) as
    | CellRow
    | undefined;
  return row ? cellFromRow(row) : null;
}

export function getCell(lib: Library, id: number): Cell {
  const cell = findCell(lib.reader, requireId(id, 'cellId'));
  if (!cell) throw new ElyteError('not-found', `no cell with id ${id} in the library`);
  return cell;
}

export function listCells(lib: Library, batchId: number): Cell[] {
  const rows = lib.reader
    .prepare(`SELECT ${CELL_COLUMNS} FROM cells WHERE batch_id = ? AND deleted_at IS NULL ORDER BY name`)
    .all(requireId(batchId, 'batchId')) as CellRow[];
  return rows.map(cellFromRow);
}

function cellParams(fields: CellFields) {
  return [
    fields.batchId,
    fields.name,
    fields.cellType,
    fields.area_m2,
    fields.thickness_m,
    fields.activeMass_kg,
    fields.loading_kg_per_m2,
    fields.cathode,
    fields.notes,
  ];
}

export function insertCell(
  db: BetterSqlite3.Database,
  fields: CellFields,
  meta: { uid?: string; createdAt?: string } = {},
): number {
  if (!findBatch(db, fields.batchId)) {
    throw new ElyteError('not-found', `no batch with id ${fields.batchId} for the cell`, {
      where: 'batchId',
    });
  }
  const at = meta.createdAt ?? nowIso();
  try {
    const info = db
      .prepare(
        `INSERT INTO cells (batch_id, name, cell_type, area_m2, thickness_m, active_mass_kg, loading_kg_per_m2,
           cathode, notes, uid, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(...cellParams(fields), meta.uid ?? randomUUID(), at, at);
    return Number(info.lastInsertRowid);
  } catch (error) {
    if (uniqueViolation(error)) {
      throw new ElyteError('conflict', `the batch already has a cell called "${fields.name}"`, {
        where: 'name',
      });
    }
    throw error;
  }
}

export function createCell(lib: Library, input: unknown): Cell {
  const fields = parseInput(cellFieldsSchema, input, 'cell');
  const id = lib.db.transaction(() => {
    const newId = insertCell(lib.db, fields);
    logEdit(lib.db, 'create', 'cell', { cell: [newId] }, null, `create cell ${fields.name}`);
    return newId;
  })();
  return findCell(lib.db, id)!;
}

function cellFields(cell: Cell): CellFields {
  const { id: _id, uid: _uid, createdAt: _c, updatedAt: _u, ...fields } = cell;
  return fields;
}

export function writeCell(db: BetterSqlite3.Database, id: number, fields: CellFields): void {
  if (!findBatch(db, fields.batchId)) {
    throw new ElyteError('not-found', `no batch with id ${fields.batchId} for the cell`, {
      where: 'batchId',
    });
  }
  try {
    db.prepare(
      `UPDATE cells SET batch_id = ?, name = ?, cell_type = ?, area_m2 = ?, thickness_m = ?, active_mass_kg = ?,
         loading_kg_per_m2 = ?, cathode = ?, notes = ?, updated_at = ? WHERE id = ?`,
    ).run(...cellParams(fields), nowIso(), id);
  } catch (error) {
    if (uniqueViolation(error)) {
      throw new ElyteError('conflict', `the batch already has a cell called "${fields.name}"`, {
        where: 'name',
      });
    }
    throw error;
  }
}

export function updateCell(lib: Library, id: number, patch: unknown): Cell {
  const before = findCell(lib.db, requireId(id, 'cellId'));
  if (!before) throw new ElyteError('not-found', `no cell with id ${id} in the library`);
  const fields = parseInput(cellFieldsSchema, { ...cellFields(before), ...(patch as object) }, 'cell');
  lib.db.transaction(() => {
    writeCell(lib.db, id, fields);
    logEdit(lib.db, 'update', 'cell', { cell: [id] }, cellFields(before), `edit cell ${before.name}`);
  })();
  return findCell(lib.db, id)!;
}

export function deleteCell(lib: Library, id: number): void {
  const cell = findCell(lib.db, requireId(id, 'cellId'));
  if (!cell) throw new ElyteError('not-found', `no cell with id ${id} in the library`);
  lib.db.transaction(() => {
    const measurements = lib.db
      .prepare('SELECT id FROM measurements WHERE cell_id = ? AND deleted_at IS NULL')
      .pluck()
      .all(id) as number[];
    const targets = { cell: [id], measurement: measurements };
    softDelete(lib.db, targets, nowIso());
    logEdit(lib.db, 'delete', 'cell', targets, null, `delete cell ${cell.name}`);
  })();
}

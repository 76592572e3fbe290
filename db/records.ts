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

/** Runs an INSERT/UPDATE and turns a UNIQUE violation (a name already taken) into a conflict on `name`. */
function uniqueName<T>(write: () => T, conflict: string): T {
  try {
    return write();
  } catch (error) {
    if (uniqueViolation(error)) throw new ElyteError('conflict', conflict, { where: 'name' });
    throw error;
  }
}

type RecordKind = 'sample' | 'batch' | 'cell';

/** The stored record or the not-found error every getter, update and delete gives. */
function existing<R>(record: R | null, kind: RecordKind, id: number): R {
  if (!record) throw new ElyteError('not-found', `no ${kind} with id ${id} in the library`);
  return record;
}

/** A batch needs its sample, a cell its batch: checked before every insert and write. */
function requireParent(found: unknown, parent: 'sample' | 'batch', id: number, child: RecordKind): void {
  if (!found) {
    throw new ElyteError('not-found', `no ${parent} with id ${id} for the ${child}`, {
      where: `${parent}Id`,
    });
  }
}

/** The editable fields of a stored record: what create takes, update patches and undo restores. */
export function recordFields<T extends { id: number; uid: string; createdAt: string; updatedAt: string }>(
  record: T,
): Omit<T, 'id' | 'uid' | 'createdAt' | 'updatedAt'> {
  const { id: _id, uid: _uid, createdAt: _c, updatedAt: _u, ...fields } = record;
  return fields;
}

interface RecordStore<R, F> {
  kind: RecordKind;
  /** The full field set from untrusted input (create) or stored fields with a patch over them (update). */
  parse: (value: unknown) => F;
  find: (db: BetterSqlite3.Database, id: number) => R | null;
  insert: (db: BetterSqlite3.Database, fields: F) => number;
  write: (db: BetterSqlite3.Database, id: number, fields: F) => void;
}

/** Inserts the parsed fields and logs the creation, in one transaction. */
function createRecord<R, F extends { name: string }>(
  lib: Library,
  store: RecordStore<R, F>,
  input: unknown,
): R {
  const fields = store.parse(input);
  const id = lib.db.transaction(() => {
    const newId = store.insert(lib.db, fields);
    logEdit(
      lib.db,
      'create',
      store.kind,
      { [store.kind]: [newId] },
      null,
      `create ${store.kind} ${fields.name}`,
    );
    return newId;
  })();
  return store.find(lib.db, id)!;
}

/** Applies `patch` over the stored fields and logs the fields before, in one transaction. */
function updateRecord<
  R extends { id: number; uid: string; createdAt: string; updatedAt: string; name: string },
  F,
>(lib: Library, store: RecordStore<R, F>, id: number, patch: unknown): R {
  const before = existing(store.find(lib.db, requireId(id, `${store.kind}Id`)), store.kind, id);
  const fields = store.parse({ ...recordFields(before), ...(patch as object) });
  lib.db.transaction(() => {
    store.write(lib.db, id, fields);
    logEdit(
      lib.db,
      'update',
      store.kind,
      { [store.kind]: [id] },
      recordFields(before),
      `edit ${store.kind} ${before.name}`,
    );
  })();
  return store.find(lib.db, id)!;
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
  return existing(findSample(lib.reader, requireId(id, 'sampleId')), 'sample', id);
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
  return uniqueName(() => {
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
  }, sampleNameTaken(fields.name));
}

const sampleNameTaken = (name: string): string => `a sample called "${name}" already exists`;

export function createSample(lib: Library, input: unknown): Sample {
  return createRecord(lib, SAMPLES, input);
}

/** Applies a full field set without logging (undo uses this too). */
export function writeSample(db: BetterSqlite3.Database, id: number, fields: SampleFields): void {
  uniqueName(
    () =>
      db
        .prepare(
          `UPDATE samples SET name = @name, family = @family, salt = @salt, cation = @cation,
         filler_particle_size_m = @filler, residual_solvent_pct = @solvent, crystallinity_pct = @crystallinity,
         free_anion_fraction_pct = @freeAnion, notes = @notes, updated_at = @at WHERE id = @id`,
        )
        .run({ ...sampleParams(fields), id, at: nowIso() }),
    sampleNameTaken(fields.name),
  );
  writeSampleChildren(db, id, fields);
}

const SAMPLES: RecordStore<Sample, SampleFields> = {
  kind: 'sample',
  parse: (value) => parseInput(sampleFieldsSchema, value, 'sample'),
  find: findSample,
  insert: (db, fields) => insertSample(db, fields),
  write: writeSample,
};

export function updateSample(lib: Library, id: number, patch: unknown): Sample {
  return updateRecord(lib, SAMPLES, id, patch);
}

/** Soft-deletes the sample with its batches, cells and their measurements (undo brings all back). */
export function deleteSample(lib: Library, id: number): void {
  const sample = existing(findSample(lib.db, requireId(id, 'sampleId')), 'sample', id);
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
  return existing(findBatch(lib.reader, requireId(id, 'batchId')), 'batch', id);
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
  requireParent(findSample(db, fields.sampleId), 'sample', fields.sampleId, 'batch');
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
  return createRecord(lib, BATCHES, input);
}

export function writeBatch(db: BetterSqlite3.Database, id: number, fields: BatchFields): void {
  requireParent(findSample(db, fields.sampleId), 'sample', fields.sampleId, 'batch');
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

const BATCHES: RecordStore<Batch, BatchFields> = {
  kind: 'batch',
  parse: (value) => parseInput(batchFieldsSchema, value, 'batch'),
  find: findBatch,
  insert: (db, fields) => insertBatch(db, fields),
  write: writeBatch,
};

export function updateBatch(lib: Library, id: number, patch: unknown): Batch {
  return updateRecord(lib, BATCHES, id, patch);
}

export function deleteBatch(lib: Library, id: number): void {
  const batch = existing(findBatch(lib.db, requireId(id, 'batchId')), 'batch', id);
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
  return existing(findCell(lib.reader, requireId(id, 'cellId')), 'cell', id);
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
  requireParent(findBatch(db, fields.batchId), 'batch', fields.batchId, 'cell');
  const at = meta.createdAt ?? nowIso();
  const info = uniqueName(
    () =>
      db
        .prepare(
          `INSERT INTO cells (batch_id, name, cell_type, area_m2, thickness_m, active_mass_kg, loading_kg_per_m2,
           cathode, notes, uid, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(...cellParams(fields), meta.uid ?? randomUUID(), at, at),
    cellNameTaken(fields.name),
  );
  return Number(info.lastInsertRowid);
}

const cellNameTaken = (name: string): string => `the batch already has a cell called "${name}"`;

export function createCell(lib: Library, input: unknown): Cell {
  return createRecord(lib, CELLS, input);
}

export function writeCell(db: BetterSqlite3.Database, id: number, fields: CellFields): void {
  requireParent(findBatch(db, fields.batchId), 'batch', fields.batchId, 'cell');
  uniqueName(
    () =>
      db
        .prepare(
          `UPDATE cells SET batch_id = ?, name = ?, cell_type = ?, area_m2 = ?, thickness_m = ?, active_mass_kg = ?,
         loading_kg_per_m2 = ?, cathode = ?, notes = ?, updated_at = ? WHERE id = ?`,
        )
        .run(...cellParams(fields), nowIso(), id),
    cellNameTaken(fields.name),
  );
}

const CELLS: RecordStore<Cell, CellFields> = {
  kind: 'cell',
  parse: (value) => parseInput(cellFieldsSchema, value, 'cell'),
  find: findCell,
  insert: (db, fields) => insertCell(db, fields),
  write: writeCell,
};

export function updateCell(lib: Library, id: number, patch: unknown): Cell {
  return updateRecord(lib, CELLS, id, patch);
}

export function deleteCell(lib: Library, id: number): void {
  const cell = existing(findCell(lib.db, requireId(id, 'cellId')), 'cell', id);
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

/**
 * The undo log: every user edit of the library writes one row saying what it touched and, for
 * updates, the fields before the change. db/undo.ts reverses the newest row not yet undone.
 */
import type BetterSqlite3 from 'better-sqlite3';

export type EditAction = 'create' | 'update' | 'delete' | 'import';
export type EditEntity = 'sample' | 'batch' | 'cell' | 'measurement' | 'analysis';

export interface EditTargets {
  sample?: number[];
  batch?: number[];
  cell?: number[];
  measurement?: number[];
  analysis?: number[];
}

export interface EditRecord {
  id: number;
  at: string;
  action: EditAction;
  entity: EditEntity;
  targets: EditTargets;
  before: unknown;
  label: string;
}

export function logEdit(
  db: BetterSqlite3.Database,
  action: EditAction,
  entity: EditEntity,
  targets: EditTargets,
  before: unknown,
  label: string,
): void {
  db.prepare(
    `INSERT INTO edits (at, action, entity, entity_ids_json, before_json, label) VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(
    new Date().toISOString(),
    action,
    entity,
    JSON.stringify(targets),
    before === null ? null : JSON.stringify(before),
    label,
  );
}

interface EditRow {
  id: number;
  at: string;
  action: EditAction;
  entity: EditEntity;
  entity_ids_json: string;
  before_json: string | null;
  label: string;
}

/** The newest edit not yet undone, or null. */
export function lastOpenEdit(db: BetterSqlite3.Database): EditRecord | null {
  const row = db
    .prepare(
      `SELECT id, at, action, entity, entity_ids_json, before_json, label FROM edits
       WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1`,
    )
    .get() as EditRow | undefined;
  if (!row) return null;
  return {
    id: row.id,
    at: row.at,
    action: row.action,
    entity: row.entity,
    targets: JSON.parse(row.entity_ids_json) as EditTargets,
    before: row.before_json === null ? null : (JSON.parse(row.before_json) as unknown),
    label: row.label,
  };
}

export function markUndone(db: BetterSqlite3.Database, id: number): void {
  db.prepare('UPDATE edits SET undone_at = ? WHERE id = ?').run(new Date().toISOString(), id);
}

/**
 * Schema migrations by `PRAGMA user_version`: all pending steps in ONE transaction (a crash leaves the
 * old schema intact), foreign keys checked before commit, and a library written by a newer Elyte
 * refused before anything touches it.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { ElyteError } from '../app/errors';
import { LATEST_VERSION, MIGRATIONS, type Migration } from './migrations';

export interface MigrationReport {
  from: number;
  to: number;
  applied: { version: number; name: string }[];
  /** The copy taken before migrating an existing library, or null (new or already current). */
  backupPath: string | null;
}

export function schemaVersion(db: BetterSqlite3.Database): number {
  const version = db.pragma('user_version', { simple: true });
  return typeof version === 'number' ? version : Number(version);
}

/** Throws the 'database' error for a library from a newer Elyte; the file is not touched. */
export function assertNotNewer(version: number, file: string, latest = LATEST_VERSION): void {
  if (version > latest) {
    throw new ElyteError(
      'database',
      `this library was written by a newer Elyte (schema version ${version}; this Elyte understands up to ` +
        `${latest}). Open it with a newer Elyte or restore a backup; the file was not changed.`,
      { file },
    );
  }
}

/** Numbering must be 1, 2, 3 … with unique names: a gap means a migration file is missing. */
export function checkMigrationList(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new ElyteError(
        'database',
        `migration "${migration.name}" has version ${migration.version}, expected ${index + 1}`,
      );
    }
  });
}

/**
 * Applies the migrations above the current version up to `target` (default: all) in one
 * transaction. Foreign keys are off while steps run (tables may be rebuilt) and checked before commit.
 */
export function applyMigrations(
  db: BetterSqlite3.Database,
  options: { migrations?: readonly Migration[]; target?: number; file?: string } = {},
): { from: number; to: number; applied: { version: number; name: string }[] } {
  const migrations = options.migrations ?? MIGRATIONS;
  checkMigrationList(migrations);
  const latest = migrations.length;
  const target = options.target ?? latest;
  if (!Number.isSafeInteger(target) || target < 0 || target > latest) {
    throw new ElyteError('invalid-argument', `no schema version ${target} (latest is ${latest})`);
  }
  const from = schemaVersion(db);
  assertNotNewer(from, options.file ?? db.name, latest);
  const pending = migrations.filter((m) => m.version > from && m.version <= target);
  if (pending.length === 0) return { from, to: from, applied: [] };

  db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      for (const migration of pending) migration.up(db);
      const violations = db.pragma('foreign_key_check') as unknown[];
      if (violations.length > 0) {
        throw new ElyteError(
          'database',
          `migration to version ${target} would break ${violations.length} reference(s); nothing was changed`,
          { file: options.file ?? db.name },
        );
      }
      // PRAGMA takes no bound parameters; `target` is a validated safe integer, never user text.
      db.pragma(`user_version = ${target}`);
    })();
  } finally {
    db.pragma('foreign_keys = ON');
  }
  return { from, to: target, applied: pending.map((m) => ({ version: m.version, name: m.name })) };
}

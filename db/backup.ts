/**
 * `elyte backup` / `elyte restore` through SQLite's online backup API: a consistent copy even while
 * the app writes, and a restore that checks the copy before it replaces anything.
 */
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { ElyteError } from '../app/errors';
import type { Library } from './library';
import { assertNotNewer, schemaVersion } from './migrate';

export interface BackupResult {
  path: string;
  bytes: number;
  pages: number;
}

/** Copies the open library to `path` as one self-contained file (refuses to overwrite an existing file). */
export async function backupLibrary(lib: Library, path: string): Promise<BackupResult> {
  const target = resolve(path);
  if (existsSync(target)) {
    throw new ElyteError(
      'invalid-argument',
      `${target} already exists; choose a new file name for the backup`,
      {
        where: 'path',
      },
    );
  }
  const meta = await lib.db.backup(target);
  selfContained(target);
  checkIntegrity(target);
  return { path: target, bytes: statSync(target).size, pages: meta.totalPages };
}

/**
 * The online backup copies the library's WAL mode, so the copy would grow -wal/-shm companions the
 * moment anything opens it. A backup is one file to move around: switch it to a rollback journal.
 */
function selfContained(path: string): void {
  const db = new Database(path, { fileMustExist: true });
  try {
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
  for (const suffix of ['-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}

/** Opens a file read-only and runs `PRAGMA integrity_check`; throws when it is not a healthy library. */
export function checkIntegrity(path: string): { version: number } {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const result = db.pragma('integrity_check', { simple: true });
    if (result !== 'ok') throw new Error(`integrity check says: ${String(result)}`);
    return { version: schemaVersion(db) };
  } catch (error) {
    if (error instanceof ElyteError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new ElyteError('database', `not a healthy Elyte library: ${message}`, { file: basename(path) });
  } finally {
    db?.close();
  }
}

/**
 * Replaces the library file at `libraryPath` with the backup at `backupPath`. The library must be
 * closed. The backup is checked first and copied with the online backup API into a temporary file
 * that is then renamed over the library, so a failure never leaves a half-restored file; the replaced
 * library is kept as `<library>.before-restore-<time>.bak`.
 */
export async function restoreLibrary(
  backupPath: string,
  libraryPath: string,
): Promise<{ path: string; previous: string | null }> {
  const source = resolve(backupPath);
  const target = resolve(libraryPath);
  if (source === target) {
    throw new ElyteError('invalid-argument', 'the backup and the library are the same file', {
      where: 'path',
    });
  }
  const { version } = checkIntegrity(source);
  assertNotNewer(version, basename(source));
  const temporary = `${target}.restoring-${process.pid}`;
  rmSync(temporary, { force: true });
  const from = new Database(source, { readonly: true, fileMustExist: true });
  try {
    await from.backup(temporary);
  } finally {
    from.close();
  }
  let previous: string | null = null;
  if (existsSync(target)) {
    previous = `${target}.before-restore-${new Date().toISOString().replaceAll(':', '-')}.bak`;
    renameSync(target, previous);
  }
  // The old WAL and shared-memory files belong to the replaced database: never apply them to the new one.
  for (const suffix of ['-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
  renameSync(temporary, target);
  return { path: target, previous };
}

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { closeLibrary, openLibrary } from '../../db';
import { applyMigrations } from '../../db/migrate';
import { LATEST_VERSION, MIGRATIONS, type Migration } from '../../db/migrations';
import { SEEDS } from './seeds';
import { missingRows, snapshotTables, tempDir } from './support';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A library file at schema `version`, filled by SEEDS[version]; returns its snapshot. */
function libraryAtVersion(file: string, version: number, migrations: readonly Migration[] = MIGRATIONS) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  applyMigrations(db, { migrations, target: version });
  const seed = SEEDS[version];
  if (!seed)
    throw new Error(`tests/db/seeds.ts has no SEEDS[${version}]: add data for the new schema version`);
  seed(db);
  const snapshot = snapshotTables(db);
  db.close();
  return snapshot;
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A test-only future step, to exercise the upgrade path (backup, one transaction) before a real v2 exists. */
const FUTURE: Migration = {
  version: LATEST_VERSION + 1,
  name: 'test-future-column',
  up(db) {
    db.exec("ALTER TABLE samples ADD COLUMN test_future TEXT NOT NULL DEFAULT ''");
  },
};

describe('upgrading a library created by every earlier version, with data', () => {
  for (const version of MIGRATIONS.map((m) => m.version)) {
    it(`from version ${version} to ${LATEST_VERSION} loses nothing`, async () => {
      const { dir, cleanup } = tempDir();
      cleanups.push(cleanup);
      const file = join(dir, 'lib.elyte');
      const before = libraryAtVersion(file, version);
      for (const [table, rows] of before)
        expect(rows.length, `SEEDS[${version}] fills ${table}`).toBeGreaterThan(0);
      const lib = await openLibrary(file, { backupDir: join(dir, 'backups') });
      try {
        expect(lib.migration.from).toBe(version);
        expect(lib.migration.to).toBe(LATEST_VERSION);
        expect(lib.migration.backupPath !== null).toBe(version < LATEST_VERSION);
        expect(missingRows(before, snapshotTables(lib.db))).toEqual([]);
        expect(lib.db.pragma('integrity_check', { simple: true })).toBe('ok');
      } finally {
        closeLibrary(lib);
      }
    });
  }

  it('a further migration: backed up first, applied in one step, nothing lost (test-only future step)', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const file = join(dir, 'lib.elyte');
    const before = libraryAtVersion(file, LATEST_VERSION);
    const lib = await openLibrary(file, {
      backupDir: join(dir, 'backups'),
      migrations: [...MIGRATIONS, FUTURE],
    });
    try {
      expect(lib.migration).toMatchObject({ from: LATEST_VERSION, to: FUTURE.version });
      expect(lib.migration.backupPath).not.toBeNull();
      expect(missingRows(before, snapshotTables(lib.db))).toEqual([]);
      // The backup is the library as it was before the step.
      const backup = new Database(lib.migration.backupPath!, { readonly: true });
      expect(backup.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
      expect(missingRows(before, snapshotTables(backup))).toEqual([]);
      backup.close();
    } finally {
      closeLibrary(lib);
    }
  });

  it('a failing migration changes nothing (one transaction)', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const file = join(dir, 'lib.elyte');
    const before = libraryAtVersion(file, LATEST_VERSION);
    const broken: Migration = {
      version: LATEST_VERSION + 1,
      name: 'test-broken',
      up(db) {
        db.exec('DELETE FROM sample_tags');
        db.exec('ALTER TABLE no_such_table ADD COLUMN x TEXT');
      },
    };
    await expect(openLibrary(file, { migrations: [...MIGRATIONS, broken] })).rejects.toMatchObject({
      kind: 'database',
    });
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(missingRows(before, snapshotTables(db))).toEqual([]);
    db.close();
  });
});

describe('a library from a newer Elyte', () => {
  it('is refused with a clear database error and left byte-identical', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const file = join(dir, 'future.elyte');
    libraryAtVersion(file, LATEST_VERSION);
    const db = new Database(file);
    db.pragma(`user_version = ${LATEST_VERSION + 3}`);
    db.pragma('journal_mode = DELETE');
    db.close();
    const listing = readdirSync(dir).sort();
    const hash = sha(file);
    const error = await openLibrary(file).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'database' });
    expect(String((error as Error).message)).toMatch(/newer Elyte .*version \d+.*up to \d+.*not changed/);
    expect(sha(file)).toBe(hash);
    expect(readdirSync(dir).sort()).toEqual(listing);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('a file that is not a database is a database error naming it', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const file = join(dir, 'notes.elyte');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      file,
      'this is not sqlite at all, just some text that is long enough to have a header......',
    );
    await expect(openLibrary(file)).rejects.toMatchObject({ kind: 'database', file: 'notes.elyte' });
  });
});

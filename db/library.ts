/**
 * Opening a library file: refuse one from a newer Elyte untouched, back up an existing one before
 * migrating it, then one writer connection (WAL, foreign keys, busy timeout) and one read-only
 * connection for the UI's queries, which in WAL mode never sees a half-written import.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import Database from 'better-sqlite3';
import { ElyteError } from '../app/errors';
import { applyMigrations, assertNotNewer, type MigrationReport, schemaVersion } from './migrate';
import { MIGRATIONS, type Migration } from './migrations';

export interface Library {
  /** Absolute path of the library file, or ':memory:'. */
  readonly path: string;
  /** The one writing connection. */
  readonly db: BetterSqlite3.Database;
  /** A read-only connection for queries (the same connection for ':memory:'). */
  readonly reader: BetterSqlite3.Database;
  readonly migration: MigrationReport;
}

export interface OpenOptions {
  /** Folder for the automatic pre-migration backup. Default: beside the library file. */
  backupDir?: string;
  /** How long a statement waits for a lock held by another connection, in ms. Default 5000. */
  busyTimeoutMs?: number;
  /** Open without the separate read connection (CLI one-shots). Default false. */
  singleConnection?: boolean;
  /** The migration list (tests plug in future steps here). Default: MIGRATIONS. */
  migrations?: readonly Migration[];
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;
/** SQLite's default: checkpoint when the WAL passes 1000 pages. */
export const WAL_AUTOCHECKPOINT_PAGES = 1000;

function databaseError(error: unknown, file: string): ElyteError {
  if (error instanceof ElyteError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ElyteError('database', `cannot open the library: ${message}`, { file: basename(file) });
}

/** Reads user_version through a read-only connection so a refused file stays byte-identical. */
function probeVersion(path: string): { version: number; hasTables: boolean } {
  const probe = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const version = schemaVersion(probe);
    const tables = probe.prepare('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number };
    return { version, hasTables: tables.n > 0 };
  } finally {
    probe.close();
  }
}

function backupName(path: string, from: number, to: number, backupDir: string | undefined): string {
  const stamp = new Date().toISOString().replaceAll(':', '-');
  const folder = backupDir ?? dirname(path);
  mkdirSync(folder, { recursive: true });
  return join(folder, `${basename(path)}.v${from}-before-v${to}.${stamp}.bak`);
}

/**
 * 64 KiB pages for a new library: channel blobs are megabytes, and with 4 KiB pages SQLite spends
 * ~3× the CPU chaining overflow pages on write and read (measured: 64 MB of blobs 150 → 55 ms).
 * Only takes effect before the first table exists; an existing file keeps its page size.
 */
export const PAGE_SIZE = 65536;

function configureWriter(db: BetterSqlite3.Database, busyTimeoutMs: number): void {
  db.pragma(`page_size = ${PAGE_SIZE}`);
  db.pragma(`busy_timeout = ${Math.round(busyTimeoutMs)}`);
  db.pragma('journal_mode = WAL');
  // WAL + NORMAL: a crash of the app never loses or corrupts a committed import (only a power cut
  // may drop the last commits); FULL would fsync every commit.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
}

/** Opens (creating if needed) and migrates a library. ':memory:' gives a fresh in-memory library. */
export async function openLibrary(path: string, options: OpenOptions = {}): Promise<Library> {
  const busy = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const migrations = options.migrations ?? MIGRATIONS;
  const latest = migrations.length;
  if (!Number.isFinite(busy) || busy < 0) {
    throw new ElyteError('invalid-argument', `busyTimeoutMs must be ≥ 0 ms, got ${busy}`);
  }
  if (path === ':memory:') {
    const db = new Database(':memory:');
    configureWriter(db, busy);
    const report = applyMigrations(db, { migrations });
    return { path, db, reader: db, migration: { ...report, backupPath: null } };
  }

  const file = resolve(path);
  const existing = existsSync(file) && statSync(file).size > 0;
  let probe = { version: 0, hasTables: false };
  if (existing) {
    try {
      probe = probeVersion(file);
    } catch (error) {
      throw databaseError(error, file);
    }
    assertNotNewer(probe.version, basename(file), latest);
  }

  let db: BetterSqlite3.Database | undefined;
  try {
    // A first start creates the library's folder (e.g. ~/.elyte) as well as the file.
    mkdirSync(dirname(file), { recursive: true });
    db = new Database(file);
    let backupPath: string | null = null;
    if (existing && probe.version < latest && (probe.version > 0 || probe.hasTables)) {
      backupPath = backupName(file, probe.version, latest, options.backupDir);
      await db.backup(backupPath);
    }
    configureWriter(db, busy);
    const report = applyMigrations(db, { migrations, file: basename(file) });
    const reader = options.singleConnection ? db : openReader(file, busy);
    return { path: file, db, reader, migration: { ...report, backupPath } };
  } catch (error) {
    db?.close();
    throw databaseError(error, file);
  }
}

function openReader(file: string, busyTimeoutMs: number): BetterSqlite3.Database {
  const reader = new Database(file, { readonly: true, fileMustExist: true });
  reader.pragma(`busy_timeout = ${Math.round(busyTimeoutMs)}`);
  return reader;
}

export function closeLibrary(lib: Library): void {
  if (lib.reader !== lib.db && lib.reader.open) lib.reader.close();
  if (lib.db.open) lib.db.close();
}

const pendingCheckpoints = new WeakSet<Library>();

/**
 * Copies the WAL into the database file on a later turn of the event loop (once, however many
 * imports asked). PASSIVE: never waits for readers, so the UI is never blocked by it.
 */
export function scheduleCheckpoint(lib: Library): void {
  if (pendingCheckpoints.has(lib)) return;
  pendingCheckpoints.add(lib);
  setImmediate(() => {
    pendingCheckpoints.delete(lib);
    if (lib.db.open) checkpoint(lib);
  }).unref();
}

/** Copies the WAL into the database file now (PASSIVE). Returns the WAL frames written and left. */
export function checkpoint(lib: Library): { walFrames: number; checkpointed: number } {
  const [row] = lib.db.pragma('wal_checkpoint(PASSIVE)') as {
    busy: number;
    log: number;
    checkpointed: number;
  }[];
  return { walFrames: row?.log ?? 0, checkpointed: row?.checkpointed ?? 0 };
}

/** Runs `read` in one read transaction on the reader, so several statements see the same snapshot. */
export function readSnapshot<T>(lib: Library, read: () => T): T {
  return lib.reader.transaction(read)();
}

import type BetterSqlite3 from 'better-sqlite3';

/**
 * One schema step. Shipped migrations are never edited: a change is a new file with the next number.
 * `up` runs inside the migration transaction with foreign keys off (so tables can be rebuilt);
 * the runner checks `PRAGMA foreign_key_check` before committing.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: BetterSqlite3.Database): void;
}

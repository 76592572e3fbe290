import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { applyMigrations, checkMigrationList } from '../../db/migrate';
import { LATEST_VERSION, MIGRATIONS } from '../../db/migrations';
import { closeAll, memoryLibrary } from './support';

/** What each schema version must contain (tables all STRICT) and which index each main query uses. */
const EXPECTED: Record<
  number,
  { tables: string[]; indexes: string[]; plans: { sql: string; index: string }[] }
> = {
  1: {
    tables: [
      'analyses',
      'analysis_measurements',
      'analysis_numbers',
      'batches',
      'cells',
      'column_mappings',
      'edits',
      'library_meta',
      'measurement_channels',
      'measurement_files',
      'measurements',
      'sample_components',
      'sample_tags',
      'samples',
    ],
    indexes: [
      'analyses_by_kind',
      'analysis_measurements_by_measurement',
      'analysis_numbers_by_name',
      'batches_by_sample',
      'cells_by_batch',
      'cells_live_name',
      'edits_open',
      'measurement_channels_by_name',
      'measurements_by_cell',
      'measurements_by_sample',
      'measurements_by_size',
      'sample_tags_by_tag',
      'samples_live_name',
    ],
    plans: [
      {
        sql: 'SELECT id FROM measurements WHERE cell_id = ? AND deleted_at IS NULL ORDER BY start_time, id',
        index: 'measurements_by_cell',
      },
      {
        sql: "SELECT data FROM measurement_channels WHERE measurement_id = ? AND origin = 'canonical' AND name = ?",
        index: 'measurement_channels_by_name',
      },
      { sql: 'SELECT id FROM measurements WHERE sha256 = ?', index: 'sqlite_autoindex_measurements_2' },
      { sql: 'SELECT 1 FROM measurements WHERE size_bytes = ? LIMIT 1', index: 'measurements_by_size' },
      {
        sql: 'SELECT analysis_id FROM analysis_measurements WHERE measurement_id = ?',
        index: 'analysis_measurements_by_measurement',
      },
      { sql: 'SELECT id FROM batches WHERE sample_id = ?', index: 'batches_by_sample' },
      { sql: 'SELECT id FROM cells WHERE batch_id = ?', index: 'cells_by_batch' },
      { sql: 'SELECT id FROM samples WHERE name = ? AND deleted_at IS NULL', index: 'samples_live_name' },
      { sql: 'SELECT id FROM edits WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1', index: 'edits_open' },
    ],
  },
};

describe('migrations', () => {
  it('are numbered 1, 2, 3 … and each has an expected schema here', () => {
    expect(() => checkMigrationList(MIGRATIONS)).not.toThrow();
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    for (const m of MIGRATIONS) expect(EXPECTED[m.version], `EXPECTED[${m.version}]`).toBeDefined();
    expect(LATEST_VERSION).toBe(MIGRATIONS.length);
  });

  it('rejects a list with a gap', () => {
    const gap = [MIGRATIONS[0]!, { version: 3, name: 'x', up: () => undefined }];
    expect(() => checkMigrationList(gap)).toThrow(/expected 2/);
  });

  for (const migration of MIGRATIONS) {
    describe(`migration ${migration.version} (${migration.name}) on a fresh :memory: database`, () => {
      const expected = EXPECTED[migration.version]!;
      const db = new Database(':memory:');
      db.pragma('foreign_keys = ON');
      applyMigrations(db, { target: migration.version });

      it('sets user_version and creates the expected STRICT tables and indexes', () => {
        expect(db.pragma('user_version', { simple: true })).toBe(migration.version);
        const tables = db
          .prepare(
            "SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%' ORDER BY name",
          )
          .all() as { name: string; strict: number }[];
        expect(tables.map((t) => t.name)).toEqual(expected.tables);
        for (const t of tables) expect(t.strict, `${t.name} is STRICT`).toBe(1);
        const indexes = db
          .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name",
          )
          .pluck()
          .all();
        expect(indexes).toEqual(expected.indexes);
      });

      it('keeps foreign keys on and references intact', () => {
        expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
        expect(db.pragma('foreign_key_check')).toEqual([]);
        expect(() =>
          db
            .prepare(
              "INSERT INTO batches (uid, sample_id, name, created_at, updated_at) VALUES ('x', 999, 'B', '', '')",
            )
            .run(),
        ).toThrow(/FOREIGN KEY/);
      });

      it('STRICT rejects a wrongly typed value', () => {
        expect(() =>
          db
            .prepare(
              "INSERT INTO samples (uid, name, created_at, updated_at, filler_particle_size_m) VALUES ('u', 'n', '', '', 'big')",
            )
            .run(),
        ).toThrow(/cannot store TEXT value in REAL column/);
      });

      for (const plan of expected.plans) {
        it(`uses ${plan.index} for: ${plan.sql.slice(0, 60)}…`, () => {
          const args = (plan.sql.match(/\?/g) ?? []).map(() => 1);
          const detail = (db.prepare(`EXPLAIN QUERY PLAN ${plan.sql}`).all(...args) as { detail: string }[])
            .map((r) => r.detail)
            .join(' | ');
          expect(detail).toContain(plan.index);
          expect(detail).not.toMatch(/^SCAN (measurements|measurement_channels)\b/);
        });
      }
    });
  }

  it('openLibrary gives WAL-capable settings, FK on and a busy timeout', async () => {
    const lib = await memoryLibrary();
    expect(lib.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(lib.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(lib.db.pragma('page_size', { simple: true })).toBe(65536);
    expect(lib.migration).toMatchObject({ from: 0, to: LATEST_VERSION });
    closeAll(lib);
  });
});

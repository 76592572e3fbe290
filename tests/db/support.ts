import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { closeLibrary, createBatch, createCell, createSample, type Library, openLibrary } from '../../db';

export async function memoryLibrary(): Promise<Library> {
  return openLibrary(':memory:');
}

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'elyte-db-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function closeAll(...libs: Library[]): void {
  for (const lib of libs) closeLibrary(lib);
}

/** Sample PVH-in-SiO₂ (reference study) → batch B1 → cells named `cells`. */
export function seedTree(lib: Library, cells: string[] = ['C1']) {
  const sample = createSample(lib, {
    name: 'PVH-in-SiO₂',
    family: 'PVH-in-SiO₂',
    components: [
      { name: 'SiO₂', ratio: 70 },
      { name: 'PVH', ratio: 100 },
      { name: 'LiTFSI', ratio: 100 },
    ],
    salt: 'LiTFSI',
    cation: 'Li',
    fillerParticleSize_m: 158e-9,
    residualSolvent_pct: 2.9,
    crystallinity_pct: 19,
    freeAnionFraction_pct: 87,
    tags: ['reference', 'composite'],
  });
  const batch = createBatch(lib, { sampleId: sample.id, name: 'B1', date: '2025-03-14', operator: 'JL' });
  const cellRecords = cells.map((name) =>
    createCell(lib, {
      batchId: batch.id,
      name,
      cellType: 'SS‖E‖SS',
      area_m2: 2.01e-4,
      thickness_m: 100e-6,
    }),
  );
  return { sample, batch, cells: cellRecords };
}

type Row = Record<string, unknown>;

/** Every row of every table, values made comparable (blobs as hex). Test-only: names come from sqlite_schema. */
export function snapshotTables(db: BetterSqlite3.Database): Map<string, Row[]> {
  const tables = db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
  const out = new Map<string, Row[]>();
  for (const table of tables) {
    const rows = db.prepare(`SELECT * FROM "${table.replaceAll('"', '""')}"`).all() as Row[];
    out.set(
      table,
      rows.map((row) =>
        Object.fromEntries(
          Object.entries(row).map(([k, v]) => [k, Buffer.isBuffer(v) ? v.toString('hex') : v]),
        ),
      ),
    );
  }
  return out;
}

/** Rows of `before` missing from `after` (compared on before's columns); renamed tables map via `renames`. */
export function missingRows(
  before: Map<string, Row[]>,
  after: Map<string, Row[]>,
  renames: Record<string, string> = {},
): string[] {
  const missing: string[] = [];
  for (const [table, rows] of before) {
    const afterRows = after.get(renames[table] ?? table);
    if (!afterRows) {
      missing.push(`table ${table} is gone`);
      continue;
    }
    for (const row of rows) {
      const keys = Object.keys(row);
      const found = afterRows.some((candidate) => keys.every((k) => Object.is(candidate[k], row[k])));
      if (!found) missing.push(`${table}: ${JSON.stringify(row).slice(0, 200)}`);
    }
  }
  return missing;
}

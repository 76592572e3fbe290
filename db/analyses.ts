/**
 * Analyses: every run is stored with its settings, full results, headline numbers (with standard
 * errors), source measurements and the Elyte version. Re-running the same kind on the same files adds
 * version n + 1; nothing is overwritten. Versions are counted per subject = kind + the sorted SHA-256
 * of the source files, so they survive export to another library.
 */
import { randomUUID } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { z } from 'zod';
import { ElyteError } from '../app/errors';
import { logEdit } from './edits';
import { type Library, readSnapshot } from './library';
import { nowIso, softDelete } from './records';
import type { AnalysisNumber, AnalysisRecord, AnalysisSource, Provenance, ProvenanceSource } from './types';
import { parseInput, requireId } from './validate';

const analysisInputSchema = z.object({
  kind: z.string().trim().min(1).max(64),
  sources: z
    .array(z.object({ measurementId: z.number().int().positive(), role: z.string().max(100).default('') }))
    .min(1)
    .max(1000),
  settings: z.record(z.string(), z.unknown()).default({}),
  results: z.record(z.string(), z.unknown()),
  numbers: z
    .array(
      z.object({
        name: z.string().min(1).max(100),
        value: z.number().finite(),
        stderr: z.number().finite().nonnegative().nullable().default(null),
        unit: z.string().max(32).default(''),
      }),
    )
    .optional(),
  elyteVersion: z.string().min(1).max(64),
});

export type AnalysisInput = z.input<typeof analysisInputSchema>;

/** σ within this distance of 25 °C counts as "σ at 25 °C" for the sample list. */
export const ROOM_TEMPERATURE_TOLERANCE_K = 1.5;

/**
 * Headline numbers from a result object when the caller does not list them: every finite top-level
 * number except `*_stderr`, with its `<name>_stderr` sibling; plus `sigma25C_S_per_cm` from a σ
 * measured at 25 ± 1.5 °C or from an Arrhenius `sigma_25C_S_per_cm`.
 */
export function headlineNumbers(results: Record<string, unknown>, sourceTemperatures_K: (number | null)[]) {
  const numbers: AnalysisNumber[] = [];
  for (const [name, value] of Object.entries(results)) {
    if (name.endsWith('_stderr') || typeof value !== 'number' || !Number.isFinite(value)) continue;
    const stderr = results[`${name}_stderr`];
    numbers.push({
      name,
      value,
      stderr: typeof stderr === 'number' && Number.isFinite(stderr) ? stderr : null,
      unit: unitFromName(name),
    });
  }
  const has = (name: string) => numbers.some((n) => n.name === name);
  const alias = (from: string) => {
    const n = numbers.find((x) => x.name === from);
    if (n && !has('sigma25C_S_per_cm')) numbers.push({ ...n, name: 'sigma25C_S_per_cm' });
  };
  alias('sigma_25C_S_per_cm');
  const atRoom =
    sourceTemperatures_K.length > 0 &&
    sourceTemperatures_K.every((t) => t !== null && Math.abs(t - 298.15) <= ROOM_TEMPERATURE_TOLERANCE_K);
  if (atRoom) alias('sigma_S_per_cm');
  return numbers;
}

/** The unit written in a field name's suffix (`_S_per_cm` → 'S/cm'); '' when it has none. */
function unitFromName(name: string): string {
  const units: [string, string][] = [
    ['_S_per_cm', 'S/cm'],
    ['_S_per_m', 'S/m'],
    ['_mA_per_cm2', 'mA/cm²'],
    ['_mAh_per_g', 'mAh/g'],
    ['_ohm', 'Ω'],
    ['_eV', 'eV'],
    ['_pct', '%'],
    ['_mV', 'mV'],
    ['_V', 'V'],
    ['_A', 'A'],
    ['_h', 'h'],
    ['_K', 'K'],
    ['_s', 's'],
  ];
  return units.find(([suffix]) => name.endsWith(suffix))?.[1] ?? '';
}

interface AnalysisRow {
  id: number;
  uid: string;
  kind: string;
  version: number;
  settings_json: string;
  results_json: string;
  elyte_version: string;
  created_at: string;
}

function analysisFromRow(db: BetterSqlite3.Database, row: AnalysisRow): AnalysisRecord {
  const sources = db
    .prepare(
      `SELECT measurement_id AS measurementId, role FROM analysis_measurements WHERE analysis_id = ?
       ORDER BY measurement_id`,
    )
    .all(row.id) as AnalysisSource[];
  const numbers = db
    .prepare('SELECT name, value, stderr, unit FROM analysis_numbers WHERE analysis_id = ? ORDER BY name')
    .all(row.id) as AnalysisNumber[];
  return {
    id: row.id,
    uid: row.uid,
    kind: row.kind,
    version: row.version,
    measurementIds: sources.map((s) => s.measurementId),
    sources,
    settings: JSON.parse(row.settings_json) as Record<string, unknown>,
    results: JSON.parse(row.results_json) as Record<string, unknown>,
    numbers,
    elyteVersion: row.elyte_version,
    createdAt: row.created_at,
  };
}

const ANALYSIS_COLUMNS = 'id, uid, kind, version, settings_json, results_json, elyte_version, created_at';

export function findAnalysis(db: BetterSqlite3.Database, id: number): AnalysisRecord | null {
  const row = db
    .prepare(`SELECT ${ANALYSIS_COLUMNS} FROM analyses WHERE id = ? AND deleted_at IS NULL`)
    .get(id) as AnalysisRow | undefined;
  return row ? analysisFromRow(db, row) : null;
}

export function getAnalysis(lib: Library, id: number): AnalysisRecord {
  const a = readSnapshot(lib, () => findAnalysis(lib.reader, requireId(id, 'analysisId')));
  if (!a) throw new ElyteError('not-found', `no analysis with id ${id} in the library`);
  return a;
}

export function subjectKey(kind: string, sha256s: string[]): string {
  return `${kind}|${[...new Set(sha256s)].sort().join(',')}`;
}

/** Inserts one analysis version without logging (the folder import uses it with stored uid/time). */
export function insertAnalysis(
  db: BetterSqlite3.Database,
  a: {
    kind: string;
    sources: AnalysisSource[];
    settings: Record<string, unknown>;
    results: Record<string, unknown>;
    numbers: AnalysisNumber[];
    elyteVersion: string;
  },
  meta: { uid?: string; createdAt?: string; version?: number } = {},
): number {
  const shaOf = db.prepare('SELECT sha256 FROM measurements WHERE id = ? AND deleted_at IS NULL').pluck();
  const shas = a.sources.map((s) => {
    const sha = shaOf.get(s.measurementId) as string | undefined;
    if (!sha) {
      throw new ElyteError('not-found', `no measurement with id ${s.measurementId} for the analysis`, {
        where: 'sources',
      });
    }
    return sha;
  });
  const key = subjectKey(a.kind, shas);
  const next = db
    .prepare('SELECT coalesce(max(version), 0) + 1 FROM analyses WHERE subject_key = ?')
    .pluck()
    .get(key) as number;
  const taken =
    meta.version !== undefined &&
    db.prepare('SELECT 1 FROM analyses WHERE subject_key = ? AND version = ?').get(key, meta.version) !==
      undefined;
  const version = meta.version !== undefined && !taken ? meta.version : next;
  const info = db
    .prepare(
      `INSERT INTO analyses (uid, kind, subject_key, version, settings_json, results_json, elyte_version, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      meta.uid ?? randomUUID(),
      a.kind,
      key,
      version,
      JSON.stringify(a.settings),
      JSON.stringify(a.results),
      a.elyteVersion,
      meta.createdAt ?? nowIso(),
    );
  const id = Number(info.lastInsertRowid);
  const link = db.prepare(
    'INSERT OR IGNORE INTO analysis_measurements (analysis_id, measurement_id, role) VALUES (?, ?, ?)',
  );
  for (const s of a.sources) link.run(id, s.measurementId, s.role);
  const number = db.prepare(
    'INSERT OR REPLACE INTO analysis_numbers (analysis_id, name, value, stderr, unit) VALUES (?, ?, ?, ?, ?)',
  );
  for (const n of a.numbers) number.run(id, n.name, n.value, n.stderr, n.unit);
  return id;
}

/** Stores a new analysis version (undoable) and returns it. */
export function saveAnalysis(lib: Library, input: AnalysisInput): AnalysisRecord {
  const parsed = parseInput(analysisInputSchema, input, 'analysis');
  const id = lib.db.transaction(() => {
    const temperatureOf = lib.db.prepare('SELECT temperature_K FROM measurements WHERE id = ?').pluck();
    const temperatures = parsed.sources.map(
      (s) => (temperatureOf.get(s.measurementId) as number | null) ?? null,
    );
    const numbers = parsed.numbers ?? headlineNumbers(parsed.results, temperatures);
    const newId = insertAnalysis(lib.db, { ...parsed, numbers });
    logEdit(lib.db, 'create', 'analysis', { analysis: [newId] }, null, `run ${parsed.kind}`);
    return newId;
  })();
  return findAnalysis(lib.db, id)!;
}

export function deleteAnalysis(lib: Library, id: number): void {
  const a = findAnalysis(lib.db, requireId(id, 'analysisId'));
  if (!a) throw new ElyteError('not-found', `no analysis with id ${id} in the library`);
  lib.db.transaction(() => {
    softDelete(lib.db, { analysis: [id] }, nowIso());
    logEdit(lib.db, 'delete', 'analysis', { analysis: [id] }, null, `delete ${a.kind} v${a.version}`);
  })();
}

/** Every analysis version that used a measurement, newest first. */
export function listAnalyses(lib: Library, measurementId: number): AnalysisRecord[] {
  const id = requireId(measurementId, 'measurementId');
  return readSnapshot(lib, () => {
    const rows = lib.reader
      .prepare(
        `SELECT a.id, a.uid, a.kind, a.version, a.settings_json, a.results_json, a.elyte_version, a.created_at
         FROM analysis_measurements am JOIN analyses a ON a.id = am.analysis_id
         WHERE am.measurement_id = ? AND a.deleted_at IS NULL ORDER BY a.id DESC`,
      )
      .all(id) as AnalysisRow[];
    return rows.map((row) => analysisFromRow(lib.reader, row));
  });
}

/** Where a number came from: the analysis (settings, version, Elyte version) and the exact source files. */
export function provenance(lib: Library, analysisId: number): Provenance {
  const id = requireId(analysisId, 'analysisId');
  return readSnapshot(lib, () => {
    const row = lib.reader
      .prepare(`SELECT ${ANALYSIS_COLUMNS}, subject_key FROM analyses WHERE id = ?`)
      .get(id) as (AnalysisRow & { subject_key: string }) | undefined;
    if (!row) throw new ElyteError('not-found', `no analysis with id ${id} in the library`);
    const analysis = analysisFromRow(lib.reader, row);
    const sources = lib.reader
      .prepare(
        `SELECT am.measurement_id AS measurementId, am.role, m.file_name AS fileName, m.sha256,
           m.size_bytes AS sizeBytes, m.format, m.technique, m.imported_at AS importedAt,
           c.id AS cellId, c.name AS cellName, b.id AS batchId, b.name AS batchName,
           s.id AS sampleId, s.name AS sampleName
         FROM analysis_measurements am
         JOIN measurements m ON m.id = am.measurement_id
         LEFT JOIN cells c ON c.id = m.cell_id
         LEFT JOIN batches b ON b.id = c.batch_id
         LEFT JOIN samples s ON s.id = coalesce(b.sample_id, m.sample_id)
         WHERE am.analysis_id = ? ORDER BY am.measurement_id`,
      )
      .all(id) as (Omit<ProvenanceSource, 'cell' | 'batch' | 'sample'> & {
      cellId: number | null;
      cellName: string | null;
      batchId: number | null;
      batchName: string | null;
      sampleId: number | null;
      sampleName: string | null;
    })[];
    const versions = lib.reader
      .prepare(
        `SELECT id, version, created_at AS createdAt, elyte_version AS elyteVersion FROM analyses
         WHERE subject_key = ? ORDER BY version`,
      )
      .all(row.subject_key) as Provenance['versions'];
    return {
      analysis,
      sources: sources.map(({ cellId, cellName, batchId, batchName, sampleId, sampleName, ...s }) => ({
        ...s,
        cell: cellId === null ? null : { id: cellId, name: cellName ?? '' },
        batch: batchId === null ? null : { id: batchId, name: batchName ?? '' },
        sample: sampleId === null ? null : { id: sampleId, name: sampleName ?? '' },
      })),
      versions,
    };
  });
}

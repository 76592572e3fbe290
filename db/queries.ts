/**
 * The read models the UI and the CLI need: samples with their latest key numbers, replicate
 * statistics across the cells of a batch, and the sample → batch → cell → measurement tree.
 * "Latest" = the newest analysis (by creation time) that produced the number, so a re-run with new
 * settings replaces the shown value while every older version stays stored.
 */
import { type Library, readSnapshot } from './library';
import { listSamples } from './records';
import {
  type BatchNode,
  type CellNode,
  KEY_NUMBER_NAMES,
  type KeyNumberName,
  type KeyNumberSource,
  type KeyNumbers,
  type LibraryTree,
  type MeasurementSummary,
  type ReplicateStats,
  type SampleNode,
  type SampleSummary,
  type TreeFilter,
} from './types';
import { requireId } from './validate';

/** Measurements of each sample: through cell → batch, or filed under the sample directly. */
const SAMPLE_MEASUREMENTS = `
  sample_measurements AS (
    SELECT b.sample_id, m.id AS measurement_id
    FROM measurements m
    JOIN cells c ON c.id = m.cell_id AND c.deleted_at IS NULL
    JOIN batches b ON b.id = c.batch_id AND b.deleted_at IS NULL
    WHERE m.deleted_at IS NULL
    UNION ALL
    SELECT m.sample_id, m.id FROM measurements m WHERE m.sample_id IS NOT NULL AND m.deleted_at IS NULL
  )`;

interface LatestNumberRow {
  sample_id: number;
  name: KeyNumberName;
  value: number;
  stderr: number | null;
  analysis_id: number;
  kind: string;
  version: number;
  created_at: string;
}

export function emptyKeyNumbers(): KeyNumbers {
  return Object.fromEntries(KEY_NUMBER_NAMES.map((name) => [name, null])) as KeyNumbers;
}

/** Every live sample with counts and its latest key numbers (σ at 25 °C, Ea, t₊, onset, CCD, retention). */
export function sampleSummaries(lib: Library): SampleSummary[] {
  return readSnapshot(lib, () => {
    const samples = listSamples(lib);
    const latest = lib.reader
      .prepare(
        `WITH ${SAMPLE_MEASUREMENTS},
         sample_analyses AS (
           SELECT DISTINCT sm.sample_id, am.analysis_id
           FROM sample_measurements sm JOIN analysis_measurements am ON am.measurement_id = sm.measurement_id
         ),
         ranked AS (
           SELECT sa.sample_id, n.name, n.value, n.stderr, a.id AS analysis_id, a.kind, a.version, a.created_at,
             row_number() OVER (PARTITION BY sa.sample_id, n.name ORDER BY a.created_at DESC, a.id DESC) AS rank
           FROM sample_analyses sa
           JOIN analyses a ON a.id = sa.analysis_id AND a.deleted_at IS NULL
           JOIN analysis_numbers n ON n.analysis_id = a.id
           WHERE n.name IN (SELECT value FROM json_each(?))
         )
         SELECT sample_id, name, value, stderr, analysis_id, kind, version, created_at FROM ranked WHERE rank = 1`,
      )
      .all(JSON.stringify(KEY_NUMBER_NAMES)) as LatestNumberRow[];
    const counts = lib.reader
      .prepare(
        `WITH ${SAMPLE_MEASUREMENTS}
         SELECT s.id,
           (SELECT count(*) FROM batches b WHERE b.sample_id = s.id AND b.deleted_at IS NULL) AS batches,
           (SELECT count(*) FROM cells c JOIN batches b ON b.id = c.batch_id
              WHERE b.sample_id = s.id AND b.deleted_at IS NULL AND c.deleted_at IS NULL) AS cells,
           (SELECT count(*) FROM sample_measurements sm WHERE sm.sample_id = s.id) AS measurements
         FROM samples s WHERE s.deleted_at IS NULL`,
      )
      .all() as { id: number; batches: number; cells: number; measurements: number }[];
    const countById = new Map(counts.map((c) => [c.id, c]));
    return samples.map((s) => {
      const keyNumbers = emptyKeyNumbers();
      const keyNumberSources: Partial<Record<KeyNumberName, KeyNumberSource>> = {};
      for (const row of latest) {
        if (row.sample_id !== s.id) continue;
        keyNumbers[row.name] = row.value;
        keyNumberSources[row.name] = {
          analysisId: row.analysis_id,
          kind: row.kind,
          version: row.version,
          stderr: row.stderr,
          createdAt: row.created_at,
        };
      }
      const c = countById.get(s.id);
      return {
        id: s.id,
        name: s.name,
        family: s.family,
        cation: s.cation,
        salt: s.salt,
        tags: s.tags,
        batches: c?.batches ?? 0,
        cells: c?.cells ?? 0,
        measurements: c?.measurements ?? 0,
        keyNumbers,
        keyNumberSources,
      };
    });
  });
}

/**
 * Replicate statistics across the cells of a batch: for each number, each cell's latest value,
 * then mean, sample standard deviation (n − 1) and n. `names` limits the numbers (default: all).
 */
export function replicateStats(lib: Library, batchId: number, names?: readonly string[]): ReplicateStats[] {
  const id = requireId(batchId, 'batchId');
  const rows = readSnapshot(
    lib,
    () =>
      lib.reader
        .prepare(
          `WITH cell_analyses AS (
             SELECT DISTINCT c.id AS cell_id, c.name AS cell_name, am.analysis_id
             FROM cells c
             JOIN measurements m ON m.cell_id = c.id AND m.deleted_at IS NULL
             JOIN analysis_measurements am ON am.measurement_id = m.id
             WHERE c.batch_id = ? AND c.deleted_at IS NULL
           ),
           ranked AS (
             SELECT ca.cell_id, ca.cell_name, n.name, n.unit, n.value, a.id AS analysis_id,
               row_number() OVER (PARTITION BY ca.cell_id, n.name ORDER BY a.created_at DESC, a.id DESC) AS rank
             FROM cell_analyses ca
             JOIN analyses a ON a.id = ca.analysis_id AND a.deleted_at IS NULL
             JOIN analysis_numbers n ON n.analysis_id = a.id
           )
           SELECT cell_id, cell_name, name, unit, value, analysis_id FROM ranked WHERE rank = 1
           ORDER BY name, cell_name`,
        )
        .all(id) as {
        cell_id: number;
        cell_name: string;
        name: string;
        unit: string;
        value: number;
        analysis_id: number;
      }[],
  );
  const byName = new Map<string, ReplicateStats>();
  for (const row of rows) {
    if (names && !names.includes(row.name)) continue;
    let stats = byName.get(row.name);
    if (!stats) {
      stats = { name: row.name, unit: row.unit, mean: 0, std: null, n: 0, values: [] };
      byName.set(row.name, stats);
    }
    stats.values.push({
      cellId: row.cell_id,
      cellName: row.cell_name,
      value: row.value,
      analysisId: row.analysis_id,
    });
  }
  for (const stats of byName.values()) {
    const values = stats.values.map((v) => v.value);
    stats.n = values.length;
    stats.mean = values.reduce((a, b) => a + b, 0) / stats.n;
    stats.std =
      stats.n < 2 ? null : Math.sqrt(values.reduce((a, v) => a + (v - stats.mean) ** 2, 0) / (stats.n - 1));
  }
  return [...byName.values()];
}

/**
 * Samples → batches → cells → measurements in one snapshot, filtered. A filter on measurements
 * (kind, dates) keeps only branches that still hold a measurement; a text search keeps a branch when
 * any name on it matches.
 */
export function libraryTree(lib: Library, filter: TreeFilter = {}): LibraryTree {
  return readSnapshot(lib, () => {
    const summaries = new Map(sampleSummaries(lib).map((s) => [s.id, s]));
    const batches = lib.reader
      .prepare(
        `SELECT b.id, b.sample_id AS sampleId, b.name, b.made_on AS date, b.operator FROM batches b
         JOIN samples s ON s.id = b.sample_id AND s.deleted_at IS NULL
         WHERE b.deleted_at IS NULL ORDER BY b.made_on, b.id`,
      )
      .all() as (Omit<BatchNode, 'cells'> & { sampleId: number })[];
    const cells = lib.reader
      .prepare(
        `SELECT id, batch_id AS batchId, name, cell_type AS cellType, area_m2, thickness_m,
           active_mass_kg AS activeMass_kg FROM cells WHERE deleted_at IS NULL ORDER BY name`,
      )
      .all() as (Omit<CellNode, 'measurements'> & { batchId: number })[];
    const measurements = lib.reader
      .prepare(
        `SELECT id, file_name AS fileName, format, technique, kind, rows, temperature_K, start_time AS startTime,
           imported_at AS importedAt, cell_id AS cellId, sample_id AS sampleId
         FROM measurements WHERE deleted_at IS NULL ORDER BY start_time, id`,
      )
      .all() as MeasurementSummary[];

    const search = filter.search?.trim().toLowerCase();
    const hit = (text: string) =>
      search !== undefined && search.length > 0 && text.toLowerCase().includes(search);
    const measurementFilter =
      filter.kind !== undefined || filter.from !== undefined || filter.to !== undefined;
    const keepMeasurement = (m: MeasurementSummary) => {
      if (filter.kind && m.kind !== filter.kind) return false;
      const day = (m.startTime ?? m.importedAt).slice(0, 10);
      if (filter.from && day < filter.from) return false;
      if (filter.to && day > filter.to) return false;
      return true;
    };
    const kept = measurements.filter(keepMeasurement);
    const byCell = groupBy(kept, (m) => m.cellId);
    const bySample = groupBy(kept, (m) => (m.cellId === null ? m.sampleId : null));
    const cellsByBatch = groupBy(cells, (c) => c.batchId);
    const batchesBySample = groupBy(batches, (b) => b.sampleId);

    const samples: SampleNode[] = [];
    for (const s of summaries.values()) {
      if (filter.family !== undefined && s.family !== filter.family) continue;
      if (filter.cation !== undefined && s.cation !== filter.cation) continue;
      const sampleHit = !search || hit(s.name) || s.tags.some(hit);
      const batchNodes: BatchNode[] = [];
      for (const b of batchesBySample.get(s.id) ?? []) {
        const batchHit = sampleHit || hit(b.name);
        const cellNodes: CellNode[] = [];
        for (const { batchId: _b, ...c } of cellsByBatch.get(b.id) ?? []) {
          const cellHit = batchHit || hit(c.name);
          const ms = (byCell.get(c.id) ?? []).filter((m) => cellHit || hit(m.fileName));
          if ((measurementFilter || !cellHit) && ms.length === 0) continue;
          cellNodes.push({ ...c, measurements: ms });
        }
        if ((measurementFilter || !batchHit) && cellNodes.length === 0) continue;
        const { sampleId: _s, ...batch } = b;
        batchNodes.push({ ...batch, cells: cellNodes });
      }
      const loose = (bySample.get(s.id) ?? []).filter((m) => sampleHit || hit(m.fileName));
      if ((measurementFilter || !sampleHit) && batchNodes.length === 0 && loose.length === 0) continue;
      samples.push({
        id: s.id,
        name: s.name,
        family: s.family,
        cation: s.cation,
        tags: s.tags,
        keyNumbers: s.keyNumbers,
        batches: batchNodes,
        measurements: loose,
      });
    }
    const unassigned = kept.filter(
      (m) => m.cellId === null && m.sampleId === null && (!search || hit(m.fileName)),
    );
    return { samples, unassigned };
  });
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

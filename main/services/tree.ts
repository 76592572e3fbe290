/** The library tree and measurement details, assembled from the read connection in one snapshot. */
import type { ParsedInput } from '../../app/api/contract';
import type { LibraryTree, MeasurementDetail, MeasurementSummary } from '../../app/api/types';
import { type Library, readSnapshot } from '../../db/library';
import {
  getMeasurement,
  listCellMeasurements,
  listChannels,
  listUnassignedMeasurements,
} from '../../db/measurements';
import { findBatch, findCell, findSample, listBatches, listCells, listSamples } from '../../db/records';
import type { MeasurementRecord } from '../../db/types';

const KELVIN_OFFSET = 273.15;

export function toSummary(record: MeasurementRecord): MeasurementSummary {
  return {
    id: record.id,
    fileName: record.fileName,
    format: record.format,
    technique: record.technique,
    kind: record.kind,
    rows: record.rows,
    temperature_C:
      record.temperature_K === null ? null : Math.round((record.temperature_K - KELVIN_OFFSET) * 100) / 100,
    startTime: record.startTime,
    importedAt: record.importedAt,
    cellId: record.cellId,
  };
}

export function buildTree(library: Library, filter: ParsedInput<'library.tree'>): LibraryTree {
  const search = filter.search?.trim().toLowerCase() ?? '';
  const matchesMeasurement = (m: MeasurementRecord) =>
    (!filter.kind || m.kind === filter.kind) &&
    (!filter.from || m.importedAt.slice(0, 10) >= filter.from) &&
    (!filter.to || m.importedAt.slice(0, 10) <= filter.to);
  const text = (...parts: (string | null | undefined)[]) => parts.join(' ').toLowerCase();
  return readSnapshot(library, () => {
    const samples = listSamples(library)
      .filter(
        (sample) =>
          (!filter.family || sample.family === filter.family) &&
          (!filter.cation || sample.cation === filter.cation),
      )
      .map((sample) => {
        const sampleHit =
          !search || text(sample.name, sample.family, sample.salt, sample.tags.join(' ')).includes(search);
        const batches = listBatches(library, sample.id).map((batch) => ({
          id: batch.id,
          name: batch.name,
          date: batch.date,
          operator: batch.operator,
          cells: listCells(library, batch.id)
            .map((cell) => ({
              id: cell.id,
              name: cell.name,
              cellType: cell.cellType,
              area_m2: cell.area_m2,
              thickness_m: cell.thickness_m,
              activeMass_kg: cell.activeMass_kg,
              measurements: listCellMeasurements(library, cell.id)
                .filter(matchesMeasurement)
                .filter((m) => sampleHit || text(cell.name, m.fileName, m.technique).includes(search))
                .map(toSummary),
            }))
            .filter((cell) => sampleHit || cell.measurements.length > 0),
        }));
        return {
          id: sample.id,
          name: sample.name,
          family: sample.family,
          cation: sample.cation,
          keyNumbers: emptyKeyNumbers(),
          batches: batches.filter((batch) => sampleHit || batch.cells.length > 0),
        };
      })
      .filter(
        (sample) => !search || sample.batches.length > 0 || text(sample.name, sample.family).includes(search),
      );
    const unassigned = listUnassignedMeasurements(library)
      .filter(matchesMeasurement)
      .filter((m) => !search || text(m.fileName, m.technique, m.format).includes(search))
      .map(toSummary);
    return { samples, unassigned };
  });
}

function emptyKeyNumbers() {
  return {
    sigma25C_S_per_cm: null,
    Ea_eV: null,
    t_plus: null,
    onset_V: null,
    ccd_mA_per_cm2: null,
    retention_pct: null,
  };
}

export function measurementDetail(library: Library, id: number): MeasurementDetail {
  return readSnapshot(library, () => {
    const record = getMeasurement(library, id);
    const cell = record.cellId === null ? null : findCell(library.reader, record.cellId);
    const batch = cell ? findBatch(library.reader, cell.batchId) : null;
    const sampleId = batch?.sampleId ?? record.sampleId;
    const sample = sampleId === null ? null : findSample(library.reader, sampleId);
    return {
      ...toSummary(record),
      sha256: record.sha256,
      sizeBytes: record.sizeBytes,
      channels: listChannels(library, id).map((c) => ({ name: c.name, unit: c.unit, origin: c.origin })),
      metadata: record.metadata as unknown as Record<string, unknown>,
      warnings: record.warnings,
      cell: cell
        ? {
            id: cell.id,
            name: cell.name,
            area_m2: cell.area_m2,
            thickness_m: cell.thickness_m,
            activeMass_kg: cell.activeMass_kg,
          }
        : null,
      sample: sample ? { id: sample.id, name: sample.name } : null,
    };
  });
}

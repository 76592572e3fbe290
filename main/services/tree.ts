/** Measurement details for the UI, assembled from the read connection in one snapshot. */
import type { MeasurementDetail } from '../../app/api/types';
import { type Library, readSnapshot } from '../../db/library';
import { getMeasurement, listChannels } from '../../db/measurements';
import { findBatch, findCell, findSample } from '../../db/records';

export function measurementDetail(library: Library, id: number): MeasurementDetail {
  return readSnapshot(library, () => {
    const record = getMeasurement(library, id);
    const cell = record.cellId === null ? null : findCell(library.reader, record.cellId);
    const batch = cell ? findBatch(library.reader, cell.batchId) : null;
    const sampleId = batch?.sampleId ?? record.sampleId;
    const sample = sampleId === null ? null : findSample(library.reader, sampleId);
    return {
      id: record.id,
      fileName: record.fileName,
      format: record.format,
      technique: record.technique,
      kind: record.kind,
      rows: record.rows,
      temperature_K: record.temperature_K,
      startTime: record.startTime,
      importedAt: record.importedAt,
      cellId: record.cellId,
      sampleId: record.sampleId,
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

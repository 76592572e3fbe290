/** A stored measurement rebuilt as the Measurement the analyses take (canonical channels only). */
import { isCanonicalChannel, type Measurement } from '../../app/measurement';
import type { AnalysisSubject } from '../../app/workflows/analyses';
import type { Library } from '../../db/library';
import { getMeasurement, listChannels, loadChannels } from '../../db/measurements';
import { findCell } from '../../db/records';

export function loadMeasurement(lib: Library, id: number): Measurement {
  const record = getMeasurement(lib, id);
  const canonical = listChannels(lib, id)
    .filter((c) => c.origin === 'canonical' && isCanonicalChannel(c.name))
    .map((c) => c.name);
  const channels: Measurement['channels'] = {};
  for (const channel of loadChannels(lib, id, canonical)) {
    if (
      channel.origin === 'canonical' &&
      isCanonicalChannel(channel.name) &&
      channel.values instanceof Float64Array
    ) {
      channels[channel.name] = channel.values;
    }
  }
  return {
    format: record.format,
    fileName: record.fileName,
    technique: record.technique,
    kind: record.kind,
    rows: record.rows,
    channels,
    original: [],
    metadata: record.metadata,
    warnings: record.warnings,
  };
}

/** The measurement with its cell's geometry and its temperature, as an analysis subject. */
export function loadSubject(lib: Library, id: number, role: string): AnalysisSubject {
  const record = getMeasurement(lib, id);
  const cell = record.cellId === null ? null : findCell(lib.db, record.cellId);
  return {
    measurement: loadMeasurement(lib, id),
    role,
    T_K: record.temperature_K,
    ...(cell
      ? { cell: { area_m2: cell.area_m2, thickness_m: cell.thickness_m, activeMass_kg: cell.activeMass_kg } }
      : {}),
  };
}

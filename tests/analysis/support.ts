/** Builds Measurements straight from model records, so analysis tests do not depend on the readers. */
import type { Measurement, MeasurementMetadata, TechniqueKind } from '../../app/measurement';
import type { TimeSeries } from '../../examples/models';

export function measurementOf(
  record: TimeSeries,
  kind: TechniqueKind,
  technique: string,
  metadata: Partial<MeasurementMetadata> = {},
  controlIs: 'V' | 'A' = 'A',
): Measurement {
  return {
    format: 'generated',
    fileName: `${technique.toLowerCase()}.generated`,
    technique,
    kind,
    rows: record.time_s.length,
    channels: {
      time_s: record.time_s,
      voltage_V: record.voltage_V,
      current_A: record.current_A,
      cycle: record.cycle,
      ...(controlIs === 'V' ? { control_V: record.control } : { control_A: record.control }),
    },
    original: [],
    metadata: { extra: {}, ...metadata },
    warnings: [],
  };
}

export function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

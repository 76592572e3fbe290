/**
 * Arbin column names (MITS Pro exports write "Current(A)"; beep/battdat tables write "Current") and
 * their units when the header gives none. Current sign as Arbin reports it: positive = charge.
 * Charge/discharge capacities and energies are Arbin's cumulative counters (reset per cycle or per
 * test, by schedule), so no combined capacity_Ah is derived from them.
 */
import type { ColumnRule } from './table';

export const ARBIN_RULES: readonly ColumnRule[] = [
  { names: ['data_point'], kind: 'number', defaultUnit: '' },
  { names: ['test_time'], channel: 'time_s', kind: 'duration', defaultUnit: 's' },
  { names: ['date_time', 'datetime'], kind: 'datetime', defaultUnit: '' },
  { names: ['step_time'], kind: 'duration', defaultUnit: 's' },
  { names: ['step_index'], channel: 'step', kind: 'number', defaultUnit: '' },
  { names: ['cycle_index'], channel: 'cycle', kind: 'number', defaultUnit: '' },
  { names: ['current'], channel: 'current_A', kind: 'number', defaultUnit: 'A' },
  { names: ['voltage'], channel: 'voltage_V', kind: 'number', defaultUnit: 'V' },
  { names: ['charge_capacity'], channel: 'charge_capacity_Ah', kind: 'number', defaultUnit: 'Ah' },
  { names: ['discharge_capacity'], channel: 'discharge_capacity_Ah', kind: 'number', defaultUnit: 'Ah' },
  { names: ['charge_energy'], kind: 'number', defaultUnit: 'Wh' },
  { names: ['discharge_energy'], kind: 'number', defaultUnit: 'Wh' },
  { names: ['internal_resistance', 'internal resistance'], kind: 'number', defaultUnit: 'Ohm' },
  { names: ['dv/dt'], kind: 'number', defaultUnit: 'V/s' },
  {
    names: ['temperature', 'aux_temperature_1', 'aux_temperature', 'temperature_1'],
    channel: 'temperature_C',
    kind: 'number',
    defaultUnit: 'C',
  },
];

/** True when a header row looks like an Arbin data table (data point, test time, voltage, current). */
export function looksLikeArbinHeader(headers: readonly string[]): boolean {
  const bases = new Set(
    headers.map((h) =>
      h
        .replace(/\s*\([^)]*\)\s*$/, '')
        .trim()
        .toLowerCase(),
    ),
  );
  return (
    bases.has('test_time') &&
    bases.has('voltage') &&
    bases.has('current') &&
    (bases.has('data_point') || bases.has('cycle_index') || bases.has('step_index'))
  );
}

/**
 * Full-cell cycling analysis speed: a 1,000,000-row, 300-cycle LFP record (examples/models.ts, ~1,665
 * rows per half cycle) analysed end to end — segmentation from the current, per-cycle capacities,
 * energies and mean voltages, retention, rate table and dQ/dV of two cycles. Target: < 1 s.
 *
 *   npx tsx bench/analysis-cycling.bench.ts
 */
import { analyseCycling } from '../app/analysis/cycling';
import type { Measurement } from '../app/measurement';
import { fadePlan, fullCellModel } from '../examples/models';

const CYCLES = 300;
const ROWS_PER_HALF = 1665;
const MASS = 4.02e-6;

const built = performance.now();
const { record } = fullCellModel({
  mass_kg: MASS,
  plan: fadePlan({ cRate: 3, cycles: CYCLES, first: 120, last: 111.5 }),
  polarisation_at_2C_V: 0.51,
  rows: ROWS_PER_HALF,
  seed: 1,
});
const rows = record.time_s.length;
const measurement: Measurement = {
  format: 'generated',
  fileName: 'bench-cycling',
  technique: 'GCPL',
  kind: 'galvanostatic',
  rows,
  channels: {
    time_s: record.time_s,
    voltage_V: record.voltage_V,
    current_A: record.current_A,
    cycle: record.cycle,
  },
  original: [],
  metadata: { extra: {}, mass_kg: MASS },
  warnings: [],
};
console.log(
  `generated ${rows} rows, ${CYCLES} cycles in ${((performance.now() - built) / 1000).toFixed(1)} s`,
);

const times: number[] = [];
let cycles = 0;
for (let run = 0; run < 7; run++) {
  const t0 = performance.now();
  const result = analyseCycling(measurement, { dqdvCycles: [1, CYCLES], referenceCycle: 1 });
  times.push(performance.now() - t0);
  cycles = result.cycles.length;
  if (run === 0) console.log(`first run (cold JIT): ${times[0]!.toFixed(0)} ms, ${cycles} cycles found`);
}
const sorted = [...times].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)]!;
console.log(
  `analyseCycling on ${rows} rows: median ${median.toFixed(0)} ms, worst ${sorted.at(-1)!.toFixed(0)} ms`,
);
console.log(median < 1000 ? 'PASS: under 1 s' : 'FAIL: over 1 s');
console.log(
  `BENCH ${JSON.stringify({
    name: 'analysis-cycling',
    rows,
    cycles,
    median_ms: Math.round(median),
    cold_ms: Math.round(times[0]!),
    worst_ms: Math.round(sorted.at(-1)!),
    target_ms: 1000,
    pass: median < 1000 && sorted.at(-1)! < 1000,
  })}`,
);

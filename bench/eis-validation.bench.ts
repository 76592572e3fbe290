/**
 * Lin-KK and DRT: speed, and how often they get generated spectra right.
 * - Lin-KK known answer (Circuit3_EIS_1.z, c = 0.69 → M = 10, µ = 0.6843821118) and its time per run;
 * - Lin-KK verdicts on two-ZARC spectra with 0.5 % noise (should pass) and with a 10 % low-frequency
 *   resistance drift over the sweep (should be flagged);
 * - DRT on three two-process families × 20 noise draws (0.5 %): both peaks within a quarter decade of the
 *   true τ and within 12 % of the true R, and R_pol within 5 %; time per DRT (GCV scan included).
 * Run: npx tsx bench/eis-validation.bench.ts
 */
import { readFileSync } from 'node:fs';
import { drt } from '../app/eis/drt';
import { linKK } from '../app/eis/linkk';
import type { Spectrum } from '../app/eis/types';
import { parseInstrumentFile } from '../app/formats';
import { logFrequencies, type Process, synthetic, zarcChain } from '../tests/eis/linkk-synthetic';
import { sharedFile } from '../tests/support/paths';

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

function timed<T>(action: () => T): [T, number] {
  const start = performance.now();
  const value = action();
  return [value, performance.now() - start];
}

const file = 'zplot_z/impedance_py__Circuit3_EIS_1.z';
const measurement = parseInstrumentFile(new Uint8Array(readFileSync(sharedFile(file))), 'Circuit3_EIS_1.z');
const circuit3: Spectrum = {
  frequency_Hz: measurement.channels.frequency_Hz!,
  z_real_ohm: measurement.channels.z_real_ohm!,
  z_imag_ohm: measurement.channels.z_imag_ohm!,
};
const kkTimes: number[] = [];
let known = linKK(circuit3, { c: 0.69 });
for (let i = 0; i < 30; i++) {
  const [result, ms] = timed(() => linKK(circuit3, { c: 0.69 }));
  known = result;
  kkTimes.push(ms);
}
console.log(
  `Lin-KK ${file}: M = ${known.M}, µ = ${known.mu.toFixed(10)} (reference M = 10, µ = 0.6843821118), ` +
    `median ${percentile(kkTimes, 0.5).toFixed(1)} ms`,
);

const f = logFrequencies(1e6, 0.1, 71);
const zarcs: Process[] = [
  { R_ohm: 1000, tau_s: 1e-5, alpha: 0.9 },
  { R_ohm: 2000, tau_s: 0.1, alpha: 0.8 },
];
const validRuns = 50;
let validPass = 0;
let falseDrift = 0;
for (let seed = 1; seed <= validRuns; seed++) {
  const result = linKK(synthetic(f, 100, zarcs, 0.005, seed));
  if (result.pass) validPass++;
  if (result.drift.detected) falseDrift++;
}
const elapsed: number[] = [];
let total = 0;
for (const value of f) {
  total += 3 / value;
  elapsed.push(total);
}
const driftRuns = 30;
let driftFlagged = 0;
for (let seed = 1; seed <= driftRuns; seed++) {
  const noisy = synthetic(f, 100, zarcs, 0.005, 1000 + seed);
  const clean = synthetic(f, 100, zarcs, 0, 1);
  f.forEach((value, i) => {
    const grown = [zarcs[0]!, { ...zarcs[1]!, R_ohm: 2000 * (1 + (0.1 * elapsed[i]!) / total) }];
    const [re, im] = zarcChain(value, 100, grown);
    noisy.z_real_ohm[i] = noisy.z_real_ohm[i]! - clean.z_real_ohm[i]! + re;
    noisy.z_imag_ohm[i] = noisy.z_imag_ohm[i]! - clean.z_imag_ohm[i]! + im;
  });
  if (linKK(noisy).drift.detected) driftFlagged++;
}
console.log(
  `Lin-KK on 0.5 %-noise two-ZARC spectra: ${validPass}/${validRuns} pass, ${falseDrift} false drift; ` +
    `10 % drift flagged in ${driftFlagged}/${driftRuns}`,
);

const families: Record<string, Process[]> = {
  rc: [
    { R_ohm: 1000, tau_s: 1e-5 },
    { R_ohm: 2000, tau_s: 1e-2 },
  ],
  zarc: [
    { R_ohm: 1000, tau_s: 1e-5, alpha: 0.85 },
    { R_ohm: 2000, tau_s: 1e-2, alpha: 0.8 },
  ],
  close: [
    { R_ohm: 1000, tau_s: 1e-4, alpha: 0.9 },
    { R_ohm: 1000, tau_s: 1e-2, alpha: 0.9 },
  ],
};
const drtTimes: number[] = [];
let drtRuns = 0;
let drtGood = 0;
for (const [name, processes] of Object.entries(families)) {
  let good = 0;
  const totalR = processes.reduce((sum, p) => sum + p.R_ohm, 0);
  for (let seed = 1; seed <= 20; seed++) {
    const [result, ms] = timed(() => drt(synthetic(f, 100, processes, 0.005, seed)));
    drtTimes.push(ms);
    const main = [...result.peaks]
      .sort((p, q) => q.R_ohm - p.R_ohm)
      .slice(0, 2)
      .sort((p, q) => p.tau_s - q.tau_s);
    const ok =
      main.length === 2 &&
      processes.every(
        (p, i) =>
          Math.abs(Math.log10(main[i]!.tau_s / p.tau_s)) < 0.25 &&
          Math.abs(main[i]!.R_ohm - p.R_ohm) / p.R_ohm < 0.12,
      ) &&
      Math.abs(result.R_pol_ohm - totalR) / totalR < 0.05;
    if (ok) good++;
  }
  console.log(`DRT ${name}: ${good}/20 recovered`);
  drtRuns += 20;
  drtGood += good;
}
console.log(
  `DRT (71 points, GCV over 29 λ): median ${percentile(drtTimes, 0.5).toFixed(0)} ms, ` +
    `p95 ${percentile(drtTimes, 0.95).toFixed(0)} ms per spectrum`,
);

console.log(
  `BENCH ${JSON.stringify({
    linkk_known_M: known.M,
    linkk_known_mu: Number(known.mu.toFixed(10)),
    linkk_known_ok: known.M === 10 && Math.abs(known.mu - 0.6843821118) < 1e-9,
    linkk_median_ms: Number(percentile(kkTimes, 0.5).toFixed(2)),
    linkk_valid_pass_share: validPass / validRuns,
    linkk_false_drift_share: falseDrift / validRuns,
    linkk_drift_detected_share: driftFlagged / driftRuns,
    drt_recovered_share: drtGood / drtRuns,
    drt_spectra: drtRuns,
    drt_median_ms: Math.round(percentile(drtTimes, 0.5)),
    drt_p95_ms: Math.round(percentile(drtTimes, 0.95)),
  })}`,
);

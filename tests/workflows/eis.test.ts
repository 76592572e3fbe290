/**
 * The conductivity workflow's automatic circuit choice: a blocking-cell spectrum whose bulk arc is
 * inside the measured range is fitted with the arc; one whose arc lies above it, with the intercept.
 * Either way σ = L/(R·A) comes back within 1 % of the truth the spectrum was generated from.
 */
import { describe, expect, it } from 'vitest';
import { logFrequencies, syntheticSpectrum } from '../../app/eis/index';
import type { Measurement } from '../../app/measurement';
import {
  BLOCKING_CIRCUIT,
  HF_INTERCEPT_CIRCUIT,
  runArrhenius,
  runConductivity,
} from '../../app/workflows/eis';

const L = 100e-6;
const A = 2.01e-4;

function measurement(fileName: string, R_bulk: number, Q_bulk: number): Measurement {
  const f = logFrequencies(1e6, 0.1, 71);
  const spectrum = syntheticSpectrum(
    BLOCKING_CIRCUIT,
    { R0: 2, R1: R_bulk, CPE1_Q: Q_bulk, CPE1_alpha: 0.9, CPE2_Q: 5e-6, CPE2_alpha: 0.85 },
    f,
    0.005,
    7,
  );
  return {
    format: 'test',
    fileName,
    technique: 'PEIS',
    kind: 'eis',
    rows: f.length,
    channels: {
      frequency_Hz: spectrum.frequency_Hz,
      z_real_ohm: spectrum.z_real_ohm,
      z_imag_ohm: spectrum.z_imag_ohm,
    },
    original: [],
    metadata: { extra: {} },
    warnings: [],
  };
}

describe('automatic circuit for σ', () => {
  it('keeps the bulk arc when it lies inside the measured range', () => {
    // R1 = 5 kΩ with Q = 1e-10: apex near 30 kHz.
    const result = runConductivity(measurement('resolved.mpt', 5000, 1e-10), { thickness_m: L, area_m2: A });
    expect(result.circuit_choice).toMatch(/automatic/);
    expect(result.fit.circuit).toBe(BLOCKING_CIRCUIT);
    const truth = L / (5000 * A) / 100;
    expect(Math.abs(result.sigma_S_per_cm / truth - 1)).toBeLessThan(0.01);
  });

  it('uses the high-frequency intercept when the arc lies above the range', () => {
    // R1 = 3 Ω with Q = 1e-10: apex far above 1 MHz; the intercept is R0 + R1 = 5 Ω.
    const result = runConductivity(measurement('above.mpt', 3, 1e-10), { thickness_m: L, area_m2: A });
    expect(result.fit.circuit).toBe(HF_INTERCEPT_CIRCUIT);
    const truth = L / (5 * A) / 100;
    expect(Math.abs(result.sigma_S_per_cm / truth - 1)).toBeLessThan(0.01);
  });

  it('refuses an Arrhenius line through scattered points instead of printing an Ea', () => {
    const scattered = [10, 4, 12, 5].map((R, i) => ({
      measurement: measurement(`t${i}.mpt`, R * 1000, 1e-10),
      T_K: 303 + 10 * i,
    }));
    expect(() => runArrhenius(scattered, { thickness_m: L, area_m2: A })).toThrow(/Arrhenius line/);
  });
});

/**
 * Bruce–Vincent t₊ on generated DC polarisations and Li‖Li spectra with documented truth (± 0.02),
 * through the EIS engine's real circuit fit; the I₀ methods; the refusals (no steady state, wrong file).
 */
import { describe, expect, it } from 'vitest';
import { analyseTransference, brucevincent, transferenceToCli } from '../../app/analysis/transference';
import { fitCircuit } from '../../app/eis';
import type { Measurement } from '../../app/measurement';
import { chronoModel, lithiumSpectrum } from '../../examples/models';
import { measurementOf, relativeError } from './support';

function spectrumMeasurement(p: Parameters<typeof lithiumSpectrum>[0], name: string): Measurement {
  const s = lithiumSpectrum(p);
  return {
    format: 'generated',
    fileName: name,
    technique: 'PEIS',
    kind: 'eis',
    rows: s.frequency_Hz.length,
    channels: { frequency_Hz: s.frequency_Hz, z_real_ohm: s.z_real_ohm, z_imag_ohm: s.z_imag_ohm },
    original: [],
    metadata: { extra: {} },
    warnings: [],
  };
}

const cell = { R_bulk_ohm: 3.8, R_sei_ohm: 10 };

describe('transference number (generated, documented truth)', () => {
  for (const [tPlus, R0, Rs] of [
    [0.19, 30, 38],
    [0.33, 20, 24],
    [0.46, 14, 17],
  ] as const) {
    it(`recovers t₊ = ${tPlus} within 0.02 through the circuit fits`, () => {
      const { record, truth } = chronoModel({
        dV_V: 0.01,
        ...cell,
        R0_ohm: R0,
        Rs_ohm: Rs,
        t_plus: tPlus,
        seed: 7,
      });
      const chrono = measurementOf(record, 'potentiostatic', 'CA', {}, 'V');
      const before = spectrumMeasurement({ ...cell, R_int_ohm: R0, seed: 1 }, 'before.mpt');
      const after = spectrumMeasurement({ ...cell, R_int_ohm: Rs, seed: 2 }, 'after.mpt');
      const r = analyseTransference(chrono, before, after, fitCircuit);
      expect(Math.abs(r.t_plus - truth.t_plus)).toBeLessThan(0.02);
      expect(r.t_plus_stderr).toBeGreaterThan(0);
      expect(r.t_plus_stderr).toBeLessThan(0.05);
      expect(relativeError(r.I0_A, truth.I0_A)).toBeLessThan(0.01);
      expect(relativeError(r.Is_A, truth.Is_A)).toBeLessThan(0.005);
      expect(relativeError(r.R0_ohm, R0)).toBeLessThan(0.02);
      expect(relativeError(r.Rs_ohm, Rs)).toBeLessThan(0.02);
      expect(r.dV_V).toBeCloseTo(0.01, 9);
      expect(r.choices.dVSource).toBe('control channel');
      expect(r.points.extrapolationWindow_s![0]).toBeGreaterThanOrEqual(1);
      const cli = transferenceToCli(r);
      for (const key of [
        't_plus',
        't_plus_stderr',
        'I0_A',
        'Is_A',
        'R0_ohm',
        'Rs_ohm',
        'dV_V',
        'I0_method',
        'steady_state',
      ]) {
        expect(cli).toHaveProperty(key);
      }
    });
  }

  it('offers first-point (refused here: the first point is the capacitive spike) and ohmic I₀', () => {
    const { record, truth } = chronoModel({
      dV_V: 0.01,
      ...cell,
      R0_ohm: 14,
      Rs_ohm: 17,
      t_plus: 0.46,
      seed: 8,
    });
    const chrono = measurementOf(record, 'potentiostatic', 'CA', {}, 'V');
    const given = { value_ohm: 14, stderr_ohm: 0.1 };
    const after = { value_ohm: 17, stderr_ohm: 0.1 };
    expect(() => analyseTransference(chrono, given, after, null, { i0Method: 'first-point' })).toThrow(
      /ΔV − I·R is not positive/,
    );
    const extrapolated = analyseTransference(chrono, given, after, null);
    expect(Math.abs(extrapolated.t_plus - 0.46)).toBeLessThan(0.02);
    expect(brucevincent(truth.I0_A, truth.Is_A, 14, 17, 0.01)).toBeCloseTo(0.46, 10);
    // Ohmic: I₀ = ΔV/(R_b + R₀) with R_b = R0 + R1 of the fit (bulk and SEI arc in series).
    const before = spectrumMeasurement({ ...cell, R_int_ohm: 14, seed: 4 }, 'before.mpt');
    const afterFit = spectrumMeasurement({ ...cell, R_int_ohm: 17, seed: 5 }, 'after.mpt');
    expect(() => analyseTransference(chrono, given, after, null, { i0Method: 'ohmic' })).toThrow(
      /bulk resistance/,
    );
    const ohmic = analyseTransference(chrono, before, afterFit, fitCircuit, {
      i0Method: 'ohmic',
      bulkElement: 'R0+R1',
    });
    expect(relativeError(ohmic.I0_A, truth.I0_A)).toBeLessThan(0.01);
    expect(Math.abs(ohmic.t_plus - 0.46)).toBeLessThan(0.02);
  });

  it('refuses when the current has not reached a steady state', () => {
    const { record } = chronoModel({
      dV_V: 0.01,
      ...cell,
      R0_ohm: 14,
      Rs_ohm: 17,
      t_plus: 0.46,
      tau_s: 3000,
      duration_s: 3600,
      seed: 9,
    });
    const chrono = measurementOf(record, 'potentiostatic', 'CA', {}, 'V');
    expect(() =>
      analyseTransference(
        chrono,
        { value_ohm: 14, stderr_ohm: null },
        { value_ohm: 17, stderr_ohm: null },
        null,
      ),
    ).toThrow(/no steady state: the current changed by .* over the last 10 % of the run \(limit 1 %\)/);
  });

  it('refuses a galvanostatic file as the polarisation and a non-EIS file as a spectrum', () => {
    const { record } = chronoModel({ dV_V: 0.01, ...cell, R0_ohm: 14, Rs_ohm: 17, t_plus: 0.46, seed: 10 });
    const r = { value_ohm: 14, stderr_ohm: null };
    expect(() => analyseTransference(measurementOf(record, 'galvanostatic', 'CP'), r, r, null)).toThrow(
      /potentiostatic/,
    );
    const chrono = measurementOf(record, 'potentiostatic', 'CA', {}, 'V');
    expect(() => analyseTransference(chrono, chrono, r, fitCircuit)).toThrow(/needs a eis measurement/);
  });

  it('names the elements when the chosen one is not in the circuit', () => {
    const { record } = chronoModel({ dV_V: 0.01, ...cell, R0_ohm: 14, Rs_ohm: 17, t_plus: 0.46, seed: 11 });
    const chrono = measurementOf(record, 'potentiostatic', 'CA', {}, 'V');
    const before = spectrumMeasurement({ ...cell, R_int_ohm: 14, seed: 3 }, 'before.mpt');
    expect(() =>
      analyseTransference(chrono, before, before, fitCircuit, { interfacialElement: 'R7' }),
    ).toThrow(/no element R7; choose one of R0, R1/);
  });
});

import { describe, expect, it } from 'vitest';
import { calcMu, linKK, timeConstants } from '../../app/eis/linkk';
import type { Spectrum } from '../../app/eis/types';
import { ElyteError } from '../../app/errors';
import { parseInstrumentFile } from '../../app/formats';
import { readCatalogue, readShared } from '../support/paths';
import { logFrequencies, synthetic, zarcChain } from './linkk-synthetic';

const CIRCUIT3 = 'zplot_z/impedance_py__Circuit3_EIS_1.z';

/** The file through the app's own ZPlot reader, as a user's file would go. */
function readSpectrum(relativePath: string): Spectrum {
  const measurement = parseInstrumentFile(readShared(relativePath), relativePath.split('/').pop()!);
  const { frequency_Hz, z_real_ohm, z_imag_ohm } = measurement.channels;
  if (!frequency_Hz || !z_real_ohm || !z_imag_ohm)
    throw new Error(`${relativePath} has no impedance channels`);
  return { frequency_Hz, z_real_ohm, z_imag_ohm };
}

function relativeError(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

describe('Lin-KK on Schönleber’s test spectrum (impedance.py Circuit3_EIS_1.z)', () => {
  const spectrum = readSpectrum(CIRCUIT3);

  it('the CATALOGUE states the known answer we check', () => {
    const row = readCatalogue().find((r) => r.local_path === CIRCUIT3);
    expect(row?.source_test_expectations).toContain('M = 10');
    expect(row?.source_test_expectations).toContain('0.6843821118');
    expect(spectrum.frequency_Hz.length).toBe(53);
  });

  it('c = 0.69 gives M = 10 and µ = 0.6843821118 (CATALOGUE)', () => {
    const result = linKK(spectrum, { c: 0.69 });
    expect(result.M).toBe(10);
    expect(result.mu).toBeCloseTo(0.6843821118, 9);
    expect(result.muReached).toBe(true);
    expect(result.elements).toHaveLength(10);
  });

  // Fitted values from Schönleber's own Lin_KK software, as listed in impedance.py's
  // impedance/tests/test_validation.py (commit 0b302ca): first, a middle and the last point.
  const schonleber = {
    real: [
      [0, 1504.77272562, 22.1601785],
      [26, 6021.90189107, -1082.42516],
      [52, 6132.74662155, 32.8441808],
    ],
    realWithC: [
      [0, 1504.77272562, 22.1609593],
      [26, 6021.90189107, -1082.48743],
      [52, 6132.74662155, 9.37882405],
    ],
    imagM5: [
      [0, 1892.16670857, -70.4776521],
      [26, 4808.72682252, -1809.32501067],
      [52, 5959.35300613, -73.57222491],
    ],
    complexM5: [
      [0, 1636.99559739, 17.18695412],
      [26, 4925.36485549, -1914.47475074],
      [52, 6136.91206761, -120.94168923],
    ],
  } as const;

  const cases = [
    ['real, c = 0.69', { c: 0.69 }, schonleber.real],
    ['real + series C, c = 0.69', { c: 0.69, addCapacitance: true }, schonleber.realWithC],
    ['real + series C, M fixed at 10', { c: null, maxM: 10, addCapacitance: true }, schonleber.realWithC],
    ['imag, M fixed at 5', { c: null, maxM: 5, fitType: 'imag' }, schonleber.imagM5],
    ['complex, M fixed at 5', { c: null, maxM: 5, fitType: 'complex' }, schonleber.complexM5],
  ] as const;
  it.each(cases)('%s reproduces Schönleber’s fitted impedance', (_name, options, expected) => {
    const result = linKK(spectrum, options);
    for (const [i, re, im] of expected) {
      expect(relativeError(result.z_fit_real_ohm[i]!, re)).toBeLessThan(1e-6);
      expect(relativeError(result.z_fit_imag_ohm[i]!, im)).toBeLessThan(1e-5);
      const mod = Math.hypot(spectrum.z_real_ohm[i]!, spectrum.z_imag_ohm[i]!);
      expect(result.residual_real[i]!).toBeCloseTo((spectrum.z_real_ohm[i]! - re) / mod, 6);
      expect(result.residual_imag[i]!).toBeCloseTo((spectrum.z_imag_ohm[i]! - im) / mod, 6);
    }
  });
});

describe('Lin-KK building blocks (impedance.py test values)', () => {
  it('time constants span 1/(2π f_max) … 1/(2π f_min)', () => {
    const f = Float64Array.from([1000, 100, 10, 1, 0.1], (value) => value / (2 * Math.PI));
    const taus = timeConstants(f, 3);
    [0.001, 0.1, 10].forEach((tau, k) => {
      expect(taus[k]!).toBeCloseTo(tau, 12);
    });
  });
  it('µ = 1 − negative mass / positive mass over R_1…R_M', () => {
    expect(calcMu(Float64Array.from([99, 1, 2, 3, -3, -2, -1, 7]), 6)).toBe(0);
    expect(calcMu(Float64Array.from([99, -1, 2, 4, -3, 4, -1, 7]), 6)).toBe(0.5);
  });
});

describe('Lin-KK verdict on generated spectra (truth: how they were generated)', () => {
  const f = logFrequencies(1e6, 0.1, 71);
  const processes = [
    { R_ohm: 1000, tau_s: 1e-5, alpha: 0.9 },
    { R_ohm: 2000, tau_s: 0.1, alpha: 0.8 },
  ];

  it('a KK-consistent spectrum with 0.5 % noise passes, without drift or outliers (10 seeds)', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const result = linKK(synthetic(f, 100, processes, 0.005, seed));
      expect(result.pass).toBe(true);
      expect(result.drift.detected).toBe(false);
      expect(result.outliers).toEqual([]);
      expect(result.rmsResidual).toBeGreaterThan(0.003);
      expect(result.rmsResidual).toBeLessThan(0.007);
      expect(result.warnings).toEqual([]);
    }
  });

  it('an exact spectrum leaves residuals far below the noise floor', () => {
    const result = linKK(synthetic(f, 100, processes, 0, 1), { c: 0.5 });
    expect(result.maxResidual).toBeLessThan(2e-3);
    expect(result.R0_ohm).toBeGreaterThan(90);
    expect(result.R0_ohm).toBeLessThan(110);
  });

  it('a single corrupted point is flagged as an outlier with its frequency', () => {
    const spectrum = synthetic(f, 100, processes, 0.002, 3);
    const bad = 30;
    spectrum.z_real_ohm[bad]! *= 1.05;
    spectrum.z_imag_ohm[bad]! *= 0.95;
    const result = linKK(spectrum);
    expect(result.outliers).toContain(bad);
    expect(result.outliers.length).toBeLessThanOrEqual(3);
    expect(result.warnings.join(' ')).toContain('1 kHz');
  });

  it('a cell whose low-frequency resistance grows during the sweep is flagged as drifting', () => {
    // Each point takes 3 periods; R2 grows linearly with elapsed time by 10 % over the sweep.
    const elapsed: number[] = [];
    let t = 0;
    for (const value of f) {
      t += 3 / value;
      elapsed.push(t);
    }
    const re = new Float64Array(f.length);
    const im = new Float64Array(f.length);
    f.forEach((value, i) => {
      const grown = [processes[0]!, { ...processes[1]!, R_ohm: 2000 * (1 + (0.1 * elapsed[i]!) / t) }];
      [re[i], im[i]] = zarcChain(value, 100, grown);
    });
    const result = linKK({ frequency_Hz: f, z_real_ohm: re, z_imag_ohm: im });
    expect(result.drift.detected).toBe(true);
    expect(result.pass).toBe(false);
    expect(result.warnings.join(' ')).toMatch(/drift/);
  });
});

describe('Lin-KK refuses bad input', () => {
  const good = synthetic(logFrequencies(1e5, 1, 21), 10, [{ R_ohm: 100, tau_s: 1e-3 }], 0);
  const expectInvalid = (action: () => unknown, pattern: RegExp): void => {
    try {
      action();
    } catch (error) {
      expect(error).toBeInstanceOf(ElyteError);
      expect((error as ElyteError).kind).toBe('invalid-argument');
      expect((error as ElyteError).message).toMatch(pattern);
      return;
    }
    throw new Error('accepted bad input');
  };
  it('NaN, f ≤ 0, too few points, bad options', () => {
    const withNaN = { ...good, z_real_ohm: good.z_real_ohm.map((v, i) => (i === 2 ? Number.NaN : v)) };
    expectInvalid(() => linKK(withNaN), /not a finite number/);
    const withZero = { ...good, frequency_Hz: good.frequency_Hz.map((v, i) => (i === 1 ? 0 : v)) };
    expectInvalid(() => linKK(withZero), /frequencies must be > 0/);
    const few = {
      frequency_Hz: good.frequency_Hz.slice(0, 4),
      z_real_ohm: good.z_real_ohm.slice(0, 4),
      z_imag_ohm: good.z_imag_ohm.slice(0, 4),
    };
    expectInvalid(() => linKK(few), /at least 5/);
    expectInvalid(() => linKK(good, { c: 1.5 }), /c must be/);
    expectInvalid(() => linKK(good, { maxM: 0 }), /maxM/);
  });
});

describe('Lin-KK M selection on real spectra', () => {
  it("'mu' (impedance.py) can stop early; it says so, and 'mu-and-residual' goes on to a fit within the limit", () => {
    const spectrum = readSpectrum(CIRCUIT3);
    const early = linKK(spectrum);
    expect(early.muReached).toBe(true);
    expect(early.rmsResidual).toBeGreaterThan(0.01);
    expect(early.warnings.join(' ')).toContain("mSelection 'mu-and-residual'");
    const better = linKK(spectrum, { mSelection: 'mu-and-residual' });
    expect(better.M).toBeGreaterThan(early.M);
    expect(better.mu).toBeLessThanOrEqual(0.85);
    expect(better.rmsResidual).toBeLessThanOrEqual(0.01);
  });

  const files = [
    'zahner_ism/zahner__rc-data.ism',
    'impedance_py_csv/exampleData.csv',
    'gamry_dta/exampleDataGamry.DTA',
    'biologic_mpt/exampleDataBioLogic.mpt',
  ];
  it.each(files)('%s: every output is finite and the verdict is explained', (file) => {
    const result = linKK(readSpectrum(file), { mSelection: 'mu-and-residual' });
    expect(Number.isFinite(result.mu)).toBe(true);
    expect(result.residual_real.every(Number.isFinite)).toBe(true);
    expect(result.residual_imag.every(Number.isFinite)).toBe(true);
    expect(Number.isFinite(result.R0_ohm) && Number.isFinite(result.L_H)).toBe(true);
    if (!result.pass) expect(result.warnings.length).toBeGreaterThan(0);
  });
});

/**
 * CNLS fitting from AUTOMATIC initial values (no `initial` option anywhere unless stated).
 * Truth is the generator's input (app/eis/synthetic.ts: exact circuit impedance + seeded Gaussian noise
 * proportional to |Z|); tolerances are stated per case and scale with the noise.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type FitResult,
  fitCircuit,
  logFrequencies,
  type Spectrum,
  syntheticSpectrum,
} from '../../app/eis/index';
import { ElyteError } from '../../app/errors';
import { readCatalogue, sharedFile } from '../support/paths';

const F = logFrequencies(1e6, 1e-2, 70);

function value(fit: FitResult, name: string): number {
  const p = fit.parameters.find((q) => q.name === name);
  if (!p) throw new Error(`no ${name} in ${fit.circuit}`);
  return p.value;
}

function expectRelative(actual: number, expected: number, tolerance: number, what: string) {
  const error = Math.abs(actual / expected - 1);
  expect(error, `${what}: ${actual} vs ${expected}`).toBeLessThan(tolerance);
}

/**
 * [circuit, truth, tolerance at 1 % noise for resistances (R*, *_R), for the other parameters].
 * Inductances are scored looser: they live in the top decade only.
 */
const CASES: [string, Record<string, number>, number, number][] = [
  ['R0-p(R1,C1)', { R0: 10, R1: 1000, C1: 1e-7 }, 0.02, 0.03],
  ['L0-R0-p(R1,C1)', { L0: 1e-6, R0: 10, R1: 1000, C1: 1e-7 }, 0.02, 0.05],
  ['R0-p(R1,CPE1)', { R0: 10, R1: 1000, CPE1_Q: 5e-7, CPE1_alpha: 0.85 }, 0.02, 0.05],
  ['R0-p(R1-W1,C1)', { R0: 10, R1: 200, W1: 50, C1: 1e-6 }, 0.02, 0.05],
  ['R0-p(R1,C1)-Wo1', { R0: 10, R1: 500, C1: 1e-8, Wo1_R: 800, Wo1_tau: 5 }, 0.03, 0.05],
  ['R0-p(R1,C1)-Ws1', { R0: 10, R1: 500, C1: 1e-8, Ws1_R: 800, Ws1_tau: 5 }, 0.03, 0.05],
  ['R0-G1', { R0: 10, G1_R: 300, G1_tau: 1e-3 }, 0.02, 0.03],
  ['R0-K1-K2', { R0: 10, K1_R: 300, K1_tau: 1e-5, K2_R: 700, K2_tau: 1e-2 }, 0.02, 0.05],
  ['R0-TLM1', { R0: 5, TLM1_R: 200, TLM1_Q: 1e-3, TLM1_alpha: 0.9 }, 0.03, 0.03],
  [
    'La0-R0-p(R1,CPE1)',
    { La0_L: 1e-5, La0_alpha: 0.8, R0: 10, R1: 1000, CPE1_Q: 5e-7, CPE1_alpha: 0.85 },
    0.05,
    0.05,
  ],
  [
    'R0-p(R1,CPE1)-CPE2',
    { R0: 10, R1: 5000, CPE1_Q: 2e-9, CPE1_alpha: 0.9, CPE2_Q: 2e-6, CPE2_alpha: 0.8 },
    0.02,
    0.05,
  ],
  [
    'R0-p(R1,CPE1)-p(R2,CPE2)',
    { R0: 10, R1: 800, CPE1_Q: 2e-9, CPE1_alpha: 0.92, R2: 1500, CPE2_Q: 1e-5, CPE2_alpha: 0.8 },
    0.02,
    0.08,
  ],
  [
    'R0-p(R1,C1)-p(R2-Wo1,C2)',
    { R0: 10, R1: 800, C1: 1e-9, R2: 1500, Wo1_R: 2000, Wo1_tau: 3, C2: 1e-6 },
    0.02,
    0.05,
  ],
];

/**
 * Parameters the data pin down less well, with their tolerance multiplier: a small series R under big arcs
 * and La's L (0 = only the standard-error check below), La's exponent (it lives in the top decade only).
 */
const LOOSE: Record<string, number> = { R0: 0, La0_L: 0, La0_alpha: 3 };

describe('recovery of every element and the lab circuits from automatic initial values', () => {
  for (const noise of [0.001, 0.01]) {
    it.each(CASES)(`%s with ${noise * 100} % noise`, (circuit, truth, tolR, tolOther) => {
      const fit = fitCircuit(syntheticSpectrum(circuit, truth, F, noise, 11), circuit);
      expect(fit.converged).toBe(true);
      const scale = noise / 0.01;
      for (const [name, expected] of Object.entries(truth)) {
        const loose = LOOSE[name] ?? 1;
        if (loose === 0) continue;
        const isResistance = /^R\d|_R$/.test(name);
        const tolerance = Math.max((isResistance ? tolR : tolOther) * scale * loose, 0.003);
        expectRelative(value(fit, name), expected, tolerance, `${circuit} ${name}`);
      }
      // The reported standard errors are honest: every error within 5 standard errors.
      for (const p of fit.parameters) {
        if (p.stderr === null) continue;
        expect(Math.abs(p.value - truth[p.name]!), `${p.name} error vs stderr`).toBeLessThan(
          5 * p.stderr + 1e-12,
        );
      }
    });
  }

  it('reports χ², AIC/BIC, residuals and a correlation matrix', () => {
    const circuit = 'R0-p(R1,CPE1)';
    const truth = { R0: 10, R1: 1000, CPE1_Q: 5e-7, CPE1_alpha: 0.85 };
    const noise = 0.005;
    const fit = fitCircuit(syntheticSpectrum(circuit, truth, F, noise, 3), circuit);
    // Modulus weighting with noise σ/|Z| = 0.5 % per component: reduced χ² ≈ noise².
    expect(fit.reducedChi2 / noise ** 2).toBeGreaterThan(0.6);
    expect(fit.reducedChi2 / noise ** 2).toBeLessThan(1.5);
    expect(fit.points).toBe(70);
    expect(fit.residuals.real).toHaveLength(70);
    expect(fit.correlation).toHaveLength(4);
    expect(fit.correlation[1]![1]).toBe(1);
    expect(fit.parameters.map((p) => p.name)).toEqual(['R0', 'R1', 'CPE1_Q', 'CPE1_alpha']);
    expect(fit.parameters.map((p) => p.unit)).toEqual(['Ω', 'Ω', 'Ω⁻¹·sᵅ', '']);
    // Information criteria prefer the true model over a too-simple one (an ideal capacitor for the CPE).
    const simpler = fitCircuit(syntheticSpectrum(circuit, truth, F, noise, 3), 'R0-p(R1,C1)');
    expect(fit.aic).toBeLessThan(simpler.aic);
    expect(fit.bic).toBeLessThan(simpler.bic);
    expect(simpler.warnings.join(' ')).toMatch(/residuals average/);
  });

  it('accepts typed initial values, fixed parameters, bounds, weightings and a frequency range', () => {
    const circuit = 'R0-p(R1,CPE1)-CPE2';
    const truth = { R0: 10, R1: 5000, CPE1_Q: 2e-9, CPE1_alpha: 0.9, CPE2_Q: 2e-6, CPE2_alpha: 0.8 };
    const spectrum = syntheticSpectrum(circuit, truth, F, 0.002, 5);
    const fixed = fitCircuit(spectrum, circuit, { fixed: { R0: 10 } });
    expect(fixed.parameters[0]).toMatchObject({ name: 'R0', value: 10, stderr: null, fixed: true });
    expect(fixed.correlation).toHaveLength(5);
    expectRelative(value(fixed, 'R1'), 5000, 0.01, 'R1 with R0 fixed');
    const bounded = fitCircuit(spectrum, circuit, { bounds: { CPE1_alpha: [0.5, 0.85] } });
    expect(value(bounded, 'CPE1_alpha')).toBeLessThanOrEqual(0.85);
    expect(bounded.warnings.join(' ')).toMatch(/CPE1_alpha .* upper bound/);
    for (const weighting of ['unit', 'proportional', 'modulus'] as const) {
      const fit = fitCircuit(spectrum, circuit, { weighting });
      expect(fit.weighting).toBe(weighting);
      expectRelative(value(fit, 'R1'), 5000, 0.01, `R1 ${weighting}`);
    }
    const typed = fitCircuit(spectrum, circuit, { initial: { R1: 3000, CPE1_0: 1e-9 } });
    expect(typed.initialValues.R1).toBe(3000);
    expect(typed.initialValues.CPE1_Q).toBe(1e-9);
    expectRelative(value(typed, 'R1'), 5000, 0.01, 'R1 from typed start');
    const ranged = fitCircuit(spectrum, circuit, { frequencyRange_Hz: [1, 1e5] });
    expect(ranged.points).toBe(F.filter((f) => f >= 1 && f <= 1e5).length);
  });

  it('says so when it does not converge and still returns its best attempt', () => {
    const circuit = 'R0-p(R1,CPE1)-p(R2,CPE2)';
    const truth = {
      R0: 10,
      R1: 800,
      CPE1_Q: 2e-9,
      CPE1_alpha: 0.92,
      R2: 1500,
      CPE2_Q: 1e-5,
      CPE2_alpha: 0.8,
    };
    const fit = fitCircuit(syntheticSpectrum(circuit, truth, F, 0.005, 2), circuit, {
      maxIterations: 1,
      globalSearch: 'never',
    });
    expect(fit.converged).toBe(false);
    expect(fit.warnings.join(' ')).toMatch(/did not converge/);
    expect(Number.isFinite(fit.chi2)).toBe(true);
  });

  it('flags parameters the data cannot identify', () => {
    // Two resistors in series: only their sum is seen.
    const spectrum = syntheticSpectrum('R0-p(R1,C1)', { R0: 10, R1: 1000, C1: 1e-7 }, F, 0.002, 4);
    const fit = fitCircuit(spectrum, 'R0-R2-p(R1,C1)');
    expect(fit.warnings.join(' ')).toMatch(/not identifiable|correlated/);
  });
});

describe('input validation', () => {
  const good = syntheticSpectrum('R0-p(R1,C1)', { R0: 10, R1: 1000, C1: 1e-7 }, F, 0, 1);
  const refuse = (spectrum: Spectrum, circuit: string, fragment: RegExp) => {
    expect(() => fitCircuit(spectrum, circuit)).toThrow(fragment);
    try {
      fitCircuit(spectrum, circuit);
    } catch (error) {
      expect(error).toBeInstanceOf(ElyteError);
      expect((error as ElyteError).kind).toBe('invalid-argument');
    }
  };
  const withPoint = (i: number, f: number, re: number) => {
    const s = {
      ...good,
      frequency_Hz: Float64Array.from(good.frequency_Hz),
      z_real_ohm: Float64Array.from(good.z_real_ohm),
    };
    s.frequency_Hz[i] = f;
    s.z_real_ohm[i] = re;
    return s;
  };

  it('refuses malformed circuits, too few points, NaN/Inf and non-positive frequencies', () => {
    refuse(good, 'R0-p(R1,C1', /never closed/);
    refuse(good, 'R0-Q1', /unknown element/);
    const few = {
      frequency_Hz: good.frequency_Hz.slice(0, 3),
      z_real_ohm: good.z_real_ohm.slice(0, 3),
      z_imag_ohm: good.z_imag_ohm.slice(0, 3),
    };
    refuse(few, 'R0-p(R1,C1)', /3 points cannot determine 3 free parameters/);
    refuse(withPoint(5, good.frequency_Hz[5]!, Number.NaN), 'R0-p(R1,C1)', /point 6 .*not a finite number/);
    refuse(
      withPoint(5, good.frequency_Hz[5]!, Number.POSITIVE_INFINITY),
      'R0-p(R1,C1)',
      /not a finite number/,
    );
    refuse(withPoint(7, 0, 10), 'R0-p(R1,C1)', /point 8 .*frequency 0 Hz/);
    refuse(withPoint(7, -5, 10), 'R0-p(R1,C1)', /frequencies must be > 0/);
    expect(() => fitCircuit(good, 'R0-p(R1,C1)', { initial: { R9: 1 } })).toThrow(/"R9" is not a parameter/);
    expect(() => fitCircuit(good, 'R0-p(R1,C1)', { initial: { R1: -1 } })).toThrow(/outside its domain/);
    expect(() => fitCircuit(good, 'R0-p(R1,C1)', { weighting: 'square' as never })).toThrow(/weighting/);
  });
});

describe("impedance.py's example spectrum (CATALOGUE reference fit)", () => {
  const row = readCatalogue().find((r) => r.local_path === 'impedance_py_csv/exampleData.csv');
  const rows = readFileSync(sharedFile('impedance_py_csv/exampleData.csv'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(',').map(Number));
  // impedance.py's documentation fits the points with Im(Z) < 0 (57 of 66), as the catalogue says.
  const capacitive = rows.filter((r) => r[2]! < 0);
  const spectrum: Spectrum = {
    frequency_Hz: Float64Array.from(capacitive, (r) => r[0]!),
    z_real_ohm: Float64Array.from(capacitive, (r) => r[1]!),
    z_imag_ohm: Float64Array.from(capacitive, (r) => r[2]!),
  };
  const reference = (pattern: RegExp) => Number(pattern.exec(row?.source_test_expectations ?? '')?.[1]);

  it('has the catalogue row and 57 capacitive points', () => {
    expect(row).toBeDefined();
    expect(capacitive).toHaveLength(57);
  });

  it('matches or beats impedance.py RMSE (unweighted) from automatic initial values', () => {
    const rmseReference = reference(/; RMSE (\d\.\d+e-\d+) ohm/);
    expect(rmseReference).toBeCloseTo(5.838e-4, 7);
    const fit = fitCircuit(spectrum, 'R0-p(R1,C1)-p(R2-Wo1,C2)', { weighting: 'unit' });
    expect(fit.rmse_ohm).toBeLessThanOrEqual(rmseReference * 1.0005);
  });

  it('matches or beats impedance.py RMSE (modulus weighting) from automatic initial values', () => {
    const rmseReference = reference(/modulus weighting RMSE (\d\.\d+e-\d+)/);
    expect(rmseReference).toBeCloseTo(5.128e-4, 7);
    const fit = fitCircuit(spectrum, 'R0-p(R1,C1)-p(R2-Wo1,C2)', { weighting: 'modulus' });
    expect(fit.rmse_ohm).toBeLessThanOrEqual(rmseReference * 1.0005);
  });

  it("reproduces impedance.py's parameter values from its documented initial guess", () => {
    // Guess [.01, .01, 100, .01, .05, 100, 1] in the order R0, R1, C1, R2, Wo1_0, Wo1_1, C2.
    const fit = fitCircuit(spectrum, 'R0-p(R1,C1)-p(R2-Wo1,C2)', {
      weighting: 'unit',
      globalSearch: 'never',
      initial: { R0: 0.01, R1: 0.01, C1: 100, R2: 0.01, Wo1_0: 0.05, Wo1_1: 100, C2: 1 },
    });
    const expected: Record<string, RegExp> = {
      R0: /R0 (\d\.\d+e-?\d+)/,
      R1: /R1 (\d\.\d+e-?\d+)/,
      C1: /C1 (\d\.\d+)/,
      R2: /R2 (\d\.\d+e-?\d+)/,
      Wo1_R: /Wo1_0 (\d\.\d+e-?\d+)/,
      Wo1_tau: /Wo1_1 (\d+\.\d+)/,
      C2: /C2 (\d\.\d+)/,
    };
    for (const [name, pattern] of Object.entries(expected)) {
      const p = fit.parameters.find((q) => q.name === name)!;
      const target = reference(pattern);
      expect(Number.isFinite(target)).toBe(true);
      // Same minimum: within 0.5 % or half a standard error, whichever is larger.
      expect(Math.abs(p.value - target), name).toBeLessThan(Math.max(0.005 * target, 0.5 * (p.stderr ?? 0)));
    }
    expect(fit.rmse_ohm).toBeCloseTo(5.838e-4, 6);
  });
});

import { describe, expect, it } from 'vitest';
import { drt } from '../../app/eis/drt';
import { nnls } from '../../app/eis/drt-nnls';
import { ElyteError } from '../../app/errors';
import { parseInstrumentFile } from '../../app/formats';
import { readShared } from '../support/paths';
import { gaussian, logFrequencies, type Process, seededRandom, synthetic } from './linkk-synthetic';

/** Unconstrained least squares on a column subset by normal equations (Gauss–Jordan), for brute force. */
function leastSquaresOn(a: number[][], b: number[], subset: number[]): number[] | null {
  const p = subset.length;
  const m = subset.map((i) => [
    ...subset.map((j) => a.reduce((sum, row) => sum + row[i]! * row[j]!, 0)),
    a.reduce((sum, row, r) => sum + row[i]! * b[r]!, 0),
  ]);
  for (let c = 0; c < p; c++) {
    let pivot = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[pivot]![c]!)) pivot = r;
    if (Math.abs(m[pivot]![c]!) < 1e-12) return null;
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    for (let r = 0; r < p; r++) {
      if (r === c) continue;
      const factor = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= p; k++) m[r]![k]! -= factor * m[c]![k]!;
    }
  }
  return m.map((row, r) => row[p]! / row[r]!);
}

/** The NNLS optimum by trying every support: the feasible subset solution with the least residual. */
function bruteForceNnls(a: number[][], b: number[]): { x: number[]; rss: number } {
  const n = a[0]!.length;
  let best = { x: new Array<number>(n).fill(0), rss: b.reduce((s, v) => s + v * v, 0) };
  for (let mask = 1; mask < 1 << n; mask++) {
    const subset = Array.from({ length: n }, (_, i) => i).filter((i) => mask & (1 << i));
    const solution = leastSquaresOn(a, b, subset);
    if (!solution || solution.some((value) => value < 0)) continue;
    const x = new Array<number>(n).fill(0);
    subset.forEach((i, k) => {
      x[i] = solution[k]!;
    });
    const rss = a.reduce((s, row, r) => s + (row.reduce((t, v, j) => t + v * x[j]!, 0) - b[r]!) ** 2, 0);
    if (rss < best.rss - 1e-12) best = { x, rss };
  }
  return best;
}

describe('NNLS (Lawson–Hanson)', () => {
  it('a problem with an obvious answer: A = I keeps the positive entries of b', () => {
    const result = nnls(
      [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
      [1, -2, 3],
    );
    expect(Array.from(result.x)).toEqual([1, 0, 3]);
    expect(result.converged).toBe(true);
  });

  it('matches the brute-force optimum over every support on 40 random problems', () => {
    const random = gaussian(seededRandom(11));
    for (let trial = 0; trial < 40; trial++) {
      const rows = 6 + (trial % 5);
      const columns = 2 + (trial % 5);
      const a = Array.from({ length: rows }, () => Array.from({ length: columns }, () => random()));
      const b = Array.from({ length: rows }, () => random());
      const expected = bruteForceNnls(a, b);
      const result = nnls(a, b);
      expect(result.converged).toBe(true);
      expected.x.forEach((value, i) => {
        expect(result.x[i]!).toBeCloseTo(value, 8);
        expect(result.x[i]!).toBeGreaterThanOrEqual(0);
      });
    }
  });
});

const f = logFrequencies(1e6, 0.1, 71);
const R_INF = 100;

function checkRecovery(processes: Process[], seed: number, perPeakTolerance: number): void {
  const result = drt(synthetic(f, R_INF, processes, 0.005, seed));
  const total = processes.reduce((sum, p) => sum + p.R_ohm, 0);
  // The two largest peaks are the two processes; each lands within a quarter decade of its τ.
  const main = [...result.peaks].sort((p, q) => q.R_ohm - p.R_ohm).slice(0, 2);
  main.sort((p, q) => p.tau_s - q.tau_s);
  expect(main).toHaveLength(2);
  processes.forEach((process, i) => {
    expect(Math.abs(Math.log10(main[i]!.tau_s / process.tau_s))).toBeLessThan(0.25);
    expect(Math.abs(main[i]!.R_ohm - process.R_ohm) / process.R_ohm).toBeLessThan(perPeakTolerance);
  });
  const peakSum = result.peaks.reduce((sum, peak) => sum + peak.R_ohm, 0);
  expect(Math.abs(peakSum - total) / total).toBeLessThan(0.05);
  expect(Math.abs(result.R_pol_ohm - total) / total).toBeLessThan(0.05);
  expect(Math.abs(result.R_inf_ohm - R_INF) / R_INF).toBeLessThan(0.05);
  expect(result.rmsResidual).toBeLessThan(0.008);
  expect(result.lambdaChoice).toBe('gcv');
}

describe('DRT on generated spectra with 0.5 % noise (truth: the generating R and τ)', () => {
  const rc: Process[] = [
    { R_ohm: 1000, tau_s: 1e-5 },
    { R_ohm: 2000, tau_s: 1e-2 },
  ];
  const zarc: Process[] = [
    { R_ohm: 1000, tau_s: 1e-5, alpha: 0.85 },
    { R_ohm: 2000, tau_s: 1e-2, alpha: 0.8 },
  ];
  it.each([1, 2, 3])('two RC elements, seed %i', (seed) => checkRecovery(rc, seed, 0.1));
  it.each([1, 2, 3])('two ZARC elements, seed %i', (seed) => checkRecovery(zarc, seed, 0.12));

  it('peak frequencies are 1/(2πτ) and the grid covers the measured range', () => {
    const result = drt(synthetic(f, R_INF, rc, 0.005, 4));
    for (const peak of result.peaks) expect(peak.frequency_Hz * 2 * Math.PI * peak.tau_s).toBeCloseTo(1, 12);
    expect(result.tau_s[0]!).toBeLessThan(1 / (2 * Math.PI * 1e6));
    expect(result.tau_s[result.tau_s.length - 1]!).toBeGreaterThan(1 / (2 * Math.PI * 0.1));
    expect(result.frequency_Hz[0]! * 2 * Math.PI * result.tau_s[0]!).toBeCloseTo(1, 12);
    expect(result.gamma_ohm.every((value) => value >= 0)).toBe(true);
  });

  it('an inductive high-frequency tail is absorbed by L when asked', () => {
    const spectrum = synthetic(f, R_INF, rc, 0.002, 5);
    const L = 2e-6;
    spectrum.z_imag_ohm.forEach((_, i) => {
      spectrum.z_imag_ohm[i]! += 2 * Math.PI * f[i]! * L;
    });
    const result = drt(spectrum, { inductance: true });
    expect(Math.abs(result.L_H - L) / L).toBeLessThan(0.1);
    expect(Math.abs(result.R_pol_ohm - 3000) / 3000).toBeLessThan(0.05);
  });

  it('a user λ overrides GCV, and a larger λ smooths (lower, wider peaks)', () => {
    const spectrum = synthetic(f, R_INF, rc, 0.005, 6);
    const sharp = drt(spectrum, { lambda: 1e-4 });
    const smooth = drt(spectrum, { lambda: 10 });
    expect(sharp.lambdaChoice).toBe('user');
    expect(sharp.gcv).toBeNull();
    expect(smooth.lambda).toBe(10);
    expect(Math.max(...smooth.gamma_ohm)).toBeLessThan(Math.max(...sharp.gamma_ohm));
  });

  it('reports the GCV scan it chose from', () => {
    const result = drt(synthetic(f, R_INF, zarc, 0.005, 7));
    expect(result.gcv?.lambda.length).toBe(29);
    const best = Math.min(...(result.gcv?.score ?? []));
    expect(result.gcv?.score[result.gcv.lambda.indexOf(result.lambda)]).toBe(best);
  });
});

describe('DRT refuses bad input', () => {
  const good = synthetic(logFrequencies(1e5, 1, 21), 10, [{ R_ohm: 100, tau_s: 1e-3 }], 0);
  const invalid = (action: () => unknown, pattern: RegExp): void => {
    expect(action).toThrow(ElyteError);
    expect(action).toThrow(pattern);
  };
  it('NaN, f ≤ 0, too few points and bad options', () => {
    invalid(
      () => drt({ ...good, z_imag_ohm: good.z_imag_ohm.map((v, i) => (i ? v : Number.NaN)) }),
      /finite/,
    );
    invalid(() => drt({ ...good, frequency_Hz: good.frequency_Hz.map((v, i) => (i ? v : -1)) }), /> 0/);
    const few = {
      frequency_Hz: good.frequency_Hz.slice(0, 3),
      z_real_ohm: good.z_real_ohm.slice(0, 3),
      z_imag_ohm: good.z_imag_ohm.slice(0, 3),
    };
    invalid(() => drt(few), /at least 5/);
    invalid(() => drt(good, { lambda: -1 }), /lambda/);
    invalid(() => drt(good, { lambdaRange: [1, 0.1] }), /lambdaRange/);
    invalid(() => drt(good, { pointsPerDecade: 0 }), /pointsPerDecade/);
  });
});

describe('DRT on real spectra', () => {
  const files = [
    'zahner_ism/zahner__rc-data.ism',
    'impedance_py_csv/exampleData.csv',
    'zplot_z/exampleDataZPlot.z',
  ];
  it.each(files)('%s: finite, non-negative γ whose peaks add up to R_pol', (file) => {
    const measurement = parseInstrumentFile(readShared(file), file.split('/').pop()!);
    const { frequency_Hz, z_real_ohm, z_imag_ohm } = measurement.channels;
    if (!frequency_Hz || !z_real_ohm || !z_imag_ohm) throw new Error(`${file} has no impedance channels`);
    const result = drt({ frequency_Hz, z_real_ohm, z_imag_ohm });
    expect(result.gamma_ohm.every((value) => Number.isFinite(value) && value >= 0)).toBe(true);
    expect(Number.isFinite(result.R_inf_ohm) && Number.isFinite(result.lambda)).toBe(true);
    const peakSum = result.peaks.reduce((sum, peak) => sum + peak.R_ohm, 0);
    expect(peakSum).toBeLessThanOrEqual(result.R_pol_ohm * (1 + 1e-9));
    expect(result.peaks.length).toBeGreaterThan(0);
  });
});

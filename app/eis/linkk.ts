/**
 * Lin-KK validation (Schönleber et al., Electrochim. Acta 131 (2014) 20–27): a spectrum is Kramers–Kronig
 * compliant when a chain of M Voigt RC elements with fixed, log-spaced time constants (plus a series R and
 * L, optionally a series C) reproduces it. M grows from 1 until µ = 1 − Σ|R_k<0| / Σ|R_k≥0| falls to the
 * cutoff c, which stops over-fitting before the RC chain starts fitting noise.
 *
 * The algorithm follows impedance.py's `linKK` (validation.py at commit 0b302ca) step for step, so its
 * published results are reproduced: the same τ grid, fit types, 1/|Z| weighting, pseudo-inverse with
 * rcond 1e-15, loop condition (`while µ > c and M < maxM`) and µ over the R_k only. On top of it Elyte
 * judges the residuals: RMS level, low-frequency drift and single noisy points.
 */
import { Matrix, pseudoInverse } from 'ml-matrix';
import { ElyteError } from '../errors';
import {
  judgeLinKKResiduals,
  type LinKKVerdict,
  type ResidualJudgeOptions,
  type ResidualSet,
} from './linkk-residuals';
import { validateSpectrum } from './spectrum';
import type { Spectrum } from './types';

export type LinKKFitType = 'real' | 'imag' | 'complex';

export interface LinKKOptions extends ResidualJudgeOptions {
  /**
   * µ cutoff (default 0.85, Schönleber's heuristic; lower values such as 0.5–0.7 fit more elements).
   * null turns the automatic choice off and fits exactly `maxM` elements.
   */
  c?: number | null;
  /** Largest number of RC elements tried (default 50). */
  maxM?: number;
  /**
   * Which part of the data determines the R_k (default 'real', as impedance.py): 'real' fits Re Z then L
   * (and C) to what is left of Im Z; 'imag' fits Im Z then R0 by Boukamp's weighted mean; 'complex' fits
   * both at once (Schönleber's Eq. 14). All weight each point by 1/|Z|.
   */
  fitType?: LinKKFitType;
  /** Add a series capacitance, for spectra without a low-frequency real-axis intercept (default false). */
  addCapacitance?: boolean;
  /**
   * How M is chosen when c is set. 'mu' (default, impedance.py and Schönleber): the first M with µ ≤ c.
   * 'mu-and-residual' (Elyte): the first M with µ ≤ c whose RMS residual is also within residualLimit,
   * else the first M with µ ≤ c. µ is not monotonic in M, and on real spectra it often dips below c at
   * M = 3–5 while the fit is still poor (e.g. Zahner's rc-data.ism: µ = 0.50 at M = 5 with 16 % residuals,
   * 0.69 at M = 15 with 0.9 %), which then reads as a failed KK test.
   */
  mSelection?: 'mu' | 'mu-and-residual';
}

interface Trial {
  M: number;
  taus: Float64Array;
  elements: Float64Array;
  mu: number;
  rms: number;
}

export interface LinKKElement {
  tau_s: number;
  R_ohm: number;
}

export interface LinKKResult extends LinKKVerdict {
  /** Number of RC elements used. */
  M: number;
  /** Over-fitting measure at M (1 = no negative R_k; −∞ when every R_k is negative, with a warning). */
  mu: number;
  /** The cutoff used (null: M fixed at maxM). */
  c: number | null;
  mSelection: 'mu' | 'mu-and-residual';
  fitType: LinKKFitType;
  /** True when µ ≤ c was reached (always true when c is null). */
  muReached: boolean;
  R0_ohm: number;
  L_H: number;
  /** 1/C of the series capacitor (F⁻¹) when addCapacitance, else null; 0 means no capacitive offset. */
  inverseC_per_F: number | null;
  elements: LinKKElement[];
  /** The data as fitted: validated and sorted by decreasing frequency; every array below follows it. */
  frequency_Hz: Float64Array;
  z_fit_real_ohm: Float64Array;
  z_fit_imag_ohm: Float64Array;
  /** (Z' − Z'_fit)/|Z| per point. */
  residual_real: Float64Array;
  /** (Z'' − Z''_fit)/|Z| per point. */
  residual_imag: Float64Array;
}

/** Fewest points we validate: below this an RC chain fits anything and the test says nothing. */
export const LINKK_MIN_POINTS = 5;

interface Prepared {
  f: Float64Array;
  omega: Float64Array;
  re: Float64Array;
  im: Float64Array;
  mod: Float64Array;
}

export function linKK(spectrum: Spectrum, options: LinKKOptions = {}): LinKKResult {
  const c = options.c === undefined ? 0.85 : options.c;
  const maxM = options.maxM ?? 50;
  const fitType = options.fitType ?? 'real';
  const addCapacitance = options.addCapacitance ?? false;
  const selection = options.mSelection ?? 'mu';
  checkOptions(c, maxM, fitType, selection);
  const data = prepare(spectrum);

  const residualLimit = options.residualLimit ?? 0.01;
  const trial = (M: number): Trial => {
    const taus = timeConstants(data.f, M);
    const elements = fitLinKK(data, taus, fitType, addCapacitance);
    const set = residuals(data, evaluateElements(elements, taus, data.omega, addCapacitance));
    return { M, taus, elements, mu: calcMu(elements, M), rms: rmsOf(set) };
  };
  let chosenTrial: Trial;
  if (c === null) {
    chosenTrial = trial(maxM);
  } else {
    // impedance.py: `while mu > c and M < max_M: M += 1; fit`. The 'mu-and-residual' rule goes on past an
    // early µ ≤ c while the residuals are still above the limit (µ is not monotonic in M at small M).
    let firstMu: Trial | undefined;
    chosenTrial = trial(1);
    for (;;) {
      if (chosenTrial.mu <= c) {
        if (selection === 'mu' || chosenTrial.rms <= residualLimit) break;
        firstMu ??= chosenTrial;
      }
      if (chosenTrial.M >= maxM) break;
      chosenTrial = trial(chosenTrial.M + 1);
    }
    if (firstMu && !(chosenTrial.mu <= c && chosenTrial.rms <= residualLimit)) chosenTrial = firstMu;
  }
  const { M, taus, elements, mu } = chosenTrial;
  const fit = evaluateElements(elements, taus, data.omega, addCapacitance);
  const chosen = residuals(data, fit);
  const probe = (type: LinKKFitType): ResidualSet =>
    type === fitType
      ? chosen
      : residuals(
          data,
          evaluateElements(fitLinKK(data, taus, type, addCapacitance), taus, data.omega, addCapacitance),
        );
  const muReached = c === null || mu <= c;
  const verdict = judgeLinKKResiduals(
    { frequency_Hz: data.f, chosen, complex: probe('complex'), imagFit: probe('imag') },
    options,
  );
  if (muReached && c !== null && selection === 'mu' && M < maxM && verdict.rmsResidual > residualLimit) {
    verdict.warnings.push(
      `µ fell to c = ${c} already at M = ${M} while the residuals are ${(100 * verdict.rmsResidual).toFixed(1)} % ` +
        "RMS: µ may have stopped the search early; rerun with mSelection 'mu-and-residual' or a lower c",
    );
  }
  if (mu === Number.NEGATIVE_INFINITY) {
    verdict.warnings.unshift(
      `every RC resistance came out negative at M = ${M} (µ = −∞): this is not the response of a passive ` +
        "cell; check that Z'' is negative for capacitive behaviour and that the file holds one spectrum",
    );
  }
  if (!muReached) {
    verdict.warnings.unshift(
      `µ stayed above c = ${c} up to M = ${maxM} RC elements (µ = ${mu.toFixed(3)}); the RC chain could not ` +
        'describe the spectrum without over-fitting: check for inductive or non-stationary data, or raise maxM',
    );
  }
  return {
    M,
    mu,
    c,
    mSelection: selection,
    fitType,
    muReached,
    R0_ohm: elements[0]!,
    L_H: elements[elements.length - 1]!,
    inverseC_per_F: addCapacitance ? elements[M + 1]! : null,
    elements: Array.from(taus, (tau_s, k) => ({ tau_s, R_ohm: elements[k + 1]! })),
    frequency_Hz: data.f,
    z_fit_real_ohm: fit.re,
    z_fit_imag_ohm: fit.im,
    residual_real: chosen.real,
    residual_imag: chosen.imag,
    ...verdict,
  };
}

function checkOptions(c: number | null, maxM: number, fitType: string, selection: string): void {
  if (c !== null && !(Number.isFinite(c) && c > 0 && c < 1)) {
    throw new ElyteError('invalid-argument', `c must be in (0, 1) (got ${c}); the usual value is 0.85`, {
      where: 'c',
    });
  }
  if (selection !== 'mu' && selection !== 'mu-and-residual') {
    throw new ElyteError(
      'invalid-argument',
      `mSelection must be 'mu' or 'mu-and-residual' (got '${selection}')`,
      {
        where: 'mSelection',
      },
    );
  }
  if (!(Number.isInteger(maxM) && maxM >= 1 && maxM <= 200)) {
    throw new ElyteError('invalid-argument', `maxM must be an integer from 1 to 200 (got ${maxM})`, {
      where: 'maxM',
    });
  }
  if (fitType !== 'real' && fitType !== 'imag' && fitType !== 'complex') {
    throw new ElyteError(
      'invalid-argument',
      `fitType must be 'real', 'imag' or 'complex' (got '${fitType}')`,
      {
        where: 'fitType',
      },
    );
  }
}

function prepare(spectrum: Spectrum): Prepared {
  const data = validateSpectrum(spectrum);
  const n = data.frequency_Hz.length;
  if (n < LINKK_MIN_POINTS) {
    throw new ElyteError(
      'invalid-argument',
      `the spectrum has ${n} point(s); Lin-KK needs at least ${LINKK_MIN_POINTS}`,
    );
  }
  const mod = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    mod[i] = Math.hypot(data.z_real_ohm[i]!, data.z_imag_ohm[i]!);
    if (!(mod[i]! > 0)) {
      throw new ElyteError('invalid-argument', `point ${i + 1} has |Z| = 0; Lin-KK weights points by 1/|Z|`);
    }
  }
  return {
    f: data.frequency_Hz,
    omega: data.frequency_Hz.map((value) => 2 * Math.PI * value),
    re: data.z_real_ohm,
    im: data.z_imag_ohm,
    mod,
  };
}

/** τ_1 = 1/(2π f_max) … τ_M = 1/(2π f_min), log-spaced (M = 1: τ_max only, as impedance.py). */
export function timeConstants(frequency_Hz: Float64Array, M: number): Float64Array {
  let fMin = Number.POSITIVE_INFINITY;
  let fMax = 0;
  for (const value of frequency_Hz) {
    fMin = Math.min(fMin, value);
    fMax = Math.max(fMax, value);
  }
  const tMax = 1 / (2 * Math.PI * fMin);
  const tMin = 1 / (2 * Math.PI * fMax);
  const taus = new Float64Array(M);
  taus[0] = tMin;
  taus[M - 1] = tMax;
  for (let k = 2; k < M; k++) {
    taus[k - 1] = 10 ** (Math.log10(tMin) + ((k - 1) / (M - 1)) * Math.log10(tMax / tMin));
  }
  return taus;
}

/** µ over R_1…R_M. With no positive mass at all the chain is meaningless: µ = −∞ (stops the loop, fails). */
export function calcMu(elements: Float64Array, M: number): number {
  let negative = 0;
  let positive = 0;
  for (let k = 1; k <= M; k++) {
    const r = elements[k]!;
    if (r < 0) negative += -r;
    else positive += r;
  }
  if (positive === 0) return negative === 0 ? 1 : Number.NEGATIVE_INFINITY;
  return 1 - negative / positive;
}

/** Minimum-norm least squares as numpy.linalg.pinv: singular values below 1e-15 × the largest are dropped. */
function pinvSolve(columns: Float64Array[], rhs: Float64Array): Float64Array {
  const rows = rhs.length;
  const a = new Matrix(rows, columns.length);
  columns.forEach((column, j) => {
    for (let i = 0; i < rows; i++) a.set(i, j, column[i]!);
  });
  const inverse = pseudoInverse(a, 1e-15 / Math.max(rows, columns.length));
  const x = inverse.mmul(Matrix.columnVector(Array.from(rhs)));
  return Float64Array.from(x.getColumn(0));
}

/** Returns [R0, R_1…R_M, (1/C), L]. */
function fitLinKK(data: Prepared, taus: Float64Array, fitType: LinKKFitType, addCap: boolean): Float64Array {
  const { omega, re, im, mod } = data;
  const n = omega.length;
  const M = taus.length;
  const kRe = Array.from(taus, (tau) => omega.map((w, i) => 1 / (1 + (w * tau) ** 2) / mod[i]!));
  const kIm = Array.from(taus, (tau) => omega.map((w, i) => -(w * tau) / (1 + (w * tau) ** 2) / mod[i]!));
  const ones = mod.map((m) => 1 / m);
  const capColumn = omega.map((w, i) => -1 / (w * mod[i]!));
  const indColumn = omega.map((w, i) => w / mod[i]!);
  const reTarget = re.map((value, i) => value / mod[i]!);
  const imTarget = im.map((value, i) => value / mod[i]!);
  const elements = new Float64Array(M + (addCap ? 3 : 2));
  const last = elements.length - 1;

  if (fitType === 'real') {
    const x = pinvSolve([ones, ...kRe], reTarget);
    elements.set(x, 0);
    // L (and 1/C) from what the RC chain leaves of the imaginary part.
    const leftover = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let chain = 0;
      for (let k = 0; k < M; k++) chain += x[k + 1]! * kIm[k]![i]!;
      leftover[i] = imTarget[i]! - chain;
    }
    const coefs = pinvSolve(addCap ? [capColumn, indColumn] : [indColumn], leftover);
    if (addCap) elements[M + 1] = coefs[0]!;
    elements[last] = coefs[coefs.length - 1]!;
  } else if (fitType === 'imag') {
    const x = pinvSolve(addCap ? [...kIm, capColumn, indColumn] : [...kIm, indColumn], imTarget);
    elements.set(x, 1);
    // R0 by Boukamp's (1995) Eq. 7: the 1/|Z|²-weighted mean of what the chain leaves of the real part.
    let numerator = 0;
    let denominator = 0;
    for (let i = 0; i < n; i++) {
      let chain = 0;
      for (let k = 0; k < M; k++) chain += x[k]! * kRe[k]![i]! * mod[i]!;
      const weight = 1 / mod[i]! ** 2;
      numerator += weight * (re[i]! - chain);
      denominator += weight;
    }
    elements[0] = numerator / denominator;
  } else {
    const zeros = new Float64Array(n);
    const stack = (top: Float64Array, bottom: Float64Array): Float64Array => {
      const out = new Float64Array(2 * n);
      out.set(top, 0);
      out.set(bottom, n);
      return out;
    };
    const columns = [
      stack(ones, zeros),
      ...kRe.map((column, k) => stack(column, kIm[k]!)),
      ...(addCap ? [stack(zeros, capColumn)] : []),
      stack(zeros, indColumn),
    ];
    elements.set(pinvSolve(columns, stack(reTarget, imTarget)), 0);
  }
  return elements;
}

function rmsOf(set: ResidualSet): number {
  let sum = 0;
  for (let i = 0; i < set.real.length; i++) sum += set.real[i]! ** 2 + set.imag[i]! ** 2;
  return Math.sqrt(sum / (2 * set.real.length));
}

/** (Z − Z_fit)/|Z|, real and imaginary. */
function residuals(data: Prepared, fit: { re: Float64Array; im: Float64Array }): ResidualSet {
  const n = data.f.length;
  const real = new Float64Array(n);
  const imag = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    real[i] = (data.re[i]! - fit.re[i]!) / data.mod[i]!;
    imag[i] = (data.im[i]! - fit.im[i]!) / data.mod[i]!;
  }
  return { real, imag };
}

/** Z = R0 + Σ R_k/(1 + jωτ_k) + jωL (− j(1/C)/ω). */
function evaluateElements(
  elements: Float64Array,
  taus: Float64Array,
  omega: Float64Array,
  addCap: boolean,
): { re: Float64Array; im: Float64Array } {
  const n = omega.length;
  const M = taus.length;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const L = elements[elements.length - 1]!;
  const inverseC = addCap ? elements[M + 1]! : 0;
  for (let i = 0; i < n; i++) {
    const w = omega[i]!;
    let zr = elements[0]!;
    let zi = w * L - inverseC / w;
    for (let k = 0; k < M; k++) {
      const wt = w * taus[k]!;
      const d = 1 + wt * wt;
      zr += elements[k + 1]! / d;
      zi -= (elements[k + 1]! * wt) / d;
    }
    re[i] = zr;
    im[i] = zi;
  }
  return { re, im };
}

/**
 * Distribution of relaxation times: Z(ω) = R∞ + jωL + ∫ γ(ln τ) / (1 + jωτ) d(ln τ), with γ ≥ 0 on a log τ
 * grid, found by Tikhonov-regularised non-negative least squares on the real and imaginary parts together.
 *
 * Discretisation: γ is piecewise constant on cells of width Δ = ln 10 / pointsPerDecade in ln τ, and each
 * cell's kernel is integrated exactly (Re: ½ ln((1 + 1/x₁²)/(1 + 1/x₂²)), Im: −(atan x₂ − atan x₁), x = ωτ),
 * so a cell of height γ_k contributes exactly γ_k Δ to the DC resistance and peak areas are resistances.
 *
 * Regularisation: λ‖D γ‖² with D the finite-difference operator of order `order` (default 2, smooth peaks).
 * The problem is scaled so λ is dimensionless: rows are divided by |Z| (modulus weighting) and γ is
 * measured in units of the median |Z|. λ is chosen by generalised cross-validation (Golub, Heath & Wahba,
 * Technometrics 21 (1979) 215) in its modified form (Kim & Gu, JRSS B 66 (2004) 337):
 * GCV(λ) = m‖r‖² / (m − ρ tr H)², m = 2N rows, ρ = gcvFactor (default 2), evaluated on the unconstrained
 * Tikhonov solution (as pyDRTtools does; cheap, one Cholesky per λ) over `lambdaCount` values log-spaced in
 * `lambdaRange` (default 1e-6 … 10). The non-negative solution is then computed at the chosen λ.
 * A user-given λ overrides the scan.
 */
import { ElyteError } from '../errors';
import { cholesky, choleskySolve, type Gram, nnlsGram } from './drt-nnls';
import { type DrtPeak, findDrtPeaks } from './drt-peaks';
import { validateSpectrum } from './spectrum';
import type { Spectrum } from './types';

export type { DrtPeak } from './drt-peaks';

export interface DrtOptions {
  /** τ grid density (default 10 points per decade). */
  pointsPerDecade?: number;
  /** The τ grid reaches this many decades beyond 1/(2π f_max) … 1/(2π f_min) on each side (default 0.5). */
  extendDecades?: number;
  /** Regularisation weight; given, it overrides the GCV choice. */
  lambda?: number;
  /** GCV search interval (default [1e-6, 10]). */
  lambdaRange?: [number, number];
  /** Number of λ values tried, log-spaced (default 29, four per decade over the default range). */
  lambdaCount?: number;
  /**
   * ρ of the modified GCV, m‖r‖² / (m − ρ tr H)² (default 2; 1 is classical GCV). Classical GCV under-smooths
   * dispersed processes: on generated two-ZARC spectra (α 0.8–0.85, 0.5 % noise, 12 noise draws) ρ = 1
   * split or shifted a peak in 6 draws, ρ = 2 in none, and ideal RC pairs were recovered either way.
   */
  gcvFactor?: number;
  /** Derivative order of the penalty: 0 (ridge), 1 or 2 (default 2). */
  order?: 0 | 1 | 2;
  /** Fit a series inductance L ≥ 0 for high-frequency cable artefacts (default false). */
  inductance?: boolean;
  /** 'modulus' divides each point by |Z| (default); 'unit' fits absolute ohms. */
  weighting?: 'modulus' | 'unit';
  /**
   * Maxima below this share of the largest γ are not reported as peaks; their cells go to the neighbouring
   * peak (default 0.1: the ripples a regularised DRT puts beside a dispersed ZARC stay below it).
   */
  peakThreshold?: number;
}

export interface DrtResult {
  /** The τ grid, increasing. */
  tau_s: Float64Array;
  /** The same grid as frequencies, 1/(2πτ) (decreasing), for plots against f. */
  frequency_Hz: Float64Array;
  /** γ(ln τ) in Ω per unit ln τ; Σ γ Δ ln τ is the polarisation resistance. */
  gamma_ohm: Float64Array;
  /** Δ ln τ of the grid. */
  cellWidth: number;
  R_inf_ohm: number;
  /** Series inductance (0 unless options.inductance). */
  L_H: number;
  /** ∫ γ d ln τ: the low-frequency intercept minus R∞. */
  R_pol_ohm: number;
  peaks: DrtPeak[];
  lambda: number;
  lambdaChoice: 'gcv' | 'user';
  /** The GCV scan (null when λ was given). */
  gcv: { lambda: Float64Array; score: Float64Array } | null;
  /** The data as fitted (validated, decreasing frequency) and the model on it. */
  fit: {
    frequency_Hz: Float64Array;
    z_real_ohm: Float64Array;
    z_imag_ohm: Float64Array;
    /** (Z − Z_fit)/|Z|. */
    residual_real: Float64Array;
    residual_imag: Float64Array;
  };
  /** RMS of the relative residuals. */
  rmsResidual: number;
  order: 0 | 1 | 2;
  nnlsIterations: number;
  warnings: string[];
}

export const DRT_MIN_POINTS = 5;

/** Variables: column 0 is R∞, columns 1…K are γ_k, the last is L when fitted; all scaled by `scale`. */
interface Problem {
  rows: number;
  columns: number;
  /** Row-major (rows × columns) weighted design matrix in scaled variables. */
  a: Float64Array;
  b: Float64Array;
  ata: Float64Array;
  atb: Float64Array;
  /** DᵀD on the γ block, embedded in the full variable space. */
  penalty: Float64Array;
  /** Median |Z|, Ω: γ and R∞ are solved in these units so λ is dimensionless. */
  scale: number;
  omegaMax: number;
}

export function drt(spectrum: Spectrum, options: DrtOptions = {}): DrtResult {
  const settings = checkOptions(options);
  const data = validateSpectrum(spectrum);
  const n = data.frequency_Hz.length;
  if (n < DRT_MIN_POINTS) {
    throw new ElyteError(
      'invalid-argument',
      `the spectrum has ${n} point(s); a DRT needs at least ${DRT_MIN_POINTS}`,
    );
  }
  const f = data.frequency_Hz;
  const omega = f.map((value) => 2 * Math.PI * value);
  const mod = Float64Array.from(f, (_, i) => Math.hypot(data.z_real_ohm[i]!, data.z_imag_ohm[i]!));
  if (mod.some((value) => !(value > 0))) {
    throw new ElyteError('invalid-argument', 'a point has |Z| = 0; the DRT weights points by 1/|Z|');
  }
  const grid = tauGrid(f, settings.pointsPerDecade, settings.extendDecades);
  const problem = buildProblem(data, omega, mod, grid, settings);

  const warnings: string[] = [];
  let lambda = settings.lambda;
  let gcv: DrtResult['gcv'] = null;
  if (lambda === undefined) {
    const scan = scanGcv(problem, settings.lambdaRange, settings.lambdaCount, settings.gcvFactor);
    gcv = { lambda: scan.lambdas, score: scan.scores };
    lambda = scan.best;
    // Only the upper end is worth a warning: there the peaks may be smoothed together. At the lower end the
    // data simply ask for no smoothing (sharp, ideal-RC processes) and non-negativity alone regularises.
    if (scan.bestIndex === scan.lambdas.length - 1) {
      warnings.push(
        `GCV chose λ = ${lambda.toExponential(2)}, the largest value searched (lambdaRange ` +
          `[${settings.lambdaRange[0]}, ${settings.lambdaRange[1]}]); peaks may be over-smoothed: widen the range ` +
          'or set lambda yourself',
      );
    }
  }
  const solution = solveAt(problem, lambda);
  if (!solution.converged) warnings.push('the non-negative least-squares solver hit its iteration limit');
  const y = solution.x;
  const K = grid.tau.length;
  const gamma = Float64Array.from({ length: K }, (_, k) => y[k + 1]! * problem.scale);
  const R_inf_ohm = y[0]! * problem.scale;
  const L_H = settings.inductance ? (y[K + 1]! * problem.scale) / problem.omegaMax : 0;

  const fitRe = new Float64Array(n);
  const fitIm = new Float64Array(n);
  const residualReal = new Float64Array(n);
  const residualImag = new Float64Array(n);
  let sumSquares = 0;
  for (let i = 0; i < n; i++) {
    let re = R_inf_ohm;
    let im = omega[i]! * L_H;
    for (let k = 0; k < K; k++) {
      const [kr, ki] = cellKernel(omega[i]!, grid.tau[k]!, grid.width);
      re += gamma[k]! * kr;
      im += gamma[k]! * ki;
    }
    fitRe[i] = re;
    fitIm[i] = im;
    residualReal[i] = (data.z_real_ohm[i]! - re) / mod[i]!;
    residualImag[i] = (data.z_imag_ohm[i]! - im) / mod[i]!;
    sumSquares += residualReal[i]! ** 2 + residualImag[i]! ** 2;
  }
  const rmsResidual = Math.sqrt(sumSquares / (2 * n));
  if (rmsResidual > 0.01) {
    warnings.push(
      `the DRT reproduces the data only to ${(100 * rmsResidual).toFixed(1)} % RMS: check the spectrum with ` +
        'Lin-KK (drift, inductive or diffusion tails are outside this model)',
    );
  }
  const peaks = findDrtPeaks(grid.tau, gamma, grid.width, settings.peakThreshold);
  const edge = peaks.filter((peak) => peak.tau_s <= grid.tau[1]! || peak.tau_s >= grid.tau[K - 2]!);
  if (edge.length > 0) {
    warnings.push(
      `${edge.length} peak(s) sit at the end of the τ grid: that process lies partly outside the measured ` +
        'frequency range and its area is uncertain',
    );
  }
  let R_pol_ohm = 0;
  for (const value of gamma) R_pol_ohm += value * grid.width;
  return {
    tau_s: grid.tau,
    frequency_Hz: grid.tau.map((tau) => 1 / (2 * Math.PI * tau)),
    gamma_ohm: gamma,
    cellWidth: grid.width,
    R_inf_ohm,
    L_H,
    R_pol_ohm,
    peaks,
    lambda,
    lambdaChoice: settings.lambda === undefined ? 'gcv' : 'user',
    gcv,
    fit: {
      frequency_Hz: f,
      z_real_ohm: fitRe,
      z_imag_ohm: fitIm,
      residual_real: residualReal,
      residual_imag: residualImag,
    },
    rmsResidual,
    order: settings.order,
    nnlsIterations: solution.iterations,
    warnings,
  };
}

interface Settings {
  pointsPerDecade: number;
  extendDecades: number;
  lambda: number | undefined;
  lambdaRange: [number, number];
  lambdaCount: number;
  gcvFactor: number;
  order: 0 | 1 | 2;
  inductance: boolean;
  weighting: 'modulus' | 'unit';
  peakThreshold: number;
}

function checkOptions(options: DrtOptions): Settings {
  const bad = (where: string, message: string): never => {
    throw new ElyteError('invalid-argument', message, { where });
  };
  const settings: Settings = {
    pointsPerDecade: options.pointsPerDecade ?? 10,
    extendDecades: options.extendDecades ?? 0.5,
    lambda: options.lambda,
    lambdaRange: options.lambdaRange ?? [1e-6, 10],
    lambdaCount: options.lambdaCount ?? 29,
    gcvFactor: options.gcvFactor ?? 2,
    order: options.order ?? 2,
    inductance: options.inductance ?? false,
    weighting: options.weighting ?? 'modulus',
    peakThreshold: options.peakThreshold ?? 0.1,
  };
  const { pointsPerDecade, extendDecades, lambda, lambdaRange, lambdaCount } = settings;
  if (!(Number.isFinite(pointsPerDecade) && pointsPerDecade >= 2 && pointsPerDecade <= 40)) {
    bad('pointsPerDecade', `pointsPerDecade must be between 2 and 40 (got ${pointsPerDecade})`);
  }
  if (!(Number.isFinite(extendDecades) && extendDecades >= 0 && extendDecades <= 3)) {
    bad('extendDecades', `extendDecades must be between 0 and 3 (got ${extendDecades})`);
  }
  if (lambda !== undefined && !(Number.isFinite(lambda) && lambda > 0)) {
    bad('lambda', `lambda must be a positive number (got ${lambda})`);
  }
  if (!(lambdaRange[0] > 0 && lambdaRange[1] > lambdaRange[0] && Number.isFinite(lambdaRange[1]))) {
    bad(
      'lambdaRange',
      `lambdaRange must be [low, high] with 0 < low < high (got [${lambdaRange.join(', ')}])`,
    );
  }
  if (!(Number.isInteger(lambdaCount) && lambdaCount >= 2 && lambdaCount <= 200)) {
    bad('lambdaCount', `lambdaCount must be an integer from 2 to 200 (got ${lambdaCount})`);
  }
  if (!(Number.isFinite(settings.gcvFactor) && settings.gcvFactor >= 1 && settings.gcvFactor <= 5)) {
    bad('gcvFactor', `gcvFactor must be between 1 and 5 (got ${settings.gcvFactor})`);
  }
  if (![0, 1, 2].includes(settings.order)) bad('order', `order must be 0, 1 or 2 (got ${settings.order})`);
  if (settings.weighting !== 'modulus' && settings.weighting !== 'unit') {
    bad('weighting', `weighting must be 'modulus' or 'unit' (got '${settings.weighting}')`);
  }
  if (!(settings.peakThreshold >= 0 && settings.peakThreshold < 1)) {
    bad('peakThreshold', `peakThreshold must be in [0, 1) (got ${settings.peakThreshold})`);
  }
  return settings;
}

interface TauGrid {
  tau: Float64Array;
  /** Δ ln τ. */
  width: number;
}

function tauGrid(f: Float64Array, pointsPerDecade: number, extendDecades: number): TauGrid {
  let fMin = Number.POSITIVE_INFINITY;
  let fMax = 0;
  for (const value of f) {
    fMin = Math.min(fMin, value);
    fMax = Math.max(fMax, value);
  }
  const lo = Math.log10(1 / (2 * Math.PI * fMax)) - extendDecades;
  const hi = Math.log10(1 / (2 * Math.PI * fMin)) + extendDecades;
  const count = Math.max(2, Math.round((hi - lo) * pointsPerDecade) + 1);
  const step = (hi - lo) / (count - 1);
  return {
    tau: Float64Array.from({ length: count }, (_, k) => 10 ** (lo + k * step)),
    width: step * Math.LN10,
  };
}

/** ∫ over the cell ln τ ± Δ/2 of 1/(1 + jωτ) d ln τ, exactly (see the header). */
function cellKernel(omega: number, tau: number, width: number): [number, number] {
  const half = Math.exp(width / 2);
  const x1 = (omega * tau) / half;
  const x2 = omega * tau * half;
  const re = 0.5 * (Math.log1p(1 / (x1 * x1)) - Math.log1p(1 / (x2 * x2)));
  const im = -Math.atan((x2 - x1) / (1 + x1 * x2));
  return [re, im];
}

function buildProblem(
  data: Spectrum,
  omega: Float64Array,
  mod: Float64Array,
  grid: TauGrid,
  settings: Settings,
): Problem {
  const n = omega.length;
  const K = grid.tau.length;
  const columns = K + 1 + (settings.inductance ? 1 : 0);
  const rows = 2 * n;
  const sorted = [...mod].sort((p, q) => p - q);
  const scale = sorted[Math.floor(n / 2)]!;
  let omegaMax = 0;
  for (const w of omega) omegaMax = Math.max(omegaMax, w);
  const a = new Float64Array(rows * columns);
  const b = new Float64Array(rows);
  for (let i = 0; i < n; i++) {
    const sigma = settings.weighting === 'modulus' ? mod[i]! : scale;
    const re = i * columns;
    const im = (n + i) * columns;
    a[re] = scale / sigma;
    for (let k = 0; k < K; k++) {
      const [kr, ki] = cellKernel(omega[i]!, grid.tau[k]!, grid.width);
      a[re + k + 1] = (scale * kr) / sigma;
      a[im + k + 1] = (scale * ki) / sigma;
    }
    if (settings.inductance) a[im + K + 1] = ((omega[i]! / omegaMax) * scale) / sigma;
    b[i] = data.z_real_ohm[i]! / sigma;
    b[n + i] = data.z_imag_ohm[i]! / sigma;
  }
  const ata = new Float64Array(columns * columns);
  const atb = new Float64Array(columns);
  for (let r = 0; r < rows; r++) {
    const offset = r * columns;
    for (let i = 0; i < columns; i++) {
      const ai = a[offset + i]!;
      if (ai === 0) continue;
      atb[i]! += ai * b[r]!;
      for (let j = i; j < columns; j++) ata[i * columns + j]! += ai * a[offset + j]!;
    }
  }
  for (let i = 0; i < columns; i++) for (let j = 0; j < i; j++) ata[i * columns + j] = ata[j * columns + i]!;
  return { rows, columns, a, b, ata, atb, penalty: penaltyGram(K, columns, settings.order), scale, omegaMax };
}

/** DᵀD for the order-m difference operator on γ (columns 1…K). */
function penaltyGram(K: number, columns: number, order: 0 | 1 | 2): Float64Array {
  const stencil = order === 0 ? [1] : order === 1 ? [-1, 1] : [1, -2, 1];
  const out = new Float64Array(columns * columns);
  for (let row = 0; row + stencil.length <= K; row++) {
    for (let p = 0; p < stencil.length; p++) {
      for (let q = 0; q < stencil.length; q++) {
        const i = 1 + row + p;
        const j = 1 + row + q;
        out[i * columns + j]! += stencil[p]! * stencil[q]!;
      }
    }
  }
  return out;
}

function solveAt(problem: Problem, lambda: number): ReturnType<typeof nnlsGram> {
  const values = problem.ata.map((value, index) => value + lambda * problem.penalty[index]!);
  const gram: Gram = { n: problem.columns, values };
  return nnlsGram(gram, problem.atb);
}

function scanGcv(
  problem: Problem,
  range: [number, number],
  count: number,
  rho: number,
): { lambdas: Float64Array; scores: Float64Array; best: number; bestIndex: number } {
  const lambdas = Float64Array.from(
    { length: count },
    (_, i) => 10 ** (Math.log10(range[0]) + (i * Math.log10(range[1] / range[0])) / (count - 1)),
  );
  const scores = lambdas.map((lambda) => gcvScore(problem, lambda, rho));
  let bestIndex = 0;
  scores.forEach((score, i) => {
    if (score < scores[bestIndex]!) bestIndex = i;
  });
  return { lambdas, scores, best: lambdas[bestIndex]!, bestIndex };
}

/**
 * tr((AᵀA + λDᵀD)_PP⁻¹ (AᵀA)_PP) = |P| − λ tr(G_PP⁻¹ (DᵀD)_PP), by Cholesky; the ridge-only case needs
 * no factorisation beyond the block itself.
 */
function influenceTrace(problem: Problem, lambda: number, free: number[]): number {
  const { columns, ata, penalty } = problem;
  const p = free.length;
  if (p === 0) return 0;
  const block = new Float64Array(p * p);
  const penaltyBlock = new Float64Array(p * p);
  free.forEach((i, r) => {
    free.forEach((j, c) => {
      penaltyBlock[r * p + c] = penalty[i * columns + j]!;
      block[r * p + c] = ata[i * columns + j]! + lambda * penaltyBlock[r * p + c]!;
    });
  });
  const factor = cholesky(block, p);
  if (!factor) return p;
  let penaltyTrace = 0;
  const column = new Float64Array(p);
  for (let c = 0; c < p; c++) {
    for (let r = 0; r < p; r++) column[r] = penaltyBlock[r * p + c]!;
    penaltyTrace += choleskySolve(factor, p, column)[c]!;
  }
  return p - lambda * penaltyTrace;
}

/**
 * Modified GCV of the linear Tikhonov problem: m‖r‖² / (m − ρ tr H)², H = A(AᵀA + λDᵀD)⁻¹Aᵀ, with r the
 * residual of the unconstrained ridge solution. Infinite where the system is numerically singular.
 */
function gcvScore(problem: Problem, lambda: number, rho: number): number {
  const { rows, columns, a, b, ata, atb, penalty } = problem;
  const g = ata.map((value, index) => value + lambda * penalty[index]!);
  const factor = cholesky(g, columns);
  if (!factor) return Number.POSITIVE_INFINITY;
  const x = choleskySolve(factor, columns, atb);
  let rss = 0;
  for (let r = 0; r < rows; r++) {
    let model = 0;
    for (let j = 0; j < columns; j++) model += a[r * columns + j]! * x[j]!;
    rss += (model - b[r]!) ** 2;
  }
  const trace = influenceTrace(
    problem,
    lambda,
    Array.from({ length: columns }, (_, i) => i),
  );
  const denominator = rows - rho * trace;
  return denominator > 0 ? (rows * rss) / (denominator * denominator) : Number.POSITIVE_INFINITY;
}

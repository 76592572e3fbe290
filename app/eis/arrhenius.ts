/**
 * Temperature dependence of conductivity.
 * - Arrhenius: ln σ = ln σ0 − Ea/(k_B T) (or ln(σT) = ln σ0 − Ea/(k_B T) with `sigmaT`), a straight line in
 *   1/T fitted by least squares (weighted by 1/var(ln σ) when every point has a standard error).
 * - VTF: σ = A T^−½ exp(−B/(T − T0)), fitted by profiling T0 (the model is linear in ln A and B for fixed T0).
 * Standard errors come from the residual scatter (covariance scaled by the reduced χ²), so they also hold
 * when the stated per-point errors are too optimistic.
 */
import { ElyteError } from '../errors';
import { invertSymmetric } from './linalg';

/** Boltzmann constant, eV/K (CODATA 2018, exact). */
export const BOLTZMANN_eV_PER_K = 8.617333262e-5;
const T25C_K = 298.15;

export interface ArrheniusPoint {
  T_K: number;
  sigma_S_per_m: number;
  sigma_stderr_S_per_m?: number | null;
}

export interface ArrheniusResult {
  Ea_eV: number;
  Ea_eV_stderr: number;
  /** Intercept ln σ0 (σ0 in S/m, or S·K/m with sigmaT). */
  lnSigma0: number;
  lnSigma0_stderr: number;
  r2: number;
  /** σ at 25 °C from the line (interpolated or extrapolated: see `extrapolated`). */
  sigma25C_S_per_m: number;
  sigma25C_stderr_S_per_m: number;
  /** True when 25 °C lies outside the measured temperature range. */
  extrapolated: boolean;
  /** True when ln(σT) was fitted instead of ln σ. */
  sigmaT: boolean;
  /** True when the fit was weighted by the points' standard errors. */
  weighted: boolean;
  points: number;
}

function checkPoints(points: ArrheniusPoint[], minimum: number, what: string): void {
  if (!Array.isArray(points) || points.length < minimum) {
    throw new ElyteError(
      'invalid-argument',
      `${what} needs at least ${minimum} temperatures, got ${Array.isArray(points) ? points.length : 0}`,
    );
  }
  points.forEach((p, i) => {
    if (!(Number.isFinite(p.T_K) && p.T_K > 0)) {
      throw new ElyteError(
        'invalid-argument',
        `${what}: point ${i + 1} has temperature ${p.T_K} K (must be > 0 K)`,
      );
    }
    if (!(Number.isFinite(p.sigma_S_per_m) && p.sigma_S_per_m > 0)) {
      throw new ElyteError(
        'invalid-argument',
        `${what}: point ${i + 1} has conductivity ${p.sigma_S_per_m} S/m (must be > 0)`,
      );
    }
  });
}

/** Weighted straight line y = a + b x with covariance scaled by the reduced χ². */
function line(x: number[], y: number[], w: number[]) {
  let sw = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < x.length; i++) {
    sw += w[i]!;
    sx += w[i]! * x[i]!;
    sy += w[i]! * y[i]!;
  }
  const mx = sx / sw;
  const my = sy / sw;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxx += w[i]! * dx * dx;
    sxy += w[i]! * dx * dy;
    syy += w[i]! * dy * dy;
  }
  if (sxx <= 0)
    throw new ElyteError('analysis', 'all temperatures are equal: no Arrhenius slope can be fitted');
  const b = sxy / sxx;
  const a = my - b * mx;
  let ssr = 0;
  for (let i = 0; i < x.length; i++) ssr += w[i]! * (y[i]! - a - b * x[i]!) ** 2;
  const s2 = x.length > 2 ? ssr / (x.length - 2) : 0;
  const varB = s2 / sxx;
  const varA = s2 * (1 / sw + (mx * mx) / sxx);
  const covAB = (-mx * s2) / sxx;
  const r2 = syy > 0 ? 1 - ssr / syy : 1;
  return { a, b, varA, varB, covAB, r2 };
}

export function arrhenius(points: ArrheniusPoint[], options: { sigmaT?: boolean } = {}): ArrheniusResult {
  checkPoints(points, 2, 'Arrhenius fit');
  const sigmaT = options.sigmaT ?? false;
  const x = points.map((p) => 1 / p.T_K);
  const y = points.map((p) => Math.log(p.sigma_S_per_m * (sigmaT ? p.T_K : 1)));
  const weighted = points.every(
    (p) =>
      p.sigma_stderr_S_per_m !== null && p.sigma_stderr_S_per_m !== undefined && p.sigma_stderr_S_per_m > 0,
  );
  const w = points.map((p) => (weighted ? (p.sigma_S_per_m / p.sigma_stderr_S_per_m!) ** 2 : 1));
  const { a, b, varA, varB, covAB, r2 } = line(x, y, w);
  const x25 = 1 / T25C_K;
  const ln25 = a + b * x25;
  const sigma25 = Math.exp(ln25) / (sigmaT ? T25C_K : 1);
  const var25 = varA + x25 * x25 * varB + 2 * x25 * covAB;
  const temps = points.map((p) => p.T_K);
  return {
    Ea_eV: -b * BOLTZMANN_eV_PER_K,
    Ea_eV_stderr: Math.sqrt(varB) * BOLTZMANN_eV_PER_K,
    lnSigma0: a,
    lnSigma0_stderr: Math.sqrt(varA),
    r2,
    sigma25C_S_per_m: sigma25,
    sigma25C_stderr_S_per_m: sigma25 * Math.sqrt(Math.max(0, var25)),
    extrapolated: T25C_K < Math.min(...temps) || T25C_K > Math.max(...temps),
    sigmaT,
    weighted,
    points: points.length,
  };
}

export interface VtfResult {
  /** Pre-factor A, S·K^½/m. */
  A: number;
  A_stderr: number;
  /** Pseudo-activation B, K (B·k_B in eV below). */
  B_K: number;
  B_K_stderr: number;
  B_eV: number;
  /** Ideal glass-transition (Vogel) temperature T0, K. */
  T0_K: number;
  T0_K_stderr: number;
  r2: number;
  points: number;
}

/** ln σ + ½ ln T = ln A − B/(T − T0): linear in (ln A, B) once T0 is fixed. */
function vtfAtT0(T: number[], z: number[], t0: number) {
  const x = T.map((t) => -1 / (t - t0));
  const fit = line(
    x,
    z,
    T.map(() => 1),
  );
  let ssr = 0;
  for (let i = 0; i < T.length; i++) ssr += (z[i]! - fit.a - fit.b * x[i]!) ** 2;
  return { lnA: fit.a, B: fit.b, ssr, r2: fit.r2 };
}

export function vtf(points: ArrheniusPoint[]): VtfResult {
  checkPoints(points, 4, 'VTF fit');
  const T = points.map((p) => p.T_K);
  const z = points.map((p) => Math.log(p.sigma_S_per_m) + 0.5 * Math.log(p.T_K));
  const tMin = Math.min(...T);
  // Golden-section search of T0 on [0, Tmin − 1 K] on the profiled residual; then a grid guard for multimodality.
  let best = { t0: 0, ssr: Number.POSITIVE_INFINITY };
  const grid = 60;
  for (let k = 0; k < grid; k++) {
    const t0 = ((tMin - 1) * k) / grid;
    const { ssr, B } = vtfAtT0(T, z, t0);
    if (B > 0 && ssr < best.ssr) best = { t0, ssr };
  }
  let lo = Math.max(0, best.t0 - (tMin - 1) / grid);
  let hi = Math.min(tMin - 1, best.t0 + (tMin - 1) / grid);
  const g = (Math.sqrt(5) - 1) / 2;
  for (let it = 0; it < 80; it++) {
    const c = hi - g * (hi - lo);
    const d = lo + g * (hi - lo);
    if (vtfAtT0(T, z, c).ssr < vtfAtT0(T, z, d).ssr) hi = d;
    else lo = c;
  }
  const t0 = (lo + hi) / 2;
  const { lnA, B, ssr, r2 } = vtfAtT0(T, z, t0);
  if (!(B > 0))
    throw new ElyteError(
      'analysis',
      'VTF fit found no positive pseudo-activation B: the data do not curve like VTF',
    );
  // Covariance of (ln A, B, T0) from the Jacobian of the residual at the optimum.
  const jtj = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  for (const t of T) {
    const row = [1, -1 / (t - t0), -B / (t - t0) ** 2];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) jtj[i]![j]! += row[i]! * row[j]!;
  }
  const s2 = T.length > 3 ? ssr / (T.length - 3) : 0;
  const cov = invertSymmetric(jtj);
  const se = (i: number) => (cov ? Math.sqrt(Math.max(0, cov[i]![i]! * s2)) : Number.NaN);
  const A = Math.exp(lnA);
  return {
    A,
    A_stderr: A * se(0),
    B_K: B,
    B_K_stderr: se(1),
    B_eV: B * BOLTZMANN_eV_PER_K,
    T0_K: t0,
    T0_K_stderr: se(2),
    r2,
    points: points.length,
  };
}

export type TemperatureDirection = 'heating' | 'cooling' | 'isothermal';

/**
 * Splits a series (in measurement order) into monotonic runs so heating and cooling are analysed apart.
 * Steps smaller than `toleranceK` (default 0.5 K) do not change direction.
 */
export function splitByDirection<P extends { T_K: number }>(
  series: P[],
  toleranceK = 0.5,
): { direction: TemperatureDirection; points: P[]; indices: number[] }[] {
  const runs: { direction: TemperatureDirection; points: P[]; indices: number[] }[] = [];
  let current: { direction: TemperatureDirection; points: P[]; indices: number[] } | null = null;
  series.forEach((point, i) => {
    if (!current) {
      current = { direction: 'isothermal', points: [point], indices: [i] };
      runs.push(current);
      return;
    }
    const last = current.points[current.points.length - 1]!;
    const step = point.T_K - last.T_K;
    const direction: TemperatureDirection =
      Math.abs(step) <= toleranceK ? current.direction : step > 0 ? 'heating' : 'cooling';
    if (current.direction === 'isothermal' || direction === current.direction) {
      current.direction = direction;
      current.points.push(point);
      current.indices.push(i);
    } else {
      // The turning point belongs to both runs: it ends one sweep and starts the next.
      current = { direction, points: [last, point], indices: [i - 1, i] };
      runs.push(current);
    }
  });
  return runs;
}

/**
 * Peaks of a distribution of relaxation times: each peak is one process; its area ∫γ d(ln τ) is that
 * process's resistance, its position τ gives the characteristic frequency 1/(2πτ).
 */

export interface DrtPeak {
  /** Peak position (parabolic interpolation in ln τ around the maximum). */
  tau_s: number;
  /** 1/(2π τ). */
  frequency_Hz: number;
  /** γ at the maximum, Ω (per unit ln τ). */
  gamma_ohm: number;
  /** Area under the peak, Ω: the resistance of the process. */
  R_ohm: number;
  /** Share of the total polarisation resistance Σγ Δln τ. */
  fraction: number;
  /** τ span assigned to the peak (split at the minima between neighbours). */
  tauRange_s: [number, number];
}

/**
 * Local maxima above `threshold` × max γ, each owning the cells down to the neighbouring minima.
 * `cellWidth` is Δ ln τ, so a cell contributes γ_k Δ to the area.
 */
export function findDrtPeaks(
  tau_s: Float64Array,
  gamma: Float64Array,
  cellWidth: number,
  threshold: number,
): DrtPeak[] {
  const n = gamma.length;
  let max = 0;
  let total = 0;
  for (const value of gamma) {
    max = Math.max(max, value);
    total += value * cellWidth;
  }
  if (!(max > 0)) return [];
  const maxima: number[] = [];
  for (let k = 0; k < n; k++) {
    const here = gamma[k]!;
    const left = k > 0 ? gamma[k - 1]! : Number.NEGATIVE_INFINITY;
    // First cell of a plateau counts once: strictly above the left neighbour, not below the right one.
    let right = k + 1;
    while (right < n && gamma[right] === here) right++;
    const next = right < n ? gamma[right]! : Number.NEGATIVE_INFINITY;
    if (here > left && here > next && here >= threshold * max) maxima.push(k);
  }
  // Boundaries: the lowest cell between consecutive maxima (assigned to the left peak).
  const bounds: Array<[number, number]> = maxima.map((peak, p) => {
    const start = p === 0 ? 0 : valley(gamma, maxima[p - 1]!, peak) + 1;
    const end = p === maxima.length - 1 ? n - 1 : valley(gamma, peak, maxima[p + 1]!);
    return [start, end];
  });
  return maxima.map((peak, p) => {
    const [start, end] = bounds[p]!;
    let area = 0;
    for (let k = start; k <= end; k++) area += gamma[k]! * cellWidth;
    const lnTau = Math.log(tau_s[peak]!) + parabolicOffset(gamma, peak) * cellWidth;
    const tau = Math.exp(lnTau);
    return {
      tau_s: tau,
      frequency_Hz: 1 / (2 * Math.PI * tau),
      gamma_ohm: gamma[peak]!,
      R_ohm: area,
      fraction: total > 0 ? area / total : 0,
      tauRange_s: [tau_s[start]!, tau_s[end]!],
    };
  });
}

function valley(gamma: Float64Array, from: number, to: number): number {
  let low = from;
  for (let k = from; k <= to; k++) if (gamma[k]! < gamma[low]!) low = k;
  return low;
}

/** Vertex of the parabola through k−1, k, k+1, in cells (0 at the edges or on a flat top). */
function parabolicOffset(gamma: Float64Array, k: number): number {
  if (k === 0 || k === gamma.length - 1) return 0;
  const a = gamma[k - 1]!;
  const b = gamma[k]!;
  const c = gamma[k + 1]!;
  const curvature = a - 2 * b + c;
  if (!(curvature < 0)) return 0;
  return Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / curvature));
}

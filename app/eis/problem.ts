/**
 * The CNLS problem in the fitter's coordinates: free parameters mapped to unbounded x
 * (positive: x = ln p; bounded: a logit of the position between the bounds, on a log scale for positive
 * parameters), stacked residuals r = [(Z' − Z'_data)/σ', (Z'' − Z''_data)/σ''] and their analytic Jacobian.
 */
import type { CompiledCircuit } from './circuit';
import type { Spectrum, Weighting } from './types';

/** x beyond this is saturated: ln p = ±700 is already outside double range, logit ±40 is 1 − 4e-18. */
const X_LIMIT_LOG = 700;
const X_LIMIT_LOGIT = 40;

export interface Transform {
  /** 'log': p = exp(x); 'logit': p = lo + (hi − lo)·s(x); 'loglogit': ln p = ln lo + (ln hi − ln lo)·s(x). */
  kind: 'log' | 'logit' | 'loglogit';
  lo: number;
  hi: number;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

export function toX(t: Transform, p: number): number {
  if (t.kind === 'log') return Math.log(p);
  const u =
    t.kind === 'logit'
      ? (p - t.lo) / (t.hi - t.lo)
      : (Math.log(p) - Math.log(t.lo)) / (Math.log(t.hi) - Math.log(t.lo));
  const clipped = Math.min(1 - 1e-9, Math.max(1e-9, u));
  return Math.log(clipped / (1 - clipped));
}

export function fromX(t: Transform, x: number): { p: number; dpdx: number } {
  if (t.kind === 'log') {
    const p = Math.exp(x);
    return { p, dpdx: p };
  }
  const s = sigmoid(x);
  if (t.kind === 'logit') return { p: t.lo + (t.hi - t.lo) * s, dpdx: (t.hi - t.lo) * s * (1 - s) };
  const span = Math.log(t.hi) - Math.log(t.lo);
  const p = Math.exp(Math.log(t.lo) + span * s);
  return { p, dpdx: p * span * s * (1 - s) };
}

export function xLimit(t: Transform): number {
  return t.kind === 'log' ? X_LIMIT_LOG : X_LIMIT_LOGIT;
}

export class Problem {
  readonly n: number;
  readonly omega: Float64Array;
  readonly sigmaRe: Float64Array;
  readonly sigmaIm: Float64Array;
  /** Indices of the free parameters in the circuit's parameter vector. */
  readonly free: number[];
  readonly full: Float64Array;
  readonly dpdx: Float64Array;
  private readonly dRe: Float64Array;
  private readonly dIm: Float64Array;
  /** Model impedance at the last evaluation. */
  readonly modelRe: Float64Array;
  readonly modelIm: Float64Array;
  evaluations = 0;

  constructor(
    readonly circuit: CompiledCircuit,
    readonly data: Spectrum,
    weighting: Weighting,
    readonly transforms: Transform[],
    /** Full parameter vector holding the fixed values (free entries are overwritten). */
    base: Float64Array,
    fixedMask: boolean[],
  ) {
    this.n = data.frequency_Hz.length;
    this.omega = Float64Array.from(data.frequency_Hz, (f) => 2 * Math.PI * f);
    this.sigmaRe = new Float64Array(this.n);
    this.sigmaIm = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++) {
      const re = data.z_real_ohm[i]!;
      const im = data.z_imag_ohm[i]!;
      const mod = Math.hypot(re, im) || 1;
      if (weighting === 'unit') {
        this.sigmaRe[i] = 1;
        this.sigmaIm[i] = 1;
      } else if (weighting === 'modulus') {
        this.sigmaRe[i] = mod;
        this.sigmaIm[i] = mod;
      } else {
        // Floors keep a component that crosses zero from getting an infinite weight.
        this.sigmaRe[i] = Math.max(Math.abs(re), 0.01 * mod);
        this.sigmaIm[i] = Math.max(Math.abs(im), 0.01 * mod);
      }
    }
    this.free = fixedMask.flatMap((fixed, i) => (fixed ? [] : [i]));
    this.full = Float64Array.from(base);
    this.dpdx = new Float64Array(base.length);
    this.dRe = new Float64Array(base.length);
    this.dIm = new Float64Array(base.length);
    this.modelRe = new Float64Array(this.n);
    this.modelIm = new Float64Array(this.n);
  }

  get size(): number {
    return this.free.length;
  }

  setX(x: ArrayLike<number>): void {
    for (let k = 0; k < this.free.length; k++) {
      const i = this.free[k]!;
      const t = this.transforms[i]!;
      const limit = xLimit(t);
      const { p, dpdx } = fromX(t, Math.min(limit, Math.max(-limit, x[k]!)));
      this.full[i] = p;
      this.dpdx[i] = dpdx;
    }
  }

  xOf(full: ArrayLike<number>): Float64Array {
    return Float64Array.from(this.free, (i) => toX(this.transforms[i]!, full[i]!));
  }

  /**
   * Residuals into `r` (length 2n) and, when `jac` is given, dr/dx into jac[row][k] (row-major, 2n × size).
   * Returns χ² = Σ r².
   */
  evaluate(x: ArrayLike<number>, r: Float64Array, jac?: Float64Array): number {
    this.evaluations++;
    this.setX(x);
    const m = this.free.length;
    let chi2 = 0;
    for (let i = 0; i < this.n; i++) {
      const z = this.circuit.evaluate(this.full, this.omega[i]!, this.dRe, this.dIm);
      this.modelRe[i] = z[0];
      this.modelIm[i] = z[1];
      const sr = this.sigmaRe[i]!;
      const si = this.sigmaIm[i]!;
      let a = (z[0] - this.data.z_real_ohm[i]!) / sr;
      let b = (z[1] - this.data.z_imag_ohm[i]!) / si;
      // A parameter vector that overflows the model is a very bad point, not a crash (NaN would also
      // break the solver's symmetry check): a large residual and a flat Jacobian row.
      const finite = Number.isFinite(a) && Number.isFinite(b);
      if (!finite) {
        a = 1e10;
        b = 1e10;
      }
      r[i] = a;
      r[this.n + i] = b;
      chi2 += a * a + b * b;
      const rowRe = i * m;
      const rowIm = (this.n + i) * m;
      if (jac) {
        let ok = finite;
        for (let k = 0; k < m && ok; k++) {
          const j = this.free[k]!;
          ok = Number.isFinite(this.dRe[j]! * this.dpdx[j]!) && Number.isFinite(this.dIm[j]! * this.dpdx[j]!);
        }
        if (!ok) {
          jac.fill(0, rowRe, rowRe + m);
          jac.fill(0, rowIm, rowIm + m);
          continue;
        }
        for (let k = 0; k < m; k++) {
          const j = this.free[k]!;
          jac[rowRe + k] = (this.dRe[j]! * this.dpdx[j]!) / sr;
          jac[rowIm + k] = (this.dIm[j]! * this.dpdx[j]!) / si;
        }
      }
    }
    return Number.isFinite(chi2) ? chi2 : Number.POSITIVE_INFINITY;
  }
}

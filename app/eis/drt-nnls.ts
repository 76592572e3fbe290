/**
 * Non-negative least squares, Lawson–Hanson active-set method (Lawson & Hanson, "Solving Least Squares
 * Problems", 1974, ch. 23), in the normal-equation form of Bro & De Jong (J. Chemometrics 11 (1997) 393):
 * minimise ½xᵀGx − hᵀx subject to x ≥ 0, with G = AᵀA (+ λLᵀL) and h = Aᵀb. Working on G keeps each
 * step at O(p³) in the number p of free variables, whatever the number of data rows, which is what makes
 * a λ scan for the DRT cheap.
 */
import { Matrix, solve } from 'ml-matrix';

export interface NnlsOptions {
  /** Outer-loop budget (default 3 × number of variables). */
  maxIterations?: number;
  /** Gradient tolerance for optimality (default 1e-10 × max |h|). */
  tolerance?: number;
}

export interface NnlsResult {
  x: Float64Array;
  /** Outer iterations (variables freed). */
  iterations: number;
  /** False when the iteration budget ran out before the optimality conditions held. */
  converged: boolean;
  /** Indices of the variables that are > 0 at the solution. */
  passive: number[];
}

/** A dense symmetric matrix stored row-major in a Float64Array of n × n. */
export interface Gram {
  n: number;
  values: Float64Array;
}

/** Solves min ‖Ax − b‖² with x ≥ 0 for a dense A (rows of arrays). */
export function nnls(
  a: readonly ArrayLike<number>[],
  b: ArrayLike<number>,
  options: NnlsOptions = {},
): NnlsResult {
  const rows = a.length;
  const n = rows === 0 ? 0 : a[0]!.length;
  const values = new Float64Array(n * n);
  const h = new Float64Array(n);
  for (let r = 0; r < rows; r++) {
    const row = a[r]!;
    for (let i = 0; i < n; i++) {
      const ai = row[i]!;
      if (ai === 0) continue;
      h[i]! += ai * b[r]!;
      for (let j = 0; j < n; j++) values[i * n + j]! += ai * row[j]!;
    }
  }
  return nnlsGram({ n, values }, h, options);
}

/** min ½xᵀGx − hᵀx, x ≥ 0 (G symmetric positive semi-definite). */
export function nnlsGram(gram: Gram, h: Float64Array, options: NnlsOptions = {}): NnlsResult {
  const { n, values: g } = gram;
  const maxIterations = options.maxIterations ?? 3 * n;
  let hMax = 0;
  for (const value of h) hMax = Math.max(hMax, Math.abs(value));
  const tolerance = options.tolerance ?? 1e-10 * Math.max(hMax, Number.MIN_VALUE);
  const x = new Float64Array(n);
  const inPassive = new Uint8Array(n);
  const gradient = (): Float64Array => {
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = h[i]!;
      for (let j = 0; j < n; j++) if (x[j] !== 0) s -= g[i * n + j]! * x[j]!;
      w[i] = s;
    }
    return w;
  };
  let iterations = 0;
  let converged = false;
  // A variable whose first passive solve is already ≤ 0 (round-off on a degenerate problem) would be freed
  // and dropped forever; it is blocked until another variable enters the passive set.
  const blocked = new Uint8Array(n);
  while (iterations < maxIterations) {
    const w = gradient();
    let best = -1;
    let bestValue = tolerance;
    for (let i = 0; i < n; i++) {
      if (!inPassive[i] && !blocked[i] && w[i]! > bestValue) {
        best = i;
        bestValue = w[i]!;
      }
    }
    if (best < 0) {
      converged = true;
      break;
    }
    iterations++;
    inPassive[best] = 1;
    const first = indicesOf(inPassive);
    const firstStep = solvePassive(g, n, h, first);
    if (!(firstStep[first.indexOf(best)]! > 0)) {
      inPassive[best] = 0;
      blocked[best] = 1;
      continue;
    }
    blocked.fill(0);
    // Inner loop: step towards the unconstrained solution on the passive set, stopping at the first
    // variable that would turn negative, until the passive-set solution is feasible.
    let passive = first;
    let step = firstStep;
    for (let inner = 0; inner <= n; inner++) {
      if (step.every((value) => value > 0)) {
        passive.forEach((i, k) => {
          x[i] = step[k]!;
        });
        break;
      }
      let alpha = 1;
      let limiting = -1;
      passive.forEach((i, k) => {
        if (step[k]! > 0) return;
        const candidate = x[i]! / (x[i]! - step[k]!);
        if (candidate < alpha || limiting < 0) {
          alpha = Math.min(alpha, candidate);
          limiting = i;
        }
      });
      passive.forEach((i, k) => {
        x[i] = x[i]! + alpha * (step[k]! - x[i]!);
        if (i === limiting || x[i]! <= 0) {
          x[i] = 0;
          inPassive[i] = 0;
        }
      });
      passive = indicesOf(inPassive);
      if (passive.length === 0) break;
      step = solvePassive(g, n, h, passive);
    }
  }
  return { x, iterations, converged, passive: indicesOf(inPassive) };
}

function indicesOf(mask: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i]) out.push(i);
  return out;
}

/** G_PP s = h_P by Cholesky; an ill-conditioned block falls back to ml-matrix's SVD solve. */
function solvePassive(g: Float64Array, n: number, h: Float64Array, passive: number[]): Float64Array {
  const p = passive.length;
  const block = new Float64Array(p * p);
  for (let i = 0; i < p; i++)
    for (let j = 0; j < p; j++) block[i * p + j] = g[passive[i]! * n + passive[j]!]!;
  const rhs = Float64Array.from(passive, (i) => h[i]!);
  const factor = cholesky(block, p);
  if (factor) return choleskySolve(factor, p, rhs);
  const matrix = new Matrix(p, p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) matrix.set(i, j, block[i * p + j]!);
  return Float64Array.from(solve(matrix, Matrix.columnVector(Array.from(rhs)), true).getColumn(0));
}

/** Lower-triangular L with LLᵀ = M (p × p, row-major), or null when M is not numerically positive definite. */
export function cholesky(m: Float64Array, p: number): Float64Array | null {
  const l = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = m[i * p + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * p + k]! * l[j * p + k]!;
      if (i === j) {
        if (!(sum > 1e-13 * Math.abs(m[i * p + i]!))) return null;
        l[i * p + i] = Math.sqrt(sum);
      } else {
        l[i * p + j] = sum / l[j * p + j]!;
      }
    }
  }
  return l;
}

/** Solves LLᵀ s = rhs. */
export function choleskySolve(l: Float64Array, p: number, rhs: Float64Array): Float64Array {
  const y = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let sum = rhs[i]!;
    for (let k = 0; k < i; k++) sum -= l[i * p + k]! * y[k]!;
    y[i] = sum / l[i * p + i]!;
  }
  const s = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let k = i + 1; k < p; k++) sum -= l[k * p + i]! * s[k]!;
    s[i] = sum / l[i * p + i]!;
  }
  return s;
}

/**
 * Levenberg–Marquardt on ml-levenberg-marquardt, used with its traps avoided:
 * - `weights` stays at 1: the residuals handed to it are already divided by σ (see Problem);
 * - its damping is λ·I, so it works on x = transformed (log/logit) parameters of comparable scale;
 * - it gets the analytic Jacobian (`jacobianFunction`), never its absolute 0.1 finite-difference step;
 * - its min/max values are clamps, so they only guard x against overflow; real bounds live in the transform.
 * Its only stopping rule is an absolute error tolerance, and it keeps stepping from a rejected point (one
 * overshoot can send it far from the start for the rest of the run), so it is run in short chunks restarted
 * from the best point, its clamps drawing a trust box around each chunk's start, and convergence is judged
 * here on the relative decrease of χ² over a chunk.
 */
import { levenbergMarquardt } from 'ml-levenberg-marquardt';
import { type Problem, xLimit } from './problem';

export interface MinimizeResult {
  x: Float64Array;
  chi2: number;
  iterations: number;
  converged: boolean;
}

const CHUNK = 5;
/** Half-width of the box the clamps draw around each chunk's start (x units: 2.5 ≈ a factor 12 in p). */
const TRUST_BOX = 2.5;
/**
 * Converged when a whole chunk lowers χ² by less than 0.1 % of one reduced-χ² unit (χ²/dof): far below
 * anything that changes a parameter beyond its standard error, and it stops parameters that creep towards
 * 0 in log space (a series R smaller than the noise) from burning the whole budget.
 */
const STATISTICAL_TOLERANCE = 1e-3;

export function minimize(problem: Problem, x0: Float64Array, maxIterations: number): MinimizeResult {
  const m = problem.size;
  const rows = 2 * problem.n;
  const residuals = new Float64Array(rows);
  const jacobian = new Float64Array(rows * m);
  const partials = Array.from({ length: rows }, () => new Array<number>(m).fill(0));
  const indices = Array.from({ length: rows }, (_, i) => i);
  const targets = new Array<number>(rows).fill(0);
  // The library mutates its parameter array in place, so the cache compares values, not identity.
  const cachedFor = new Float64Array(m).fill(Number.NaN);

  // One evaluation gives residuals and Jacobian; the library asks for both at the same point in turn.
  const refresh = (params: number[]) => {
    let same = true;
    for (let k = 0; k < m; k++) same &&= cachedFor[k] === params[k];
    if (same) return;
    problem.evaluate(params, residuals, jacobian);
    for (let i = 0; i < rows; i++) {
      const row = partials[i]!;
      for (let k = 0; k < m; k++) row[k] = jacobian[i * m + k]!;
    }
    cachedFor.set(params);
  };
  const limits = problem.free.map((i) => xLimit(problem.transforms[i]!));

  const dof = Math.max(rows - m, 1);
  let x = Float64Array.from(x0);
  let chi2 = problem.evaluate(x, residuals);
  if (m === 0) return { x, chi2, iterations: 0, converged: true };
  let iterations = 0;
  let converged = false;
  let damping = 0.1;
  while (iterations < maxIterations) {
    const budget = Math.min(CHUNK, maxIterations - iterations);
    let result: ReturnType<typeof levenbergMarquardt>;
    try {
      result = levenbergMarquardt(
        { x: indices, y: targets },
        (params) => {
          refresh(params);
          return (i) => residuals[i]!;
        },
        {
          initialValues: Array.from(x),
          maxIterations: budget,
          errorTolerance: 0,
          damping,
          minValues: limits.map((l, k) => Math.max(-l, x[k]! - TRUST_BOX)),
          maxValues: limits.map((l, k) => Math.min(l, x[k]! + TRUST_BOX)),
          jacobianFunction: (params) => {
            refresh(params);
            return (i) => partials[i]!;
          },
        },
      );
    } catch {
      // The library's Cholesky refuses a non-symmetric (non-finite) normal matrix: keep the best point.
      break;
    }
    iterations += result.iterations;
    const next = result.parameterError;
    if (Number.isFinite(next) && next < chi2) {
      const gain = chi2 - next;
      x = Float64Array.from(result.parameterValues);
      chi2 = next;
      if (gain < (STATISTICAL_TOLERANCE * chi2) / dof || gain < 1e-12 * chi2) {
        converged = true;
        break;
      }
      damping = Math.max(damping / 10, 1e-6);
    } else {
      // The chunk wandered off without beating its start: restart there with a stiffer damping; when even a
      // very stiff (gradient-descent-sized) step finds nothing better, the start is a minimum.
      if (damping >= 1e4) {
        converged = true;
        break;
      }
      damping *= 100;
    }
    if (chi2 === 0) {
      converged = true;
      break;
    }
  }
  problem.evaluate(x, residuals);
  return { x, chi2, iterations, converged };
}

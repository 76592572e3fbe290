/**
 * Complex non-linear least squares (CNLS) fit of an equivalent circuit to a spectrum.
 *
 * Stages: automatic starting values (./initial) → LM (./lm) → when the result is poor (relative residual
 * RMS > 2 %, a parameter pinned at a bound, or not converged), the other arc orderings and a data-scaled
 * start, then a deterministic Latin-hypercube multi-start over the transformed parameters (±3 decades
 * around the start), each start run briefly and the best three polished. Typed initial values replace the
 * automatic ones; fixed values are held.
 *
 * Statistics at the optimum: cov = (JᵀJ)⁻¹·s², s² = χ²/(2N − P) (J of the σ-weighted residuals, so the
 * errors also hold when σ is only relative), mapped from x to p by dp/dx. AIC = n ln(χ²/n) + 2P and
 * BIC = n ln(χ²/n) + P ln n with n = 2N residuals.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { ElyteError } from '../errors';
import { type CompiledCircuit, compileCircuit } from './circuit';
import { initialGuesses, scaledStart } from './initial';
import { invertSymmetric } from './linalg';
import { minimize } from './lm';
import { Problem, type Transform, xLimit } from './problem';
import { validateSpectrum } from './spectrum';
import { seededRandom } from './synthetic';
import { type FitOptions, type FitResult, type Spectrum, WEIGHTINGS, type Weighting } from './types';

const POOR_RELATIVE_RMS = 0.02;
const DEFAULT_MAX_ITERATIONS = 200;
const SHORT_RUN = 12;
/** |logit| above this is within 6e-6 of a bound. */
const PINNED_LOGIT = 12;

interface Candidate {
  x: Float64Array;
  chi2: number;
  iterations: number;
  converged: boolean;
}

function checkRecord(name: string, record: unknown, circuit: CompiledCircuit): Record<string, number> {
  if (record === undefined) return {};
  if (typeof record !== 'object' || record === null) {
    throw new ElyteError('invalid-argument', `option ${name} must be an object of parameter name → number`);
  }
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(record)) {
    const index = circuit.indexOf(key);
    if (index < 0) {
      throw new ElyteError(
        'invalid-argument',
        `option ${name}: "${key}" is not a parameter of ${circuit.text} (parameters: ${circuit.parameters.map((p) => p.name).join(', ')})`,
      );
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ElyteError(
        'invalid-argument',
        `option ${name}.${key} must be a finite number, got ${String(value)}`,
      );
    }
    out[circuit.parameters[index]!.name] = value;
  }
  return out;
}

function transformsFor(circuit: CompiledCircuit, bounds: Record<string, [number, number]>): Transform[] {
  return circuit.parameters.map((param) => {
    const user = bounds[param.name];
    if (user) {
      const [lo, hi] = user;
      if (!(Number.isFinite(lo) && Number.isFinite(hi) && hi > lo)) {
        throw new ElyteError('invalid-argument', `bounds.${param.name} [${lo}, ${hi}] is not an interval`);
      }
      if (param.kind === 'fraction') return { kind: 'logit', lo, hi };
      if (hi <= 0)
        throw new ElyteError('invalid-argument', `bounds.${param.name}: ${param.name} is positive`);
      return { kind: 'loglogit', lo: Math.max(lo, hi * 1e-30), hi };
    }
    return param.kind === 'fraction' ? { kind: 'logit', lo: 0, hi: 1 } : { kind: 'log', lo: 0, hi: Infinity };
  });
}

/** Relative (modulus-weighted) residual RMS, whatever the fit's weighting: the "is this fit poor" yardstick. */
function relativeRms(problem: Problem): number {
  let sum = 0;
  for (let i = 0; i < problem.n; i++) {
    const re = problem.data.z_real_ohm[i]!;
    const im = problem.data.z_imag_ohm[i]!;
    const mod2 = re * re + im * im || 1;
    sum += ((problem.modelRe[i]! - re) ** 2 + (problem.modelIm[i]! - im) ** 2) / mod2;
  }
  return Math.sqrt(sum / (2 * problem.n));
}

/** Latin-hypercube starts around `center` (x space): ±3 decades for log parameters, the whole logit range else. */
function latinHypercube(problem: Problem, center: Float64Array, count: number, seed: number): Float64Array[] {
  const random = seededRandom(seed);
  const m = problem.size;
  const columns = problem.free.map((i, k) => {
    const t = problem.transforms[i]!;
    const [lo, hi] = t.kind === 'log' ? [center[k]! - 3 * Math.LN10, center[k]! + 3 * Math.LN10] : [-3, 4];
    const strata = Array.from({ length: count }, (_, s) => lo + ((hi - lo) * (s + random())) / count);
    for (let s = count - 1; s > 0; s--) {
      const j = Math.floor(random() * (s + 1));
      [strata[s], strata[j]] = [strata[j]!, strata[s]!];
    }
    return strata;
  });
  return Array.from({ length: count }, (_, s) => Float64Array.from({ length: m }, (_, k) => columns[k]![s]!));
}

export function fitCircuit(spectrum: Spectrum, circuit: string, options: FitOptions = {}): FitResult {
  const compiled = compileCircuit(circuit);
  const weighting: Weighting = options.weighting ?? 'modulus';
  if (!WEIGHTINGS.includes(weighting)) {
    throw new ElyteError(
      'invalid-argument',
      `weighting "${weighting}" is not one of ${WEIGHTINGS.join(', ')}`,
    );
  }
  const globalSearch = options.globalSearch ?? 'auto';
  if (!['auto', 'always', 'never'].includes(globalSearch)) {
    throw new ElyteError('invalid-argument', `globalSearch "${globalSearch}" is not auto, always or never`);
  }
  const maxIterations = options.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  if (!(Number.isInteger(maxIterations) && maxIterations > 0)) {
    throw new ElyteError(
      'invalid-argument',
      `maxIterations must be a positive integer, got ${maxIterations}`,
    );
  }
  const initial = checkRecord('initial', options.initial, compiled);
  const fixed = checkRecord('fixed', options.fixed, compiled);
  const bounds: Record<string, [number, number]> = {};
  if (options.bounds !== undefined) {
    for (const [key, value] of Object.entries(options.bounds)) {
      const index = compiled.indexOf(key);
      if (index < 0)
        throw new ElyteError(
          'invalid-argument',
          `option bounds: "${key}" is not a parameter of ${compiled.text}`,
        );
      if (!Array.isArray(value) || value.length !== 2) {
        throw new ElyteError('invalid-argument', `option bounds.${key} must be [lower, upper]`);
      }
      bounds[compiled.parameters[index]!.name] = value;
    }
  }
  for (const [name, value] of [...Object.entries(initial), ...Object.entries(fixed)]) {
    const param = compiled.parameters[compiled.indexOf(name)]!;
    if (value <= 0 || (param.kind === 'fraction' && value > 1)) {
      throw new ElyteError(
        'invalid-argument',
        `${name} = ${value} is outside its domain (${param.kind === 'fraction' ? '0 < value ≤ 1' : 'value > 0'})`,
      );
    }
  }

  const data = validateSpectrum(spectrum, options.frequencyRange_Hz);
  const fixedMask = compiled.parameters.map((p) => p.name in fixed);
  const freeCount = fixedMask.filter((f) => !f).length;
  if (data.frequency_Hz.length < freeCount + 1) {
    throw new ElyteError(
      'invalid-argument',
      `${data.frequency_Hz.length} points cannot determine ${freeCount} free parameters of ${compiled.text}: ` +
        `at least ${freeCount + 1} are needed (widen the frequency range or fix some parameters)`,
    );
  }

  const transforms = transformsFor(compiled, bounds);
  const guesses = initialGuesses(data, compiled).map((guess) => {
    const start = Float64Array.from(guess);
    compiled.parameters.forEach((param, i) => {
      if (param.name in initial) start[i] = initial[param.name]!;
      if (param.name in fixed) start[i] = fixed[param.name]!;
      // A start on a bound is a dead end for the logit (zero slope there): keep 1 % of the range inside.
      const t = transforms[i]!;
      if (t.kind === 'logit') {
        const margin = 0.01 * (t.hi - t.lo);
        start[i] = Math.min(t.hi - margin, Math.max(t.lo + margin, start[i]!));
      } else if (t.kind === 'loglogit') {
        const margin = (t.hi / t.lo) ** 0.01;
        start[i] = Math.min(t.hi / margin, Math.max(t.lo * margin, start[i]!));
      }
    });
    return start;
  });
  const problem = new Problem(compiled, data, weighting, transforms, guesses[0]!, fixedMask);

  const run = (x: Float64Array, iterations: number): Candidate => minimize(problem, x, iterations);
  // Poor: not converged, a relative residual RMS over 2 %, or a parameter pinned at a bound or run away
  // (the usual signature of a local minimum reached from a wrong start).
  const isPoor = (c: Candidate) => {
    problem.evaluate(c.x, new Float64Array(2 * problem.n));
    const pinned = problem.free.some((i, k) => {
      const t = problem.transforms[i]!;
      return Math.abs(c.x[k]!) > (t.kind === 'log' ? 0.9 * xLimit(t) : PINNED_LOGIT);
    });
    return !c.converged || pinned || relativeRms(problem) > POOR_RELATIVE_RMS;
  };
  const userTyped = Object.keys(initial).length > 0;

  let best = run(problem.xOf(guesses[0]!), maxIterations);
  let totalIterations = best.iterations;
  let usedGlobalSearch = false;
  const consider = (c: Candidate) => {
    totalIterations += c.iterations;
    if (c.chi2 < best.chi2 * (1 - 1e-9)) best = c;
  };
  if (globalSearch === 'always' || (globalSearch === 'auto' && isPoor(best))) {
    usedGlobalSearch = true;
    // Other arc orderings and a data-scaled start first (cheap, often right; skipped when the user typed a
    // start), then the Latin hypercube around the start.
    for (const guess of userTyped ? [] : guesses.slice(1)) consider(run(problem.xOf(guess), maxIterations));
    if (!userTyped) consider(run(problem.xOf(scaledStart(data, compiled)), maxIterations));
    if (globalSearch === 'always' || isPoor(best)) {
      const starts = latinHypercube(
        problem,
        problem.xOf(guesses[0]!),
        Math.min(40, 5 * problem.size + 10),
        20261125,
      );
      const short = starts.map((x) => run(x, SHORT_RUN)).sort((a, b) => a.chi2 - b.chi2);
      for (const c of short) totalIterations += c.iterations;
      for (const c of short.slice(0, 3)) consider(run(c.x, maxIterations));
    }
  }
  return summarize(problem, best, totalIterations, usedGlobalSearch, guesses[0]!, weighting);
}

function summarize(
  problem: Problem,
  best: Candidate,
  iterations: number,
  usedGlobalSearch: boolean,
  start: Float64Array,
  weighting: Weighting,
): FitResult {
  const { circuit, n } = problem;
  const m = problem.size;
  const rows = 2 * n;
  const r = new Float64Array(rows);
  const jac = new Float64Array(rows * m);
  const chi2 = problem.evaluate(best.x, r, jac);
  const dof = Math.max(rows - m, 1);
  const s2 = chi2 / dof;
  const warnings: string[] = [];

  // JᵀJ normalised to unit diagonal, so conditioning reflects correlation, not parameter scale.
  const jtj = Array.from({ length: m }, () => new Array<number>(m).fill(0));
  for (let row = 0; row < rows; row++) {
    for (let a = 0; a < m; a++) {
      const ja = jac[row * m + a]!;
      if (ja === 0) continue;
      for (let b = a; b < m; b++) jtj[a]![b]! += ja * jac[row * m + b]!;
    }
  }
  for (let a = 0; a < m; a++) for (let b = 0; b < a; b++) jtj[a]![b] = jtj[b]![a]!;
  const scale = jtj.map((row, a) => Math.sqrt(row[a]!) || 1);
  const normalised = jtj.map((row, a) => row.map((v, b) => v / (scale[a]! * scale[b]!)));
  const dead = new Set<number>();
  scale.forEach((s, a) => {
    if (jtj[a]![a]! === 0 || !Number.isFinite(s)) dead.add(a);
  });
  // Near-null directions of the normalised JᵀJ (eigenvalue < 1e-10 of the largest) are combinations the data
  // cannot see; the parameter dominating each such direction is reported and left without a standard error.
  let inverse: number[][] | null = null;
  for (;;) {
    const keep = Array.from({ length: m }, (_, k) => k).filter((k) => !dead.has(k));
    if (keep.length === 0) break;
    const sub = new Matrix(keep.map((a) => keep.map((b) => normalised[a]![b]!)));
    const eig = new EigenvalueDecomposition(sub, { assumeSymmetric: true });
    const values = eig.realEigenvalues;
    const largest = Math.max(...values);
    let smallest = 0;
    values.forEach((v, k) => {
      if (v < values[smallest]!) smallest = k;
    });
    if (values[smallest]! > 1e-10 * largest) {
      const inv = invertSymmetric(sub.to2DArray());
      if (inv) {
        inverse = Array.from({ length: m }, () => new Array<number>(m).fill(0));
        keep.forEach((a, i) => {
          keep.forEach((b, j) => {
            inverse![a]![b] = inv[i]![j]! / (scale[a]! * scale[b]!);
          });
        });
        break;
      }
    }
    const vector = eig.eigenvectorMatrix.getColumn(smallest);
    let dominant = 0;
    vector.forEach((v, k) => {
      if (Math.abs(v) > Math.abs(vector[dominant]!)) dominant = k;
    });
    dead.add(keep[dominant]!);
  }
  const names = problem.free.map((i) => circuit.parameters[i]!.name);
  if (dead.size > 0) {
    warnings.push(
      `not identifiable from these data: ${[...dead].map((k) => names[k]).join(', ')} ` +
        '(no standard error; fix them or simplify the circuit)',
    );
  }

  const stderrX = Array.from({ length: m }, (_, k) =>
    dead.has(k) || !inverse ? null : Math.sqrt(Math.max(0, inverse[k]![k]! * s2)),
  );
  const correlation = Array.from({ length: m }, (_, a) =>
    Array.from({ length: m }, (_, b) => {
      if (a === b) return 1;
      if (dead.has(a) || dead.has(b) || !inverse) return 0;
      return inverse[a]![b]! / Math.sqrt(inverse[a]![a]! * inverse[b]![b]!);
    }),
  );
  const correlated: string[] = [];
  for (let a = 0; a < m; a++) {
    for (let b = a + 1; b < m; b++) {
      const r = correlation[a]![b]!;
      if (Math.abs(r) > 0.99) correlated.push(`${names[a]}~${names[b]} (${(r * 100).toFixed(1)} %)`);
    }
  }
  if (correlated.length > 0) {
    warnings.push(
      `strongly correlated (|r| > 0.99), the data barely tell them apart: ${correlated.join(', ')}`,
    );
  }

  const freeIndex = new Map(problem.free.map((i, k) => [i, k]));
  const parameters = circuit.parameters.map((param, i) => {
    const k = freeIndex.get(i);
    const value = problem.full[i]!;
    if (k === undefined) return { name: param.name, value, stderr: null, unit: param.unit, fixed: true };
    const t = problem.transforms[i]!;
    const sx = stderrX[k];
    const x = best.x[k]!;
    if (t.kind !== 'log' && Math.abs(x) > PINNED_LOGIT) {
      warnings.push(
        `${param.name} = ${value.toPrecision(4)} is at its ${x > 0 ? 'upper' : 'lower'} bound ${x > 0 ? t.hi : t.lo}`,
      );
    } else if (t.kind === 'log' && Math.abs(x) > 0.9 * xLimit(t)) {
      warnings.push(
        `${param.name} ran off to ${value.toExponential(2)} ${param.unit}: that element does not fit these data`,
      );
    }
    return {
      name: param.name,
      value,
      stderr: sx === null || sx === undefined ? null : Math.abs(problem.dpdx[i]!) * sx,
      unit: param.unit,
      fixed: false,
    };
  });

  const rms = relativeRms(problem);
  if (rms > POOR_RELATIVE_RMS) {
    warnings.push(
      `residuals average ${(rms * 100).toFixed(1)} % of |Z|: the circuit does not describe these data well ` +
        '(or the fit is stuck: try another circuit or starting values)',
    );
  }
  if (!best.converged) {
    warnings.push(
      'the fit did not converge within the iteration budget: the values are the best attempt, check them',
    );
  }
  let sumAbs2 = 0;
  const relRe = new Float64Array(n);
  const relIm = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const re = problem.data.z_real_ohm[i]!;
    const im = problem.data.z_imag_ohm[i]!;
    const dRe = problem.modelRe[i]! - re;
    const dIm = problem.modelIm[i]! - im;
    sumAbs2 += dRe * dRe + dIm * dIm;
    const mod = Math.hypot(re, im) || 1;
    relRe[i] = dRe / mod;
    relIm[i] = dIm / mod;
  }
  const logLike = rows * Math.log(Math.max(chi2, Number.MIN_VALUE) / rows);
  const initialValues: Record<string, number> = {};
  circuit.parameters.forEach((param, i) => {
    initialValues[param.name] = start[i]!;
  });
  return {
    circuit: circuit.text,
    parameters,
    chi2,
    reducedChi2: s2,
    rmse_ohm: Math.sqrt(sumAbs2 / n),
    aic: logLike + 2 * m,
    bic: logLike + m * Math.log(rows),
    weighting,
    iterations,
    converged: best.converged,
    correlation,
    residuals: { frequency_Hz: Float64Array.from(problem.data.frequency_Hz), real: relRe, imag: relIm },
    warnings,
    points: n,
    initialValues,
    usedGlobalSearch,
  };
}

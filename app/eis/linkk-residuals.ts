/**
 * Reading Lin-KK residuals the way an experienced user does: a valid spectrum leaves small residuals
 * scattered around zero; a spectrum that drifted during the measurement (the cell changing while the slow
 * low-frequency points were taken) leaves a one-signed residual trend at low frequency; a single bad point
 * (a range switch, a mains spike) sticks out of the scatter.
 *
 * Each question is asked of the fit that answers it best (all at the same M and τ grid):
 * - the RMS level, of the fit the user chose;
 * - outliers, of the complex fit, whose residuals are evenly spread over both parts and all frequencies
 *   (the 'real' fit's imaginary residuals swing at the band edges even on clean data);
 * - drift, of the 'imag' fit's real residuals: the real part implied by the imaginary part through the KK
 *   relations cannot follow a resistance that changed while the slow points were taken. On generated data
 *   (two ZARCs, 0.1 Hz–1 MHz) a 5 % growth of the low-frequency resistance over the sweep leaves a 1.1 %
 *   one-signed mean there, 10 % about 2.2 %, while 0.5 % noise leaves at most 0.4 %.
 */

export interface ResidualJudgeOptions {
  /** RMS residual (relative to |Z|, real and imaginary together) above which the spectrum fails (default 0.01). */
  residualLimit?: number;
  /**
   * Mean low-frequency residual above which a one-signed trend is called drift (default residualLimit;
   * raised to 1.5 × the robust residual scatter on noisy spectra so noise alone never reads as drift).
   */
  driftLimit?: number;
  /** A point is an outlier above this many robust standard deviations … (default 5) */
  outlierSigma?: number;
  /** … and above this absolute relative residual (default residualLimit), so fine noise is never flagged. */
  outlierFloor?: number;
}

export interface LinKKVerdict {
  /** True when the RMS residual (outliers excluded) is within residualLimit and no drift was found. */
  pass: boolean;
  /** RMS of the real and imaginary relative residuals over all points. */
  rmsResidual: number;
  /** Largest |relative residual| and the frequency it occurs at. */
  maxResidual: number;
  maxResidualFrequency_Hz: number;
  residualLimit: number;
  drift: {
    detected: boolean;
    /** Mean real relative residual of the 'imag' fit over the lowest-frequency decade. */
    meanReal: number;
    /** The limit it was compared with. */
    limit: number;
    /** Points in that window. */
    points: number;
  };
  /** Indices (into the returned frequency order) of individual noisy points. */
  outliers: number[];
  warnings: string[];
}

/** Drift is judged over the lowest decade, but never on fewer than this many points. */
const DRIFT_MIN_POINTS = 5;
/** Share of the window's residuals that must have the same sign to call a trend systematic. */
const DRIFT_SAME_SIGN = 0.8;

export interface ResidualSet {
  real: Float64Array;
  imag: Float64Array;
}

export interface ResidualsToJudge {
  frequency_Hz: Float64Array;
  /** Of the fit type the user chose. */
  chosen: ResidualSet;
  /** Of the complex fit at the same M. */
  complex: ResidualSet;
  /** Of the 'imag' fit at the same M. */
  imagFit: ResidualSet;
}

export function judgeLinKKResiduals(
  input: ResidualsToJudge,
  options: ResidualJudgeOptions = {},
): LinKKVerdict {
  const { frequency_Hz } = input;
  const { real: residualReal, imag: residualImag } = input.chosen;
  const residualLimit = options.residualLimit ?? 0.01;
  const driftLimit = options.driftLimit ?? residualLimit;
  const outlierSigma = options.outlierSigma ?? 5;
  const outlierFloor = options.outlierFloor ?? residualLimit;
  const n = frequency_Hz.length;
  const warnings: string[] = [];

  let maxResidual = 0;
  let maxAt = 0;
  for (let i = 0; i < n; i++) {
    const worst = Math.max(Math.abs(residualReal[i]!), Math.abs(residualImag[i]!));
    if (worst > maxResidual) {
      maxResidual = worst;
      maxAt = i;
    }
  }
  // Robust scatter: 1.4826 × median |r| estimates σ for residuals centred on zero, unmoved by a few bad points.
  const { real: complexReal, imag: complexImag } = input.complex;
  const robustSigma = 1.4826 * median([...complexReal, ...complexImag].map(Math.abs));
  const outlierThreshold = Math.max(outlierSigma * robustSigma, outlierFloor);
  const outliers: number[] = [];
  let sumSquares = 0;
  let sumSquaresKept = 0;
  for (let i = 0; i < n; i++) {
    const squares = residualReal[i]! ** 2 + residualImag[i]! ** 2;
    sumSquares += squares;
    if (Math.max(Math.abs(complexReal[i]!), Math.abs(complexImag[i]!)) > outlierThreshold) outliers.push(i);
    else sumSquaresKept += squares;
  }
  const rmsResidual = Math.sqrt(sumSquares / (2 * n));
  const rmsKept = Math.sqrt(sumSquaresKept / Math.max(1, 2 * (n - outliers.length)));

  const drift = detectDrift(frequency_Hz, input.imagFit.real, Math.max(driftLimit, 1.5 * robustSigma));
  const percent = (value: number): string => `${(100 * value).toFixed(2)} %`;
  if (rmsKept > residualLimit) {
    warnings.push(
      `Lin-KK residuals are ${percent(rmsKept)} RMS, above the ${percent(residualLimit)} limit: the spectrum ` +
        'is not Kramers–Kronig consistent (non-linear, non-stationary or artefacts); a circuit fit to it is not trustworthy',
    );
  }
  if (drift.detected) {
    warnings.push(
      `low-frequency real parts depart from what the imaginary parts imply (mean ${percent(drift.meanReal)} over ` +
        `the lowest ${drift.points} points, one-signed): the cell probably drifted during the measurement; ` +
        'exclude the low-frequency tail or re-measure after it stabilises',
    );
  }
  if (outliers.length > 0) {
    const list = outliers.map((i) => `${formatHz(frequency_Hz[i]!)}`).join(', ');
    warnings.push(
      `${outliers.length} noisy point(s) stand out of the residual scatter (at ${list}); consider removing them`,
    );
  }
  return {
    pass: rmsKept <= residualLimit && !drift.detected,
    rmsResidual,
    maxResidual,
    maxResidualFrequency_Hz: frequency_Hz[maxAt]!,
    residualLimit,
    drift,
    outliers,
    warnings,
  };
}

function detectDrift(
  frequency_Hz: Float64Array,
  residual: Float64Array,
  limit: number,
): LinKKVerdict['drift'] {
  const order = Array.from(frequency_Hz.keys()).sort((a, b) => frequency_Hz[a]! - frequency_Hz[b]!);
  const fMin = frequency_Hz[order[0]!]!;
  const inDecade = order.filter((i) => frequency_Hz[i]! <= 10 * fMin).length;
  const count = Math.min(Math.max(inDecade, DRIFT_MIN_POINTS), Math.floor(order.length / 3));
  const values = order.slice(0, count).map((i) => residual[i]!);
  if (values.length < 3) return { detected: false, meanReal: 0, limit, points: values.length };
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const sameSign = values.filter((value) => Math.sign(value) === Math.sign(mean)).length / values.length;
  return {
    detected: Math.abs(mean) > limit && sameSign >= DRIFT_SAME_SIGN,
    meanReal: mean,
    limit,
    points: values.length,
  };
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function formatHz(value: number): string {
  if (value >= 1e3) return `${Number((value / 1e3).toPrecision(3))} kHz`;
  if (value >= 1) return `${Number(value.toPrecision(3))} Hz`;
  return `${Number((value * 1e3).toPrecision(3))} mHz`;
}

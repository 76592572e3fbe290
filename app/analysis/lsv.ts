/**
 * Electrochemical stability window from a linear sweep (anodic): the onset potential by a threshold
 * current density sustained over N consecutive points (after an optional linear baseline fitted over a
 * stated low-potential window) and by the tangent method (baseline tangent ∩ steepest-rise tangent).
 */
import type { Measurement } from '../measurement';
import {
  A_PER_M2_PER_MA_PER_CM2,
  areaOf,
  badOption,
  booleanOption,
  fitLine,
  type LineFit,
  numberOption,
  optionalNumber,
  refuse,
  requireChannel,
  requireKind,
  sig,
} from './common';

export interface LsvOptions {
  /** Electrode area, m² (default: the file's; neither ⇒ refused). */
  area_m2?: number;
  /** Threshold current density, A m⁻² (default 0.1 = 0.01 mA cm⁻²). */
  threshold_A_per_m2?: number;
  /** Consecutive points that must stay above the threshold (default 5). */
  sustainedPoints?: number;
  /** Subtract a linear baseline before the threshold test (default true). */
  baseline?: boolean;
  /** Baseline window, V: [start, end] (default: the first 0.5 V of the sweep). */
  baselineWindow_V?: [number, number];
  /** Steepest-rise tangent: a line fitted over this many points around the steepest slope (default 11). */
  tangentPoints?: number;
  /**
   * The steepest rise is searched where the corrected current density is at most this multiple of the
   * threshold (default 10): an exponential take-off is steepest wherever the sweep happens to stop, so an
   * unbounded search would tie the tangent onset to the end potential.
   */
  tangentMaxFactor?: number;
}

export interface LsvResult {
  file: string;
  area_m2: number;
  choices: {
    threshold_A_per_m2: number;
    sustainedPoints: number;
    baseline: boolean;
    baselineWindow_V: [number, number];
    tangentPoints: number;
    tangentMaxFactor: number;
    sweep: string;
  };
  /** Onset by the threshold method, V (the headline number). */
  onset_V: number;
  /** Onset by the tangent method, V (null when the tangents do not meet inside the sweep). */
  tangentOnset_V: number | null;
  /** Baseline line j = intercept + slope·V (A m⁻² and A m⁻² V⁻¹). */
  baselineLine: { slope: number; intercept: number; r2: number };
  /** The steepest-rise tangent and the points it was fitted over (indices into the sweep). */
  riseLine: { slope: number; intercept: number; from: number; to: number } | null;
  /** The sweep used (anodic part), for plotting: potential and current density after baseline. */
  sweep: { voltage_V: Float64Array; currentDensity_A_per_m2: Float64Array; corrected_A_per_m2: Float64Array };
  /** Index into the sweep of the first of the N sustained points. */
  onsetIndex: number;
  warnings: string[];
}

export function analyseLsv(m: Measurement, options: LsvOptions = {}): LsvResult {
  const analysis = 'LSV window analysis';
  requireKind(m, ['voltammetry'], analysis);
  const voltage = requireChannel(m, 'voltage_V', analysis);
  const current = requireChannel(m, 'current_A', analysis);
  const area = areaOf(
    m,
    optionalNumber(options.area_m2, 'area_m2', { min: 0, exclusiveMin: true }),
    analysis,
  );
  const threshold = numberOption(options.threshold_A_per_m2, 'threshold_A_per_m2', 0.1, {
    min: 0,
    exclusiveMin: true,
  });
  const sustained = numberOption(options.sustainedPoints, 'sustainedPoints', 5, { min: 1, integer: true });
  const useBaseline = booleanOption(options.baseline, 'baseline', true);
  const tangentPoints = numberOption(options.tangentPoints, 'tangentPoints', 11, { min: 3, integer: true });
  const tangentMaxFactor = numberOption(options.tangentMaxFactor, 'tangentMaxFactor', 10, { min: 1 });

  // The anodic sweep: from the start to the highest potential reached.
  let top = 0;
  for (let i = 1; i < voltage.length; i++) if (voltage[i]! > voltage[top]!) top = i;
  if (top < 10 || voltage[top]! - voltage[0]! < 0.1) {
    throw refuse('the potential does not sweep upwards by at least 0.1 V; not an anodic LSV', m.fileName);
  }
  const n = top + 1;
  const v = voltage.slice(0, n);
  const j = new Float64Array(n);
  for (let i = 0; i < n; i++) j[i] = current[i]! / area;

  const window = options.baselineWindow_V ?? [v[0]!, v[0]! + 0.5];
  if (!Array.isArray(window) || window.length !== 2 || !(window[1] > window[0])) {
    throw badOption('baselineWindow_V', 'baselineWindow_V must be [low, high] in volts with high > low');
  }
  const inWindow = (i: number): boolean => v[i]! >= window[0] && v[i]! <= window[1];
  let windowCount = 0;
  for (let i = 0; i < n; i++) if (inWindow(i)) windowCount++;
  if (windowCount < 5) {
    throw refuse(
      `the baseline window ${window[0]}–${window[1]} V holds ${windowCount} points; at least 5 are needed`,
      m.fileName,
    );
  }
  const base: LineFit = fitLine(v, j, 0, n, inWindow);
  const corrected = new Float64Array(n);
  for (let i = 0; i < n; i++)
    corrected[i] = useBaseline ? j[i]! - (base.intercept + base.slope * v[i]!) : j[i]!;

  let onsetIndex = -1;
  let run = 0;
  for (let i = 0; i < n; i++) {
    run = corrected[i]! >= threshold ? run + 1 : 0;
    if (run === sustained) {
      onsetIndex = i - sustained + 1;
      break;
    }
  }
  if (onsetIndex < 0) {
    throw refuse(
      `the current density never stays above ${sig(threshold / A_PER_M2_PER_MA_PER_CM2, 3)} mA cm⁻² for ${sustained} points up to ${v[n - 1]!.toFixed(3)} V: the window extends beyond the sweep`,
      m.fileName,
    );
  }
  // Interpolate the crossing between the point before and the first sustained point.
  let onset = v[onsetIndex]!;
  if (onsetIndex > 0) {
    const j0 = corrected[onsetIndex - 1]!;
    const j1 = corrected[onsetIndex]!;
    if (j1 > j0)
      onset = v[onsetIndex - 1]! + ((threshold - j0) / (j1 - j0)) * (v[onsetIndex]! - v[onsetIndex - 1]!);
  }

  const warnings: string[] = [];
  let riseEnd = onsetIndex;
  while (riseEnd + 1 < n && corrected[riseEnd + 1]! <= tangentMaxFactor * threshold) riseEnd++;
  const rise = steepestRise(v, j, onsetIndex, riseEnd, tangentPoints);
  let tangentOnset: number | null = null;
  if (rise && rise.slope > base.slope) {
    const x = (base.intercept - rise.intercept) / (rise.slope - base.slope);
    if (x >= v[0]! && x <= v[n - 1]!) tangentOnset = x;
  }
  if (tangentOnset === null) warnings.push('the tangents do not meet inside the sweep; no tangent onset');

  return {
    file: m.fileName,
    area_m2: area,
    choices: {
      threshold_A_per_m2: threshold,
      sustainedPoints: sustained,
      baseline: useBaseline,
      baselineWindow_V: [window[0], window[1]],
      tangentPoints,
      tangentMaxFactor,
      sweep: `anodic part: first point to the highest potential (${v[n - 1]!.toFixed(3)} V)`,
    },
    onset_V: onset,
    tangentOnset_V: tangentOnset,
    baselineLine: { slope: base.slope, intercept: base.intercept, r2: base.r2 },
    riseLine: rise,
    sweep: { voltage_V: v, currentDensity_A_per_m2: j, corrected_A_per_m2: corrected },
    onsetIndex,
    warnings,
  };
}

/**
 * The line fitted over `points` neighbours where the slope dj/dV is largest, centred between the
 * threshold onset and `toIndex` (windows kept inside the sweep).
 */
function steepestRise(
  v: Float64Array,
  j: Float64Array,
  fromIndex: number,
  toIndex: number,
  points: number,
): { slope: number; intercept: number; from: number; to: number } | null {
  const half = Math.floor(points / 2);
  let best: { slope: number; intercept: number; from: number; to: number } | null = null;
  for (let c = Math.max(half, fromIndex); c <= toIndex && c + half < v.length; c++) {
    const fit = fitLine(v, j, c - half, c + half + 1);
    if (!best || fit.slope > best.slope) {
      best = { slope: fit.slope, intercept: fit.intercept, from: c - half, to: c + half };
    }
  }
  return best;
}

/** The `elyte lsv --json` fields (cli.md), in edge units. */
export function lsvToCli(r: LsvResult): Record<string, unknown> {
  return {
    file: r.file,
    onset_V: sig(r.onset_V, 5),
    method: 'threshold',
    threshold_mA_per_cm2: sig(r.choices.threshold_A_per_m2 / A_PER_M2_PER_MA_PER_CM2, 4),
    sustained_points: r.choices.sustainedPoints,
    baseline: r.choices.baseline ? { window_V: r.choices.baselineWindow_V } : null,
    tangent_onset_V: r.tangentOnset_V === null ? null : sig(r.tangentOnset_V, 5),
    warnings: r.warnings,
  };
}

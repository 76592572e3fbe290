/**
 * Technique inferred from content when the file does not name it:
 * a frequency column → EIS; potential sweeping at a steady rate → voltammetry; current held at a few
 * constant levels → galvanostatic; potential held constant → potentiostatic; no current → OCV.
 */
import type { CanonicalChannel, TechniqueKind } from '../measurement';

export function inferKind(channels: Partial<Record<CanonicalChannel, Float64Array>>): TechniqueKind {
  const frequency = channels.frequency_Hz;
  if (frequency && channels.z_real_ohm && frequency.length > 0) return 'eis';
  const voltage = channels.voltage_V;
  const current = channels.current_A;
  if (!voltage || voltage.length < 3) return 'other';
  if (!current) return 'ocv';
  const currentScale = signalStats(current).maxAbs;
  if (currentScale < 1e-12) return 'ocv';
  if (heldAtLevels(current, currentScale)) return 'galvanostatic';
  const potential = signalStats(voltage);
  if (heldAtLevels(voltage, Math.max(potential.maxAbs, 1e-3))) return 'potentiostatic';
  if (potential.hi - potential.lo > 0 && isSteadySweep(voltage, potential)) return 'voltammetry';
  return 'other';
}

/** What one pass over a signal tells: its extent, and how it steps from one point to the next. */
interface SignalStats {
  /** Largest |value| among the finite values. */
  maxAbs: number;
  lo: number;
  hi: number;
  /** Steps of exactly zero, direction reversals, and whether any step is NaN or infinite. */
  flat: number;
  reversals: number;
  nonFiniteStep: boolean;
}

/**
 * One loop for everything inferKind asks of a signal: it runs once per file over every row, mostly
 * before the JIT has compiled it, so one loop (compiled once, for current and then for voltage) with
 * indexed reads and plain arithmetic beats several loops with a built-in call per value (v - v is 0
 * exactly when v is finite; the sign is Math.sign's, NaN and ±0 giving themselves).
 */
function signalStats(values: Float64Array): SignalStats {
  let maxAbs = 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  let flat = 0;
  let reversals = 0;
  let lastSign = 0;
  let nonFiniteStep = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const a = v < 0 ? -v : v;
    if (a > maxAbs && a - a === 0) maxAbs = a;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    if (i === 0) continue;
    const d = v - values[i - 1]!;
    if (d === 0) flat++;
    else if (d - d !== 0) nonFiniteStep = true;
    const sign = d > 0 ? 1 : d < 0 ? -1 : d;
    if (sign !== 0 && lastSign !== 0 && sign !== lastSign) reversals++;
    if (sign !== 0) lastSign = sign;
  }
  return { maxAbs, lo, hi, flat, reversals, nonFiniteStep };
}

/**
 * A signal held at a few set levels: rounded to 1 % of its scale, at most 12 distinct levels hold
 * 90 % of the points. A decay or a sweep spreads over many levels instead.
 */
function heldAtLevels(values: Float64Array, scale: number): boolean {
  const step = 0.01 * scale;
  const counts = new Map<number, number>();
  // Neighbouring points mostly share a level: count runs, so the map is touched once per run, not per point.
  let run = 0;
  let runLevel = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v - v !== 0) continue;
    const level = Math.round(v / step);
    if (run > 0 && (level === runLevel || (Number.isNaN(level) && Number.isNaN(runLevel)))) {
      run++;
      continue;
    }
    if (run > 0) counts.set(runLevel, (counts.get(runLevel) ?? 0) + run);
    runLevel = level;
    run = 1;
  }
  if (run > 0) counts.set(runLevel, (counts.get(runLevel) ?? 0) + run);
  const top = [...counts.values()].sort((a, b) => b - a).slice(0, 12);
  return top.reduce((sum, c) => sum + c, 0) >= 0.9 * values.length;
}

/** Most steps move by a similar non-zero amount, reversing rarely: a linear sweep or cyclic ramp. */
function isSteadySweep(values: Float64Array, stats: SignalStats): boolean {
  // The median |step| is zero exactly when zero steps fill the lower half of the sorted steps: counting
  // them avoids sorting a million steps. A NaN step has no place in that order (nor, to be safe, an
  // infinite one), so those keep the sort.
  const middle = Math.floor((values.length - 1) / 2);
  if (stats.nonFiniteStep ? medianStep(values) <= 0 : stats.flat > middle) return false;
  return stats.reversals < values.length / 20;
}

function medianStep(values: Float64Array): number {
  const steps: number[] = [];
  for (let i = 1; i < values.length; i++) steps.push(Math.abs(values[i]! - values[i - 1]!));
  steps.sort((a, b) => a - b);
  return steps[Math.floor(steps.length / 2)]!;
}

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
  const currentScale = maxAbs(current);
  if (currentScale < 1e-12) return 'ocv';
  if (heldAtLevels(current, currentScale)) return 'galvanostatic';
  if (heldAtLevels(voltage, Math.max(maxAbs(voltage), 1e-3))) return 'potentiostatic';
  if (range(voltage) > 0 && isSteadySweep(voltage)) return 'voltammetry';
  return 'other';
}

function maxAbs(values: Float64Array): number {
  let m = 0;
  for (const v of values) if (Number.isFinite(v) && Math.abs(v) > m) m = Math.abs(v);
  return m;
}

function range(values: Float64Array): number {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return hi - lo;
}

/**
 * A signal held at a few set levels: rounded to 1 % of its scale, at most 12 distinct levels hold
 * 90 % of the points. A decay or a sweep spreads over many levels instead.
 */
function heldAtLevels(values: Float64Array, scale: number): boolean {
  const step = 0.01 * scale;
  const counts = new Map<number, number>();
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    const level = Math.round(v / step);
    counts.set(level, (counts.get(level) ?? 0) + 1);
  }
  const top = [...counts.values()].sort((a, b) => b - a).slice(0, 12);
  return top.reduce((sum, c) => sum + c, 0) >= 0.9 * values.length;
}

/** Most steps move by a similar non-zero amount, reversing rarely: a linear sweep or cyclic ramp. */
function isSteadySweep(values: Float64Array): boolean {
  const steps: number[] = [];
  let reversals = 0;
  let lastSign = 0;
  for (let i = 1; i < values.length; i++) {
    const d = values[i]! - values[i - 1]!;
    steps.push(Math.abs(d));
    const sign = Math.sign(d);
    if (sign !== 0 && lastSign !== 0 && sign !== lastSign) reversals++;
    if (sign !== 0) lastSign = sign;
  }
  steps.sort((a, b) => a - b);
  const median = steps[Math.floor(steps.length / 2)]!;
  if (median <= 0) return false;
  return reversals < values.length / 20;
}

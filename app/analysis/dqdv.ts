/**
 * Differential capacity of one half cycle. The voltage of a real record wanders back and forth by a
 * few ADC steps, so dQ/dV of raw neighbours is noise: we keep only points that move the voltage
 * monotonically in the half cycle's direction by at least `minStep` (the capacity between kept points
 * accumulates), take centred differences, then a centred moving average of `smoothing` points.
 */
import type { HalfCycle } from './segments';

export interface DqdvCurve {
  cycle: number;
  direction: HalfCycle['direction'];
  voltage_V: Float64Array;
  /** dQ/dV, C V⁻¹ (positive for both directions: |ΔQ|/|ΔV|). */
  dqdv_C_per_V: Float64Array;
  /** How it was made, for the plot caption. */
  method: string;
}

export function dqdvOfHalfCycle(
  time: Float64Array,
  voltage: Float64Array,
  current: Float64Array,
  half: HalfCycle,
  cycle: number,
  minStep: number,
  smoothing: number,
): DqdvCurve {
  const sign = half.direction === 'charge' ? 1 : -1;
  const keptV: number[] = [];
  const keptQ: number[] = [];
  let q = 0;
  let lastV = voltage[half.start]!;
  keptV.push(lastV);
  keptQ.push(0);
  for (let i = half.start + 1; i <= half.end; i++) {
    q += Math.abs(current[i]! * (time[i]! - time[i - 1]!));
    const v = voltage[i]!;
    if ((v - lastV) * sign >= minStep) {
      keptV.push(v);
      keptQ.push(q);
      lastV = v;
    }
  }
  const n = keptV.length;
  const raw = new Float64Array(Math.max(0, n - 2));
  const mid = new Float64Array(Math.max(0, n - 2));
  for (let k = 1; k < n - 1; k++) {
    raw[k - 1] = (keptQ[k + 1]! - keptQ[k - 1]!) / Math.abs(keptV[k + 1]! - keptV[k - 1]!);
    mid[k - 1] = keptV[k]!;
  }
  const half_w = (smoothing - 1) / 2;
  const smooth = new Float64Array(raw.length);
  for (let k = 0; k < raw.length; k++) {
    const from = Math.max(0, k - half_w);
    const to = Math.min(raw.length - 1, k + half_w);
    let s = 0;
    for (let j = from; j <= to; j++) s += raw[j]!;
    smooth[k] = s / (to - from + 1);
  }
  return {
    cycle,
    direction: half.direction,
    voltage_V: mid,
    dqdv_C_per_V: smooth,
    method: `monotone points ≥ ${minStep * 1000} mV apart, centred differences, ${smoothing}-point moving average`,
  };
}

/** The technique inferred from content when a file does not name it. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inferKind } from '../../app/formats/infer';
import type { TechniqueKind } from '../../app/measurement';

const n = 400;
const series = (f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));

describe('inferKind', () => {
  it('a frequency column with impedance is EIS', () => {
    expect(
      inferKind({
        frequency_Hz: series((i) => 1e5 / (i + 1)),
        z_real_ohm: series(() => 10),
        z_imag_ohm: series(() => -1),
      }),
    ).toBe('eis');
  });

  it('current held at a few levels is galvanostatic', () => {
    const current = series((i) => (Math.floor(i / 100) % 2 === 0 ? 1e-3 : -1e-3));
    expect(
      inferKind({
        time_s: series((i) => i),
        voltage_V: series((i) => 3 + 0.001 * Math.sin(i / 10)),
        current_A: current,
      }),
    ).toBe('galvanostatic');
  });

  it('potential swept at a steady rate with a changing current is voltammetry', () => {
    expect(
      inferKind({
        time_s: series((i) => i),
        voltage_V: series((i) => 3 + i * 0.005),
        current_A: series((i) => 1e-6 * Math.exp(i / 60)),
      }),
    ).toBe('voltammetry');
  });

  it('potential held while the current decays is potentiostatic', () => {
    expect(
      inferKind({
        time_s: series((i) => i),
        voltage_V: series(() => 0.01),
        current_A: series((i) => 1e-4 * Math.exp(-i / 80) + 1e-5),
      }),
    ).toBe('potentiostatic');
  });

  it('no current is open-circuit', () => {
    expect(inferKind({ time_s: series((i) => i), voltage_V: series((i) => 3 + i * 1e-5) })).toBe('ocv');
    expect(
      inferKind({ time_s: series((i) => i), voltage_V: series(() => 3), current_A: series(() => 0) }),
    ).toBe('ocv');
  });
});

/**
 * inferKind as first written (several passes, a sorted copy of every step): the definition the
 * single-pass version must keep to, for any signal, NaN, infinities and -0 included.
 */
function inferKindByDefinition(voltage: Float64Array, current: Float64Array | undefined): TechniqueKind {
  if (voltage.length < 3) return 'other';
  if (!current) return 'ocv';
  const maxAbs = (values: Float64Array) => {
    let m = 0;
    for (const v of values) if (Number.isFinite(v) && Math.abs(v) > m) m = Math.abs(v);
    return m;
  };
  const heldAtLevels = (values: Float64Array, scale: number) => {
    const counts = new Map<number, number>();
    for (const v of values) {
      if (!Number.isFinite(v)) continue;
      const level = Math.round(v / (0.01 * scale));
      counts.set(level, (counts.get(level) ?? 0) + 1);
    }
    const top = [...counts.values()].sort((a, b) => b - a).slice(0, 12);
    return top.reduce((sum, c) => sum + c, 0) >= 0.9 * values.length;
  };
  const range = (values: Float64Array) => {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const v of values) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return hi - lo;
  };
  const isSteadySweep = (values: Float64Array) => {
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
  };
  const scale = maxAbs(current);
  if (scale < 1e-12) return 'ocv';
  if (heldAtLevels(current, scale)) return 'galvanostatic';
  if (heldAtLevels(voltage, Math.max(maxAbs(voltage), 1e-3))) return 'potentiostatic';
  if (range(voltage) > 0 && isSteadySweep(voltage)) return 'voltammetry';
  return 'other';
}

describe('inferKind keeps to its definition', () => {
  const odd = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0);
  const signal = fc.oneof(
    fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 3, maxLength: 300 }),
    fc
      .tuple(
        fc.integer({ min: 3, max: 300 }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 40 }),
      )
      .map(([n, rate, period]) =>
        Array.from(
          { length: n },
          (_, i) => rate * (((i / period) | 0) % 2 === 0 ? i % period : period - (i % period)),
        ),
      ),
    fc
      .tuple(
        fc.integer({ min: 3, max: 300 }),
        fc.array(fc.double({ min: -1e-3, max: 1e-3, noNaN: true }), { minLength: 1, maxLength: 4 }),
      )
      .map(([n, levels]) =>
        Array.from({ length: n }, (_, i) => levels[Math.floor((i * levels.length) / n)]!),
      ),
    // A staircase: a point held every k steps puts the zero steps near the median step.
    fc
      .tuple(
        fc.integer({ min: 3, max: 300 }),
        fc.integer({ min: 1, max: 3 }),
        fc.double({ min: 1e-3, max: 1 }),
      )
      .map(([n, k, rate]) =>
        Array.from({ length: n }, (_, i) => rate * Math.floor((i + (i % 7 === 0 ? 1 : 0)) / k)),
      ),
  );
  const withOdd = fc
    .tuple(signal, fc.array(fc.tuple(fc.nat(), odd), { maxLength: 3 }))
    .map(([values, spots]) => {
      const out = Float64Array.from(values);
      for (const [at, v] of spots) out[at % out.length] = v;
      return out;
    });

  it('for random sweeps, steps, noise and the odd NaN or infinity', () => {
    fc.assert(
      fc.property(withOdd, fc.option(withOdd), (voltage, current) => {
        const i = current ? current.subarray(0, Math.min(current.length, voltage.length)) : undefined;
        const v = voltage.subarray(0, i ? i.length : voltage.length);
        const channels = i ? { voltage_V: v, current_A: i } : { voltage_V: v };
        expect(inferKind(channels)).toBe(inferKindByDefinition(v, i));
      }),
      { numRuns: 5000 },
    );
  });
});

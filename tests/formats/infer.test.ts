/** The technique inferred from content when a file does not name it. */
import { describe, expect, it } from 'vitest';
import { inferKind } from '../../app/formats/infer';

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

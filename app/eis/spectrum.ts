/** Spectrum validation and selection: the single place where bad impedance input is refused. */
import { ElyteError } from '../errors';
import type { Spectrum } from './types';

/**
 * Checks lengths, finiteness and f > 0, then keeps the points inside `frequencyRange_Hz` (inclusive),
 * sorted by decreasing frequency (the order of most instruments, and what the initial-value heuristics expect).
 */
export function validateSpectrum(spectrum: Spectrum, frequencyRange_Hz?: [number, number]): Spectrum {
  const { frequency_Hz: f, z_real_ohm: re, z_imag_ohm: im } = spectrum;
  if (!(f instanceof Float64Array) || !(re instanceof Float64Array) || !(im instanceof Float64Array)) {
    throw new ElyteError(
      'invalid-argument',
      'the spectrum needs Float64Array frequency, real and imaginary parts',
    );
  }
  if (f.length !== re.length || f.length !== im.length) {
    throw new ElyteError(
      'invalid-argument',
      `the spectrum's columns differ in length (frequency ${f.length}, real ${re.length}, imaginary ${im.length})`,
    );
  }
  for (let i = 0; i < f.length; i++) {
    if (!Number.isFinite(f[i]!) || !Number.isFinite(re[i]!) || !Number.isFinite(im[i]!)) {
      throw new ElyteError(
        'invalid-argument',
        `point ${i + 1} of the spectrum is not a finite number (f=${f[i]}, Z'=${re[i]}, Z''=${im[i]}); remove it`,
      );
    }
    if (f[i]! <= 0) {
      throw new ElyteError(
        'invalid-argument',
        `point ${i + 1} of the spectrum has frequency ${f[i]} Hz; frequencies must be > 0 (drop DC rows)`,
      );
    }
  }
  let lo = 0;
  let hi = Number.POSITIVE_INFINITY;
  if (frequencyRange_Hz) {
    [lo, hi] = frequencyRange_Hz;
    if (!(Number.isFinite(lo) && lo >= 0 && hi > lo)) {
      throw new ElyteError('invalid-argument', `frequency range [${lo}, ${hi}] Hz is not a valid interval`, {
        where: 'frequencyRange_Hz',
      });
    }
  }
  const order = Array.from(f.keys())
    .filter((i) => f[i]! >= lo && f[i]! <= hi)
    .sort((a, b) => f[b]! - f[a]!);
  return {
    frequency_Hz: Float64Array.from(order, (i) => f[i]!),
    z_real_ohm: Float64Array.from(order, (i) => re[i]!),
    z_imag_ohm: Float64Array.from(order, (i) => im[i]!),
  };
}

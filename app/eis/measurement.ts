/** Measurement (any EIS reader's output) → Spectrum for the fitter. */
import { ElyteError } from '../errors';
import type { Measurement } from '../measurement';
import type { Spectrum } from './types';

/**
 * Takes the canonical impedance channels. Rows without a positive finite frequency or a finite impedance
 * (DC rows, aborted points) are left out and counted in `dropped`, so the caller can tell the user.
 */
export function spectrumFromMeasurement(measurement: Measurement): { spectrum: Spectrum; dropped: number } {
  const { frequency_Hz: f, z_real_ohm: re, z_imag_ohm: im } = measurement.channels;
  if (!f || !re || !im) {
    throw new ElyteError(
      'invalid-argument',
      `no impedance spectrum in this ${measurement.technique || measurement.kind} file (needs frequency, Z' and Z'')`,
      { file: measurement.fileName },
    );
  }
  const keep: number[] = [];
  for (let i = 0; i < f.length; i++) {
    if (f[i]! > 0 && Number.isFinite(f[i]!) && Number.isFinite(re[i]!) && Number.isFinite(im[i]!))
      keep.push(i);
  }
  return {
    spectrum: {
      frequency_Hz: Float64Array.from(keep, (i) => f[i]!),
      z_real_ohm: Float64Array.from(keep, (i) => re[i]!),
      z_imag_ohm: Float64Array.from(keep, (i) => im[i]!),
    },
    dropped: f.length - keep.length,
  };
}

/**
 * Generated spectra with documented truth for the Lin-KK and DRT tests: series R, ZARC and RC elements in
 * closed form (independent of the circuit engine), plus the engine's seeded Gaussian noise ∝ |Z|.
 */
import { gaussian, seededRandom } from '../../app/eis/synthetic';
import type { Spectrum } from '../../app/eis/types';

export { gaussian, logFrequencies, seededRandom } from '../../app/eis/synthetic';

export interface Process {
  R_ohm: number;
  tau_s: number;
  /** ZARC dispersion exponent; 1 is an ideal RC (default 1). */
  alpha?: number;
}

/** Z = R∞ + Σ R/(1 + (jωτ)^α). */
export function zarcChain(f: number, rInf: number, processes: Process[]): [number, number] {
  const w = 2 * Math.PI * f;
  let re = rInf;
  let im = 0;
  for (const p of processes) {
    const alpha = p.alpha ?? 1;
    const mag = (w * p.tau_s) ** alpha;
    const phase = (alpha * Math.PI) / 2;
    const dr = 1 + mag * Math.cos(phase);
    const di = mag * Math.sin(phase);
    const d = dr * dr + di * di;
    re += (p.R_ohm * dr) / d;
    im -= (p.R_ohm * di) / d;
  }
  return [re, im];
}

/** The spectrum of a ZARC chain with noise σ = noise × |Z| on each component. */
export function synthetic(
  frequency_Hz: Float64Array,
  rInf: number,
  processes: Process[],
  noise: number,
  seed = 1,
): Spectrum {
  const random = gaussian(seededRandom(seed));
  const re = new Float64Array(frequency_Hz.length);
  const im = new Float64Array(frequency_Hz.length);
  frequency_Hz.forEach((f, i) => {
    const [zr, zi] = zarcChain(f, rInf, processes);
    const mod = Math.hypot(zr, zi);
    re[i] = zr + noise * mod * random();
    im[i] = zi + noise * mod * random();
  });
  return { frequency_Hz, z_real_ohm: re, z_imag_ohm: im };
}

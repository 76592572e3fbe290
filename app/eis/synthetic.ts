/**
 * Generated spectra with documented truth, for tests, benchmarks and demos: a circuit's exact impedance
 * plus seeded Gaussian noise proportional to |Z| (noise = relative standard deviation per component).
 */
import { simulate } from './circuit';
import type { Spectrum } from './types';

/** Deterministic PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal deviates by Box–Muller from a uniform source. */
export function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** `points` frequencies log-spaced from fMax down to fMin (instrument order). */
export function logFrequencies(fMax_Hz: number, fMin_Hz: number, points: number): Float64Array {
  const a = Math.log10(fMax_Hz);
  const b = Math.log10(fMin_Hz);
  return Float64Array.from({ length: points }, (_, i) => 10 ** (a + ((b - a) * i) / (points - 1)));
}

export function syntheticSpectrum(
  circuit: string,
  parameters: Record<string, number>,
  frequency_Hz: Float64Array,
  noise = 0,
  seed = 1,
): Spectrum {
  const { real, imag } = simulate(circuit, parameters, frequency_Hz);
  const normal = gaussian(seededRandom(seed));
  const z_real_ohm = new Float64Array(real.length);
  const z_imag_ohm = new Float64Array(real.length);
  for (let i = 0; i < real.length; i++) {
    const mod = Math.hypot(real[i]!, imag[i]!);
    z_real_ohm[i] = real[i]! + noise * mod * normal();
    z_imag_ohm[i] = imag[i]! + noise * mod * normal();
  }
  return { frequency_Hz: Float64Array.from(frequency_Hz), z_real_ohm, z_imag_ohm };
}

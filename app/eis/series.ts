/**
 * A temperature series fitted in one action: spectra in measurement order, each fit warm-started from its
 * neighbour's result (the previous spectrum's values become the next one's typed initial values), falling
 * back to automatic values when the warm start fits poorly. Pure and synchronous per spectrum so that the
 * app shell can spread spectra over a worker pool; `onProgress` is called after each spectrum.
 */
import { isElyteError } from '../errors';
import { fitCircuit } from './fit';
import type { FitOptions, FitResult, Spectrum } from './types';

export interface SeriesSpectrum {
  spectrum: Spectrum;
  T_K: number;
  /** Label for messages (file name). */
  label?: string;
}

export interface SeriesFitResult {
  T_K: number;
  label: string;
  fit: FitResult | null;
  error: string | null;
  warmStarted: boolean;
}

/** RMS of the relative residuals (Z_fit − Z)/|Z|, whatever the weighting. */
function relativeRms(fit: FitResult): number {
  let sum = 0;
  for (let i = 0; i < fit.points; i++) sum += fit.residuals.real[i]! ** 2 + fit.residuals.imag[i]! ** 2;
  return Math.sqrt(sum / (2 * fit.points));
}

export function fitSeries(
  series: SeriesSpectrum[],
  circuit: string,
  options: FitOptions = {},
  onProgress?: (done: number, total: number) => void,
): SeriesFitResult[] {
  const results: SeriesFitResult[] = [];
  let previous: FitResult | null = null;
  series.forEach((item, index) => {
    const label = item.label ?? `spectrum ${index + 1}`;
    try {
      let fit: FitResult;
      let warmStarted = false;
      const automatic = () => fitCircuit(item.spectrum, circuit, options);
      if (previous && !options.initial) {
        const initial = Object.fromEntries(
          previous.parameters.filter((p) => !p.fixed).map((p) => [p.name, p.value]),
        );
        const warm = fitCircuit(item.spectrum, circuit, { ...options, initial, globalSearch: 'never' });
        const cold = warm.converged && relativeRms(warm) < 0.02 ? null : automatic();
        fit = cold && cold.chi2 < warm.chi2 ? cold : warm;
        warmStarted = fit === warm;
      } else {
        fit = automatic();
      }
      previous = fit;
      results.push({ T_K: item.T_K, label, fit, error: null, warmStarted });
    } catch (error) {
      if (!isElyteError(error)) throw error;
      results.push({ T_K: item.T_K, label, fit: null, error: error.message, warmStarted: false });
    }
    onProgress?.(index + 1, series.length);
  });
  return results;
}

/**
 * EIS workflows shared by the CLI and the app's worker: measurement(s) + settings in SI → results
 * whose field names are the CLI contract (shared/docs/cli.md). Pure; no storage, no units parsing.
 */

import {
  arrhenius,
  bulkResistance,
  conductivity,
  type FitOptions,
  type FitResult,
  fitCircuit,
  fitSeries,
  type Spectrum,
  splitByDirection,
  vtf,
} from '../eis/index';
import { ElyteError } from '../errors';
import type { Measurement } from '../measurement';

/** Default circuits: blocking electrodes (bulk arc + electrode spike) and a symmetric Li cell. */
export const BLOCKING_CIRCUIT = 'R0-p(R1,CPE1)-CPE2';
export const SYMMETRIC_CIRCUIT = 'R0-p(R1,CPE1)-p(R2,CPE2)';
export const RANDLES_CIRCUIT = 'R0-p(R1-W1,C1)';
/** A blocking cell whose bulk arc lies above the measured frequencies: intercept + electrode spike. */
export const HF_INTERCEPT_CIRCUIT = 'R0-CPE1';
/** Below this R² an Arrhenius fit is refused rather than reported. */
export const MIN_ARRHENIUS_R2 = 0.9;
export const CIRCUIT_PRESETS = [
  { id: 'auto', label: 'Automatic: blocking cell, arc resolved or above range (lowest BIC)', circuit: '' },
  { id: 'blocking', label: 'Blocking electrodes (SS‖E‖SS)', circuit: BLOCKING_CIRCUIT },
  { id: 'symmetric', label: 'Symmetric Li cell (Li‖E‖Li)', circuit: SYMMETRIC_CIRCUIT },
  { id: 'randles', label: 'Randles', circuit: RANDLES_CIRCUIT },
  { id: 'hf-intercept', label: 'Bulk arc above the measured range (R-CPE)', circuit: HF_INTERCEPT_CIRCUIT },
] as const;

const S_PER_M_TO_S_PER_CM = 0.01;

export function spectrumOf(m: Measurement): Spectrum {
  const { frequency_Hz, z_real_ohm, z_imag_ohm } = m.channels;
  if (m.kind !== 'eis' || !frequency_Hz || !z_real_ohm || !z_imag_ohm) {
    throw new ElyteError('invalid-argument', `is ${m.technique} (${m.kind}), not an impedance spectrum`, {
      file: m.fileName,
    });
  }
  return { frequency_Hz, z_real_ohm, z_imag_ohm };
}

export interface FitSettings extends FitOptions {
  circuit: string;
}

/** A FitResult in JSON-ready form and the CLI's `fit` fields. */
export function fitJson(fit: FitResult) {
  return {
    circuit: fit.circuit,
    parameters: fit.parameters.map((p) => ({
      name: p.name,
      value: p.value,
      stderr: p.stderr,
      unit: p.unit,
      fixed: p.fixed,
    })),
    chi2: fit.chi2,
    reducedChi2: fit.reducedChi2,
    rmse_ohm: fit.rmse_ohm,
    aic: fit.aic,
    bic: fit.bic,
    weighting: fit.weighting,
    iterations: fit.iterations,
    converged: fit.converged,
    points: fit.points,
    correlation: fit.correlation,
    residuals: {
      frequency_Hz: Array.from(fit.residuals.frequency_Hz),
      real: Array.from(fit.residuals.real),
      imag: Array.from(fit.residuals.imag),
    },
    initialValues: fit.initialValues,
    usedGlobalSearch: fit.usedGlobalSearch,
    warnings: fit.warnings,
  };
}

export function runFit(m: Measurement, settings: FitSettings) {
  const { circuit, ...options } = settings;
  return fitJson(fitCircuit(spectrumOf(m), circuit, options));
}

export interface ConductivitySettings {
  thickness_m: number;
  area_m2: number;
  thickness_tolerance_m?: number;
  area_tolerance_m2?: number;
  circuit?: string;
  /** Element whose resistance is the bulk resistance (default: R1 of the default circuits). */
  element?: string;
  fit?: FitOptions;
}

/**
 * When the user names no circuit, both descriptions of a blocking cell are fitted — the bulk arc
 * inside the measured range (R0-p(R1,CPE1)-CPE2) and above it, leaving only the intercept and the
 * electrode spike (R0-CPE1) — and the one with the lower BIC is used: the extra arc must earn its
 * parameters. The choice is reported beside the number.
 */
export const AUTO_CIRCUITS = [BLOCKING_CIRCUIT, HF_INTERCEPT_CIRCUIT] as const;

function chooseCircuit(
  spectra: Spectrum[],
  options: FitOptions,
): { circuit: string; choice: string; fits: FitResult[] | null } {
  const scores = AUTO_CIRCUITS.map((circuit) => {
    const fits: FitResult[] = [];
    let bic = 0;
    for (const spectrum of spectra) {
      try {
        const fit = fitCircuit(spectrum, circuit, options);
        fits.push(fit);
        bic += fit.bic;
      } catch {
        bic = Number.POSITIVE_INFINITY;
      }
    }
    return { circuit, bic, fits: Number.isFinite(bic) ? fits : null };
  });
  const best = [...scores].sort((a, b) => a.bic - b.bic)[0]!;
  const described = scores
    .map((s) => `${s.circuit} BIC ${Number.isFinite(s.bic) ? s.bic.toFixed(1) : 'failed'}`)
    .join(', ');
  return { circuit: best.circuit, choice: `automatic: lowest BIC of ${described}`, fits: best.fits };
}

export function runConductivity(m: Measurement, settings: ConductivitySettings) {
  const spectrum = spectrumOf(m);
  const options = settings.fit ?? {};
  const chosen = settings.circuit
    ? { circuit: settings.circuit, choice: 'given', fits: null }
    : chooseCircuit([spectrum], options);
  // The automatic choice already fitted the winning circuit: its fit is the result.
  const fit = chosen.fits?.[0] ?? fitCircuit(spectrum, chosen.circuit, options);
  return { ...conductivityFromFit(fit, spectrum, settings), circuit_choice: chosen.choice };
}

function conductivityFromFit(fit: FitResult, spectrum: Spectrum, settings: ConductivitySettings) {
  // Without a named element, the bulk arc is chosen from the fit (or the high-frequency intercept
  // when the arc lies above the measured range).
  const bulk = bulkResistance(fit, spectrum, settings.element);
  const sigma = conductivity({
    resistance_ohm: bulk.R_ohm,
    resistance_stderr_ohm: bulk.R_stderr_ohm,
    thickness_m: settings.thickness_m,
    area_m2: settings.area_m2,
    ...(settings.thickness_tolerance_m !== undefined
      ? { thickness_tolerance_m: settings.thickness_tolerance_m }
      : {}),
    ...(settings.area_tolerance_m2 !== undefined ? { area_tolerance_m2: settings.area_tolerance_m2 } : {}),
  });
  return {
    R_bulk_ohm: bulk.R_ohm,
    R_bulk_ohm_stderr: bulk.R_stderr_ohm,
    sigma_S_per_cm: sigma.sigma_S_per_m * S_PER_M_TO_S_PER_CM,
    sigma_S_per_cm_stderr:
      sigma.sigma_stderr_S_per_m === null ? null : sigma.sigma_stderr_S_per_m * S_PER_M_TO_S_PER_CM,
    method: bulk.method === 'element' ? `fit element ${bulk.element}` : 'high-frequency real-axis intercept',
    element: bulk.element,
    thickness_m: settings.thickness_m,
    area_m2: settings.area_m2,
    fit: fitJson(fit),
  };
}

export interface ArrheniusSettings extends ConductivitySettings {}

export function runArrhenius(
  series: { measurement: Measurement; T_K: number }[],
  settings: ArrheniusSettings,
  onProgress?: (fraction: number, message: string) => void,
) {
  if (series.length < 3) {
    throw new ElyteError('analysis', `an Arrhenius fit needs at least 3 temperatures, got ${series.length}`);
  }
  const spectra = series.map((item) => ({
    spectrum: spectrumOf(item.measurement),
    T_K: item.T_K,
    label: item.measurement.fileName,
  }));
  const { circuit, choice } = settings.circuit
    ? { circuit: settings.circuit, choice: 'given' }
    : chooseCircuit(
        spectra.map((s) => s.spectrum),
        settings.fit ?? {},
      );
  const fits = fitSeries(spectra, circuit, settings.fit ?? {}, (done, total) =>
    onProgress?.(done / total, `fitted ${done} of ${total} spectra`),
  );
  const points = fits.map((result, i) => {
    if (!result.fit) {
      throw new ElyteError(
        'analysis',
        `fit failed at ${(result.T_K - 273.15).toFixed(1)} °C: ${result.error ?? 'no result'}`,
        {
          file: series[i]!.measurement.fileName,
        },
      );
    }
    const c = conductivityFromFit(result.fit, spectra[i]!.spectrum, settings);
    return {
      file: series[i]!.measurement.fileName,
      T_K: result.T_K,
      T_C: result.T_K - 273.15,
      sigma_S_per_cm: c.sigma_S_per_cm,
      sigma_S_per_cm_stderr: c.sigma_S_per_cm_stderr,
      R_bulk_ohm: c.R_bulk_ohm,
      converged: result.fit.converged,
      warmStarted: result.warmStarted,
    };
  });
  // Heating and cooling runs are fitted apart: hysteresis must not blur Ea.
  const runs = splitByDirection(points);
  const main = [...runs].sort((a, b) => b.points.length - a.points.length)[0]!;
  const arrheniusPoints = main.points.map((p) => ({
    T_K: p.T_K,
    sigma_S_per_m: p.sigma_S_per_cm / S_PER_M_TO_S_PER_CM,
    sigma_stderr_S_per_m:
      p.sigma_S_per_cm_stderr === null ? null : p.sigma_S_per_cm_stderr / S_PER_M_TO_S_PER_CM,
  }));
  const fit = arrhenius(arrheniusPoints);
  // A line through scattered points is no activation energy: say so instead of printing one.
  if (fit.r2 < MIN_ARRHENIUS_R2 || fit.Ea_eV_stderr > 0.5 * Math.abs(fit.Ea_eV)) {
    throw new ElyteError(
      'analysis',
      `the ${main.direction} points do not lie on an Arrhenius line (R² = ${fit.r2.toFixed(3)}, ` +
        `Ea = ${fit.Ea_eV.toFixed(3)} ± ${fit.Ea_eV_stderr.toFixed(3)} eV) with circuit ${circuit}; ` +
        'check the fits at each temperature or choose another circuit',
    );
  }
  let vtfResult: ReturnType<typeof vtf> | null = null;
  let vtfError: string | null = null;
  if (arrheniusPoints.length >= 4) {
    try {
      vtfResult = vtf(arrheniusPoints);
    } catch (error) {
      vtfError = error instanceof Error ? error.message : String(error);
    }
  }
  return {
    points: points.map((p) => ({ ...p })),
    Ea_eV: fit.Ea_eV,
    Ea_eV_stderr: fit.Ea_eV_stderr,
    sigma_25C_S_per_cm: fit.sigma25C_S_per_m * S_PER_M_TO_S_PER_CM,
    sigma_25C_S_per_cm_stderr: fit.sigma25C_stderr_S_per_m * S_PER_M_TO_S_PER_CM,
    sigma_25C_extrapolated: fit.extrapolated,
    lnSigma0: fit.lnSigma0,
    r2: fit.r2,
    direction: main.direction,
    runs: runs.map((run) => ({ direction: run.direction, temperatures_K: run.points.map((p) => p.T_K) })),
    vtf: vtfResult,
    vtfError,
    circuit,
    circuit_choice: choice,
  };
}
